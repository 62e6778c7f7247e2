// The dumper's MPP steps (Greenplum 7, Cloudberry): called only when `cat.mpp` is set, i.e.
// never for PostgreSQL, whose output these cannot change. The clauses themselves are built by
// MPPDDL's pure functions.
import Archive
import Catalog
import Console
import PostgresClient

extension DumpContext {
    /// Appends a table's `COLUMN c ENCODING (...)` items; returns the new item count.
    func appendMPPColumnEncodings(_ t: TableInfo, _ mpp: MPPCatalog, itemsBefore: Int, to q: inout String) throws -> Int {
        let enc = try mpp.columnEncodings(t.catId.oid)
        guard !enc.isEmpty else { return itemsBefore }
        var items: [(column: String, attoptions: [String])] = []
        for j in 0..<t.attnames.count where !t.attisdropped[j] {
            if let opts = enc[j + 1] { items.append((fmtId(t.attnames[j]), opts)) }
        }
        return MPPDDL.appendColumnEncodings(items, itemsBefore: itemsBefore, to: &q)
    }

    /// A function's data-access, EXECUTE ON (after PARALLEL) clauses.
    func mppFunctionClauses(_ oid: UInt32) throws -> String {
        guard let mpp = cat.mpp, mpp.gpSyntax, let f = try mpp.function(oid) else { return "" }
        return try MPPDDL.functionClauses(dataAccess: f.dataAccess, execLocation: f.execLocation,
                                          coordinatorKeyword: try mpp.coordinatorIsKeyword())
    }

    /// A table function's describe callback clause (after the body).
    func mppDescribeClause(_ oid: UInt32) throws -> String {
        guard let mpp = cat.mpp, mpp.gpSyntax, let f = try mpp.function(oid) else { return "" }
        return MPPDDL.describeCallback(f.describeCallback)
    }

    /// Before the dump order is fixed: objects the fork's pg_dump leaves out. PAX tables
    /// (it cannot dump them) are skipped with a warning.
    func applyMPPExclusions() {
        guard cat.mpp != nil else { return }
        for case let t as TableInfo in catalog.allObjects where t.amname == "pax" && !t.dump.isEmpty {
            warning("skipping PAX table \"\(t.namespace?.name ?? "").\(t.name)\": PAX storage cannot be dumped")
            t.dump = .none
            if let d = t.dataObj { d.dump = .none }
        }
    }

    /// The MPP entries that are not catalog objects of their own in our model: PROTOCOL
    /// entries (each placed right after the last of its functions, so a serial restore has
    /// them) and TYPE STORAGE OPTIONS entries (after their type).
    func addMPPEntries() throws {
        guard let mpp = cat.mpp, mpp.gpSyntax, options.dumpSchema else { return }
        for p in try mpp.protocols() {
            let fns = [p.readFunc, p.writeFunc, p.validatorFunc].compactMap { $0 }
            let deps = fns.compactMap { catalog.object(table: CatalogTable.pgProc, oid: $0.oid)?.dumpId }
            // A protocol is dumped with its functions' schemas (or with everything).
            let dumped = fns.contains { f in catalog.object(table: CatalogTable.pgProc, oid: f.oid).map { !$0.dump.isEmpty } ?? false }
            guard dumped || options.includeEverything else { continue }
            let stmt = MPPDDL.createProtocol(name: p.name, trusted: p.trusted,
                                             readFunc: p.readFunc.map { ($0.schema, $0.name) },
                                             writeFunc: p.writeFunc.map { ($0.schema, $0.name) },
                                             validatorFunc: p.validatorFunc.map { ($0.schema, $0.name) },
                                             quoter: cat.quoter)
            let before = entries.count
            archiveEntry(catId: CatalogId(tableoid: 0, oid: p.oid), dumpId: catalog.createDumpId(), EntryOptions(
                tag: p.name, owner: p.owner, description: "PROTOCOL", section: .preData,
                createStmt: stmt, dropStmt: "DROP PROTOCOL \(fmtId(p.name));\n", deps: deps))
            moveEntry(from: before, after: Set(deps))
        }
        let typeEnc = try mpp.typeEncodings()
        for (typid, opts) in typeEnc.sorted(by: { $0.key < $1.key }) {
            guard let ty = catalog.object(table: CatalogTable.pgType, oid: typid) as? TypeInfo, !ty.dump.isEmpty,
                  let stmt = MPPDDL.typeDefaultEncoding(qualifiedType: qualified(ty), typoptions: opts) else { continue }
            let before = entries.count
            // Cloudberry reuses the type's dump ID; a fresh one keeps IDs unique (as GP7 does).
            archiveEntry(catId: ty.catId, dumpId: catalog.createDumpId(), EntryOptions(
                tag: ty.name, namespace: ty.namespace?.name, owner: ty.ownerName, description: "TYPE STORAGE OPTIONS",
                section: .preData, createStmt: stmt, deps: [ty.dumpId]))
            moveEntry(from: before, after: [ty.dumpId])
        }
    }

    /// Moves the entry at `index` (just appended) to right after the last entry in `ids`.
    private func moveEntry(from index: Int, after ids: Set<DumpId>) {
        guard index < entries.count, let last = entries.lastIndex(where: { ids.contains($0.dumpId) }), last < index else { return }
        let te = entries.remove(at: index)
        entries.insert(te, at: last + 1)
    }
}
