import Foundation
import TestSupport
import XCTest

/// How cbrestore -d finds its server, compared with pg_restore -d run the same way: libpq's
/// environment variables, a service file, a URI, a conninfo string that -C must keep when it
/// reconnects, and passwords from .pgpass, PGPASSWORD and the -W prompt (with -w refusing
/// to ask). A role of the shared PostgreSQL 15 fixture cluster gets password authentication.
final class LiveConnectionTests: XCTestCase {
    static let env = ["LC_ALL": "C"]
    static let role = "cbd_pw", password = "pw secret 'x'"
    nonisolated(unsafe) static var counter = 0

    struct Context {
        let fx: OracleFixture
        let bin: PGBinaries
        let archive: String
        let dir: String
    }

    /// A small archive (a table of 100 rows, a comment on its database) made by pg_dump 15,
    /// and the password role, once per process.
    nonisolated(unsafe) static var shared: Context?
    func context() throws -> Context {
        if let c = Self.shared { return c }
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        let dir = fx.workDir + "/connection"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try fx.cluster.createDatabase("conn_src")
        try fx.cluster.psql("""
            CREATE TABLE t(a int PRIMARY KEY, b text);
            INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 100) g;
            COMMENT ON DATABASE conn_src IS 'restored with -C';
            """, db: "conn_src")
        let archive = dir + "/conn.dump"
        _ = try Oracle.pgDump(bin, cluster: fx.cluster, db: "conn_src", args: ["-Fc", "-f", archive])
        try fx.cluster.psql("DROP DATABASE conn_src")
        // Password authentication for one role only; everyone else keeps trust.
        try fx.cluster.psql("CREATE ROLE \(Self.role) LOGIN SUPERUSER PASSWORD '\(Self.password.replacingOccurrences(of: "'", with: "''"))'")
        let hba = fx.cluster.dataDir + "/pg_hba.conf"
        let old = try String(contentsOfFile: hba, encoding: .utf8)
        try ("local all \(Self.role) scram-sha-256\n" + old).write(toFile: hba, atomically: false, encoding: .utf8)
        try fx.cluster.psql("SELECT pg_reload_conf()")
        let c = Context(fx: fx, bin: bin, archive: archive, dir: dir)
        Self.shared = c
        return c
    }

    func freshPair(_ c: Context) throws -> (String, String) {
        Self.counter += 1
        let dbs = ("conn_pg_\(Self.counter)", "conn_cb_\(Self.counter)")
        try c.fx.cluster.createDatabase(dbs.0)
        try c.fx.cluster.createDatabase(dbs.1)
        return dbs
    }

    /// Runs pg_restore and cbrestore with the same arguments (`{db}` replaced by each one's
    /// database) and environment; returns both results.
    func both(_ c: Context, _ dbs: (String, String), _ args: [String], env: [String: String] = [:], stdin: Data? = nil,
              detached: Bool = false) throws -> (theirs: ProcessResult, ours: ProcessResult) {
        func run(_ tool: String, _ db: String) throws -> ProcessResult {
            let a = args.map { $0.replacingOccurrences(of: "{db}", with: db) } + [c.archive]
            // setsid: no controlling terminal, so a password prompt reads standard input.
            if detached { return try ProcessRunner.run("/usr/bin/setsid", ["-w", tool] + a, environment: Self.env.merging(env) { $1 }, stdin: stdin) }
            return try ProcessRunner.run(tool, a, environment: Self.env.merging(env) { $1 }, stdin: stdin)
        }
        return (try run(c.bin.path("pg_restore"), dbs.0), try run(ProcessRunner.product("cbrestore"), dbs.1))
    }

    func rows(_ c: Context, _ db: String) throws -> String {
        try c.fx.cluster.psql("SELECT count(*) FROM t", db: db)
    }

    func assertBothRestored(_ c: Context, _ dbs: (String, String), _ r: (theirs: ProcessResult, ours: ProcessResult), _ label: String,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(r.theirs.status, 0, "\(label): pg_restore failed: \(r.theirs.stderrString)", file: file, line: line)
        XCTAssertEqual(r.ours.status, 0, "\(label): cbrestore failed: \(r.ours.stderrString)", file: file, line: line)
        XCTAssertEqual(try rows(c, dbs.0), "100", label, file: file, line: line)
        XCTAssertEqual(try rows(c, dbs.1), "100", label, file: file, line: line)
    }

    func testEnvironmentServiceFileAndURI() throws {
        let c = try context()
        let cl = c.fx.cluster
        // PGHOST/PGPORT/PGUSER/PGDATABASE and an empty -d (ignored by libpq).
        var dbs = try freshPair(c)
        var r = (try ProcessRunner.run(c.bin.path("pg_restore"), ["-d", "", c.archive], environment: Self.env.merging(cl.libpqEnvironment(db: dbs.0)) { $1 }),
             try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["-d", "", c.archive], environment: Self.env.merging(cl.libpqEnvironment(db: dbs.1)) { $1 }))
        try assertBothRestored(c, dbs, r, "libpq environment")

        // A service file.
        let services = c.dir + "/pg_service.conf"
        try "[cbtest]\nhost=\(cl.socketDir)\nport=\(cl.port)\nuser=postgres\n".write(toFile: services, atomically: true, encoding: .utf8)
        dbs = try freshPair(c)
        r = try both(c, dbs, ["-d", "service=cbtest dbname={db}"], env: ["PGSERVICEFILE": services])
        try assertBothRestored(c, dbs, r, "service file")

        // A URI.
        dbs = try freshPair(c)
        let socket = cl.socketDir.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cl.socketDir
        r = try both(c, dbs, ["-d", "postgresql:///{db}?host=\(socket)&port=\(cl.port)&user=postgres"])
        try assertBothRestored(c, dbs, r, "URI")
    }

    /// -C with a conninfo -d and no -h/-p/-U: the reconnection to the new database must keep
    /// the host, port and user of the conninfo.
    func testCreateKeepsConninfoOnReconnect() throws {
        let c = try context()
        let cl = c.fx.cluster
        let conninfo = "host='\(cl.socketDir)' port=\(cl.port) user=postgres dbname=postgres"
        let theirs = try ProcessRunner.run(c.bin.path("pg_restore"), ["-C", "-d", conninfo, c.archive], environment: Self.env)
        XCTAssertEqual(theirs.status, 0, theirs.stderrString)
        try cl.psql("ALTER DATABASE conn_src RENAME TO conn_src_pg")
        let ours = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["-C", "-d", conninfo, c.archive], environment: Self.env)
        XCTAssertEqual(ours.status, 0, ours.stderrString)
        XCTAssertEqual(try rows(c, "conn_src"), "100")
        XCTAssertEqual(try cl.psql("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'conn_src'"), "restored with -C")
        try cl.psql("DROP DATABASE conn_src; DROP DATABASE conn_src_pg")
    }

    func testPasswords() throws {
        let c = try context()
        let noPassFile = ["PGPASSFILE": c.dir + "/no-such-pgpass"]
        let user = ["-h", c.fx.cluster.socketDir, "-p", String(c.fx.cluster.port), "-U", Self.role, "-d", "{db}"]

        // -w and no password anywhere: both refuse, with libpq's reason.
        var dbs = try freshPair(c)
        var r = try both(c, dbs, user + ["-w"], env: noPassFile)
        XCTAssertEqual(r.theirs.status, 1, r.theirs.stderrString)
        XCTAssertEqual(r.ours.status, 1, r.ours.stderrString)
        XCTAssertTrue(r.theirs.stderrString.contains("no password supplied"), r.theirs.stderrString)
        XCTAssertTrue(r.ours.stderrString.contains("no password supplied"), r.ours.stderrString)

        // .pgpass (PGPASSFILE), with -w.
        let passFile = c.dir + "/pgpass"
        let escaped = Self.password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:")
        try "*:*:*:\(Self.role):\(escaped)\n".write(toFile: passFile, atomically: true, encoding: .utf8)
        chmod(passFile, 0o600)
        dbs = try freshPair(c)
        r = try both(c, dbs, user + ["-w"], env: ["PGPASSFILE": passFile])
        try assertBothRestored(c, dbs, r, ".pgpass")

        // PGPASSWORD.
        dbs = try freshPair(c)
        r = try both(c, dbs, user, env: noPassFile.merging(["PGPASSWORD": Self.password]) { $1 })
        try assertBothRestored(c, dbs, r, "PGPASSWORD")

        // -W: asked once (no terminal: read from standard input); -C reconnects with the
        // same password without asking again.
        dbs = try freshPair(c)
        r = try both(c, dbs, user + ["-W"], env: noPassFile, stdin: Data((Self.password + "\n").utf8), detached: true)
        try assertBothRestored(c, dbs, r, "-W")
        let create = ["-h", c.fx.cluster.socketDir, "-p", String(c.fx.cluster.port), "-U", Self.role, "-d", "postgres", "-C", "-W"]
        let theirs = try ProcessRunner.run("/usr/bin/setsid", ["-w", c.bin.path("pg_restore")] + create + [c.archive],
                                           environment: Self.env.merging(noPassFile) { $1 }, stdin: Data((Self.password + "\n").utf8))
        XCTAssertEqual(theirs.status, 0, theirs.stderrString)
        try c.fx.cluster.psql("ALTER DATABASE conn_src RENAME TO conn_src_pw")
        let ours = try ProcessRunner.run("/usr/bin/setsid", ["-w", ProcessRunner.product("cbrestore")] + create + [c.archive],
                                         environment: Self.env.merging(noPassFile) { $1 }, stdin: Data((Self.password + "\n").utf8))
        XCTAssertEqual(ours.status, 0, ours.stderrString)
        XCTAssertEqual(try rows(c, "conn_src"), "100")
        try c.fx.cluster.psql("DROP DATABASE conn_src; DROP DATABASE conn_src_pw")

        // A wrong password: both fail with the server's complaint.
        dbs = try freshPair(c)
        r = try both(c, dbs, user, env: noPassFile.merging(["PGPASSWORD": "wrong"]) { $1 })
        XCTAssertEqual(r.theirs.status, 1)
        XCTAssertEqual(r.ours.status, 1)
        XCTAssertTrue(r.ours.stderrString.contains("password authentication failed for user \"\(Self.role)\""), r.ours.stderrString)
    }
}
