// Tables, views, sequences, columns, inheritance and partitions, indexes, constraints,
// triggers, rules, policies, extended statistics, event triggers.
extension CatalogContext {
    func getTables() throws {}
    func getOwnedSeqs() throws {}
    func getInherits() throws {}
    func getEventTriggers() throws {}
    func flagInhTables() throws {}
    func getTableAttrs() throws {}
    func flagInhAttrs() throws {}
    func getPartitioningInfo() throws {}
    func getIndexes() throws {}
    func flagInhIndexes() throws {}
    func getExtendedStatistics() throws {}
    func getConstraints() throws {}
    func getTriggers() throws {}
    func getRules() throws {}
    func getPolicies() throws {}
}
