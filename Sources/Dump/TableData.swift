import Archive
import Catalog
import PostgresClient

// Table data: the data objects (pg_dump's getTableData, buildMatViewRefreshDependencies,
// getTableDataFKConstraints), the TABLE DATA entries with their COPY dumpers (dumpTableData,
// dumpTableData_copy) and the MATERIALIZED VIEW DATA entries (refreshMatViewData). INSERT
// data is in TableDataInsert.swift.
extension DumpContext {
    /// pg_dump's getTableData/makeTableDataInfo: a data object for every table whose data
    /// is dumped.
    func getTableData() throws {
        for case let t as TableInfo in catalog.allObjects where t.dump.contains(.data) {
            cat.makeTableDataInfo(t)
        }
    }

    func getSequenceDataOnly() throws {
        for case let t as TableInfo in catalog.allObjects where t.dump.contains(.data) && t.relkind == "S" {
            cat.makeTableDataInfo(t)
        }
    }

    /// Materialized views that read other materialized views are refreshed after them.
    func buildMatViewRefreshDependencies() throws {
        for r in try cat.matViewRefreshDependencies() {
            guard let t = cat.table(oid: r.objid), let ref = cat.table(oid: r.refobjid) else { continue }
            guard let td = t.dataObj, let refTd = ref.dataObj else { continue }
            td.addDependency(refTd.dumpId)
            if !ref.relispopulated { t.relispopulated = false }
        }
    }

    /// For data-only dumps pg_dump orders data by foreign keys; with a schema, the sorter's
    /// boundaries do it.
    /// pg_dump's getTableDataFKConstraints: in a data-only dump, a referencing table's data
    /// waits for the referenced table's data, so that a restore need not disable triggers.
    func getTableDataFKConstraints() throws {
        for case let c as ConstraintInfo in catalog.allObjects where c.objType == .fkConstraint {
            guard let data = c.contable?.dataObj,
                  let ftable = cat.table(oid: c.confrelid), let fdata = ftable.dataObj else { continue }
            data.addDependency(fdata.dumpId)
        }
    }

    func refreshMatViewData(_ td: TableDataInfo) throws {
        let t = td.tdtable
        guard t.relispopulated else { return }
        if td.dump.contains(.data) {
            archiveEntry(catId: td.catId, dumpId: td.dumpId, EntryOptions(
                tag: t.name, namespace: t.namespace?.name, owner: t.ownerName, description: "MATERIALIZED VIEW DATA",
                section: .postData, createStmt: "REFRESH MATERIALIZED VIEW \(qualified(t));\n", deps: td.dependencies))
        }
    }

    /// The column list of COPY: "(a, b)" of the columns that hold data (pg_dump's
    /// fmtCopyColumnList), or "" when there are none.
    func copyColumnList(_ t: TableInfo) -> String {
        var cols: [String] = []
        for j in 0..<t.attnames.count where !t.attisdropped[j] && t.attgenerated[j] == "\0" {
            cols.append(fmtId(t.attnames[j]))
        }
        return cols.isEmpty ? "" : "(" + cols.joined(separator: ", ") + ")"
    }

    /// pg_dump's dumpTableData: the TABLE DATA entry, with COPY or (--inserts) INSERT data.
    func dumpTableData(_ td: TableDataInfo) throws {
        let t = td.tdtable
        guard td.dump.contains(.data) else { return }
        // A partition loaded through its root (--load-via-partition-root, or forced by a
        // partitioning that does not survive a reload): the entry's definition says so.
        var tdDefn: String? = nil
        var copyFrom = qualified(t)
        if t.ispartition && (options.loadViaPartitionRoot || forcePartitionRootLoad(t)) {
            copyFrom = qualified(partitionRoot(t))
            tdDefn = "-- load via partition root " + sanitizeLine(copyFrom)
        }
        let columns = copyColumnList(t)
        let condition = rowCondition(td)
        let copyStmt: String?
        let dumpFn: ConnectionDataDumper
        if options.dumpInserts == 0 {
            copyStmt = "COPY \(copyFrom) \(columns) FROM stdin;\n"
            let copy = copyDumper(t, columns: columns, condition: condition)
            let log = cat.onInfo, message = "dumping contents of table \"\(t.namespace?.name ?? "").\(t.name)\""
            dumpFn = { conn, stream in
                log?(message)
                try copy(conn, stream)
            }
        } else {
            copyStmt = nil
            dumpFn = insertDumper(td, target: copyFrom, condition: condition?.text)
        }
        archiveEntry(catId: td.catId, dumpId: td.dumpId, EntryOptions(
            tag: t.name, namespace: t.namespace?.name, owner: t.ownerName, description: "TABLE DATA",
            section: .data, createStmt: tdDefn, copyStmt: copyStmt, deps: [t.dumpId], dumpFn: dumpFn,
            dataLength: t.relpages))
        dataRowEstimates[td.dumpId] = t.reltuples
    }

    /// The rows to dump: pg_dump's filtercond (an extension configuration table's
    /// condition), and the --where conditions. `only`: read the table without its
    /// inheritance children, as COPY of a table does (--where only; pg_dump's own filtered
    /// COPY reads the children too).
    func rowCondition(_ td: TableDataInfo) -> (text: String, only: Bool)? {
        let filters = cat.rowFilters(of: td.tdtable)
        guard !filters.isEmpty else { return td.filtercond.map { ($0, false) } }
        // Each condition in parentheses, ended by a newline so that a trailing "--" comment
        // cannot swallow the parenthesis.
        var parts = filters.map { "(\($0)\n)" }
        if let ext = td.filtercond {
            let trimmed = ext.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            if trimmed.prefix(5).uppercased() == "WHERE" && trimmed.dropFirst(5).first.map({ !$0.isLetter && !$0.isNumber && $0 != "_" }) ?? false {
                parts.insert("(\(trimmed.dropFirst(5))\n)", at: 0)
            } else {
                return (ext + " AND " + parts.joined(separator: " AND "), true)
            }
        }
        return ("WHERE " + parts.joined(separator: " AND "), true)
    }

    /// The COPY data dumper (pg_dump's dumpTableData_copy).
    func copyDumper(_ t: TableInfo, columns: String, condition: (text: String, only: Bool)?) -> ConnectionDataDumper {
        let source: String
        if condition != nil || t.relkind == "f" {
            var q = "COPY (SELECT "
            q += columns.count > 2 ? String(columns.dropFirst().dropLast()) + " " : "* "
            q += "FROM \(condition?.only == true ? "ONLY " : "")\(qualified(t)) \(condition?.text ?? "")) TO stdout;"
            source = q
        } else {
            source = "COPY \(qualified(t)) \(columns) TO stdout;"
        }
        let foreign = t.relkind == "f"
        // The connection is the caller's: the dump's own, or a parallel worker's.
        return { conn, stream in
            func setRestriction(_ value: String) throws {
                try conn.executeSqlStatement(Self.restrictRelationKindQuery(value))
            }
            // Reading a foreign table needs foreign tables let through for the while.
            if foreign { try setRestriction("view") }
            // Bytes straight from libpq to the archive: no per-row work.
            do {
                try conn.copyOut(source) { chunk in try stream.write(chunk) }
            } catch let e as PostgresError {
                // In pg_dump's words: the COPY itself failed, or the stream broke off.
                guard let call = e.failedCall else { throw QueryFailed(query: source, cause: e) }
                throw TableDataFailed(table: t.name, call: call, command: source, cause: e)
            }
            // pg_dump ends the data with the COPY terminator, which pg_restore replays.
            let terminator: StaticString = "\\.\n\n\n"
            try stream.write(UnsafeRawBufferPointer(start: terminator.utf8Start, count: terminator.utf8CodeUnitCount))
            if foreign { try setRestriction("view, foreign-table") }
        }
    }

    /// pg_dump's getRootTableInfo: the partitioned table at the top of `t`'s partition tree.
    func partitionRoot(_ t: TableInfo) -> TableInfo {
        var cur = t.parents.first ?? t
        while cur.ispartition, let up = cur.parents.first { cur = up }
        return cur
    }

    /// pg_dump's forcePartitionRootLoad: some partitioned ancestor's partitioning (a hash on
    /// an enum) would not route the rows to the same partitions after a reload.
    func forcePartitionRootLoad(_ t: TableInfo) -> Bool {
        guard var cur = t.parents.first else { return false }
        if cur.unsafePartitions { return true }
        while cur.ispartition, let up = cur.parents.first {
            cur = up
            if cur.unsafePartitions { return true }
        }
        return false
    }
}

/// Reading a table's data broke off (the server went away, the backend was terminated, the
/// transaction was cancelled): pg_dump's dumpTableData_copy message and its two details.
public struct TableDataFailed: Error, CustomStringConvertible, Sendable {
    public let table: String
    public let call: String
    public let command: String
    public let cause: PostgresError
    public var message: String { "Dumping the contents of table \"\(table)\" failed: \(call) failed." }
    public var details: [String] {
        ["Error message from server: " + (cause.serverMessage ?? cause.description), "Command was: " + command]
    }
    public var description: String { ([message] + details).joined(separator: "\n") }
}
