import Archive
import Catalog

// CREATE COLLATION, CONVERSION, PROCEDURAL LANGUAGE, CAST and TRANSFORM entries (pg_dump's
// dumpCollation, dumpConversion, dumpProcLang, dumpCast, dumpTransform).
extension DumpContext {
    /// pg_dump's dumpCollation.
    func dumpCollationInfo(_ c: CollInfo) throws {
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
    func dumpConversionInfo(_ c: ConvInfo) throws {
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

    /// A support function of a language, if it is dumped (not-dumped counts as not found).
    private func dumpedFunction(_ oid: UInt32) -> FuncInfo? {
        guard let f = catalog.function(oid: oid), !f.dump.isEmpty else { return nil }
        return f
    }

    /// pg_dump's dumpProcLang: with its handler, inline and validator functions when they
    /// are dumped too; otherwise a parameterless CREATE OR REPLACE (CREATE EXTENSION).
    func dumpProcLangInfo(_ l: ProcLangInfo) throws {
        guard options.dumpSchema else { return }
        let handler = dumpedFunction(l.lanplcallfoid)
        let inline = l.laninline != 0 ? dumpedFunction(l.laninline) : nil
        let validator = l.lanvalidator != 0 ? dumpedFunction(l.lanvalidator) : nil
        let qlanname = fmtId(l.name)
        var q: String
        if let handler, inline != nil || l.laninline == 0, validator != nil || l.lanvalidator == 0 {
            q = "CREATE \(l.lanpltrusted ? "TRUSTED " : "")PROCEDURAL LANGUAGE \(qlanname)"
            q += " HANDLER " + qualified(handler)
            if let inline { q += " INLINE " + qualified(inline) }
            if let validator { q += " VALIDATOR " + qualified(validator) }
        } else {
            q = "CREATE OR REPLACE PROCEDURAL LANGUAGE \(qlanname)"
        }
        q += ";\n"
        if l.dump.contains(.definition) {
            archiveEntry(catId: l.catId, dumpId: l.dumpId, EntryOptions(
                tag: l.name, owner: l.ownerName, description: "PROCEDURAL LANGUAGE", section: .preData,
                createStmt: q, dropStmt: "DROP PROCEDURAL LANGUAGE \(qlanname);\n"))
        }
        if l.dump.contains(.comment) {
            try dumpComment(type: "LANGUAGE", name: qlanname, namespace: nil, owner: l.ownerName,
                            catId: l.catId, dumpId: l.dumpId)
        }
        if l.dump.contains(.secLabel) {
            try dumpSecLabel(type: "LANGUAGE", name: qlanname, namespace: nil, owner: l.ownerName,
                             catId: l.catId, dumpId: l.dumpId)
        }
        if l.lanpltrusted && l.dump.contains(.acl) {
            try dumpACL(objDumpId: l.dumpId, type: "LANGUAGE", name: qlanname, nspname: nil,
                        owner: l.ownerName, dacl: l.dacl)
        }
    }

    /// pg_dump's dumpCast.
    func dumpCastInfo(_ c: CastInfo) throws {
        guard options.dumpSchema else { return }
        var funcInfo: FuncInfo? = nil
        if c.castfunc != 0 {
            guard let f = catalog.function(oid: c.castfunc) else {
                throw TypeFuncDumpError(description: "could not find function definition for function with OID \(c.castfunc)")
            }
            funcInfo = f
        }
        let source = try formattedTypeName(c.castsource, .none)
        let target = try formattedTypeName(c.casttarget, .none)
        var q = "CREATE CAST (\(source) AS \(target)) "
        switch c.castmethod {
        case "b": q += "WITHOUT FUNCTION"
        case "i": q += "WITH INOUT"
        case "f":
            if let f = funcInfo {
                // Always qualified (the signature is not).
                q += "WITH FUNCTION " + fmtId(f.namespace?.name ?? "") + "." + (try formatFunctionSignature(f, honorQuotes: true))
            } else {
                typeFuncWarning("bogus value in pg_cast.castfunc or pg_cast.castmethod field")
            }
        default: typeFuncWarning("bogus value in pg_cast.castmethod field")
        }
        if c.castcontext == "a" {
            q += " AS ASSIGNMENT"
        } else if c.castcontext == "i" {
            q += " AS IMPLICIT"
        }
        q += ";\n"
        let castargs = "(\(source) AS \(target))"
        if c.dump.contains(.definition) {
            archiveEntry(catId: c.catId, dumpId: c.dumpId, EntryOptions(
                tag: "CAST " + castargs, description: "CAST", section: .preData,
                createStmt: q, dropStmt: "DROP CAST \(castargs);\n"))
        }
        if c.dump.contains(.comment) {
            try dumpComment(type: "CAST", name: castargs, namespace: nil, owner: "",
                            catId: c.catId, dumpId: c.dumpId)
        }
    }

    /// pg_dump's dumpTransform.
    func dumpTransformInfo(_ t: TransformInfo) throws {
        guard options.dumpSchema else { return }
        var fromsql: FuncInfo? = nil, tosql: FuncInfo? = nil
        if t.trffromsql != 0 {
            guard let f = catalog.function(oid: t.trffromsql) else {
                throw TypeFuncDumpError(description: "could not find function definition for function with OID \(t.trffromsql)")
            }
            fromsql = f
        }
        if t.trftosql != 0 {
            guard let f = catalog.function(oid: t.trftosql) else {
                throw TypeFuncDumpError(description: "could not find function definition for function with OID \(t.trftosql)")
            }
            tosql = f
        }
        let lanname = try cat.languageName(t.trflang) ?? ""
        let type = try formattedTypeName(t.trftype, .none)
        var q = "CREATE TRANSFORM FOR \(type) LANGUAGE \(lanname) ("
        if t.trffromsql == 0 && t.trftosql == 0 {
            typeFuncWarning("bogus transform definition, at least one of trffromsql and trftosql should be nonzero")
        }
        if t.trffromsql != 0 {
            if let f = fromsql {
                q += "FROM SQL WITH FUNCTION " + fmtId(f.namespace?.name ?? "") + "." + (try formatFunctionSignature(f, honorQuotes: true))
            } else {
                typeFuncWarning("bogus value in pg_transform.trffromsql field")
            }
        }
        if t.trftosql != 0 {
            if t.trffromsql != 0 { q += ", " }
            if let f = tosql {
                q += "TO SQL WITH FUNCTION " + fmtId(f.namespace?.name ?? "") + "." + (try formatFunctionSignature(f, honorQuotes: true))
            } else {
                typeFuncWarning("bogus value in pg_transform.trftosql field")
            }
        }
        q += ");\n"
        let args = "FOR \(type) LANGUAGE \(lanname)"
        if t.dump.contains(.definition) {
            archiveEntry(catId: t.catId, dumpId: t.dumpId, EntryOptions(
                tag: "TRANSFORM " + args, description: "TRANSFORM", section: .preData,
                createStmt: q, dropStmt: "DROP TRANSFORM \(args);\n", deps: t.dependencies))
        }
        if t.dump.contains(.comment) {
            try dumpComment(type: "TRANSFORM", name: args, namespace: nil, owner: "",
                            catId: t.catId, dumpId: t.dumpId)
        }
    }
}
