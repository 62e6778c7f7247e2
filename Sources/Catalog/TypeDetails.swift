// What dumpEnumType, dumpRangeType, dumpBaseType, dumpDomain and dumpCompositeType (pg_dump.c)
// read of one type as they dump it: object by object, as pg_dump does, with its query text.

/// pg_dump's dumpRangeType query.
public struct RangeTypeDetails {
    /// format_type() texts; `rngmultitype` nil before 14.
    public let rngsubtype: String, rngmultitype: String?
    /// The subtype operator class, its schema, and whether it is the subtype's default.
    public let opcname: String, opcnsp: String, opcdefault: Bool
    /// The collation, 0 when the subtype's own.
    public let collation: UInt32
    /// regproc texts, "-" for none.
    public let rngcanonical: String, rngsubdiff: String
}

/// pg_dump's dumpBaseType query. regproc texts are "-" for none; each one's OID says
/// whether it is set.
public struct BaseTypeDetails {
    public let typlen: String
    public let typinput: String, typoutput: String
    public let typreceive: String, typreceiveoid: UInt32
    public let typsend: String, typsendoid: UInt32
    public let typmodin: String, typmodinoid: UInt32
    public let typmodout: String, typmodoutoid: UInt32
    public let typanalyze: String, typanalyzeoid: UInt32
    public let typsubscript: String, typsubscriptoid: UInt32
    public let typcollatable: Bool
    /// The default as an expression (pg_get_expr), else as the literal text; nil for none.
    public let typdefaultbin: String?, typdefault: String?
    public let typcategory: String, typispreferred: Bool, typdelim: String
    public let typalign: Character?, typstorage: Character?, typbyval: Bool
}

/// pg_dump's dumpDomain query.
public struct DomainDetails {
    public let typnotnull: Bool
    /// format_type() of the base type with its typmod.
    public let typdefn: String
    /// The default as an expression (pg_get_expr), else as the literal text; nil for none.
    public let typdefaultbin: String?, typdefault: String?
    /// The collation, 0 when the base type's.
    public let typcollation: UInt32
}

/// One attribute of a composite type (dumpCompositeType's query).
public struct CompositeTypeAttribute {
    public let attname: String
    public let attnum: Int
    /// format_type() with the typmod.
    public let atttypdefn: String
    public let attisdropped: Bool
    /// The collation, 0 when the attribute type's.
    public let attcollation: UInt32
}

extension CatalogContext {
    /// dumpEnumType's query: the labels of enum type `oid`, in sort order.
    public func enumLabels(oid: UInt32) throws -> [String] {
        try query("SELECT oid, enumlabel FROM pg_catalog.pg_enum "
                  + "WHERE enumtypid = '\(oid)'::pg_catalog.oid ORDER BY enumsortorder").map { $0.str("enumlabel") }
    }

    /// dumpRangeType's query for range type `oid`.
    public func rangeTypeDetails(oid: UInt32) throws -> RangeTypeDetails {
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
            + "rngtypid = '\(oid)'::pg_catalog.oid")
        return RangeTypeDetails(
            rngsubtype: r.str("rngsubtype"), rngmultitype: r.opt("rngmultitype"),
            opcname: r.str("opcname"), opcnsp: r.str("opcnsp"), opcdefault: r.bool("opcdefault"),
            collation: r.oid("collation"), rngcanonical: r.str("rngcanonical"), rngsubdiff: r.str("rngsubdiff"))
    }

    /// dumpBaseType's query for base type `oid`.
    public func baseTypeDetails(oid: UInt32) throws -> BaseTypeDetails {
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
            + "WHERE oid = '\(oid)'::pg_catalog.oid")
        return BaseTypeDetails(
            typlen: r.str("typlen"), typinput: r.str("typinput"), typoutput: r.str("typoutput"),
            typreceive: r.str("typreceive"), typreceiveoid: r.oid("typreceiveoid"),
            typsend: r.str("typsend"), typsendoid: r.oid("typsendoid"),
            typmodin: r.str("typmodin"), typmodinoid: r.oid("typmodinoid"),
            typmodout: r.str("typmodout"), typmodoutoid: r.oid("typmodoutoid"),
            typanalyze: r.str("typanalyze"), typanalyzeoid: r.oid("typanalyzeoid"),
            typsubscript: r.str("typsubscript"), typsubscriptoid: r.oid("typsubscriptoid"),
            typcollatable: r.bool("typcollatable"),
            typdefaultbin: r.opt("typdefaultbin"), typdefault: r.opt("typdefault"),
            typcategory: r.str("typcategory"), typispreferred: r.bool("typispreferred"), typdelim: r.str("typdelim"),
            typalign: r.char("typalign"), typstorage: r.char("typstorage"), typbyval: r.bool("typbyval"))
    }

    /// dumpDomain's query for domain `oid`.
    public func domainDetails(oid: UInt32) throws -> DomainDetails {
        let r = try singleRow("SELECT t.typnotnull, "
            + "pg_catalog.format_type(t.typbasetype, t.typtypmod) AS typdefn, "
            + "pg_catalog.pg_get_expr(t.typdefaultbin, 'pg_catalog.pg_type'::pg_catalog.regclass) AS typdefaultbin, "
            + "t.typdefault, "
            + "CASE WHEN t.typcollation <> u.typcollation "
            + "THEN t.typcollation ELSE 0 END AS typcollation "
            + "FROM pg_catalog.pg_type t "
            + "LEFT JOIN pg_catalog.pg_type u ON (t.typbasetype = u.oid) "
            + "WHERE t.oid = '\(oid)'::pg_catalog.oid")
        return DomainDetails(
            typnotnull: r.bool("typnotnull"), typdefn: r.str("typdefn"),
            typdefaultbin: r.opt("typdefaultbin"), typdefault: r.opt("typdefault"),
            typcollation: r.oid("typcollation"))
    }

    /// dumpCompositeType's query: the attributes of composite type `oid`, dropped ones
    /// included, in attnum order.
    public func compositeTypeAttributes(oid: UInt32) throws -> [CompositeTypeAttribute] {
        try query("SELECT a.attname, a.attnum, "
            + "pg_catalog.format_type(a.atttypid, a.atttypmod) AS atttypdefn, "
            + "a.attlen, a.attalign, a.attisdropped, "
            + "CASE WHEN a.attcollation <> at.typcollation "
            + "THEN a.attcollation ELSE 0 END AS attcollation "
            + "FROM pg_catalog.pg_type ct "
            + "JOIN pg_catalog.pg_attribute a ON a.attrelid = ct.typrelid "
            + "LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid "
            + "WHERE ct.oid = '\(oid)'::pg_catalog.oid "
            + "ORDER BY a.attnum").map {
            CompositeTypeAttribute(attname: $0.str("attname"), attnum: $0.int("attnum"),
                                   atttypdefn: $0.str("atttypdefn"), attisdropped: $0.bool("attisdropped"),
                                   attcollation: $0.oid("attcollation"))
        }
    }
}

extension CatalogContext {
    /// getFormattedTypeName's query: format_type() of type `oid` (the caller caches it).
    public func formatType(oid: UInt32) throws -> String {
        try singleRow("SELECT pg_catalog.format_type('\(oid)'::pg_catalog.oid, NULL)").str("format_type")
    }
}
