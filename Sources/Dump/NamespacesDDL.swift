import Archive
import Catalog

// Schemas, extensions, default privileges.
extension DumpContext {
    func dumpNamespace(_ obj: DumpableObject) throws {}
    func dumpExtension(_ obj: DumpableObject) throws {}
    func dumpDefaultACL(_ obj: DumpableObject) throws {}
}
