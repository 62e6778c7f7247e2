import Foundation
import TestSupport
import XCTest

/// -v against the oracle, on every server major: what cbdump -v prints on standard error
/// must be what that major's pg_dump -v prints, line for line (the tool's name aside), for
/// the fixture database in the custom, plain, tar and directory formats; and cbrestore -v
/// must print pg_restore -v's lines for a script (-f) with several option sets and for a
/// live restore (-d, where cbrestore adds one summary line at the end).
final class VerboseOracleTests: XCTestCase {
    /// Standard error's lines with "TOOL: " taken off.
    static func lines(_ r: ProcessResult, tool: String) -> [String] {
        r.stderrString.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(tool + ": ") ? String(line.dropFirst(tool.count + 2)) : String(line)
        }
    }

    /// Equal line lists, or a failure naming the first line that differs.
    static func assertSameLines(_ ours: [String], _ theirs: [String], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        guard ours != theirs else { return }
        let i = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
        XCTFail("\(label): line \(i + 1) differs: ours \(i < ours.count ? ours[i] : "<end>") | theirs \(i < theirs.count ? theirs[i] : "<end>")",
                file: file, line: line)
    }

    func check(_ major: Int) throws {
        let r = try DumpOracleTests.run(major)
        let conn = r.cluster.connectionArgs(db: "fx")
        let cbdump = ProcessRunner.product("cbdump"), cbrestore = ProcessRunner.product("cbrestore")
        var compared = 0
        for format in ["c", "p", "t", "d"] {
            let ref = r.dir + "/verbose-ref.\(format)", ours = r.dir + "/verbose-ours.\(format)"
            let theirs = try ProcessRunner.run(r.bin.path("pg_dump"), ["-v", "-F\(format)", "-f", ref] + conn)
            XCTAssertEqual(theirs.status, 0, theirs.stderrString)
            let mine = try ProcessRunner.run(cbdump, ["--no-progress", "-v", "-F\(format)", "-f", ours] + conn)
            XCTAssertEqual(mine.status, 0, mine.stderrString)
            let a = Self.lines(theirs, tool: "pg_dump"), b = Self.lines(mine, tool: "cbdump")
            XCTAssertGreaterThan(a.count, 60, "PG\(major) -F\(format): pg_dump -v says enough to compare")
            Self.assertSameLines(b, a, "PG\(major) pg_dump -v -F\(format)")
            compared += 1
        }
        for options in [[String](), ["-c", "--if-exists", "-C"], ["-a", "--disable-triggers"], ["-s", "-O", "-x"], ["--section=data"]] {
            let theirs = try ProcessRunner.run(r.bin.path("pg_restore"), ["-v"] + options + ["-f", r.dir + "/verbose-ref.sql", r.ref])
            let mine = try ProcessRunner.run(cbrestore, ["-v", "--compat-version", String(major)] + options + ["-f", r.dir + "/verbose-ours.sql", r.ref])
            XCTAssertEqual(theirs.status, 0, theirs.stderrString)
            XCTAssertEqual(mine.status, 0, mine.stderrString)
            Self.assertSameLines(Self.lines(mine, tool: "cbrestore"), Self.lines(theirs, tool: "pg_restore"), "PG\(major) pg_restore -v \(options) -f")
            compared += 1
        }
        // A live restore: the same lines, then cbrestore's summary.
        let dbs = ["verbose_ref_\(major)", "verbose_ours_\(major)"]
        for db in dbs { try r.cluster.createDatabase(db) }
        let theirs = try ProcessRunner.run(r.bin.path("pg_restore"), ["-v"] + r.cluster.connectionArgs(db: dbs[0]) + [r.ref])
        let mine = try ProcessRunner.run(cbrestore, ["-v", "--compat-version", String(major)] + r.cluster.connectionArgs(db: dbs[1]) + [r.ref])
        var ourLines = Self.lines(mine, tool: "cbrestore")
        let theirLines = Self.lines(theirs, tool: "pg_restore")
        XCTAssertEqual(mine.status, theirs.status, mine.stderrString)
        if let i = ourLines.lastIndex(where: { $0.contains(" entries restored, ") }) { ourLines.remove(at: i) } else {
            XCTFail("PG\(major): no summary line from cbrestore -v -d")
        }
        Self.assertSameLines(ourLines, theirLines, "PG\(major) pg_restore -v -d")
        compared += 1
        print("PG\(major): -v compared in \(compared) runs")
    }

    func testPostgreSQL15() throws { try check(15) }
    func testPostgreSQL16() throws { try check(16) }
    func testPostgreSQL17() throws { try check(17) }
    func testPostgreSQL18() throws { try check(18) }
}
