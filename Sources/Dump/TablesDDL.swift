import Archive
import Catalog
import PostgresClient

// Tables, views, sequences, column defaults, partitions attached, table data
// (pg_dump's dumpTable, dumpTableSchema, dumpSequence, dumpAttrDef, dumpTableAttach,
// dumpTableData, dumpSequenceData, refreshMatViewData).
extension DumpContext {
    // MARK: data objects

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

    // MARK: tables

    func dumpTable(_ obj: DumpableObject) throws {
        guard let t = obj as? TableInfo, options.dumpSchema else { return }
        if t.relkind == "S" {
            try dumpSequence(t)
        } else {
            try dumpTableSchema(t)
        }
        try dumpTableACLs(t)
    }

    /// pg_dump's dumpTableSchema: CREATE TABLE / VIEW / MATERIALIZED VIEW / FOREIGN TABLE
    /// with everything that goes in the same entry.
    func dumpTableSchema(_ t: TableInfo) throws {
        let qualrelname = qualified(t)
        var q = ""
        var delq = ""
        let reltypename: String
        if t.relkind == "v" {
            reltypename = "VIEW"
            delq = "DROP VIEW \(qualrelname);\n"
            q = "CREATE VIEW \(qualrelname)"
            let body: String
            if t.dummyView {
                body = createDummyViewAsClause(t)
            } else {
                if nonemptyReloptions(t.reloptions) {
                    q += " WITH (" + (try reloptionsArrayAH(t.reloptions)) + ")"
                }
                body = try createViewAsClause(t)
            }
            q += " AS\n\(body)"
            if let co = t.checkoption, !t.dummyView { q += "\n  WITH \(co) CHECK OPTION" }
            q += ";\n"
        } else {
            var partkeydef: String? = nil
            var ftoptions: String? = nil
            var srvname: String? = nil
            var foreign = ""
            switch t.relkind {
            case "p":
                reltypename = "TABLE"
                partkeydef = try cat.partitionKeyDefinition(t)
            case "f":
                reltypename = "FOREIGN TABLE"
                let r = try cat.foreignTableDetails(t)
                srvname = r?.srvname
                ftoptions = r?.ftoptions
                foreign = "FOREIGN "
            case "m":
                reltypename = "MATERIALIZED VIEW"
            default:
                reltypename = "TABLE"
            }
            delq = "DROP \(reltypename) \(qualrelname);\n"
            q = "CREATE \(t.relpersistence == "u" && (t.relkind != "p" || options.dumperMajor < 18) ? "UNLOGGED " : "")\(reltypename) \(qualrelname)"
            if t.reloftype != 0 {
                q += " OF " + (try formattedTypeName(t.reloftype))
            }
            if t.relkind != "m" {
                var actual = 0
                // Server 18 names its NOT NULL constraints; pg_dump 18 prints the names it must.
                let named = cat.remoteVersion >= 180000
                for j in 0..<t.attnames.count {
                    if cat.shouldPrintColumn(t, j) {
                        let printDefault = t.attrdefs[j].map { !$0.dump.isEmpty && !$0.separate } ?? false
                        let printNotNull = named
                            ? t.notnullConstrs[j] != nil && (t.notnullIsLocal[j] || t.ispartition)
                            : t.notnull[j] && (!t.inhNotNull[j] || t.ispartition)
                        if t.reloftype != 0 && !printDefault && !printNotNull { continue }
                        q += actual == 0 ? " (" : ","
                        q += "\n    "
                        actual += 1
                        q += fmtId(t.attnames[j])
                        if t.reloftype == 0 { q += " " + t.atttypnames[j] }
                        if printDefault, let d = t.attrdefs[j] {
                            if t.attgenerated[j] == "s" {
                                q += " GENERATED ALWAYS AS (\(d.adefSrc)) STORED"
                            } else if t.attgenerated[j] == "v" {
                                q += " GENERATED ALWAYS AS (\(d.adefSrc))"
                            } else {
                                q += " DEFAULT \(d.adefSrc)"
                            }
                        }
                        if printNotNull {
                            if named, let name = t.notnullConstrs[j], !name.isEmpty {
                                q += " CONSTRAINT \(fmtId(name)) NOT NULL"
                            } else {
                                q += " NOT NULL"
                            }
                            if named && t.notnullNoInherit[j] { q += " NO INHERIT" }
                        }
                        if t.attcollation[j] != 0, let coll = catalog.object(table: CatalogTable.pgCollation, oid: t.attcollation[j]) {
                            q += " COLLATE " + qualified(coll)
                        }
                    } else if named && !t.attisdropped[j], let name = t.notnullConstrs[j], t.notnullIsLocal[j] {
                        // An inherited column with a NOT NULL of its own: a table constraint.
                        q += actual == 0 ? " (" : ","
                        q += "\n    "
                        actual += 1
                        // pg_dump 18 leaves this name unquoted; quoting it keeps odd names valid
                        // and changes nothing for ordinary ones.
                        q += name.isEmpty ? "NOT NULL \(fmtId(t.attnames[j]))" : "CONSTRAINT \(fmtId(name)) NOT NULL \(fmtId(t.attnames[j]))"
                        if t.notnullNoInherit[j] { q += " NO INHERIT" }
                    }
                }
                for c in t.checkexprs where !(c.separate || (!c.conislocal && !t.ispartition)) {
                    q += actual == 0 ? " (\n    " : ",\n    "
                    q += "CONSTRAINT \(fmtId(c.name)) \(c.condef ?? "")"
                    actual += 1
                }
                // MPP: one COLUMN ... ENCODING item per column with an encoding row, after
                // the checks (inherited columns too, so not attached to their definitions).
                if let mpp = cat.mpp, mpp.gpSyntax {
                    actual = try appendMPPColumnEncodings(t, mpp, itemsBefore: actual, to: &q)
                }
                if actual > 0 {
                    q += "\n)"
                } else if t.reloftype == 0 {
                    q += " (\n)"
                }
                if !t.parents.isEmpty && !t.ispartition {
                    q += "\nINHERITS (" + t.parents.map { qualified($0) }.joined(separator: ", ") + ")"
                }
                if t.relkind == "p", let pk = partkeydef { q += "\nPARTITION BY \(pk)" }
                if t.relkind == "f", let s = srvname { q += "\nSERVER \(fmtId(s))" }
            }
            if let mpp = cat.mpp, mpp.gpSyntax, t.relkind != "f" {
                // MPP: the append-optimized storage written out (appendonly = true, ...).
                if let with = MPPDDL.storageClause(
                    amname: t.amname,
                    reloptions: nonemptyReloptions(t.reloptions) ? try reloptionsArrayAH(t.reloptions) : "",
                    toastOptions: nonemptyReloptions(t.toastReloptions) ? try reloptionsArrayAH(t.toastReloptions, prefix: "toast.") : "") {
                    q += "\n" + with
                }
            } else if nonemptyReloptions(t.reloptions) || nonemptyReloptions(t.toastReloptions) {
                q += "\nWITH ("
                var comma = false
                if nonemptyReloptions(t.reloptions) {
                    comma = true
                    q += try reloptionsArrayAH(t.reloptions)
                }
                if nonemptyReloptions(t.toastReloptions) {
                    if comma { q += ", " }
                    q += try reloptionsArrayAH(t.toastReloptions, prefix: "toast.")
                }
                q += ")"
            }
            if let fo = ftoptions, !fo.isEmpty { q += "\nOPTIONS (\n    \(fo)\n)" }
            if t.relkind == "m" {
                q += " AS\n\(try createViewAsClause(t))\n  WITH NO DATA"
            }
            // MPP: the distribution policy, on the same line (writable external tables have
            // one, readable ones none).
            if let mpp = cat.mpp, mpp.gpSyntax {
                MPPDDL.appendDistribution(try mpp.distributedBy(t.catId.oid), to: &q)
            }
            q += ";\n"
            // Materialized views can depend on extensions (pg_dump's dumpTableSchema).
            if t.relkind == "m" {
                q += try dependsOnExtensionSQL(t, catalogName: "pg_catalog.pg_class", keyword: "MATERIALIZED VIEW", objName: qualrelname)
            }
            // pg_dump 17 and later write ALTER FOREIGN TABLE ONLY for column options; 15 and 16 do not.
            let fdwOnly = options.dumperMajor >= 17 ? "ONLY " : ""
            for j in 0..<t.attnames.count where !t.attisdropped[j] {
                if t.attstattarget[j] >= 0 {
                    q += "ALTER \(foreign)TABLE ONLY \(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) SET STATISTICS \(t.attstattarget[j]);\n"
                }
                if t.attstorage[j] != t.typstorage[j] {
                    let storage: String?
                    switch t.attstorage[j] {
                    case "p": storage = "PLAIN"
                    case "e": storage = "EXTERNAL"
                    case "x": storage = "EXTENDED"
                    case "m": storage = "MAIN"
                    default: storage = nil
                    }
                    if let storage {
                        q += "ALTER \(foreign)TABLE ONLY \(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) SET STORAGE \(storage);\n"
                    }
                }
                if !options.noToastCompression {
                    let cm: String? = t.attcompression[j] == "p" ? "pglz" : (t.attcompression[j] == "l" ? "lz4" : nil)
                    if let cm {
                        q += "ALTER \(foreign)TABLE ONLY \(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) SET COMPRESSION \(cm);\n"
                    }
                }
                if !t.attoptions[j].isEmpty {
                    q += "ALTER \(foreign)TABLE ONLY \(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) SET (\(t.attoptions[j]));\n"
                }
                if t.relkind == "f" && !t.attfdwoptions[j].isEmpty {
                    q += "ALTER FOREIGN TABLE \(fdwOnly)\(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) OPTIONS (\n    \(t.attfdwoptions[j])\n);\n"
                }
            }
        }
        if (t.relkind == "r" || t.relkind == "p" || t.relkind == "m") && t.relreplident != "d" {
            if t.relreplident == "n" {
                q += "\nALTER TABLE ONLY \(qualrelname) REPLICA IDENTITY NOTHING;\n"
            } else if t.relreplident == "f" {
                q += "\nALTER TABLE ONLY \(qualrelname) REPLICA IDENTITY FULL;\n"
            }
        }
        if t.forcerowsec {
            q += "\nALTER TABLE ONLY \(qualrelname) FORCE ROW LEVEL SECURITY;\n"
        }
        if t.dump.contains(.definition) {
            let tablespace: String? = ["r", "m", "p", "S"].contains(t.relkind) ? t.reltablespace : nil
            let tableam: String? = ["r", "m", "t", "p"].contains(t.relkind) ? t.amname : nil
            archiveEntry(catId: t.catId, dumpId: t.dumpId, EntryOptions(
                tag: t.name, namespace: t.namespace?.name, tablespace: tablespace, tableam: tableam,
                relkind: t.relkind, owner: t.ownerName, description: reltypename,
                section: t.postponedDef ? .postData : .preData, createStmt: q, dropStmt: delq))
        }
        if t.dump.contains(.comment) { try dumpTableComment(t, reltypename: reltypename, attnames: t.attnames) }
        if t.dump.contains(.secLabel) { try dumpTableSecLabel(t, reltypename: reltypename, attnames: t.attnames) }
        // Comments on NOT NULL constraints printed inside CREATE TABLE (server 18+).
        if !options.noComments && options.dumpSchema && cat.remoteVersion >= 180000 {
            for j in 0..<t.notnullConstrs.count {
                guard let name = t.notnullConstrs[j], let comment = t.notnullComment[j] else { continue }
                archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                    tag: "CONSTRAINT \(fmtId(name)) ON \(fmtId(t.name))", namespace: t.namespace?.name,
                    owner: t.ownerName, description: "COMMENT", section: .none,
                    createStmt: "COMMENT ON CONSTRAINT \(fmtId(name)) ON \(qualrelname) IS \(literal(comment));\n",
                    deps: [t.dumpId]))
            }
        }
        for c in t.checkexprs where !c.separate && c.conislocal && c.dump.contains(.comment) {
            try dumpTableConstraintComment(c)
        }
    }

    /// COMMENT ON a table's constraint, for constraints dumped inside CREATE TABLE.
    func dumpTableConstraintComment(_ c: ConstraintInfo) throws {
        guard let t = c.contable else { return }
        let tag = "CONSTRAINT \(fmtId(c.name)) ON"
        try dumpComment(type: tag, name: fmtId(t.name), namespace: t.namespace?.name, owner: t.ownerName,
                        catId: c.catId, dumpId: c.separate ? c.dumpId : t.dumpId)
    }

    func createViewAsClause(_ t: TableInfo) throws -> String {
        var def = try cat.viewDefinition(t)
        guard !def.isEmpty else { throw CatalogError("definition of view \"\(t.name)\" appears to be empty (length zero)") }
        if def.hasSuffix(";") { def.removeLast() }
        return def
    }

    func createDummyViewAsClause(_ t: TableInfo) -> String {
        var s = "SELECT"
        for j in 0..<t.attnames.count {
            if j > 0 { s += "," }
            s += "\n    NULL::\(t.atttypnames[j])"
            if t.attcollation[j] != 0, let coll = catalog.object(table: CatalogTable.pgCollation, oid: t.attcollation[j]) {
                s += " COLLATE " + qualified(coll)
            }
            s += " AS \(fmtId(t.attnames[j]))"
        }
        return s
    }

    /// The type's name as format_type prints it (pg_dump's getFormattedTypeName).
    func formattedTypeName(_ oid: UInt32) throws -> String {
        try cat.typedTableTypeName(oid: oid)
    }

    /// pg_dump's nonemptyReloptions: more than "{}".
    func nonemptyReloptions(_ s: String) -> Bool { s.utf8.count > 2 }

    /// pg_dump's getAttrName: a column's name by attnum, system columns (PostgreSQL 12+
    /// numbering) by their names. `attnames` defaults to the table's own columns.
    func getAttrName(_ attnum: Int, _ tbl: TableInfo, _ attnames: [String]? = nil) throws -> String {
        let names = attnames ?? tbl.attnames
        if attnum > 0 && attnum <= names.count { return names[attnum - 1] }
        switch attnum {
        case -1: return "ctid"
        case -2: return "xmin"
        case -3: return "cmin"
        case -4: return "xmax"
        case -5: return "cmax"
        case -6: return "tableoid"
        default: throw CatalogError("invalid column number \(attnum) for table \"\(tbl.name)\"")
        }
    }

    func dumpTableAttach(_ obj: DumpableObject) throws {
        guard let a = obj as? TableAttachInfo, options.dumpSchema else { return }
        let bound = try cat.partitionBound(a.partitionTbl)
        let q = "ALTER TABLE ONLY \(qualified(a.parentTbl)) ATTACH PARTITION \(qualified(a.partitionTbl)) \(bound);\n"
        archiveEntry(catId: a.catId, dumpId: a.dumpId, EntryOptions(
            tag: a.name, namespace: a.namespace?.name, owner: a.partitionTbl.ownerName,
            description: "TABLE ATTACH", section: .preData, createStmt: q))
    }

    func dumpAttrDef(_ obj: DumpableObject) throws {
        guard let d = obj as? AttrDefInfo, options.dumpSchema, d.separate else { return }
        let t = d.adtable
        let foreign = t.relkind == "f" ? "FOREIGN " : ""
        let col = fmtId(t.attnames[d.adnum - 1])
        let q = "ALTER \(foreign)TABLE ONLY \(qualified(t)) ALTER COLUMN \(col) SET DEFAULT \(d.adefSrc);\n"
        let delq = "ALTER \(foreign)TABLE \(qualified(t)) ALTER COLUMN \(col) DROP DEFAULT;\n"
        if d.dump.contains(.definition) {
            archiveEntry(catId: d.catId, dumpId: d.dumpId, EntryOptions(
                tag: "\(t.name) \(t.attnames[d.adnum - 1])", namespace: t.namespace?.name, owner: t.ownerName,
                description: "DEFAULT", section: .preData, createStmt: q, dropStmt: delq))
        }
    }

    // MARK: sequences

    func dumpSequence(_ t: TableInfo) throws {
        guard let r = try cat.sequenceDetails(t) else { throw CatalogError("could not read sequence \"\(t.name)\"") }
        let seqtype = r.seqtype
        let incby = Int64(r.seqincrement) ?? 1
        let minv = r.seqmin, maxv = r.seqmax
        let (typeMin, typeMax): (String, String)
        switch seqtype {
        case "smallint": (typeMin, typeMax) = ("-32768", "32767")
        case "integer": (typeMin, typeMax) = ("-2147483648", "2147483647")
        default: (typeMin, typeMax) = ("-9223372036854775808", "9223372036854775807")
        }
        let defaultMin = incby > 0 ? "1" : typeMin
        let defaultMax = incby > 0 ? typeMax : "-1"
        let qualname = qualified(t)
        var q = ""
        var owningTab: TableInfo? = nil
        if t.owningTab != 0 { owningTab = cat.table(oid: t.owningTab) }
        if t.isIdentitySequence, let ot = owningTab {
            q = "ALTER TABLE \(qualified(ot)) ALTER COLUMN \(fmtId(ot.attnames[t.owningCol - 1])) ADD GENERATED "
            q += ot.attidentity[t.owningCol - 1] == "a" ? "ALWAYS" : "BY DEFAULT"
            q += " AS IDENTITY (\n    SEQUENCE NAME \(qualname)\n"
            // pg_dump writes the persistence only where it differs from the owning table's
            // (the identity sequence otherwise follows its table).
            if t.relpersistence != ot.relpersistence { q += t.relpersistence == "u" ? "    UNLOGGED\n" : "    LOGGED\n" }
        } else {
            q = "CREATE \(t.relpersistence == "u" ? "UNLOGGED " : "")SEQUENCE \(qualname)\n"
            if seqtype != "bigint" { q += "    AS \(seqtype)\n" }
        }
        q += "    START WITH \(r.seqstart)\n"
        q += "    INCREMENT BY \(incby)\n"
        q += minv == defaultMin ? "    NO MINVALUE\n" : "    MINVALUE \(minv)\n"
        q += maxv == defaultMax ? "    NO MAXVALUE\n" : "    MAXVALUE \(maxv)\n"
        q += "    CACHE \(r.seqcache)\(r.seqcycle ? "\n    CYCLE" : "")"
        q += t.isIdentitySequence ? "\n);\n" : ";\n"
        // An identity sequence goes with its column: nothing to drop on its own.
        let delq = t.isIdentitySequence ? "" : "DROP SEQUENCE \(qualname);\n"
        if t.dump.contains(.definition) {
            archiveEntry(catId: t.catId, dumpId: t.dumpId, EntryOptions(
                tag: t.name, namespace: t.namespace?.name, owner: t.ownerName, description: "SEQUENCE",
                section: .preData, createStmt: q, dropStmt: delq))
        }
        if let ot = owningTab, !t.isIdentitySequence, ot.dump.contains(.definition), t.dump.contains(.definition) {
            let oq = "ALTER SEQUENCE \(qualname) OWNED BY \(qualified(ot)).\(fmtId(ot.attnames[t.owningCol - 1]));\n"
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: t.name, namespace: t.namespace?.name, owner: t.ownerName, description: "SEQUENCE OWNED BY",
                section: .preData, createStmt: oq, deps: [t.dumpId]))
        }
        if t.dump.contains(.comment) {
            try dumpComment(type: "SEQUENCE", name: fmtId(t.name), namespace: t.namespace?.name, owner: t.ownerName, catId: t.catId, dumpId: t.dumpId)
        }
        if t.dump.contains(.secLabel) {
            try dumpSecLabel(type: "SEQUENCE", name: fmtId(t.name), namespace: t.namespace?.name, owner: t.ownerName, catId: t.catId, dumpId: t.dumpId)
        }
    }

    func dumpSequenceData(_ obj: DumpableObject) throws {
        guard let td = obj as? TableDataInfo else { return }
        let t = td.tdtable
        guard let r = try cat.sequenceState(t) else { return }
        let q = "SELECT pg_catalog.setval(\(literal(qualified(t)))," + " \(r.lastValue), \(r.isCalled ? "true" : "false"));\n"
        if td.dump.contains(.data) {
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: t.name, namespace: t.namespace?.name, owner: t.ownerName, description: "SEQUENCE SET",
                section: .data, createStmt: q, deps: [t.dumpId]))
        }
    }

    // MARK: data

    func refreshMatViewData(_ obj: DumpableObject) throws {
        guard let td = obj as? TableDataInfo else { return }
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
    func dumpTableData(_ obj: DumpableObject) throws {
        guard let td = obj as? TableDataInfo else { return }
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

    /// pg_dump's sanitize_line: newlines and carriage returns become spaces.
    func sanitizeLine(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 == 0x0a || $0 == 0x0d ? 0x20 : $0 }, as: UTF8.self)
    }

    /// Comments of one object from pg_description, (objsubid, text), in pg_dump's order.
    func findComments(_ catId: CatalogId) -> [(Int, String)] {
        (catalog.comments[catId] ?? []).map { ($0.objsubid, $0.descr) }
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
