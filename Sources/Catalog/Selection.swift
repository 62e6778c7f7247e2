// pg_dump's selectDumpable* rules: which objects, and which of their components, to dump.
// (Placeholder rules until the full port lands: skip system schemas.)
extension CatalogContext {
    /// True for pg_catalog, information_schema and pg_toast/pg_temp schemas.
    func isSystemSchemaName(_ name: String) -> Bool {
        name.hasPrefix("pg_") || name == "information_schema"
    }

    /// pg_dump's selectDumpableObject: generic rule for objects in a schema.
    public func selectDumpableObject(_ obj: DumpableObject) {
        if checkExtensionMembership(obj) { return }
        obj.dump = obj.namespace.map { $0.dumpContains } ?? (options.includeEverything ? .all : .none)
    }

    /// pg_dump's selectDumpableTable (placeholder).
    public func selectDumpableTable(_ t: TableInfo) { selectDumpableObject(t) }

    /// pg_dump's checkExtensionMembership: members of extensions are not dumped (except
    /// changed ACLs etc.); returns true when `obj` is a member.
    public func checkExtensionMembership(_ obj: DumpableObject) -> Bool { false }
}
