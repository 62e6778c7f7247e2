// Greenplum 7 and Cloudberry's additions to the globals (cloudberry.md §6), read from the
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

    /// The fork's dumpResGroups (Cloudberry's limit types 1 concurrency, 2 cpu_max_percent,
    /// 3 cpu_weight, 4 cpuset): a CPU-limited group gets concurrency, cpu_max_percent and
    /// cpu_weight, a cpuset group concurrency and cpuset.
    func dumpResourceGroups() throws {
        let res = try query("""
            SELECT g.rsgname AS groupname, t1.value AS concurrency, t2.value AS cpu_max_percent, \
            t3.value AS cpu_weight, t4.value AS cpuset FROM pg_catalog.pg_resgroup g \
            JOIN pg_catalog.pg_resgroupcapability t1 ON g.oid = t1.resgroupid AND t1.reslimittype = 1 \
            JOIN pg_catalog.pg_resgroupcapability t2 ON g.oid = t2.resgroupid AND t2.reslimittype = 2 \
            JOIN pg_catalog.pg_resgroupcapability t3 ON g.oid = t3.resgroupid AND t3.reslimittype = 3 \
            LEFT JOIN pg_catalog.pg_resgroupcapability t4 ON g.oid = t4.resgroupid AND t4.reslimittype = 4 \
            ORDER BY g.oid
            """)
        if !res.rows.isEmpty { out += "--\n-- Resource Group\n--\n\n" }
        for i in res.rows.indices {
            let cpu = res.value(i, "cpu_max_percent") ?? "-1"
            var settings: [(name: String, value: String)] = [("concurrency", res.value(i, "concurrency") ?? "")]
            if (Int(cpu) ?? -1) > 0 {
                settings += [("cpu_max_percent", cpu), ("cpu_weight", res.value(i, "cpu_weight") ?? "")]
            } else {
                settings.append(("cpuset", res.value(i, "cpuset") ?? ""))
            }
            out += MPPGlobalsDDL.resourceGroup(name: res.value(i, "groupname") ?? "", settings: settings, quoter: utils.quoter)
        }
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
