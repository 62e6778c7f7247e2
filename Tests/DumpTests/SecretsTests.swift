import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Passwords and connection options, for the tools that LiveConnectionTests does not cover
/// (cbdump, cbdumpall) and for what no test looked at yet: where a password may end up.
///
/// A throwaway PostgreSQL 15 cluster gets one role with SCRAM password authentication
/// (pg_hba.conf edited by this test; everyone else keeps trust). cbdump (-Fc, -Fd -j 2,
/// plain), cbrestore and cbdumpall (plain and -F d) must connect with the password from
/// PGPASSWORD, from a password file (PGPASSFILE) and from a conninfo string, and the
/// password must appear nowhere: not on standard output or standard error (also with -v,
/// and when the run fails), not in the archive bytes, not in the scripts. cbdumpall alone
/// writes the role's password, as pg_dumpall does: the server's SCRAM verifier, and not
/// with --no-role-passwords. libpq's own options pass through untouched: an
/// application_name seen in pg_stat_activity while cbdump runs, and sslmode=require
/// against a server that refuses SSL failing with libpq's words, as pg_dump does.
final class SecretsTests: XCTestCase {
    nonisolated(unsafe) static var fixture: ClassCluster?
    static var workDir: String { fixture?.workDir ?? "" }
    nonisolated(unsafe) static var counter = 0

    static let role = "cbd_secret"
    /// Distinctive, so that a search for it cannot hit anything else.
    static let password = "Zq7-hunter2-Sekrit"
    static let wrongPassword = "Xk9-not-the-Pw"
    static let db = "secretdb"
    static let env = ["LC_ALL": "C"]
    /// A custom archive of the database, made by pg_dump as postgres (no password).
    static var archive: String { workDir + "/source.dump" }

    override class func setUp() {
        super.setUp()
        fixture = ClassCluster(label: "secrets") { c, workDir in
            try c.createDatabase(db)
            try c.psql("""
                CREATE TABLE t (a int PRIMARY KEY, b text);
                INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 100) g;
                CREATE TABLE u (a int);
                INSERT INTO u SELECT generate_series(1, 50);
                """, db: db)
            try c.psql("SET password_encryption = 'scram-sha-256'; CREATE ROLE \(role) LOGIN SUPERUSER PASSWORD '\(password)'")
            // Password authentication for that role only. Appending to the file keeps its owner.
            let hba = c.dataDir + "/pg_hba.conf"
            let old = try String(contentsOfFile: hba, encoding: .utf8)
            try ("local all \(role) scram-sha-256\n" + old).write(toFile: hba, atomically: false, encoding: .utf8)
            try c.psql("SELECT pg_reload_conf()")
            try ProcessRunner.run(c.binaries.path("pg_dump"), ["-Fc", "-f", workDir + "/source.dump"] + c.libpqArgs(db: db), environment: env).check()
            let passFile = workDir + "/pgpass"
            try "*:*:*:\(role):\(password)\n".write(toFile: passFile, atomically: true, encoding: .utf8)
            chmod(passFile, 0o600)
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

    /// A fresh path under the work folder.
    func path(_ name: String) -> String {
        Self.counter += 1
        return Self.workDir + "/\(Self.counter)-\(name)"
    }

    /// -h -p -U for the password role.
    func roleArgs() throws -> [String] {
        let (c, _) = try setUpCluster()
        return ["-h", c.socketDir, "-p", String(c.port), "-U", Self.role]
    }

    /// The ways a password is given: the environment each run gets.
    var passwordSources: [(String, [String: String])] {
        let noFile = ["PGPASSFILE": Self.workDir + "/no-such-pgpass"]
        return [
            ("PGPASSWORD", Self.env.merging(noFile) { $1 }.merging(["PGPASSWORD": Self.password]) { $1 }),
            ("PGPASSFILE", Self.env.merging(["PGPASSFILE": Self.workDir + "/pgpass"]) { $1 }),
        ]
    }

    /// Environment with no password anywhere (the conninfo must carry it).
    var noPassword: [String: String] { Self.env.merging(["PGPASSFILE": Self.workDir + "/no-such-pgpass"]) { $1 } }

    func run(_ tool: String, _ args: [String], env: [String: String]) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product(tool), args, environment: env)
    }

    /// Fails when a password (the right one or the wrong one) is anywhere in `bytes`.
    func assertNoPassword(_ bytes: Data, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for secret in [Self.password, Self.wrongPassword] {
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(what) holds the password \(secret)", file: file, line: line)
        }
    }

    func assertNoPassword(_ r: ProcessResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        assertNoPassword(r.stdout, "\(what): standard output", file: file, line: line)
        assertNoPassword(r.stderr, "\(what): standard error", file: file, line: line)
    }

    /// Every file under `path` (or the file itself).
    func assertNoPasswordInFiles(_ path: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            XCTFail("\(what): no \(path)", file: file, line: line)
            return
        }
        let files = isDir.boolValue ? (FileManager.default.subpaths(atPath: path) ?? []).map { path + "/" + $0 } : [path]
        XCTAssertFalse(files.isEmpty, "\(what): \(path) is empty", file: file, line: line)
        for f in files {
            if let data = FileManager.default.contents(atPath: f) { assertNoPassword(data, "\(what): \(f)", file: file, line: line) }
        }
    }

    func assertSucceeded(_ r: ProcessResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 0, "\(what) failed: \(r.stderrString)", file: file, line: line)
        assertNoPassword(r, what, file: file, line: line)
    }

    /// Restores `archive` with cbrestore as the password role into a fresh database and
    /// checks the rows arrived.
    func restoreAndCheck(_ archive: String, env: [String: String], extra: [String] = [], _ what: String,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let (c, _) = try setUpCluster()
        Self.counter += 1
        let target = "restored_\(Self.counter)"
        try c.createDatabase(target)
        let r = try run("cbrestore", ["-v", "-d", target] + extra + (try roleArgs()) + [archive], env: env)
        assertSucceeded(r, "\(what): cbrestore", file: file, line: line)
        XCTAssertEqual(try c.psql("SELECT (SELECT count(*) FROM t) || '/' || (SELECT count(*) FROM u)", db: target), "100/50",
                       "\(what): rows restored", file: file, line: line)
        try c.psql("DROP DATABASE \(target)")
    }

    // MARK: - cbdump and cbrestore

    func testDumpAndRestoreWithPasswordFromEnvironmentAndFile() throws {
        _ = try setUpCluster()
        let user = try roleArgs()
        for (source, env) in passwordSources {
            // -Fc, verbose.
            let custom = path("custom.dump")
            var r = try run("cbdump", ["-v", "-Fc", "-f", custom, "-d", Self.db] + user, env: env)
            assertSucceeded(r, "\(source): cbdump -Fc -v")
            assertNoPasswordInFiles(custom, "\(source): cbdump -Fc archive")
            try restoreAndCheck(custom, env: env, "\(source): -Fc")
            // The script cbrestore makes of it.
            r = try run("cbrestore", ["-v", "-f", "-", custom], env: env)
            assertSucceeded(r, "\(source): cbrestore -f -")

            // -Fd -j 2: the workers connect again, with the same password.
            let directory = path("dir")
            r = try run("cbdump", ["-v", "-Fd", "-j", "2", "-f", directory, "-d", Self.db] + user, env: env)
            assertSucceeded(r, "\(source): cbdump -Fd -j 2 -v")
            assertNoPasswordInFiles(directory, "\(source): cbdump -Fd archive")
            try restoreAndCheck(directory, env: env, extra: ["-j", "2"], "\(source): -Fd, cbrestore -j 2")

            // Plain, with -C, to standard output.
            r = try run("cbdump", ["-v", "-C", "-d", Self.db] + user, env: env)
            assertSucceeded(r, "\(source): cbdump plain -C -v")
            XCTAssertTrue(r.stdoutString.contains("COPY public.t "), "\(source): no data in the script")
        }
    }

    /// A password in the conninfo string of -d: used, never repeated, and kept for the
    /// connections cbdump makes later (parallel workers) and cbrestore -C's reconnection.
    func testPasswordInConninfo() throws {
        let (c, _) = try setUpCluster()
        let conninfo = "host='\(c.socketDir)' port=\(c.port) user=\(Self.role) password=\(Self.password) dbname=\(Self.db)"
        let directory = path("conninfo.dir")
        var r = try run("cbdump", ["-v", "-Fd", "-j", "2", "-f", directory, "-d", conninfo], env: noPassword)
        assertSucceeded(r, "cbdump -Fd -j 2 -d conninfo")
        assertNoPasswordInFiles(directory, "cbdump -Fd -d conninfo archive")
        let custom = path("conninfo.dump")
        r = try run("cbdump", ["-v", "-Fc", "-C", "-f", custom, "-d", conninfo], env: noPassword)
        assertSucceeded(r, "cbdump -Fc -C -d conninfo")
        assertNoPasswordInFiles(custom, "cbdump -Fc -C -d conninfo archive")
        r = try run("cbdump", ["-v", "-C", "-d", conninfo], env: noPassword)
        assertSucceeded(r, "cbdump plain -C -d conninfo")

        // cbrestore -C: connects to postgres, creates the database, reconnects to it.
        try c.psql("ALTER DATABASE \(Self.db) RENAME TO \(Self.db)_orig")
        defer { _ = try? c.psql("DROP DATABASE IF EXISTS \(Self.db); ALTER DATABASE \(Self.db)_orig RENAME TO \(Self.db)") }
        let restoreInfo = "host='\(c.socketDir)' port=\(c.port) user=\(Self.role) password=\(Self.password) dbname=postgres"
        r = try run("cbrestore", ["-v", "-C", "-d", restoreInfo, custom], env: noPassword)
        assertSucceeded(r, "cbrestore -C -d conninfo")
        XCTAssertEqual(try c.psql("SELECT count(*) FROM t", db: Self.db), "100")
    }

    /// Failures print libpq's or the server's reason, never the password: a database that
    /// is not there, a wrong password, a wrong password in a conninfo string.
    func testFailuresDoNotPrintThePassword() throws {
        let (c, _) = try setUpCluster()
        let user = try roleArgs()
        for (source, env) in passwordSources {
            let out = path("missing.dump")
            var r = try run("cbdump", ["-v", "-Fc", "-f", out, "-d", "no_such_db"] + user, env: env)
            XCTAssertEqual(r.status, 1, "\(source): \(r.stderrString)")
            XCTAssertTrue(r.stderrString.contains("database \"no_such_db\" does not exist"), "\(source): \(r.stderrString)")
            assertNoPassword(r, "\(source): cbdump, missing database")
            r = try run("cbrestore", ["-v", "-d", "no_such_db"] + user + [Self.archive], env: env)
            XCTAssertEqual(r.status, 1, "\(source): \(r.stderrString)")
            XCTAssertTrue(r.stderrString.contains("database \"no_such_db\" does not exist"), "\(source): \(r.stderrString)")
            assertNoPassword(r, "\(source): cbrestore, missing archive")
            r = try run("cbdumpall", ["-v", "-l", "no_such_db"] + user, env: env)
            XCTAssertEqual(r.status, 1, "\(source): \(r.stderrString)")
            XCTAssertTrue(r.stderrString.contains("database \"no_such_db\" does not exist"), "\(source): \(r.stderrString)")
            assertNoPassword(r, "\(source): cbdumpall, missing database")
        }
        // A wrong password, from the environment and from a conninfo string.
        let wrong = noPassword.merging(["PGPASSWORD": Self.wrongPassword]) { $1 }
        for tool in ["cbdump", "cbdumpall"] {
            let r = try run(tool, ["-v", "-d", tool == "cbdump" ? Self.db : "dbname=\(Self.db)"] + user, env: wrong)
            XCTAssertEqual(r.status, 1, "\(tool): \(r.stderrString)")
            XCTAssertTrue(r.stderrString.contains("password authentication failed for user \"\(Self.role)\""), "\(tool): \(r.stderrString)")
            assertNoPassword(r, "\(tool), wrong PGPASSWORD")
        }
        let conninfo = "host='\(c.socketDir)' port=\(c.port) user=\(Self.role) password=\(Self.wrongPassword) dbname=\(Self.db)"
        for (tool, args) in [("cbdump", ["-v", "-d", conninfo]), ("cbdumpall", ["-v", "-d", conninfo]),
                             ("cbrestore", ["-v", "-d", conninfo, Self.archive])] {
            let r = try run(tool, args, env: noPassword)
            XCTAssertEqual(r.status, 1, "\(tool): \(r.stderrString)")
            XCTAssertTrue(r.stderrString.contains("password authentication failed for user \"\(Self.role)\""), "\(tool): \(r.stderrString)")
            assertNoPassword(r, "\(tool), wrong password in conninfo")
        }
        // -w and no password anywhere: libpq's reason.
        let r = try run("cbdump", ["-w", "-d", Self.db] + user, env: noPassword)
        XCTAssertEqual(r.status, 1, r.stderrString)
        XCTAssertTrue(r.stderrString.contains("no password supplied"), r.stderrString)
    }

    /// -W, and a password the server wants that libpq cannot find: asked for once (no
    /// terminal here, so on standard error and read from standard input), also by
    /// cbdump -j 2, whose workers log in with it, and by cbdumpall, whose cbdump runs get it
    /// in their environment; -w never asks. pg_dump asks once too.
    func testPasswordPrompt() throws {
        let (_, bin) = try setUpCluster()
        let user = try roleArgs()
        let typed = Data((Self.password + "\n").utf8)
        func detached(_ tool: String, _ args: [String]) throws -> ProcessResult {
            // setsid: no controlling terminal, so the prompt reads standard input.
            try ProcessRunner.run("/usr/bin/setsid", ["-w", tool] + args, environment: noPassword, stdin: typed)
        }
        func prompts(_ r: ProcessResult) -> Int { r.stderrString.components(separatedBy: "Password: ").count - 1 }

        let ref = try detached(bin.path("pg_dump"), ["-W", "-Fd", "-j", "2", "-f", path("pg-prompt.dir"), "-d", Self.db] + user)
        XCTAssertEqual(ref.status, 0, ref.stderrString)
        XCTAssertEqual(prompts(ref), 1, ref.stderrString)
        for (label, flags) in [("-W", ["-W"]), ("asked when needed", [])] {
            let dir = path("prompt.dir")
            var r = try detached(ProcessRunner.product("cbdump"), flags + ["-Fd", "-j", "2", "-f", dir, "-d", Self.db] + user)
            assertSucceeded(r, "cbdump \(label) -Fd -j 2")
            XCTAssertEqual(prompts(r), 1, "cbdump \(label): \(r.stderrString)")
            assertNoPasswordInFiles(dir, "cbdump \(label)")
            try restoreAndCheck(dir, env: passwordSources[0].1, "cbdump \(label)")

            r = try detached(ProcessRunner.product("cbdumpall"), flags + user)
            assertSucceeded(r, "cbdumpall \(label)")
            XCTAssertEqual(prompts(r), 1, "cbdumpall \(label): \(r.stderrString)")
            XCTAssertTrue(r.stdoutString.contains("COPY public.t "), "cbdumpall \(label): no data for \(Self.db)")
            let all = path("prompt-all.dir")
            r = try detached(ProcessRunner.product("cbdumpall"), flags + ["-F", "d", "-f", all] + user)
            assertSucceeded(r, "cbdumpall -F d \(label)")
            XCTAssertEqual(prompts(r), 1, "cbdumpall -F d \(label): \(r.stderrString)")
        }
        for tool in ["cbdump", "cbdumpall"] {
            let r = try detached(ProcessRunner.product(tool), ["-w", "-d", tool == "cbdump" ? Self.db : "dbname=postgres"] + user)
            XCTAssertEqual(r.status, 1, "\(tool) -w: \(r.stderrString)")
            XCTAssertEqual(prompts(r), 0, "\(tool) -w asked: \(r.stderrString)")
            XCTAssertTrue(r.stderrString.contains("no password supplied"), "\(tool) -w: \(r.stderrString)")
        }
    }

    // MARK: - cbdumpall

    /// cbdumpall writes the role's password as pg_dumpall does (the server's SCRAM verifier,
    /// never the password itself), and none with --no-role-passwords.
    func testDumpAllRolePasswords() throws {
        let (c, bin) = try setUpCluster()
        let user = try roleArgs()
        let verifier = try c.psql("SELECT rolpassword FROM pg_authid WHERE rolname = '\(Self.role)'")
        XCTAssertTrue(verifier.hasPrefix("SCRAM-SHA-256$"), verifier)
        for (source, env) in passwordSources {
            var r = try run("cbdumpall", ["-v"] + user, env: env)
            assertSucceeded(r, "\(source): cbdumpall -v")
            XCTAssertTrue(r.stdoutString.contains(" PASSWORD '\(verifier)'"),
                          "\(source): the role's password is not dumped as pg_dumpall does")
            XCTAssertTrue(r.stdoutString.contains("COPY public.t "), "\(source): no data for \(Self.db)")
            // The same line as pg_dumpall's.
            let ref = try ProcessRunner.run(bin.path("pg_dumpall"), ["-g"] + user, environment: env)
            XCTAssertEqual(ref.status, 0, ref.stderrString)
            let line = { (s: String) in s.split(separator: "\n").first { $0.hasPrefix("ALTER ROLE \(Self.role) ") }.map(String.init) }
            XCTAssertEqual(line(r.stdoutString), line(ref.stdoutString))

            r = try run("cbdumpall", ["-v", "-g", "--no-role-passwords"] + user, env: env)
            assertSucceeded(r, "\(source): cbdumpall -g --no-role-passwords")
            XCTAssertTrue(r.stdoutString.contains("ALTER ROLE \(Self.role) WITH "), "\(source): the role is missing")
            XCTAssertFalse(r.stdoutString.contains("SCRAM-SHA-256$"), "\(source): --no-role-passwords dumped a password")
            XCTAssertFalse(r.stdoutString.contains(" PASSWORD "), "\(source): --no-role-passwords dumped a password")

            // -F d: the globals script and one custom archive per database.
            let dir = path("all.dir")
            r = try run("cbdumpall", ["-v", "-F", "d", "-f", dir, "--no-role-passwords"] + user, env: env)
            assertSucceeded(r, "\(source): cbdumpall -F d")
            assertNoPasswordInFiles(dir, "\(source): cbdumpall -F d")
            let all = (FileManager.default.subpaths(atPath: dir) ?? []).compactMap { FileManager.default.contents(atPath: dir + "/" + $0) }
            XCTAssertFalse(all.contains { $0.range(of: Data("SCRAM-SHA-256$".utf8)) != nil }, "\(source): -F d --no-role-passwords dumped a password")
        }
        // With a password in the conninfo string: each database is connected to with it,
        // and it is written nowhere (not in the \connect lines either).
        let conninfo = "host='\(c.socketDir)' port=\(c.port) user=\(Self.role) password=\(Self.password)"
        let r = try run("cbdumpall", ["-v", "-d", conninfo], env: noPassword)
        assertSucceeded(r, "cbdumpall -d conninfo")
        XCTAssertTrue(r.stdoutString.contains("\\connect \(Self.db)"), r.stdoutString)
    }

    // MARK: - libpq options

    /// application_name from a conninfo string is the one the server sees, rather than
    /// cbdump's fallback name; its user is the conninfo's.
    func testApplicationNamePassesThrough() throws {
        let (c, bin) = try setUpCluster()
        // A lock that makes cbdump wait, so that its session can be looked at.
        let holder = try DumpFaultTests.Child(bin.path("psql"),
                                              ["-X", "-c", "BEGIN; LOCK TABLE u IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120)"] + c.libpqArgs(db: Self.db),
                                              environment: Self.env.merging(["PGAPPNAME": "secrets-holder"]) { $1 }, scratch: Self.workDir)
        defer {
            _ = try? c.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'secrets-holder'")
            _ = holder.wait()
        }
        try waitFor("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'secrets-holder' AND l.mode = 'AccessExclusiveLock' AND l.granted")
        let conninfo = "host='\(c.socketDir)' port=\(c.port) user=\(Self.role) dbname=\(Self.db) application_name=cbd-probe sslmode=disable"
        let out = path("app.dump")
        let dump = try DumpFaultTests.Child(ProcessRunner.product("cbdump"), ["-Fc", "-f", out, "-d", conninfo],
                                            environment: passwordSources[0].1, scratch: Self.workDir)
        var seen = ""
        do {
            try waitFor("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cbd-probe' AND wait_event_type = 'Lock'")
            seen = try c.psql("SELECT usename || '|' || datname FROM pg_stat_activity WHERE application_name = 'cbd-probe'")
            XCTAssertEqual(try c.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cbdump'"), "0")
        } catch {
            kill(dump.pid, SIGKILL)
            _ = dump.wait()
            throw error
        }
        try c.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'secrets-holder'")
        let r = dump.wait()
        assertSucceeded(r, "cbdump with application_name")
        XCTAssertEqual(seen, "\(Self.role)|\(Self.db)")
        assertNoPasswordInFiles(out, "cbdump with application_name")
    }

    /// sslmode=require against a server that answers "no SSL" to libpq's SSLRequest: cbdump,
    /// cbrestore and cbdumpall fail as pg_dump, pg_restore and pg_dumpall do, in libpq's
    /// words; sslmode=disable sends no SSLRequest at all.
    func testSSLModePassesThrough() throws {
        let (_, bin) = try setUpCluster()
        let server = try NoSSLServer()
        defer { server.stop() }
        let base = "host=127.0.0.1 port=\(server.port) user=\(Self.role) dbname=\(Self.db) password=\(Self.password) connect_timeout=10"
        let cases: [(ours: String, theirs: String, extra: [String])] = [
            ("cbdump", "pg_dump", ["-Fc", "-f", path("ssl-out.dump")]),
            ("cbdumpall", "pg_dumpall", []),
        ]
        for mode in ["require", "disable"] {
            let conninfo = base + " sslmode=\(mode)"
            for (ours, theirs, extra) in cases {
                let ref = try ProcessRunner.run(bin.path(theirs), extra + ["-d", conninfo], environment: noPassword)
                let r = try run(ours, extra + ["-d", conninfo], env: noPassword)
                XCTAssertEqual(r.status, 1, "\(ours) sslmode=\(mode): \(r.stderrString)")
                XCTAssertEqual(r.status, ref.status, "\(ours) sslmode=\(mode): \(r.stderrString) / \(theirs): \(ref.stderrString)")
                assertNoPassword(r, "\(ours) sslmode=\(mode)")
                let libpq = mode == "require" ? "server does not support SSL, but SSL was required" : "server closed the connection unexpectedly"
                XCTAssertTrue(ref.stderrString.contains(libpq), "\(theirs) sslmode=\(mode): \(ref.stderrString)")
                XCTAssertTrue(r.stderrString.contains(libpq), "\(ours) sslmode=\(mode): \(r.stderrString)")
            }
            let ref = try ProcessRunner.run(bin.path("pg_restore"), ["-d", conninfo, Self.archive], environment: noPassword)
            let r = try run("cbrestore", ["-d", conninfo, Self.archive], env: noPassword)
            XCTAssertEqual(r.status, 1, "cbrestore sslmode=\(mode): \(r.stderrString)")
            XCTAssertEqual(r.status, ref.status, "cbrestore sslmode=\(mode): \(r.stderrString) / pg_restore: \(ref.stderrString)")
            assertNoPassword(r, "cbrestore sslmode=\(mode)")
            let libpq = mode == "require" ? "server does not support SSL, but SSL was required" : "server closed the connection unexpectedly"
            XCTAssertTrue(ref.stderrString.contains(libpq), "pg_restore sslmode=\(mode): \(ref.stderrString)")
            XCTAssertTrue(r.stderrString.contains(libpq), "cbrestore sslmode=\(mode): \(r.stderrString)")
        }
        XCTAssertGreaterThan(server.sslRequests, 0, "libpq never asked for SSL")
    }

    /// Polls `sql` until it returns "t" or "1"; fails after a minute.
    func waitFor(_ sql: String) throws {
        let (c, _) = try setUpCluster()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let r = try c.psql(sql, db: "postgres")
            if r == "t" || r == "1" { return }
            usleep(20_000)
        }
        throw NSError(domain: "SecretsTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "timed out waiting for \(sql)"])
    }
}

/// A TCP listener on 127.0.0.1 that answers every SSLRequest or GSSENCRequest with 'N' (not
/// supported) and hangs up on anything else, as a server without SSL would before the
/// startup packet. Enough for libpq to show what its sslmode does.
final class NoSSLServer: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private let lock = NSLock()
    private var requests = 0
    var sslRequests: Int { lock.lock(); defer { lock.unlock() }; return requests }

    init() throws {
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard sock >= 0 else { throw NSError(domain: "NoSSLServer", code: Int(errno)) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(sock, sa, len) == 0 && listen(sock, 16) == 0 && getsockname(sock, sa, &len) == 0
            }
        }
        guard ok else { close(sock); throw NSError(domain: "NoSSLServer", code: Int(errno)) }
        fd = sock
        port = Int(UInt16(bigEndian: addr.sin_port))
        let t = Thread { [self] in serve() }
        t.start()
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            while true {
                var packet = [UInt8](repeating: 0, count: 8)
                var got = 0
                while got < 8 {
                    let n = packet.withUnsafeMutableBytes { read(client, $0.baseAddress! + got, 8 - got) }
                    if n <= 0 { break }
                    got += n
                }
                // Length 8, then 1234/5679 (SSLRequest) or 1234/5680 (GSSENCRequest).
                guard got == 8, packet[0...5] == [0, 0, 0, 8, 0x04, 0xd2], packet[6] == 0x16, packet[7] == 0x2f || packet[7] == 0x30
                else { break }
                if packet[7] == 0x2f { lock.lock(); requests += 1; lock.unlock() }
                var no = UInt8(ascii: "N")
                _ = write(client, &no, 1)
            }
            close(client)
        }
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
