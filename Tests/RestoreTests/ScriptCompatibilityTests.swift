import Foundation
import TestSupport
import XCTest

/// cbrestore against the real pg_restore: for every archive the real pg_dump wrote from the
/// fixture database, every option that shapes a script or listing on each major's custom,
/// directory, tar and INSERT archives, and a set that reads everything once more on its other
/// compression variants, both must print the same bytes and exit with the same status.
final class ScriptCompatibilityTests: XCTestCase {
    static let key = "FIXEDKEY"

    /// The pg_restore cbrestore matches by default: the newest of the archive version's era.
    static func era(_ producer: Int) -> Int { producer == 17 ? 18 : producer }

    /// Option sets run on every archive with the pg_restore of its own era.
    func optionSets(_ n: ArchiveNames, lists: (trimmed: String, reordered: String), major: Int) -> [[String]] {
        var sets: [[String]] = [
            [], ["-l"], ["-l", "-v"], ["-v"],
            ["-s"], ["-a"],
            ["--section=pre-data"], ["--section=data"], ["--section=post-data"],
            ["--section=pre-data", "--section=post-data"],
            ["-n", n.schema], ["-N", n.schema], ["-n", n.schema, "-s"], ["-l", "-n", n.schema],
            ["-n", "public", "-n", n.schema],
            ["-t", n.table], ["-t", n.table, "-a"], ["-l", "-t", n.table], ["-n", n.schema, "-t", n.table],
            ["-O"], ["-x"], ["-O", "-x"], ["--no-owner", "--no-privileges", "-s"],
            ["--no-comments"], ["--no-publications"], ["--no-subscriptions"], ["--no-security-labels"],
            ["--no-tablespaces"], ["--no-table-access-method"],
            ["-c"], ["-c", "--if-exists"], ["-C"], ["-C", "-c"], ["-C", "-c", "--if-exists"], ["-l", "-C"],
            ["-1"], ["-1", "-a"],
            ["-a", "--disable-triggers"], ["-a", "--disable-triggers", "-S", "postgres"],
            ["--disable-triggers"],
            ["--use-set-session-authorization"], ["--use-set-session-authorization", "-c"],
            ["--role=postgres"], ["--enable-row-security"],
            ["-L", lists.trimmed], ["-L", lists.reordered], ["-l", "-L", lists.reordered],
            ["-L", lists.trimmed, "-a"],
            ["--strict-names", "-t", "no_such_table"], ["--strict-names", "-n", n.schema],
            // A name counts only if an entry reached its test: -n public hides the table.
            ["--strict-names", "-n", "public", "-t", n.table], ["-l", "--strict-names", "-n", "public", "-t", n.table],
            ["--strict-names", "-L", lists.trimmed, "-t", n.table],
            ["-c", "-C", "-O", "-x", "--if-exists", "--no-comments"],
        ]
        if !n.index.isEmpty { sets += [["-I", n.index], ["-l", "-I", n.index]] }
        if !n.function.isEmpty { sets += [["-P", n.function], ["-P", n.function, "-x"]] }
        if !n.trigger.isEmpty { sets += [["-T", n.trigger]] }
        if let h = n.hostileTable { sets += [["-t", h], ["-t", h, "-l"]] }
        if major >= 17 {
            sets += [["--transaction-size=5"], ["--transaction-size=1", "-c"], ["--transaction-size=3", "-C", "-c", "--if-exists"],
                     ["--transaction-size=7", "-a"], ["--transaction-size=2", "-O", "-x", "-s"]]
        }
        return sets
    }

    /// The archives every option set runs on: each major's default custom archive, its
    /// directory and tar archives, and its INSERT-data archives. The script does not depend on
    /// how the data is compressed, so the other compression variants (-Z0, -Z9, lz4, zstd, and
    /// the piped archive, which also runs from standard input) get `variantSets`: what reads
    /// every entry and every data block once more, in each of the ways they are written out.
    static let fullMatrixSuffixes: Set<String> = ["custom", "dir", "tar", "custom-inserts", "custom-column-inserts"]

    func variantSets(_ n: ArchiveNames, lists: (trimmed: String, reordered: String)) -> [[String]] {
        [[], ["-l"], ["-a"], ["-s", "-c", "--if-exists"], ["-t", n.table], ["-L", lists.trimmed], ["-1", "-O", "-x"]]
    }

    func testEveryArchiveAndOptionMatchesItsOwnPgRestore() throws {
        let fx = try OracleFixture.shared()
        var cases: [CompareCase] = []
        for archive in fx.archives {
            guard let bin = PGBinaries.major(Self.era(archive.producer)) else { continue }
            let names = try ArchiveNames(archive.path)
            let lists = try makeLists(archive, bin, fx.workDir)
            let suffix = String(archive.name.drop(while: { $0 != "-" }).dropFirst())
            let sets = Self.fullMatrixSuffixes.contains(suffix) ? optionSets(names, lists: lists, major: bin.major)
                                                                : variantSets(names, lists: lists)
            for opts in sets {
                cases.append(CompareCase(archive: archive, bin: bin, opts: opts, stdin: false))
            }
            if archive.streamable {
                for opts in [[], ["-l"], ["-a"], ["-s", "-c"], ["-n", names.schema], ["-L", lists.trimmed], ["-L", lists.reordered]] {
                    cases.append(CompareCase(archive: archive, bin: bin, opts: opts, stdin: true))
                }
            }
        }
        var report = CompareReport()
        report.run(cases)
        report.finish(self)
    }

    /// Newer pg_restore majors read older archives; our renderer must follow the reader's
    /// version (owner keywords, transaction_timeout, compression names).
    func testNewerPgRestoreMajorsOnOlderArchives() throws {
        let fx = try OracleFixture.shared()
        var cases: [CompareCase] = []
        for archive in fx.archives {
            for reader in PGBinaries.knownMajors where reader >= archive.producer && reader != Self.era(archive.producer) {
                guard let bin = PGBinaries.major(reader) else { continue }
                for opts in [[], ["-l"], ["-C", "-c", "--if-exists"], ["-O", "-x", "-s"]] {
                    cases.append(CompareCase(archive: archive, bin: bin, opts: opts + ["--compat-version", String(reader)],
                                             oracleOpts: opts, stdin: false))
                }
            }
        }
        var report = CompareReport()
        report.run(cases)
        report.finish(self)
    }

    /// Without --restrict-key both tools invent a random key; the scripts differ only there.
    func testRandomRestrictKeyAndFileOutput() throws {
        let fx = try OracleFixture.shared()
        guard let archive = fx.archives.first, let bin = PGBinaries.major(Self.era(archive.producer)) else { throw XCTSkip("no archive") }
        let theirs = try Oracle.pgRestore(bin, args: ["-f", "-", archive.path])
        let ours = try OracleCompare.runCbrestore(["-f", "-", archive.path])
        XCTAssertEqual(ours.status, 0, ours.stderrString)
        XCTAssertNotEqual(ours.stdoutString, theirs.stdoutString, "keys should be random")
        XCTAssertEqual(Oracle.normalizeRestrictKey(ours.stdoutString), Oracle.normalizeRestrictKey(theirs.stdoutString))

        let file = fx.workDir + "/out.sql"
        let r = try OracleCompare.runCbrestore(["--restrict-key=\(Self.key)", "-f", file, archive.path])
        XCTAssertEqual(r.status, 0, r.stderrString)
        let expected = try Oracle.pgRestore(bin, args: ["--restrict-key=\(Self.key)", "-f", "-", archive.path])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), expected.stdout)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fx.workDir).filter { $0.contains("cbrestore-tmp") }
        XCTAssertEqual(leftovers, [], "temporary output files left behind")
    }

    // MARK: - Machinery

    /// A use-list with entries dropped, comments and junk lines added; and one reversed.
    func makeLists(_ archive: OracleArchive, _ bin: PGBinaries, _ dir: String) throws -> (trimmed: String, reordered: String) {
        let listing = try Oracle.pgRestore(bin, args: ["-l", archive.path]).stdoutString
        let lines = listing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let entries = lines.filter { !$0.hasPrefix(";") && !$0.isEmpty }
        var trimmed = lines.filter { $0.hasPrefix(";") }
        for (i, line) in entries.enumerated() {
            if i % 3 == 1 { trimmed.append(";" + line) } else { trimmed.append(line) }
        }
        trimmed += ["garbage line", "  \t", entries.first ?? "", "0; zero id", "-3; negative"]
        let reordered = Array(entries.reversed())
        let t = dir + "/\(archive.name).trimmed.list", r = dir + "/\(archive.name).reordered.list"
        try trimmed.joined(separator: "\n").write(toFile: t, atomically: true, encoding: .utf8)
        try (reordered.joined(separator: "\n") + "\n").write(toFile: r, atomically: true, encoding: .utf8)
        return (t, r)
    }
}

/// Runs cbrestore and the real pg_restore on the same archive and options.
enum OracleCompare {
    static func runCbrestore(_ args: [String], stdinFile: String? = nil) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbrestore"), args, environment: ["TZ": "UTC"], stdinFile: stdinFile)
    }

    /// Runs both tools on one case; the mismatch it shows, or nil when they agree.
    static func verdict(_ c: CompareCase) throws -> String? {
        let common = ["--restrict-key=\(ScriptCompatibilityTests.key)", "-f", "-"]
        let ours: ProcessResult, theirs: ProcessResult
        let keyArgs = c.opts.contains("-l") ? ["-f", "-"] : common
        let oracleOpts = c.oracleOpts ?? c.opts
        if c.stdin {
            ours = try runCbrestore(keyArgs + c.opts, stdinFile: c.archive.path)
            theirs = try ProcessRunner.run(c.bin.path("pg_restore"), keyArgs + oracleOpts, environment: ["TZ": "UTC"], stdinFile: c.archive.path)
        } else {
            ours = try runCbrestore(keyArgs + c.opts + [c.archive.path])
            theirs = try ProcessRunner.run(c.bin.path("pg_restore"), keyArgs + oracleOpts + [c.archive.path], environment: ["TZ": "UTC"])
        }
        return CompareReport.verdict(label: c.label, ours: ours, theirs: theirs)
    }
}

/// One comparison: an archive, the pg_restore to compare with, and the options for both
/// (`oracleOpts`, when set, are pg_restore's instead).
struct CompareCase: Sendable {
    let archive: OracleArchive
    let bin: PGBinaries
    let opts: [String]
    var oracleOpts: [String]? = nil
    let stdin: Bool

    var label: String {
        "\(archive.name) via pg_restore \(bin.major)\(stdin ? " (stdin)" : "") \(opts.joined(separator: " "))"
    }
}

/// Collects comparisons and fails once, listing every mismatch with its first differing line.
struct CompareReport {
    var compared = 0
    var mismatches: [String] = []

    /// Runs the cases as many at a time as there are cores (each is two short processes,
    /// so one at a time leaves a core idle) and records them in their order.
    mutating func run(_ cases: [CompareCase]) {
        let outcomes = concurrentMap(cases.count) { i -> String? in
            do { return try OracleCompare.verdict(cases[i]) } catch { return "\(cases[i].label): \(error)" }
        }
        compared += cases.count
        mismatches += outcomes.compactMap { $0 }
    }

    /// The mismatch between two runs, or nil when they exit alike and print the same script.
    static func verdict(label: String, ours: ProcessResult, theirs: ProcessResult) -> String? {
        let theirOK = theirs.status == 0, ourOK = ours.status == 0
        if theirOK != ourOK {
            return "\(label): exit \(ours.status) vs pg_restore \(theirs.status)\n  ours: \(ours.stderrString.prefix(300))\n  theirs: \(theirs.stderrString.prefix(300))"
        }
        guard theirOK, ours.stdout != theirs.stdout else { return nil }
        let a = normalize(ours.stdoutString), b = normalize(theirs.stdoutString)
        return a == b ? nil : "\(label): output differs\n" + Oracle.firstDifference(ours: a, theirs: b)
    }

    /// Only the wall-clock "Completed on" line of -v scripts may differ.
    static func normalize(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("-- Completed on ") ? "-- Completed on <now>" : String($0) }
            .joined(separator: "\n")
    }

    func firstDifference(_ a: String, _ b: String) -> String { Oracle.firstDifference(ours: a, theirs: b) }

    func finish(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) {
        print("compared \(compared) cases with pg_restore: \(compared - mismatches.count) identical, \(mismatches.count) different")
        XCTAssertGreaterThan(compared, 0, "nothing was compared", file: file, line: line)
        if !mismatches.isEmpty {
            XCTFail("\(mismatches.count) of \(compared) differ:\n" + mismatches.prefix(25).joined(separator: "\n"), file: file, line: line)
        }
    }
}
