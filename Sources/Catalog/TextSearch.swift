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
