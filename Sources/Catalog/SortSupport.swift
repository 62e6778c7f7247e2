// What the sorter (pg_dump_sort.c) and addBoundaryDependencies read or set on object kinds
// whose classes live with their own readers. Each kind's class conforms to its protocol; the
// sorter casts to these protocols, never to the classes, so that it does not depend on them.
// An object whose class does not (yet) conform is treated as the default noted below.

/// A type (pg_dump's TypeInfo, DO_TYPE): repairTypeFuncLoop points the I/O function at the
/// shell type instead, and may turn the shell type's dumping on.
public protocol SortableType: DumpableObject {
    /// The type's DO_SHELL_TYPE object, if one was made (base types with I/O functions).
    var shellType: DumpableObject? { get }
}

/// A function (pg_dump's FuncInfo, DO_FUNC): repairFunctionBoundaryMultiLoop postpones it.
public protocol SortableFunction: DumpableObject {
    /// Dump the function in the post-data section (pg_dump's postponed_def).
    var postponedDef: Bool { get set }
}

/// A rule (pg_dump's RuleInfo, DO_RULE): the view/ON SELECT rule loop repairs look at it,
/// and addBoundaryDependencies makes a separate rule post-data. Default: not separate.
public protocol SortableRule: DumpableObject {
    /// pg_rewrite.ev_type: '1' for ON SELECT.
    var evType: Character { get }
    var isInstead: Bool { get }
    /// The table or view the rule is on (the same instance the catalog holds).
    var ruleTable: TableInfo? { get }
    /// Dumped as its own CREATE RULE / CREATE OR REPLACE VIEW entry.
    var separate: Bool { get set }
}

/// An index (pg_dump's IndxInfo, DO_INDEX): the partitioned-index loop repair.
public protocol SortableIndex: DumpableObject {
    /// OID of the index on the parent partitioned table, 0 for none.
    var parentidx: UInt32 { get }
}

/// A cast (DO_CAST), for the loop warning's description.
public protocol SortableCast: DumpableObject {
    var castsource: UInt32 { get }
    var casttarget: UInt32 { get }
}

/// A transform (DO_TRANSFORM), for the loop warning's description.
public protocol SortableTransform: DumpableObject {
    var trftype: UInt32 { get }
    var trflang: UInt32 { get }
}

/// Relation statistics (pg_dump 18's RelStatsInfo, DO_REL_STATS).
public protocol SortableRelStats: DumpableObject {
    /// The relation's relkind.
    var relkind: Character { get }
    /// The entry goes in the post-data section (pg_dump's section == SECTION_POST_DATA);
    /// false means the data section.
    var postData: Bool { get set }
}
