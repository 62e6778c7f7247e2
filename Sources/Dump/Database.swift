import Archive
import Catalog

// ENCODING, STDSTRINGS, SEARCHPATH and the DATABASE / DATABASE PROPERTIES entries.
extension DumpContext {
    func dumpEncoding() throws {}
    func dumpStdStrings() throws {}
    func dumpSearchPath() throws {}
    func dumpDatabase() throws {}
}
