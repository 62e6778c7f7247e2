// pg_dump's TableDataInfo and makeTableDataInfo: the TABLE DATA / SEQUENCE SET / MATERIALIZED
// VIEW DATA object of one table. processExtensionTables makes these for extension
// configuration tables (so their dump IDs come where pg_dump's do); getTableData makes the rest.

/// The data of one table (pg_dump's TableDataInfo): objType .tableData, .sequenceSet or
/// .refreshMatView; catId is (0, table OID) so that pg_depend never matches it.
public final class TableDataInfo: DumpableObject {
    public let tdtable: TableInfo
    /// WHERE clause for the COPY (extension configuration tables' extcondition), or nil.
    public var filtercond: String? = nil
    public init(_ type: ObjectType, table: TableInfo) {
        tdtable = table
        super.init(type, catId: CatalogId(tableoid: 0, oid: table.catId.oid), name: table.name,
                   namespace: table.namespace)
    }
}

extension CatalogContext {
    /// pg_dump's makeTableDataInfo: gives `tbinfo` its data object unless it already has one,
    /// holds no data of its own (views, foreign tables, partitioned tables), or its data is
    /// excluded (--exclude-table-data, --no-unlogged-table-data). Foreign tables hold data
    /// only for --include-foreign-data of their server.
    public func makeTableDataInfo(_ tbinfo: TableInfo) {
        if tbinfo.dataObj != nil { return }
        switch tbinfo.relkind {
        case "v", "p": return
        case "f": if !options.includedForeignServers.contains(tbinfo.foreignServer) { return }
        default: break
        }
        if tbinfo.relpersistence == "u" && options.noUnloggedTableData { return }
        if options.excludedTableData.contains(tbinfo.catId.oid) { return }
        let type: ObjectType = tbinfo.relkind == "m" ? .refreshMatView
            : tbinfo.relkind == "S" ? .sequenceSet : .tableData
        let td = TableDataInfo(type, table: tbinfo)
        catalog.assignDumpId(td)
        td.addDependency(tbinfo.dumpId)
        td.components.insert(.data)
        tbinfo.dataObj = td
        tbinfo.interesting = true
        // pg_dump 18: a materialized view's statistics are restored after its REFRESH,
        // which resets them.
        if tbinfo.relkind == "m", let stats = tbinfo.stats {
            stats.postData = true
            stats.addDependency(td.dumpId)
        }
    }
}

extension CatalogContext {
    /// The --where predicates that apply to `t`'s rows: its own, and those given for the
    /// partitioned tables it is a partition of (nearest first).
    public func rowFilters(of t: TableInfo) -> [String] {
        guard !options.rowFilters.isEmpty else { return [] }
        var out = options.rowFilters[t.catId.oid] ?? []
        var cur = t
        while cur.ispartition, let parent = cur.parents.first {
            out += options.rowFilters[parent.catId.oid] ?? []
            cur = parent
        }
        return out
    }
}
