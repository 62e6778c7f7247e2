import Archive
import Catalog

// CREATE OPERATOR, ACCESS METHOD, OPERATOR CLASS and OPERATOR FAMILY entries (pg_dump's
// dumpOpr, dumpAccessMethod, dumpOpclass, dumpOpfamily).
extension DumpContext {
    /// pg_dump's dumpOpr.
    func dumpOprInfo(_ o: OprInfo) throws {
        guard options.dumpSchema else { return }
        // Operators made as shells (a commutator named before it existed) have no code.
        if o.oprcode == 0 { return }
        let r = try singleRow("SELECT oprkind, "
            + "oprcode::pg_catalog.regprocedure, "
            + "oprleft::pg_catalog.regtype, "
            + "oprright::pg_catalog.regtype, "
            + "oprcom, "
            + "oprnegate, "
            + "oprrest::pg_catalog.regprocedure, "
            + "oprjoin::pg_catalog.regprocedure, "
            + "oprcanmerge, oprcanhash "
            + "FROM pg_catalog.pg_operator "
            + "WHERE oid = '\(o.catId.oid)'::pg_catalog.oid")
        let oprkind = r.str("oprkind")
        let oprcode = r.str("oprcode")
        let oprleft = r.str("oprleft"), oprright = r.str("oprright")
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
        if let com = formattedOperatorName(r.oid("oprcom")) { details += ",\n    COMMUTATOR = " + com }
        if let neg = formattedOperatorName(r.oid("oprnegate")) { details += ",\n    NEGATOR = " + neg }
        if r.bool("oprcanmerge") { details += ",\n    MERGES" }
        if r.bool("oprcanhash") { details += ",\n    HASHES" }
        if let rest = convertRegProcReference(r.str("oprrest")) { details += ",\n    RESTRICT = " + rest }
        if let join = convertRegProcReference(r.str("oprjoin")) { details += ",\n    JOIN = " + join }

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
    func dumpAccessMethodInfo(_ a: AccessMethodInfo) throws {
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

    /// The OPERATOR members of an operator class or family tied to it by pg_depend.
    private func amopRows(refclass: String, refobjid: UInt32, family: String) throws -> [Row] {
        try rows("SELECT amopstrategy, "
            + "amopopr::pg_catalog.regoperator, "
            + "opfname AS sortfamily, "
            + "nspname AS sortfamilynsp "
            + "FROM pg_catalog.pg_amop ao JOIN pg_catalog.pg_depend ON "
            + "(classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND objid = ao.oid) "
            + "LEFT JOIN pg_catalog.pg_opfamily f ON f.oid = amopsortfamily "
            + "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = opfnamespace "
            + "WHERE refclassid = 'pg_catalog.\(refclass)'::pg_catalog.regclass "
            + "AND refobjid = '\(refobjid)'::pg_catalog.oid "
            + "AND amopfamily = '\(family)'::pg_catalog.oid "
            + "ORDER BY amopstrategy")
    }

    /// The FUNCTION members of an operator class or family tied to it by pg_depend.
    private func amprocRows(refclass: String, refobjid: UInt32) throws -> [Row] {
        try rows("SELECT amprocnum, "
            + "amproc::pg_catalog.regprocedure, "
            + "amproclefttype::pg_catalog.regtype, "
            + "amprocrighttype::pg_catalog.regtype "
            + "FROM pg_catalog.pg_amproc ap, pg_catalog.pg_depend "
            + "WHERE refclassid = 'pg_catalog.\(refclass)'::pg_catalog.regclass "
            + "AND refobjid = '\(refobjid)'::pg_catalog.oid "
            + "AND classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass "
            + "AND objid = ap.oid "
            + "ORDER BY amprocnum")
    }

    /// `OPERATOR n op [FOR ORDER BY family]`.
    private func amopItem(_ r: Row) -> String {
        var s = "OPERATOR \(r.str("amopstrategy")) \(r.str("amopopr"))"
        let sortfamily = r.str("sortfamily")
        if !sortfamily.isEmpty {
            s += " FOR ORDER BY " + fmtId(r.str("sortfamilynsp")) + "." + fmtId(sortfamily)
        }
        return s
    }

    /// pg_dump's dumpOpclass.
    func dumpOpclassInfo(_ o: OpclassInfo) throws {
        guard options.dumpSchema else { return }
        let r = try singleRow("SELECT opcintype::pg_catalog.regtype, "
            + "opckeytype::pg_catalog.regtype, "
            + "opcdefault, opcfamily, "
            + "opfname AS opcfamilyname, "
            + "nspname AS opcfamilynsp, "
            + "(SELECT amname FROM pg_catalog.pg_am WHERE oid = opcmethod) AS amname "
            + "FROM pg_catalog.pg_opclass c "
            + "LEFT JOIN pg_catalog.pg_opfamily f ON f.oid = opcfamily "
            + "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = opfnamespace "
            + "WHERE c.oid = '\(o.catId.oid)'::pg_catalog.oid")
        let opcintype = r.str("opcintype"), opckeytype = r.str("opckeytype")
        let opcfamily = r.str("opcfamily"), familyName = r.str("opcfamilyname")
        let amname = r.str("amname")
        let qual = qualified(o)
        let delq = "DROP OPERATOR CLASS \(qual) USING \(fmtId(amname));\n"
        var q = "CREATE OPERATOR CLASS \(qual)\n    "
        if r.bool("opcdefault") { q += "DEFAULT " }
        q += "FOR TYPE \(opcintype) USING \(fmtId(amname))"
        if !familyName.isEmpty {
            q += " FAMILY " + fmtId(r.str("opcfamilynsp")) + "." + fmtId(familyName)
        }
        q += " AS\n    "
        var needComma = false
        if opckeytype != "-" {
            q += "STORAGE " + opckeytype
            needComma = true
        }
        for op in try amopRows(refclass: "pg_opclass", refobjid: o.catId.oid, family: opcfamily) {
            if needComma { q += " ,\n    " }
            q += amopItem(op)
            needComma = true
        }
        for p in try amprocRows(refclass: "pg_opclass", refobjid: o.catId.oid) {
            if needComma { q += " ,\n    " }
            q += "FUNCTION " + p.str("amprocnum")
            let lt = p.str("amproclefttype"), rt = p.str("amprocrighttype")
            if !lt.isEmpty && !rt.isEmpty { q += " (\(lt), \(rt))" }
            q += " " + p.str("amproc")
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
    func dumpOpfamilyInfo(_ o: OpfamilyInfo) throws {
        guard options.dumpSchema else { return }
        let ops = try amopRows(refclass: "pg_opfamily", refobjid: o.catId.oid, family: "\(o.catId.oid)")
        let procs = try amprocRows(refclass: "pg_opfamily", refobjid: o.catId.oid)
        let r = try singleRow("SELECT "
            + "(SELECT amname FROM pg_catalog.pg_am WHERE oid = opfmethod) AS amname "
            + "FROM pg_catalog.pg_opfamily "
            + "WHERE oid = '\(o.catId.oid)'::pg_catalog.oid")
        let amname = r.str("amname")
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
                q += "FUNCTION \(p.str("amprocnum")) (\(p.str("amproclefttype")), \(p.str("amprocrighttype"))) \(p.str("amproc"))"
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
