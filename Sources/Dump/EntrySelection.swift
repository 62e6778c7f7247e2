import Archive
import Catalog

/// What of an entry goes into the archive (pg_backup_archiver's teReqs).
struct EntryReqs: OptionSet {
    let rawValue: UInt8
    static let schema = EntryReqs(rawValue: 1)
    static let data = EntryReqs(rawValue: 2)
    static let special = EntryReqs(rawValue: 4)
    static let stats = EntryReqs(rawValue: 8)
}

// pg_dump hands its own options to the archiver as restore options and lets
// ProcessArchiveRestoreOptions mark the entries; the archive then holds only those marked
// (WriteToc), and data only for entries marked for data. Of _tocEntryRequired only the
// parts pg_dump's options can reach are here: sections, -s/-a, and what every entry kind
// contributes; name selections happened while reading the catalog.
extension DumpContext {
    /// Marks every entry, in TOC order, as ProcessArchiveRestoreOptions does.
    func markRequiredEntries() -> [DumpId: EntryReqs] {
        var reqs: [DumpId: EntryReqs] = [:]
        var current = Section.preData
        for te in entries {
            if te.section != .none { current = te.section }
            reqs[te.dumpId] = required(te, section: current)
        }
        return reqs
    }

    private func required(_ te: TocEntry, section: Section) -> EntryReqs {
        let desc = te.desc
        if desc == "ENCODING" || desc == "STDSTRINGS" || desc == "SEARCHPATH" { return .special }
        // Archives are made with createDB on: the DATABASE entries are always kept.
        if desc == "DATABASE" || desc == "DATABASE PROPERTIES" { return .schema }
        switch section {
        case .preData: if !options.sections.contains(.preData) { return [] }
        case .data: if !options.sections.contains(.data) { return [] }
        case .postData: if !options.sections.contains(.postData) { return [] }
        case .none: return []
        }
        var res: EntryReqs = [.schema, .data]
        // pg_dump 18: statistics are their own kind of content.
        if desc == "STATISTICS DATA" {
            if !options.dumpStatistics { return [] }
            res = .stats
        }
        if !te.hadDumper {
            let tag = String(decoding: te.tag, as: UTF8.self)
            let largeObjectDependent = (desc == "ACL" || desc == "COMMENT" || desc == "SECURITY LABEL")
                && tag.hasPrefix("LARGE OBJECT ")
            if desc == "SEQUENCE SET" || desc == "BLOB" || desc == "BLOB METADATA" || largeObjectDependent {
                res.formIntersection(.data)
            } else {
                res.remove(.data)
            }
        }
        if te.defn.map({ $0.isEmpty || $0.starts(with: Array("-- load via partition root ".utf8)) }) ?? true {
            res.remove(.schema)
        }
        if !options.dumpData && !(options.sequenceData && desc == "SEQUENCE SET") { res.formIntersection([.schema, .stats]) }
        if !options.dumpSchema { res.formIntersection([.data, .stats]) }
        return res
    }
}
