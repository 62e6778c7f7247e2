import Archive
import Foundation
import TestSupport
import XCTest

/// Faults during cbrestore -d, each next to what pg_restore -d does with the same input:
/// a data block corrupted halfway through a table, the server connection killed mid-COPY,
/// and a target that already holds conflicting objects.
final class LiveRestoreFaultTests: XCTestCase {
    static let env = ["LC_ALL": "C"]
    nonisolated(unsafe) static var counter = 0

    func fresh(_ fx: OracleFixture, _ prefix: String) throws -> String {
        Self.counter += 1
        let db = "\(prefix)_\(Self.counter)"
        try fx.cluster.createDatabase(db)
        return db
    }

    func dump(_ fx: OracleFixture, _ bin: PGBinaries, _ db: String) throws -> String {
        try Oracle.pgDump(bin, cluster: fx.cluster, db: db, args: ["--restrict-key=K"]).stdoutString
    }

    func restore(_ tool: String, _ fx: OracleFixture, _ db: String, _ args: [String]) throws -> ProcessResult {
        try ProcessRunner.run(tool, fx.cluster.connectionArgs(db: db) + args, environment: Self.env)
    }

    /// pg_dump's archive of one 600,000-row table (about 80 MB of COPY text), made once: long
    /// enough to catch a restore in the middle of its COPY.
    func bigArchive(_ fx: OracleFixture, _ bin: PGBinaries) throws -> String {
        let archive = fx.workDir + "/fault-big.dump"
        if FileManager.default.fileExists(atPath: archive) { return archive }
        let source = try fresh(fx, "fault_big_src")
        try fx.cluster.psql("CREATE TABLE wide(id int, t text); INSERT INTO wide SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 600000) g",
                            db: source)
        _ = try Oracle.pgDump(bin, cluster: fx.cluster, db: source, args: ["-Fc", "-Z1", "-f", archive + ".tmp"])
        try FileManager.default.moveItem(atPath: archive + ".tmp", toPath: archive)
        return archive
    }

    /// A copy of the fixture's gzip archive whose data block for data.big has garbage in the
    /// middle of its middle compressed chunk.
    func corruptArchive(_ fx: OracleFixture) throws -> (path: String, entry: TocEntry) {
        guard let source = fx.archives.first(where: { $0.name == "pg15-custom" }) else { throw XCTSkip("no pg15 archive") }
        let reader = try ArchiveOpener.open(path: source.path)
        guard let te = reader.entries.first(where: { $0.desc == "TABLE DATA" && $0.tag == Array("big".utf8) }),
              te.dataState == .posSet else { throw XCTSkip("data.big has no data offset") }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source.path)))
        // Block: type byte, dumpId Int, then chunks (Int length, bytes) up to a zero length.
        func readInt(_ at: Int) -> Int {
            let v = Int(bytes[at + 1]) | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) << 16 | Int(bytes[at + 4]) << 24
            return bytes[at] == 0 ? v : -v
        }
        var pos = Int(te.dataPos) + 1 + 5
        var chunks: [(start: Int, length: Int)] = []
        while true {
            let len = readInt(pos)
            if len <= 0 { break }
            chunks.append((pos + 5, len))
            pos += 5 + len
        }
        XCTAssertGreaterThan(chunks.count, 0)
        let chunk = chunks[chunks.count / 2]
        for i in 0..<min(64, chunk.length / 2) { bytes[chunk.start + chunk.length / 2 + i] ^= 0x5a }
        let path = fx.workDir + "/corrupt-big.dump"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, te)
    }

    /// With -1 nothing of the restore stays: the target is exactly as it was. pg_restore -1
    /// is run the same way as the oracle.
    func testCorruptBlockWithSingleTransactionLeavesTargetUntouched() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        let (archive, te) = try corruptArchive(fx)
        for (tool, name) in [(bin.path("pg_restore"), "pg_restore"), (ProcessRunner.product("cbrestore"), "cbrestore")] {
            let db = try fresh(fx, "fault_tx")
            try fx.cluster.psql("CREATE TABLE keep(x int); INSERT INTO keep VALUES (1), (2), (3); COMMENT ON TABLE keep IS 'was here'", db: db)
            let before = try dump(fx, bin, db)
            let r = try restore(tool, fx, db, ["-1", archive])
            XCTAssertEqual(r.status, 1, "\(name): \(r.stderrString)")
            XCTAssertEqual(try dump(fx, bin, db), before, "\(name) -1 changed the target")
            if name == "cbrestore" {
                XCTAssertTrue(r.stderrString.contains(te.label), "error does not name \(te.label): \(r.stderrString)")
                XCTAssertEqual(r.stderrString.split(separator: "\n").count, 1, "one line: \(r.stderrString)")
            }
        }
    }

    /// Without -1 the damaged table gets no rows and the error names it, but, unlike
    /// pg_restore (which stops at the damaged block), every other entry is still restored:
    /// the result equals a restore of the undamaged archive with that table emptied, and the
    /// run ends with "errors ignored on restore: 1" and exit status 1.
    func testCorruptBlockWithoutSingleTransaction() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15),
              let source = fx.archives.first(where: { $0.name == "pg15-custom" }) else { throw XCTSkip("pg_restore 15 not available") }
        let (archive, te) = try corruptArchive(fx)
        let cbrestore = ProcessRunner.product("cbrestore")
        let pristineDB = try fresh(fx, "fault_ok"), oursDB = try fresh(fx, "fault_cb"), theirsDB = try fresh(fx, "fault_pg")
        let pristine = try restore(cbrestore, fx, pristineDB, [source.path])
        XCTAssertEqual(pristine.status, 0, pristine.stderrString)
        try fx.cluster.psql("DELETE FROM data.big", db: pristineDB)
        let ours = try restore(cbrestore, fx, oursDB, [archive])
        XCTAssertEqual(ours.status, 1, ours.stderrString)
        XCTAssertTrue(ours.stderrString.contains(te.label), "error does not name \(te.label): \(ours.stderrString)")
        XCTAssertTrue(ours.stderrString.hasSuffix("errors ignored on restore: 1\n"), ours.stderrString)
        XCTAssertEqual(try fx.cluster.psql("SELECT count(*) FROM data.big", db: oursDB), "0", "rows of the damaged table loaded")
        let a = try dump(fx, bin, pristineDB), b = try dump(fx, bin, oursDB)
        if a != b { XCTFail("the other entries were not all restored\n" + CompareReport().firstDifference(b, a)) }
        // pg_restore stops at the damaged block, with exit status 1 too.
        let theirs = try restore(bin.path("pg_restore"), fx, theirsDB, [archive])
        XCTAssertEqual(theirs.status, 1, theirs.stderrString)
    }

    /// The server side of the connection is terminated while a large table streams in:
    /// one clear error and exit status 1 (pg_restore also exits 1).
    func testConnectionKilledMidCopy() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        let archive = try bigArchive(fx, bin)
        for (tool, app) in [(bin.path("pg_restore"), "pg_restore"), (ProcessRunner.product("cbrestore"), "cbrestore")] {
            let db = try fresh(fx, "fault_kill")
            let box = ResultBox()
            let args = fx.cluster.connectionArgs(db: db) + [archive]
            let thread = Thread { box.set(Result { try ProcessRunner.run(tool, args, environment: Self.env) }) }
            thread.start()
            var killed = ""
            for _ in 0..<400 where killed != "t" && !box.done {
                killed = (try? fx.cluster.psql("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = '\(db)' AND application_name = '\(app)' AND query LIKE 'COPY %'
                    """)) ?? ""
                if killed != "t" { usleep(20_000) }
            }
            let r = try box.wait().get()
            XCTAssertEqual(killed, "t", "\(app): never caught it in COPY (\(r.stderrString.prefix(300)))")
            XCTAssertEqual(r.status, 1, "\(app): \(r.stderrString)")
            if app == "cbrestore" {
                let err = r.stderrString
                XCTAssertTrue(err.contains("TABLE DATA public.wide"), err)
                XCTAssertTrue(err.contains("terminating connection") || err.contains("server closed the connection"), err)
                XCTAssertLessThanOrEqual(err.split(separator: "\n").count, 3, "one error, not one per remaining command: \(err)")
            }
        }
    }

    /// cbrestore -1 interrupted by SIGINT or SIGTERM while a large table streams in: it
    /// stops (killed by the signal, or exit status 1 with one line), its backend goes away,
    /// and the target is exactly as it was, as with pg_restore -1 under the same signal.
    func testSignalWithSingleTransactionLeavesTargetUntouched() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        let archive = try bigArchive(fx, bin)
        for sig in [SIGINT, SIGTERM] {
            for (tool, app) in [(bin.path("pg_restore"), "pg_restore"), (ProcessRunner.product("cbrestore"), "cbrestore")] {
                let db = try fresh(fx, "fault_sig")
                try fx.cluster.psql("CREATE TABLE keep(x int); INSERT INTO keep VALUES (1), (2); COMMENT ON TABLE keep IS 'was here'", db: db)
                let before = try dump(fx, bin, db)
                let child = try ChildProcess(tool, fx.cluster.connectionArgs(db: db) + ["-1", archive],
                                             environment: Self.env, scratch: fx.workDir)
                var copying = ""
                for _ in 0..<400 where copying != "1" {
                    copying = (try? fx.cluster.psql("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = '\(db)' AND application_name = '\(app)' AND query LIKE 'COPY %'
                        """)) ?? ""
                    if copying != "1" { usleep(20_000) }
                }
                XCTAssertEqual(copying, "1", "\(app): never caught it in COPY")
                kill(child.pid, sig)
                let r = child.wait()
                let label = "\(app) -1, signal \(sig)"
                // Killed by the signal (status 128 + n), or a clean exit 1 with one line.
                if r.status != 128 + sig {
                    XCTAssertEqual(r.status, 1, "\(label): \(r.stderrString)")
                    if app == "cbrestore" { XCTAssertEqual(r.stderrString.split(separator: "\n").count, 1, "\(label): \(r.stderrString)") }
                }
                XCTAssertFalse(r.stderrString.contains("Fatal error"), "\(label) crashed: \(r.stderrString)")
                // Its session ends (the server rolls the transaction back), then nothing stayed.
                var sessions = ""
                for _ in 0..<250 where sessions != "0" {
                    sessions = (try? fx.cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(db)' AND application_name = '\(app)'")) ?? ""
                    if sessions != "0" { usleep(20_000) }
                }
                XCTAssertEqual(sessions, "0", "\(label): its session outlived it")
                XCTAssertEqual(try dump(fx, bin, db), before, "\(label) changed the target")
            }
        }
    }

    /// pg_dump's archive of a table whose CHECK calls a function that sleeps 5 ms per row:
    /// its 3,000 rows reach the server at once, and the server then needs 15 s to load them.
    func slowArchive(_ fx: OracleFixture, _ bin: PGBinaries) throws -> String {
        let archive = fx.workDir + "/fault-slow.dump"
        if FileManager.default.fileExists(atPath: archive) { return archive }
        let source = try fresh(fx, "fault_slow_src")
        try fx.cluster.psql("""
            CREATE FUNCTION slow_ok(int) RETURNS boolean LANGUAGE plpgsql AS $$BEGIN
              IF current_setting('application_name') <> 'psql' THEN PERFORM pg_sleep(0.005); END IF;
              RETURN true; END$$;
            CREATE TABLE slow (x int CHECK (slow_ok(x)));
            INSERT INTO slow SELECT g FROM generate_series(1, 3000) g;
            """, db: source)
        _ = try Oracle.pgDump(bin, cluster: fx.cluster, db: source, args: ["-Fc", "-f", archive + ".tmp"])
        try FileManager.default.moveItem(atPath: archive + ".tmp", toPath: archive)
        return archive
    }

    /// SIGTERM, and SIGINT in a process that started with SIGINT ignored (a script's
    /// background job), while the server works through a COPY: pg_restore's handler cancels
    /// the statement, says "terminated by user" and exits 1; cbrestore must do the same, and
    /// the server must stop loading at once (no rows, no session left).
    func testTerminationCancelsTheServerStatement() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        let archive = try slowArchive(fx, bin)
        for (sig, ignoredAtStart) in [(SIGTERM, false), (SIGINT, true)] {
            for (tool, app) in [(bin.path("pg_restore"), "pg_restore"), (ProcessRunner.product("cbrestore"), "cbrestore")] {
                let db = try fresh(fx, "fault_cancel")
                let args = fx.cluster.connectionArgs(db: db) + [archive]
                let child = ignoredAtStart
                    ? try ChildProcess("/bin/bash", ["-c", "trap '' INT; exec \"$0\" \"$@\"", tool] + args, environment: Self.env, scratch: fx.workDir)
                    : try ChildProcess(tool, args, environment: Self.env, scratch: fx.workDir)
                var copying = ""
                for _ in 0..<500 where copying != "1" {
                    copying = (try? fx.cluster.psql("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = '\(db)' AND application_name = '\(app)' AND query LIKE 'COPY %' AND state = 'active'
                        """)) ?? ""
                    if copying != "1" { usleep(20_000) }
                }
                let label = "\(app), signal \(sig)\(ignoredAtStart ? " (ignored at start)" : "")"
                XCTAssertEqual(copying, "1", "\(label): never caught it in COPY")
                kill(child.pid, sig)
                let r = child.wait()
                XCTAssertEqual(r.status, 1, "\(label): \(r.stderrString)")
                XCTAssertEqual(r.stderrString, "\(app): terminated by user\n", label)
                var active = ""
                for _ in 0..<50 where active != "0" {
                    active = (try? fx.cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(db)' AND application_name = '\(app)'")) ?? ""
                    if active != "0" { usleep(20_000) }
                }
                XCTAssertEqual(active, "0", "\(label): the server went on after the tool ended")
                XCTAssertEqual(try fx.cluster.psql("SELECT count(*) FROM slow", db: db), "0", "\(label): rows were loaded")
            }
        }
    }

    /// A target that already holds some of the objects: the same errors are ignored, the
    /// same exit status, the same database as pg_restore leaves.
    func testConflictingTarget() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15),
              let archive = fx.archives.first(where: { $0.name == "pg15-custom" }) else { throw XCTSkip("no pg15 archive") }
        let conflicts = """
            CREATE SCHEMA app; CREATE SCHEMA data;
            CREATE TABLE data.big (id int PRIMARY KEY, other text);
            INSERT INTO data.big VALUES (1, 'mine');
            CREATE FUNCTION app.add1(i integer) RETURNS integer LANGUAGE sql AS 'SELECT 42';
            """
        // Serially, in parallel (errors counted per worker entry as pg_restore counts them),
        // and with -e (a worker's error ends the restore) and --no-data-for-failed-tables.
        for opts in [[], ["-j", "2"], ["-j", "3", "--no-data-for-failed-tables"], ["-j", "2", "-e"], ["-e"]] {
            let a = try fresh(fx, "fault_conf_pg"), b = try fresh(fx, "fault_conf_cb")
            for db in [a, b] { try fx.cluster.psql(conflicts, db: db) }
            let theirs = try restore(bin.path("pg_restore"), fx, a, opts + [archive.path])
            let ours = try restore(ProcessRunner.product("cbrestore"), fx, b, opts + [archive.path])
            XCTAssertEqual(theirs.status, 1)
            XCTAssertEqual(ours.status, theirs.status, "\(opts): \(ours.stderrString)")
            XCTAssertTrue(ours.stderrString.contains("SQLSTATE"), ours.stderrString)
            guard !opts.contains("-e") else { continue }  // where -e stops in parallel depends on timing
            XCTAssertEqual(LiveRestoreMajorTests.ignoredErrors(ours.stderrString), LiveRestoreMajorTests.ignoredErrors(theirs.stderrString),
                           "\(opts)\nours: \(ours.stderrString.prefix(2000))\ntheirs: \(theirs.stderrString.prefix(2000))")
            let da = try dump(fx, bin, a), db = try dump(fx, bin, b)
            if da != db { XCTFail("\(opts): databases differ\n" + CompareReport().firstDifference(db, da)) }
        }
    }
}

/// The result of a process run on another thread.
final class ResultBox: @unchecked Sendable {
    private let lock = NSCondition()
    private var result: Result<ProcessResult, Error>?
    var done: Bool { lock.lock(); defer { lock.unlock() }; return result != nil }
    func set(_ r: Result<ProcessResult, Error>) { lock.lock(); result = r; lock.broadcast(); lock.unlock() }
    func wait() -> Result<ProcessResult, Error> {
        lock.lock(); defer { lock.unlock() }
        while result == nil { lock.wait() }
        return result!
    }
}
