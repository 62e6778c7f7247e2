import Archive
import Catalog

// pg_dump's BuildArchiveDependencies and findDumpableDependencies: the dependency lists of
// TOC entries made without "special" dependencies, computed from the objects' dependencies
// through objects that have no entry of their own (a view's _RETURN rule, the public
// schema without a SCHEMA entry, section boundaries excluded).
extension DumpContext {
    /// Fills in the dependencies of every entry that has none yet and belongs to an object
    /// with dependencies. Call once all entries are made (pg_dump does it before writing).
    func buildArchiveDependencies() {
        var byId: [DumpId: TocEntry] = [:]
        for te in entries { byId[te.dumpId] = te }
        for te in entries where te.dependencies.isEmpty && entryRequired(te) {
            guard let dobj = catalog.object(dumpId: te.dumpId), !dobj.dependencies.isEmpty else { continue }
            var deps: [DumpId] = []
            findDumpableDependencies(dobj, byId, &deps)
            te.dependencies = deps
        }
    }

    /// pg_dump's TocIDRequired as a dump sees it: the entry exists and its section is dumped.
    private func entryRequired(_ te: TocEntry) -> Bool {
        switch te.section {
        case .preData: return options.sections.contains(.preData)
        case .data: return options.sections.contains(.data)
        case .postData: return options.sections.contains(.postData)
        case .none: return true
        }
    }

    private func findDumpableDependencies(_ dobj: DumpableObject, _ byId: [DumpId: TocEntry], _ deps: inout [DumpId]) {
        if dobj.objType == .preDataBoundary || dobj.objType == .postDataBoundary { return }
        for depid in dobj.dependencies {
            if let te = byId[depid], entryRequired(te) {
                deps.append(depid)
            } else if let other = catalog.object(dumpId: depid) {
                // The sorter broke every loop, so this recursion ends.
                findDumpableDependencies(other, byId, &deps)
            }
        }
    }
}
