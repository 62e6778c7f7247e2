// What dumpOpr, dumpOpclass and dumpOpfamily (pg_dump.c) read of one operator, operator
// class or operator family when they make its DDL. pg_dump runs these queries object by
// object as it dumps them, and so do these readers: same text, same order on the wire.

/// pg_dump's dumpOpr query: the operator as its DDL shows it.
public struct OperatorDetails {
    /// b (infix), l (prefix), r (postfix, old servers).
    public let oprkind: String
    /// regprocedure texts ("-" for none).
    public let oprcode: String, oprrest: String, oprjoin: String
    /// regtype texts.
    public let oprleft: String, oprright: String
    public let oprcom: UInt32, oprnegate: UInt32
    public let oprcanmerge: Bool, oprcanhash: Bool
}

/// pg_dump's dumpOpclass query.
public struct OpclassDetails {
    /// regtype texts; `opckeytype` is "-" when the class stores the input type.
    public let opcintype: String, opckeytype: String
    public let opcdefault: Bool
    /// The family's OID as text, and its name and schema ("" when none).
    public let opcfamily: String, opcfamilyname: String, opcfamilynsp: String
    public let amname: String
}

/// An OPERATOR member of an operator class or family.
public struct OpclassOperator {
    public let amopstrategy: String
    /// regoperator text.
    public let amopopr: String
    /// The ORDER BY family and its schema, "" when none.
    public let sortfamily: String, sortfamilynsp: String
}

/// A FUNCTION member of an operator class or family.
public struct OpclassFunction {
    public let amprocnum: String
    /// regprocedure text.
    public let amproc: String
    /// regtype texts ("" when NULL).
    public let amproclefttype: String, amprocrighttype: String
}

extension CatalogContext {
    /// dumpOpr's query for operator `oid`.
    public func operatorDetails(oid: UInt32) throws -> OperatorDetails {
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
            + "WHERE oid = '\(oid)'::pg_catalog.oid")
        return OperatorDetails(
            oprkind: r.str("oprkind"), oprcode: r.str("oprcode"), oprrest: r.str("oprrest"),
            oprjoin: r.str("oprjoin"), oprleft: r.str("oprleft"), oprright: r.str("oprright"),
            oprcom: r.oid("oprcom"), oprnegate: r.oid("oprnegate"),
            oprcanmerge: r.bool("oprcanmerge"), oprcanhash: r.bool("oprcanhash"))
    }

    /// dumpOpclass's first query, for operator class `oid`.
    public func opclassDetails(oid: UInt32) throws -> OpclassDetails {
        let r = try singleRow("SELECT opcintype::pg_catalog.regtype, "
            + "opckeytype::pg_catalog.regtype, "
            + "opcdefault, opcfamily, "
            + "opfname AS opcfamilyname, "
            + "nspname AS opcfamilynsp, "
            + "(SELECT amname FROM pg_catalog.pg_am WHERE oid = opcmethod) AS amname "
            + "FROM pg_catalog.pg_opclass c "
            + "LEFT JOIN pg_catalog.pg_opfamily f ON f.oid = opcfamily "
            + "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = opfnamespace "
            + "WHERE c.oid = '\(oid)'::pg_catalog.oid")
        return OpclassDetails(
            opcintype: r.str("opcintype"), opckeytype: r.str("opckeytype"), opcdefault: r.bool("opcdefault"),
            opcfamily: r.str("opcfamily"), opcfamilyname: r.str("opcfamilyname"),
            opcfamilynsp: r.str("opcfamilynsp"), amname: r.str("amname"))
    }

    /// dumpOpfamily's last query: the family's access method name.
    public func opfamilyAccessMethodName(oid: UInt32) throws -> String {
        try singleRow("SELECT "
            + "(SELECT amname FROM pg_catalog.pg_am WHERE oid = opfmethod) AS amname "
            + "FROM pg_catalog.pg_opfamily "
            + "WHERE oid = '\(oid)'::pg_catalog.oid").str("amname")
    }

    /// The OPERATOR members of an operator class or family tied to it by pg_depend
    /// (`refclass` pg_opclass or pg_opfamily), of family `family`.
    public func opclassOperators(refclass: String, refobjid: UInt32, family: String) throws -> [OpclassOperator] {
        try query("SELECT amopstrategy, "
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
            + "ORDER BY amopstrategy").map {
            OpclassOperator(amopstrategy: $0.str("amopstrategy"), amopopr: $0.str("amopopr"),
                            sortfamily: $0.str("sortfamily"), sortfamilynsp: $0.str("sortfamilynsp"))
        }
    }

    /// The FUNCTION members of an operator class or family tied to it by pg_depend.
    public func opclassFunctions(refclass: String, refobjid: UInt32) throws -> [OpclassFunction] {
        try query("SELECT amprocnum, "
            + "amproc::pg_catalog.regprocedure, "
            + "amproclefttype::pg_catalog.regtype, "
            + "amprocrighttype::pg_catalog.regtype "
            + "FROM pg_catalog.pg_amproc ap, pg_catalog.pg_depend "
            + "WHERE refclassid = 'pg_catalog.\(refclass)'::pg_catalog.regclass "
            + "AND refobjid = '\(refobjid)'::pg_catalog.oid "
            + "AND classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass "
            + "AND objid = ap.oid "
            + "ORDER BY amprocnum").map {
            OpclassFunction(amprocnum: $0.str("amprocnum"), amproc: $0.str("amproc"),
                            amproclefttype: $0.str("amproclefttype"), amprocrighttype: $0.str("amprocrighttype"))
        }
    }
}
