// Object kinds of the later issue (text search, foreign data, publications, subscriptions):
// read nothing yet.
extension CatalogContext {
    func getTSParsers() throws {}
    func getTSTemplates() throws {}
    func getTSDictionaries() throws {}
    func getTSConfigurations() throws {}
    func getForeignDataWrappers() throws {}
    func getForeignServers() throws {}
    func getPublications() throws {}
    func getPublicationTables() throws {}
    func getPublicationNamespaces() throws {}
    func getSubscriptions() throws {}
    func getSubscriptionTables() throws {}
}
