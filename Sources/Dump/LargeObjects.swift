import Archive
import Catalog

// Large objects: BLOB entries (archive 1.14) and the BLOBS data entry.
extension DumpContext {
    func getLOs() throws {}
    func dumpLO(_ obj: DumpableObject) throws {}
    func dumpLOData(_ obj: DumpableObject) throws {}
}
