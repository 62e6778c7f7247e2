import Archive
import Catalog

// CREATE FUNCTION / PROCEDURE / AGGREGATE entries (pg_dump's dumpFunc and dumpAgg).
extension DumpContext {
    /// pg_dump's dumpFunc: one function or procedure, with its comment, security label and
    /// ACL entries.
    func dumpFunc(_ f: FuncInfo) throws {
        guard options.dumpSchema else { return }
        let r = try cat.functionDetails(oid: f.catId.oid)

        let proretset = r.proretset
        let prosqlbody = r.prosqlbody
        let prosrc = r.prosrc, probin = r.probin
        let funcargs = r.funcargs, funciargs = r.funciargs
        let funcresult = r.funcresult
        let protrftypes = r.protrftypes
        let prokind = r.prokind ?? "f"
        let provolatile = r.provolatile ?? "v"
        let procost = r.procost, prorows = r.prorows
        let prosupport = r.prosupport
        let proparallel = r.proparallel ?? "u"
        let lanname = r.lanname

        // The AS clause (see functioncmds.c).
        var asPart = ""
        if let body = prosqlbody {
            asPart = body
        } else if !probin.isEmpty {
            asPart = "AS " + literal(probin)
            if !prosrc.isEmpty {
                asPart += ", "
                // With a bin, dollar-quote the src only if it holds a quote or backslash.
                if options.disableDollarQuoting || (!prosrc.utf8.contains(0x27) && !prosrc.utf8.contains(0x5c)) {
                    asPart += literal(prosrc)
                } else {
                    asPart += dollarQuoted(prosrc)
                }
            }
        } else {
            asPart = "AS " + (options.disableDollarQuoting ? literal(prosrc) : dollarQuoted(prosrc))
        }

        var configItems: [String] = []
        if let cfg = r.proconfig, !cfg.isEmpty {
            guard let items = parsePGArray(cfg) else {
                throw TypeFuncDumpError(description: "could not parse proconfig array")
            }
            configItems = items
        }

        let funcfullsig = formatFunctionArguments(f, funcargs, isAgg: false)
        let funcsig = formatFunctionArguments(f, funciargs, isAgg: false)
        let funcsigTag = try formatFunctionSignature(f, honorQuotes: false)
        let nsp = fmtId(f.namespace?.name ?? "")
        let qualFuncsig = nsp + "." + funcsig
        let keyword = prokind == "p" ? "PROCEDURE" : "FUNCTION"

        let delq = "DROP \(keyword) \(qualFuncsig);\n"
        var q = "CREATE \(keyword) \(nsp).\(funcfullsig)"
        if prokind != "p" {
            if let res = funcresult {
                q += " RETURNS " + res
            } else {
                q += " RETURNS " + (proretset ? "SETOF " : "") + (try formattedTypeName(f.prorettype, .error))
            }
        }
        q += "\n    LANGUAGE " + fmtId(lanname)
        if !protrftypes.isEmpty {
            q += " TRANSFORM "
            for (i, oid) in parseOidArray(protrftypes).enumerated() {
                if oid == 0 { break }
                if i != 0 { q += ", " }
                q += "FOR TYPE " + (try formattedTypeName(oid, .none))
            }
        }
        if prokind == "w" { q += " WINDOW" }
        switch provolatile {
        case "i": q += " IMMUTABLE"
        case "s": q += " STABLE"
        case "v": break
        default: throw TypeFuncDumpError(description: "unrecognized provolatile value for function \"\(f.name)\"")
        }
        if r.proisstrict { q += " STRICT" }
        if r.prosecdef { q += " SECURITY DEFINER" }
        if r.proleakproof { q += " LEAKPROOF" }
        // COST and ROWS only when not the defaults (see functioncmds.c).
        if procost != "0" {
            if lanname == "internal" || lanname == "c" {
                if procost != "1" { q += " COST " + procost }
            } else if procost != "100" {
                q += " COST " + procost
            }
        }
        if proretset && prorows != "0" && prorows != "1000" { q += " ROWS " + prorows }
        // regprocout quotes and qualifies.
        if prosupport != "-" { q += " SUPPORT " + prosupport }
        switch proparallel {
        case "s": q += " PARALLEL SAFE"
        case "r": q += " PARALLEL RESTRICTED"
        case "u": break
        default: throw TypeFuncDumpError(description: "unrecognized proparallel value for function \"\(f.name)\"")
        }
        if cat.mpp != nil { q += try mppFunctionClauses(f.catId.oid) }
        for item in configItems {
            guard let eq = item.firstIndex(of: "=") else { continue }
            let name = String(item[..<eq])
            let value = String(item[item.index(after: eq)...])
            q += "\n    SET \(fmtId(name)) TO "
            // GUC_LIST_QUOTE settings were quoted element by element when stored: split
            // them and quote each element as a literal. Others are one literal.
            if variableIsGucListQuote(name) {
                if let elems = splitGUCList(value) {
                    q += elems.map { literal($0) }.joined(separator: ", ")
                }
            } else {
                q += literal(value)
            }
        }
        q += "\n    \(asPart)"
        if cat.mpp != nil { q += try mppDescribeClause(f.catId.oid) }
        q += ";\n"
        q += try dependsOnExtensionSQL(f, catalogName: "pg_catalog.pg_proc", keyword: keyword, objName: qualFuncsig)

        if f.dump.contains(.definition) {
            archiveEntry(catId: f.catId, dumpId: f.dumpId, EntryOptions(
                tag: funcsigTag, namespace: nspName(f), owner: f.ownerName, description: keyword,
                section: f.postponedDef ? .postData : .preData, createStmt: q, dropStmt: delq))
        }
        if f.dump.contains(.comment) {
            try dumpComment(type: keyword, name: funcsig, namespace: nspName(f), owner: f.ownerName,
                            catId: f.catId, dumpId: f.dumpId)
        }
        if f.dump.contains(.secLabel) {
            try dumpSecLabel(type: keyword, name: funcsig, namespace: nspName(f), owner: f.ownerName,
                             catId: f.catId, dumpId: f.dumpId)
        }
        if f.dump.contains(.acl) {
            try dumpACL(objDumpId: f.dumpId, type: keyword, name: funcsig, nspname: nspName(f),
                        owner: f.ownerName, dacl: f.dacl)
        }
    }

    /// pg_dump's dumpAgg.
    func dumpAgg(_ a: AggInfo) throws {
        guard options.dumpSchema else { return }
        let r = try cat.aggregateDetails(oid: a.catId.oid)

        let aggkind = r.aggkind ?? "n"
        let aggfullsig = formatFunctionArguments(a, r.funcargs, isAgg: true)
        let aggsig = formatFunctionArguments(a, r.funciargs, isAgg: true)
        let aggsigTag = try formatAggregateSignature(a, honorQuotes: false)

        // The default modify flag of the kind (must match DefineAggregate).
        let defaultModify: Character = aggkind == "n" ? "r" : "w"
        var finalModify = r.aggfinalmodify ?? "0"
        var mfinalModify = r.aggmfinalmodify ?? "0"
        if finalModify == "0" { finalModify = defaultModify }
        if mfinalModify == "0" { mfinalModify = defaultModify }

        func modifyClause(_ prefix: String, _ m: Character) throws -> String {
            switch m {
            case "r": return ",\n    \(prefix)_MODIFY = READ_ONLY"
            case "s": return ",\n    \(prefix)_MODIFY = SHAREABLE"
            case "w": return ",\n    \(prefix)_MODIFY = READ_WRITE"
            default:
                throw TypeFuncDumpError(description:
                    "unrecognized agg\(prefix.lowercased())modify value for aggregate \"\(a.name)\"")
            }
        }

        // regproc and regtype output is quoted already.
        var details = "    SFUNC = \(r.aggtransfn),\n    STYPE = \(r.aggtranstype)"
        let transspace = r.aggtransspace
        if transspace != "0" { details += ",\n    SSPACE = " + transspace }
        if let iv = r.agginitval { details += ",\n    INITCOND = " + literal(iv) }
        let finalfn = r.aggfinalfn
        if finalfn != "-" {
            details += ",\n    FINALFUNC = " + finalfn
            if r.aggfinalextra { details += ",\n    FINALFUNC_EXTRA" }
            if finalModify != defaultModify { details += try modifyClause("FINALFUNC", finalModify) }
        }
        let combinefn = r.aggcombinefn
        if combinefn != "-" { details += ",\n    COMBINEFUNC = " + combinefn }
        let serialfn = r.aggserialfn
        if serialfn != "-" { details += ",\n    SERIALFUNC = " + serialfn }
        let deserialfn = r.aggdeserialfn
        if deserialfn != "-" { details += ",\n    DESERIALFUNC = " + deserialfn }
        let mtransfn = r.aggmtransfn
        if mtransfn != "-" {
            details += ",\n    MSFUNC = \(mtransfn),\n    MINVFUNC = \(r.aggminvtransfn),\n    MSTYPE = \(r.aggmtranstype)"
        }
        let mtransspace = r.aggmtransspace
        if mtransspace != "0" { details += ",\n    MSSPACE = " + mtransspace }
        if let miv = r.aggminitval { details += ",\n    MINITCOND = " + literal(miv) }
        let mfinalfn = r.aggmfinalfn
        if mfinalfn != "-" {
            details += ",\n    MFINALFUNC = " + mfinalfn
            if r.aggmfinalextra { details += ",\n    MFINALFUNC_EXTRA" }
            if mfinalModify != defaultModify { details += try modifyClause("MFINALFUNC", mfinalModify) }
        }
        if let sortop = formattedOperatorName(r.aggsortop) { details += ",\n    SORTOP = " + sortop }
        if aggkind == "h" { details += ",\n    HYPOTHETICAL" }
        switch r.proparallel ?? "u" {
        case "s": details += ",\n    PARALLEL = safe"
        case "r": details += ",\n    PARALLEL = restricted"
        case "u": break
        default: throw TypeFuncDumpError(description: "unrecognized proparallel value for function \"\(a.name)\"")
        }

        let nsp = fmtId(a.namespace?.name ?? "")
        let delq = "DROP AGGREGATE \(nsp).\(aggsig);\n"
        let q = "CREATE AGGREGATE \(nsp).\(aggfullsig) (\n\(details)\n);\n"

        if a.dump.contains(.definition) {
            archiveEntry(catId: a.catId, dumpId: a.dumpId, EntryOptions(
                tag: aggsigTag, namespace: nspName(a), owner: a.ownerName, description: "AGGREGATE",
                section: .preData, createStmt: q, dropStmt: delq))
        }
        if a.dump.contains(.comment) {
            try dumpComment(type: "AGGREGATE", name: aggsig, namespace: nspName(a), owner: a.ownerName,
                            catId: a.catId, dumpId: a.dumpId)
        }
        if a.dump.contains(.secLabel) {
            try dumpSecLabel(type: "AGGREGATE", name: aggsig, namespace: nspName(a), owner: a.ownerName,
                             catId: a.catId, dumpId: a.dumpId)
        }
        // There is no GRANT ON AGGREGATE: the ACL is a function's, with a function-style
        // signature (which matters for zero-argument and ordered-set aggregates).
        if a.dump.contains(.acl) {
            let fsig = try formatFunctionSignature(a, honorQuotes: true)
            try dumpACL(objDumpId: a.dumpId, type: "FUNCTION", name: fsig, nspname: nspName(a),
                        owner: a.ownerName, dacl: a.dacl)
        }
    }
}
