import Foundation
import XCTest
@testable import Archive
@testable import Restore

/// pg_restore's `-l` (PrintTOCSummary) and `-L` (SortTocFromFile), in process, with no
/// server and no PostgreSQL programs. Expected text is the `-l` each fixture's own
/// pg_restore printed (Fixtures/archives/*.list), rearranged by SortTocFromFile's rules where
/// a use-list is given.
final class TocListingTests: XCTestCase {
    static let pg15 = "small-pg15.custom.dump"

    func plan(_ name: String = pg15, _ configure: (inout RestoreOptions) -> Void = { _ in }) throws -> RestorePlan {
        var o = RestoreOptions()
        o.compatMajor = Int(name.dropFirst("small-pg".count).prefix(2)) ?? 15
        configure(&o)
        return try RestorePlan(archive: try PlanFixture.archive(name), options: o)
    }

    /// Header lines (the summary) and the entry lines of the recorded listing.
    func recorded(_ name: String = pg15) throws -> (head: String, entries: [String]) {
        let text = try PlanFixture.recordedListing(name)
        let head = text.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix(";") }
        return (head.joined(separator: "\n") + "\n", PlanFixture.entryLines(text))
    }

    /// Every custom, tar and directory fixture of every major gives its recorded listing
    /// byte for byte (compression shown as a level up to 15, as a name from 16).
    func testListingEqualsRecordedPgRestoreListing() throws {
        let dir = try PlanFixture.root() + "/Fixtures/archives"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasPrefix("small-pg") && !$0.hasSuffix(".list") && !$0.hasSuffix(".sql") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20)
        for name in names {
            XCTAssertEqual(try PlanFixture.listing(try plan(name)), try PlanFixture.recordedListing(name), name)
        }
    }

    /// -O changes ownership commands in a script, never what -l lists: PrintTOCSummary prints
    /// the owner field whatever ropt->noOwner says.
    func testNoOwnerLeavesTheListingAlone() throws {
        XCTAssertEqual(try PlanFixture.listing(try plan { $0.noOwner = true }), try PlanFixture.recordedListing(Self.pg15))
    }

    /// A line that carries a newline in a name: sanitize_line turns CR and LF into spaces,
    /// and a NULL namespace into "-" (the owner's NULL into nothing).
    func testSanitizedNamesAndNullFields() throws {
        let te = BuiltArchive.entry(1, "TABLE", "two\nlines\r", ns: nil)
        te.owner = nil
        let listing = try PlanFixture.listing(try RestorePlan(archive: BuiltArchive([te]), options: RestoreOptions()))
        XCTAssertEqual(PlanFixture.entryLines(listing), ["1; 0 0 TABLE - two lines  "])
        XCTAssertTrue(listing.hasPrefix(";\n; Archive created at [unknown]\n;     dbname: db\n;     TOC Entries: 1\n;     Compression: -1\n"), listing)
    }

    /// PrintTOCSummary with -v: every entry is listed whatever its reqs (ENCODING too), each
    /// followed by ";\tdepends on: N N" when it has dependencies.
    func testVerboseListsEveryEntryAndItsDependencies() throws {
        let plan = try self.plan { $0.verbose = true }
        let listing = try PlanFixture.listing(plan)
        XCTAssertEqual(PlanFixture.ids(listing).count, plan.archive.entries.count)
        XCTAssertTrue(PlanFixture.entryLines(listing).contains { $0.hasSuffix(" ENCODING - ENCODING ") }, listing)
        for te in plan.archive.entries where !te.dependencies.isEmpty {
            XCTAssertTrue(listing.contains(";\tdepends on:" + te.dependencies.map { " \($0)" }.joined() + "\n"), "\(te.dumpId)")
        }
        let lines = listing.split(separator: "\n").map(String.init)
        let table = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("225; ") })
        XCTAssertTrue(lines[table + 1].hasPrefix(";\tdepends on:"), lines[table + 1])
    }

    // MARK: - -L

    /// SortTocFromFile: each listed entry moves to the end in the file's order and only those
    /// are wanted. The recorded listing's own lines, reversed, come back reversed.
    func testUseListReordersAndSelects() throws {
        let (head, lines) = try recorded()
        let reversed = lines.reversed().joined(separator: "\n") + "\n"
        let listing = try PlanFixture.withListFile(reversed) { path in
            try PlanFixture.listing(try plan { $0.useListFile = path })
        }
        XCTAssertEqual(listing, head + lines.reversed().joined(separator: "\n") + "\n")
    }

    /// A subset in a new order: only those, in that order; the summary (TOC Entries counts
    /// the whole archive) is unchanged.
    func testUseListSubset() throws {
        let (head, lines) = try recorded()
        let pick = [lines[30], lines[2], lines[0]]
        let listing = try PlanFixture.withListFile(pick.joined(separator: "\n") + "\n") { path in
            try PlanFixture.listing(try plan { $0.useListFile = path })
        }
        XCTAssertEqual(listing, head + pick.joined(separator: "\n") + "\n")
    }

    /// The use-list's own syntax, as SortTocFromFile reads it: text after ";" is a comment;
    /// all-blank lines are skipped; the ID is strtol's (leading blanks and "+", stops at the
    /// first non-digit); an ID that strtol cannot read, <= 0, above maxDumpId, or already
    /// seen is warned "line ignored: %s" and skipped.
    func testUseListSyntaxAndIgnoredLines() throws {
        let text = """
        ; a comment line
        \t
          +225xyz ; TABLE settings, with a sign and junk after the digits
        abc
        0
        -3
        999999
        225
        227;
        """
        let plan = try PlanFixture.withListFile(text + "\n") { path in try self.plan { $0.useListFile = path } }
        XCTAssertEqual(PlanFixture.ids(try PlanFixture.listing(plan)), [225, 227])
        XCTAssertEqual(plan.warnings, ["line ignored: abc", "line ignored: 0", "line ignored: -3",
                                       "line ignored: 999999", "line ignored: 225"])
    }

    /// An ID within 1...maxDumpId that names no entry: "could not find entry for ID %d".
    func testUseListIdWithoutEntryIsAnError() throws {
        let ids = Set(try PlanFixture.archive(Self.pg15).entries.map(\.dumpId))
        let missing = try XCTUnwrap((1..<3000).first { !ids.contains(Int32($0)) })
        XCTAssertThrowsError(try PlanFixture.withListFile("\(missing)\n") { path in try plan { $0.useListFile = path } }) {
            XCTAssertEqual("\($0)", "could not find entry for ID \(missing)")
        }
    }

    /// "could not open TOC file \"%s\": %m".
    func testMissingUseListFile() throws {
        XCTAssertThrowsError(try plan { $0.useListFile = "/nonexistent/use.list" }) {
            XCTAssertEqual("\($0)", "could not open TOC file \"/nonexistent/use.list\": No such file or directory")
        }
    }

    /// strtol(s, &end, 10), on its own.
    func testStrtol() {
        XCTAssertEqual(RestorePlan.strtol(Array(" \t+42;x".utf8)).0, 42)
        XCTAssertEqual(RestorePlan.strtol(Array("-7".utf8)).0, -7)
        XCTAssertFalse(RestorePlan.strtol(Array("- 7".utf8)).1)
        XCTAssertFalse(RestorePlan.strtol(Array("".utf8)).1)
    }
}
