import Archive
import Catalog

// Indexes, constraints, triggers, rules, policies, extended statistics, event triggers.
extension DumpContext {
    func dumpIndex(_ obj: DumpableObject) throws {}
    func dumpIndexAttach(_ obj: DumpableObject) throws {}
    func dumpStatisticsExt(_ obj: DumpableObject) throws {}
    func dumpRule(_ obj: DumpableObject) throws {}
    func dumpTrigger(_ obj: DumpableObject) throws {}
    func dumpEventTrigger(_ obj: DumpableObject) throws {}
    func dumpConstraint(_ obj: DumpableObject) throws {}
    func dumpPolicy(_ obj: DumpableObject) throws {}
}
