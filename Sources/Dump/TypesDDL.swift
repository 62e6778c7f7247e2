import Archive
import Catalog

// CREATE TYPE / CREATE DOMAIN entries (pg_dump's dumpType and the per-kind functions it
// calls), and SHELL TYPE entries.
extension DumpContext {
    /// pg_dump's dumpType: dispatches on typtype.
    func dumpTypeInfo(_ t: TypeInfo) throws {
        guard options.dumpSchema else { return }
        switch t.typtype {
        case "b": try dumpBaseType(t)
        case "d": try dumpDomain(t)
        case "c": try dumpCompositeType(t)
        case "e": try dumpEnumType(t)
        case "r": try dumpRangeType(t)
        case "p" where !t.isDefined: try dumpUndefinedType(t)
        default: typeFuncWarning("typtype of data type \"\(t.name)\" appears to be invalid")
        }
    }

    /// The TYPE (or DOMAIN) entry, then its comment, security label and ACL entries, as
    /// every dumpXxxType does.
    private func typeEntries(_ t: TypeInfo, description: String = "TYPE", create: String, drop: String) throws {
        let qtypname = fmtId(t.name)
        if t.dump.contains(.definition) {
            archiveEntry(catId: t.catId, dumpId: t.dumpId, EntryOptions(
                tag: t.name, namespace: nspName(t), owner: t.ownerName, description: description,
                section: .preData, createStmt: create, dropStmt: drop))
        }
        if t.dump.contains(.comment) {
            try dumpComment(type: description, name: qtypname, namespace: nspName(t), owner: t.ownerName,
                            catId: t.catId, dumpId: t.dumpId)
        }
        if t.dump.contains(.secLabel) {
            try dumpSecLabel(type: description, name: qtypname, namespace: nspName(t), owner: t.ownerName,
                             catId: t.catId, dumpId: t.dumpId)
        }
        if t.dump.contains(.acl) {
            try dumpACL(objDumpId: t.dumpId, type: "TYPE", name: qtypname, nspname: nspName(t),
                        owner: t.ownerName, dacl: t.dacl)
        }
    }

    /// pg_dump's dumpEnumType.
    func dumpEnumType(_ t: TypeInfo) throws {
        let labels = try rows("SELECT oid, enumlabel FROM pg_catalog.pg_enum "
                              + "WHERE enumtypid = '\(t.catId.oid)'::pg_catalog.oid ORDER BY enumsortorder")
        let qual = qualified(t)
        var q = "CREATE TYPE \(qual) AS ENUM ("
        for (i, r) in labels.enumerated() {
            if i > 0 { q += "," }
            q += "\n    " + literal(r.str("enumlabel"))
        }
        q += "\n);\n"
        try typeEntries(t, create: q, drop: "DROP TYPE \(qual);\n")
    }

    /// pg_dump's dumpRangeType.
    func dumpRangeType(_ t: TypeInfo) throws {
        let multi = remoteVersion >= 140000
            ? "pg_catalog.format_type(rngmultitypid, NULL) AS rngmultitype, " : "NULL AS rngmultitype, "
        let r = try singleRow("SELECT " + multi
            + "pg_catalog.format_type(rngsubtype, NULL) AS rngsubtype, "
            + "opc.opcname AS opcname, "
            + "(SELECT nspname FROM pg_catalog.pg_namespace nsp "
            + "  WHERE nsp.oid = opc.opcnamespace) AS opcnsp, "
            + "opc.opcdefault, "
            + "CASE WHEN rngcollation = st.typcollation THEN 0 "
            + "     ELSE rngcollation END AS collation, "
            + "rngcanonical, rngsubdiff "
            + "FROM pg_catalog.pg_range r, pg_catalog.pg_type st, "
            + "     pg_catalog.pg_opclass opc "
            + "WHERE st.oid = rngsubtype AND opc.oid = rngsubopc AND "
            + "rngtypid = '\(t.catId.oid)'::pg_catalog.oid")
        let qual = qualified(t)
        var q = "CREATE TYPE \(qual) AS RANGE ("
        q += "\n    subtype = " + r.str("rngsubtype")
        if let m = r.opt("rngmultitype") { q += ",\n    multirange_type_name = " + m }
        // subtype_opclass only when not the subtype's default.
        if !r.bool("opcdefault") {
            q += ",\n    subtype_opclass = " + fmtId(r.str("opcnsp")) + "." + fmtId(r.str("opcname"))
        }
        let coll = r.oid("collation")
        if coll != 0, let c = catalog.collation(oid: coll) {
            q += ",\n    collation = " + qualified(c)
        }
        let canonical = r.str("rngcanonical")
        if canonical != "-" { q += ",\n    canonical = " + canonical }
        let subdiff = r.str("rngsubdiff")
        if subdiff != "-" { q += ",\n    subtype_diff = " + subdiff }
        q += "\n);\n"
        try typeEntries(t, create: q, drop: "DROP TYPE \(qual);\n")
    }

    /// pg_dump's dumpUndefinedType: a shell type nothing filled in.
    func dumpUndefinedType(_ t: TypeInfo) throws {
        let qual = qualified(t)
        try typeEntries(t, create: "CREATE TYPE \(qual);\n", drop: "DROP TYPE \(qual);\n")
    }

    /// pg_dump's dumpBaseType.
    func dumpBaseType(_ t: TypeInfo) throws {
        let subscriptCols = remoteVersion >= 140000
            ? "typsubscript, typsubscript::pg_catalog.oid AS typsubscriptoid "
            : "'-' AS typsubscript, 0 AS typsubscriptoid "
        let r = try singleRow("SELECT typlen, "
            + "typinput, typoutput, typreceive, typsend, "
            + "typreceive::pg_catalog.oid AS typreceiveoid, "
            + "typsend::pg_catalog.oid AS typsendoid, "
            + "typanalyze, "
            + "typanalyze::pg_catalog.oid AS typanalyzeoid, "
            + "typdelim, typbyval, typalign, typstorage, "
            + "typmodin, typmodout, "
            + "typmodin::pg_catalog.oid AS typmodinoid, "
            + "typmodout::pg_catalog.oid AS typmodoutoid, "
            + "typcategory, typispreferred, "
            + "(typcollation <> 0) AS typcollatable, "
            + "pg_catalog.pg_get_expr(typdefaultbin, 0) AS typdefaultbin, typdefault, "
            + subscriptCols
            + "FROM pg_catalog.pg_type "
            + "WHERE oid = '\(t.catId.oid)'::pg_catalog.oid")
        var typdefault: String? = nil
        var defaultIsLiteral = false
        if let bin = r.opt("typdefaultbin") {
            typdefault = bin
        } else if let d = r.opt("typdefault") {
            typdefault = d
            defaultIsLiteral = true
        }
        let qual = qualified(t)
        let typlen = r.str("typlen")
        var q = "CREATE TYPE \(qual) (\n    INTERNALLENGTH = " + (typlen == "-1" ? "variable" : typlen)
        // regproc output is quoted already.
        q += ",\n    INPUT = " + r.str("typinput")
        q += ",\n    OUTPUT = " + r.str("typoutput")
        if r.oid("typreceiveoid") != 0 { q += ",\n    RECEIVE = " + r.str("typreceive") }
        if r.oid("typsendoid") != 0 { q += ",\n    SEND = " + r.str("typsend") }
        if r.oid("typmodinoid") != 0 { q += ",\n    TYPMOD_IN = " + r.str("typmodin") }
        if r.oid("typmodoutoid") != 0 { q += ",\n    TYPMOD_OUT = " + r.str("typmodout") }
        if r.oid("typanalyzeoid") != 0 { q += ",\n    ANALYZE = " + r.str("typanalyze") }
        if r.bool("typcollatable") { q += ",\n    COLLATABLE = true" }
        if let d = typdefault {
            q += ",\n    DEFAULT = " + (defaultIsLiteral ? literal(d) : d)
        }
        if r.oid("typsubscriptoid") != 0 { q += ",\n    SUBSCRIPT = " + r.str("typsubscript") }
        if t.typelem != 0 { q += ",\n    ELEMENT = " + (try formattedTypeName(t.typelem, .error)) }
        let category = r.str("typcategory")
        if category != "U" { q += ",\n    CATEGORY = " + literal(category) }
        if r.bool("typispreferred") { q += ",\n    PREFERRED = true" }
        let delim = r.str("typdelim")
        if delim != "," { q += ",\n    DELIMITER = " + literal(delim) }
        switch r.char("typalign") {
        case "c": q += ",\n    ALIGNMENT = char"
        case "s": q += ",\n    ALIGNMENT = int2"
        case "i": q += ",\n    ALIGNMENT = int4"
        case "d": q += ",\n    ALIGNMENT = double"
        default: break
        }
        switch r.char("typstorage") {
        case "p": q += ",\n    STORAGE = plain"
        case "e": q += ",\n    STORAGE = external"
        case "x": q += ",\n    STORAGE = extended"
        case "m": q += ",\n    STORAGE = main"
        default: break
        }
        if r.bool("typbyval") { q += ",\n    PASSEDBYVALUE" }
        q += "\n);\n"
        // CASCADE: the type and its I/O functions depend on each other.
        try typeEntries(t, create: q, drop: "DROP TYPE \(qual) CASCADE;\n")
    }

    /// pg_dump's dumpDomain, with the comments on its constraints.
    func dumpDomain(_ t: TypeInfo) throws {
        let r = try singleRow("SELECT t.typnotnull, "
            + "pg_catalog.format_type(t.typbasetype, t.typtypmod) AS typdefn, "
            + "pg_catalog.pg_get_expr(t.typdefaultbin, 'pg_catalog.pg_type'::pg_catalog.regclass) AS typdefaultbin, "
            + "t.typdefault, "
            + "CASE WHEN t.typcollation <> u.typcollation "
            + "THEN t.typcollation ELSE 0 END AS typcollation "
            + "FROM pg_catalog.pg_type t "
            + "LEFT JOIN pg_catalog.pg_type u ON (t.typbasetype = u.oid) "
            + "WHERE t.oid = '\(t.catId.oid)'::pg_catalog.oid")
        var typdefault: String? = nil
        var defaultIsLiteral = false
        if let bin = r.opt("typdefaultbin") {
            typdefault = bin
        } else if let d = r.opt("typdefault") {
            typdefault = d
            defaultIsLiteral = true
        }
        let qtypname = fmtId(t.name)
        let qual = qualified(t)
        var q = "CREATE DOMAIN \(qual) AS " + r.str("typdefn")
        // Collation only if it differs from the base type's.
        let coll = r.oid("typcollation")
        if coll != 0, let c = catalog.collation(oid: coll) { q += " COLLATE " + qualified(c) }
        if r.bool("typnotnull") {
            if remoteVersion < 170000 || t.notnull == nil {
                q += " NOT NULL"
            } else if let nn = t.notnull, !nn.separate {
                // The generated name needs no mention.
                if nn.name == t.name + "_not_null" {
                    q += " NOT NULL"
                } else {
                    q += " CONSTRAINT \(fmtId(nn.name)) \(nn.condef ?? "")"
                }
            }
        }
        if let d = typdefault { q += " DEFAULT " + (defaultIsLiteral ? literal(d) : d) }
        for c in t.domChecks where !c.separate && c.contype == "c" {
            q += "\n\tCONSTRAINT \(fmtId(c.name)) \(c.condef ?? "")"
        }
        q += ";\n"
        try typeEntries(t, description: "DOMAIN", create: q, drop: "DROP DOMAIN \(qual);\n")

        // Comments on the constraints dumped here.
        for c in t.domChecks where !c.separate && c.dump.contains(.comment) {
            try dumpComment(type: "CONSTRAINT \(fmtId(c.name)) ON DOMAIN", name: qtypname, namespace: nspName(t),
                            owner: t.ownerName, catId: c.catId, dumpId: t.dumpId)
        }
        if let nn = t.notnull, !nn.separate, nn.dump.contains(.comment) {
            try dumpComment(type: "CONSTRAINT \(fmtId(nn.name)) ON DOMAIN", name: qtypname, namespace: nspName(t),
                            owner: t.ownerName, catId: nn.catId, dumpId: t.dumpId)
        }
    }

    /// pg_dump's dumpCompositeType, with comments on its attributes.
    func dumpCompositeType(_ t: TypeInfo) throws {
        let atts = try rows("SELECT a.attname, a.attnum, "
            + "pg_catalog.format_type(a.atttypid, a.atttypmod) AS atttypdefn, "
            + "a.attlen, a.attalign, a.attisdropped, "
            + "CASE WHEN a.attcollation <> at.typcollation "
            + "THEN a.attcollation ELSE 0 END AS attcollation "
            + "FROM pg_catalog.pg_type ct "
            + "JOIN pg_catalog.pg_attribute a ON a.attrelid = ct.typrelid "
            + "LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid "
            + "WHERE ct.oid = '\(t.catId.oid)'::pg_catalog.oid "
            + "ORDER BY a.attnum")
        let qual = qualified(t)
        var q = "CREATE TYPE \(qual) AS ("
        var actual = 0
        for a in atts where !a.bool("attisdropped") {
            if actual > 0 { q += "," }
            actual += 1
            q += "\n\t" + fmtId(a.str("attname")) + " " + a.str("atttypdefn")
            let coll = a.oid("attcollation")
            if coll != 0, let c = catalog.collation(oid: coll) { q += " COLLATE " + qualified(c) }
        }
        q += "\n);\n"
        try typeEntries(t, create: q, drop: "DROP TYPE \(qual);\n")
        if t.dump.contains(.comment) { try dumpCompositeTypeColComments(t, atts) }
    }

    /// pg_dump's dumpCompositeTypeColComments: one COMMENT entry per commented attribute.
    func dumpCompositeTypeColComments(_ t: TypeInfo, _ atts: [Row]) throws {
        if options.noComments { return }
        // The comments on the type's pg_class entry, as collectComments kept them.
        for (subid, descr) in findComments(CatalogId(tableoid: CatalogTable.pgClass, oid: t.typrelid)) {
            guard let att = atts.first(where: { $0.int("attnum") == subid && !$0.bool("attisdropped") }) else {
                continue
            }
            let attname = att.str("attname")
            let target = "COLUMN " + fmtId(t.name) + "." + fmtId(attname)
            let sql = "COMMENT ON COLUMN " + qualified(t) + "." + fmtId(attname) + " IS "
                + literal(descr) + ";\n"
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: target, namespace: nspName(t), owner: t.ownerName, description: "COMMENT",
                section: .none, createStmt: sql, deps: [t.dumpId]))
        }
    }

    /// pg_dump's dumpShellType: `CREATE TYPE name;` ahead of a base type's I/O functions. No
    /// DROP: dropping is the base type's, and without one no ALTER OWNER is emitted early.
    func dumpShellTypeInfo(_ st: ShellTypeInfo) throws {
        guard options.dumpSchema else { return }
        if st.dump.contains(.definition) {
            archiveEntry(catId: st.catId, dumpId: st.dumpId, EntryOptions(
                tag: st.name, namespace: nspName(st), owner: st.baseType.ownerName, description: "SHELL TYPE",
                section: .preData, createStmt: "CREATE TYPE \(qualified(st));\n"))
        }
    }
}
