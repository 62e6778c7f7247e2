import Foundation
import TestSupport
import XCTest

/// cbdump's progress display: its figures are checked against what the dump really held
/// (the rows the server counts, the bytes of the directory archive's data files), and the
/// option spellings against their misuse.
final class ProgressTests: XCTestCase {
    nonisolated(unsafe) static var fixture: ClassCluster?
    static var workDir: String { fixture?.workDir ?? "" }

    override class func setUp() {
        super.setUp()
        fixture = ClassCluster(label: "progress") { c, _ in
            try c.createDatabase("prog")
            // Values with escaped newlines and tabs: a row is still one line of COPY text.
            try c.psql("""
                CREATE TABLE big (id int, t text);
                INSERT INTO big SELECT g, repeat(md5(g::text), 4) || E'\\n\\t' FROM generate_series(1, 300000) g;
                CREATE TABLE "Odd ""name"" t" (v text);
                INSERT INTO "Odd ""name"" t" SELECT 'x' || g FROM generate_series(1, 777) g;
                CREATE TABLE empty (a int);
                CREATE SCHEMA s;
                CREATE TABLE s.small AS SELECT g FROM generate_series(1, 10) g;
                ANALYZE;
                """, db: "prog")
        }
    }

    override class func tearDown() {
        fixture?.stop()
        super.tearDown()
    }

    func setUpCluster() throws -> TestCluster {
        guard let fixture = Self.fixture else { throw XCTSkip("no fixture") }
        return try fixture.require().0
    }

    func cbdump(_ args: [String], _ c: TestCluster) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbdump"), args + c.connectionArgs(db: "prog"))
    }

    /// The JSON objects of --progress=json, one per line.
    func objects(_ stderr: String) throws -> [[String: Any]] {
        try stderr.split(separator: "\n").map { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try XCTUnwrap(o as? [String: Any], String(line))
        }
    }

    func testJSONFiguresMatchTheDump() throws {
        let c = try setUpCluster()
        let rows = Int(try c.psql("""
            SELECT (SELECT count(*) FROM big) + (SELECT count(*) FROM "Odd ""name"" t") + (SELECT count(*) FROM s.small)
            """, db: "prog"))!
        for jobs in ["1", "2"] {
            let dir = Self.workDir + "/d\(jobs)"
            let r = try cbdump(["--progress=json", "-Fd", "-Z0", "-j", jobs, "-f", dir], c)
            XCTAssertEqual(r.status, 0, r.stderrString)
            let objs = try objects(r.stderrString)
            let last = try XCTUnwrap(objs.last)
            XCTAssertEqual(last["done"] as? Bool, true)
            XCTAssertEqual(last["rows_done"] as? Int, rows)
            XCTAssertEqual(last["items_total"] as? Int, 4)
            XCTAssertEqual(last["items_done"] as? Int, 4)
            // Every byte the dumpers wrote is in the data files (-Z0: as written).
            let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".dat") && $0 != "toc.dat" }
            XCTAssertEqual(files.count, 4)
            let bytes = try files.reduce(0) { sum, f in
                sum + ((try FileManager.default.attributesOfItem(atPath: dir + "/" + f)[.size] as? Int) ?? 0)
            }
            XCTAssertEqual(last["bytes_done"] as? Int, bytes)
            for o in objs.dropLast() { XCTAssertEqual(o["done"] as? Bool, false) }
        }
    }

    /// cbrestore -d --progress=json, serial and -j 2: the rows loaded are the rows the
    /// restored database holds, the bytes those of the archive's data files.
    func testRestoreJSONFigures() throws {
        let c = try setUpCluster()
        let dir = Self.workDir + "/restore.dir"
        let dump = try cbdump(["-Fd", "-Z0", "-f", dir], c)
        XCTAssertEqual(dump.status, 0, dump.stderrString)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".dat") && $0 != "toc.dat" }
        let bytes = try files.reduce(0) { sum, f in
            sum + ((try FileManager.default.attributesOfItem(atPath: dir + "/" + f)[.size] as? Int) ?? 0)
        }
        for jobs in ["1", "2"] {
            let db = "restored\(jobs)"
            try c.createDatabase(db)
            let r = try ProcessRunner.run(ProcessRunner.product("cbrestore"),
                                          ["--progress=json", "-j", jobs] + c.connectionArgs(db: db) + [dir])
            XCTAssertEqual(r.status, 0, r.stderrString)
            let last = try XCTUnwrap(try objects(r.stderrString).last)
            let rows = Int(try c.psql("""
                SELECT (SELECT count(*) FROM big) + (SELECT count(*) FROM "Odd ""name"" t") + (SELECT count(*) FROM s.small)
                """, db: db))!
            XCTAssertEqual(rows, 300_000 + 777 + 10)
            XCTAssertEqual(last["done"] as? Bool, true)
            XCTAssertEqual(last["tool"] as? String, "cbrestore")
            XCTAssertEqual(last["rows_done"] as? Int, rows)
            XCTAssertEqual(last["bytes_done"] as? Int, bytes)
            XCTAssertEqual(last["items_done"] as? Int, 4)
        }
        let script = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--progress", "-f", "-", dir])
        XCTAssertEqual(script.status, 1)
        XCTAssertTrue(script.stderrString.contains("option --progress requires -d/--dbname"), script.stderrString)
    }

    func testBareProgressDoesNotTakeTheDatabaseName() throws {
        let c = try setUpCluster()
        let file = Self.workDir + "/bar.dump"
        // The database as the last word, after a bare --progress.
        let r = try ProcessRunner.run(ProcessRunner.product("cbdump"),
                                      ["-f", file] + c.connectionArgs() + ["--progress", "prog"])
        XCTAssertEqual(r.status, 0, r.stderrString)
        XCTAssertTrue(r.stderrString.hasPrefix("\rcbdump: "), r.stderrString)
        XCTAssertTrue(r.stderrString.contains("100% "), r.stderrString)
        XCTAssertTrue(r.stderrString.hasSuffix("\n"))
        let list = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["-l", file])
        XCTAssertTrue(list.stdoutString.contains("dbname: prog"), list.stdoutString)
    }

    func testQuietUnlessAskedAndBadValues() throws {
        let c = try setUpCluster()
        // Standard error is a pipe here: no display by default.
        let quiet = try cbdump(["-f", Self.workDir + "/q.dump"], c)
        XCTAssertEqual(quiet.status, 0)
        XCTAssertEqual(quiet.stderrString, "")
        for (args, message) in [
            (["--progress=xml"], "invalid value \"xml\" for --progress"),
            (["--progress=json", "--no-progress"], "cannot be used together"),
        ] {
            let r = try cbdump(args + ["-f", Self.workDir + "/bad.dump"], c)
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderrString.hasPrefix("cbdump: error: "), r.stderrString)
            XCTAssertTrue(r.stderrString.contains(message), r.stderrString)
            XCTAssertFalse(FileManager.default.fileExists(atPath: Self.workDir + "/bad.dump"))
        }
    }
}
