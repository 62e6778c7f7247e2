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
