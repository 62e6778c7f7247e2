// What dumpFunc and dumpAgg (pg_dump.c) read of one function or aggregate as they dump it:
// object by object, as pg_dump does, with its query text.

/// pg_dump's dumpFunc query.
///
/// Columns as pg_dump reads them: regproc and regtype texts quoted already ("-" for
/// none), "char" columns nil when NULL, nullable text nil when NULL.
public struct FunctionDetails {
    public let proretset: Bool
    public let prosrc: String
    public let probin: String
    public let provolatile: Character?
    public let proisstrict: Bool
    public let prosecdef: Bool
    public let lanname: String
    public let proconfig: String?
    public let procost: String
    public let prorows: String
    public let funcargs: String
    public let funciargs: String
    public let funcresult: String?
    public let proleakproof: Bool
    public let protrftypes: String
    public let proparallel: Character?
    public let prokind: Character?
    public let prosupport: String
    public let prosqlbody: String?
}

/// pg_dump's dumpAgg query.
///
/// Columns as pg_dump reads them: regproc and regtype texts quoted already ("-" for
/// none), "char" columns nil when NULL, nullable text nil when NULL.
public struct AggregateDetails {
    public let aggtransfn: String
    public let aggfinalfn: String
    public let aggtranstype: String
    public let agginitval: String?
    public let aggsortop: UInt32
    public let funcargs: String
    public let funciargs: String
    public let aggkind: Character?
    public let aggmtransfn: String
    public let aggminvtransfn: String
    public let aggmfinalfn: String
    public let aggmtranstype: String
    public let aggfinalextra: Bool
    public let aggmfinalextra: Bool
    public let aggtransspace: String
    public let aggmtransspace: String
    public let aggminitval: String?
    public let aggcombinefn: String
    public let aggserialfn: String
    public let aggdeserialfn: String
    public let proparallel: Character?
    public let aggfinalmodify: Character?
    public let aggmfinalmodify: Character?
}

extension CatalogContext {
    /// dumpFunc's query for function or procedure `oid`.
    public func functionDetails(oid: UInt32) throws -> FunctionDetails {
        let v = remoteVersion
        var sql = "SELECT\n"
            + "proretset,\n"
            + "prosrc,\n"
            + "probin,\n"
            + "provolatile,\n"
            + "proisstrict,\n"
            + "prosecdef,\n"
            + "lanname,\n"
            + "proconfig,\n"
            + "procost,\n"
            + "prorows,\n"
            + "pg_catalog.pg_get_function_arguments(p.oid) AS funcargs,\n"
            + "pg_catalog.pg_get_function_identity_arguments(p.oid) AS funciargs,\n"
            + "pg_catalog.pg_get_function_result(p.oid) AS funcresult,\n"
            + "proleakproof,\n"
        sql += v >= 90500 ? "array_to_string(protrftypes, ' ') AS protrftypes,\n" : "NULL AS protrftypes,\n"
        sql += v >= 90600 ? "proparallel,\n" : "'u' AS proparallel,\n"
        sql += v >= 110000 ? "prokind,\n" : "CASE WHEN proiswindow THEN 'w' ELSE 'f' END AS prokind,\n"
        sql += v >= 120000 ? "prosupport,\n" : "'-' AS prosupport,\n"
        sql += v >= 140000 ? "pg_get_function_sqlbody(p.oid) AS prosqlbody\n" : "NULL AS prosqlbody\n"
        sql += "FROM pg_catalog.pg_proc p, pg_catalog.pg_language l\n"
            + "WHERE p.oid = '\(oid)'::pg_catalog.oid "
            + "AND l.oid = p.prolang"
        let r = try singleRow(sql)
        return FunctionDetails(proretset: r.bool("proretset"), prosrc: r.str("prosrc"),
            probin: r.str("probin"), provolatile: r.char("provolatile"), proisstrict: r.bool("proisstrict"),
            prosecdef: r.bool("prosecdef"), lanname: r.str("lanname"), proconfig: r.opt("proconfig"),
            procost: r.str("procost"), prorows: r.str("prorows"), funcargs: r.str("funcargs"),
            funciargs: r.str("funciargs"), funcresult: r.opt("funcresult"),
            proleakproof: r.bool("proleakproof"), protrftypes: r.str("protrftypes"),
            proparallel: r.char("proparallel"), prokind: r.char("prokind"), prosupport: r.str("prosupport"),
            prosqlbody: r.opt("prosqlbody"))
    }

    /// dumpAgg's query for aggregate `oid`.
    public func aggregateDetails(oid: UInt32) throws -> AggregateDetails {
        let v = remoteVersion
        var sql = "SELECT "
            + "aggtransfn,\n"
            + "aggfinalfn,\n"
            + "aggtranstype::pg_catalog.regtype,\n"
            + "agginitval,\n"
            + "aggsortop,\n"
            + "pg_catalog.pg_get_function_arguments(p.oid) AS funcargs,\n"
            + "pg_catalog.pg_get_function_identity_arguments(p.oid) AS funciargs,\n"
        if v >= 90400 {
            sql += "aggkind,\n"
                + "aggmtransfn,\n"
                + "aggminvtransfn,\n"
                + "aggmfinalfn,\n"
                + "aggmtranstype::pg_catalog.regtype,\n"
                + "aggfinalextra,\n"
                + "aggmfinalextra,\n"
                + "aggtransspace,\n"
                + "aggmtransspace,\n"
                + "aggminitval,\n"
        } else {
            sql += "'n' AS aggkind,\n"
                + "'-' AS aggmtransfn,\n"
                + "'-' AS aggminvtransfn,\n"
                + "'-' AS aggmfinalfn,\n"
                + "0 AS aggmtranstype,\n"
                + "false AS aggfinalextra,\n"
                + "false AS aggmfinalextra,\n"
                + "0 AS aggtransspace,\n"
                + "0 AS aggmtransspace,\n"
                + "NULL AS aggminitval,\n"
        }
        if v >= 90600 {
            sql += "aggcombinefn,\n" + "aggserialfn,\n" + "aggdeserialfn,\n" + "proparallel,\n"
        } else {
            sql += "'-' AS aggcombinefn,\n" + "'-' AS aggserialfn,\n" + "'-' AS aggdeserialfn,\n"
                + "'u' AS proparallel,\n"
        }
        sql += v >= 110000 ? "aggfinalmodify,\n" + "aggmfinalmodify\n"
            : "'0' AS aggfinalmodify,\n" + "'0' AS aggmfinalmodify\n"
        sql += "FROM pg_catalog.pg_aggregate a, pg_catalog.pg_proc p "
            + "WHERE a.aggfnoid = p.oid "
            + "AND p.oid = '\(oid)'::pg_catalog.oid"
        let r = try singleRow(sql)
        return AggregateDetails(aggtransfn: r.str("aggtransfn"), aggfinalfn: r.str("aggfinalfn"),
            aggtranstype: r.str("aggtranstype"), agginitval: r.opt("agginitval"),
            aggsortop: r.oid("aggsortop"), funcargs: r.str("funcargs"), funciargs: r.str("funciargs"),
            aggkind: r.char("aggkind"), aggmtransfn: r.str("aggmtransfn"),
            aggminvtransfn: r.str("aggminvtransfn"), aggmfinalfn: r.str("aggmfinalfn"),
            aggmtranstype: r.str("aggmtranstype"), aggfinalextra: r.bool("aggfinalextra"),
            aggmfinalextra: r.bool("aggmfinalextra"), aggtransspace: r.str("aggtransspace"),
            aggmtransspace: r.str("aggmtransspace"), aggminitval: r.opt("aggminitval"),
            aggcombinefn: r.str("aggcombinefn"), aggserialfn: r.str("aggserialfn"),
            aggdeserialfn: r.str("aggdeserialfn"), proparallel: r.char("proparallel"),
            aggfinalmodify: r.char("aggfinalmodify"), aggmfinalmodify: r.char("aggmfinalmodify"))
    }
}
