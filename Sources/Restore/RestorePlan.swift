import Archive
import Foundation

/// Which TOC entries a restore (or a `-l` listing) takes, in which order, and what of each:
/// pg_restore's SortTocFromFile, _tocEntryRequired (`EntrySelection`, in Archive) and the special ENCODING/STDSTRINGS/
/// SEARCHPATH processing, over an opened archive.
public struct RestorePlan {
    public let archive: ArchiveReader
    public let options: RestoreOptions
    /// Entries in processing order (the TOC order, or the use-list's order).
    public private(set) var order: [TocEntry]
    /// What of each entry is required (_tocEntryRequired's marks).
    public var reqs: [Int32: Reqs] { selection.reqs }
    private var selection: EntrySelection
    public private(set) var encoding = "SQL_ASCII"
    public private(set) var standardConformingStrings = false
    public private(set) var searchPath: [UInt8]?
    /// Messages pg_restore prints as warnings (ignored use-list lines, ...).
    public private(set) var warnings: [String] = []
    let byId: [Int32: TocEntry]
    let maxDumpId: Int32

    public init(archive: ArchiveReader, options: RestoreOptions) throws {
        self.archive = archive
        self.options = options
        self.order = archive.entries
        var map: [Int32: TocEntry] = [:]
        for e in archive.entries { map[e.dumpId] = e }
        byId = map
        maxDumpId = archive.entries.map(\.dumpId).max() ?? 0
        selection = EntrySelection(entries: archive.entries,
                                   options: options.entrySelectionOptions(gpbackup: archive.format == .gpbackup))
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
            selection.setReqs([], for: te.dumpId)
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

    /// ProcessArchiveRestoreOptions with this restore's options (`EntrySelection`, shared
    /// with cbdump, holds _tocEntryRequired).
    private mutating func computeReqs(wanted: Set<Int32>?) {
        selection.mark(order, wanted: wanted)
    }

    /// StrictNamesCheck: the first -n/-t/-I/-P/-T name that no entry reached while being
    /// selected, as pg_restore's --strict-names message; nil when all matched.
    public func unmatchedNames() -> String? { selection.unmatchedNames() }
}

extension RestoreOptions {
    /// The fields _tocEntryRequired reads, from pg_restore's options.
    func entrySelectionOptions(gpbackup: Bool) -> EntrySelectionOptions {
        var e = EntrySelectionOptions()
        e.compatMajor = compatMajor
        e.statisticsEntriesAlways = gpbackup
        e.dumpSchema = dumpSchema
        e.dumpData = dumpData
        e.dumpStatistics = dumpStatistics
        e.sections = Set(sections.map { s -> Section in
            switch s {
            case .preData: return .preData
            case .data: return .data
            case .postData: return .postData
            }
        })
        e.createDB = createDB
        e.aclsSkip = aclsSkip
        e.noComments = noComments
        e.noPublications = noPublications
        e.noSecurityLabels = noSecurityLabels
        e.noSubscriptions = noSubscriptions
        e.noPolicies = noPolicies
        e.noStatistics = noStatistics
        e.schemaNames = schemaNames
        e.excludeSchemaNames = excludeSchemaNames
        e.tableNames = tableNames
        e.indexNames = indexNames
        e.functionNames = functionNames
        e.triggerNames = triggerNames
        e.selTable = selTable; e.selIndex = selIndex; e.selFunction = selFunction; e.selTrigger = selTrigger
        return e
    }
}
