import XCTest
import PostgresClient
import TestSupport
@testable import DumpAll

/// Resource queues, groups and role clauses, from cloudberry.md §6's facts (no server).
final class MPPGlobalsDDLTests: XCTestCase {
    let q = SQLQuoter(major: 15)

    func testResourceQueuesAsGP7PrintsThem() {
        let caps: [(name: String, value: String)] = [("priority", "medium"), ("memory_limit", "-1")]
        let def = ResourceQueueFacts(name: "pg_default", activeLimit: 20, costLimit: -1, overcommit: false, ignoreCostLimit: 0, capabilities: caps)
        let rq1 = ResourceQueueFacts(name: "rq1", activeLimit: 5, costLimit: -1, overcommit: false, ignoreCostLimit: 0, capabilities: caps)
        XCTAssertEqual(MPPGlobalsDDL.resourceQueue(def, quoter: q) + MPPGlobalsDDL.resourceQueue(rq1, quoter: q), """
            ALTER RESOURCE QUEUE pg_default ACTIVE THRESHOLD 20 NOOVERCOMMIT
             WITH ( priority=medium,
             memory_limit=-1) ;
            CREATE RESOURCE QUEUE rq1 ACTIVE THRESHOLD 5 NOOVERCOMMIT
             WITH ( priority=medium,
             memory_limit=-1) ;

            """)
    }

    func testResourceQueueWithoutCapabilitiesHasNoWithList() {
        // pg_dumpall writes ") " only to close a WITH list.
        let f = ResourceQueueFacts(name: "bare", activeLimit: 3, costLimit: -1, overcommit: false, ignoreCostLimit: -1, capabilities: [])
        XCTAssertEqual(MPPGlobalsDDL.resourceQueue(f, quoter: q), "CREATE RESOURCE QUEUE bare ACTIVE THRESHOLD 3 NOOVERCOMMIT;\n")
    }

    func testResourceQueueThresholdsAndQuotedMemory() {
        let f = ResourceQueueFacts(name: "Big Q", activeLimit: -1, costLimit: 1000.5, overcommit: true, ignoreCostLimit: 2,
                                   capabilities: [("priority", "high"), ("memory_limit", "2000MB")])
        XCTAssertEqual(MPPGlobalsDDL.resourceQueue(f, quoter: q),
                       "CREATE RESOURCE QUEUE \"Big Q\" COST THRESHOLD 1000.50 IGNORE THRESHOLD 2.00 OVERCOMMIT\n WITH ( priority=high,\n memory_limit='2000MB') ;\n")
    }

    /// Cloudberry's limit names (gp_resgroup_config: concurrency, cpu_max_percent,
    /// cpu_weight, cpuset, ...): no budget to make room in, CPU limits after the others.
    func testResourceGroupsWithCloudberryLimits() {
        func g(_ name: String, _ values: [String?]) -> ResourceGroupFacts {
            ResourceGroupFacts(name: name, limits: Array(zip(["concurrency", "cpu_max_percent", "cpu_weight", "cpuset", "memory_quota", "min_cost", "io_limit"], values)))
        }
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(g("rg1", ["10", "20", "100", "-1", "-1", "0", "-1"]), quoter: q),
                       "CREATE RESOURCE GROUP rg1 WITH (concurrency=10, cpu_max_percent=20, cpu_weight=100, min_cost=0);\n")
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(g("admin_group", ["10", "10", "100", "-1", "-1", nil, nil]), quoter: q),
                       "ALTER RESOURCE GROUP admin_group SET concurrency 10;\nALTER RESOURCE GROUP admin_group SET cpu_max_percent 10;\nALTER RESOURCE GROUP admin_group SET cpu_weight 100;\n")
        // A cpuset group: the set is a string, and the unset cpu_max_percent (-1) is left out;
        // so is an I/O limit, quoted.
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(g("rg_set", ["5", "-1", "100", "0-1", "-1", "0", "pg_default:rbps=100"]), quoter: q),
                       "CREATE RESOURCE GROUP rg_set WITH (concurrency=5, cpu_weight=100, cpuset='0-1', min_cost=0, io_limit='pg_default:rbps=100');\n")
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(g("Odd G", ["5", "-1", "100", "0;1-3", "-1", "0", "-1"]), quoter: q),
                       "CREATE RESOURCE GROUP \"Odd G\" WITH (concurrency=5, cpu_weight=100, cpuset='0;1-3', min_cost=0);\n")
        XCTAssertEqual(MPPGlobalsDDL.resourceGroups([g("default_group", ["20", "30", "100", "-1", "-1", "0", "-1"])], quoter: q),
                       "ALTER RESOURCE GROUP default_group SET concurrency 20;\nALTER RESOURCE GROUP default_group SET min_cost 0;\n"
                       + "ALTER RESOURCE GROUP default_group SET cpu_max_percent 30;\nALTER RESOURCE GROUP default_group SET cpu_weight 100;\n")
    }

    func testGroupLimitValues() {
        XCTAssertEqual(MPPGlobalsDDL.groupLimitValue("concurrency", "20"), "20")
        XCTAssertEqual(MPPGlobalsDDL.groupLimitValue("memory_spill_ratio", "-5"), "-5")
        XCTAssertEqual(MPPGlobalsDDL.groupLimitValue("cpu_weight", "1.5"), "1.5")
        XCTAssertEqual(MPPGlobalsDDL.groupLimitValue("memory_auditor", "vmtracker"), "vmtracker")
        XCTAssertEqual(MPPGlobalsDDL.groupLimitValue("cpuset", "1"), "'1'")
        XCTAssertEqual(MPPGlobalsDDL.groupLimitValue("io_limit", "ts1:wbps=10"), "'ts1:wbps=10'")
        for odd in ["-", "1.", ".5", "1.2.3", "Vm", "a b", "it's", ""] {
            XCTAssertEqual(MPPGlobalsDDL.groupLimitValue("x", odd), MPPGlobalsDDL.lit(odd), odd)
        }
    }

    /// The Greenplum 7.0-dev coordinator of Fixtures/mpp: its gp_toolkit.gp_resgroup_config
    /// rows and pg_resqueue rows, turned into the sections its pg_dumpall -g
    /// --resource-queues --resource-groups wrote (globals.gp7.sql), byte for byte.
    func testGreenplum7GlobalsAsItsPgDumpallWroteThem() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let recorded = try String(contentsOfFile: root + "/Fixtures/mpp/globals.gp7.sql", encoding: .utf8)
        func section(_ heading: String) -> String? {
            guard let start = recorded.range(of: "--\n-- \(heading)\n--\n\n") else { return nil }
            let rest = recorded[start.upperBound...]
            return String(rest[..<(rest.range(of: "\n\n")?.upperBound ?? rest.endIndex)])
        }
        // SELECT * FROM gp_toolkit.gp_resgroup_config ORDER BY groupid, on that server.
        let columns = ["concurrency", "cpu_rate_limit", "memory_limit", "memory_shared_quota", "memory_spill_ratio", "memory_auditor", "cpuset"]
        let groups = [
            ResourceGroupFacts(name: "default_group", limits: Array(zip(columns, ["20", "30", "0", "80", "0", "vmtracker", "-1"]))),
            ResourceGroupFacts(name: "admin_group", limits: Array(zip(columns, ["10", "10", "10", "80", "0", "vmtracker", "-1"]))),
            ResourceGroupFacts(name: "rg_test", limits: Array(zip(columns, ["20", "10", "10", "80", "0", "vmtracker", "-1"]))),
        ]
        XCTAssertEqual(MPPGlobalsDDL.resourceGroups(groups, quoter: q) + "\n", section("Resource Group"))
        let caps: [(name: String, value: String)] = [("priority", "medium"), ("memory_limit", "-1")]
        let queues = [
            ResourceQueueFacts(name: "pg_default", activeLimit: 20, costLimit: -1, overcommit: false, ignoreCostLimit: 0, capabilities: caps),
            ResourceQueueFacts(name: "rq_test", activeLimit: 5, costLimit: -1, overcommit: false, ignoreCostLimit: 0, capabilities: caps),
        ]
        XCTAssertEqual(queues.map { MPPGlobalsDDL.resourceQueue($0, quoter: q) }.joined() + "\n", section("Resource Queues"))
        // A cpuset group there: the set instead of cpu_rate_limit, quoted.
        let set = ResourceGroupFacts(name: "rg_cpus", limits: Array(zip(columns, ["5", "-1", "10", "80", "0", "cgroup", "1-3"])))
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(set, quoter: q),
                       "CREATE RESOURCE GROUP rg_cpus WITH (concurrency=5, memory_limit=10, memory_shared_quota=80, memory_spill_ratio=0, memory_auditor=cgroup, cpuset='1-3');\n")
        let builtinSet = ResourceGroupFacts(name: "admin_group", limits: Array(zip(columns, ["10", "-1", "10", "80", "0", "vmtracker", "0"])))
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(builtinSet, quoter: q),
                       "ALTER RESOURCE GROUP admin_group SET concurrency 10;\nALTER RESOURCE GROUP admin_group SET memory_limit 10;\n"
                       + "ALTER RESOURCE GROUP admin_group SET memory_shared_quota 80;\nALTER RESOURCE GROUP admin_group SET memory_spill_ratio 0;\n"
                       + "ALTER RESOURCE GROUP admin_group SET cpuset '0';\n")
    }

    func testRoleClauses() {
        XCTAssertEqual(MPPGlobalsDDL.roleResourceClauses(queue: "rq1", group: "rg1", quoter: q), " RESOURCE QUEUE rq1 RESOURCE GROUP rg1")
        XCTAssertEqual(MPPGlobalsDDL.roleResourceClauses(queue: nil, group: "Odd G", quoter: q), " RESOURCE GROUP \"Odd G\"")
        XCTAssertEqual(MPPGlobalsDDL.roleResourceClauses(queue: nil, group: nil, quoter: q), "")
        XCTAssertEqual(MPPGlobalsDDL.roleExternalTableClauses(readableGpfdist: true, writableGpfdist: true, http: true),
                       " CREATEEXTTABLE (protocol='gpfdist', type='readable') CREATEEXTTABLE (protocol='gpfdist', type='writable') CREATEEXTTABLE (protocol='http')")
    }
}
