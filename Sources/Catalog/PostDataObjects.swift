// The post-data object kinds (pg_dump.h's IndxInfo, IndexAttachInfo, StatsExtInfo,
// RuleInfo, TriggerInfo, EventTriggerInfo, PolicyInfo). Index-backed and foreign-key
// constraints are ConstraintInfo objects (TableInfo.swift).

/// An index on a table (pg_dump's IndxInfo, DO_INDEX).
public final class IndxInfo: DumpableObject, SortableIndex {
    public let indextable: TableInfo
    /// pg_get_indexdef's CREATE INDEX statement, without the semicolon.
    public var indexdef = ""
    /// The index's tablespace name; "" for the database default.
    public var tablespace = ""
    /// pg_class.reloptions of the index as array text; "" when NULL.
    public var indreloptions = ""
    /// Column numbers and statistics targets of columns with a set target, as array text
    /// ("" when none).
    public var indstatcols = ""
    public var indstatvals = ""
    /// pg_index.indkey: the table's column numbers (0 for an expression).
    public var indkeys: [Int] = []
    public var indnkeyattrs = 0
    public var indnattrs = 0
    public var indisclustered = false
    public var indisreplident = false
    public var indnullsnotdistinct = false
    /// OID of the partitioned index this one is a partition of, 0 for none.
    public var parentidx: UInt32 = 0
    /// The INDEX ATTACH objects of this (partitioned) index's partitions.
    public var partattaches: [IndexAttachInfo] = []
    /// The dump ID of the p/u/x constraint the index implements, 0 for a plain index.
    public var indexconstraint: DumpId = 0

    public init(catId: CatalogId, name: String, table: TableInfo) {
        self.indextable = table
        super.init(.index, catId: catId, name: name, namespace: table.namespace)
    }
}

/// A partition's index attached to its parent's partitioned index (DO_INDEX_ATTACH).
public final class IndexAttachInfo: DumpableObject {
    public let parentIdx: IndxInfo
    public let partitionIdx: IndxInfo

    public init(parent: IndxInfo, partition: IndxInfo) {
        self.parentIdx = parent
        self.partitionIdx = partition
        super.init(.indexAttach, catId: .none, name: partition.name,
                   namespace: partition.indextable.namespace)
    }
}

/// An extended statistics object (pg_statistic_ext, DO_STATSEXT).
public final class StatsExtInfo: DumpableObject {
    public var ownerName = ""
    /// The table the statistics are on (nil if not found).
    public var stattable: TableInfo? = nil
    /// stxstattarget; -1 for the default.
    public var stattarget = -1

    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.statisticsExt, catId: catId, name: name, namespace: namespace)
    }
}

/// A rewrite rule (pg_rewrite, DO_RULE), including views' ON SELECT rules.
public final class RuleInfo: DumpableObject, SortableRule {
    public let ruletable: TableInfo
    /// pg_rewrite.ev_type: '1' SELECT, '2' UPDATE, '3' INSERT, '4' DELETE.
    public var evType: Character = "1"
    public var isInstead = false
    /// ev_enabled: O (origin), D (disabled), R (replica), A (always).
    public var evEnabled: Character = "O"
    /// Dumped as its own entry (false for a view's ON SELECT rule, which CREATE VIEW makes).
    public var separate = true

    public init(catId: CatalogId, name: String, table: TableInfo) {
        self.ruletable = table
        super.init(.rule, catId: catId, name: name, namespace: table.namespace)
    }

    /// For the sorter's protocol.
    public var ruleTable: TableInfo? { ruletable }
}

/// A table trigger (pg_trigger, DO_TRIGGER).
public final class TriggerInfo: DumpableObject {
    public let tgtable: TableInfo
    /// tgenabled: O, D, R, A (or t/f from old servers).
    public var tgenabled: Character = "O"
    /// A partition's clone of its parent's trigger, listed only because its enabled state
    /// differs from the parent's.
    public var tgispartition = false
    /// pg_get_triggerdef's CREATE TRIGGER statement, without the semicolon.
    public var tgdef = ""

    public init(catId: CatalogId, name: String, table: TableInfo) {
        self.tgtable = table
        super.init(.trigger, catId: catId, name: name, namespace: table.namespace)
    }
}

/// An event trigger (pg_event_trigger, DO_EVENT_TRIGGER).
public final class EventTriggerInfo: DumpableObject {
    public var evtevent = ""
    public var evtowner = ""
    /// The WHEN TAG IN list, each tag already a quoted literal, joined by ", "; "" for none.
    public var evttags = ""
    /// The function's name as regproc prints it.
    public var evtfname = ""
    public var evtenabled: Character = "O"

    public init(catId: CatalogId, name: String) {
        super.init(.eventTrigger, catId: catId, name: name)
    }
}

/// A row-level security policy (pg_policy, DO_POLICY), or, with `polname` nil, the mark
/// that row-level security is enabled on the table (its ROW SECURITY entry).
public final class PolicyInfo: DumpableObject {
    public let poltable: TableInfo
    public var polname: String? = nil
    /// polcmd: '*' all, r, a, w, d.
    public var polcmd: Character = "*"
    public var polpermissive = true
    /// The roles, already quoted and joined by ", "; nil for PUBLIC.
    public var polroles: String? = nil
    public var polqual: String? = nil
    public var polwithcheck: String? = nil

    public init(catId: CatalogId, name: String, table: TableInfo) {
        self.poltable = table
        super.init(.policy, catId: catId, name: name, namespace: table.namespace)
    }
}

// What dumpStatisticsExt and dumpRule (pg_dump.c) read of one object as they dump it.
extension CatalogContext {
    /// dumpStatisticsExt's query: the statistics object's CREATE STATISTICS command.
    public func statisticsObjectDefinition(_ stats: StatsExtInfo) throws -> String {
        try singleRow("SELECT pg_catalog.pg_get_statisticsobjdef('\(stats.catId.oid)'::pg_catalog.oid)")
            .str("pg_get_statisticsobjdef")
    }

    /// dumpRule's query: the rule's CREATE RULE command, with pg_dump's error when it does
    /// not give one row.
    public func ruleDefinition(_ rinfo: RuleInfo, table tbinfo: TableInfo) throws -> String {
        let rows = try query("SELECT pg_catalog.pg_get_ruledef('\(rinfo.catId.oid)'::pg_catalog.oid)")
        guard rows.count == 1 else {
            throw CatalogError("query to get rule \"\(rinfo.name)\" for table \"\(tbinfo.name)\" failed: wrong number of rows returned")
        }
        return rows[0].str("pg_get_ruledef")
    }
}
