import Archive
import Catalog

// CREATE TEXT SEARCH PARSER, TEMPLATE, DICTIONARY and CONFIGURATION entries (pg_dump's
// dumpTSParser, dumpTSTemplate, dumpTSDictionary, dumpTSConfig). What they read object by
// object is read in Catalog/TextSearch.swift.
extension DumpContext {
    /// pg_dump's dumpTSParser.
    func dumpTSParser(_ p: TSParserInfo) throws {
        guard options.dumpSchema else { return }
        let qual = qualified(p)
        var q = "CREATE TEXT SEARCH PARSER \(qual) (\n"
        q += "    START = \(try cat.convertTSFunction(p.prsstart)),\n"
        q += "    GETTOKEN = \(try cat.convertTSFunction(p.prstoken)),\n"
        q += "    END = \(try cat.convertTSFunction(p.prsend)),\n"
        if p.prsheadline != 0 { q += "    HEADLINE = \(try cat.convertTSFunction(p.prsheadline)),\n" }
        q += "    LEXTYPES = \(try cat.convertTSFunction(p.prslextype)) );\n"
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
    func dumpTSDictionary(_ d: TSDictInfo) throws {
        guard options.dumpSchema else { return }
        let t = try cat.tsTemplateName(oid: d.dicttemplate)
        let qual = qualified(d)
        var q = "CREATE TEXT SEARCH DICTIONARY \(qual) (\n"
        q += "    TEMPLATE = \(fmtId(t.nspname)).\(fmtId(t.tmplname))"
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
    func dumpTSTemplate(_ t: TSTemplateInfo) throws {
        guard options.dumpSchema else { return }
        let qual = qualified(t)
        var q = "CREATE TEXT SEARCH TEMPLATE \(qual) (\n"
        if t.tmplinit != 0 { q += "    INIT = \(try cat.convertTSFunction(t.tmplinit)),\n" }
        q += "    LEXIZE = \(try cat.convertTSFunction(t.tmpllexize)) );\n"
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
    func dumpTSConfig(_ c: TSConfigInfo) throws {
        guard options.dumpSchema else { return }
        let prs = try cat.tsParserName(oid: c.cfgparser)
        let qual = qualified(c)
        var q = "CREATE TEXT SEARCH CONFIGURATION \(qual) (\n"
        q += "    PARSER = \(fmtId(prs.nspname)).\(fmtId(prs.prsname)) );\n"
        let maps = try cat.tsConfigMappings(c)
        var previous: String? = nil
        for m in maps {
            let tokenname = m.tokenname, dictname = m.dictname
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
