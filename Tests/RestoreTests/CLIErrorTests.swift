import Foundation
import TestSupport
import XCTest

/// Bad input and bad options: one clear line on stderr, exit status 1, and no output file
/// left behind looking whole.
final class CLIErrorTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "cbrestore-cli-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func fixture(_ name: String) throws -> String {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        return root + "/Fixtures/archives/" + name
    }

    func cbrestore(_ args: [String], stdin: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbrestore"), args, stdin: stdin)
    }

    func assertFails(_ r: ProcessResult, mentioning parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 1, "exit status", file: file, line: line)
        let err = r.stderrString
        XCTAssertTrue(err.hasPrefix("cbrestore: error: "), err, file: file, line: line)
        for p in parts { XCTAssertTrue(err.contains(p), "\(p) not in: \(err)", file: file, line: line) }
        XCTAssertEqual(r.stdout.count, 0, "nothing on stdout", file: file, line: line)
    }

    func testPlainScriptSaysUsePsql() throws {
        let sql = dir + "/plain.sql"
        try Data(contentsOf: URL(fileURLWithPath: try fixture("small-pg15.custom.dump.sql"))).write(to: URL(fileURLWithPath: sql))
        assertFails(try cbrestore(["-f", "-", sql]), mentioning: ["plain.sql", "Please use psql"])
    }

    func testNotAnArchiveAndMissingFile() throws {
        let junk = dir + "/junk"
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: junk))
        assertFails(try cbrestore(["-f", "-", junk]), mentioning: ["junk", "does not appear to be a valid archive"])
        assertFails(try cbrestore(["-l", dir + "/nope.dump"]), mentioning: ["nope.dump", "No such file"])
    }

    func testTruncatedArchiveLeavesNoOutputFile() throws {
        let full = try Data(contentsOf: URL(fileURLWithPath: try fixture("small-pg16.custom.dump")))
        let cut = dir + "/cut.dump"
        try full.prefix(full.count - 100).write(to: URL(fileURLWithPath: cut))
        let out = dir + "/out.sql"
        assertFails(try cbrestore(["-f", out, cut]), mentioning: ["cut.dump", "at byte", "dumpId"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["cut.dump"], "partial output left")
        // From a pipe: the same error, through the scanning path.
        assertFails(try cbrestore(["-f", "-"], stdin: full.prefix(full.count - 100)), mentioning: ["\"-\"", "at byte"])
    }

    func testUnwritableOutput() throws {
        let r = try cbrestore(["-f", "/proc/no/such/dir/out.sql", try fixture("small-pg15.custom.dump")])
        assertFails(r, mentioning: ["out.sql"])
    }

    func testOptionConflictsAsPgRestore() throws {
        let a = try fixture("small-pg15.custom.dump")
        assertFails(try cbrestore([a]), mentioning: ["one of -d/--dbname and -f/--file must be specified"])
        assertFails(try cbrestore(["-f", "-", "-s", "-a", a]), mentioning: ["-s/--schema-only and -a/--data-only"])
        assertFails(try cbrestore(["-f", "-", "-C", "-1", a]), mentioning: ["-C/--create and -1/--single-transaction"])
        assertFails(try cbrestore(["-f", "-", "--if-exists", a]), mentioning: ["--if-exists requires option -c/--clean"])
        assertFails(try cbrestore(["-f", "-", "--restrict-key=bad-key", a]), mentioning: ["invalid restrict key"])
        assertFails(try cbrestore(["-f", "-", "-Fx", a]), mentioning: ["unrecognized archive format"])
        assertFails(try cbrestore(["-f", "-", "--section=middle", a]), mentioning: ["unrecognized section name"])
        assertFails(try cbrestore(["-f", "-", "--no-such-option", a]), mentioning: ["no-such-option"])
        assertFails(try cbrestore(["-f", "-", "-Fd", a]), mentioning: ["directory"])
    }

    /// Option values and archives that -j or --transaction-size refuse: the same message and
    /// status as pg_restore, before any connection is tried (the -d database does not exist).
    func testParallelAndTransactionSizeRefusalsAsPgRestore() throws {
        let custom = try fixture("small-pg15.custom.dump"), tar = try fixture("small-pg15.tar")
        let pgRestore = PGBinaries.major(17) ?? PGBinaries.major(18)
        let cases: [([String], Data?, String)] = [
            (["-d", "nosuchdb", "-j", "2", tar], nil, "parallel restore is not supported with this archive file format"),
            (["-d", "nosuchdb", "-j", "2"], try Data(contentsOf: URL(fileURLWithPath: custom)), "parallel restore from standard input is not supported"),
            (["-d", "nosuchdb", "-j", "0", custom], nil, "-j/--jobs must be in range 1..2147483647"),
            (["-d", "nosuchdb", "-j", "x", custom], nil, "invalid value \"x\" for option -j/--jobs"),
            (["-d", "nosuchdb", "-1", "-j", "2", custom], nil, "cannot specify both --single-transaction and multiple jobs"),
            (["-f", "-", "--transaction-size=0", custom], nil, "--transaction-size must be in range 1..2147483647"),
            (["-f", "-", "--transaction-size=ten", custom], nil, "invalid value \"ten\" for option --transaction-size"),
            (["-f", "-", "-1", "--transaction-size=5", custom], nil, "options -1/--single-transaction and --transaction-size cannot be used together"),
        ]
        for (args, input, message) in cases {
            assertFails(try cbrestore(args, stdin: input), mentioning: [message])
            if let pgRestore {
                let theirs = try ProcessRunner.run(pgRestore.path("pg_restore"), args, stdin: input)
                XCTAssertEqual(theirs.status, 1, "\(args)")
                XCTAssertTrue(theirs.stderrString.contains(message), "pg_restore says: \(theirs.stderrString)")
            }
        }
    }

    func testAttachedShortOptionValues() throws {
        let a = try fixture("small-pg15.custom.dump")
        let r = try cbrestore(["-Fc", "-f-", "-l", a])
        XCTAssertEqual(r.status, 0, r.stderrString)
        XCTAssertTrue(r.stdoutString.contains("; Selected TOC Entries:"))
    }

    func testHelpAndVersion() throws {
        let help = try cbrestore(["--help"])
        XCTAssertEqual(help.status, 0, help.stderrString)
        for option in ["--dbname", "--use-list", "--compat-version", "--restrict-key", "--single-transaction"] {
            XCTAssertTrue(help.stdoutString.contains(option), "\(option) missing from --help")
        }
        let version = try cbrestore(["--version"])
        XCTAssertEqual(version.status, 0, version.stderrString)
        XCTAssertTrue(version.stdoutString.contains("cbrestore"), version.stdoutString)
    }
}
