import Archive
import Catalog
import Console
import PostgresClient

extension DumpContext {
    /// Reads the catalog, orders the objects and makes every TOC entry, in pg_dump's main()
    /// order. Data is not read here: each data entry gets a dumper the writer calls later.
    public func buildArchiveEntries() throws {
        try cat.loadSchemaData()
        for w in cat.warnings { warning(w) }
        applyMPPExclusions()
        if options.dumpData {
            try getTableData()
            try buildMatViewRefreshDependencies()
            if !options.dumpSchema { try getTableDataFKConstraints() }
        }
        if !options.dumpData && options.sequenceData { try getSequenceDataOnly() }
        try getLOs()
        try cat.getDependencies()
        if !options.aclsSkip { try cat.getAdditionalACLs() }
        if !options.noComments { try cat.collectComments() }
        if !options.noSecurityLabels { try cat.collectSecLabels() }

        let boundaries = createBoundaryObjects()
        var objs = catalog.allObjects
        addBoundaryDependencies(objs, boundaries)
        sortDumpableObjectsByTypeName(&objs)
        try sortDumpableObjects(&objs, preBoundary: boundaries.pre.dumpId, postBoundary: boundaries.post.dumpId)

        try dumpEncoding()
        try dumpStdStrings()
        try dumpSearchPath()
        // pg_dump sets outputCreateDB for every non-plain format, so archives always carry
        // the DATABASE entries (pg_restore -C uses them); a plain script has them only with -C.
        if options.outputCreateDB { try dumpDatabase() }
        if options.dumpStatistics { statsCache = attributeStatsCache(objs) }
        for obj in objs { try dumpDumpableObject(obj) }
        let reqs = markRequiredEntries()
        if buildsArchiveDependencies { buildArchiveDependencies(reqs) }
        // Only what is marked goes into the archive, data only where data is marked.
        entries.removeAll { (reqs[$0.dumpId] ?? []).isEmpty }
        for te in entries where !(reqs[te.dumpId] ?? []).contains(.data) { dataJobs[te.dumpId] = nil }
        // MPP only: protocols and type storage options, placed after what they need.
        try addMPPEntries()
    }

    /// pg_dump's dumpDumpableObject: the DDL maker for each kind of object.
    func dumpDumpableObject(_ obj: DumpableObject) throws {
        // Requests for components the object does not have (no ACL, no comment ...) are
        // dropped, so that DUMP_COMPONENT_ALL is a safe request; objects with nothing left to
        // dump are skipped before any work, as in pg_dump.
        obj.dump.formIntersection(obj.components)
        if obj.dump.isEmpty { return }
        switch obj.objType {
        case .namespace: try dumpNamespace(obj)
        case .extension: try dumpExtension(obj)
        case .type: try dumpType(obj)
        case .shellType: try dumpShellType(obj)
        case .function: try dumpFunc(obj)
        case .aggregate: try dumpAgg(obj)
        case .operator: try dumpOpr(obj)
        case .accessMethod: try dumpAccessMethod(obj)
        case .opclass: try dumpOpclass(obj)
        case .opfamily: try dumpOpfamily(obj)
        case .collation: try dumpCollation(obj)
        case .conversion: try dumpConversion(obj)
        case .table: try dumpTable(obj)
        case .tableAttach: try dumpTableAttach(obj)
        case .attrDef: try dumpAttrDef(obj)
        case .index: try dumpIndex(obj)
        case .indexAttach: try dumpIndexAttach(obj)
        case .statisticsExt: try dumpStatisticsExt(obj)
        case .refreshMatView: try refreshMatViewData(obj)
        case .rule: try dumpRule(obj)
        case .trigger: try dumpTrigger(obj)
        case .eventTrigger: try dumpEventTrigger(obj)
        case .constraint: try dumpConstraint(obj)
        case .fkConstraint: try dumpConstraint(obj)
        case .procLang: try dumpProcLang(obj)
        case .cast: try dumpCast(obj)
        case .transform: try dumpTransform(obj)
        case .sequenceSet: try dumpSequenceData(obj)
        case .tableData: try dumpTableData(obj)
        case .dummyType: break
        case .tsParser: try dumpTSParser(obj)
        case .tsDict: try dumpTSDictionary(obj)
        case .tsTemplate: try dumpTSTemplate(obj)
        case .tsConfig: try dumpTSConfig(obj)
        case .fdw: try dumpForeignDataWrapper(obj)
        case .foreignServer: try dumpForeignServer(obj)
        case .publication: try dumpPublication(obj)
        case .publicationRel: try dumpPublicationTable(obj)
        case .publicationTableInSchema: try dumpPublicationNamespace(obj)
        case .subscription: try dumpSubscription(obj)
        case .subscriptionRel: break // binary upgrade only
        case .defaultACL: try dumpDefaultACL(obj)
        case .largeObject: try dumpLO(obj)
        case .largeObjectData: try dumpLOData(obj)
        case .policy: try dumpPolicy(obj)
        case .relStats: try dumpRelationStats(obj, cache: statsCache)
        case .preDataBoundary, .postDataBoundary: break
        }
    }
}
