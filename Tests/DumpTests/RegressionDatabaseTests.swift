import Archive
import Foundation
import TestSupport
import XCTest

/// PostgreSQL's own regression database (Fixtures/regression: what PostgreSQL 15's regression
/// suite leaves behind, dumped by pg_dump 15; its README says how it was made), on servers
/// 14, 15, 16, 17 and 18. On each, the fixture is restored by that major's pg_restore, then
/// - the oracle pg_dump (the server's own; pg_dump 15 for 14, which is what cbdump claims
///   there) and cbdump dump it (-Fc); the oracle's pg_restore must print the same script for
///   both archives (with DumpOracleTests' exclusions: large objects on 17+), and the
///   archives must agree entry by entry (DumpOracleTests.checkEntries);
/// - `cbdump | cbrestore -d` copies it into a fresh database with 0 errors, and the oracle's
///   `pg_dump -s` and `pg_dump -a` of the copy equal those of the source.
///
/// The majors run two at a time (the work is mostly in the servers and the tools), all of
/// them at the first test's call; each test then reports its own major. A missing major is
/// a skip, except in CI (`CI` set), where it is a failure.
final class RegressionDatabaseTests: XCTestCase {
    static let majors = [14, 15, 16, 17, 18]

    /// Entries of the fixture left out, with every entry that depends on them, when it is
    /// restored into 14:
    /// - those using PostgreSQL 15 features a 14 server lacks (NUMERIC with a negative scale,
    ///   unlogged sequences, LOGGED/UNLOGGED identity sequences, publication row filters,
    ///   column lists and TABLES IN SCHEMA), which 14 refuses;
    /// - the identity sequences of unlogged tables (the last three). 14 takes them, as logged
    ///   sequences (it has no others), but then every pg_dump from 15 on (15.20 to 18.6, and
    ///   cbdump as pg_dump 15) writes them back with `LOGGED`, which 14 cannot parse: no
    ///   archive of a 14 server holding them restores into 14.
    static let notOn14: Set<String> = [
        "TABLE public.num_typemod_test",
        "SEQUENCE public.spgist_unlogged_tbl_id_seq",
        "SEQUENCE public.identity_dump_logged_a_seq",
        "SEQUENCE public.identity_dump_unlogged_a_seq",
        "PUBLICATION TABLE pubme.dump_pub_qual_1ct t0",
        "PUBLICATION TABLE pubme.dump_pub_qual_2ct t0",
        "PUBLICATION TABLE pubme.dump_pub_qual_2ct t1",
        "PUBLICATION TABLE pubme.dump_pub_all t1",
        "PUBLICATION TABLES IN SCHEMA pubme.dump_pub_all pubme",
        "PUBLICATION TABLES IN SCHEMA pubme.dump_pub_nsp_1ct pubme",
        "PUBLICATION TABLES IN SCHEMA pubme.dump_pub_nsp_2ct pubme",
        "PUBLICATION TABLES IN SCHEMA pubme2.dump_pub_all pubme2",
        "PUBLICATION TABLES IN SCHEMA pubme2.dump_pub_nsp_2ct pubme2",
        "SEQUENCE public.itest17_a_seq",
        "SEQUENCE public.itest17_c_seq",
        "SEQUENCE public.itest18_a_seq",
    ]

    /// The `\restrict` key of the plain dumps compared in the round trip.
    static let restrictKey = "RegressionKey"

    /// What one major's run found; the assertions are made on the test's thread.
    struct Outcome: Sendable {
        var major: Int
        /// Why the major's (or its oracle's) binaries are missing.
        var unavailable: String?
        /// The step that failed (other than the comparisons, which are reported below).
        var error: String?
        var ref = "", ours = ""
        var entries = 0
        var scriptDifference: String?
        var scriptBytes = 0
        var roundTripStatus: Int32 = -1
        var roundTripStderr = ""
        var copyDifferences: [String] = []
        var seconds = 0.0
        /// Seconds per step, for the log.
        var steps: [(String, Double)] = []
    }

    nonisolated(unsafe) static var outcomes: [Int: Outcome]?
    nonisolated(unsafe) static var workDir: String?

    override class func tearDown() {
        if let dir = workDir { try? FileManager.default.removeItem(atPath: dir) }
        workDir = nil
        outcomes = nil
        super.tearDown()
    }

    /// The runs of every major, made at the first call.
    static func outcome(_ major: Int) throws -> Outcome {
        if outcomes == nil {
            guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
            let fixture = root + "/Fixtures/regression/regression.pg15.dump"
            guard FileManager.default.fileExists(atPath: fixture) else {
                throw TestSupportError.other("\(fixture) is missing (Fixtures/regression/README.md)")
            }
            let dir = NSTemporaryDirectory() + "cbdump-regression-\(getpid())"
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            workDir = dir
            let start = Date()
            let list = concurrentMap(majors.count) { i in run(majors[i], fixture: fixture, dir: dir + "/\(majors[i])") }
            print("RegressionDatabaseTests: \(majors.count) majors in \(String(format: "%.0f", Date().timeIntervalSince(start))) s")
            outcomes = Dictionary(uniqueKeysWithValues: list.map { ($0.major, $0) })
        }
        return outcomes![major]!
    }

    /// The oracle for a server of `major`: its own pg_dump and pg_restore, 15's for 14.
    static func oracleMajor(_ major: Int) -> Int { max(major, 15) }

    static func run(_ major: Int, fixture: String, dir: String) -> Outcome {
        let start = Date()
        var o = Outcome(major: major)
        runSteps(&o, fixture: fixture, dir: dir)
        o.seconds = Date().timeIntervalSince(start)
        return o
    }

    static func runSteps(_ o: inout Outcome, fixture: String, dir: String) {
        let major = o.major
        var last = Date()
        func step(_ name: String) {
            o.steps.append((name, Date().timeIntervalSince(last)))
            last = Date()
        }
        guard let bin = PGBinaries.major(major) else {
            o.unavailable = "PostgreSQL \(major): \(PGBinaries.unavailableReason(major) ?? "not found")"
            return
        }
        guard let oracle = PGBinaries.major(oracleMajor(major)) else {
            o.unavailable = "PostgreSQL \(oracleMajor(major)) (the oracle for \(major)): "
                + (PGBinaries.unavailableReason(oracleMajor(major)) ?? "not found")
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let c = try TestCluster(binaries: bin)
            defer { c.stop() }
            let db = "regression", copy = "regression_copy"
            try c.createDatabase(db)
            step("start")
            try restoreFixture(fixture, into: c, db: db, dir: dir)
            step("restore fixture")

            // The oracle's archive and ours.
            o.ref = dir + "/ref.dump"
            o.ours = dir + "/ours.dump"
            _ = try Oracle.pgDump(oracle, cluster: c, db: db, args: ["-Fc", "-f", o.ref])
            step("pg_dump")
            _ = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fc", "-f", o.ours] + c.connectionArgs(db: db)).check()
            step("cbdump")

            // pg_restore's scripts of the two.
            let excluded = try DumpOracleTests.laterClosure(o.ref, major: major)
                .union(DumpOracleTests.laterClosure(o.ours, major: major))
            o.entries = DumpOracleTests.keyed(try ArchiveOpener.open(path: o.ref).entries)
                .filter { !excluded.contains($0.0) }.count
            let theirs = try DumpOracleTests.script(bin: oracle, o.ref, excluding: excluded)
            let mine = try DumpOracleTests.script(bin: oracle, o.ours, excluding: excluded)
            o.scriptBytes = theirs.utf8.count
            if mine != theirs { o.scriptDifference = Oracle.firstDifference(ours: mine, theirs: theirs) }
            step("scripts")

            // cbdump | cbrestore -d into a fresh database, then pg_dump -s and -a of both.
            try c.createDatabase(copy)
            let pipe = """
                set -o pipefail
                "$0" -Fc -h "$2" -p "$3" -U postgres -d "$4" | "$1" -h "$2" -p "$3" -U postgres -d "$5"
                """
            let rt = try ProcessRunner.run("/bin/bash", ["-c", pipe, ProcessRunner.product("cbdump"), ProcessRunner.product("cbrestore"),
                                                         c.socketDir, String(c.port), db, copy])
            o.roundTripStatus = rt.status
            o.roundTripStderr = rt.stderrString
            step("cbdump | cbrestore")
            for args in [["-s"], ["-a"]] {
                let a = try Oracle.pgDump(oracle, cluster: c, db: db, args: args + ["--restrict-key", restrictKey]).stdout
                let b = try Oracle.pgDump(oracle, cluster: c, db: copy, args: args + ["--restrict-key", restrictKey]).stdout
                if a.count < 100_000 { o.copyDifferences.append("pg_dump \(args[0]) of the source is only \(a.count) bytes") }
                if a != b {
                    o.copyDifferences.append("pg_dump \(args[0]): the copy differs from the source (\(b.count) vs \(a.count) bytes)\n"
                        + Oracle.firstDifference(ours: String(decoding: b, as: UTF8.self), theirs: String(decoding: a, as: UTF8.self)))
                }
            }
            step("pg_dump -s, -a")
        } catch {
            o.error = "\(error)"
        }
    }

    /// The fixture into `db` by the server's own pg_restore, stopping at the first error; on
    /// 14 without the entries of `notOn14` and what depends on them.
    static func restoreFixture(_ fixture: String, into c: TestCluster, db: String, dir: String) throws {
        var args = ["--exit-on-error"]
        if c.major < 15 {
            let entries = try ArchiveOpener.open(path: fixture).entries
            let keyed = DumpOracleTests.keyed(entries)
            var left = Set(keyed.filter { notOn14.contains($0.0) }.map(\.1.dumpId))
            let missing = notOn14.subtracting(keyed.map(\.0))
            guard missing.isEmpty else { throw TestSupportError.other("the fixture has no \(missing.sorted())") }
            var grew = true
            while grew {
                grew = false
                for te in entries where !left.contains(te.dumpId) && te.dependencies.contains(where: left.contains) {
                    left.insert(te.dumpId)
                    grew = true
                }
            }
            let list = dir + "/fixture.list"
            try entries.filter { !left.contains($0.dumpId) }.map { "\($0.dumpId); x\n" }.joined()
                .write(toFile: list, atomically: true, encoding: .utf8)
            args += ["-L", list]
        }
        _ = try Oracle.pgRestore(c.binaries, args: args + c.connectionArgs(db: db) + [fixture])
    }

    func check(_ major: Int) throws {
        _ = try PGBinaries.require(major, failInCI: true)
        _ = try PGBinaries.require(Self.oracleMajor(major), failInCI: true)
        let o = try Self.outcome(major)
        if let reason = o.unavailable {
            if PGBinaries.isCI { return XCTFail(reason) }
            throw XCTSkip(reason)
        }
        let oracle = Self.oracleMajor(major)
        print("PG\(major): \(String(format: "%.0f", o.seconds)) s ("
              + o.steps.map { "\($0.0) \(String(format: "%.1f", $0.1))" }.joined(separator: ", ") + ")")
        if let error = o.error { return XCTFail("PG\(major): \(error)") }

        print("PG\(major): compared the scripts of \(o.entries) entries (\(o.scriptBytes) bytes) with pg_dump \(oracle)'s")
        if let d = o.scriptDifference { XCTFail("PG\(major): pg_restore \(oracle)'s scripts differ\n" + d) }
        XCTAssertGreaterThan(o.entries, 2000, "PG\(major): too few entries")
        try DumpOracleTests.checkEntries(major: major, ref: o.ref, ours: o.ours, label: " regression (pg_dump \(oracle))",
                                         minimum: 2000)

        XCTAssertEqual(o.roundTripStatus, 0, "PG\(major): cbdump | cbrestore -d: \(o.roundTripStderr.prefix(4000))")
        for d in o.copyDifferences { XCTFail("PG\(major): \(d)") }
    }

    func testPostgreSQL14() throws { try check(14) }
    func testPostgreSQL15() throws { try check(15) }
    func testPostgreSQL16() throws { try check(16) }
    func testPostgreSQL17() throws { try check(17) }
    func testPostgreSQL18() throws { try check(18) }
}
