import Foundation
import TestSupport
import XCTest

/// cbrestore -d against pg_restore -d: the same archive restored by each into its own fresh
/// database must give the same exit status and databases that pg_dump cannot tell apart
/// (schema, data, large objects, comments, privileges: the whole plain dump).
final class LiveRestoreTests: XCTestCase {
    nonisolated(unsafe) static var counter = 0

    func freshDatabases(_ fx: OracleFixture) throws -> (String, String) {
        Self.counter += 1
        let a = "live_pg_\(Self.counter)", b = "live_cb_\(Self.counter)"
        try fx.cluster.createDatabase(a)
        try fx.cluster.createDatabase(b)
        return (a, b)
    }

    func restore(_ fx: OracleFixture, _ bin: PGBinaries, into dbs: (String, String), _ opts: [String], _ archive: String)
        throws -> (ProcessResult, ProcessResult) {
        let theirs = try ProcessRunner.run(bin.path("pg_restore"), fx.cluster.connectionArgs(db: dbs.0) + opts + [archive])
        let ours = try ProcessRunner.run(ProcessRunner.product("cbrestore"), fx.cluster.connectionArgs(db: dbs.1) + opts + [archive])
        return (theirs, ours)
    }

    func assertSameDatabases(_ fx: OracleFixture, _ bin: PGBinaries, _ dbs: (String, String), _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        func dump(_ db: String) throws -> String {
            let r = try Oracle.pgDump(bin, cluster: fx.cluster, db: db, args: ["--restrict-key=K"])
            return r.stdoutString
        }
        let a = try dump(dbs.0), b = try dump(dbs.1)
        if a != b {
            XCTFail("\(label): databases differ\n" + CompareReport().firstDifference(b, a), file: file, line: line)
        }
    }

    func testRestoresMatchPgRestore() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        var compared = 0
        for archive in fx.archives where archive.producer == 15 && ["pg15-custom", "pg15-dir", "pg15-tar", "pg15-custom-inserts", "pg15-custom-column-inserts"].contains(archive.name) {
            // pg_restore succeeds on these; on the last two it reports errors (objects outside
            // the schema are missing; owner roles may not create in the database), and
            // cbrestore must fail the same way and leave the same database.
            let mustSucceed: [[String]] = [[], ["-1"], ["-O", "-x"], ["--no-comments", "--no-publications", "--no-subscriptions"], ["-e"]]
            for opts in mustSucceed + [["-n", "app"], ["--use-set-session-authorization"]] {
                let dbs = try freshDatabases(fx)
                let (theirs, ours) = try restore(fx, bin, into: dbs, opts, archive.path)
                XCTAssertEqual(ours.status, theirs.status, "\(archive.name) \(opts): exit status; ours: \(ours.stderrString.prefix(600)) theirs: \(theirs.stderrString.prefix(600))")
                guard mustSucceed.contains(opts) else { try assertSameDatabases(fx, bin, dbs, "\(archive.name) \(opts)"); compared += 1; continue }
                XCTAssertEqual(theirs.status, 0, "pg_restore itself failed: \(theirs.stderrString.prefix(600))")
                let tables = try fx.cluster.psql("select count(*) from pg_class c join pg_namespace n on n.oid = relnamespace where relkind = 'r' and nspname not in ('pg_catalog', 'information_schema')", db: dbs.1)
                XCTAssertGreaterThan(Int(tables) ?? 0, 10, "\(archive.name) \(opts): nothing restored")
                try assertSameDatabases(fx, bin, dbs, "\(archive.name) \(opts)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 0)
        print("compared \(compared) live restores with pg_restore -d")
    }

    /// Restoring section by section, and cleaning a populated target, as pg_restore does.
    func testSectionsAndCleanOnPopulatedTarget() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15),
              let archive = fx.archives.first(where: { $0.name == "pg15-custom" }) else { throw XCTSkip("no pg15 archive") }
        let dbs = try freshDatabases(fx)
        for section in ["pre-data", "data", "post-data"] {
            let (theirs, ours) = try restore(fx, bin, into: dbs, ["--section=\(section)"], archive.path)
            XCTAssertEqual(ours.status, theirs.status, "\(section): \(ours.stderrString.prefix(600))")
        }
        try assertSameDatabases(fx, bin, dbs, "by sections")
        let (theirs, ours) = try restore(fx, bin, into: dbs, ["-c", "--if-exists"], archive.path)
        XCTAssertEqual(ours.status, theirs.status, "clean: \(ours.stderrString.prefix(600))")
        try assertSameDatabases(fx, bin, dbs, "-c --if-exists on a populated target")
    }

    /// -e stops at the first error; without it errors are counted and the exit status is 1.
    func testErrorPolicy() throws {
        let fx = try OracleFixture.shared()
        guard let archive = fx.archives.first(where: { $0.name == "pg15-custom" }) else { throw XCTSkip("no pg15 archive") }
        let db = "live_err_target"
        try fx.cluster.createDatabase(db)
        try fx.cluster.psql("create schema app; create table app.blocker(x int)", db: db)
        let args = fx.cluster.connectionArgs(db: db)
        let stop = try ProcessRunner.run(ProcessRunner.product("cbrestore"), args + ["-e", archive.path])
        XCTAssertEqual(stop.status, 1)
        XCTAssertTrue(stop.stderrString.contains("SQLSTATE 42P06") && stop.stderrString.contains("SCHEMA"), stop.stderrString)
        let goOn = try ProcessRunner.run(ProcessRunner.product("cbrestore"), args + [archive.path])
        XCTAssertEqual(goOn.status, 1)
        XCTAssertTrue(goOn.stderrString.contains("errors ignored on restore: "), goOn.stderrString)
    }

    /// Data-only restore with --disable-triggers into a schema-only copy: the fixture's
    /// circular and self-referencing foreign keys load only with triggers disabled.
    func testDataOnlyWithDisabledTriggers() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15),
              let archive = fx.archives.first(where: { $0.name == "pg15-custom" }) else { throw XCTSkip("no pg15 archive") }
        let dbs = try freshDatabases(fx)
        for db in [dbs.0, dbs.1] {
            _ = try ProcessRunner.run(bin.path("pg_restore"), fx.cluster.connectionArgs(db: db) + ["-s", archive.path])
        }
        let (theirs, ours) = try restore(fx, bin, into: dbs, ["-a", "--disable-triggers", "-S", "postgres"], archive.path)
        XCTAssertEqual(ours.status, theirs.status, "ours: \(ours.stderrString.prefix(600)) theirs: \(theirs.stderrString.prefix(600))")
        // The fixture's NOT VALID check constraint rejects its own violating rows on reload
        // (a CHECK is no trigger), so pg_restore reports errors; the rest must load.
        XCTAssertEqual(try fx.cluster.psql("select count(*) > 0 from data.big", db: dbs.1), "t", "no rows loaded")
        try assertSameDatabases(fx, bin, dbs, "-a --disable-triggers")
    }

    /// -C: connect to the -d database, create the archived one, reconnect and restore into it.
    func testCreateDatabase() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        let source = "cb_create_src"
        try fx.cluster.createDatabase(source)
        try fx.cluster.psql("create table t(a int primary key, b text); insert into t select g, 'row ' || g from generate_series(1, 100) g; comment on database cb_create_src is 'made by -C'", db: source)
        let archive = fx.workDir + "/create.dump"
        _ = try Oracle.pgDump(bin, cluster: fx.cluster, db: source, args: ["-Fc", "-f", archive])
        try fx.cluster.psql("drop database \(source)")
        let theirs = try ProcessRunner.run(bin.path("pg_restore"), fx.cluster.connectionArgs(db: "postgres") + ["-C", archive])
        XCTAssertEqual(theirs.status, 0, theirs.stderrString)
        try fx.cluster.psql("alter database \(source) rename to cb_create_theirs")
        let ours = try ProcessRunner.run(ProcessRunner.product("cbrestore"), fx.cluster.connectionArgs(db: "postgres") + ["-C", archive])
        XCTAssertEqual(ours.status, 0, ours.stderrString)
        try assertSameDatabases(fx, bin, ("cb_create_theirs", source), "-C")
        XCTAssertEqual(try fx.cluster.psql("select shobj_description(oid, 'pg_database') from pg_database where datname = '\(source)'"), "made by -C")
    }

    /// A table that already exists (with other columns) fails to be created; with
    /// --no-data-for-failed-tables its data is not loaded into the stranger's table.
    func testNoDataForFailedTables() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15),
              let archive = fx.archives.first(where: { $0.name == "pg15-custom" }) else { throw XCTSkip("no pg15 archive") }
        let dbs = try freshDatabases(fx)
        // Same columns as the archived table, so without the option its rows would load.
        let stranger = "create schema data; create table data.big (id int, hash text, pad text, num numeric, ts timestamptz, flag boolean, extra int default 7)"
        for db in [dbs.0, dbs.1] { try fx.cluster.psql(stranger, db: db) }
        let control = "live_nodata_control"
        try fx.cluster.createDatabase(control)
        try fx.cluster.psql(stranger, db: control)
        _ = try ProcessRunner.run(ProcessRunner.product("cbrestore"), fx.cluster.connectionArgs(db: control) + [archive.path])
        XCTAssertNotEqual(try fx.cluster.psql("select count(*) from data.big", db: control), "0", "control: rows should load without the option")
        let (theirs, ours) = try restore(fx, bin, into: dbs, ["--no-data-for-failed-tables"], archive.path)
        XCTAssertEqual(ours.status, theirs.status, "ours: \(ours.stderrString.prefix(600))")
        XCTAssertEqual(try fx.cluster.psql("select count(*) from data.big", db: dbs.1), "0", "data went into the pre-existing table")
        try assertSameDatabases(fx, bin, dbs, "--no-data-for-failed-tables")
    }

    /// An archive of pg_dump 18 (restored as pg_restore 18 would) into a PostgreSQL 15 server:
    /// pg_restore 18 sends SET transaction_timeout, which 15 rejects (one error, exit 1);
    /// cbrestore leaves out what the server does not know, and the databases are the same.
    func testNewerArchiveIntoOlderServerSkipsUnknownSettings() throws {
        let fx = try OracleFixture.shared()
        guard let bin18 = PGBinaries.major(18), let bin15 = PGBinaries.major(15),
              let archive = fx.archives.first(where: { $0.name == "pg18-custom" }) else { throw XCTSkip("pg_dump 18 not available") }
        let dbs = try freshDatabases(fx)
        // (The fixture's subscription uses a 16+ option: left out.)
        let (theirs, ours) = try restore(fx, bin18, into: dbs, ["--no-subscriptions"], archive.path)
        XCTAssertEqual(theirs.status, 1, theirs.stderrString)
        XCTAssertTrue(theirs.stderrString.contains("transaction_timeout") && theirs.stderrString.contains("errors ignored on restore: 1"),
                      theirs.stderrString)
        XCTAssertEqual(ours.status, 0, ours.stderrString)
        try assertSameDatabases(fx, bin15, dbs, "pg_dump 18 archive into a 15 server")
    }

    /// -v prints pg_restore's own messages (VerboseOracleTests compares them line for line)
    /// and a summary with rows loaded.
    func testVerboseOutcomes() throws {
        let fx = try OracleFixture.shared()
        guard let archive = fx.archives.first(where: { $0.name == "pg15-custom" }) else { throw XCTSkip("no pg15 archive") }
        let db = "live_verbose"
        try fx.cluster.createDatabase(db)
        let r = try ProcessRunner.run(ProcessRunner.product("cbrestore"), fx.cluster.connectionArgs(db: db) + ["-v", archive.path])
        XCTAssertEqual(r.status, 0, r.stderrString)
        XCTAssertTrue(r.stderrString.contains("cbrestore: processing data for table \"data.big\"\n"), r.stderrString)
        let rows = try fx.cluster.psql("select count(*) from data.big", db: db)
        XCTAssertTrue(r.stderrString.contains(" 0 failed, "), r.stderrString)
        XCTAssertTrue(r.stderrString.contains("rows and "), r.stderrString)
        XCTAssertGreaterThanOrEqual(Int(rows) ?? 0, 5000)
    }
}
