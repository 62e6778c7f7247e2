import Archive
import Catalog

// CREATE TYPE / CREATE DOMAIN entries (pg_dump's dumpType and the per-kind functions it
// calls), and SHELL TYPE entries.
extension DumpContext {
    /// pg_dump's dumpType: dispatches on typtype.
    func dumpType(_ t: TypeInfo) throws {
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
        let labels = try cat.enumLabels(oid: t.catId.oid)
        let qual = qualified(t)
        var q = "CREATE TYPE \(qual) AS ENUM ("
        for (i, label) in labels.enumerated() {
            if i > 0 { q += "," }
            q += "\n    " + literal(label)
        }
        q += "\n);\n"
        try typeEntries(t, create: q, drop: "DROP TYPE \(qual);\n")
    }

    /// pg_dump's dumpRangeType.
    func dumpRangeType(_ t: TypeInfo) throws {
        let r = try cat.rangeTypeDetails(oid: t.catId.oid)
        let qual = qualified(t)
        var q = "CREATE TYPE \(qual) AS RANGE ("
        q += "\n    subtype = " + r.rngsubtype
        if let m = r.rngmultitype { q += ",\n    multirange_type_name = " + m }
        // subtype_opclass only when not the subtype's default.
        if !r.opcdefault {
            q += ",\n    subtype_opclass = " + fmtId(r.opcnsp) + "." + fmtId(r.opcname)
        }
        let coll = r.collation
        if coll != 0, let c = catalog.collation(oid: coll) {
            q += ",\n    collation = " + qualified(c)
        }
        let canonical = r.rngcanonical
        if canonical != "-" { q += ",\n    canonical = " + canonical }
        let subdiff = r.rngsubdiff
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
        let r = try cat.baseTypeDetails(oid: t.catId.oid)
        var typdefault: String? = nil
        var defaultIsLiteral = false
        if let bin = r.typdefaultbin {
            typdefault = bin
        } else if let d = r.typdefault {
            typdefault = d
            defaultIsLiteral = true
        }
        let qual = qualified(t)
        let typlen = r.typlen
        var q = "CREATE TYPE \(qual) (\n    INTERNALLENGTH = " + (typlen == "-1" ? "variable" : typlen)
        // regproc output is quoted already.
        q += ",\n    INPUT = " + r.typinput
        q += ",\n    OUTPUT = " + r.typoutput
        if r.typreceiveoid != 0 { q += ",\n    RECEIVE = " + r.typreceive }
        if r.typsendoid != 0 { q += ",\n    SEND = " + r.typsend }
        if r.typmodinoid != 0 { q += ",\n    TYPMOD_IN = " + r.typmodin }
        if r.typmodoutoid != 0 { q += ",\n    TYPMOD_OUT = " + r.typmodout }
        if r.typanalyzeoid != 0 { q += ",\n    ANALYZE = " + r.typanalyze }
        if r.typcollatable { q += ",\n    COLLATABLE = true" }
        if let d = typdefault {
            q += ",\n    DEFAULT = " + (defaultIsLiteral ? literal(d) : d)
        }
        if r.typsubscriptoid != 0 { q += ",\n    SUBSCRIPT = " + r.typsubscript }
        if t.typelem != 0 { q += ",\n    ELEMENT = " + (try formattedTypeName(t.typelem, .error)) }
        let category = r.typcategory
        if category != "U" { q += ",\n    CATEGORY = " + literal(category) }
        if r.typispreferred { q += ",\n    PREFERRED = true" }
        let delim = r.typdelim
        if delim != "," { q += ",\n    DELIMITER = " + literal(delim) }
        switch r.typalign {
        case "c": q += ",\n    ALIGNMENT = char"
        case "s": q += ",\n    ALIGNMENT = int2"
        case "i": q += ",\n    ALIGNMENT = int4"
        case "d": q += ",\n    ALIGNMENT = double"
        default: break
        }
        switch r.typstorage {
        case "p": q += ",\n    STORAGE = plain"
        case "e": q += ",\n    STORAGE = external"
        case "x": q += ",\n    STORAGE = extended"
        case "m": q += ",\n    STORAGE = main"
        default: break
        }
        if r.typbyval { q += ",\n    PASSEDBYVALUE" }
        q += "\n);\n"
        // CASCADE: the type and its I/O functions depend on each other.
        try typeEntries(t, create: q, drop: "DROP TYPE \(qual) CASCADE;\n")
    }

    /// pg_dump's dumpDomain, with the comments on its constraints.
    func dumpDomain(_ t: TypeInfo) throws {
        let r = try cat.domainDetails(oid: t.catId.oid)
        var typdefault: String? = nil
        var defaultIsLiteral = false
        if let bin = r.typdefaultbin {
            typdefault = bin
        } else if let d = r.typdefault {
            typdefault = d
            defaultIsLiteral = true
        }
        let qtypname = fmtId(t.name)
        let qual = qualified(t)
        var q = "CREATE DOMAIN \(qual) AS " + r.typdefn
        // Collation only if it differs from the base type's.
        let coll = r.typcollation
        if coll != 0, let c = catalog.collation(oid: coll) { q += " COLLATE " + qualified(c) }
        if r.typnotnull {
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
        let atts = try cat.compositeTypeAttributes(oid: t.catId.oid)
        let qual = qualified(t)
        var q = "CREATE TYPE \(qual) AS ("
        var actual = 0
        for a in atts where !a.attisdropped {
            if actual > 0 { q += "," }
            actual += 1
            q += "\n\t" + fmtId(a.attname) + " " + a.atttypdefn
            let coll = a.attcollation
            if coll != 0, let c = catalog.collation(oid: coll) { q += " COLLATE " + qualified(c) }
        }
        q += "\n);\n"
        try typeEntries(t, create: q, drop: "DROP TYPE \(qual);\n")
        if t.dump.contains(.comment) { try dumpCompositeTypeColComments(t, atts) }
    }

    /// pg_dump's dumpCompositeTypeColComments: one COMMENT entry per commented attribute.
    func dumpCompositeTypeColComments(_ t: TypeInfo, _ atts: [CompositeTypeAttribute]) throws {
        if options.noComments { return }
        // The comments on the type's pg_class entry, as collectComments kept them.
        for (subid, descr) in findComments(CatalogId(tableoid: CatalogTable.pgClass, oid: t.typrelid)) {
            guard let att = atts.first(where: { $0.attnum == subid && !$0.attisdropped }) else {
                continue
            }
            let attname = att.attname
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
    func dumpShellType(_ st: ShellTypeInfo) throws {
        guard options.dumpSchema else { return }
        if st.dump.contains(.definition) {
            archiveEntry(catId: st.catId, dumpId: st.dumpId, EntryOptions(
                tag: st.name, namespace: nspName(st), owner: st.baseType.ownerName, description: "SHELL TYPE",
                section: .preData, createStmt: "CREATE TYPE \(qualified(st));\n"))
        }
    }
}
