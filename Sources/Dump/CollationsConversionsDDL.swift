import Archive
import Catalog

// CREATE COLLATION and CONVERSION entries (pg_dump's dumpCollation, dumpConversion). What they
// read of each object is read in Catalog/CollationConversionDetails.swift.
extension DumpContext {
    /// pg_dump's dumpCollation.
    func dumpCollation(_ c: CollInfo) throws {
        guard options.dumpSchema else { return }
        let v = remoteVersion
        let r = try cat.collationDetails(oid: c.catId.oid)
        let provider = r.provider
        var collcollate = r.collcollate, collctype = r.collctype
        // Before 15 these were non-null names; empty means none.
        if v < 150000 {
            if collcollate == "" { collcollate = nil }
            if collctype == "" { collctype = nil }
        }
        let colllocale = r.colllocale, icurules = r.collicurules
        let qcollname = fmtId(c.name)
        let qual = qualified(c)

        var q = "CREATE COLLATION \(qual) (provider = "
        switch provider {
        case "b": q += "builtin"
        case "c": q += "libc"
        case "i": q += "icu"
        case "d": q += "default"  // only to allow dumping pg_catalog; not accepted on input
        default: throw TypeFuncDumpError(description: "unrecognized collation provider: \(provider)")
        }
        if !r.deterministic { q += ", deterministic = false" }
        switch provider {
        case "d":
            if collcollate != nil || collctype != nil || colllocale != nil || icurules != nil {
                typeFuncWarning("invalid collation \"\(qcollname)\"")
            }
        case "b":
            if collcollate != nil || collctype != nil || colllocale == nil || icurules != nil {
                typeFuncWarning("invalid collation \"\(qcollname)\"")
            }
            q += ", locale = " + literal(colllocale ?? "")
        case "i":
            if v >= 150000 {
                if collcollate != nil || collctype != nil || colllocale == nil {
                    typeFuncWarning("invalid collation \"\(qcollname)\"")
                }
                q += ", locale = " + literal(colllocale ?? "")
            } else {
                if collcollate == nil || collctype == nil || colllocale != nil || collcollate != collctype {
                    typeFuncWarning("invalid collation \"\(qcollname)\"")
                }
                q += ", locale = " + literal(collcollate ?? "")
            }
            if let rules = icurules { q += ", rules = " + literal(rules) }
        default: // libc
            if colllocale != nil || icurules != nil || collcollate == nil || collctype == nil {
                typeFuncWarning("invalid collation \"\(qcollname)\"")
            }
            if let cc = collcollate, let ct = collctype, cc == ct {
                q += ", locale = " + literal(cc)
            } else {
                q += ", lc_collate = " + literal(collcollate ?? "") + ", lc_ctype = " + literal(collctype ?? "")
            }
        }
        // The version is left for the restore to compute (binary upgrade only carries it).
        q += ");\n"
        if c.dump.contains(.definition) {
            archiveEntry(catId: c.catId, dumpId: c.dumpId, EntryOptions(
                tag: c.name, namespace: nspName(c), owner: c.ownerName, description: "COLLATION",
                section: .preData, createStmt: q, dropStmt: "DROP COLLATION \(qual);\n"))
        }
        if c.dump.contains(.comment) {
            try dumpComment(type: "COLLATION", name: qcollname, namespace: nspName(c), owner: c.ownerName,
                            catId: c.catId, dumpId: c.dumpId)
        }
    }

    /// pg_dump's dumpConversion.
    func dumpConversion(_ c: ConvInfo) throws {
        guard options.dumpSchema else { return }
        let r = try cat.conversionDetails(oid: c.catId.oid)
        let qual = qualified(c)
        // regproc output is quoted already.
        let q = "CREATE \(r.condefault ? "DEFAULT " : "")CONVERSION \(qual) FOR "
            + literal(r.conforencoding) + " TO " + literal(r.contoencoding)
            + " FROM \(r.conproc);\n"
        if c.dump.contains(.definition) {
            archiveEntry(catId: c.catId, dumpId: c.dumpId, EntryOptions(
                tag: c.name, namespace: nspName(c), owner: c.ownerName, description: "CONVERSION",
                section: .preData, createStmt: q, dropStmt: "DROP CONVERSION \(qual);\n"))
        }
        if c.dump.contains(.comment) {
            try dumpComment(type: "CONVERSION", name: fmtId(c.name), namespace: nspName(c), owner: c.ownerName,
                            catId: c.catId, dumpId: c.dumpId)
        }
    }
}
