// What dumpCollation and dumpConversion (pg_dump.c) read of one collation or conversion as
// they dump it: object by object, as pg_dump does.

/// pg_dump's dumpCollation query. The columns a server lacks read as pg_dump's stand-ins
/// ('c', NULL, true).
public struct CollationDetails {
    /// collprovider: b (builtin), c (libc), d (default), i (icu).
    public let provider: Character
    /// collcollate and collctype; nil when NULL (before 15 an empty name means none, which
    /// the DDL maker decides).
    public let collcollate: String?, collctype: String?
    /// colllocale (colliculocale before 17) and collicurules; nil when NULL.
    public let colllocale: String?, collicurules: String?
    /// false only when collisdeterministic is false.
    public let deterministic: Bool
}

/// pg_dump's dumpConversion query.
public struct ConversionDetails {
    /// Encoding names.
    public let conforencoding: String, contoencoding: String
    /// regproc text (quoted already).
    public let conproc: String
    public let condefault: Bool
}

extension CatalogContext {
    /// dumpCollation's query for collation `oid`.
    public func collationDetails(oid: UInt32) throws -> CollationDetails {
        let v = remoteVersion
        var sql = "SELECT "
        sql += v >= 100000 ? "collprovider, collversion, " : "'c' AS collprovider, NULL AS collversion, "
        sql += v >= 120000 ? "collisdeterministic, " : "true AS collisdeterministic, "
        if v >= 170000 {
            sql += "colllocale, "
        } else if v >= 150000 {
            sql += "colliculocale AS colllocale, "
        } else {
            sql += "NULL AS colllocale, "
        }
        sql += v >= 160000 ? "collicurules, " : "NULL AS collicurules, "
        sql += "collcollate, collctype FROM pg_catalog.pg_collation c "
            + "WHERE c.oid = '\(oid)'::pg_catalog.oid"
        let r = try singleRow(sql)
        return CollationDetails(
            provider: r.char("collprovider") ?? "c", collcollate: r.opt("collcollate"),
            collctype: r.opt("collctype"), colllocale: r.opt("colllocale"),
            collicurules: r.opt("collicurules"), deterministic: r.str("collisdeterministic") != "f")
    }

    /// dumpConversion's query for conversion `oid`.
    public func conversionDetails(oid: UInt32) throws -> ConversionDetails {
        let r = try singleRow("SELECT "
            + "pg_catalog.pg_encoding_to_char(conforencoding) AS conforencoding, "
            + "pg_catalog.pg_encoding_to_char(contoencoding) AS contoencoding, "
            + "conproc, condefault "
            + "FROM pg_catalog.pg_conversion c "
            + "WHERE c.oid = '\(oid)'::pg_catalog.oid")
        return ConversionDetails(
            conforencoding: r.str("conforencoding"), contoencoding: r.str("contoencoding"),
            conproc: r.str("conproc"), condefault: r.bool("condefault"))
    }
}
