import Foundation
import TestSupport
import XCTest

/// A schema with enough indexed tables that cbdump sends the index query (in two halves)
/// and pg_depend's ahead, on helper connections in the dump's snapshot. pg_restore must
/// print the same script from cbdump's archive as from pg_dump's, both when the helpers
/// run and when none may connect (a role limited to one connection; superusers are not),
/// and the server log
/// must show which of the two happened.
final class ManyTablesTests: XCTestCase {
    nonisolated(unsafe) static var fixture: ClassCluster?
    /// Above twice the helpers' minimum (500), so that the index query is split.
    static let tables = 1_100
    static let db = "many"

    override class func setUp() {
        super.setUp()
        fixture = ClassCluster(label: "many") { c, _ in
            try c.createDatabase(db)
            // Columns of several kinds, a check, a partial and an expression index, a
            // foreign key to the previous table, a view on every 100th.
            try c.psql("""
                DO $$
                BEGIN
                  FOR i IN 1..\(tables) LOOP
                    EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, name text NOT NULL CHECK (name <> %L), v int, u uuid UNIQUE)', i, '');
                    EXECUTE format('CREATE INDEX t%s_v ON t%s (v) WHERE v > 0', i, i);
                    IF i % 7 = 0 THEN EXECUTE format('CREATE INDEX t%s_lower ON t%s (lower(name))', i, i); END IF;
                    IF i > 1 THEN EXECUTE format('ALTER TABLE t%s ADD FOREIGN KEY (v) REFERENCES t%s (id)', i, i - 1); END IF;
                    IF i % 100 = 0 THEN EXECUTE format('CREATE VIEW v%s AS SELECT id, name FROM t%s', i, i); END IF;
                  END LOOP;
                END $$;
                CREATE ROLE solo LOGIN CONNECTION LIMIT 1;
                GRANT pg_read_all_data TO solo;
                """, db: db)
            // Which backend ran each statement: the helpers are told apart by their pid.
            try c.psql("ALTER SYSTEM SET log_min_duration_statement = 0; ALTER SYSTEM SET log_line_prefix = 'pid=%p '")
            try c.psql("SELECT pg_reload_conf()")
        }
    }

    override class func tearDown() {
        fixture?.stop()
        super.tearDown()
    }

    /// The backends that ran the index query while `body` ran, from the server log.
    func indexQueryBackends(_ c: TestCluster, _ body: () throws -> Void) throws -> Set<String> {
        let before = (try? FileManager.default.attributesOfItem(atPath: c.logFile)[.size] as? Int) ?? 0
        try body()
        let log = try Data(contentsOf: URL(fileURLWithPath: c.logFile))
        let text = String(decoding: log.dropFirst(before), as: UTF8.self)
        var pids: Set<String> = []
        for line in text.split(separator: "\n") where line.contains("pg_get_indexdef(i.indexrelid)") {
            if let pid = line.split(separator: " ").first, pid.hasPrefix("pid=") { pids.insert(String(pid)) }
        }
        return pids
    }

    func testHelpersAndTheirFallbackGivePgDumpsScript() throws {
        guard let fixture = Self.fixture else { throw XCTSkip("no fixture") }
        let (c, bin) = try fixture.require()
        let ref = fixture.workDir + "/ref.dump"
        _ = try Oracle.pgDump(bin, cluster: c, db: Self.db, args: ["-s", "-Fc", "-f", ref])
        let expected = try Oracle.pgRestore(bin, args: ["--restrict-key=K", "-f", "-", ref]).stdoutString

        for (user, helpers) in [("postgres", true), ("solo", false)] {
            let ours = fixture.workDir + "/\(user).dump"
            let args = ["-s", "-Fc", "-f", ours, "-h", c.socketDir, "-p", String(c.port), "-U", user, Self.db]
            let backends = try indexQueryBackends(c) {
                let r = try ProcessRunner.run(ProcessRunner.product("cbdump"), args)
                XCTAssertEqual(r.status, 0, "\(user): \(r.stderrString)")
            }
            // With helpers: the two halves on two other backends (then the whole query is
            // not run by the dump's own). Without: the dump's own backend alone.
            XCTAssertEqual(backends.count, helpers ? 2 : 1, "\(user): index query run by \(backends.sorted())")
            let script = try Oracle.pgRestore(bin, args: ["--restrict-key=K", "-f", "-", ours]).stdoutString
            let (a, b) = (Self.withoutVersionLine(script), Self.withoutVersionLine(expected))
            if a != b { XCTFail("\(user): scripts differ\n" + Oracle.firstDifference(ours: a, theirs: b)) }
        }
    }

    /// pg_restore prints who made the archive; that line alone may differ.
    static func withoutVersionLine(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("-- Dumped by pg_dump version") }
            .joined(separator: "\n")
    }
}
