import Archive
import Catalog

// Tables, views, sequences, column defaults, partitions attached, table data.
extension DumpContext {
    func getTableData() throws {}
    func buildMatViewRefreshDependencies() throws {}
    func getTableDataFKConstraints() throws {}
    func getSequenceDataOnly() throws {}
    func dumpTable(_ obj: DumpableObject) throws {}
    func dumpTableAttach(_ obj: DumpableObject) throws {}
    func dumpAttrDef(_ obj: DumpableObject) throws {}
    func refreshMatViewData(_ obj: DumpableObject) throws {}
    func dumpSequenceData(_ obj: DumpableObject) throws {}
    func dumpTableData(_ obj: DumpableObject) throws {}
}
