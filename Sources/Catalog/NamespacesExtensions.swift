// Schemas, extensions and their membership, default privileges.
extension CatalogContext {
    func getExtensions() throws {}
    func getExtensionMembership() throws {}
    func getNamespaces() throws {}
    func getDefaultACLs() throws {}
    func processExtensionTables() throws {}
}
