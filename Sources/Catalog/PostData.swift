import PostgresClient
// Indexes, index-backed and foreign-key constraints, triggers, rules, policies, extended
// statistics, event triggers (pg_dump.c's getIndexes ... getEventTriggers, common.c's
// flagInhIndexes). Each per-table catalog is read in one query over the OIDs of the tables
// of interest, as pg_dump does: server-side deparsing functions must only see locked tables.

extension CatalogContext {
    /// The tables (TableInfo objects) in pg_dump's tblinfo order: by OID, as getTables
    /// read them.
    fileprivate var tablesInOidOrder: [TableInfo] {
        catalog.allObjects.compactMap { $0 as? TableInfo }.sorted { $0.catId.oid < $1.catId.oid }
    }

    fileprivate func findTable(_ oid: UInt32) -> TableInfo? {
        catalog.object(table: CatalogTable.pgClass, oid: oid) as? TableInfo
    }

    /// The '{oid,oid,...}' array literal of the tables' OIDs.
    fileprivate func oidArrayLiteral(_ tables: [TableInfo]) -> String {
        "{" + tables.map { String($0.catId.oid) }.joined(separator: ",") + "}"
    }

    // MARK: indexes

    /// getIndexes' query, for the interesting tables that have indexes (as they are now).
    func indexQuery() -> String { indexQuery(indexedTables()) }

    /// The interesting tables that have indexes, in OID order.
    func indexedTables() -> [TableInfo] { tablesInOidOrder.filter { $0.hasindex && $0.interesting } }

    /// getIndexes' query for `wanted`; its rows come ordered by table OID.
    func indexQuery(_ wanted: [TableInfo]) -> String {
        var q = "SELECT t.tableoid, t.oid, i.indrelid, t.relname AS indexname, "
            + "t.relpages, t.reltuples, t.relallvisible, "
        q += remoteVersion >= 180000 ? "t.relallfrozen, " : "0 AS relallfrozen, "
        // An index that implements a constraint is dumped from the constraint's definition
        // (dumpConstraint), never from its own: pg_get_indexdef, the dearest part of the
        // query, is asked only for the others (pg_dump asks it for every index).
        q += "CASE WHEN c.oid IS NULL THEN pg_catalog.pg_get_indexdef(i.indexrelid) END AS indexdef, "
            + "i.indkey, i.indisclustered, "
            + "c.contype, c.conname, "
            + "c.condeferrable, c.condeferred, "
            + "c.tableoid AS contableoid, "
            + "c.oid AS conoid, "
            + "pg_catalog.pg_get_constraintdef(c.oid, false) AS condef, "
            + "CASE WHEN i.indexprs IS NOT NULL THEN "
            + "(SELECT pg_catalog.array_agg(attname ORDER BY attnum)"
            + "  FROM pg_catalog.pg_attribute "
            + "  WHERE attrelid = i.indexrelid) "
            + "ELSE NULL END AS indattnames, "
            + "(SELECT spcname FROM pg_catalog.pg_tablespace s WHERE s.oid = t.reltablespace) AS tablespace, "
            + "t.reloptions AS indreloptions, "
        q += remoteVersion >= 90400 ? "i.indisreplident, " : "false AS indisreplident, "
        if remoteVersion >= 110000 {
            q += "inh.inhparent AS parentidx, "
                + "i.indnkeyatts AS indnkeyatts, "
                + "i.indnatts AS indnatts, "
        } else {
            q += "0 AS parentidx, "
                + "i.indnatts AS indnkeyatts, "
                + "i.indnatts AS indnatts, "
        }
        q += remoteVersion >= 150000 ? "i.indnullsnotdistinct, " : "false AS indnullsnotdistinct, "
        q += remoteVersion >= 180000 ? "c.conperiod " : "NULL AS conperiod "
        let oids = oidArrayLiteral(wanted)
        if remoteVersion >= 110000 {
            q += "FROM unnest('\(oids)'::pg_catalog.oid[]) AS src(tbloid)\n"
                + "JOIN pg_catalog.pg_index i ON (src.tbloid = i.indrelid) "
                + "JOIN pg_catalog.pg_class t ON (t.oid = i.indexrelid) "
                + "JOIN pg_catalog.pg_class t2 ON (t2.oid = i.indrelid) "
                + "LEFT JOIN pg_catalog.pg_constraint c "
                + "ON (i.indrelid = c.conrelid AND "
                + "i.indexrelid = c.conindid AND "
                + "c.contype IN ('p','u','x')) "
                + "LEFT JOIN pg_catalog.pg_inherits inh "
                + "ON (inh.inhrelid = indexrelid) "
                + "WHERE (i.indisvalid OR t2.relkind = 'p') "
                + "AND i.indisready "
                + "ORDER BY i.indrelid, indexname"
        } else {
            q += "FROM unnest('\(oids)'::pg_catalog.oid[]) AS src(tbloid)\n"
                + "JOIN pg_catalog.pg_index i ON (src.tbloid = i.indrelid) "
                + "JOIN pg_catalog.pg_class t ON (t.oid = i.indexrelid) "
                + "LEFT JOIN pg_catalog.pg_constraint c "
                + "ON (i.indrelid = c.conrelid AND "
                + "i.indexrelid = c.conindid AND "
                + "c.contype IN ('p','u','x')) "
                + "WHERE i.indisvalid AND i.indisready "
                + "ORDER BY i.indrelid, indexname"
        }
        return q
    }

    /// Sends getIndexes' query ahead on a helper connection in the dump's snapshot, once the
    /// tables are locked, when there are enough tables for it to pay: the server's
    /// pg_get_indexdef for every index was about half of a 10,000-table schema dump's time,
    /// and this connection has other catalogs to read meanwhile. getIndexes uses the result only if
    /// its query is still the same (the set of interesting tables can grow after getTables)
    /// and the helper got it; otherwise it runs the query here, as without a helper.
    ///
    /// With many tables the query is split by OID range over two helpers, so that the
    /// server can compute the definitions on two cores.
    func sendIndexQueryAhead() {
        guard let connect = helperConnection else { return }
        let wanted = indexedTables()
        guard wanted.count >= Self.queryAheadMinimumTables else { return }
        let half = wanted.count >= 2 * Self.queryAheadMinimumTables ? wanted.count / 2 : wanted.count
        let ranges = half == wanted.count ? [wanted[...]] : [wanted[..<half], wanted[half...]]
        var lists = ranges.map { [indexQuery(Array($0))] }
        // pg_depend's query does not depend on what was read: the first helper runs it next.
        lists[0].append(Self.dependencyQuery)
        // pg_depend's rows are kept as edges: a tenth of libpq's memory for them.
        // The index columns' statistics targets go to the helper with the least to do.
        let statistics = remoteVersion >= 110000
        if statistics { lists[lists.count - 1].append(Self.indexStatisticsQuery) }
        let helpers = lists.enumerated().map { i, list in
            var compact: [Int: @Sendable (RawResult) -> any Sendable] = [:]
            if i == 0 { compact[1] = { Self.dependencyEdges($0) } }
            if statistics && i == lists.count - 1 { compact[list.count - 1] = { Self.indexStatisticsTargets(RowSet($0)) } }
            return QueryAhead(list, compact: compact, connect: connect)
        }
        indexQueryAhead = (indexQuery(wanted), helpers)
        dependenciesAhead = helpers[0]
        statisticsAhead = statistics ? helpers[helpers.count - 1] : nil
    }

    /// The rows of `sql` from the helpers, when it is the query they ran and every part came
    /// back. Each part is ordered by table OID and holds an OID range: together, the rows in
    /// the order of `sql`.
    func indexRowsSentAhead(_ sql: String) -> [Row]? {
        guard let ahead = indexQueryAhead, ahead.sql == sql else { return nil }
        var rows: [Row] = []
        for part in ahead.parts {
            guard let result = part.result(0) else { return nil }
            rows += result.namedRows
        }
        return rows
    }

    /// The index columns given a statistics target (ALTER INDEX ... ALTER COLUMN ...
    /// SET STATISTICS), by index OID: pg_dump's indstatcols and indstatvals, the same
    /// arrays (text) as its per-index subqueries make, from one query. Those two correlated
    /// subqueries, run for each of 20,000 indexes, were more than half of the server's time
    /// in getIndexes' query; this reads pg_attribute once. Before 11 pg_dump has none.
    func indexStatisticsTargets() throws -> [UInt32: (columns: String, values: String)] {
        guard remoteVersion >= 110000 else { return [:] }
        if let ahead = statisticsAhead?.value(statisticsAhead!.queries.count - 1) as? [UInt32: (columns: String, values: String)] {
            statisticsAhead = nil
            return ahead
        }
        statisticsAhead = nil
        return Self.indexStatisticsTargets(RowSet(try conn.executeSqlQuery(Self.indexStatisticsQuery)))
    }

    static let indexStatisticsQuery = """
        SELECT a.attrelid, \
        pg_catalog.array_agg(a.attnum ORDER BY a.attnum) AS indstatcols, \
        pg_catalog.array_agg(a.attstattarget ORDER BY a.attnum) AS indstatvals \
        FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_index i ON (i.indexrelid = a.attrelid) \
        WHERE a.attstattarget >= 0 GROUP BY a.attrelid
        """

    static func indexStatisticsTargets(_ rows: RowSet) -> [UInt32: (columns: String, values: String)] {
        var targets: [UInt32: (columns: String, values: String)] = [:]
        for i in 0..<rows.result.rowCount {
            let r = Row(rows: rows, row: i)
            targets[r.oid("attrelid")] = (r.str("indstatcols"), r.str("indstatvals"))
        }
        return targets
    }

    /// pg_dump's getIndexes: every valid index of the interesting tables that have indexes,
    /// and for each index implementing a p/u/x constraint, that constraint.
    func getIndexes() throws {
        let sql = indexQuery()
        let rows = try indexRowsSentAhead(sql) ?? query(sql)
        indexQueryAhead = nil
        let statistics = try indexStatisticsTargets()
        for r in rows {
            let indrelid = r.oid("indrelid")
            guard let tbinfo = findTable(indrelid) else {
                throw CatalogError("unrecognized table OID \(indrelid)")
            }
            guard tbinfo.hasindex && tbinfo.interesting else {
                throw CatalogError("unexpected index data for table \"\(tbinfo.name)\"")
            }
            let idx = IndxInfo(catId: r.catId(), name: r.str("indexname"), table: tbinfo)
            catalog.assignDumpId(idx)
            idx.dump = tbinfo.dump
            idx.indexdef = r.str("indexdef")
            idx.indnkeyattrs = r.int("indnkeyatts")
            idx.indnattrs = r.int("indnatts")
            idx.tablespace = r.str("tablespace")
            idx.indreloptions = r.str("indreloptions")
            idx.indstatcols = statistics[idx.catId.oid]?.columns ?? ""
            idx.indstatvals = statistics[idx.catId.oid]?.values ?? ""
            var keys = r.str("indkey").split(separator: " ").map { Int($0) ?? 0 }
            // parseOidArray fills exactly indnattrs slots, zero-padding a short vector.
            if keys.count < idx.indnattrs { keys += Array(repeating: 0, count: idx.indnattrs - keys.count) }
            idx.indkeys = Array(keys.prefix(idx.indnattrs))
            idx.indisclustered = r.bool("indisclustered")
            idx.indisreplident = r.bool("indisreplident")
            idx.indnullsnotdistinct = r.bool("indnullsnotdistinct")
            idx.parentidx = r.oid("parentidx")
            tbinfo.indexes.append(idx)

            // pg_dump 18: the index's statistics object, between the index and its
            // constraint. An expression index's attribute statistics go by column number.
            var relstats: RelStatsInfo? = nil
            if options.dumpStatistics {
                var indAttNames: [String] = []
                if let text = r.opt("indattnames") {
                    guard let names = parsePGArray(text) else { throw CatalogError("could not parse indattnames array") }
                    indAttNames = names
                }
                relstats = getRelationStatistics(idx, relpages: r.int("relpages"), reltuples: r.str("reltuples"),
                                      relallvisible: r.int("relallvisible"), relallfrozen: r.int("relallfrozen"),
                                      relkind: tbinfo.relkind == "p" ? "I" : "i", indAttNames: indAttNames)
            }

            let contype = r.char("contype")
            if contype == "p" || contype == "u" || contype == "x" {
                let con = ConstraintInfo(catId: r.catId("contableoid", "conoid"), name: r.str("conname"),
                                         namespace: tbinfo.namespace, type: .constraint)
                catalog.assignDumpId(con)
                con.dump = tbinfo.dump
                con.contable = tbinfo
                con.contype = contype!
                con.condef = contype == "x" ? r.str("condef") : nil
                con.confrelid = 0
                con.conindex = idx.dumpId
                con.condeferrable = r.bool("condeferrable")
                con.condeferred = r.bool("condeferred")
                con.conperiod = r.bool("conperiod")
                con.conislocal = true
                con.separate = true
                con.sortKey = .constraint(domain: nil, table: tbinfo.name)
                idx.indexconstraint = con.dumpId
                // The constraint makes the index: its statistics come after it.
                relstats?.addDependency(con.dumpId)
            }
        }
    }

    /// common.c's flagInhIndexes: an INDEX ATTACH object for each partition's index that
    /// is a partition of its parent's partitioned index.
    func flagInhIndexes() throws {
        for tbinfo in tablesInOidOrder where tbinfo.ispartition && !tbinfo.parents.isEmpty {
            for index in tbinfo.indexes where index.parentidx != 0 {
                guard let parentidx = catalog.object(table: CatalogTable.pgClass, oid: index.parentidx) as? IndxInfo
                else { continue }
                let attach = IndexAttachInfo(parent: parentidx, partition: index)
                catalog.assignDumpId(attach)
                // Stated explicitly: nothing in pg_depend matches these objects.
                attach.addDependency(index.dumpId)
                attach.addDependency(parentidx.dumpId)
                attach.addDependency(index.indextable.dumpId)
                attach.addDependency(parentidx.indextable.dumpId)
                parentidx.partattaches.append(attach)
            }
        }
    }

    // MARK: extended statistics

    /// pg_dump's getExtendedStatistics.
    func getExtendedStatistics() throws {
        if remoteVersion < 100000 { return }
        let q = remoteVersion < 130000
            ? "SELECT tableoid, oid, stxname, stxnamespace, stxowner, stxrelid, NULL AS stxstattarget FROM pg_catalog.pg_statistic_ext"
            : "SELECT tableoid, oid, stxname, stxnamespace, stxowner, stxrelid, stxstattarget FROM pg_catalog.pg_statistic_ext"
        for r in try query(q) {
            let s = StatsExtInfo(catId: r.catId(), name: r.str("stxname"),
                                 namespace: catalog.namespace(oid: r.oid("stxnamespace")))
            catalog.assignDumpId(s)
            s.ownerName = catalog.roleName(r.oid("stxowner"))
            s.stattable = findTable(r.oid("stxrelid"))
            s.stattarget = r.isNull("stxstattarget") ? -1 : r.int("stxstattarget")
            selectDumpableStatisticsObject(s)
        }
    }

    /// pg_dump's selectDumpableStatisticsObject: as its schema says, but never without its
    /// table's definition.
    func selectDumpableStatisticsObject(_ s: StatsExtInfo) {
        if checkExtensionMembership(s) { return }
        s.dump = s.namespace?.dumpContains ?? .none
        if s.stattable == nil || !s.stattable!.dump.contains(.definition) { s.dump = .none }
    }

    // MARK: foreign keys

    /// pg_dump's getConstraints: the foreign keys of tables whose definition is dumped
    /// (other constraint kinds come with indexes, columns and domains).
    func getConstraints() throws {
        let wanted = tablesInOidOrder.filter { $0.dump.contains(.definition) }
        var q = "SELECT c.tableoid, c.oid, conrelid, conname, confrelid, "
        q += remoteVersion >= 110000 ? "conindid, " : "0 AS conindid, "
        q += "pg_catalog.pg_get_constraintdef(c.oid) AS condef\n"
            + "FROM unnest('\(oidArrayLiteral(wanted))'::pg_catalog.oid[]) AS src(tbloid)\n"
            + "JOIN pg_catalog.pg_constraint c ON (src.tbloid = c.conrelid)\n"
            + "WHERE contype = 'f' "
        if remoteVersion >= 110000 { q += "AND conparentid = 0 " }
        q += "ORDER BY conrelid, conname"

        for r in try query(q) {
            let conrelid = r.oid("conrelid")
            guard let tbinfo = findTable(conrelid) else {
                throw CatalogError("unrecognized table OID \(conrelid)")
            }
            let con = ConstraintInfo(catId: r.catId(), name: r.str("conname"),
                                     namespace: tbinfo.namespace, type: .fkConstraint)
            catalog.assignDumpId(con)
            con.contable = tbinfo
            con.contype = "f"
            con.condef = r.str("condef")
            con.confrelid = r.oid("confrelid")
            con.conindex = 0
            con.condeferrable = false
            con.condeferred = false
            con.conislocal = true
            con.separate = true
            con.sortKey = .constraint(domain: nil, table: tbinfo.name)

            // An FK to a partitioned table must wait until every partition of the
            // referenced index is attached.
            if let reftable = findTable(con.confrelid), reftable.relkind == "p" {
                let indexOid = r.oid("conindid")
                if indexOid != 0, let refidx = reftable.indexes.first(where: { $0.catId.oid == indexOid }) {
                    addConstrChildIdxDeps(con, refidx)
                }
            }
        }
    }

    private func addConstrChildIdxDeps(_ obj: DumpableObject, _ refidx: IndxInfo) {
        for attach in refidx.partattaches {
            obj.addDependency(attach.dumpId)
            if !attach.partitionIdx.partattaches.isEmpty {
                addConstrChildIdxDeps(obj, attach.partitionIdx)
            }
        }
    }

    // MARK: rules

    /// pg_dump's getRules: every rule in the database (views' ON SELECT rules included).
    func getRules() throws {
        let q = "SELECT tableoid, oid, rulename, ev_class AS ruletable, ev_type, is_instead, ev_enabled "
            + "FROM pg_rewrite ORDER BY oid"
        for r in try query(q) {
            let ruletableoid = r.oid("ruletable")
            guard let tbinfo = findTable(ruletableoid) else {
                throw CatalogError("failed sanity check, parent table with OID \(ruletableoid) of pg_rewrite entry with OID \(r.oid("oid")) not found")
            }
            let rule = RuleInfo(catId: r.catId(), name: r.str("rulename"), table: tbinfo)
            catalog.assignDumpId(rule)
            rule.dump = tbinfo.dump
            rule.evType = r.char("ev_type") ?? "1"
            rule.isInstead = r.bool("is_instead")
            rule.evEnabled = r.char("ev_enabled") ?? "O"
            rule.sortKey = .table(tbinfo.name)
            if (tbinfo.relkind == "v" || tbinfo.relkind == "m") && rule.evType == "1" && rule.isInstead {
                // A view's ON SELECT rule sorts before the view, so that its dependencies
                // place the view; CREATE VIEW makes it, if the sorter need not split them.
                tbinfo.addDependency(rule.dumpId)
                rule.separate = false
            } else {
                rule.addDependency(tbinfo.dumpId)
                rule.separate = true
            }
        }
    }

    // MARK: triggers

    /// pg_dump's getTriggers: user triggers of tables whose definition is dumped, and
    /// partitions' clones whose enabled state differs from their parent trigger's.
    func getTriggers() throws {
        let wanted = tablesInOidOrder.filter { $0.hastriggers && $0.dump.contains(.definition) }
        let oids = oidArrayLiteral(wanted)
        let q: String
        if remoteVersion >= 150000 {
            q = "SELECT t.tgrelid, t.tgname, "
                + "pg_catalog.pg_get_triggerdef(t.oid, false) AS tgdef, "
                + "t.tgenabled, t.tableoid, t.oid, "
                + "t.tgparentid <> 0 AS tgispartition\n"
                + "FROM unnest('\(oids)'::pg_catalog.oid[]) AS src(tbloid)\n"
                + "JOIN pg_catalog.pg_trigger t ON (src.tbloid = t.tgrelid) "
                + "LEFT JOIN pg_catalog.pg_trigger u ON (u.oid = t.tgparentid) "
                + "WHERE ((NOT t.tgisinternal AND t.tgparentid = 0) "
                + "OR t.tgenabled != u.tgenabled) "
                + "ORDER BY t.tgrelid, t.tgname"
        } else if remoteVersion >= 130000 {
            q = "SELECT t.tgrelid, t.tgname, "
                + "pg_catalog.pg_get_triggerdef(t.oid, false) AS tgdef, "
                + "t.tgenabled, t.tableoid, t.oid, t.tgisinternal as tgispartition\n"
                + "FROM unnest('\(oids)'::pg_catalog.oid[]) AS src(tbloid)\n"
                + "JOIN pg_catalog.pg_trigger t ON (src.tbloid = t.tgrelid) "
                + "LEFT JOIN pg_catalog.pg_trigger u ON (u.oid = t.tgparentid) "
                + "WHERE (NOT t.tgisinternal OR t.tgenabled != u.tgenabled) "
                + "ORDER BY t.tgrelid, t.tgname"
        } else if remoteVersion >= 110000 {
            q = "SELECT t.tgrelid, t.tgname, "
                + "pg_catalog.pg_get_triggerdef(t.oid, false) AS tgdef, "
                + "t.tgenabled, t.tableoid, t.oid, t.tgisinternal as tgispartition "
                + "FROM unnest('\(oids)'::pg_catalog.oid[]) AS src(tbloid)\n"
                + "JOIN pg_catalog.pg_trigger t ON (src.tbloid = t.tgrelid) "
                + "LEFT JOIN pg_catalog.pg_depend AS d ON "
                + " d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND "
                + " d.refclassid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND "
                + " d.objid = t.oid "
                + "LEFT JOIN pg_catalog.pg_trigger AS pt ON pt.oid = refobjid "
                + "WHERE (NOT t.tgisinternal OR t.tgenabled != pt.tgenabled) "
                + "ORDER BY t.tgrelid, t.tgname"
        } else {
            q = "SELECT t.tgrelid, t.tgname, "
                + "pg_catalog.pg_get_triggerdef(t.oid, false) AS tgdef, "
                + "t.tgenabled, false as tgispartition, "
                + "t.tableoid, t.oid "
                + "FROM unnest('\(oids)'::pg_catalog.oid[]) AS src(tbloid)\n"
                + "JOIN pg_catalog.pg_trigger t ON (src.tbloid = t.tgrelid) "
                + "WHERE NOT tgisinternal "
                + "ORDER BY t.tgrelid, t.tgname"
        }
        for r in try query(q) {
            let tgrelid = r.oid("tgrelid")
            guard let tbinfo = findTable(tgrelid) else {
                throw CatalogError("unrecognized table OID \(tgrelid)")
            }
            let tg = TriggerInfo(catId: r.catId(), name: r.str("tgname"), table: tbinfo)
            catalog.assignDumpId(tg)
            tg.tgenabled = r.char("tgenabled") ?? "O"
            tg.tgispartition = r.bool("tgispartition")
            tg.tgdef = r.str("tgdef")
            tg.sortKey = .table(tbinfo.name)
        }
    }

    // MARK: event triggers

    /// pg_dump's getEventTriggers.
    func getEventTriggers() throws {
        if remoteVersion < 90300 { return }
        let q = "SELECT e.tableoid, e.oid, evtname, evtenabled, "
            + "evtevent, evtowner, "
            + "array_to_string(array("
            + "select quote_literal(x) "
            + " from unnest(evttags) as t(x)), ', ') as evttags, "
            + "e.evtfoid::regproc as evtfname "
            + "FROM pg_event_trigger e "
            + "ORDER BY e.oid"
        for r in try query(q) {
            let evt = EventTriggerInfo(catId: r.catId(), name: r.str("evtname"))
            catalog.assignDumpId(evt)
            evt.evtevent = r.str("evtevent")
            evt.evtowner = catalog.roleName(r.oid("evtowner"))
            evt.evttags = r.str("evttags")
            evt.evtfname = r.str("evtfname")
            evt.evtenabled = r.char("evtenabled") ?? "O"
            selectDumpableObject(evt)
        }
    }

    // MARK: policies

    /// pg_dump's getPolicies: a ROW SECURITY pseudo-policy for each dumped table with
    /// row-level security enabled, and the policies of those tables.
    func getPolicies() throws {
        if remoteVersion < 90500 || options.noPolicies { return }
        var wanted: [TableInfo] = []
        for tbinfo in tablesInOidOrder {
            if !tbinfo.dump.contains(.policy) { continue }
            if tbinfo.relkind != "r" && tbinfo.relkind != "p" { continue }
            wanted.append(tbinfo)
            if tbinfo.rowsec {
                tbinfo.components.insert(.policy)
                // tableoid 0: this object must match nothing in pg_depend.
                let pol = PolicyInfo(catId: CatalogId(tableoid: 0, oid: tbinfo.catId.oid),
                                     name: tbinfo.name, table: tbinfo)
                catalog.assignDumpId(pol)
                pol.polname = nil
                pol.polcmd = "\0"
                pol.polpermissive = false
                pol.sortKey = .table(tbinfo.name)
            }
        }
        info("reading row-level security policies")
        var q = "SELECT pol.oid, pol.tableoid, pol.polrelid, pol.polname, pol.polcmd, "
        q += remoteVersion >= 100000 ? "pol.polpermissive, " : "'t' as polpermissive, "
        q += "CASE WHEN pol.polroles = '{0}' THEN NULL ELSE "
            + "   pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(rolname) from pg_catalog.pg_roles WHERE oid = ANY(pol.polroles)), ', ') END AS polroles, "
            + "pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS polqual, "
            + "pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS polwithcheck "
            + "FROM unnest('\(oidArrayLiteral(wanted))'::pg_catalog.oid[]) AS src(tbloid)\n"
            + "JOIN pg_catalog.pg_policy pol ON (src.tbloid = pol.polrelid)"
        for r in try query(q) {
            let polrelid = r.oid("polrelid")
            guard let tbinfo = findTable(polrelid) else {
                throw CatalogError("unrecognized table OID \(polrelid)")
            }
            tbinfo.components.insert(.policy)
            let pol = PolicyInfo(catId: r.catId(), name: r.str("polname"), table: tbinfo)
            catalog.assignDumpId(pol)
            pol.polname = r.str("polname")
            pol.polcmd = r.char("polcmd") ?? "*"
            pol.polpermissive = r.bool("polpermissive")
            pol.polroles = r.opt("polroles")
            pol.polqual = r.opt("polqual")
            pol.polwithcheck = r.opt("polwithcheck")
            pol.sortKey = .table(tbinfo.name)
        }
    }
}
