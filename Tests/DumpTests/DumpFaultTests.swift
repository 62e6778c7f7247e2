import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// cbdump when things go wrong, against pg_dump 15 doing the same: a database that is not
/// there, a lock it cannot get, an output it cannot create or fill, a server that goes away
/// or a user who interrupts it mid-dump, a reader that stops reading. cbdump must end as
/// pg_dump does (exit status, message; pg_dump's words where its message is meaningful),
/// and, unlike pg_dump, leave neither an output file nor its temporary file behind.
final class DumpFaultTests: XCTestCase {
    nonisolated(unsafe) static var fixture: ClassCluster?
    static var workDir: String { fixture?.workDir ?? "" }

    /// Rows of the big table: ~200 MB of table, a COPY that takes seconds.
    static let bigRows = 700_000

    override class func setUp() {
        super.setUp()
        fixture = ClassCluster(label: "faults") { c, _ in
            try c.createDatabase("small")
            try c.psql("""
                CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2));
                INSERT INTO items SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 1000) g;
                CREATE TABLE notes (id int, body text);
                INSERT INTO notes SELECT g, md5(g::text) FROM generate_series(1, 100) g;
                """, db: "small")
            try c.createDatabase("lockdb")
            try c.psql("CREATE TABLE t (a int); INSERT INTO t VALUES (1);", db: "lockdb")
            try c.createDatabase("big")
            try c.psql("""
                CREATE TABLE big (id int, t text);
                INSERT INTO big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, \(bigRows)) g;
                """, db: "big")
        }
    }

    override class func tearDown() {
        fixture?.stop()
        super.tearDown()
    }

    // MARK: - Helpers

    func setUpCluster() throws -> (TestCluster, PGBinaries) {
        guard let fixture = Self.fixture else { throw XCTSkip("no fixture") }
        return try fixture.require()
    }

    static let env = ["LC_ALL": "C"]

    /// A fresh folder for one case's output.
    func makeDir(_ name: String) throws -> String {
        let dir = Self.workDir + "/" + name
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Files in `dir` that are the output `name` or a temporary file for it.
    func leftovers(_ dir: String, _ name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(name) }.sorted()
    }

    func removeLeftovers(_ dir: String, _ name: String) {
        for f in leftovers(dir, name) { try? FileManager.default.removeItem(atPath: dir + "/" + f) }
    }

    /// pg_dump's standard error with its name replaced by ours, for an exact comparison.
    func asCbdump(_ s: String) -> String { s.replacingOccurrences(of: "pg_dump: ", with: "cbdump: ") }

    var cbdump: String { ProcessRunner.product("cbdump") }

    /// Runs pg_dump 15 -Fc and cbdump with the same arguments (removing pg_dump's
    /// leftovers in between) and checks what every case shares: both exit 1, cbdump says
    /// "cbdump: error: ...", and leaves nothing named `name` in `dir`.
    @discardableResult
    func runBoth(_ args: [String], dir: String, name: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> (ref: ProcessResult, ours: ProcessResult)
    {
        let (_, bin) = try setUpCluster()
        let ref = try ProcessRunner.run(bin.path("pg_dump"), ["-Fc"] + args, environment: Self.env)
        removeLeftovers(dir, name)
        let ours = try ProcessRunner.run(cbdump, args, environment: Self.env)
        checkFailure(ref: ref, ours: ours, dir: dir, name: name, file: file, line: line)
        return (ref, ours)
    }

    func checkFailure(ref: ProcessResult, ours: ProcessResult, dir: String, name: String,
                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ref.status, 1, "pg_dump: \(ref.stderrString)", file: file, line: line)
        XCTAssertEqual(ours.status, ref.status, "cbdump's exit status differs from pg_dump's: \(ours.stderrString)", file: file, line: line)
        XCTAssertTrue(ours.stderrString.hasPrefix("cbdump: error: ") || ours.stderrString.hasPrefix("cbdump: terminated by user"),
                      "unclear message: \(ours.stderrString)", file: file, line: line)
        XCTAssertFalse(ours.stderrString.contains("Fatal error"), "crashed: \(ours.stderrString)", file: file, line: line)
        XCTAssertEqual(leftovers(dir, name), [], "cbdump left files behind", file: file, line: line)
    }

    typealias Child = ChildProcess

    /// Polls `sql` (in database `db`) until it returns "t" or "1"; fails after a minute.
    func waitFor(_ sql: String, db: String = "postgres", _ what: String) throws {
        let (c, _) = try setUpCluster()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let r = try c.psql(sql, db: db)
            if r == "t" || r == "1" { return }
            usleep(20_000)
        }
        throw NSError(domain: "DumpFaultTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "timed out waiting for \(what)"])
    }

    /// True while `app`'s COPY of the big table runs.
    func copyRunning(_ app: String) -> String {
        "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = '\(app)' AND state = 'active' AND query LIKE 'COPY public.big %'"
    }

    /// Starts `tool` dumping the big table into `path`, waits until its COPY runs, does
    /// `interrupt` to it, and returns how it ended.
    func interruptMidCopy(tool: String, args: [String], app: String, _ interrupt: (Child) throws -> Void) throws -> ProcessResult {
        let (c, _) = try setUpCluster()
        let child = try Child(tool, args + c.connectionArgs(db: "big"), environment: Self.env, scratch: Self.workDir)
        do {
            try waitFor(copyRunning(app), app + "'s COPY to start")
        } catch {
            kill(child.pid, SIGKILL)
            _ = child.wait()
            throw error
        }
        try interrupt(child)
        return child.wait()
    }

    /// The lines of a message that do not depend on timing: the first line up to the
    /// server's words, and the "Command was:" detail.
    func stableLines(_ s: String) -> [String] {
        s.split(separator: "\n").map(String.init).compactMap { l in
            if l.contains("Dumping the contents of table"), let r = l.range(of: "\" failed: ") { return String(l[..<r.upperBound]) }
            if l.contains("detail: Command was:") { return l }
            return nil
        }
    }

    // MARK: - Connection

    func testNonexistentDatabase() throws {
        let (c, _) = try setUpCluster()
        let dir = try makeDir("nodb")
        let (ref, ours) = try runBoth(["-f", dir + "/out.dump"] + c.connectionArgs(db: "no_such_database"), dir: dir, name: "out.dump")
        XCTAssertTrue(ref.stderrString.contains("database \"no_such_database\" does not exist"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
    }

    func testUnreachableServer() throws {
        _ = try setUpCluster()
        let dir = try makeDir("noserver")
        let args = ["-f", dir + "/out.dump", "-h", dir, "-p", "1", "-U", "postgres", "-d", "postgres"]
        let (ref, ours) = try runBoth(args, dir: dir, name: "out.dump")
        XCTAssertTrue(ref.stderrString.contains("No such file or directory"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
    }

    /// A session statement that fails (SET ROLE to a role that does not exist).
    func testUnknownRole() throws {
        let (c, _) = try setUpCluster()
        let dir = try makeDir("role")
        let (ref, ours) = try runBoth(["-f", dir + "/out.dump", "--role", "no_such_role"] + c.connectionArgs(db: "small"),
                                      dir: dir, name: "out.dump")
        XCTAssertTrue(ref.stderrString.contains("Query was: SET ROLE no_such_role"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
    }

    // MARK: - Locks

    func testLockWaitTimeout() throws {
        let (c, bin) = try setUpCluster()
        let dir = try makeDir("lock")
        // Another session holds ACCESS EXCLUSIVE on t until we end it.
        let holder = try Child(bin.path("psql"), ["-X", "-q"] + c.connectionArgs(db: "lockdb")
                                + ["-c", "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(300);"],
                               environment: Self.env.merging(["PGAPPNAME": "faults-holder"]) { a, _ in a }, scratch: Self.workDir)
        defer {
            _ = try? c.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'faults-holder'")
            _ = holder.wait()
        }
        try waitFor("""
            SELECT count(*) = 1 FROM pg_locks l JOIN pg_class r ON r.oid = l.relation
            WHERE r.relname = 't' AND l.mode = 'AccessExclusiveLock' AND l.granted
            """, db: "lockdb", "the other session's lock")
        let args = ["-f", dir + "/out.dump", "--lock-wait-timeout=200ms"] + c.connectionArgs(db: "lockdb")
        let (ref, ours) = try runBoth(args, dir: dir, name: "out.dump")
        XCTAssertTrue(ref.stderrString.contains("LOCK TABLE public.t IN ACCESS SHARE MODE"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
    }

    // MARK: - Output that cannot be made

    func testOutputDirectoryMissing() throws {
        let (c, _) = try setUpCluster()
        let dir = try makeDir("missing")
        let (ref, ours) = try runBoth(["-f", dir + "/no/such/dir/out.dump"] + c.connectionArgs(db: "small"), dir: dir, name: "no")
        XCTAssertTrue(ref.stderrString.contains("No such file or directory"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
    }

    func testOutputUnderRegularFile() throws {
        let (c, _) = try setUpCluster()
        let dir = try makeDir("underfile")
        FileManager.default.createFile(atPath: dir + "/plain", contents: Data("x".utf8))
        let (ref, ours) = try runBoth(["-f", dir + "/plain/out.dump"] + c.connectionArgs(db: "small"), dir: dir, name: "plain/")
        XCTAssertTrue(ref.stderrString.contains("Not a directory"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
        XCTAssertEqual(leftovers(dir, ""), ["plain"])
    }

    func testReadOnlyDirectory() throws {
        let (c, _) = try setUpCluster()
        let dir = try makeDir("readonly")
        // Root writes through permission bits: make the folder immutable instead.
        if geteuid() == 0 {
            let r = try ProcessRunner.run("chattr", ["+i", dir])
            if !r.succeeded { throw XCTSkip("chattr +i is not possible here (\(r.stderrString.trimmingCharacters(in: .whitespacesAndNewlines))): read-only directory case not run") }
        } else {
            chmod(dir, 0o555)
        }
        defer {
            if geteuid() == 0 { _ = try? ProcessRunner.run("chattr", ["-i", dir]) } else { chmod(dir, 0o755) }
        }
        let (ref, ours) = try runBoth(["-f", dir + "/out.dump"] + c.connectionArgs(db: "small"), dir: dir, name: "out.dump")
        XCTAssertTrue(ref.stderrString.contains("could not open output file"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
    }

    // MARK: - Output that cannot be finished

    func testFullDisk() throws {
        let (c, _) = try setUpCluster()
        let dir = try makeDir("full")
        let mounted = geteuid() == 0 ? try ProcessRunner.run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir]) : nil
        guard let mounted, mounted.succeeded else {
            throw XCTSkip("cannot mount a 1 MB tmpfs (\(mounted?.stderrString ?? "not root")): full-disk case not run; testFileSizeLimit covers write errors")
        }
        defer { _ = try? ProcessRunner.run("umount", [dir]) }
        let (ref, ours) = try runBoth(["-f", dir + "/out.dump"] + c.connectionArgs(db: "big"), dir: dir, name: "out.dump")
        XCTAssertTrue(ref.stderrString.contains("No space left on device"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
        XCTAssertEqual(leftovers(dir, ""), [], "the full disk still holds files")
    }

    /// RLIMIT_FSIZE: pg_dump dies of SIGXFSZ (exit 153, half a file) unless SIGXFSZ is
    /// ignored, when it reports EFBIG. cbdump, started with SIGXFSZ at its default, must
    /// report it as pg_dump does then.
    func testFileSizeLimit() throws {
        let (c, bin) = try setUpCluster()
        let dir = try makeDir("fsize")
        let args = ["-f", dir + "/out.dump"] + c.connectionArgs(db: "big")
        let killed = try ProcessRunner.run("/bin/bash", ["-c", "ulimit -f 1000; exec \"$0\" \"$@\"", bin.path("pg_dump"), "-Fc"] + args,
                                           environment: Self.env)
        XCTAssertEqual(killed.status, 128 + SIGXFSZ, "pg_dump was expected to die of SIGXFSZ: \(killed.stderrString)")
        removeLeftovers(dir, "out.dump")
        let ref = try ProcessRunner.run("/bin/bash", ["-c", "ulimit -f 1000; trap '' XFSZ; exec \"$0\" \"$@\"", bin.path("pg_dump"), "-Fc"] + args,
                                        environment: Self.env)
        removeLeftovers(dir, "out.dump")
        let ours = try ProcessRunner.run("/bin/bash", ["-c", "ulimit -f 1000; exec \"$0\" \"$@\"", cbdump] + args, environment: Self.env)
        checkFailure(ref: ref, ours: ours, dir: dir, name: "out.dump")
        XCTAssertTrue(ref.stderrString.contains("File too large"), ref.stderrString)
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
    }

    // MARK: - Mid-dump

    func testBackendTerminatedMidDump() throws {
        let (c, bin) = try setUpCluster()
        let dir = try makeDir("terminate")
        func terminate(_ app: String) -> (Child) throws -> Void {
            { _ in try c.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(app)' AND query LIKE 'COPY %'") }
        }
        let ref = try interruptMidCopy(tool: bin.path("pg_dump"), args: ["-Fc", "-f", dir + "/out.dump"], app: "pg_dump", terminate("pg_dump"))
        removeLeftovers(dir, "out.dump")
        let ours = try interruptMidCopy(tool: cbdump, args: ["-f", dir + "/out.dump"], app: "cbdump", terminate("cbdump"))
        checkFailure(ref: ref, ours: ours, dir: dir, name: "out.dump")
        XCTAssertEqual(stableLines(ref.stderrString).count, 2, ref.stderrString)
        XCTAssertEqual(stableLines(ours.stderrString), stableLines(asCbdump(ref.stderrString)), ours.stderrString)
    }

    func testServerStoppedMidDump() throws {
        let (c, bin) = try setUpCluster()
        let dir = try makeDir("stop")
        // pg_ctl as the server's owner (runuser when we are root, as TestCluster does).
        func pgCtl(_ args: [String]) throws -> ProcessResult {
            let ctl = [bin.path("pg_ctl"), "-D", c.dataDir] + args
            if geteuid() == 0 {
                return try ProcessRunner.run("runuser", ["-u", "postgres", "--"] + ctl, environment: Self.env, cwd: "/")
            }
            return try ProcessRunner.run(ctl[0], Array(ctl.dropFirst()), environment: Self.env)
        }
        func stopServer(_: Child) throws {
            try pgCtl(["-m", "immediate", "-w", "stop"]).check()
        }
        func start() throws {
            try pgCtl(["-l", c.logFile, "-w", "-t", "60", "start"]).check()
        }
        let ref: ProcessResult
        do {
            defer { try? start() }
            ref = try interruptMidCopy(tool: bin.path("pg_dump"), args: ["-Fc", "-f", dir + "/out.dump"], app: "pg_dump", stopServer)
        }
        removeLeftovers(dir, "out.dump")
        let ours: ProcessResult
        do {
            defer { try? start() }
            ours = try interruptMidCopy(tool: cbdump, args: ["-f", dir + "/out.dump"], app: "cbdump", stopServer)
        }
        checkFailure(ref: ref, ours: ours, dir: dir, name: "out.dump")
        XCTAssertEqual(stableLines(ref.stderrString).count, 2, ref.stderrString)
        XCTAssertEqual(stableLines(ours.stderrString), stableLines(asCbdump(ref.stderrString)), ours.stderrString)
        XCTAssertEqual(try c.psql("SELECT count(*) FROM big", db: "big"), String(Self.bigRows), "server back up")
    }

    func testInterruptedBySIGINT() throws { try checkSignal(SIGINT) }

    func testInterruptedBySIGTERM() throws { try checkSignal(SIGTERM) }

    func checkSignal(_ sig: Int32) throws {
        let (_, bin) = try setUpCluster()
        let dir = try makeDir("signal\(sig)")
        let ref = try interruptMidCopy(tool: bin.path("pg_dump"), args: ["-Fc", "-f", dir + "/out.dump"], app: "pg_dump") { kill($0.pid, sig) }
        removeLeftovers(dir, "out.dump")
        let ours = try interruptMidCopy(tool: cbdump, args: ["-f", dir + "/out.dump"], app: "cbdump") { kill($0.pid, sig) }
        checkFailure(ref: ref, ours: ours, dir: dir, name: "out.dump")
        XCTAssertEqual(ours.stderrString, asCbdump(ref.stderrString))
    }

    // MARK: - Standard output

    /// `cbdump db > file` makes an archive that pg_restore reads into the same script as
    /// pg_dump's (a database of tables only, which cbdump dumps completely).
    func testStandardOutputToFile() throws {
        let (c, bin) = try setUpCluster()
        let dir = try makeDir("stdout")
        let redirect = "exec \"$0\" \"$@\" > \"$OUT\""
        try ProcessRunner.run("/bin/bash", ["-c", redirect, bin.path("pg_dump"), "-Fc"] + c.connectionArgs(db: "small"),
                              environment: Self.env.merging(["OUT": dir + "/ref.dump"]) { a, _ in a }).check()
        let ours = try ProcessRunner.run("/bin/bash", ["-c", redirect, cbdump] + c.connectionArgs(db: "small"),
                                         environment: Self.env.merging(["OUT": dir + "/ours.dump"]) { a, _ in a })
        XCTAssertEqual(ours.status, 0, ours.stderrString)
        XCTAssertEqual(ours.stderrString, "")
        func script(_ path: String) throws -> String {
            let r = try Oracle.pgRestore(bin, args: ["-f", "-", path])
            return Oracle.normalizeRestrictKey(r.stdoutString).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("-- Dumped by ") }.joined(separator: "\n")
        }
        let ref = try script(dir + "/ref.dump")
        XCTAssertTrue(ref.contains("COPY public.items (id, name, price) FROM stdin;"))
        XCTAssertEqual(try script(dir + "/ours.dump"), ref)
        XCTAssertEqual(leftovers(dir, "ours.dump"), ["ours.dump"], "no temporary file for standard output")
    }

    /// A reader that stops after 100 bytes: pg_dump dies of SIGPIPE, silently; cbdump must
    /// end the same way or with a clear error, never crash or hang.
    func testClosedPipe() throws {
        let (c, bin) = try setUpCluster()
        let pipeline = "\"$0\" \"$@\" | head -c 100 > /dev/null; echo ${PIPESTATUS[0]}"
        let ref = try ProcessRunner.run("/bin/bash", ["-c", pipeline, bin.path("pg_dump"), "-Fc"] + c.connectionArgs(db: "big"),
                                        environment: Self.env)
        let ours = try ProcessRunner.run("/bin/bash", ["-c", pipeline, cbdump] + c.connectionArgs(db: "big"), environment: Self.env)
        let refStatus = ref.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
        let ourStatus = ours.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(refStatus, String(128 + SIGPIPE), "pg_dump: \(ref.stderrString)")
        if ourStatus == "1" {
            XCTAssertTrue(ours.stderrString.hasPrefix("cbdump: error: could not write to output file: "), ours.stderrString)
        } else {
            XCTAssertEqual(ourStatus, refStatus)
            XCTAssertEqual(ours.stderrString, ref.stderrString)
        }
    }

    // MARK: - What the user set up (issue 19): written in place as pg_dump writes it

    /// stat(2) of `path` (following links unless `link`).
    func fileStat(_ path: String, link: Bool = false) -> stat? {
        var st = stat()
        return (link ? lstat(path, &st) : stat(path, &st)) == 0 ? st : nil
    }

    func isArchive(_ path: String) -> Bool {
        (FileManager.default.contents(atPath: path)?.prefix(5)).map { Array($0) == Array("PGDMP".utf8) } ?? false
    }

    /// A symbolic link given as -f: pg_dump writes through it; so must cbdump, leaving the link
    /// a link and the file its mode (0640 here, not cbdump's 0600 for new files); a dangling
    /// link gets its target created.
    func testSymlinkTargetWrittenThrough() throws {
        let (c, bin) = try setUpCluster()
        let dir = try makeDir("symlink")
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        for (tool, name) in [(bin.path("pg_dump"), "ref"), (cbdump, "ours")] {
            FileManager.default.createFile(atPath: "\(dir)/real/\(name).dump", contents: Data("old".utf8))
            chmod("\(dir)/real/\(name).dump", 0o640)
            try FileManager.default.createSymbolicLink(atPath: "\(dir)/\(name).dump", withDestinationPath: "real/\(name).dump")
            try FileManager.default.createSymbolicLink(atPath: "\(dir)/\(name)-dangling.dump", withDestinationPath: "real/\(name)-new.dump")
            for target in ["\(name).dump", "\(name)-dangling.dump"] {
                let r = try ProcessRunner.run(tool, (tool == cbdump ? [] : ["-Fc"]) + ["-f", "\(dir)/\(target)"] + c.connectionArgs(db: "small"),
                                              environment: Self.env)
                XCTAssertEqual(r.status, 0, "\(tool) -f \(target): \(r.stderrString)")
                XCTAssertEqual((fileStat("\(dir)/\(target)", link: true)?.st_mode ?? 0) & S_IFMT, S_IFLNK, "\(target) is still a link")
            }
            XCTAssertTrue(isArchive("\(dir)/real/\(name).dump"), "\(name): the archive is in the link's target")
            XCTAssertTrue(isArchive("\(dir)/real/\(name)-new.dump"), "\(name): the dangling link's target was created")
            XCTAssertEqual((fileStat("\(dir)/real/\(name).dump")?.st_mode ?? 0) & 0o777, 0o640, "\(name): the file's mode is kept")
        }
        XCTAssertEqual(leftovers(dir, "").filter { $0.contains("tmp") }, [], "no temporary file left")
    }

    /// A writable file in a directory where nothing can be created (root: an immutable
    /// directory): pg_dump rewrites the file; cbdump must too, instead of failing to make its
    /// temporary file there.
    func testExistingFileInUnwritableDirectory() throws {
        let (c, bin) = try setUpCluster()
        let dir = try makeDir("lockeddir")
        for name in ["ref.dump", "ours.dump"] { FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("old".utf8)) }
        if geteuid() == 0 {
            let r = try ProcessRunner.run("chattr", ["+i", dir])
            if !r.succeeded { throw XCTSkip("chattr +i is not possible here: \(r.stderrString)") }
        } else {
            chmod(dir, 0o555)
        }
        defer { if geteuid() == 0 { _ = try? ProcessRunner.run("chattr", ["-i", dir]) } else { chmod(dir, 0o755) } }
        let ref = try ProcessRunner.run(bin.path("pg_dump"), ["-Fc", "-f", dir + "/ref.dump"] + c.connectionArgs(db: "small"), environment: Self.env)
        XCTAssertEqual(ref.status, 0, "pg_dump: \(ref.stderrString)")
        let ours = try ProcessRunner.run(cbdump, ["-f", dir + "/ours.dump"] + c.connectionArgs(db: "small"), environment: Self.env)
        XCTAssertEqual(ours.status, 0, "cbdump: \(ours.stderrString)")
        XCTAssertTrue(isArchive(dir + "/ours.dump"))
    }

    /// Replacing a dump on a disk without room for two copies: pg_dump truncates and rewrites,
    /// and so must cbdump (a temporary file beside it would run out of space).
    func testReplacingNeedsNoRoomForTwoCopies() throws {
        let (c, bin) = try setUpCluster()
        let dir = try makeDir("tight")
        let mounted = geteuid() == 0 ? try ProcessRunner.run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir]) : nil
        guard let mounted, mounted.succeeded else {
            throw XCTSkip("cannot mount a 1 MB tmpfs (\(mounted?.stderrString ?? "not root")): tight-disk case not run")
        }
        defer { _ = try? ProcessRunner.run("umount", [dir]) }
        // An uncompressed dump of the small database, twice as big as the room left after it.
        let args = ["-Z0", "-f", dir + "/out.dump"] + c.connectionArgs(db: "small")
        try ProcessRunner.run(bin.path("pg_dump"), ["-Fc"] + args, environment: Self.env).check()
        let size = Int(fileStat(dir + "/out.dump")?.st_size ?? 0)
        XCTAssertGreaterThan(size, 20_000)
        var vfs = statvfs()
        XCTAssertEqual(statvfs(dir, &vfs), 0)
        let free = Int(vfs.f_bavail) * Int(vfs.f_frsize)
        FileManager.default.createFile(atPath: dir + "/filler", contents: Data(count: max(0, free - size / 2)))
        let ref = try ProcessRunner.run(bin.path("pg_dump"), ["-Fc"] + args, environment: Self.env)
        XCTAssertEqual(ref.status, 0, "pg_dump: \(ref.stderrString)")
        let ours = try ProcessRunner.run(cbdump, args, environment: Self.env)
        XCTAssertEqual(ours.status, 0, "cbdump: \(ours.stderrString)")
        XCTAssertTrue(isArchive(dir + "/out.dump"))
        XCTAssertEqual(leftovers(dir, ""), ["filler", "out.dump"])
    }

    /// -Fd into an existing empty directory keeps that directory (inode, mode), as pg_dump
    /// does; a mount point works (before, the rename failed, and its error message read freed
    /// memory).
    func testEmptyDirectoryWrittenInPlace() throws {
        let (c, _) = try setUpCluster()
        let dir = try makeDir("emptydir")
        let target = dir + "/out"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        chmod(target, 0o750)
        let before = fileStat(target)
        let r = try ProcessRunner.run(cbdump, ["-Fd", "-f", target] + c.connectionArgs(db: "small"), environment: Self.env)
        XCTAssertEqual(r.status, 0, r.stderrString)
        let after = fileStat(target)
        XCTAssertEqual(after?.st_ino, before?.st_ino, "the same directory")
        XCTAssertEqual((after?.st_mode ?? 0) & 0o777, 0o750, "its mode kept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: target + "/toc.dat"))
        XCTAssertEqual(leftovers(dir, ""), ["out"])

        let mnt = dir + "/mnt"
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        let mounted = geteuid() == 0 ? try ProcessRunner.run("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt]) : nil
        guard let mounted, mounted.succeeded else { throw XCTSkip("cannot mount a tmpfs: mount-point case not run") }
        defer { _ = try? ProcessRunner.run("umount", [mnt]) }
        let m = try ProcessRunner.run(cbdump, ["-Fd", "-f", mnt] + c.connectionArgs(db: "small"), environment: Self.env)
        XCTAssertEqual(m.status, 0, m.stderrString)
        XCTAssertTrue(FileManager.default.fileExists(atPath: mnt + "/toc.dat"))
    }

    /// Interrupted while rewriting an existing file or an existing empty directory in place:
    /// the file is left empty and the directory empty, never half-written looking whole.
    func testInterruptedInPlaceLeavesNothingThatLooksWhole() throws {
        let dir = try makeDir("inplace-signal")
        FileManager.default.createFile(atPath: dir + "/out.dump", contents: Data("an older dump".utf8))
        let ours = try interruptMidCopy(tool: cbdump, args: ["-f", dir + "/out.dump"], app: "cbdump") { kill($0.pid, SIGTERM) }
        XCTAssertEqual(ours.status, 1, ours.stderrString)
        XCTAssertEqual(fileStat(dir + "/out.dump")?.st_size, 0, "the file written in place is emptied")
        XCTAssertEqual(leftovers(dir, ""), ["out.dump"])

        try FileManager.default.createDirectory(atPath: dir + "/outdir", withIntermediateDirectories: true)
        let d = try interruptMidCopy(tool: cbdump, args: ["-Fd", "-f", dir + "/outdir"], app: "cbdump") { kill($0.pid, SIGTERM) }
        XCTAssertEqual(d.status, 1, d.stderrString)
        XCTAssertEqual(leftovers(dir + "/outdir", ""), [], "the directory written in place is emptied")
        XCTAssertEqual(leftovers(dir, ""), ["out.dump", "outdir"])
    }

    /// `cbdump db` on a terminal: an archive is binary, so it is refused (as gzip refuses),
    /// saying how to get a file or SQL; -Fp still writes SQL there. Run under script(1), a
    /// pseudo-terminal.
    func testArchiveRefusedOnTerminal() throws {
        let (c, _) = try setUpCluster()
        let conn = c.connectionArgs(db: "small").map { "'\($0)'" }.joined(separator: " ")
        let refused = try ProcessRunner.run("script", ["-qec", "\(cbdump) --no-progress \(conn)", "/dev/null"], environment: Self.env)
        XCTAssertEqual(refused.status, 1, refused.stdoutString)
        XCTAssertTrue(refused.stdoutString.contains("cbdump: error: refusing to write a custom-format archive to a terminal"), refused.stdoutString)
        XCTAssertFalse(refused.stdoutString.contains("PGDMP"), "no archive bytes on the terminal")
        let plain = try ProcessRunner.run("script", ["-qec", "\(cbdump) --no-progress -Fp \(conn)", "/dev/null"], environment: Self.env)
        XCTAssertEqual(plain.status, 0, plain.stdoutString)
        XCTAssertTrue(plain.stdoutString.contains("CREATE TABLE public.items"), plain.stdoutString)
    }
}
