// What dumpTableSchema, createViewAsClause, dumpTableAttach, dumpSequence and
// dumpSequenceData read of one table as they dump it: table by table, with the query texts
// cbdump has always sent. And buildMatViewRefreshDependencies' query (pg_dump.c).

/// A foreign table's server and options (dumpTableSchema's query for relkind 'f').
public struct ForeignTableDetails {
    public let srvname: String
    /// The options, ready to print ("" for none).
    public let ftoptions: String
}

/// A sequence's parameters (dumpSequence's query).
public struct SequenceDetails {
    /// format_type() of seqtypid: smallint, integer or bigint.
    public let seqtype: String
    public let seqstart: String, seqincrement: String, seqmax: String, seqmin: String, seqcache: String
    public let seqcycle: Bool
}

extension CatalogContext {
    /// buildMatViewRefreshDependencies' query: (materialized view, materialized view it reads)
    /// pairs, through views in between.
    public func matViewRefreshDependencies() throws -> [(objid: UInt32, refobjid: UInt32)] {
        try query("""
            WITH RECURSIVE w AS (
            SELECT d1.objid, d2.refobjid, c2.relkind AS refrelkind
            FROM pg_depend d1
            JOIN pg_class c1 ON c1.oid = d1.objid AND c1.relkind = 'm'
            JOIN pg_rewrite r1 ON r1.ev_class = d1.objid
            JOIN pg_depend d2 ON d2.classid = 'pg_rewrite'::regclass AND d2.objid = r1.oid AND d2.refobjid <> d1.objid
            JOIN pg_class c2 ON c2.oid = d2.refobjid AND c2.relkind IN ('m','v')
            WHERE d1.classid = 'pg_class'::regclass
            UNION
            SELECT w.objid, d3.refobjid, c3.relkind
            FROM w
            JOIN pg_rewrite r3 ON r3.ev_class = w.refobjid
            JOIN pg_depend d3 ON d3.classid = 'pg_rewrite'::regclass AND d3.objid = r3.oid AND d3.refobjid <> w.refobjid
            JOIN pg_class c3 ON c3.oid = d3.refobjid AND c3.relkind IN ('m','v')
            )
            SELECT 'pg_class'::regclass::oid AS classid, objid, refobjid FROM w WHERE refrelkind = 'm'
            """).map { ($0.oid("objid"), $0.oid("refobjid")) }
    }

    /// A partitioned table's PARTITION BY clause (pg_get_partkeydef); nil without a row.
    public func partitionKeyDefinition(_ t: TableInfo) throws -> String? {
        try query("SELECT pg_get_partkeydef('\(t.catId.oid)') AS def").first?.str("def")
    }

    /// A foreign table's server and options; nil without a row.
    public func foreignTableDetails(_ t: TableInfo) throws -> ForeignTableDetails? {
        try query("""
            SELECT fs.srvname, pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value) \
            FROM pg_catalog.pg_options_to_table(ftoptions) ORDER BY option_name), E',\\n    ') AS ftoptions \
            FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server fs ON (fs.oid = ft.ftserver) \
            WHERE ft.ftrelid = '\(t.catId.oid)'
            """).first.map { ForeignTableDetails(srvname: $0.str("srvname"), ftoptions: $0.str("ftoptions")) }
    }

    /// The type of a typed table (`OF type`), as format_type prints it; "???" without a row.
    public func typedTableTypeName(oid: UInt32) throws -> String {
        try query("SELECT pg_catalog.format_type('\(oid)'::pg_catalog.oid, NULL) AS t").first?.str("t") ?? "???"
    }

    /// createViewAsClause's query: the view's definition (pg_get_viewdef), with pg_dump's
    /// error when it does not give one row.
    public func viewDefinition(_ t: TableInfo) throws -> String {
        let rows = try query("SELECT pg_catalog.pg_get_viewdef('\(t.catId.oid)'::pg_catalog.oid) AS viewdef")
        guard rows.count == 1 else { throw CatalogError("query to obtain definition of view \"\(t.name)\" returned \(rows.count) rows") }
        return rows[0].str("viewdef")
    }

    /// dumpTableAttach's query: the partition's bound (FOR VALUES ...), "" without a row.
    public func partitionBound(_ partition: TableInfo) throws -> String {
        try query("SELECT pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_class c WHERE c.oid = '\(partition.catId.oid)'").first?.str("b") ?? ""
    }

    /// dumpSequence's query; nil without a row.
    public func sequenceDetails(_ t: TableInfo) throws -> SequenceDetails? {
        try query("""
            SELECT format_type(seqtypid, NULL) AS seqtype, seqstart, seqincrement, seqmax, seqmin, seqcache, seqcycle
            FROM pg_catalog.pg_sequence WHERE seqrelid = '\(t.catId.oid)'::oid
            """).first.map {
            SequenceDetails(seqtype: $0.str("seqtype"), seqstart: $0.str("seqstart"), seqincrement: $0.str("seqincrement"),
                            seqmax: $0.str("seqmax"), seqmin: $0.str("seqmin"), seqcache: $0.str("seqcache"),
                            seqcycle: $0.bool("seqcycle"))
        }
    }

    /// dumpSequenceData's query: the sequence's last_value and is_called; nil without a row.
    public func sequenceState(_ t: TableInfo) throws -> (lastValue: String, isCalled: Bool)? {
        try query("SELECT last_value, is_called FROM \(qualified(t))").first.map {
            ($0.str("last_value"), $0.bool("is_called"))
        }
    }
}
