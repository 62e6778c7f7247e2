import Archive
import Catalog

// Tables, views, sequences, columns' defaults, partitions, indexes, constraints, triggers,
// rules, policies, extended statistics, event triggers, table data.
extension DumpContext {
    func getTableData() throws {}
    func buildMatViewRefreshDependencies() throws {}
    func getTableDataFKConstraints() throws {}
    func getSequenceDataOnly() throws {}
    func dumpTable(_ obj: DumpableObject) throws {}
    func dumpTableAttach(_ obj: DumpableObject) throws {}
    func dumpAttrDef(_ obj: DumpableObject) throws {}
    func dumpIndex(_ obj: DumpableObject) throws {}
    func dumpIndexAttach(_ obj: DumpableObject) throws {}
    func dumpStatisticsExt(_ obj: DumpableObject) throws {}
    func refreshMatViewData(_ obj: DumpableObject) throws {}
    func dumpRule(_ obj: DumpableObject) throws {}
    func dumpTrigger(_ obj: DumpableObject) throws {}
    func dumpEventTrigger(_ obj: DumpableObject) throws {}
    func dumpConstraint(_ obj: DumpableObject) throws {}
    func dumpSequenceData(_ obj: DumpableObject) throws {}
    func dumpTableData(_ obj: DumpableObject) throws {}
    func dumpPolicy(_ obj: DumpableObject) throws {}
}
