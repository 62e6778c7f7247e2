import Archive
import Catalog

// pg_dump hands its own options to the archiver as restore options and lets
// ProcessArchiveRestoreOptions mark the entries; the archive then holds only those marked
// (WriteToc), and data only for entries marked for data. The marking is the archiver's
// _tocEntryRequired (`EntrySelection`, in Archive), the same one cbrestore uses. Of its
// options only those pg_dump's options reach are set: sections, schema/data/statistics,
// sequence data and createDB; name selections happened while reading the catalog, and the
// --no-comments kind of options left out the entries as they were made.
extension DumpContext {
    /// The restore options pg_dump's main() gives the archiver, as far as
    /// _tocEntryRequired reads them.
    var entrySelectionOptions: EntrySelectionOptions {
        var e = EntrySelectionOptions()
        e.compatMajor = options.dumperMajor
        e.dumpSchema = options.dumpSchema
        e.dumpData = options.dumpData
        e.dumpStatistics = options.dumpStatistics
        e.noStatistics = !options.dumpStatistics
        e.sequenceData = options.sequenceData
        e.createDB = options.outputCreateDB
        e.sections = Set(options.sections.map { s -> Section in
            switch s {
            case .preData: return .preData
            case .data: return .data
            case .postData: return .postData
            }
        })
        return e
    }

    /// Marks every entry, in TOC order, as ProcessArchiveRestoreOptions does.
    func markRequiredEntries() -> [DumpId: EntryReqs] {
        var selection = EntrySelection(entries: entries, options: entrySelectionOptions)
        selection.mark(entries)
        return selection.reqs
    }
}
