// pg_depend, read into each object's dependency list (pg_dump's getDependencies).
extension CatalogContext {
    public func getDependencies() throws {}
}
