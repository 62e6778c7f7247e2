import Archive
import Catalog

// CREATE TEXT SEARCH PARSER, TEMPLATE, DICTIONARY and CONFIGURATION entries (pg_dump's
// dumpTSParser, dumpTSTemplate, dumpTSDictionary, dumpTSConfig).
extension DumpContext {
    /// pg_dump's convertTSFunction: a support function's name as regproc prints it (qualified
    /// unless in pg_catalog, the session's search_path being empty).
    func convertTSFunction(_ oid: UInt32) throws -> String {
        try singleRow("SELECT '\(oid)'::pg_catalog.regproc AS f").str("f")
    }

    /// pg_dump's dumpTSParser.
    func dumpTSParser(_ obj: DumpableObject) throws {
        guard let p = obj as? TSParserInfo, options.dumpSchema else { return }
        let qual = qualified(p)
        var q = "CREATE TEXT SEARCH PARSER \(qual) (\n"
        q += "    START = \(try convertTSFunction(p.prsstart)),\n"
        q += "    GETTOKEN = \(try convertTSFunction(p.prstoken)),\n"
        q += "    END = \(try convertTSFunction(p.prsend)),\n"
        if p.prsheadline != 0 { q += "    HEADLINE = \(try convertTSFunction(p.prsheadline)),\n" }
        q += "    LEXTYPES = \(try convertTSFunction(p.prslextype)) );\n"
        if p.dump.contains(.definition) {
            archiveEntry(catId: p.catId, dumpId: p.dumpId, EntryOptions(
                tag: p.name, namespace: nspName(p), description: "TEXT SEARCH PARSER", section: .preData,
                createStmt: q, dropStmt: "DROP TEXT SEARCH PARSER \(qual);\n"))
        }
        if p.dump.contains(.comment) {
            try dumpComment(type: "TEXT SEARCH PARSER", name: fmtId(p.name), namespace: nspName(p), owner: "",
                            catId: p.catId, dumpId: p.dumpId)
        }
    }

    /// pg_dump's dumpTSDictionary: the template always schema-qualified, the options as the
    /// catalog keeps them.
    func dumpTSDictionary(_ obj: DumpableObject) throws {
        guard let d = obj as? TSDictInfo, options.dumpSchema else { return }
        let t = try singleRow("SELECT nspname, tmplname "
            + "FROM pg_ts_template p, pg_namespace n "
            + "WHERE p.oid = '\(d.dicttemplate)' AND n.oid = tmplnamespace")
        let qual = qualified(d)
        var q = "CREATE TEXT SEARCH DICTIONARY \(qual) (\n"
        q += "    TEMPLATE = \(fmtId(t.str("nspname"))).\(fmtId(t.str("tmplname")))"
        if let opts = d.dictinitoption { q += ",\n    \(opts)" }
        q += " );\n"
        if d.dump.contains(.definition) {
            archiveEntry(catId: d.catId, dumpId: d.dumpId, EntryOptions(
                tag: d.name, namespace: nspName(d), owner: d.ownerName, description: "TEXT SEARCH DICTIONARY",
                section: .preData, createStmt: q, dropStmt: "DROP TEXT SEARCH DICTIONARY \(qual);\n"))
        }
        if d.dump.contains(.comment) {
            try dumpComment(type: "TEXT SEARCH DICTIONARY", name: fmtId(d.name), namespace: nspName(d),
                            owner: d.ownerName, catId: d.catId, dumpId: d.dumpId)
        }
    }

    /// pg_dump's dumpTSTemplate.
    func dumpTSTemplate(_ obj: DumpableObject) throws {
        guard let t = obj as? TSTemplateInfo, options.dumpSchema else { return }
        let qual = qualified(t)
        var q = "CREATE TEXT SEARCH TEMPLATE \(qual) (\n"
        if t.tmplinit != 0 { q += "    INIT = \(try convertTSFunction(t.tmplinit)),\n" }
        q += "    LEXIZE = \(try convertTSFunction(t.tmpllexize)) );\n"
        if t.dump.contains(.definition) {
            archiveEntry(catId: t.catId, dumpId: t.dumpId, EntryOptions(
                tag: t.name, namespace: nspName(t), description: "TEXT SEARCH TEMPLATE", section: .preData,
                createStmt: q, dropStmt: "DROP TEXT SEARCH TEMPLATE \(qual);\n"))
        }
        if t.dump.contains(.comment) {
            try dumpComment(type: "TEXT SEARCH TEMPLATE", name: fmtId(t.name), namespace: nspName(t), owner: "",
                            catId: t.catId, dumpId: t.dumpId)
        }
    }

    /// pg_dump's dumpTSConfig: CREATE with the parser, then one ALTER ... ADD MAPPING per
    /// token type, its dictionaries in mapping order.
    func dumpTSConfig(_ obj: DumpableObject) throws {
        guard let c = obj as? TSConfigInfo, options.dumpSchema else { return }
        let prs = try singleRow("SELECT nspname, prsname "
            + "FROM pg_ts_parser p, pg_namespace n "
            + "WHERE p.oid = '\(c.cfgparser)' AND n.oid = prsnamespace")
        let qual = qualified(c)
        var q = "CREATE TEXT SEARCH CONFIGURATION \(qual) (\n"
        q += "    PARSER = \(fmtId(prs.str("nspname"))).\(fmtId(prs.str("prsname"))) );\n"
        let maps = try rows("SELECT\n"
            + "  ( SELECT alias FROM pg_catalog.ts_token_type('\(c.cfgparser)'::pg_catalog.oid) AS t\n"
            + "    WHERE t.tokid = m.maptokentype ) AS tokenname,\n"
            + "  m.mapdict::pg_catalog.regdictionary AS dictname\n"
            + "FROM pg_catalog.pg_ts_config_map AS m\n"
            + "WHERE m.mapcfg = '\(c.catId.oid)'\n"
            + "ORDER BY m.mapcfg, m.maptokentype, m.mapseqno")
        var previous: String? = nil
        for m in maps {
            let tokenname = m.str("tokenname"), dictname = m.str("dictname")
            if tokenname != previous {
                // A new token type starts a new command; the token needs quoting, the
                // dictionary (regdictionary output) does not.
                if previous != nil { q += ";\n" }
                q += "\nALTER TEXT SEARCH CONFIGURATION \(qual)\n"
                q += "    ADD MAPPING FOR \(fmtId(tokenname)) WITH \(dictname)"
            } else {
                q += ", \(dictname)"
            }
            previous = tokenname
        }
        if !maps.isEmpty { q += ";\n" }
        if c.dump.contains(.definition) {
            archiveEntry(catId: c.catId, dumpId: c.dumpId, EntryOptions(
                tag: c.name, namespace: nspName(c), owner: c.ownerName, description: "TEXT SEARCH CONFIGURATION",
                section: .preData, createStmt: q, dropStmt: "DROP TEXT SEARCH CONFIGURATION \(qual);\n"))
        }
        if c.dump.contains(.comment) {
            try dumpComment(type: "TEXT SEARCH CONFIGURATION", name: fmtId(c.name), namespace: nspName(c),
                            owner: c.ownerName, catId: c.catId, dumpId: c.dumpId)
        }
    }
}
