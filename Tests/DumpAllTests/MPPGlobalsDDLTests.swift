import XCTest
import PostgresClient
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

    func testResourceGroups() {
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(name: "rg1", settings: [("concurrency", "10"), ("cpu_max_percent", "20"), ("cpu_weight", "100")], quoter: q),
                       "CREATE RESOURCE GROUP rg1 WITH (concurrency=10, cpu_max_percent=20, cpu_weight=100);\n")
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(name: "admin_group", settings: [("concurrency", "10"), ("cpu_max_percent", "10"), ("cpu_weight", "100")], quoter: q),
                       "ALTER RESOURCE GROUP admin_group SET concurrency 10;\nALTER RESOURCE GROUP admin_group SET cpu_max_percent 10;\nALTER RESOURCE GROUP admin_group SET cpu_weight 100;\n")
        // A cpuset group: the set is a string, and the unset cpu_max_percent (-1) is left out.
        XCTAssertEqual(MPPGlobalsDDL.resourceGroup(name: "rg_set", settings: [("concurrency", "5"), ("cpu_max_percent", "-1"), ("cpu_weight", "100"), ("cpuset", "0-1")], quoter: q),
                       "CREATE RESOURCE GROUP rg_set WITH (concurrency=5, cpu_weight=100, cpuset='0-1');\n")
    }

    func testRoleClauses() {
        XCTAssertEqual(MPPGlobalsDDL.roleResourceClauses(queue: "rq1", group: "rg1", quoter: q), " RESOURCE QUEUE rq1 RESOURCE GROUP rg1")
        XCTAssertEqual(MPPGlobalsDDL.roleResourceClauses(queue: nil, group: "Odd G", quoter: q), " RESOURCE GROUP \"Odd G\"")
        XCTAssertEqual(MPPGlobalsDDL.roleResourceClauses(queue: nil, group: nil, quoter: q), "")
        XCTAssertEqual(MPPGlobalsDDL.roleExternalTableClauses(readableGpfdist: true, writableGpfdist: true, http: true),
                       " CREATEEXTTABLE (protocol='gpfdist', type='readable') CREATEEXTTABLE (protocol='gpfdist', type='writable') CREATEEXTTABLE (protocol='http')")
    }
}
