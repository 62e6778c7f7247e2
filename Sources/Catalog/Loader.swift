/// Reads every potentially dumpable object, in pg_dump's getSchemaData order (the order
/// decides dump IDs, hence `pg_restore -l` numbering).
extension CatalogContext {
    public func loadSchemaData() throws {
        try loadRoleNames()
        try getExtensions()
        try getExtensionMembership()
        try getNamespaces()
        try getTables()
        try getOwnedSeqs()
        try getFuncs()
        try getTypes()
        try getProcLangs()
        try getAggregates()
        try getOperators()
        try getAccessMethods()
        try getOpclasses()
        try getOpfamilies()
        try getTSParsers()
        try getTSTemplates()
        try getTSDictionaries()
        try getTSConfigurations()
        try getForeignDataWrappers()
        try getForeignServers()
        try getDefaultACLs()
        try getCollations()
        try getConversions()
        try getCasts()
        try getTransforms()
        try getInherits()
        try getEventTriggers()
        try processExtensionTables()
        try flagInhTables()
        try getTableAttrs()
        try flagInhAttrs()
        try getPartitioningInfo()
        try getIndexes()
        try flagInhIndexes()
        try getExtendedStatistics()
        try getConstraints()
        try getTriggers()
        try getRules()
        try getPolicies()
        try getPublications()
        try getPublicationTables()
        try getPublicationNamespaces()
        try getSubscriptions()
        try getSubscriptionTables()
    }

    /// pg_roles, read once so that owners are names without a join per object.
    func loadRoleNames() throws {
        for r in try query("SELECT oid, rolname FROM pg_catalog.pg_roles") {
            catalog.roleNames[r.oid("oid")] = r.str("rolname")
        }
    }
}
