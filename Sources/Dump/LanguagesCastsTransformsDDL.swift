import Archive
import Catalog

// CREATE PROCEDURAL LANGUAGE, CAST and TRANSFORM entries (pg_dump's dumpProcLang, dumpCast,
// dumpTransform).
extension DumpContext {
    /// A support function of a language, if it is dumped (not-dumped counts as not found).
    private func dumpedFunction(_ oid: UInt32) -> FuncInfo? {
        guard let f = catalog.function(oid: oid), !f.dump.isEmpty else { return nil }
        return f
    }

    /// pg_dump's dumpProcLang: with its handler, inline and validator functions when they
    /// are dumped too; otherwise a parameterless CREATE OR REPLACE (CREATE EXTENSION).
    func dumpProcLang(_ l: ProcLangInfo) throws {
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
    func dumpCast(_ c: CastInfo) throws {
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
    func dumpTransform(_ t: TransformInfo) throws {
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
