import Archive
import Catalog

// Schemas, extensions, default privileges, large objects.
extension DumpContext {
    func dumpNamespace(_ obj: DumpableObject) throws {}
    func dumpExtension(_ obj: DumpableObject) throws {}
    func dumpDefaultACL(_ obj: DumpableObject) throws {}
    func getLOs() throws {}
    func dumpLO(_ obj: DumpableObject) throws {}
    func dumpLOData(_ obj: DumpableObject) throws {}
}
