// pg_dump 18's relation statistics (RelStatsInfo, DO_REL_STATS; getRelationStatistics):
// one object per interesting table, partitioned table, materialized view, foreign table and
// index, made as the relation is read, so that it takes the dump ID after the relation's.
// Its STATISTICS DATA entry is written with pg_restore_relation_stats and
// pg_restore_attribute_stats calls (Sources/Dump/RelationStatisticsDDL.swift).

/// The statistics of one relation (pg_dump's RelStatsInfo).
public final class RelStatsInfo: DumpableObject, SortableRelStats {
    /// pg_class.relpages, reltuples (as the server printed it), relallvisible, relallfrozen.
    public let relpages: Int
    public let reltuples: String
    public let relallvisible: Int
    public let relallfrozen: Int
    public let relkind: Character
    /// An expression index's column names, in column order: its attribute statistics are
    /// restored by column number. Empty for tables and plain indexes.
    public let indAttNames: [String]
    /// In the post-data section: indexes always; a materialized view's statistics once its
    /// data (a REFRESH, which resets them) is dumped, or when the sorter postpones them.
    public var postData: Bool

    init(relation: DumpableObject, relpages: Int, reltuples: String, relallvisible: Int, relallfrozen: Int,
         relkind: Character, indAttNames: [String]) {
        self.relpages = relpages
        self.reltuples = reltuples
        self.relallvisible = relallvisible
        self.relallfrozen = relallfrozen
        self.relkind = relkind
        self.indAttNames = indAttNames
        self.postData = relkind == "i" || relkind == "I"
        super.init(.relStats, catId: .none, name: relation.name, namespace: relation.namespace)
        components.insert(.statistics)
        addDependency(relation.dumpId)
    }
}

extension CatalogContext {
    /// pg_dump's getRelationStatistics: the statistics object of `relation`, when statistics
    /// are dumped and the relation kind has them; nil otherwise.
    @discardableResult
    func getRelationStatistics(_ relation: DumpableObject, relpages: Int, reltuples: String, relallvisible: Int,
                               relallfrozen: Int, relkind: Character, indAttNames: [String] = []) -> RelStatsInfo? {
        guard options.dumpStatistics else { return nil }
        // Tables, partitioned tables, materialized views, foreign tables, indexes and
        // partitioned indexes.
        guard "rpmfiI".contains(relkind) else { return nil }
        let stats = RelStatsInfo(relation: relation, relpages: relpages, reltuples: reltuples,
                                 relallvisible: relallvisible, relallfrozen: relallfrozen,
                                 relkind: relkind, indAttNames: indAttNames)
        catalog.assignDumpId(stats)
        return stats
    }
}

extension CatalogContext {
    /// pg_stats' columns pg_dump reads (range statistics exist from 17 on).
    var attributeStatsColumns: String {
        var q = "s.schemaname, s.tablename, s.attname, s.inherited, s.null_frac, s.avg_width, s.n_distinct, "
            + "s.most_common_vals, s.most_common_freqs, s.histogram_bounds, s.correlation, "
            + "s.most_common_elems, s.most_common_elem_freqs, s.elem_count_histogram, "
        q += remoteVersion >= 170000
            ? "s.range_length_histogram, s.range_empty_frac, s.range_bounds_histogram"
            : "NULL AS range_length_histogram, NULL AS range_empty_frac, NULL AS range_bounds_histogram"
        return q
    }

    /// fetchAttributeStats' query: the pg_stats rows of a batch of relations, named by two
    /// text[] literals of the same length (schemas, tables; made by the caller, who knows the
    /// session's literal syntax), in that order, each relation's rows by attname, inherited.
    /// The rows stay in libpq's result until read.
    public func attributeStats(schemasLiteral: String, tablesLiteral: String) throws -> [Row] {
        let sql = "SELECT " + attributeStatsColumns + " FROM pg_catalog.pg_stats s "
            + "JOIN unnest(" + schemasLiteral + "::pg_catalog.text[], " + tablesLiteral + "::pg_catalog.text[]) "
            + "WITH ORDINALITY AS u (schemaname, tablename, ord) "
            + "ON s.schemaname = u.schemaname AND s.tablename = u.tablename "
            + "WHERE s.tablename = ANY(" + tablesLiteral + "::pg_catalog.text[]) "
            + "ORDER BY u.ord, s.attname, s.inherited"
        return try query(sql)
    }
}
