// Types, functions, aggregates, operators, access methods, operator classes and families,
// collations, conversions, casts, transforms, procedural languages.
extension CatalogContext {
    func getFuncs() throws {}
    func getTypes() throws {}
    func getProcLangs() throws {}
    func getAggregates() throws {}
    func getOperators() throws {}
    func getAccessMethods() throws {}
    func getOpclasses() throws {}
    func getOpfamilies() throws {}
    func getCollations() throws {}
    func getConversions() throws {}
    func getCasts() throws {}
    func getTransforms() throws {}
}
