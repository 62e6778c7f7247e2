// Indexes, index-backed and foreign-key constraints, triggers, rules, policies, extended
// statistics, event triggers.
extension CatalogContext {
    func getIndexes() throws {}
    func flagInhIndexes() throws {}
    func getExtendedStatistics() throws {}
    func getConstraints() throws {}
    func getTriggers() throws {}
    func getRules() throws {}
    func getPolicies() throws {}
    func getEventTriggers() throws {}
}
