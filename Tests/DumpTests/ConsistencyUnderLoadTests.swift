import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// cbdump takes one snapshot even while the database is being written: pgbench runs a
/// TPC-B-like load (two clients) on the source for the whole of a cbdump -Fc and a
/// cbdump -Fd -j 2 run, each archive is restored with cbrestore into a fresh database,
/// and the copy must satisfy what holds in any single snapshot of that load, whatever the
/// interleaving:
///
/// - every account's, teller's and branch's balance is the sum of its history deltas
///   (all balances start at 0), so the four totals agree;
/// - no history row names an account, teller or branch the copy lacks (orphans);
/// - each account opened by the load has exactly its one "open" history row;
/// - the sequence that numbers opened accounts is not behind the accounts in the copy.
///
/// The load also opens accounts (a tenth of its transactions), so a table dumped from a
/// later snapshot than another shows as orphan rows, not only as wrong sums. Each test also
/// checks that the load did commit transactions while cbdump ran (after its snapshot), or
/// it would prove nothing.
final class ConsistencyUnderLoadTests: XCTestCase {
    nonisolated(unsafe) static var fixture: ClassCluster?
    static var workDir: String { fixture?.workDir ?? "" }
    nonisolated(unsafe) static var restoreCounter = 0

    /// pgbench's scale: 100,000 accounts, 1 branch and 10 tellers per unit.
    static let scale = 2
    static let db = "bank"
    static let env = ["LC_ALL": "C"]

    override class func setUp() {
        super.setUp()
        fixture = ClassCluster(label: "load") { c, workDir in
            guard FileManager.default.isExecutableFile(atPath: c.binaries.path("pgbench")) else {
                throw XCTSkip("PostgreSQL 15 with pgbench not installed")
            }
            let bin = c.binaries
            try c.createDatabase(db)
            // pgbench's tables (accounts, tellers, branches at balance 0; history empty) and
            // their primary keys; no foreign keys, so that an inconsistent copy still restores
            // and the checks below say what is wrong with it.
            try ProcessRunner.run(bin.path("pgbench"), ["-i", "-q", "-s", String(scale), "-I", "dtgp"] + c.libpqArgs(db: db),
                                  environment: env).check()
            try c.psql("CREATE SEQUENCE new_aid START \(scale * 100_000 + 1)", db: db)
            // Move money: pgbench's tpcb-like transaction without its SELECT.
            try """
                \\set aid random(1, \(scale * 100_000))
                \\set bid random(1, \(scale))
                \\set tid random(1, \(scale * 10))
                \\set delta random(-5000, 5000)
                BEGIN;
                UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
                UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
                UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
                INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
                END;

                """.write(toFile: workDir + "/transfer.sql", atomically: true, encoding: .utf8)
            // Open an account with a first deposit: a new accounts row and its history row.
            try """
                \\set bid random(1, \(scale))
                \\set tid random(1, \(scale * 10))
                \\set delta random(1, 5000)
                BEGIN;
                INSERT INTO pgbench_accounts (aid, bid, abalance, filler) VALUES (nextval('new_aid'), :bid, :delta, '');
                UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
                UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
                INSERT INTO pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (:tid, :bid, currval('new_aid'), :delta, CURRENT_TIMESTAMP, 'open');
                END;

                """.write(toFile: workDir + "/open.sql", atomically: true, encoding: .utf8)
        }
    }

    override class func tearDown() {
        fixture?.stop()
        super.tearDown()
    }

    func setUpCluster() throws -> (TestCluster, PGBinaries) {
        guard let fixture = Self.fixture else { throw XCTSkip("no fixture") }
        return try fixture.require()
    }

    func historyRows(_ db: String = ConsistencyUnderLoadTests.db) throws -> Int {
        let (c, _) = try setUpCluster()
        return Int(try c.psql("SELECT count(*) FROM pgbench_history", db: db)) ?? -1
    }

    /// The single-snapshot invariants, each as a count of violations (or a pair that must be
    /// equal); empty when `db` is consistent.
    func violations(_ db: String) throws -> [String] {
        let (c, _) = try setUpCluster()
        let checks: [(String, String)] = [
            ("accounts whose balance is not the sum of their history deltas", """
                SELECT count(*) FROM pgbench_accounts a
                  LEFT JOIN (SELECT aid, sum(delta) AS s FROM pgbench_history GROUP BY aid) h USING (aid)
                 WHERE a.abalance <> coalesce(h.s, 0)
                """),
            ("tellers whose balance is not the sum of their history deltas", """
                SELECT count(*) FROM pgbench_tellers t
                  LEFT JOIN (SELECT tid, sum(delta) AS s FROM pgbench_history GROUP BY tid) h USING (tid)
                 WHERE t.tbalance <> coalesce(h.s, 0)
                """),
            ("branches whose balance is not the sum of their history deltas", """
                SELECT count(*) FROM pgbench_branches b
                  LEFT JOIN (SELECT bid, sum(delta) AS s FROM pgbench_history GROUP BY bid) h USING (bid)
                 WHERE b.bbalance <> coalesce(h.s, 0)
                """),
            ("totals (accounts, tellers, branches, history) that differ", """
                SELECT count(DISTINCT s) - 1 FROM (
                  SELECT coalesce(sum(abalance), 0)::bigint AS s FROM pgbench_accounts
                  UNION ALL SELECT coalesce(sum(tbalance), 0) FROM pgbench_tellers
                  UNION ALL SELECT coalesce(sum(bbalance), 0) FROM pgbench_branches
                  UNION ALL SELECT coalesce(sum(delta), 0) FROM pgbench_history) totals
                """),
            ("history rows naming a missing account", """
                SELECT count(*) FROM pgbench_history h WHERE NOT EXISTS (SELECT 1 FROM pgbench_accounts a WHERE a.aid = h.aid)
                """),
            ("history rows naming a missing teller or branch", """
                SELECT count(*) FROM pgbench_history h
                 WHERE NOT EXISTS (SELECT 1 FROM pgbench_tellers t WHERE t.tid = h.tid)
                    OR NOT EXISTS (SELECT 1 FROM pgbench_branches b WHERE b.bid = h.bid)
                """),
            ("opened accounts without exactly one 'open' history row", """
                SELECT count(*) FROM pgbench_accounts a WHERE a.aid > \(Self.scale * 100_000)
                   AND (SELECT count(*) FROM pgbench_history h WHERE h.aid = a.aid AND h.filler = 'open') <> 1
                """),
            ("'open' history rows more than opened accounts", """
                SELECT (SELECT count(*) FROM pgbench_history WHERE filler = 'open')
                     - (SELECT count(*) FROM pgbench_accounts WHERE aid > \(Self.scale * 100_000))
                """),
            ("initial accounts, tellers, branches missing", """
                SELECT (\(Self.scale * 100_000) - (SELECT count(*) FROM pgbench_accounts WHERE aid <= \(Self.scale * 100_000)))
                     + (\(Self.scale * 10) - (SELECT count(*) FROM pgbench_tellers))
                     + (\(Self.scale) - (SELECT count(*) FROM pgbench_branches))
                """),
            ("opened accounts beyond the sequence's last value", """
                SELECT count(*) FROM pgbench_accounts WHERE aid > (SELECT last_value FROM new_aid)
                """),
        ]
        var found: [String] = []
        for (what, sql) in checks {
            let n = try c.psql(sql, db: db)
            if n != "0" { found.append("\(what): \(n)") }
        }
        return found
    }

    /// pgbench with two clients, nine transfers to one account opening, until stopped.
    func startLoad() throws -> DumpFaultTests.Child {
        let (c, bin) = try setUpCluster()
        // -T: a bound in case the test dies before stopping it; -n: no vacuum of the tables.
        let args = ["-n", "-c", "2", "-j", "2", "-T", "300",
                    "-f", Self.workDir + "/transfer.sql@9", "-f", Self.workDir + "/open.sql@1"] + c.libpqArgs(db: Self.db)
        let load = try DumpFaultTests.Child(bin.path("pgbench"), args, environment: Self.env, scratch: Self.workDir)
        // Started when it has committed a few hundred transactions.
        let deadline = Date().addingTimeInterval(30)
        while try historyRows() < 300 {
            if Date() > deadline {
                kill(load.pid, SIGKILL)
                let r = load.wait()
                throw NSError(domain: "ConsistencyUnderLoadTests", code: 1,
                              userInfo: [NSLocalizedDescriptionKey: "pgbench did not get going: \(r.stdoutString)\(r.stderrString)"])
            }
            usleep(20_000)
        }
        return load
    }

    /// Stops pgbench and checks that it ran until then without a failed transaction.
    func stopLoad(_ load: DumpFaultTests.Child, file: StaticString = #filePath, line: UInt = #line) {
        kill(load.pid, SIGTERM)
        let r = load.wait()
        XCTAssertEqual(r.status, 128 + SIGTERM, "pgbench ended before it was stopped: \(r.stdoutString)\(r.stderrString)",
                       file: file, line: line)
        XCTAssertFalse(r.stderrString.contains("aborted"), r.stderrString, file: file, line: line)
    }

    /// Runs cbdump with `args` under load, restores its archive with cbrestore (and
    /// `restoreArgs`) into a fresh database, and checks the invariants there.
    func dumpUnderLoad(_ label: String, dumpArgs: [String], archive: String, restoreArgs: [String] = []) throws {
        let (c, _) = try setUpCluster()
        let started = Date()
        let load = try startLoad()
        let before: Int
        let after: Int
        let dumpTime: TimeInterval
        do {
            before = try historyRows()
            let t0 = Date()
            let dump = try ProcessRunner.run(ProcessRunner.product("cbdump"), dumpArgs + ["-f", archive] + c.connectionArgs(db: Self.db),
                                             environment: Self.env)
            dumpTime = Date().timeIntervalSince(t0)
            after = try historyRows()
            stopLoad(load)
            XCTAssertEqual(dump.status, 0, "\(label): cbdump failed: \(dump.stderrString)")
            guard dump.succeeded else { return }
        } catch {
            kill(load.pid, SIGKILL)
            _ = load.wait()
            throw error
        }
        // The source itself, quiet now, satisfies the invariants (the load and the checks agree).
        XCTAssertEqual(try violations(Self.db), [], "\(label): the source is inconsistent: the load or the checks are wrong")

        Self.restoreCounter += 1
        let target = "restored_\(Self.restoreCounter)"
        try c.createDatabase(target)
        let restore = try ProcessRunner.run(ProcessRunner.product("cbrestore"), restoreArgs + ["-d", target] + c.connectionArgs() + [archive],
                                            environment: Self.env)
        XCTAssertEqual(restore.status, 0, "\(label): cbrestore failed: \(restore.stderrString)")
        let copied = try historyRows(target)
        // The dump overlapped the load: its snapshot holds the transactions committed before
        // it started and misses some committed while it ran.
        XCTAssertGreaterThanOrEqual(copied, before, "\(label): the copy misses transactions committed before cbdump started")
        XCTAssertGreaterThan(after, copied, "\(label): no transaction committed while cbdump ran: the test proves nothing")
        XCTAssertEqual(try violations(target), [], "\(label): the restored copy is not one snapshot")
        print("""
            \(label): cbdump \(String(format: "%.2f", dumpTime)) s; history rows: \(before) before the dump, \(copied) in the copy, \
            \(after) after the dump (\(after - before) transactions committed during it, \(after - copied) after its snapshot); \
            accounts in the copy: \(try c.psql("SELECT count(*) FROM pgbench_accounts", db: target)); \
            whole case \(String(format: "%.1f", Date().timeIntervalSince(started))) s
            """)
        try c.psql("DROP DATABASE \(target)")
    }

    /// One connection, one REPEATABLE READ transaction.
    func testCustomFormatUnderLoad() throws {
        let (_, _) = try setUpCluster()
        try dumpUnderLoad("-Fc", dumpArgs: ["-Fc"], archive: Self.workDir + "/load.dump")
    }

    /// Two worker connections besides the leader: they must all read the leader's exported
    /// snapshot, or the tables they dump come from different moments.
    func testParallelDirectoryFormatUnderLoad() throws {
        let (_, _) = try setUpCluster()
        try dumpUnderLoad("-Fd -j 2", dumpArgs: ["-Fd", "-j", "2"], archive: Self.workDir + "/load.dir", restoreArgs: ["-j", "2"])
    }
}
