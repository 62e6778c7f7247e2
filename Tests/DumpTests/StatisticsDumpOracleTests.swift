import Archive
import Foundation
import TestSupport
import XCTest

/// pg_dump 18's statistics options in cbdump, against pg_dump 18.6 on the analyzed fixture
/// database: the STATISTICS DATA entries (and every other entry) the same, with the same dump
/// IDs, sections, dependencies and definitions; pg_restore 18 prints the same script; the
/// options' conflicts give pg_dump's messages; an older server refuses the options.
final class StatisticsDumpOracleTests: XCTestCase {
    /// The 18 fixture run, with every table that can be analyzed analyzed (some reach
    /// foreign tables that cannot, so not ANALYZE of the whole database).
    static func analyzedRun() throws -> DumpOracleTests.Run {
        let r = try DumpOracleTests.run(18)
        try r.cluster.psql("""
            DO $$DECLARE r record; BEGIN
              FOR r IN SELECT c.oid::regclass AS t FROM pg_class c WHERE c.relkind IN ('r', 'm')
                       AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
              LOOP BEGIN EXECUTE 'ANALYZE ' || r.t; EXCEPTION WHEN OTHERS THEN NULL; END; END LOOP; END$$
            """, db: "fx")
        return r
    }

    /// Every entry's dump ID, by key: pg_dump's numbering (statistics objects take IDs as
    /// their relations are read, their entries new ones as they are written).
    static func dumpIds(_ path: String) throws -> [String] {
        DumpOracleTests.keyed(try ArchiveOpener.open(path: path).entries).map { "\($0.1.dumpId) \($0.0)" }
    }

    func testStatisticsAsPgDump18() throws {
        let r = try Self.analyzedRun()
        let sets: [[String]] = [
            ["--statistics"], ["--statistics-only"], ["--statistics", "--section=post-data"],
            ["--statistics", "--no-schema"], ["--statistics", "--no-data"], ["--statistics-only", "-t", "con.events_2024"],
            ["--statistics", "-n", "vw"], ["--no-statistics"],
        ]
        var identical = 0
        for (i, opts) in sets.enumerated() {
            let ref = r.dir + "/stats-ref-\(i).dump", ours = r.dir + "/stats-ours-\(i).dump"
            let theirs = try Oracle.pgDump(r.bin, cluster: r.cluster, db: "fx", args: ["-Fc", "-f", ref] + opts)
            let mine = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-f", ours] + opts + r.cluster.connectionArgs(db: "fx"))
            XCTAssertEqual(mine.status, 0, "cbdump \(opts): \(mine.stderrString)")
            guard mine.status == 0 else { continue }
            XCTAssertEqual(mine.stderrString.replacingOccurrences(of: "cbdump: ", with: "pg_dump: "), theirs.stderrString,
                           "\(opts): warnings")
            let refEntries = try ArchiveOpener.open(path: ref).entries
            let stats = refEntries.filter { $0.desc == "STATISTICS DATA" }.count
            if opts.contains("--statistics") || opts.contains("--statistics-only") {
                XCTAssertGreaterThan(stats, opts.count > 1 ? 5 : 200, "\(opts): pg_dump wrote statistics")
            } else {
                XCTAssertEqual(stats, 0, "\(opts)")
            }
            let minimum = opts.contains("-t") ? 5 : opts.contains("-n") || opts.contains("--section=post-data") ? 50 : 200
            try DumpOracleTests.checkEntries(major: 18, ref: ref, ours: ours, label: " \(opts.joined(separator: " "))",
                                             minimum: minimum)
            let a = try Self.dumpIds(ref), b = try Self.dumpIds(ours)
            if a != b {
                let j = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                XCTFail("\(opts): dump IDs differ at entry \(j): pg_dump \(j < a.count ? a[j] : "<end>"), cbdump \(j < b.count ? b[j] : "<end>")")
            }
            let sa = try DumpOracleTests.script(r, ref, excluding: []), sb = try DumpOracleTests.script(r, ours, excluding: [])
            if sa == sb { identical += 1 } else {
                XCTFail("\(opts): pg_restore 18 scripts differ\n" + Oracle.firstDifference(ours: sb, theirs: sa))
            }
        }
        print("pg_dump 18 statistics: \(identical) of \(sets.count) option sets give identical scripts")
    }

    /// Plain scripts, which pg_dump renders through its own archiver.
    func testPlainStatisticsAsPgDump18() throws {
        let r = try Self.analyzedRun()
        for opts in [["--statistics"], ["--statistics-only"]] {
            let theirs = try Oracle.pgDump(r.bin, cluster: r.cluster, db: "fx", args: ["-Fp", "--restrict-key=K"] + opts)
            let mine = try ProcessRunner.run(ProcessRunner.product("cbdump"),
                                             ["-Fp", "--restrict-key=K"] + opts + r.cluster.connectionArgs(db: "fx"))
            XCTAssertEqual(mine.status, 0, "cbdump \(opts): \(mine.stderrString)")
            func clean(_ s: String) -> String {
                s.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("-- Dumped by pg_dump version") }.joined(separator: "\n")
            }
            let a = clean(theirs.stdoutString), b = clean(mine.stdoutString)
            XCTAssertTrue(a.contains("pg_restore_attribute_stats"), "\(opts)")
            if a != b { XCTFail("\(opts): plain scripts differ\n" + Oracle.firstDifference(ours: b, theirs: a)) }
        }
    }

    /// The options' conflicts, refused before connecting with pg_dump 18's words and status.
    func testOptionConflictsAsPgDump18() throws {
        guard let bin = PGBinaries.major(18) else { throw XCTSkip("PostgreSQL 18 is not available") }
        let cases: [[String]] = [
            ["-s", "--statistics-only"], ["-a", "--statistics-only"], ["--statistics-only", "--no-statistics"],
            ["--statistics", "--no-statistics"], ["-a", "--statistics"], ["-s", "--statistics"],
            ["-a", "--no-data", "--statistics-only"], ["--statistics-only", "--no-statistics", "--statistics"],
            ["-s", "-a", "--statistics-only"], ["-s", "--no-schema", "--statistics"],
            ["-s", "--include-foreign-data=x", "--statistics"],
        ]
        for args in cases {
            let common = args + ["-h", "/nonexistent-cbdump-socket-dir", "-f", NSTemporaryDirectory() + "cbdump-stats-conflict.out"]
            let theirs = try ProcessRunner.run(bin.path("pg_dump"), common)
            let ours = try ProcessRunner.run(ProcessRunner.product("cbdump"), common)
            XCTAssertEqual(ours.status, theirs.status, "\(args)")
            let first = { (s: String) in s.split(separator: "\n").first.map(String.init) ?? "" }
            XCTAssertEqual(first(ours.stderrString).replacingOccurrences(of: "cbdump:", with: "pg_dump:"),
                           first(theirs.stderrString), "\(args)")
        }
    }

    /// A server older than 18 is dumped as its own pg_dump would, which has no statistics:
    /// --statistics and --statistics-only are refused there (no crash, nothing half written),
    /// and --no-statistics changes nothing.
    func testOlderServerRefusesStatistics() throws {
        let r = try DumpOracleTests.run(15)
        for opts in [["--statistics"], ["--statistics-only"]] {
            let out = r.dir + "/stats-refused.dump"
            let mine = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-f", out] + opts + r.cluster.connectionArgs(db: "fx"))
            XCTAssertEqual(mine.status, 1, "\(opts)")
            XCTAssertTrue(mine.stderrString.contains("need a PostgreSQL 18 server"), "\(opts): \(mine.stderrString)")
        }
        let ours = r.dir + "/stats-none.dump"
        let mine = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-f", ours, "--no-statistics"] + r.cluster.connectionArgs(db: "fx"))
        XCTAssertEqual(mine.status, 0, mine.stderrString)
        try DumpOracleTests.checkEntries(major: 15, ref: r.ref, ours: ours, label: " --no-statistics")
    }
}
