import Foundation
import TestSupport
import XCTest

/// The command line read as getopt_long reads pg_dump's, pg_restore's and pg_dumpall's
/// (issue 19): clustered short options with a value last, unique prefixes of long options,
/// -V and -?, `--progress json`, and a --version line scripts can parse. Where pg_restore
/// can be asked, its output for the same words is the oracle.
final class CommandLineTests: XCTestCase {
    func fixture(_ name: String) throws -> String {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        return root + "/Fixtures/archives/" + name
    }

    var tools: [(ours: String, theirs: String)] { [("cbdump", "pg_dump"), ("cbrestore", "pg_restore"), ("cbdumpall", "pg_dumpall")] }

    /// pg_restore and cbrestore given the same words print the same script.
    func testClustersAndPrefixesAsPgRestore() throws {
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        let a = try fixture("small-pg15.custom.dump")
        for words in [["-Oxf-", "--schema-o"], ["-vOf", "-", "--no-own", "--if-ex", "-c"], ["-axf-", "--disable-trig", "-S", "postgres"],
                      ["-1sf-"], ["--restrict-k=K", "-Of-", "--no-comm"], ["-Ff", "-c", "-f-"]] {
            let args = words + ["--restrict-key=K", a]
            let theirs = try ProcessRunner.run(bin.path("pg_restore"), args)
            let ours = try ProcessRunner.run(ProcessRunner.product("cbrestore"), args)
            XCTAssertEqual(ours.status, theirs.status, "\(words): \(ours.stderrString) / \(theirs.stderrString)")
            // -v's "Started on"/"Completed on" times may fall in different seconds.
            func timeless(_ s: String) -> String {
                s.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("-- Started on ") && !$0.hasPrefix("-- Completed on ") }.joined(separator: "\n")
            }
            XCTAssertTrue(timeless(ours.stdoutString) == timeless(theirs.stdoutString), "\(words): the scripts differ")
            if theirs.status == 0 { XCTAssertGreaterThan(theirs.stdout.count, 100, "\(words)") }
        }
    }

    func testVersionAndHelpSpellings() throws {
        for (ours, theirs) in tools {
            let tool = ProcessRunner.product(ours)
            let long = try ProcessRunner.run(tool, ["--version"])
            let short = try ProcessRunner.run(tool, ["-V"])
            XCTAssertEqual(long.status, 0, long.stderrString)
            XCTAssertEqual(short.stdoutString, long.stdoutString, "\(ours) -V")
            // pg_dump prints "pg_dump (PostgreSQL) 18.6": the third word is the version.
            let words = long.stdoutString.split(separator: " ")
            XCTAssertEqual(words.first.map(String.init), ours, long.stdoutString)
            XCTAssertEqual(words.count > 2 ? Int(words[2]) : nil, 18, "a major version as the third word: \(long.stdoutString)")
            XCTAssertTrue(long.stdoutString.contains("as \(theirs) 15 to 18"), long.stdoutString)
            let help = try ProcessRunner.run(tool, ["--help"])
            let question = try ProcessRunner.run(tool, ["-?"])
            XCTAssertEqual(help.status, 0, help.stderrString)
            XCTAssertEqual(question.stdoutString, help.stdoutString, "\(ours) -?")
            // -h is the host, not help.
            XCTAssertFalse(help.stdoutString.contains("-h, --help"), "\(ours) --help lists -h for help")
            XCTAssertTrue(help.stdoutString.contains("--help"), help.stdoutString)
        }
    }

    func testAmbiguousPrefixIsAnError() throws {
        for (ours, _) in tools {
            let r = try ProcessRunner.run(ProcessRunner.product(ours), ["--s"])
            XCTAssertEqual(r.status, 1, r.stderrString)
            XCTAssertTrue(r.stderrString.hasPrefix("\(ours): error: option '--s' is ambiguous; possibilities: '--"), r.stderrString)
        }
        // A unique prefix is taken; an exact name wins over longer ones (--schema, --schema-only).
        let a = try fixture("small-pg15.custom.dump")
        let exact = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--schema", "public", "-l", a])
        XCTAssertEqual(exact.status, 0, exact.stderrString)
    }

    /// pg_dump's and pg_dumpall's --binary-upgrade (and its prefixes) is refused with its
    /// reason before any connection is tried (the port named here has no server), not
    /// reported as an unknown option.
    func testBinaryUpgradeIsRefusedWithItsReason() throws {
        for tool in ["cbdump", "cbdumpall"] {
            for spelling in ["--binary-upgrade", "--binary-up"] {
                let r = try ProcessRunner.run(ProcessRunner.product(tool), [spelling, "-h", "/nonexistent", "-p", "1", "-f", "/dev/null"])
                XCTAssertEqual(r.status, 1, r.stderrString)
                XCTAssertEqual(r.stderrString.split(separator: "\n").first.map(String.init),
                               "\(tool): error: option --binary-upgrade is not supported: it is for pg_upgrade, which runs the new server's own pg_dump")
            }
        }
    }

    /// `--progress json` with a space, as --help shows the option, is the JSON display; the
    /// words "bar" and "json" are taken as its value, anything else stays a word of its own.
    func testProgressValueWithASpace() throws {
        let a = try fixture("small-pg15.custom.dump")
        let r = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--progress", "json", "-f", "-", a])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderrString, "cbrestore: error: option --progress requires -d/--dbname\n",
                       "json was taken as --progress's value, not as the archive")
    }

    /// A plain SQL script on standard input gets pg_restore's own advice, not "not a valid
    /// archive".
    func testPlainScriptOnStandardInput() throws {
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        let sql = try Data(contentsOf: URL(fileURLWithPath: try fixture("small-pg15.custom.dump.sql")))
        let theirs = try ProcessRunner.run(bin.path("pg_restore"), ["-f", "-"], stdin: sql)
        let ours = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["-f", "-"], stdin: sql)
        XCTAssertEqual(theirs.status, 1)
        XCTAssertEqual(ours.status, 1)
        XCTAssertTrue(theirs.stderrString.hasSuffix("input file appears to be a text format dump. Please use psql.\n"), theirs.stderrString)
        XCTAssertTrue(ours.stderrString.hasSuffix("input file appears to be a text format dump. Please use psql.\n"), ours.stderrString)
    }
}
