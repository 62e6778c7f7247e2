import Foundation
import XCTest
@testable import Archive
@testable import Restore

/// RestorePlan's selection (pg_restore's _tocEntryRequired, Archive/EntrySelection.swift) in process: what `-l` lists for
/// -n/-N/-t/-I/-P/-T, -s/-a/--section, -x and the --no-* options. No server, no PostgreSQL
/// programs. The fixture cases start from the `-l` pg_restore 15 printed for
/// small-pg15.custom.dump and apply _tocEntryRequired's rules (pg_backup_archiver.c, 15+):
/// - standalone entries: -n keeps an entry whose namespace is listed (no namespace: out),
///   -N drops one whose namespace is listed (no namespace: kept), and with -t/-I/-P/-T only
///   their kinds are kept ("TABLE", "TABLE DATA", "VIEW", "FOREIGN TABLE",
///   "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA", "SEQUENCE", "SEQUENCE SET" for -t;
///   "INDEX"; "FUNCTION", "AGGREGATE", "PROCEDURE"; "TRIGGER"), matched on the tag alone;
/// - ACL, COMMENT and SECURITY LABEL entries under any of those options follow their
///   parent: kept only when a dependency that is not an ACL is itself selected;
/// - entries without a data dumper carry no data, except SEQUENCE SET, BLOB and the large
///   objects' ACL/COMMENT/SECURITY LABEL, which are data only; -s keeps schema, -a data;
/// - a section not asked for drops its entries, and a SECTION_NONE entry counts as the
///   section of the entry before it.
final class RestoreSelectionTests: XCTestCase {
    static let pg15 = "small-pg15.custom.dump"

    /// The IDs `-l` lists with these options, in order.
    func listed(_ configure: (inout RestoreOptions) -> Void) throws -> [Int32] {
        var o = RestoreOptions()
        o.compatMajor = 15
        configure(&o)
        return PlanFixture.ids(try PlanFixture.listing(try RestorePlan(archive: try PlanFixture.archive(Self.pg15), options: o)))
    }

    /// All IDs of the recorded listing, in order.
    func recordedIds() throws -> [Int32] { PlanFixture.ids(try PlanFixture.recordedListing(Self.pg15)) }

    /// The recorded IDs without `drop`, order kept.
    func recorded(without drop: Set<Int32>) throws -> [Int32] { try recordedIds().filter { !drop.contains($0) } }

    func testNoOptionsListsTheRecordedEntries() throws {
        XCTAssertEqual(try listed { _ in }, try recordedIds())
        XCTAssertEqual(try recordedIds().count, 41)
    }

    /// -n app: app's table, view, sequence, their data, constraint and the comments that
    /// depend on them. SCHEMA app itself has no namespace, so it is out, and so is its comment.
    func testSchemaInclude() throws {
        XCTAssertEqual(try listed { $0.schemaNames = [Array("app".utf8)] },
                       [225, 3901, 3902, 226, 3903, 224, 3874, 3907, 3727])
    }

    /// -N app: the entries in app go, with the comments that follow them. SCHEMA app (no
    /// namespace) stays, with its comment. The ACL on show_trgm depends only on the
    /// extension member function, which is no entry of the archive: under a selectivity
    /// option it goes too.
    func testSchemaExclude() throws {
        XCTAssertEqual(try listed { $0.excludeSchemaNames = [Array("app".utf8)] },
                       try recorded(without: [225, 3901, 3902, 226, 3903, 224, 3874, 3907, 3727, 3900, 3892, 3893]))
    }

    /// -n and -N together: -N wins for an entry in both.
    func testSchemaIncludeAndExcludeSameName() throws {
        XCTAssertEqual(try listed { $0.schemaNames = [Array("app".utf8)]; $0.excludeSchemaNames = [Array("app".utf8)] }, [])
    }

    /// -t settings: the table, its data and its comments; not the view settings_view, not
    /// the sequence, not the constraint (-t selects relations only).
    func testTableSelection() throws {
        XCTAssertEqual(try listed { $0.selTable = true; $0.tableNames = [Array("settings".utf8)] }, [225, 3901, 3902, 3874])
        // -t matches the tag whatever the schema; two names: both.
        XCTAssertEqual(try listed { $0.selTable = true; $0.tableNames = [Array("tiny".utf8), Array("ticket_seq".utf8)] },
                       [224, 227, 3904, 3875, 3907])
    }

    /// -n with -t: both must hold.
    func testSchemaAndTable() throws {
        XCTAssertEqual(try listed {
            $0.schemaNames = [Array("data".utf8)]; $0.selTable = true; $0.tableNames = [Array("settings".utf8)]
        }, [])
    }

    /// -I on an archive with no INDEX entries (its keys are CONSTRAINT entries): nothing.
    func testIndexSelectionDoesNotTakeConstraints() throws {
        XCTAssertEqual(try listed { $0.selIndex = true; $0.indexNames = [Array("settings_pkey".utf8)] }, [])
    }

    /// -s: no TABLE DATA, SEQUENCE SET, BLOB, BLOBS nor the large object's ACL and comment.
    func testSchemaOnly() throws {
        XCTAssertEqual(try listed { $0.schemaOnly = true },
                       try recorded(without: [3874, 3875, 3907, 3876, 3877, 3905, 3906, 3878]))
    }

    /// -a: exactly the data entries.
    func testDataOnly() throws {
        XCTAssertEqual(try listed { $0.dataOnly = true }, [3876, 3877, 3905, 3906, 3874, 3875, 3907, 3878])
    }

    /// --section: BLOB entries are pre-data; COMMENT and ACL entries (SECTION_NONE) go with
    /// the section before them.
    func testSections() throws {
        XCTAssertEqual(try listed { $0.sections = [.data] }, [3874, 3875, 3907, 3878])
        XCTAssertEqual(try listed { $0.sections = [.postData] }, [3727, 3729])
        XCTAssertEqual(try listed { $0.sections = [.preData] },
                       try recorded(without: [3874, 3875, 3907, 3878, 3727, 3729]))
        XCTAssertEqual(try listed { $0.sections = [.preData, .postData] },
                       try recorded(without: [3874, 3875, 3907, 3878]))
    }

    /// -x: ACL entries go (_tocEntryIsACL: "ACL", "ACL LANGUAGE", "DEFAULT ACL").
    func testNoPrivileges() throws {
        XCTAssertEqual(try listed { $0.aclsSkip = true }, try recorded(without: [3893, 3900, 3906]))
    }

    /// --no-comments: every COMMENT entry goes.
    func testNoComments() throws {
        let comments: Set<Int32> = [3888, 3889, 3890, 3891, 3892, 3894, 3895, 3896, 3897, 3898, 3899, 3901, 3902, 3903, 3904, 3905]
        XCTAssertEqual(try listed { $0.noComments = true }, try recorded(without: comments))
    }

    /// The ENCODING, STDSTRINGS and SEARCHPATH entries are read before anything is selected
    /// (the script's first SET lines, recorded in small-pg15.custom.dump.sql).
    func testSpecialEntries() throws {
        let plan = try RestorePlan(archive: try PlanFixture.archive(Self.pg15), options: RestoreOptions())
        XCTAssertEqual(plan.encoding, "UTF8")
        XCTAssertTrue(plan.standardConformingStrings)
        XCTAssertEqual(plan.searchPath.map { String(decoding: $0, as: UTF8.self) }, "SELECT pg_catalog.set_config('search_path', '', false);\n")
        for te in plan.archive.entries where ["ENCODING", "STDSTRINGS", "SEARCHPATH"].contains(te.desc) {
            XCTAssertEqual(plan.reqs(of: te), .special, te.desc)
        }
    }

    // MARK: - Hand-built archives: -I, -P, -T and the kinds -t takes

    static func builtPlan(_ entries: [TocEntry], _ configure: (inout RestoreOptions) -> Void) throws -> RestorePlan {
        var o = RestoreOptions()
        configure(&o)
        return try RestorePlan(archive: BuiltArchive(entries), options: o)
    }

    static var kinds: [TocEntry] { [
        BuiltArchive.entry(1, "SCHEMA", "s", ns: nil),
        BuiltArchive.entry(2, "TABLE", "t", ns: "s"),
        BuiltArchive.entry(3, "VIEW", "v", ns: "s"),
        BuiltArchive.entry(4, "MATERIALIZED VIEW", "mv", ns: "s"),
        BuiltArchive.entry(5, "FOREIGN TABLE", "ft", ns: "s"),
        BuiltArchive.entry(6, "SEQUENCE", "seq", ns: "s"),
        BuiltArchive.entry(7, "FUNCTION", "f(integer)", ns: "s"),
        BuiltArchive.entry(8, "AGGREGATE", "agg(integer)", ns: "s"),
        BuiltArchive.entry(9, "PROCEDURE", "p()", ns: "s"),
        BuiltArchive.entry(10, "TYPE", "ty", ns: "s"),
        BuiltArchive.entry(11, "COMMENT", "FUNCTION f(integer)", ns: "s", section: .none, deps: [7]),
        BuiltArchive.entry(12, "TABLE DATA", "t", ns: "s", section: .data, defn: nil, dumper: true, deps: [2]),
        BuiltArchive.entry(13, "MATERIALIZED VIEW DATA", "mv", ns: "s", section: .postData, deps: [4]),
        BuiltArchive.entry(14, "INDEX", "t_idx", ns: "s", section: .postData, deps: [2]),
        BuiltArchive.entry(15, "TRIGGER", "t trg", ns: "s", section: .postData, deps: [2]),
        BuiltArchive.entry(16, "CONSTRAINT", "t t_pkey", ns: "s", section: .postData, deps: [2]),
        BuiltArchive.entry(17, "ACL", "TABLE t", ns: "s", section: .none, deps: [2]),
        BuiltArchive.entry(18, "ACL", "COLUMN t.c", ns: "s", section: .none, deps: [2, 17]),
    ] }

    static func selected(_ configure: (inout RestoreOptions) -> Void) throws -> [Int32] {
        let plan = try builtPlan(kinds, configure)
        return plan.order.filter { !plan.reqs(of: $0).intersection([.schema, .data]).isEmpty }.map(\.dumpId)
    }

    /// -t with no name list behind it selects every relation kind pg_restore's -t covers.
    func testTableKinds() throws {
        XCTAssertEqual(try Self.selected { $0.selTable = true }, [2, 3, 4, 5, 6, 12, 13, 17, 18])
    }

    /// -P: FUNCTION, AGGREGATE and PROCEDURE by tag (name with argument types), and the
    /// comment on the selected function.
    func testFunctionSelection() throws {
        XCTAssertEqual(try Self.selected { $0.selFunction = true }, [7, 8, 9, 11])
        XCTAssertEqual(try Self.selected { $0.selFunction = true; $0.functionNames = [Array("f(integer)".utf8)] }, [7, 11])
        XCTAssertEqual(try Self.selected { $0.selFunction = true; $0.functionNames = [Array("f".utf8)] }, [])
    }

    /// -I and -T: INDEX and TRIGGER by tag; the table's ACLs follow no index or trigger.
    func testIndexAndTriggerSelection() throws {
        XCTAssertEqual(try Self.selected { $0.selIndex = true; $0.indexNames = [Array("t_idx".utf8)] }, [14])
        XCTAssertEqual(try Self.selected { $0.selTrigger = true; $0.triggerNames = [Array("t trg".utf8)] }, [15])
        // Several kinds at once: their union.
        XCTAssertEqual(try Self.selected {
            $0.selIndex = true; $0.indexNames = [Array("t_idx".utf8)]
            $0.selTrigger = true; $0.triggerNames = [Array("t trg".utf8)]
        }, [14, 15])
    }

    /// A column ACL depends on its table and on the table's ACL; the ACL dependency is
    /// ignored, so with the table out (-t of another name) both ACLs are out, and with -x
    /// both are out whatever is selected.
    func testAclFollowsItsParentNotAnotherAcl() throws {
        XCTAssertEqual(try Self.selected { $0.selTable = true; $0.tableNames = [Array("v".utf8)] }, [3])
        XCTAssertEqual(try Self.selected { $0.selTable = true; $0.tableNames = [Array("t".utf8)]; $0.aclsSkip = true }, [2, 12])
    }

    /// --strict-names: the first name that no entry reached, as pg_restore's
    /// StrictNamesCheck words it ("%s \"%s\" not found"), schemas first.
    func testStrictNamesReportsTheFirstUnmatched() throws {
        let plan = try Self.builtPlan(Self.kinds) {
            $0.selTable = true; $0.tableNames = [Array("t".utf8), Array("nope".utf8)]
            $0.selFunction = true; $0.functionNames = [Array("gone()".utf8)]
        }
        XCTAssertEqual(plan.unmatchedNames(), "table \"nope\" not found")
        let schemas = try Self.builtPlan(Self.kinds) { $0.schemaNames = [Array("x".utf8)]; $0.selTable = true; $0.tableNames = [Array("zz".utf8)] }
        XCTAssertEqual(schemas.unmatchedNames(), "schema \"x\" not found")
        let all = try Self.builtPlan(Self.kinds) { $0.schemaNames = [Array("s".utf8)] }
        XCTAssertNil(all.unmatchedNames())
    }

    /// An entry with no dumper and no definition has nothing to restore; "<Init>"/"Max OID"
    /// is always ignored; a "-- load via partition root" TABLE DATA keeps its data only.
    func testEntriesWithoutContent() throws {
        let entries = [
            BuiltArchive.entry(1, "SCHEMA", "public", ns: nil, defn: ""),
            BuiltArchive.entry(2, "<Init>", "Max OID", ns: nil),
            BuiltArchive.entry(3, "TABLE DATA", "p1", section: .data, defn: "-- load via partition root public.p\n", dumper: true),
            BuiltArchive.entry(4, "SEQUENCE SET", "seq", section: .data),
        ]
        let plan = try Self.builtPlan(entries) { _ in }
        XCTAssertEqual(plan.reqs(of: entries[0]), [])
        XCTAssertEqual(plan.reqs(of: entries[1]), [])
        XCTAssertEqual(plan.reqs(of: entries[2]), .data)
        XCTAssertEqual(plan.reqs(of: entries[3]), .data)
    }

    /// DATABASE entries, and ACL/COMMENT entries tagged "DATABASE ...", go only with -C.
    func testDatabaseEntriesNeedCreate() throws {
        let entries = [
            BuiltArchive.entry(1, "DATABASE", "db", ns: nil),
            BuiltArchive.entry(2, "COMMENT", "DATABASE db", ns: nil, section: .none, deps: [1]),
        ]
        let without = try Self.builtPlan(entries) { _ in }
        XCTAssertEqual(entries.map { without.reqs(of: $0) }, [[], []])
        let with = try Self.builtPlan(entries) { $0.createDB = true }
        XCTAssertEqual(entries.map { with.reqs(of: $0) }, [.schema, .schema])
    }

    /// processEncodingEntry/processStdStringsEntry refuse what they cannot read.
    func testBadSpecialEntries() throws {
        let enc = BuiltArchive.entry(1, "ENCODING", "ENCODING", ns: nil, defn: "SET client_encoding = 'NOPE';\n")
        XCTAssertThrowsError(try Self.builtPlan([enc]) { _ in }) { XCTAssertEqual("\($0)", "unrecognized encoding \"NOPE\"") }
        let std = BuiltArchive.entry(1, "STDSTRINGS", "STDSTRINGS", ns: nil, defn: "SET standard_conforming_strings = 'maybe';\n")
        XCTAssertThrowsError(try Self.builtPlan([std]) { _ in }) {
            XCTAssertEqual("\($0)", "invalid STDSTRINGS item: SET standard_conforming_strings = 'maybe';\n")
        }
    }
}
