import Archive
import Catalog

// CREATE OPERATOR, ACCESS METHOD, OPERATOR CLASS and OPERATOR FAMILY entries (pg_dump's
// dumpOpr, dumpAccessMethod, dumpOpclass, dumpOpfamily).
extension DumpContext {
    /// pg_dump's dumpOpr.
    func dumpOpr(_ o: OprInfo) throws {
        guard options.dumpSchema else { return }
        // Operators made as shells (a commutator named before it existed) have no code.
        if o.oprcode == 0 { return }
        let r = try cat.operatorDetails(oid: o.catId.oid)
        let oprkind = r.oprkind
        let oprcode = r.oprcode
        let oprleft = r.oprleft, oprright = r.oprright
        if oprkind == "r" {
            typeFuncWarning("postfix operators are not supported anymore (operator \"\(oprcode)\")")
        }
        var details = ""
        if let fn = convertRegProcReference(oprcode) { details += "    FUNCTION = " + fn }
        var oprid = o.name + " ("
        // "r" (right unary) has a left argument, "l" a right one.
        if oprkind == "r" || oprkind == "b" {
            details += ",\n    LEFTARG = " + oprleft
            oprid += oprleft
        } else {
            oprid += "NONE"
        }
        if oprkind == "l" || oprkind == "b" {
            details += ",\n    RIGHTARG = " + oprright
            oprid += ", " + oprright + ")"
        } else {
            oprid += ", NONE)"
        }
        if let com = formattedOperatorName(r.oprcom) { details += ",\n    COMMUTATOR = " + com }
        if let neg = formattedOperatorName(r.oprnegate) { details += ",\n    NEGATOR = " + neg }
        if r.oprcanmerge { details += ",\n    MERGES" }
        if r.oprcanhash { details += ",\n    HASHES" }
        if let rest = convertRegProcReference(r.oprrest) { details += ",\n    RESTRICT = " + rest }
        if let join = convertRegProcReference(r.oprjoin) { details += ",\n    JOIN = " + join }

        let nsp = fmtId(o.namespace?.name ?? "")
        let delq = "DROP OPERATOR \(nsp).\(oprid);\n"
        let q = "CREATE OPERATOR \(nsp).\(o.name) (\n\(details)\n);\n"
        if o.dump.contains(.definition) {
            archiveEntry(catId: o.catId, dumpId: o.dumpId, EntryOptions(
                tag: o.name, namespace: nspName(o), owner: o.ownerName, description: "OPERATOR",
                section: .preData, createStmt: q, dropStmt: delq))
        }
        if o.dump.contains(.comment) {
            try dumpComment(type: "OPERATOR", name: oprid, namespace: nspName(o), owner: o.ownerName,
                            catId: o.catId, dumpId: o.dumpId)
        }
    }

    /// pg_dump's dumpAccessMethod.
    func dumpAccessMethod(_ a: AccessMethodInfo) throws {
        guard options.dumpSchema else { return }
        let qamname = fmtId(a.name)
        var q = "CREATE ACCESS METHOD \(qamname) "
        switch a.amtype {
        case "i": q += "TYPE INDEX "
        case "t": q += "TYPE TABLE "
        default:
            typeFuncWarning("invalid type \"\(a.amtype)\" of access method \"\(qamname)\"")
            return
        }
        q += "HANDLER \(a.amhandler);\n"
        if a.dump.contains(.definition) {
            archiveEntry(catId: a.catId, dumpId: a.dumpId, EntryOptions(
                tag: a.name, description: "ACCESS METHOD", section: .preData,
                createStmt: q, dropStmt: "DROP ACCESS METHOD \(qamname);\n"))
        }
        if a.dump.contains(.comment) {
            try dumpComment(type: "ACCESS METHOD", name: qamname, namespace: nil, owner: "",
                            catId: a.catId, dumpId: a.dumpId)
        }
    }

    /// `OPERATOR n op [FOR ORDER BY family]`.
    private func amopItem(_ op: OpclassOperator) -> String {
        var s = "OPERATOR \(op.amopstrategy) \(op.amopopr)"
        if !op.sortfamily.isEmpty {
            s += " FOR ORDER BY " + fmtId(op.sortfamilynsp) + "." + fmtId(op.sortfamily)
        }
        return s
    }

    /// pg_dump's dumpOpclass.
    func dumpOpclass(_ o: OpclassInfo) throws {
        guard options.dumpSchema else { return }
        let r = try cat.opclassDetails(oid: o.catId.oid)
        let opcintype = r.opcintype, opckeytype = r.opckeytype
        let opcfamily = r.opcfamily, familyName = r.opcfamilyname
        let amname = r.amname
        let qual = qualified(o)
        let delq = "DROP OPERATOR CLASS \(qual) USING \(fmtId(amname));\n"
        var q = "CREATE OPERATOR CLASS \(qual)\n    "
        if r.opcdefault { q += "DEFAULT " }
        q += "FOR TYPE \(opcintype) USING \(fmtId(amname))"
        if !familyName.isEmpty {
            q += " FAMILY " + fmtId(r.opcfamilynsp) + "." + fmtId(familyName)
        }
        q += " AS\n    "
        var needComma = false
        if opckeytype != "-" {
            q += "STORAGE " + opckeytype
            needComma = true
        }
        for op in try cat.opclassOperators(refclass: "pg_opclass", refobjid: o.catId.oid, family: opcfamily) {
            if needComma { q += " ,\n    " }
            q += amopItem(op)
            needComma = true
        }
        for p in try cat.opclassFunctions(refclass: "pg_opclass", refobjid: o.catId.oid) {
            if needComma { q += " ,\n    " }
            q += "FUNCTION " + p.amprocnum
            let lt = p.amproclefttype, rt = p.amprocrighttype
            if !lt.isEmpty && !rt.isEmpty { q += " (\(lt), \(rt))" }
            q += " " + p.amproc
            needComma = true
        }
        // Nothing after AS: a no-op STORAGE clause keeps the command valid.
        if !needComma { q += "STORAGE " + opcintype }
        q += ";\n"
        let nameusing = fmtId(o.name) + " USING " + fmtId(amname)
        if o.dump.contains(.definition) {
            archiveEntry(catId: o.catId, dumpId: o.dumpId, EntryOptions(
                tag: o.name, namespace: nspName(o), owner: o.ownerName, description: "OPERATOR CLASS",
                section: .preData, createStmt: q, dropStmt: delq))
        }
        if o.dump.contains(.comment) {
            try dumpComment(type: "OPERATOR CLASS", name: nameusing, namespace: nspName(o), owner: o.ownerName,
                            catId: o.catId, dumpId: o.dumpId)
        }
    }

    /// pg_dump's dumpOpfamily, with the "loose" members not bound to one of its classes.
    func dumpOpfamily(_ o: OpfamilyInfo) throws {
        guard options.dumpSchema else { return }
        let ops = try cat.opclassOperators(refclass: "pg_opfamily", refobjid: o.catId.oid, family: "\(o.catId.oid)")
        let procs = try cat.opclassFunctions(refclass: "pg_opfamily", refobjid: o.catId.oid)
        let amname = try cat.opfamilyAccessMethodName(oid: o.catId.oid)
        let qual = qualified(o)
        let delq = "DROP OPERATOR FAMILY \(qual) USING \(fmtId(amname));\n"
        var q = "CREATE OPERATOR FAMILY \(qual) USING \(fmtId(amname));\n"
        if !ops.isEmpty || !procs.isEmpty {
            q += "ALTER OPERATOR FAMILY \(qual) USING \(fmtId(amname)) ADD\n    "
            var needComma = false
            for op in ops {
                if needComma { q += " ,\n    " }
                q += amopItem(op)
                needComma = true
            }
            for p in procs {
                if needComma { q += " ,\n    " }
                q += "FUNCTION \(p.amprocnum) (\(p.amproclefttype), \(p.amprocrighttype)) \(p.amproc)"
                needComma = true
            }
            q += ";\n"
        }
        let nameusing = fmtId(o.name) + " USING " + fmtId(amname)
        if o.dump.contains(.definition) {
            archiveEntry(catId: o.catId, dumpId: o.dumpId, EntryOptions(
                tag: o.name, namespace: nspName(o), owner: o.ownerName, description: "OPERATOR FAMILY",
                section: .preData, createStmt: q, dropStmt: delq))
        }
        if o.dump.contains(.comment) {
            try dumpComment(type: "OPERATOR FAMILY", name: nameusing, namespace: nspName(o), owner: o.ownerName,
                            catId: o.catId, dumpId: o.dumpId)
        }
    }
}
