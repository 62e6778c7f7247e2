import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// cbdumpall against pg_dumpall of the server's own major, on every major available:
/// - the globals scripts (-g, -r, -t and the options that change them) must be identical
///   once the `\restrict` key is normalised;
/// - `cbdumpall -F d` must list the databases pg_dumpall dumps, in its order, and its
///   globals script must be `cbdumpall -g`'s;
/// - that directory, restored into a fresh cluster (the globals with psql, each database with
///   cbrestore), must give a cluster whose pg_dumpall -g, and then whole pg_dumpall, are the
///   source's (tablespace folders differ: the paths are normalised).
final class DumpAllOracleTests: XCTestCase {
    /// One major's source cluster.
    final class Source {
        let major: Int, cluster: TestCluster, bin: PGBinaries, tablespaceDir: String, scratch: String
        init(major: Int, cluster: TestCluster, bin: PGBinaries, tablespaceDir: String, scratch: String) {
            self.major = major; self.cluster = cluster; self.bin = bin
            self.tablespaceDir = tablespaceDir; self.scratch = scratch
        }
    }
    nonisolated(unsafe) static var sources: [Int: Source] = [:]
    nonisolated(unsafe) static var folders: [String] = []

    /// Roles with hostile names (quotes, a newline, non-ASCII), attributes, passwords,
    /// comments and settings; membership chains; parameter privileges; several databases with
    /// settings, per-database role settings, ACLs and comments; a database that does not
    /// allow connections and an invalid one (both skipped by pg_dumpall).
    static let clusterSQL = """
        CREATE ROLE "weird ""quoted"" role" LOGIN PASSWORD 'secret' CONNECTION LIMIT 5 VALID UNTIL '2030-01-01 00:00:00+00';
        CREATE ROLE "line
        break" NOLOGIN;
        CREATE ROLE "ünïcødé_rôle" CREATEDB CREATEROLE;
        CREATE ROLE "back\\slash";
        CREATE ROLE admin_r SUPERUSER REPLICATION BYPASSRLS NOINHERIT;
        CREATE ROLE grp_a;
        CREATE ROLE grp_b;
        CREATE ROLE mem1 LOGIN;
        CREATE ROLE mem2 PASSWORD 'md5-or-scram' VALID UNTIL 'infinity';
        COMMENT ON ROLE grp_a IS 'group a''s comment';
        COMMENT ON ROLE "line
        break" IS 'multi
        line';
        ALTER ROLE mem1 SET search_path = 'a', "B c", public;
        ALTER ROLE mem1 SET work_mem = '8MB';
        ALTER ROLE "line
        break" SET statement_timeout = 1000;
        ALTER ROLE "ünïcødé_rôle" SET application_name = 'it''s ünïcødé';
        GRANT grp_b TO grp_a;
        GRANT SET ON PARAMETER work_mem TO grp_a;
        GRANT ALTER SYSTEM ON PARAMETER log_min_messages TO mem1 WITH GRANT OPTION;
        GRANT SET, ALTER SYSTEM ON PARAMETER "search_path" TO "ünïcødé_rôle";
        CREATE DATABASE db_one OWNER mem1;
        CREATE DATABASE "db ""two"" é";
        CREATE DATABASE db_tpl IS_TEMPLATE true CONNECTION LIMIT 7;
        CREATE DATABASE db_noconn ALLOW_CONNECTIONS false;
        CREATE DATABASE db_invalid;
        UPDATE pg_catalog.pg_database SET datconnlimit = -2 WHERE datname = 'db_invalid';
        ALTER ROLE mem2 IN DATABASE db_one SET work_mem = '1MB';
        ALTER ROLE "line
        break" IN DATABASE "db ""two"" é" SET search_path = x, "Y";
        ALTER DATABASE db_one SET timezone = 'Europe/Paris';
        ALTER DATABASE "db ""two"" é" SET default_transaction_isolation = 'serializable';
        GRANT ALL ON DATABASE db_one TO mem2;
        GRANT CONNECT, TEMPORARY ON DATABASE "db ""two"" é" TO "weird ""quoted"" role" WITH GRANT OPTION;
        REVOKE CONNECT ON DATABASE "db ""two"" é" FROM PUBLIC;
        COMMENT ON DATABASE db_one IS 'the first';
        """

    /// Memberships: before 16 only ADMIN OPTION and a grantor; from 16 also INHERIT and SET,
    /// and grantors that must hold ADMIN OPTION first (a chain: mem1 grants as admin of grp_a,
    /// then the unicode role, made admin by mem1, grants in turn).
    static func membershipSQL(_ major: Int) -> String {
        if major < 16 {
            return """
                GRANT grp_a TO mem1 WITH ADMIN OPTION;
                GRANT grp_a TO mem2 GRANTED BY mem1;
                GRANT grp_a TO "ünïcødé_rôle" WITH ADMIN OPTION GRANTED BY mem1;
                GRANT grp_b TO "line
                break" GRANTED BY "ünïcødé_rôle";
                """
        }
        return """
            GRANT grp_a TO mem1 WITH ADMIN OPTION;
            SET ROLE mem1;
            GRANT grp_a TO mem2 WITH INHERIT FALSE, SET FALSE;
            RESET ROLE;
            GRANT grp_a TO "ünïcødé_rôle" WITH ADMIN TRUE, INHERIT FALSE GRANTED BY mem1;
            GRANT grp_a TO "line
            break" WITH INHERIT TRUE GRANTED BY "ünïcødé_rôle";
            GRANT grp_b TO "back\\slash" WITH ADMIN OPTION, SET FALSE;
            GRANT grp_b TO mem2 GRANTED BY "back\\slash";
            """
    }

    /// A folder the server (the `postgres` OS user when we are root) can use.
    static func serverFolder(_ prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw XCTSkip("mkdtemp failed") }
        let path = String(cString: made)
        folders.append(path)
        if geteuid() == 0, let pw = getpwnam("postgres") {
            chown(path, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        return path
    }

    static func source(_ major: Int) throws -> Source {
        if let s = sources[major] { return s }
        guard let bin = PGBinaries.major(major) else {
            throw XCTSkip("PostgreSQL \(major) is not available: \(PGBinaries.unavailableReason(major) ?? "not found")")
        }
        let c = try TestCluster(major: major)
        let ts = try serverFolder("cbdumpall-ts")
        let scratch = try serverFolder("cbdumpall-out")
        let s = Source(major: major, cluster: c, bin: bin, tablespaceDir: ts, scratch: scratch)
        sources[major] = s
        try c.psql(clusterSQL)
        try c.psql(membershipSQL(major))
        try c.psql(#"""
            CREATE TABLESPACE "ts ""one""" OWNER grp_a LOCATION '\#(ts)' WITH (seq_page_cost = 2, random_page_cost = 3);
            GRANT CREATE ON TABLESPACE "ts ""one""" TO mem1 WITH GRANT OPTION;
            COMMENT ON TABLESPACE "ts ""one""" IS 'a tablespace';
            """#)
        try c.psql("""
            CREATE TABLE t (a int PRIMARY KEY, b text);
            INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 200) g;
            GRANT SELECT ON t TO "weird ""quoted"" role";
            CREATE SCHEMA s AUTHORIZATION grp_a;
            """, db: "db_one")
        try c.psql(#"""
            CREATE TABLE x (i int) TABLESPACE "ts ""one""";
            INSERT INTO x VALUES (1), (2);
            """#, db: "db \"two\" é")
        try c.psql("CREATE TABLE kept (k text); INSERT INTO kept VALUES ('in template1');", db: "template1")
        try c.psql("CREATE TABLE p (k text); INSERT INTO p VALUES ('in postgres');", db: "postgres")
        return s
    }

    override class func tearDown() {
        for s in sources.values { s.cluster.stop() }
        sources = [:]
        for f in folders { try? FileManager.default.removeItem(atPath: f) }
        folders = []
        super.tearDown()
    }

    static func cbdumpall(_ args: [String], cluster: TestCluster) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbdumpall"), args + cluster.connectionArgs(),
                              environment: ["LC_ALL": "C"])
    }

    static func normalized(_ s: String) -> String { Oracle.normalizeRestrictKey(s) }

    // MARK: - Globals scripts

    static let globalsOptionSets: [[String]] = [
        ["-g"], ["-r"], ["-t"],
        ["-g", "--no-role-passwords"],
        ["-g", "-c", "--if-exists"], ["-r", "-c"], ["-t", "-c"],
        ["-g", "--no-comments"], ["-g", "-x"], ["-t", "-x"],
        ["-g", "--no-tablespaces"], ["-g", "--no-security-labels"],
        ["-g", "--quote-all-identifiers"],
        ["-g", "-O"], ["-g", "-a"], ["-g", "-s"],
        ["-g", "-E", "LATIN1"],
        ["-r", "-l", "db_one"],
        ["-g", "--role", "admin_r"],
        ["--globals-only", "--clean", "--no-role-passwords", "--if-exists"],
    ]

    func checkGlobals(_ major: Int) throws {
        let s = try Self.source(major)
        for opts in Self.globalsOptionSets {
            let ref = try Oracle.pgDumpall(s.bin, cluster: s.cluster, args: opts)
            let ours = try Self.cbdumpall(opts, cluster: s.cluster)
            XCTAssertEqual(ours.status, 0, "PG\(major) \(opts): cbdumpall failed: \(ours.stderrString)")
            let a = Self.normalized(ref.stdoutString), b = Self.normalized(ours.stdoutString)
            XCTAssertTrue(ref.stdout.count > 200, "PG\(major) \(opts): pg_dumpall wrote almost nothing")
            if a != b {
                XCTFail("PG\(major) \(opts): differs from pg_dumpall's\n" + Oracle.firstDifference(ours: b, theirs: a))
            }
            // Byte for byte, not only as text (-E LATIN1 writes names in LATIN1).
            XCTAssertEqual(Array(b.utf8).count, Array(a.utf8).count, "PG\(major) \(opts)")
        }
        // The memberships really are there, with their grantors.
        let g = try Self.cbdumpall(["-r"], cluster: s.cluster).stdoutString
        XCTAssertTrue(g.contains("GRANTED BY \"ünïcødé_rôle\""), "PG\(major): the grant chain is missing:\n\(g)")
        XCTAssertTrue(g.contains("-- User Config \"line break\""), "PG\(major): role names in comments are sanitised")
    }

    func testGlobalsPostgreSQL15() throws { try checkGlobals(15) }
    func testGlobalsPostgreSQL16() throws { try checkGlobals(16) }
    func testGlobalsPostgreSQL17() throws { try checkGlobals(17) }
    func testGlobalsPostgreSQL18() throws { try checkGlobals(18) }

    // MARK: - The whole cluster as one script

    /// pg_dumpall's own header line for each database's part names its pg_dump; the rest
    /// must be identical.
    static func normalizedScript(_ s: String) -> String {
        normalized(s).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("-- Dumped by pg_dump version ") ? "-- Dumped by pg_dump version X" : String($0) }
            .joined(separator: "\n")
    }

    static func scriptOptionSets(_ major: Int) -> [[String]] {
        var sets: [[String]] = [
            [], ["-c"], ["-c", "--if-exists"], ["-O", "-x"], ["-s"], ["-a"], ["--no-comments", "--no-role-passwords"],
            ["--inserts", "--rows-per-insert", "7"], ["--column-inserts", "--on-conflict-do-nothing"],
            ["--exclude-database", "db_*"], ["--quote-all-identifiers"], ["-a", "--disable-triggers", "-S", "postgres"],
            ["--no-tablespaces", "--use-set-session-authorization"], ["--extra-float-digits", "2", "--load-via-partition-root"],
        ]
        if major >= 18 {
            sets += [["--no-data"], ["--no-schema"], ["--no-policies", "--sequence-data"],
                     ["--statistics"], ["--statistics-only"], ["--no-statistics", "-s"]]
        }
        // 16 and 17 (between the oldest and the newest): the options that change the most.
        if major == 16 || major == 17 { sets = Array(sets.prefix(5)) + [["--inserts", "--rows-per-insert", "7"]] }
        return sets
    }

    /// Without -g/-r/-t: the globals, then each database as pg_dump -Fp prints it, identical
    /// to pg_dumpall's whole script for every option set; with -f the file is the same.
    func checkScript(_ major: Int) throws {
        let s = try Self.source(major)
        var sets = Self.scriptOptionSets(major)
        if major >= 17 {
            // pg_dumpall 17's --filter: "exclude database" lines, with --exclude-database.
            let filter = s.scratch + "/databases.filter"
            try "# databases left out\nexclude database db_o*\n".write(toFile: filter, atomically: true, encoding: .utf8)
            sets += [["--filter", filter], ["--exclude-database", "db_t*", "--filter=" + filter]]
            for (name, text) in [("include", "include database db_one\n"), ("table", "exclude table t\n")] {
                let bad = s.scratch + "/\(name).filter"
                try text.write(toFile: bad, atomically: true, encoding: .utf8)
                let ref = try ProcessRunner.run(s.bin.path("pg_dumpall"), ["--filter", bad] + s.cluster.connectionArgs(), environment: ["LC_ALL": "C"])
                let ours = try Self.cbdumpall(["--filter", bad], cluster: s.cluster)
                XCTAssertEqual(ours.status, 1, ours.stderrString)
                XCTAssertEqual(ours.stderrString.replacingOccurrences(of: "cbdumpall:", with: "pg_dumpall:"), ref.stderrString, "PG\(major) bad filter \(name)")
            }
        }
        for opts in sets {
            let args = opts + ["--restrict-key", "FIXED"]
            let ref = try Oracle.pgDumpall(s.bin, cluster: s.cluster, args: args)
            let ours = try Self.cbdumpall(args, cluster: s.cluster)
            XCTAssertEqual(ours.status, 0, "PG\(major) \(opts): cbdumpall failed: \(ours.stderrString)")
            let a = Self.normalizedScript(ref.stdoutString), b = Self.normalizedScript(ours.stdoutString)
            XCTAssertTrue(a.contains("-- Database \"template1\" dump"), "PG\(major) \(opts): pg_dumpall dumped no database")
            if a != b {
                XCTFail("PG\(major) \(opts): differs from pg_dumpall's\n" + Oracle.firstDifference(ours: b, theirs: a))
            }
        }
        let file = s.scratch + "/whole.sql"
        let r = try Self.cbdumpall(["-f", file, "--restrict-key", "FIXED"], cluster: s.cluster)
        XCTAssertEqual(r.status, 0, r.stderrString)
        XCTAssertTrue(r.stdout.isEmpty)
        let ref = try Oracle.pgDumpall(s.bin, cluster: s.cluster, args: ["--restrict-key", "FIXED"])
        XCTAssertEqual(Self.normalizedScript(try String(contentsOfFile: file, encoding: .utf8)), Self.normalizedScript(ref.stdoutString),
                       "PG\(major): -f FILE differs from standard output")
    }

    func testScriptPostgreSQL15() throws { try checkScript(15) }
    func testScriptPostgreSQL16() throws { try checkScript(16) }
    func testScriptPostgreSQL17() throws { try checkScript(17) }
    func testScriptPostgreSQL18() throws { try checkScript(18) }

    /// The whole script, run with psql into a fresh cluster, gives a cluster whose pg_dumpall
    /// is the source's (the one error is the connected superuser's CREATE ROLE, as with
    /// pg_dumpall's own scripts).
    func testScriptRoundTrip() throws {
        let major = [18, 17, 16, 15].first { PGBinaries.major($0) != nil } ?? 15
        let s = try Self.source(major)
        let dump = try Self.cbdumpall([], cluster: s.cluster)
        XCTAssertEqual(dump.status, 0, dump.stderrString)
        let target = try TestCluster(major: major)
        defer { target.stop() }
        let ts2 = try Self.serverFolder("cbdumpall-ts4")
        let script = dump.stdoutString.replacingOccurrences(of: "LOCATION '\(s.tablespaceDir)'", with: "LOCATION '\(ts2)'")
        XCTAssertNotEqual(script, dump.stdoutString, "PG\(major): the tablespace location was not found")
        let file = s.scratch + "/whole-retargeted.sql"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let apply = try ProcessRunner.run(target.binaries.path("psql"), ["-X", "-q", "-f", file] + target.libpqArgs(db: "postgres"),
                                          environment: ["LC_ALL": "C"])
        XCTAssertEqual(apply.status, 0)
        let errors = apply.stderrString.split(separator: "\n").filter { $0.contains("ERROR") }
        XCTAssertEqual(errors.count, 1, "PG\(major): \(apply.stderrString)")
        func pgDumpall(_ c: TestCluster, tablespace: String) throws -> String {
            let out = try Oracle.pgDumpall(s.bin, cluster: c, args: []).stdoutString
            return Self.normalized(out).replacingOccurrences(of: "LOCATION '\(tablespace)'", with: "LOCATION 'TS'")
        }
        let src = try pgDumpall(s.cluster, tablespace: s.tablespaceDir)
        let dst = try pgDumpall(target, tablespace: ts2)
        XCTAssertTrue(src.contains("in template1") && src.contains("row 200"))
        if src != dst {
            XCTFail("PG\(major): the cluster restored with psql differs\n" + Oracle.firstDifference(ours: dst, theirs: src))
        }
    }

    // MARK: - Directory dump and the round trip

    /// The databases pg_dumpall's whole-cluster script dumps, in order, from its
    /// `-- Database "NAME" dump` headers (names sanitised as it writes them).
    static func databasesInScript(_ script: String) -> [String] {
        script.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("-- Database \""), line.hasSuffix("\" dump") else { return nil }
            return String(line.dropFirst(13).dropLast(6))
        }
    }

    static func index(_ dir: String) throws -> [(file: String, mode: String, name: String)] {
        let text = try String(contentsOfFile: dir + "/index", encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.first == "database", f.count == 4 else { return nil }
            return (f[1], f[2], f[3])
        }
    }

    func checkDirectory(_ major: Int) throws {
        let s = try Self.source(major)
        // The databases: those of pg_dumpall's script, in its order, also with exclusions.
        for excl in [[], ["--exclude-database", "db_o*", "--exclude-database", "\"db \"\"two\"\" é\""]] {
            let ref = try Oracle.pgDumpall(s.bin, cluster: s.cluster, args: excl)
            let dir = s.scratch + "/sel\(excl.count)"
            let ours = try Self.cbdumpall(["-F", "d", "-f", dir] + excl, cluster: s.cluster)
            XCTAssertEqual(ours.status, 0, "PG\(major): cbdumpall -F d failed: \(ours.stderrString)")
            let want = Self.databasesInScript(ref.stdoutString)
            XCTAssertTrue(want.count >= (excl.isEmpty ? 5 : 3), "PG\(major): \(want)")
            XCTAssertEqual(try Self.index(dir).map(\.name), want, "PG\(major) \(excl): databases")
            XCTAssertFalse(want.contains("db_invalid") || want.contains("db_noconn") || want.contains("template0"))
        }

        let dir = s.scratch + "/all"
        let dump = try Self.cbdumpall(["-F", "d", "-f", dir, "--restrict-key", "FIXED"], cluster: s.cluster)
        XCTAssertEqual(dump.status, 0, "PG\(major): cbdumpall -F d failed: \(dump.stderrString)")
        let index = try Self.index(dir)
        XCTAssertEqual(index.first?.name, "template1")
        XCTAssertEqual(index.first { $0.name == "postgres" }?.mode, "existing")
        XCTAssertEqual(index.first { $0.name == "db_one" }?.mode, "create")
        // globals.sql is the -g script.
        let g = try Self.cbdumpall(["-g", "--restrict-key", "FIXED"], cluster: s.cluster)
        XCTAssertEqual(try String(contentsOfFile: dir + "/globals.sql", encoding: .utf8), g.stdoutString,
                       "PG\(major): globals.sql is not cbdumpall -g's script")

        // A fresh cluster, with its own folder for the tablespace.
        let target = try TestCluster(major: major)
        defer { target.stop() }
        let ts2 = try Self.serverFolder("cbdumpall-ts2")
        let globals = g.stdoutString.replacingOccurrences(of: "LOCATION '\(s.tablespaceDir)'", with: "LOCATION '\(ts2)'")
        XCTAssertNotEqual(globals, g.stdoutString, "PG\(major): the tablespace location was not found")
        let globalsFile = s.scratch + "/globals-retargeted.sql"
        try globals.write(toFile: globalsFile, atomically: true, encoding: .utf8)
        // As with pg_dumpall's scripts, CREATE ROLE of the connected superuser fails.
        let apply = try ProcessRunner.run(target.binaries.path("psql"), ["-X", "-q", "-f", globalsFile] + target.libpqArgs(db: "postgres"),
                                          environment: ["LC_ALL": "C"])
        XCTAssertEqual(apply.status, 0)
        let errors = apply.stderrString.split(separator: "\n").filter { $0.contains("ERROR") }
        XCTAssertEqual(errors.count, 1, "PG\(major): \(apply.stderrString)")
        XCTAssertTrue(errors.first?.contains("role \"postgres\" already exists") ?? false, "PG\(major): \(errors)")

        func pgDumpall(_ c: TestCluster, _ args: [String], tablespace: String) throws -> String {
            let out = try Oracle.pgDumpall(s.bin, cluster: c, args: args).stdoutString
            return Self.normalized(out).replacingOccurrences(of: "LOCATION '\(tablespace)'", with: "LOCATION 'TS'")
        }
        let srcGlobals = try pgDumpall(s.cluster, ["-g"], tablespace: s.tablespaceDir)
        let dstGlobals = try pgDumpall(target, ["-g"], tablespace: ts2)
        if srcGlobals != dstGlobals {
            XCTFail("PG\(major): the globals applied to a fresh cluster differ\n"
                    + Oracle.firstDifference(ours: dstGlobals, theirs: srcGlobals))
        }

        for d in index {
            var args = ["-e"]
            switch d.mode {
            case "create": args += ["-C"] + target.connectionArgs(db: "postgres")
            case "existing": args += target.connectionArgs(db: d.name)
            default: XCTFail("PG\(major): unexpected mode \(d.mode)"); continue
            }
            let r = try ProcessRunner.run(ProcessRunner.product("cbrestore"), args + [dir + "/" + d.file],
                                          environment: ["LC_ALL": "C"])
            XCTAssertEqual(r.status, 0, "PG\(major): cbrestore of \(d.name) failed: \(r.stderrString)")
        }
        let src = try pgDumpall(s.cluster, [], tablespace: s.tablespaceDir)
        let dst = try pgDumpall(target, [], tablespace: ts2)
        XCTAssertTrue(src.contains("ALTER ROLE mem2 IN DATABASE db_one SET work_mem TO '1MB';"))
        XCTAssertTrue(src.contains("in template1") && src.contains("row 200"))
        if src != dst {
            XCTFail("PG\(major): the restored cluster differs\n" + Oracle.firstDifference(ours: dst, theirs: src))
        }
    }

    func testDirectoryPostgreSQL15() throws { try checkDirectory(15) }
    func testDirectoryPostgreSQL16() throws { try checkDirectory(16) }
    func testDirectoryPostgreSQL17() throws { try checkDirectory(17) }
    func testDirectoryPostgreSQL18() throws { try checkDirectory(18) }

    // MARK: - -c: restoring over an existing cluster

    /// With -c the globals script starts with pg_dumpall -c's DROP DATABASE, DROP TABLESPACE
    /// and DROP ROLE commands, and template1 and postgres are marked to be dropped and created
    /// again: restored twice into the same cluster, the directory gives the source both times.
    /// (Not the template database: pg_dumpall -c's DROP DATABASE cannot drop it.)
    func testCleanDirectoryRestoresTwice() throws {
        let major = [18, 17, 16, 15].first { PGBinaries.major($0) != nil } ?? 15
        let s = try Self.source(major)
        let dir = s.scratch + "/clean"
        let excl = ["--exclude-database", "db_tpl"]
        let dump = try Self.cbdumpall(["-c", "--if-exists", "-F", "d", "-f", dir] + excl, cluster: s.cluster)
        XCTAssertEqual(dump.status, 0, dump.stderrString)
        let index = try Self.index(dir)
        XCTAssertEqual(index.filter { $0.mode == "clean-create" }.map(\.name), ["template1", "postgres"])
        let globals = try String(contentsOfFile: dir + "/globals.sql", encoding: .utf8)
        // The drops are pg_dumpall -c's, in its order.
        let ref = Self.normalized(try Oracle.pgDumpall(s.bin, cluster: s.cluster, args: ["-c", "--if-exists"] + excl).stdoutString)
        let refDrops = ref.components(separatedBy: "--\n-- Roles\n")[0]
        XCTAssertTrue(refDrops.contains("DROP DATABASE IF EXISTS db_one;"))
        XCTAssertTrue(Self.normalized(globals).hasPrefix(refDrops), "PG\(major): the drops differ from pg_dumpall -c's\n"
                      + Oracle.firstDifference(ours: Self.normalized(globals), theirs: refDrops))

        let target = try TestCluster(major: major)
        defer { target.stop() }
        let ts2 = try Self.serverFolder("cbdumpall-ts3")
        let retargeted = globals.replacingOccurrences(of: "LOCATION '\(s.tablespaceDir)'", with: "LOCATION '\(ts2)'")
        let globalsFile = s.scratch + "/clean-globals.sql"
        try retargeted.write(toFile: globalsFile, atomically: true, encoding: .utf8)
        func pgDumpall(_ c: TestCluster, tablespace: String) throws -> String {
            let out = try Oracle.pgDumpall(s.bin, cluster: c, args: excl).stdoutString
            return Self.normalized(out).replacingOccurrences(of: "LOCATION '\(tablespace)'", with: "LOCATION 'TS'")
        }
        let src = try pgDumpall(s.cluster, tablespace: s.tablespaceDir)
        for round in 1...2 {
            let apply = try ProcessRunner.run(target.binaries.path("psql"), ["-X", "-q", "-f", globalsFile] + target.libpqArgs(db: "postgres"),
                                              environment: ["LC_ALL": "C"])
            XCTAssertEqual(apply.status, 0)
            for d in index {
                var args = ["-e"]
                switch d.mode {
                case "create": args += ["-C"] + target.connectionArgs(db: "postgres")
                case "clean-create": args += ["-c", "-C"] + target.connectionArgs(db: d.name == "postgres" ? "template1" : "postgres")
                default: XCTFail("PG\(major): unexpected mode \(d.mode) with -c"); continue
                }
                let r = try ProcessRunner.run(ProcessRunner.product("cbrestore"), args + [dir + "/" + d.file],
                                              environment: ["LC_ALL": "C"])
                XCTAssertEqual(r.status, 0, "PG\(major) round \(round): cbrestore of \(d.name) failed: \(r.stderrString)")
            }
            let dst = try pgDumpall(target, tablespace: ts2)
            if src != dst {
                XCTFail("PG\(major) round \(round): the restored cluster differs\n" + Oracle.firstDifference(ours: dst, theirs: src))
            }
        }
    }

    // MARK: - A non-superuser

    /// Without --no-role-passwords a non-superuser cannot read pg_authid: both tools fail,
    /// and cbdumpall leaves no file. With it, both write the same script.
    func testNonSuperuser() throws {
        let major = [18, 17, 16, 15].first { PGBinaries.major($0) != nil } ?? 15
        let s = try Self.source(major)
        let asMem1 = ["-h", s.cluster.socketDir, "-p", String(s.cluster.port), "-U", "mem1", "-l", "postgres"]
        let out = s.scratch + "/nonsuper.sql"
        let ref = try ProcessRunner.run(s.bin.path("pg_dumpall"), ["-g"] + asMem1, environment: ["LC_ALL": "C"])
        let ours = try ProcessRunner.run(ProcessRunner.product("cbdumpall"), ["-g", "-f", out] + asMem1,
                                         environment: ["LC_ALL": "C"])
        XCTAssertEqual(ref.status, 1)
        XCTAssertEqual(ours.status, 1)
        // pg_dumpall's error line; then a detail pointing at --no-role-passwords.
        XCTAssertEqual(ours.stderrString.split(separator: "\n").first.map(String.init),
                       ref.stderrString.split(separator: "\n").first.map { $0.replacingOccurrences(of: "pg_dumpall:", with: "cbdumpall:") })
        XCTAssertTrue(ours.stderrString.contains("permission denied for table pg_authid"), ours.stderrString)
        XCTAssertTrue(ours.stderrString.contains("--no-role-passwords"), ours.stderrString)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.scratch).filter { $0.contains("nonsuper") }, [])

        let ref2 = try ProcessRunner.run(s.bin.path("pg_dumpall"), ["-g", "--no-role-passwords"] + asMem1,
                                         environment: ["LC_ALL": "C"])
        let ours2 = try ProcessRunner.run(ProcessRunner.product("cbdumpall"), ["-g", "--no-role-passwords"] + asMem1,
                                          environment: ["LC_ALL": "C"])
        XCTAssertEqual(ours2.status, ref2.status, ours2.stderrString)
        XCTAssertEqual(Self.normalized(ours2.stdoutString), Self.normalized(ref2.stdoutString))
        XCTAssertFalse(ours2.stdoutString.contains("PASSWORD"))
    }
}
