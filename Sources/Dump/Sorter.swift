import Catalog

// pg_dump_sort.c: type/name order, then the topological sort with loop repair.
extension DumpContext {
    public struct Boundaries { public let pre: DumpableObject; public let post: DumpableObject }

    func createBoundaryObjects() -> Boundaries {
        let pre = BoundaryObject(.preDataBoundary, catId: .none, name: "PRE-DATA BOUNDARY")
        let post = BoundaryObject(.postDataBoundary, catId: .none, name: "POST-DATA BOUNDARY")
        catalog.assignDumpId(pre)
        catalog.assignDumpId(post)
        return Boundaries(pre: pre, post: post)
    }
    func addBoundaryDependencies(_ objs: [DumpableObject], _ b: Boundaries) {}
    func sortDumpableObjectsByTypeName(_ objs: inout [DumpableObject]) {}
    func sortDumpableObjects(_ objs: inout [DumpableObject], preBoundary: DumpId, postBoundary: DumpId) throws {}
}
