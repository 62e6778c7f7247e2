import Archive
import Foundation

/// Which TOC entries a restore (or a `-l` listing) takes, in which order, and what of each:
/// pg_restore's SortTocFromFile, _tocEntryRequired and the special ENCODING/STDSTRINGS/
/// SEARCHPATH processing, over an opened archive.
public struct RestorePlan {
    public let archive: ArchiveReader
    public let options: RestoreOptions
    /// Entries in processing order (the TOC order, or the use-list's order).
    public private(set) var order: [TocEntry]
    public private(set) var reqs: [Int32: Reqs] = [:]
    public private(set) var encoding = "SQL_ASCII"
    public private(set) var standardConformingStrings = false
    public private(set) var searchPath: [UInt8]?
    /// Messages pg_restore prints as warnings (ignored use-list lines, ...).
    public private(set) var warnings: [String] = []
    let byId: [Int32: TocEntry]
    let maxDumpId: Int32
    /// Names of -n/-t/-I/-P/-T that matched an entry while selecting (pg_restore marks them
    /// "touched" in simple_string_list_member; --strict-names reports the first untouched).
    private var touched: [NameList: Set<[UInt8]>] = [:]
    private enum NameList { case schema, table, index, function, trigger }

    public init(archive: ArchiveReader, options: RestoreOptions) throws {
        self.archive = archive
        self.options = options
        self.order = archive.entries
        var map: [Int32: TocEntry] = [:]
        for e in archive.entries { map[e.dumpId] = e }
        byId = map
        maxDumpId = archive.entries.map(\.dumpId).max() ?? 0
        try processSpecialEntries()
        // --no-gp-syntax: the entries rewritten for PostgreSQL before anything is selected.
        var altered: Set<Int32> = []
        let mppOnly = options.noGpSyntax ? MPPSyntax.stripEntries(archive.entries, altered: &altered) : []
        var wanted: Set<Int32>? = nil
        if let list = options.useListFile { wanted = try applyUseList(list) }
        computeReqs(wanted: wanted)
        // Each skip named once: a gpbackup set's resource queue or group is several entries
        // of one name, and the global objects are named together, one warning per kind.
        var skipped: [(desc: String, names: [String])] = []
        for te in archive.entries where mppOnly.contains(te.dumpId) && !(reqs[te.dumpId] ?? []).isEmpty {
            reqs[te.dumpId] = []
            let name = String(decoding: te.tag, as: UTF8.self)
            let byKind = te.desc == "RESOURCE QUEUE" || te.desc == "RESOURCE GROUP"
            if let k = skipped.firstIndex(where: { $0.desc == te.desc && (byKind || $0.names == [name]) }) {
                if !skipped[k].names.contains(name) { skipped[k].names.append(name) }
            } else {
                skipped.append((te.desc, [name]))
            }
        }
        for (desc, names) in skipped {
            warnings.append("skipping \(desc) \(names.joined(separator: ", ")): \(names.count == 1 ? "it exists" : "they exist") only on Greenplum and Cloudberry (--no-gp-syntax)")
        }
        var roles: [String] = []
        for te in archive.entries where altered.contains(te.dumpId) && !(reqs[te.dumpId] ?? []).isEmpty {
            let name = String(decoding: te.tag, as: UTF8.self)
            if !roles.contains(name) { roles.append(name) }
        }
        if !roles.isEmpty {
            warnings.append("leaving out the Greenplum and Cloudberry role options (RESOURCE QUEUE, RESOURCE GROUP, CREATEEXTTABLE, DENY) of ROLE \(roles.joined(separator: ", ")) (--no-gp-syntax)")
        }
    }

    public func entry(_ id: Int32) -> TocEntry? { byId[id] }
    public func reqs(of te: TocEntry) -> Reqs { reqs[te.dumpId] ?? [] }

    private mutating func processSpecialEntries() throws {
        for te in archive.entries {
            let defn = te.defn ?? []
            switch te.desc {
            case "ENCODING":
                let parts = defn.split(separator: 0x27, maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count == 3 else {
                    throw RestoreError("invalid ENCODING item: \(String(decoding: defn, as: UTF8.self))")
                }
                let name = String(decoding: parts[1], as: UTF8.self)
                guard let canonical = Encodings.canonicalName(name) else {
                    throw RestoreError("unrecognized encoding \"\(name)\"")
                }
                encoding = canonical
            case "STDSTRINGS":
                guard let q = defn.firstIndex(of: 0x27) else {
                    throw RestoreError("invalid STDSTRINGS item: \(String(decoding: defn, as: UTF8.self))")
                }
                let rest = defn[q...]
                if rest.starts(with: Array("'on'".utf8)) { standardConformingStrings = true }
                else if rest.starts(with: Array("'off'".utf8)) { standardConformingStrings = false }
                else { throw RestoreError("invalid STDSTRINGS item: \(String(decoding: defn, as: UTF8.self))") }
            case "SEARCHPATH":
                searchPath = defn
            default:
                break
            }
        }
    }

    /// SortTocFromFile: listed entries move to the end in list order and are the only ones wanted.
    private mutating func applyUseList(_ path: String) throws -> Set<Int32> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RestoreError("could not open TOC file \"\(path)\": \(String(cString: strerror(errno)))")
        }
        var wanted = Set<Int32>()
        var moved: [TocEntry] = []
        for rawLine in [UInt8](data).split(separator: 0x0a, omittingEmptySubsequences: false) {
            var line = Array(rawLine)
            if let semi = line.firstIndex(of: 0x3b) { line = Array(line[..<semi]) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0d || $0 == 0x0a }) { continue }
            let (id, parsed) = Self.strtol(line)
            if !parsed || id <= 0 || id > Int64(maxDumpId) || wanted.contains(Int32(id)) {
                warnings.append("line ignored: \(String(decoding: line, as: UTF8.self))")
                continue
            }
            guard let te = byId[Int32(id)] else { throw RestoreError("could not find entry for ID \(id)") }
            wanted.insert(te.dumpId)
            moved.append(te)
        }
        let movedIds = Set(moved.map(\.dumpId))
        order = order.filter { !movedIds.contains($0.dumpId) } + moved
        return wanted
    }

    /// strtol(s, &end, 10): leading white space, sign, digits; whether any digit was read.
    static func strtol(_ s: [UInt8]) -> (Int64, Bool) {
        var i = 0
        while i < s.count, [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d].contains(s[i]) { i += 1 }
        var neg = false
        if i < s.count, s[i] == 0x2d || s[i] == 0x2b { neg = s[i] == 0x2d; i += 1 }
        var v: Int64 = 0
        var digits = false
        while i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
            v = min(v * 10 + Int64(s[i] - 0x30), Int64(UInt32.max) * 2)
            digits = true
            i += 1
        }
        return (neg ? -v : v, digits)
    }

    private mutating func computeReqs(wanted: Set<Int32>?) {
        var current = Section.preData
        for te in order {
            if te.section != .none { current = te.section }
            reqs[te.dumpId] = required(te, section: current, wanted: wanted)
        }
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

    static let tableDescs: Set<String> = [
        "TABLE", "TABLE DATA", "VIEW", "FOREIGN TABLE", "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA",
        "SEQUENCE", "SEQUENCE SET",
    ]
    static let functionDescs: Set<String> = ["FUNCTION", "AGGREGATE", "PROCEDURE"]

    static func isACL(_ te: TocEntry) -> Bool {
        te.desc == "ACL" || te.desc == "ACL LANGUAGE" || te.desc == "DEFAULT ACL"
    }

    static func isLargeObjectDependent(_ te: TocEntry) -> Bool {
        (te.desc == "ACL" || te.desc == "COMMENT" || te.desc == "SECURITY LABEL")
            && te.tag.starts(with: Array("LARGE OBJECT".utf8))
    }

    /// _tocEntryRequired.
    private mutating func required(_ te: TocEntry, section: Section, wanted: Set<Int32>?) -> Reqs {
        let o = options
        var res: Reqs = [.schema, .data]
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
        // pg_restore 18's statistics entries; a gpbackup set's (statistics.sql) are the same
        // kind whatever the era of the SQL.
        let statsEntry = desc == "STATISTICS DATA" && (o.compatMajor >= 18 || archive.format == .gpbackup)
        if o.compatMajor >= 18 {
            if o.noPolicies && (desc == "POLICY" || desc == "ROW SECURITY") { return [] }
            if o.noStatistics && desc == "STATISTICS DATA" { return [] }
        }
        switch section {
        case .preData: if !o.sections.contains(.preData) { return [] }
        case .data: if !o.sections.contains(.data) { return [] }
        case .postData: if !o.sections.contains(.postData) { return [] }
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
        if !o.dumpData { res.remove(.data) }
        if !o.dumpStatistics { res.remove(.stats) }
        return res
    }
}
