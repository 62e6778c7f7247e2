import Archive
import Foundation
import TestSupport
import XCTest

/// pg_restore 18's options on an archive with statistics (pg_dump 18 --statistics of the
/// analyzed fixture database): for each option set, pg_restore 18 and cbrestore print the
/// same script (or the same error and exit status): --statistics-only, --no-statistics,
/// --statistics, --no-data, --no-schema, their conflicts, -t/-n with statistics, and
/// --filter files (pg_restore 17's include/exclude lines, and the lines it refuses).
final class StatisticsRestoreOracleTests: XCTestCase {
    func testOptionsAsPgRestore18() throws {
        let r = try StatisticsDumpOracleTests.analyzedRun()
        let archive = r.dir + "/stats.dump"
        _ = try Oracle.pgDump(r.bin, cluster: r.cluster, db: "fx", args: ["-Fc", "--statistics", "-f", archive])
        let entries = try ArchiveOpener.open(path: archive).entries
        XCTAssertGreaterThan(entries.filter { $0.desc == "STATISTICS DATA" }.count, 50, "the archive holds statistics")
        let filters = [
            ("include", "include table data.big\ninclude index app.settings_pkey\nexclude schema con\n# a comment\n"),
            ("functions", "include function touch()\ninclude trigger base_touch\ninclude schema vw\n"),
            ("bad-exclude", "exclude table data.big\n"),
            ("bad-include", "include table_data data.big\n"),
        ]
        var filterArgs: [String: String] = [:]
        for (name, text) in filters {
            let path = r.dir + "/\(name).filter"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            filterArgs[name] = "--filter=" + path
        }
        let cases: [[String]] = [
            [], ["--statistics-only"], ["--no-statistics"], ["--statistics"], ["--no-data"], ["--no-schema"],
            ["--no-data", "--no-schema"], ["--statistics-only", "-t", "big"], ["-t", "big"], ["--statistics-only", "-n", "data"],
            ["-a", "--statistics-only"], ["-s", "--statistics-only"], ["-a", "--no-data"], ["-s", "--no-schema"],
            ["--statistics-only", "--no-statistics"], ["--statistics", "--no-statistics"], ["-a", "--statistics"], ["-s", "--statistics"],
            ["-l", "--statistics-only"], ["-s"], ["-a"],
            [filterArgs["include"]!], [filterArgs["functions"]!], [filterArgs["bad-exclude"]!], [filterArgs["bad-include"]!],
            [filterArgs["include"]!, "--statistics-only"],
        ]
        var same = 0
        for args in cases {
            let common = args + ["--restrict-key=K", "-f", "-", archive]
            let theirs = try ProcessRunner.run(r.bin.path("pg_restore"), common)
            let ours = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--compat-version", "18"] + common)
            XCTAssertEqual(ours.status, theirs.status, "\(args): \(ours.stderrString) / \(theirs.stderrString)")
            XCTAssertEqual(ours.stderrString.replacingOccurrences(of: "cbrestore:", with: "pg_restore:"), theirs.stderrString, "\(args)")
            if ours.stdoutString == theirs.stdoutString { same += 1 } else {
                let a = ours.stdoutString.split(separator: "\n"), b = theirs.stdoutString.split(separator: "\n")
                let i = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                XCTFail("\(args): scripts differ at line \(i + 1): ours \(i < a.count ? String(a[i]) : "<end>") | theirs \(i < b.count ? String(b[i]) : "<end>")")
            }
        }
        print("pg_restore 18 with statistics: \(same) of \(cases.count) option sets identical")
    }
}
