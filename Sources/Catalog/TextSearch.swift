// Text search parsers, templates, dictionaries and configurations: the Info classes
// (pg_dump.h's TSParserInfo, TSTemplateInfo, TSDictInfo, TSConfigInfo) and their readers
// (pg_dump.c's getTSParsers, getTSTemplates, getTSDictionaries, getTSConfigurations). All are
// read, built-in ones included; selection leaves out those of pg_catalog.

/// A text search parser (pg_ts_parser, DO_TSPARSER). Parsers have no owner.
public final class TSParserInfo: DumpableObject {
    public var prsstart: UInt32 = 0
    public var prstoken: UInt32 = 0
    public var prsend: UInt32 = 0
    /// 0 when the parser has no headline function.
    public var prsheadline: UInt32 = 0
    public var prslextype: UInt32 = 0
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.tsParser, catId: catId, name: name, namespace: namespace)
    }
}

/// A text search template (pg_ts_template, DO_TSTEMPLATE). Templates have no owner.
public final class TSTemplateInfo: DumpableObject {
    /// 0 when the template has no init function.
    public var tmplinit: UInt32 = 0
    public var tmpllexize: UInt32 = 0
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.tsTemplate, catId: catId, name: name, namespace: namespace)
    }
}

/// A text search dictionary (pg_ts_dict, DO_TSDICT).
public final class TSDictInfo: DumpableObject {
    public var ownerName = ""
    public var dicttemplate: UInt32 = 0
    /// The options as the catalog keeps them, ready to print; nil for none.
    public var dictinitoption: String? = nil
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.tsDict, catId: catId, name: name, namespace: namespace)
    }
}

/// A text search configuration (pg_ts_config, DO_TSCONFIG).
public final class TSConfigInfo: DumpableObject {
    public var ownerName = ""
    public var cfgparser: UInt32 = 0
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.tsConfig, catId: catId, name: name, namespace: namespace)
    }
}

extension CatalogContext {
    /// pg_dump's getTSParsers.
    func getTSParsers() throws {
        let sql = "SELECT tableoid, oid, prsname, prsnamespace, "
            + "prsstart::oid, prstoken::oid, "
            + "prsend::oid, prsheadline::oid, prslextype::oid "
            + "FROM pg_ts_parser"
        for r in try query(sql) {
            let p = TSParserInfo(catId: r.catId(), name: r.str("prsname"),
                                 namespace: catalog.namespace(oid: r.oid("prsnamespace")))
            catalog.assignDumpId(p)
            p.prsstart = r.oid("prsstart")
            p.prstoken = r.oid("prstoken")
            p.prsend = r.oid("prsend")
            p.prsheadline = r.oid("prsheadline")
            p.prslextype = r.oid("prslextype")
            selectDumpableObject(p)
        }
    }

    /// pg_dump's getTSDictionaries.
    func getTSDictionaries() throws {
        let sql = "SELECT tableoid, oid, dictname, "
            + "dictnamespace, dictowner, "
            + "dicttemplate, dictinitoption "
            + "FROM pg_ts_dict"
        for r in try query(sql) {
            let d = TSDictInfo(catId: r.catId(), name: r.str("dictname"),
                               namespace: catalog.namespace(oid: r.oid("dictnamespace")))
            catalog.assignDumpId(d)
            d.ownerName = catalog.roleName(r.oid("dictowner"))
            d.dicttemplate = r.oid("dicttemplate")
            d.dictinitoption = r.opt("dictinitoption")
            selectDumpableObject(d)
        }
    }

    /// pg_dump's getTSTemplates.
    func getTSTemplates() throws {
        let sql = "SELECT tableoid, oid, tmplname, "
            + "tmplnamespace, tmplinit::oid, tmpllexize::oid "
            + "FROM pg_ts_template"
        for r in try query(sql) {
            let t = TSTemplateInfo(catId: r.catId(), name: r.str("tmplname"),
                                   namespace: catalog.namespace(oid: r.oid("tmplnamespace")))
            catalog.assignDumpId(t)
            t.tmplinit = r.oid("tmplinit")
            t.tmpllexize = r.oid("tmpllexize")
            selectDumpableObject(t)
        }
    }

    /// pg_dump's getTSConfigurations.
    func getTSConfigurations() throws {
        let sql = "SELECT tableoid, oid, cfgname, "
            + "cfgnamespace, cfgowner, cfgparser "
            + "FROM pg_ts_config"
        for r in try query(sql) {
            let c = TSConfigInfo(catId: r.catId(), name: r.str("cfgname"),
                                 namespace: catalog.namespace(oid: r.oid("cfgnamespace")))
            catalog.assignDumpId(c)
            c.ownerName = catalog.roleName(r.oid("cfgowner"))
            c.cfgparser = r.oid("cfgparser")
            selectDumpableObject(c)
        }
    }
}

/// A text search configuration's mapping of one token type to one dictionary, in
/// pg_ts_config_map's order (token type, then sequence number).
public struct TSConfigMapping {
    /// The token type's alias.
    public let tokenname: String
    /// regdictionary text (quoted and qualified as needed already).
    public let dictname: String
}

// What dumpTSParser, dumpTSTemplate, dumpTSDictionary and dumpTSConfig (pg_dump.c) read of one
// object as they dump it: object by object, as pg_dump does.
extension CatalogContext {
    /// pg_dump's convertTSFunction: a support function's name as regproc prints it (qualified
    /// unless in pg_catalog, the session's search_path being empty).
    public func convertTSFunction(_ oid: UInt32) throws -> String {
        try singleRow("SELECT '\(oid)'::pg_catalog.regproc AS f").str("f")
    }

    /// dumpTSDictionary's query: the schema and name of template `oid`.
    public func tsTemplateName(oid: UInt32) throws -> (nspname: String, tmplname: String) {
        let t = try singleRow("SELECT nspname, tmplname "
            + "FROM pg_ts_template p, pg_namespace n "
            + "WHERE p.oid = '\(oid)' AND n.oid = tmplnamespace")
        return (t.str("nspname"), t.str("tmplname"))
    }

    /// dumpTSConfig's first query: the schema and name of parser `oid`.
    public func tsParserName(oid: UInt32) throws -> (nspname: String, prsname: String) {
        let prs = try singleRow("SELECT nspname, prsname "
            + "FROM pg_ts_parser p, pg_namespace n "
            + "WHERE p.oid = '\(oid)' AND n.oid = prsnamespace")
        return (prs.str("nspname"), prs.str("prsname"))
    }

    /// dumpTSConfig's second query: the configuration's token mappings.
    public func tsConfigMappings(_ c: TSConfigInfo) throws -> [TSConfigMapping] {
        try query("SELECT\n"
            + "  ( SELECT alias FROM pg_catalog.ts_token_type('\(c.cfgparser)'::pg_catalog.oid) AS t\n"
            + "    WHERE t.tokid = m.maptokentype ) AS tokenname,\n"
            + "  m.mapdict::pg_catalog.regdictionary AS dictname\n"
            + "FROM pg_catalog.pg_ts_config_map AS m\n"
            + "WHERE m.mapcfg = '\(c.catId.oid)'\n"
            + "ORDER BY m.mapcfg, m.maptokentype, m.mapseqno").map {
            TSConfigMapping(tokenname: $0.str("tokenname"), dictname: $0.str("dictname"))
        }
    }
}
