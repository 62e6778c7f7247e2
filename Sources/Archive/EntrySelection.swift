/// pg_backup_archiver's REQ_* bits: what of one TOC entry is wanted.
public struct EntryReqs: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let schema = EntryReqs(rawValue: 1)
    public static let data = EntryReqs(rawValue: 2)
    public static let special = EntryReqs(rawValue: 4)
    public static let stats = EntryReqs(rawValue: 8)
}

/// The fields of pg_backup's RestoreOptions that _tocEntryRequired reads. pg_restore fills
/// them from its command line; pg_dump's main() fills them from its own options (the parts
/// it can reach) before ProcessArchiveRestoreOptions marks what its archive holds.
public struct EntrySelectionOptions: Sendable {
    /// The pg_dump/pg_restore release whose rules apply (18 adds --no-policies,
    /// --no-statistics and the STATISTICS DATA entries).
    public var compatMajor = 15
    /// STATISTICS DATA entries are statistics whatever `compatMajor` (a gpbackup set's).
    public var statisticsEntriesAlways = false
    public var dumpSchema = true
    public var dumpData = true
    public var dumpStatistics = true
    /// pg_dump's sequence_data: SEQUENCE SET is kept when data is not (pg_restore: never).
    public var sequenceData = false
    public var sections: Set<Section> = [.preData, .data, .postData]
    public var createDB = false
    public var aclsSkip = false
    public var noComments = false
    public var noPublications = false
    public var noSecurityLabels = false
    public var noSubscriptions = false
    public var noPolicies = false
    public var noStatistics = false
    /// -n, -N, -t, -I, -P, -T: raw names, compared byte for byte with tags and namespaces.
    public var schemaNames: [[UInt8]] = []
    public var excludeSchemaNames: [[UInt8]] = []
    public var tableNames: [[UInt8]] = []
    public var indexNames: [[UInt8]] = []
    public var functionNames: [[UInt8]] = []
    public var triggerNames: [[UInt8]] = []
    public var selTable = false, selIndex = false, selFunction = false, selTrigger = false

    public init() {}

    /// Any of -t, -I, -P, -T given.
    public var selTypes: Bool { selTable || selIndex || selFunction || selTrigger }
}

/// pg_backup_archiver's ProcessArchiveRestoreOptions and _tocEntryRequired, the one copy
/// that both sides use: cbdump marks the entries its archive holds with it (as pg_dump
/// does before WriteToc), cbrestore what it restores or lists (`RestorePlan`).
public struct EntrySelection {
    public let options: EntrySelectionOptions
    /// What each entry marked so far is required for.
    public private(set) var reqs: [Int32: EntryReqs] = [:]
    private let byId: [Int32: TocEntry]
    /// Names of -n/-t/-I/-P/-T that matched an entry while selecting (pg_restore marks them
    /// "touched" in simple_string_list_member; --strict-names reports the first untouched).
    private var touched: [NameList: Set<[UInt8]>] = [:]
    private enum NameList { case schema, table, index, function, trigger }

    /// `entries`: the whole TOC (ACLs and comments look up their parents by dump ID).
    public init(entries: [TocEntry], options: EntrySelectionOptions) {
        self.options = options
        var map: [Int32: TocEntry] = [:]
        for e in entries { map[e.dumpId] = e }
        byId = map
    }

    /// ProcessArchiveRestoreOptions: marks every entry of `order`, in that order, each in
    /// the section of the last entry before it that had one. `wanted`: pg_restore -L's ids.
    public mutating func mark(_ order: [TocEntry], wanted: Set<Int32>? = nil) {
        var current = Section.preData
        for te in order {
            if te.section != .none { current = te.section }
            reqs[te.dumpId] = tocEntryRequired(te, section: current, wanted: wanted)
        }
    }

    /// Sets an entry's marks after the fact (pg_restore --no-gp-syntax drops MPP-only ones).
    public mutating func setReqs(_ r: EntryReqs, for id: Int32) { reqs[id] = r }

    static let tableDescs: Set<String> = [
        "TABLE", "TABLE DATA", "VIEW", "FOREIGN TABLE", "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA",
        "SEQUENCE", "SEQUENCE SET",
    ]
    static let functionDescs: Set<String> = ["FUNCTION", "AGGREGATE", "PROCEDURE"]

    public static func isACL(_ te: TocEntry) -> Bool {
        te.desc == "ACL" || te.desc == "ACL LANGUAGE" || te.desc == "DEFAULT ACL"
    }

    /// An ACL, comment or label of a large object (pg_dump 17's "LARGE OBJECTS a..b" tags too:
    /// strncmp(te->tag, "LARGE OBJECT", 12)).
    public static func isLargeObjectDependent(_ te: TocEntry) -> Bool {
        (te.desc == "ACL" || te.desc == "COMMENT" || te.desc == "SECURITY LABEL")
            && te.tag.starts(with: Array("LARGE OBJECT".utf8))
    }

    /// simple_string_list_member: whether `name` is in `names`, marking it touched if so.
    private mutating func member(_ names: [[UInt8]], _ list: NameList, _ name: [UInt8]) -> Bool {
        guard names.contains(name) else { return false }
        touched[list, default: []].insert(name)
        return true
    }

    /// StrictNamesCheck: the first -n/-t/-I/-P/-T name (in that order of lists, each in
    /// command-line order) that no entry reached while being selected, as pg_restore's
    /// --strict-names message; nil when all matched. A name only counts when the entry got
    /// as far as that test (an entry already rejected by -L, a section or -n does not).
    public func unmatchedNames() -> String? {
        let s = { (b: [UInt8]) in String(decoding: b, as: UTF8.self) }
        let lists: [([[UInt8]], NameList, String)] = [
            (options.schemaNames, .schema, "schema"), (options.tableNames, .table, "table"),
            (options.indexNames, .index, "index"), (options.functionNames, .function, "function"),
            (options.triggerNames, .trigger, "trigger"),
        ]
        for (names, list, kind) in lists {
            if let n = names.first(where: { !(touched[list]?.contains($0) ?? false) }) { return "\(kind) \"\(s(n))\" not found" }
        }
        return nil
    }

    /// _tocEntryRequired: what of `te` (in `section`) is wanted.
    public mutating func tocEntryRequired(_ te: TocEntry, section: Section, wanted: Set<Int32>? = nil) -> EntryReqs {
        let o = options
        var res: EntryReqs = [.schema, .data]
        let desc = te.desc
        if desc == "ENCODING" || desc == "STDSTRINGS" || desc == "SEARCHPATH" { return .special }
        if desc == "DATABASE" || desc == "DATABASE PROPERTIES" { return o.createDB ? .schema : [] }
        if o.aclsSkip && Self.isACL(te) { return [] }
        if o.noComments && desc == "COMMENT" { return [] }
        if o.noPublications && (desc == "PUBLICATION" || desc == "PUBLICATION TABLE" || desc == "PUBLICATION TABLES IN SCHEMA") { return [] }
        if o.noSecurityLabels && desc == "SECURITY LABEL" { return [] }
        if o.noSubscriptions && desc == "SUBSCRIPTION" { return [] }
        // Comments and labels on publications/subscriptions go with them.
        if desc == "COMMENT" || desc == "SECURITY LABEL" {
            if o.noPublications && te.tag.starts(with: Array("PUBLICATION ".utf8)) { return [] }
            if o.noSubscriptions && te.tag.starts(with: Array("SUBSCRIPTION ".utf8)) { return [] }
        }
        // pg_dump/pg_restore 18's statistics entries; a gpbackup set's (statistics.sql) are
        // the same kind whatever the era of the SQL.
        let statsEntry = desc == "STATISTICS DATA" && (o.compatMajor >= 18 || o.statisticsEntriesAlways)
        if o.compatMajor >= 18 {
            if o.noPolicies && (desc == "POLICY" || desc == "ROW SECURITY") { return [] }
            if o.noStatistics && desc == "STATISTICS DATA" { return [] }
        }
        switch section {
        case .preData, .data, .postData: if !o.sections.contains(section) { return [] }
        case .none: return []
        }
        if let wanted, !wanted.contains(te.dumpId) { return [] }

        if desc == "ACL" || desc == "COMMENT" || desc == "SECURITY LABEL" {
            if te.tag.starts(with: Array("DATABASE ".utf8)) {
                if !o.createDB { return [] }
            } else if !o.schemaNames.isEmpty || !o.excludeSchemaNames.isEmpty || o.selTypes {
                var dumpThis = false
                for dep in te.dependencies {
                    guard let parent = byId[dep] else { continue }
                    if parent.desc == "ACL" { continue }
                    if (reqs[dep] ?? []).isEmpty { continue }
                    dumpThis = true
                    break
                }
                if !dumpThis { return [] }
            }
        } else {
            if !o.schemaNames.isEmpty {
                guard let ns = te.namespace, member(o.schemaNames, .schema, ns) else { return [] }
            }
            if !o.excludeSchemaNames.isEmpty, let ns = te.namespace, o.excludeSchemaNames.contains(ns) { return [] }
            if o.selTypes {
                // pg_restore 18 selects a relation's statistics with it (-t).
                if Self.tableDescs.contains(desc) || statsEntry {
                    if !o.selTable { return [] }
                    if !o.tableNames.isEmpty && !member(o.tableNames, .table, te.tag) { return [] }
                } else if desc == "INDEX" {
                    if !o.selIndex { return [] }
                    if !o.indexNames.isEmpty && !member(o.indexNames, .index, te.tag) { return [] }
                } else if Self.functionDescs.contains(desc) {
                    if !o.selFunction { return [] }
                    if !o.functionNames.isEmpty && !member(o.functionNames, .function, te.tag) { return [] }
                } else if desc == "TRIGGER" {
                    if !o.selTrigger { return [] }
                    if !o.triggerNames.isEmpty && !member(o.triggerNames, .trigger, te.tag) { return [] }
                } else {
                    return []
                }
            }
        }

        // With a data dumper an entry is schema and data; without, schema only, except
        // SEQUENCE SET and anything to do with large objects (data), statistics (stats).
        if !te.hadDumper {
            if desc == "SEQUENCE SET" || desc == "BLOB" || desc == "BLOB METADATA" || Self.isLargeObjectDependent(te) {
                res = res.intersection(.data)
            } else if statsEntry {
                res = .stats
            } else {
                res.remove(.data)
            }
        }
        if te.defn == nil || te.defn!.isEmpty || te.defn!.starts(with: Array("-- load via partition root ".utf8)) {
            res.remove(.schema)
        }
        if desc == "<Init>" && te.tag == Array("Max OID".utf8) { return [] }
        if !o.dumpSchema { res.remove(.schema) }
        // sequence_data overrides dumpData for SEQUENCE SET.
        if !o.dumpData && !(o.sequenceData && desc == "SEQUENCE SET") { res.remove(.data) }
        if !o.dumpStatistics { res.remove(.stats) }
        return res
    }
}
