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
        // Each kind's DDL maker, chosen by the object's class (Dispatch.swift). Boundaries,
        // dummy types and subscription relations (binary upgrade only) make no entry.
        try (obj as? DumpDispatch)?.dumpObject(in: self)
    }
}
