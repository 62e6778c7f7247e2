// Greenplum 7 and Cloudberry's additions to the globals (docs/mpp.md, "Globals"), read from the
// fork's catalogs: resource queues and groups (only when asked for, as the fork's
// pg_dumpall), the roles' RESOURCE QUEUE / GROUP and CREATEEXTTABLE clauses, and role time
// constraints. None of it runs against PostgreSQL. The statements are made by MPPGlobalsDDL.
import Dump
import PostgresClient

extension ClusterDump {
    /// An MPP session that sees one node only is refused, as cbdump refuses it; the MPP
    /// options are refused on PostgreSQL.
    func checkServer() throws {
        server = try conn.detectServer()
        if server.isMPP {
            if let refusal = try conn.mppSessionRefusal(server) { throw DumpAllError(refusal.description) }
            return
        }
        let asked: [(Bool, String)] = [
            (options.gpSyntax == true, "--gp-syntax"), (options.resourceQueues, "--resource-queues"),
            (options.resourceGroups, "--resource-groups"),
        ]
        if let option = asked.first(where: { $0.0 })?.1 {
            throw DumpAllError("option \(option) requires a Greenplum or Cloudberry server")
        }
    }
}

extension GlobalsWriter {
    /// The extra columns of dumpRoles' query on an MPP server.
    var mppRoleColumns: String {
        guard mpp else { return "" }
        var s = ", rolcreaterextgpfd, rolcreaterexthttp, rolcreatewextgpfd"
        if options.resourceQueues {
            s += ", (SELECT rsqname FROM pg_catalog.pg_resqueue WHERE pg_resqueue.oid = rolresqueue) AS rolqueuename"
        }
        if options.resourceGroups {
            s += ", (SELECT rsgname FROM pg_catalog.pg_resgroup WHERE pg_resgroup.oid = rolresgroup) AS rolgroupname"
        }
        return s + " "
    }

    /// The role's MPP clauses for its ALTER ROLE, from the columns above.
    func mppRoleClauses(_ res: QueryResult, _ i: Int) -> String {
        guard mpp else { return "" }
        return MPPGlobalsDDL.roleResourceClauses(
            queue: options.resourceQueues ? res.value(i, "rolqueuename") : nil,
            group: options.resourceGroups ? res.value(i, "rolgroupname") : nil, quoter: utils.quoter)
            + MPPGlobalsDDL.roleExternalTableClauses(
                readableGpfdist: res.value(i, "rolcreaterextgpfd") == "t",
                writableGpfdist: res.value(i, "rolcreatewextgpfd") == "t",
                http: res.value(i, "rolcreaterexthttp") == "t")
    }

    /// The fork's dumpResQueues: one statement per queue, in name order, with its
    /// capabilities in resource-type order.
    func dumpResourceQueues() throws {
        let queues = try query("""
            SELECT oid, rsqname, rsqcountlimit::pg_catalog.float8 AS activelimit, \
            rsqcostlimit::pg_catalog.float8 AS costlimit, rsqovercommit, \
            rsqignorecostlimit::pg_catalog.float8 AS ignorecostlimit \
            FROM pg_catalog.pg_resqueue ORDER BY rsqname
            """)
        let caps = try query("""
            SELECT rc.resqueueid, rt.resname, rc.ressetting \
            FROM pg_catalog.pg_resqueuecapability rc JOIN pg_catalog.pg_resourcetype rt ON rc.restypid = rt.restypid \
            ORDER BY rc.resqueueid, rt.restypid
            """)
        var byQueue: [String: [(name: String, value: String)]] = [:]
        for i in caps.rows.indices {
            byQueue[caps.value(i, "resqueueid") ?? "", default: []]
                .append((caps.value(i, "resname") ?? "", caps.value(i, "ressetting") ?? ""))
        }
        if !queues.rows.isEmpty { out += "--\n-- Resource Queues\n--\n\n" }
        for i in queues.rows.indices {
            func num(_ col: String) -> Double { Double(queues.value(i, col) ?? "") ?? -1 }
            let facts = ResourceQueueFacts(
                name: queues.value(i, "rsqname") ?? "", activeLimit: num("activelimit"), costLimit: num("costlimit"),
                overcommit: queues.value(i, "rsqovercommit") == "t", ignoreCostLimit: num("ignorecostlimit"),
                capabilities: byQueue[queues.value(i, "oid") ?? ""] ?? [])
            out += MPPGlobalsDDL.resourceQueue(facts, quoter: utils.quoter)
        }
        out += "\n\n"
    }

    /// The fork's dumpResGroups, with each group's limits as the server names them: the
    /// columns of its gp_toolkit.gp_resgroup_config view after groupid and groupname (one per
    /// pg_resgroupcapability.reslimittype, in that order), since the limits differ between
    /// releases that all call themselves Greenplum 7.
    func dumpResourceGroups() throws {
        let view = try query("SELECT pg_catalog.to_regclass('gp_toolkit.gp_resgroup_config') IS NOT NULL AS present")
        guard view.value(0, "present") == "t" else {
            throw DumpAllError("cannot dump resource groups: view gp_toolkit.gp_resgroup_config, which names their limits, is missing")
        }
        let res = try query("SELECT * FROM gp_toolkit.gp_resgroup_config ORDER BY groupid")
        guard let nameColumn = res.columns.firstIndex(of: "groupname") else {
            throw DumpAllError("cannot dump resource groups: gp_toolkit.gp_resgroup_config has no column groupname")
        }
        let limitColumns = res.columns.indices.filter { !["groupid", "groupname"].contains(res.columns[$0]) }
        let groups = res.rows.map { row in
            ResourceGroupFacts(name: row[nameColumn] ?? "", limits: limitColumns.map { (res.columns[$0], row[$0]) })
        }
        if !groups.isEmpty { out += "--\n-- Resource Group\n--\n\n" }
        out += MPPGlobalsDDL.resourceGroups(groups, quoter: utils.quoter)
        out += "\n\n"
    }

    /// The fork's dumpRoleConstraints: ALTER ROLE ... DENY BETWEEN per time constraint.
    func dumpRoleTimeConstraints() throws {
        let res = try query("""
            SELECT a.rolname, c.start_day, c.start_time, c.end_day, c.end_time \
            FROM \(roleCatalog) a, pg_catalog.pg_auth_time_constraint c WHERE a.oid = c.authid ORDER BY 1
            """)
        if !res.rows.isEmpty { out += "--\n-- Role time constraints\n--\n\n" }
        for row in res.rows {
            out += "ALTER ROLE \(fmtId(row[0] ?? "")) DENY BETWEEN DAY \(row[1] ?? "") TIME \(literal(row[2] ?? "")) " +
                "AND DAY \(row[3] ?? "") TIME \(literal(row[4] ?? ""));\n"
        }
        out += "\n\n"
    }
}
