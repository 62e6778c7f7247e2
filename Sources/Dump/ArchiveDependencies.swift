import Archive
import Catalog

// pg_dump's BuildArchiveDependencies and findDumpableDependencies: the dependency lists of
// TOC entries made without "special" dependencies, computed from the objects' dependencies
// through objects that have no entry of their own (a view's _RETURN rule, the public
// schema without a SCHEMA entry, section boundaries excluded).
extension DumpContext {
    /// Fills in the dependencies of every marked entry that has none yet and belongs to an
    /// object with dependencies. Call once all entries are made and marked (pg_dump does it
    /// before writing); only marked entries are depended on (pg_dump's TocIDRequired).
    func buildArchiveDependencies(_ reqs: [DumpId: EntryReqs]) {
        var byId: [DumpId: TocEntry] = [:]
        for te in entries where !(reqs[te.dumpId] ?? []).isEmpty { byId[te.dumpId] = te }
        for te in entries where te.dependencies.isEmpty && byId[te.dumpId] != nil {
            guard let dobj = catalog.object(dumpId: te.dumpId), !dobj.dependencies.isEmpty else { continue }
            var deps: [DumpId] = []
            findDumpableDependencies(dobj, byId, &deps)
            te.dependencies = deps
        }
    }

    private func findDumpableDependencies(_ dobj: DumpableObject, _ byId: [DumpId: TocEntry], _ deps: inout [DumpId]) {
        if dobj.objType == .preDataBoundary || dobj.objType == .postDataBoundary { return }
        for depid in dobj.dependencies {
            if byId[depid] != nil {
                deps.append(depid)
            } else if let other = catalog.object(dumpId: depid) {
                // The sorter broke every loop, so this recursion ends.
                findDumpableDependencies(other, byId, &deps)
            }
        }
    }
}
