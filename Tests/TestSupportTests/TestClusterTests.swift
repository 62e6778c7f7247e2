import Foundation
import XCTest
@testable import TestSupport

final class TestClusterTests: XCTestCase {
    func testSystemMajor15StartsAnswersAndStops() throws {
        let bin = try requireMajor(15)
        let cluster = try TestCluster(major: 15)
        XCTAssertTrue(cluster.isRunning)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cluster.socketDir + "/.s.PGSQL.\(cluster.port)"))
        try checkVersion(cluster, bin: bin)

        // Several statements, CREATE DATABASE, awkward names, psqlFile, errors.
        try cluster.createDatabase("odd \"name\" é")
        XCTAssertEqual(try cluster.psql("create table t(a int, b text); insert into t values (1,'x'),(2,'y'); select * from t order by a",
                                        db: "odd \"name\" é"), "1|x\n2|y")
        let file = cluster.rootDir + "/q.sql"
        try "select current_database();\nselect 40 + 2;\n".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cluster.psqlFile(file, db: "odd \"name\" é"), "odd \"name\" é\n42")
        XCTAssertThrowsError(try cluster.psql("select * from no_such_table")) { error in
            XCTAssertTrue("\(error)".contains("no_such_table"), "\(error)")
        }
        XCTAssertEqual(try cluster.psql("show timezone"), "UTC")
        XCTAssertEqual(try cluster.psql("select pg_encoding_to_char(encoding) || ' ' || datcollate from pg_database where datname = 'postgres'"), "UTF8 C")

        let root = cluster.rootDir
        cluster.stop()
        XCTAssertFalse(cluster.isRunning)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root), "\(root) still exists after stop()")
        cluster.stop()  // idempotent
    }

    func testDeinitStopsAndRemoves() throws {
        _ = try requireMajor(15)
        var root = ""
        var pid = ""
        do {
            let cluster = try TestCluster()
            root = cluster.rootDir
            pid = try cluster.psql("select pg_backend_pid()")
            XCTAssertFalse(pid.isEmpty)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root), "\(root) still exists after deinit")
    }

    func testTwoClustersSideBySide() throws {
        _ = try requireMajor(15)
        let a = try TestCluster()
        let b = try TestCluster()
        defer { a.stop(); b.stop() }
        XCTAssertNotEqual(a.socketDir, b.socketDir)
        try a.psql("create database only_in_a")
        XCTAssertEqual(try a.psql("select count(*) from pg_database where datname = 'only_in_a'"), "1")
        XCTAssertEqual(try b.psql("select count(*) from pg_database where datname = 'only_in_a'"), "0")
    }

    func testConnectionStrings() throws {
        _ = try requireMajor(15)
        let cluster = try TestCluster()
        defer { cluster.stop() }
        XCTAssertEqual(cluster.connectionArgs(), ["-h", cluster.socketDir, "-p", String(cluster.port), "-U", "postgres"])
        XCTAssertEqual(cluster.libpqArgs(db: "x"), cluster.connectionArgs() + ["-d", "x"])
        let psql = cluster.binaries.path("psql")
        let viaConninfo = try ProcessRunner.run(psql, ["-X", "-At", "-c", "select current_user", cluster.conninfo(db: "template1")]).check()
        XCTAssertEqual(viaConninfo.stdoutString, "postgres\n")
        let viaEnv = try ProcessRunner.run(psql, ["-X", "-At", "-c", "select current_database()"],
                                           environment: cluster.libpqEnvironment(db: "template1")).check()
        XCTAssertEqual(viaEnv.stdoutString, "template1\n")
    }

    func testMissingMajorThrowsUnavailable() {
        XCTAssertNil(PGBinaries.major(9))
        XCTAssertThrowsError(try TestCluster(major: 9)) { error in
            guard case TestSupportError.majorUnavailable = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try requireMajor(9)) { error in
            XCTAssertTrue(error is XCTSkip, "\(error)")
        }
    }

    func testMajor14() throws { try startMajor(14) }
    func testMajor16() throws { try startMajor(16) }
    func testMajor17() throws { try startMajor(17) }
    func testMajor18() throws { try startMajor(18) }

    func testAvailableMajors() {
        let majors = PGBinaries.availableMajors
        XCTAssertEqual(majors, majors.sorted())
        for m in majors { XCTAssertEqual(PGBinaries.major(m)?.major, m) }
        print("available PostgreSQL majors: \(majors)")
    }

    // MARK: -

    private func startMajor(_ m: Int) throws {
        let bin = try requireMajor(m)
        let cluster = try TestCluster(major: m)
        let root = cluster.rootDir
        try checkVersion(cluster, bin: bin)
        try checkRestrictNormalization(cluster, bin: bin)
        cluster.stop()
        XCTAssertFalse(FileManager.default.fileExists(atPath: root))
    }

    private func checkVersion(_ cluster: TestCluster, bin: PGBinaries) throws {
        let version = try cluster.psql("select version()")
        XCTAssertTrue(version.hasPrefix("PostgreSQL \(cluster.major)."), version)
        let num = try XCTUnwrap(Int(try cluster.psql("show server_version_num")))
        XCTAssertEqual(num / 10000, cluster.major)
        XCTAssertEqual(bin.major, cluster.major)
        XCTAssertTrue(bin.version.hasPrefix("\(cluster.major)."), bin.version)
    }

    /// A real archive through pg_dump and pg_restore: the scripts of two restores differ
    /// only in their random `\restrict` keys, which normalisation removes.
    private func checkRestrictNormalization(_ cluster: TestCluster, bin: PGBinaries) throws {
        try cluster.createDatabase("src")
        try cluster.psql("""
            create table t(id int primary key, note text);
            insert into t values (1, 'one'), (2, E'two\\nlines');
            create view v as select note from t;
            """, db: "src")
        let archive = cluster.rootDir + "/src.dump"
        try Oracle.pgDump(bin, cluster: cluster, db: "src", args: ["-Fc", "-f", archive])

        let first = try Oracle.pgRestore(bin, args: ["-f", "-", archive]).stdoutString
        let second = try Oracle.pgRestore(bin, args: ["-f", "-"], stdinFile: archive).stdoutString
        XCTAssertTrue(first.contains("CREATE TABLE public.t"), first)

        let keys = restrictKeys(first)
        // \restrict appeared in 15.14, 16.10, 17.6 and 18.0.
        XCTAssertEqual(keys.count, 2, "expected one \\restrict and one \\unrestrict line:\n\(first)")
        let normalizedFirst = Oracle.normalizeRestrictKey(first)
        XCTAssertEqual(normalizedFirst, Oracle.normalizeRestrictKey(second))
        XCTAssertTrue(normalizedFirst.contains("\n\\restrict \(Oracle.restrictKeyPlaceholder)\n"), normalizedFirst)
        XCTAssertTrue(normalizedFirst.contains("\n\\unrestrict \(Oracle.restrictKeyPlaceholder)\n"), normalizedFirst)
        XCTAssertTrue(restrictKeys(normalizedFirst).allSatisfy { $0 == Oracle.restrictKeyPlaceholder })
        // Everything but the key lines is untouched.
        func withoutKeyLines(_ s: String) -> [Substring] {
            s.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("\\restrict ") && !$0.hasPrefix("\\unrestrict ") }
        }
        XCTAssertEqual(withoutKeyLines(first), withoutKeyLines(normalizedFirst))
        XCTAssertEqual(first.count - normalizedFirst.count,
                       keys.reduce(0) { $0 + $1.count } - 2 * Oracle.restrictKeyPlaceholder.count)

        // The restore into a database works too.
        try cluster.createDatabase("dst")
        try Oracle.pgRestore(bin, args: cluster.connectionArgs(db: "dst") + [archive])
        XCTAssertEqual(try cluster.psql("select string_agg(note, ',' order by note) from v", db: "dst"), "one,two\nlines")
    }

    private func restrictKeys(_ s: String) -> [String] {
        s.split(separator: "\n").compactMap { line -> String? in
            for prefix in ["\\restrict ", "\\unrestrict "] where line.hasPrefix(prefix) {
                return String(line.dropFirst(prefix.count))
            }
            return nil
        }
    }
}
