import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Bad input and failures: a one-line (or two-line) error, exit status 1, and no output
/// file or directory left behind, not even a temporary one.
final class DumpAllErrorTests: XCTestCase {
    nonisolated(unsafe) static var cluster: TestCluster?
    nonisolated(unsafe) static var scratch = ""

    static func setUpCluster() throws -> TestCluster {
        if let c = cluster { return c }
        guard let major = [18, 17, 16, 15].first(where: { PGBinaries.major($0) != nil }) else {
            throw XCTSkip("no PostgreSQL binaries")
        }
        let c = try TestCluster(major: major)
        cluster = c
        try c.psql("""
            CREATE DATABASE db_a;
            CREATE DATABASE db_blocked;
            CREATE DATABASE db_c;
            CREATE ROLE r1;
            """)
        scratch = NSTemporaryDirectory() + "cbdumpall-errors-\(getpid())"
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        return c
    }

    override class func tearDown() {
        cluster?.stop()
        cluster = nil
        try? FileManager.default.removeItem(atPath: scratch)
        super.tearDown()
    }

    func cbdumpall(_ args: [String], cluster c: TestCluster? = nil) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbdumpall"), args + (c?.connectionArgs() ?? []),
                              environment: ["LC_ALL": "C"])
    }

    /// What is in the scratch folder (to see that nothing was left behind).
    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.scratch).sorted()
    }

    /// Exit status 1, and a message starting with "cbdumpall: error: " that mentions `what`.
    func assertFails(_ r: ProcessResult, mentioning what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 1, r.stderrString, file: file, line: line)
        XCTAssertTrue(r.stderrString.hasPrefix("cbdumpall: error: "), r.stderrString, file: file, line: line)
        XCTAssertTrue(r.stderrString.contains(what), "\(what) not in: \(r.stderrString)", file: file, line: line)
        XCTAssertTrue(r.stdout.isEmpty, file: file, line: line)
        XCTAssertLessThan(r.stderrString.split(separator: "\n").count, 4, r.stderrString, file: file, line: line)
    }

    func testUnwritableOutput() throws {
        let c = try Self.setUpCluster()
        let r = try cbdumpall(["-g", "-f", Self.scratch + "/no/such/folder/g.sql"], cluster: c)
        assertFails(r, mentioning: "could not open output file")
        let d = try cbdumpall(["-F", "d", "-f", Self.scratch + "/no/such/folder/dir"], cluster: c)
        assertFails(d, mentioning: "could not create directory")
        XCTAssertEqual(try leftovers(), [])
    }

    /// The first line of pg_dumpall's standard error, with our name for its.
    func pgDumpallError(_ args: [String], cluster c: TestCluster? = nil) throws -> String {
        let c2 = try c ?? Self.setUpCluster()
        let r = try ProcessRunner.run(c2.binaries.path("pg_dumpall"), args + (c?.connectionArgs() ?? []),
                                      environment: ["LC_ALL": "C"])
        XCTAssertEqual(r.status, 1)
        return String(r.stderrString.split(separator: "\n").first ?? "").replacingOccurrences(of: "pg_dumpall:", with: "cbdumpall:")
    }

    func testUnreachableServer() throws {
        _ = try Self.setUpCluster()
        let out = Self.scratch + "/g.sql"
        let nowhere = ["-h", Self.scratch + "/nowhere", "-p", "1", "-U", "postgres"]
        // pg_dumpall's words: libpq's message for template1, tried after postgres.
        let theirs = try pgDumpallError(["-g"] + nowhere)
        XCTAssertTrue(theirs.contains("failed"), theirs)
        for args in [["-g", "-f", out], ["-F", "d", "-f", Self.scratch + "/dir"]] {
            let r = try cbdumpall(args + nowhere)
            assertFails(r, mentioning: "connection to server")
            XCTAssertEqual(String(r.stderrString.split(separator: "\n").first ?? ""), theirs)
            XCTAssertEqual(try leftovers(), [])
        }
        let c = try Self.setUpCluster()
        let l = try cbdumpall(["-g", "-f", out, "-l", "no_such_db"], cluster: c)
        assertFails(l, mentioning: "could not connect to database \"no_such_db\"")
        XCTAssertEqual(String(l.stderrString.split(separator: "\n").first ?? ""),
                       try pgDumpallError(["-g", "-l", "no_such_db"], cluster: c))
        XCTAssertTrue(l.stderrString.contains("does not exist"), "libpq's reason as the detail: \(l.stderrString)")
        XCTAssertEqual(try leftovers(), [])
    }

    /// A database that refuses the connection, between others: the dump stops there with its
    /// name, as pg_dumpall's does, and no directory is left.
    func testUnreachableDatabaseInTheMiddle() throws {
        let c = try Self.setUpCluster()
        let hba = c.dataDir + "/pg_hba.conf"
        let original = try String(contentsOfFile: hba, encoding: .utf8)
        try ("local db_blocked all reject\n" + original).write(toFile: hba, atomically: false, encoding: .utf8)
        defer {
            try? original.write(toFile: hba, atomically: false, encoding: .utf8)
            _ = try? c.psql("SELECT pg_reload_conf()")
        }
        try c.psql("SELECT pg_reload_conf()")
        // The reload is asynchronous: wait until the rule holds.
        var refused = false
        for _ in 0..<50 where !refused {
            refused = (try? c.psql("SELECT 1", db: "db_blocked")) == nil
            if !refused { usleep(100_000) }
        }
        XCTAssertTrue(refused, "pg_hba.conf's reject rule did not take effect")

        let ref = try Oracle.pgDumpall(c.binaries, cluster: c, args: [], allowFailure: true)
        XCTAssertEqual(ref.status, 1, "pg_dumpall fails too")
        let dir = Self.scratch + "/cluster"
        let r = try cbdumpall(["-F", "d", "-f", dir, "-v"], cluster: c)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderrString.contains("dumping database \"db_a\""), "db_a comes first: \(r.stderrString)")
        XCTAssertTrue(r.stderrString.contains("cbdumpall: error: could not dump database \"db_blocked\""), r.stderrString)
        XCTAssertFalse(r.stderrString.contains("dumping database \"db_c\""))
        XCTAssertEqual(try leftovers(), [])

        // The plain script stops there too, as pg_dumpall's does; -f leaves no file
        // (pg_dumpall leaves the part written so far).
        let file = Self.scratch + "/cluster.sql"
        let p = try cbdumpall(["-f", file, "-v"], cluster: c)
        XCTAssertEqual(p.status, 1)
        XCTAssertTrue(p.stderrString.contains("cbdumpall: error: cbdump failed on database \"db_blocked\", exiting"), p.stderrString)
        XCTAssertTrue(p.stderrString.contains("cbdump: error: connection to server"), "cbdump says why: \(p.stderrString)")
        XCTAssertFalse(p.stderrString.contains("dumping database \"db_c\""))
        XCTAssertEqual(try leftovers(), [])
    }

    func testNonEmptyDirectory() throws {
        let c = try Self.setUpCluster()
        let dir = Self.scratch + "/full"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "keep".write(toFile: dir + "/mine", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try cbdumpall(["-F", "d", "-f", dir], cluster: c)
        assertFails(r, mentioning: "directory \"\(dir)\" is not empty")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["mine"])
        XCTAssertEqual(try leftovers(), ["full"])

        // An empty one is used.
        try FileManager.default.removeItem(atPath: dir + "/mine")
        let ok = try cbdumpall(["-F", "c", "-f", dir, "--exclude-database", "db_*"], cluster: c)
        XCTAssertEqual(ok.status, 0, ok.stderrString)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(),
                       ["1.dump", "2.dump", "globals.sql", "index"])
        XCTAssertEqual(try leftovers(), ["full"])
    }

    /// Options only the plain script passes on to cbdump are refused with -F d, whose
    /// archives are made with cbdump's defaults for them.
    func testScriptOnlyOptionsWithDirectory() throws {
        let c = try Self.setUpCluster()
        for opt in [["--inserts"], ["--rows-per-insert", "5"], ["--no-data"], ["-S", "postgres"]] {
            let r = try cbdumpall(["-F", "d", "-f", Self.scratch + "/d"] + opt, cluster: c)
            assertFails(r, mentioning: "is not supported with -F d")
        }
        XCTAssertEqual(try leftovers(), [])
    }

    /// Option combinations pg_dumpall refuses are refused, before connecting.
    /// The fork's options against PostgreSQL: those that need its catalogs are refused
    /// before anything is written; --no-gp-syntax changes nothing.
    func testMPPOptionsOnPostgreSQL() throws {
        let c = try Self.setUpCluster()
        for (args, message) in [
            (["-g", "--resource-queues"], "option --resource-queues requires a Greenplum or Cloudberry server"),
            (["-g", "--resource-groups"], "option --resource-groups requires a Greenplum or Cloudberry server"),
            (["--gp-syntax", "-f", Self.scratch + "/all.sql"], "option --gp-syntax requires a Greenplum or Cloudberry server"),
            (["-g", "--gp-syntax", "--no-gp-syntax"], "cannot be used together"),
        ] {
            assertFails(try cbdumpall(args, cluster: c), mentioning: message)
        }
        let key = ["--restrict-key", "k"]
        let plain = try cbdumpall(["-g"] + key, cluster: c)
        let noGp = try cbdumpall(["-g", "--no-gp-syntax"] + key, cluster: c)
        XCTAssertEqual(plain.status, 0, plain.stderrString)
        XCTAssertEqual(noGp.status, 0, noGp.stderrString)
        XCTAssertEqual(noGp.stdout, plain.stdout)
        XCTAssertEqual(try leftovers(), [])
    }

    func testBadOptions() throws {
        let c = try Self.setUpCluster()
        let cases: [([String], String)] = [
            (["-g", "-r"], "cannot be used together"),
            (["-g", "-t"], "cannot be used together"),
            (["-r", "-t"], "cannot be used together"),
            (["-g", "--if-exists"], "requires option -c/--clean"),
            (["-g", "--exclude-database", "x"], "cannot be used together"),
            (["-g", "extra"], "too many command-line arguments"),
            (["-F", "d"], "-f DIR"),
            (["-F", "x", "-g"], "invalid output format"),
            (["-F", "d", "-f", Self.scratch + "/d", "--exclude-database", "a.b"], "improper qualified name"),
            (["-g", "--restrict-key", "not valid!"], "invalid restrict key"),
            (["-g", "-E", "no_such_encoding"], "invalid client encoding"),
        ]
        for (args, message) in cases {
            let r = try cbdumpall(args, cluster: c)
            assertFails(r, mentioning: message)
            // pg_dumpall has no -F: the others it refuses too.
            if !args.contains("-F") {
                let ref = try Oracle.pgDumpall(c.binaries, cluster: c, args: args, allowFailure: true)
                XCTAssertEqual(ref.status, 1, "pg_dumpall \(args) fails too")
            }
        }
        XCTAssertEqual(try leftovers(), [])
    }
}
