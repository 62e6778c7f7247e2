import Catalog
import Console
import Foundation
import XCTest
@testable import cbdump

/// cbdump's command line read as pg_dump's getopt_long loop reads it, with cbdump's own
/// option table (`CBDumpCommand.getopt`), and the order-sensitive options
/// (`optionsInOrder`, `DumpRunner.readOrderedOptions`). In process: no server, no
/// PostgreSQL programs. The rules are pg_dump.c's main() getopt loop, cited per test.
final class OptionOrderTests: XCTestCase {
    private var paths: [String] = []

    override func tearDown() {
        for p in paths { unlink(p) }
        paths = []
    }

    func words(_ args: [String]) throws -> [String] { try CBDumpCommand.getopt.normalize(args) }

    /// What readOrderedOptions makes of a command line, or its error.
    func ordered(_ args: [String]) throws -> OrderedOptions {
        let w = try words(args)
        return try DumpRunner(try CBDumpCommand.parse(w), args: w).readOrderedOptions()
    }

    func orderedError(_ args: [String]) -> String {
        do {
            _ = try ordered(args)
            XCTFail("no error for \(args)")
            return ""
        } catch { return "\(error)" }
    }

    func filterFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "cbdump-optorder-\(getpid())-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        paths.append(path)
        return path
    }

    // MARK: - Splitting (getopt_long with pg_dump's optstring and long options)

    /// Attached short values ("-Fc -Z9", "-fout.dump") and clusters ("-vcC").
    func testAttachedShortValues() throws {
        XCTAssertEqual(try words(["-Fc", "-Z9", "-fout.dump", "db"]), ["--format=c", "--compress=9", "--file=out.dump", "db"])
        XCTAssertEqual(try words(["-vcCFd", "-j4"]), ["--verbose", "--clean", "--create", "--format=d", "--jobs=4"])
        XCTAssertEqual(try words(["-Z", "gzip:9"]), ["--compress=gzip:9"])
        XCTAssertEqual(try words(["-n", "-x"]), ["--schema=-x"])
        let c = try CBDumpCommand.parse(try words(["-Fd", "-Z0", "-fout"]))
        XCTAssertEqual(c.format, "d")
        XCTAssertEqual(c.compress, "0")
        XCTAssertEqual(c.file, "out")
    }

    /// Unique prefixes of pg_dump's long options, aliases counted once ("--no-acl" is
    /// "--no-privileges", "--blobs" is "--large-objects").
    func testUniqueLongPrefixes() throws {
        XCTAssertEqual(try words(["--schema-o"]), ["--schema-only"])
        XCTAssertEqual(try words(["--serial"]), ["--serializable-deferrable"])
        XCTAssertEqual(try words(["--no-ac"]), ["--no-privileges"])
        XCTAssertEqual(try words(["--blo"]), ["--large-objects"])
        XCTAssertEqual(try words(["--rows=5"]), ["--rows-per-insert=5"])
        XCTAssertEqual(try words(["--exclude-table-data-and", "t"]), ["--exclude-table-data-and-children=t"])
        // An exact name wins over the longer names it begins.
        XCTAssertEqual(try words(["--table", "t"]), ["--table=t"])
        XCTAssertEqual(try words(["--inserts"]), ["--inserts"])
    }

    /// A prefix of several options is getopt_long's "is ambiguous" error.
    func testAmbiguousLongPrefixes() {
        for (prefix, names) in [("--no-t", ["--no-tablespaces", "--no-table-access-method", "--no-toast-compression"]),
                                ("--exclude-table-d", ["--exclude-table-data", "--exclude-table-data-and-children"])] {
            XCTAssertThrowsError(try words([prefix]), prefix) { e in
                let text = "\(e)"
                XCTAssertTrue(text.hasPrefix("option '\(prefix)' is ambiguous; possibilities:"), text)
                for name in names { XCTAssertTrue(text.contains("'\(name)'"), "\(prefix): \(text)") }
            }
        }
    }

    // MARK: - Order (pg_dump acts on these as getopt returns them)

    /// -n/-N/-t/-T/... lists grow in command-line order; any include option (-n, -t, -e,
    /// --table-and-children) sets include_everything = false.
    func testPatternListsKeepCommandLineOrder() throws {
        let o = try ordered(["-n", "b", "-t", "x", "-n", "a", "-N", "c", "--exclude-table-data", "d", "-T", "e",
                             "--exclude-extension", "f", "--include-foreign-data", "g", "--table-and-children", "h"])
        XCTAssertEqual(o.patterns.includeSchemas, ["b", "a"])
        XCTAssertEqual(o.patterns.includeTables, ["x"])
        XCTAssertEqual(o.patterns.excludeSchemas, ["c"])
        XCTAssertEqual(o.patterns.excludeTableData, ["d"])
        XCTAssertEqual(o.patterns.excludeTables, ["e"])
        XCTAssertEqual(o.patterns.excludeExtensions, ["f"])
        XCTAssertEqual(o.patterns.includeForeignServers, ["g"])
        XCTAssertEqual(o.patterns.includeTablesAndChildren, ["h"])
        XCTAssertEqual(o.patterns.includeEverything, false)
        XCTAssertEqual(try ordered(["-N", "c", "-T", "t"]).patterns.includeEverything, true)
        XCTAssertEqual(try ordered(["-e", "hstore"]).patterns.includeEverything, false)
    }

    /// --inserts sets one row per INSERT only when no number was given yet;
    /// --rows-per-insert sets it whatever came before.
    func testInsertsAndRowsPerInsert() throws {
        XCTAssertEqual(try ordered([]).dumpInserts, 0)
        XCTAssertEqual(try ordered(["--inserts"]).dumpInserts, 1)
        XCTAssertEqual(try ordered(["--rows-per-insert", "5", "--inserts"]).dumpInserts, 5)
        XCTAssertEqual(try ordered(["--inserts", "--rows-per-insert=7"]).dumpInserts, 7)
        XCTAssertEqual(try ordered(["--rows-per-insert=3", "--rows-per-insert=9"]).dumpInserts, 9)
    }

    /// option_parse_int at the option's place: the first bad one is the error.
    func testNumbersAreCheckedInOrder() throws {
        XCTAssertEqual(orderedError(["--rows-per-insert", "0"]), "--rows-per-insert must be in range 1..2147483647")
        XCTAssertEqual(orderedError(["--extra-float-digits", "4"]), "--extra-float-digits must be in range -15..3")
        XCTAssertEqual(orderedError(["--extra-float-digits=x", "--rows-per-insert=0"]), "invalid value \"x\" for option --extra-float-digits")
        XCTAssertEqual(orderedError(["--rows-per-insert=0", "--extra-float-digits=x"]), "--rows-per-insert must be in range 1..2147483647")
        XCTAssertEqual(try ordered(["--extra-float-digits", "-15"]).extraFloatDigits, -15)
    }

    /// read_dump_filters runs where --filter stands: its patterns join the lists between
    /// the options before and after it. An extension include in a file does not narrow the
    /// dump (read_dump_filters does not clear include_everything for it, unlike -e).
    func testFilterFileJoinsTheListsInPlace() throws {
        let f = try filterFile("include table f1\nexclude schema s1\ninclude table_and_children f2\nexclude table_data f3\n")
        let o = try ordered(["-t", "a", "--filter", f, "-t", "b", "-N", "s2"])
        XCTAssertEqual(o.patterns.includeTables, ["a", "f1", "b"])
        XCTAssertEqual(o.patterns.excludeSchemas, ["s1", "s2"])
        XCTAssertEqual(o.patterns.includeTablesAndChildren, ["f2"])
        XCTAssertEqual(o.patterns.excludeTableData, ["f3"])
        let ext = try filterFile("include extension e1\n")
        let e = try ordered(["--filter", ext])
        XCTAssertEqual(e.patterns.includeExtensions, ["e1"])
        XCTAssertEqual(e.patterns.includeEverything, true)
    }

    /// read_dump_filters refuses what pg_dump cannot select by, with filter.c's line.
    func testFilterFileRefusals() throws {
        for (line, message) in [("include index i", "include filter for \"index\" is not allowed"),
                                ("include table_data t", "include filter for \"table data\" is not allowed"),
                                ("exclude foreign_data s", "exclude filter for \"foreign data\" is not allowed"),
                                ("exclude database d", "exclude filter for \"database\" is not allowed")] {
            let f = try filterFile("include table ok\n" + line + "\n")
            XCTAssertEqual(orderedError(["--filter", f]), "invalid format in filter read from file \"\(f)\" on line 2: \(message)")
        }
    }
}
