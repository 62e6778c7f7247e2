@testable import Console
import Foundation
import XCTest

/// `--filter` files as fe_utils' filter.c reads them (filter_read_item, read_pattern,
/// read_quoted_string, pg_log_filter_error), for pg_dump, pg_dumpall and pg_restore. No
/// server, no PostgreSQL programs: the expected values are filter.c's rules, cited per test.
final class FilterFileTests: XCTestCase {
    private var paths: [String] = []

    override func tearDown() {
        for p in paths { unlink(p) }
        paths = []
    }

    /// A filter file holding `text`.
    func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "cbdump-filter-\(getpid())-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        paths.append(path)
        return path
    }

    func read(_ text: String, allowed: (FilterItem) -> String? = { _ in nil }) throws -> [FilterItem] {
        try FilterFile.read(try file(text), allowed: allowed)
    }

    /// The one error line reading `text` gives.
    func error(_ text: String, allowed: (FilterItem) -> String? = { _ in nil }) throws -> String {
        let path = try file(text)
        do {
            _ = try FilterFile.read(path, allowed: allowed)
            XCTFail("no error for \(text.debugDescription)")
            return ""
        } catch let e as FilterFileError {
            let prefix = "invalid format in filter read from file \"\(path)\" "
            return e.description.hasPrefix(prefix) ? String(e.description.dropFirst(prefix.count)) : e.description
        }
    }

    func item(_ c: FilterCommand, _ t: FilterObjectType, _ p: String) -> FilterItem {
        FilterItem(command: c, objectType: t, pattern: p)
    }

    /// Blank lines and lines whose first non-blank is "#" are skipped; keywords are
    /// case-insensitive (is_keyword_str uses pg_strncasecmp); every object type of
    /// get_object_type is known.
    func testCommandsTypesCommentsAndBlankLines() throws {
        let items = try read("""
        # a comment
            # an indented comment

        include table t1
        EXCLUDE Schema s1
        \tinclude\ttable_data\tt2
        exclude table_data_and_children t3
        include database d
        include extension e
        include foreign_data srv
        include function f
        include index i
        include table_and_children t4
        include trigger tr
        """ + "\n")
        XCTAssertEqual(items, [
            item(.include, .table, "t1"), item(.exclude, .schema, "s1"), item(.include, .tableData, "t2"),
            item(.exclude, .tableDataAndChildren, "t3"), item(.include, .database, "d"), item(.include, .extension, "e"),
            item(.include, .foreignData, "srv"), item(.include, .function, "f"), item(.include, .index, "i"),
            item(.include, .tableAndChildren, "t4"), item(.include, .trigger, "tr"),
        ])
    }

    /// read_pattern: blanks around ".", "(" and ")" go, a "," is followed by one blank,
    /// words keep one blank between them, and "#" ends the pattern (a trailing comment).
    func testPatternNormalisation() throws {
        let items = try read("""
        include table  public . t1   # the table
        include function f ( integer ,  text )
        include function g(integer,text)
        include table two   words
        include table a.b*c?
        """ + "\n")
        XCTAssertEqual(items.map(\.pattern), ["public.t1", "f(integer, text)", "g(integer, text)", "two words", "a.b*c?"])
    }

    /// read_quoted_string: quotes are kept, "" stays "", \n is a newline and \\ a backslash,
    /// any other backslash pair is dropped, and a quoted name may go on over lines (the
    /// newline kept). A blank before the quote is kept as one blank.
    func testQuotedNames() throws {
        let items = try read("""
        include table "My ""T"" x"
        include table s."a\\nb"
        include table "back\\\\slash\\q"
        include table "two
        lines"
        include table foo "bar"
        """ + "\n")
        XCTAssertEqual(items.map(\.pattern), ["\"My \"\"T\"\" x\"", "s.\"a\nb\"", "\"back\\slash\"", "\"two\nlines\"", "foo \"bar\""])
    }

    /// A name over several lines counts every line: the next error names the right one.
    func testLineNumbersCountQuotedContinuationLines() throws {
        XCTAssertEqual(try error("include table \"a\nb\nc\"\nbogus table x\n"),
                       "on line 4: invalid filter command (expected \"include\" or \"exclude\")")
    }

    /// filter_read_item's errors, each with its line (pg_log_filter_error).
    func testErrorsWithLineNumbers() throws {
        XCTAssertEqual(try error("include table ok\nincluded table x\n"),
                       "on line 2: invalid filter command (expected \"include\" or \"exclude\")")
        XCTAssertEqual(try error("\n\nexclude\n"), "on line 3: missing filter object type")
        XCTAssertEqual(try error("include tables x\n"), "on line 1: unsupported filter object type: \"tables\"")
        XCTAssertEqual(try error("# c\ninclude table\n"), "on line 2: missing object name pattern")
        // read_pattern checks for the end of the line only: a pattern that is all comment
        // is an empty pattern, not an error.
        XCTAssertEqual(try read("include table   # only a comment\n"), [item(.include, .table, "")])
        // An unterminated quote: the end of file is reported on the last line read.
        XCTAssertEqual(try error("include table \"abc\ndef\n"), "on line 2: unexpected end of file")
    }

    /// A keyword is the whole run of non-blank bytes, as pg_dump 17.11 reads it (checked by
    /// hand: `pg_dump --filter` with these lines prints these messages): "table-data" is an
    /// unknown type, not "table" followed by a pattern, and "1nclude" an invalid command.
    func testKeywordIsTheWholeWord() throws {
        XCTAssertEqual(try error("include table-data x\n"), "on line 1: unsupported filter object type: \"table-data\"")
        XCTAssertEqual(try error("1nclude table x\n"), "on line 1: invalid filter command (expected \"include\" or \"exclude\")")
    }

    /// pg_log_filter_error formats into a 256-byte buffer: the message is cut at 255 bytes.
    func testLongMessageIsCutAt255Bytes() throws {
        let long = String(repeating: "x", count: 400)
        let message = try error("include \(long) y\n")
        XCTAssertEqual(message, "on line 1: " + String("unsupported filter object type: \"\(long)\"".prefix(255)))
    }

    /// What the tool refuses (pg_dump's "%s filter for \"%s\" is not allowed", with
    /// filter_object_type_name's words) is reported on that item's line, and stops the read.
    func testToolRefusalIsReportedOnItsLine() throws {
        var seen: [FilterItem] = []
        let message = try error("include table a\n\ninclude table_data b\ninclude table c\n") { item in
            seen.append(item)
            return item.objectType == .tableData ? "include filter for \"\(item.objectType.displayName)\" is not allowed" : nil
        }
        XCTAssertEqual(message, "on line 3: include filter for \"table data\" is not allowed")
        XCTAssertEqual(seen.map(\.pattern), ["a", "b"])
    }

    /// filter_object_type_name.
    func testDisplayNames() {
        XCTAssertEqual(FilterObjectType.tableData.displayName, "table data")
        XCTAssertEqual(FilterObjectType.tableDataAndChildren.displayName, "table data and children")
        XCTAssertEqual(FilterObjectType.foreignData.displayName, "foreign data")
        XCTAssertEqual(FilterObjectType.tableAndChildren.displayName, "table and children")
        XCTAssertEqual(FilterObjectType.extension.displayName, "extension")
    }

    /// filter_init: "could not open filter file \"%s\": %m".
    func testMissingFile() {
        XCTAssertThrowsError(try FilterFile.read("/nonexistent/filter.txt") { _ in nil }) {
            XCTAssertEqual("\($0)", "could not open filter file \"/nonexistent/filter.txt\": No such file or directory")
        }
    }

    /// A file without a final newline still gives its last item.
    func testLastLineWithoutNewline() throws {
        XCTAssertEqual(try read("include table a\nexclude table b"), [item(.include, .table, "a"), item(.exclude, .table, "b")])
    }
}
