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
            // A table the statistics know nothing of (relpages 0): its size is unknown.
            try c.createDatabase("unsized")
            try c.psql("""
                CREATE TABLE known (a int); INSERT INTO known VALUES (1); ANALYZE known;
                CREATE TABLE unsized (id int, t text);
                INSERT INTO unsized SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 400000) g;
                """, db: "unsized")
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
        // Standard error is not a terminal: whole lines, no carriage returns.
        XCTAssertTrue(r.stderrString.hasPrefix("cbdump: ["), r.stderrString)
        XCTAssertFalse(r.stderrString.contains("\r"), r.stderrString)
        XCTAssertTrue(r.stderrString.contains("] 100%; "), r.stderrString)
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

    // MARK: - The bar on a terminal (issue 19), through a pseudo-terminal of 80 columns

    /// Runs `command` (a shell command line) under script(1) in an 80-column pseudo-terminal
    /// and returns what the terminal received, without script's own header and footer.
    func onTerminal(_ command: String) throws -> String {
        let log = Self.workDir + "/typescript"
        // -f: the log is written as the terminal gets it, so a command may watch it.
        let r = try ProcessRunner.run("script", ["-qfec", "stty cols 80; " + command, log])
        _ = r
        let text = String(decoding: (FileManager.default.contents(atPath: log) ?? Data()), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Script started on") && !$0.hasPrefix("Script done on") }.joined(separator: "\n")
    }

    /// The frames drawn: split at carriage returns and newlines, the erase-to-end codes taken out.
    func frames(_ terminal: String) -> [String] {
        terminal.replacingOccurrences(of: "\u{1B}[K", with: "")
            .split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }).map(String.init)
            .filter { $0.hasPrefix("cbdump: ") || $0.hasPrefix("cbrestore: ") }
    }

    func testBarFitsEightyColumnsAndRedrawsInPlace() throws {
        let c = try setUpCluster()
        let conn = c.connectionArgs(db: "prog").joined(separator: " ")
        let out = try onTerminal("\(ProcessRunner.product("cbdump")) -Z0 -f \(Self.workDir)/tty.dump \(conn)")
        let f = frames(out)
        XCTAssertGreaterThan(f.count, 0, out)
        for frame in f { XCTAssertLessThanOrEqual(frame.count, 79, "a frame wider than the terminal: \(frame)") }
        XCTAssertTrue(out.contains("\r"), "redrawn in place")
        XCTAssertTrue(out.contains("\u{1B}[K"), "the rest of the line erased")
        XCTAssertTrue(f.last?.contains("] 100%; ") == true, f.last ?? "")
        // Binary units, named as such.
        XCTAssertTrue(f.last?.contains("MiB") == true, f.last ?? "")
        XCTAssertFalse(out.contains(" MB"), out)
    }

    /// Ctrl-C while the bar is drawn: the message starts on a line of its own.
    func testInterruptMessageOnItsOwnLine() throws {
        let c = try setUpCluster()
        let conn = c.connectionArgs(db: "unsized").joined(separator: " ")
        // The interrupt comes once the bar is on the terminal (or after 30 s), however slow
        // the machine is to get there.
        let log = Self.workDir + "/typescript"
        let out = try onTerminal("(for i in $(seq 300); do grep -q 'cbdump: \\[' \(log) && break; sleep 0.1; done; kill -INT $$) & "
                                 + "exec \(ProcessRunner.product("cbdump")) -Z9 --compress-jobs 1 -f \(Self.workDir)/int.dump \(conn)")
        let lines = out.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
        XCTAssertTrue(out.contains("cbdump: ["), "the bar was drawn before the interrupt: \(out)")
        XCTAssertTrue(lines.contains("cbdump: terminated by user"), out)
    }

    func testSchemaOnlyShowsNoBar() throws {
        let c = try setUpCluster()
        let r = try cbdump(["-s", "--progress", "-f", Self.workDir + "/s.dump"], c)
        XCTAssertEqual(r.status, 0, r.stderrString)
        XCTAssertEqual(r.stderrString, "", "no \"100% 0 B\" for a dump without data")
    }

    /// A table of unknown size (relpages 0) beside a known one: the display never says 100%
    /// (nor ETA 0:00) while a table is still being dumped, in -Fc or -Fd -j 2. (Compressed at
    /// level 9 on one thread, so that the dump outlasts the first report.)
    func testNeverDoneWhileATableRuns() throws {
        let c = try setUpCluster()
        for args in [["-Fc"], ["-Fd", "-j", "2"]] {
            let out = Self.workDir + "/unsized-\(args.count)"
            try? FileManager.default.removeItem(atPath: out)
            let r = try ProcessRunner.run(ProcessRunner.product("cbdump"), args + ["-Z9", "--compress-jobs", "1", "--progress=json", "-f", out] + c.connectionArgs(db: "unsized"))
            XCTAssertEqual(r.status, 0, r.stderrString)
            let objs = try objects(r.stderrString)
            XCTAssertGreaterThan(objs.count, 1, "\(args): at least one report before the end")
            for o in objs.dropLast() {
                XCTAssertLessThan(o["fraction"] as? Double ?? 1, 1, "\(args): 100% before the end: \(o)")
            }
            XCTAssertEqual(objs.last?["fraction"] as? Double, 1)
        }
    }

    /// cbrestore -d: rows counted while a COPY runs (not only at its end), and never 100%
    /// before the restore is over.
    func testRestoreCountsRowsDuringCopy() throws {
        let c = try setUpCluster()
        let archive = Self.workDir + "/unsized.dump"
        try cbdumpUnsized(["-Z0", "-f", archive], c)
        try c.createDatabase("unsized_copy")
        let r = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--progress=json"] + c.connectionArgs(db: "unsized_copy") + [archive])
        XCTAssertEqual(r.status, 0, r.stderrString)
        let objs = try objects(r.stderrString)
        let during = objs.dropLast().filter { ($0["items_done"] as? Int ?? 0) < ($0["items_total"] as? Int ?? 0) }
        XCTAssertTrue(during.contains { ($0["rows_done"] as? Int ?? 0) > 0 }, "rows while the COPY runs: \(during)")
        for o in objs.dropLast() { XCTAssertLessThan(o["fraction"] as? Double ?? 1, 1, "100% before the end: \(o)") }
        XCTAssertEqual(objs.last?["rows_done"] as? Int, 400_001)
        // No overshooting estimate: what is done and still to go never exceeds the total by
        // more than a quarter (the to-go figure waits until the archive's ratio of stored to
        // loaded bytes is known).
        let total = objs.last?["bytes_done"] as? Int ?? 0
        for o in objs.dropLast() {
            guard let toGo = o["bytes_to_go"] as? Int else { continue }
            XCTAssertLessThanOrEqual(Double((o["bytes_done"] as? Int ?? 0) + toGo), Double(total) * 1.25, "overshoot: \(o)")
        }
    }

    func cbdumpUnsized(_ args: [String], _ c: TestCluster) throws {
        let r = try ProcessRunner.run(ProcessRunner.product("cbdump"), args + c.connectionArgs(db: "unsized"))
        XCTAssertEqual(r.status, 0, r.stderrString)
    }
}
