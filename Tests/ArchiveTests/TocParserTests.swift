import Foundation
import TestSupport
import XCTest
@testable import Archive

/// TocParser on its own: the archive primitives, a custom-format header and TOC built here
/// byte by byte, the committed fixture archives (checked against the `-l` their own
/// pg_restore printed), and damaged input. No server, no PostgreSQL programs.
///
/// The layout is pg_backup_archiver.c's: WriteInt/ReadInt (a sign byte, then `intSize`
/// bytes least significant first; no sign byte before 1.1), WriteStr/ReadStr (an Int length,
/// -1 for NULL, then the bytes), WriteHead/ReadHead and WriteToc/ReadToc.
final class TocParserTests: XCTestCase {
    // MARK: - Building archives

    /// Bytes as pg_dump's WriteInt/WriteStr write them (intSize 4).
    struct Writer {
        var bytes: [UInt8] = []
        mutating func byte(_ b: UInt8) { bytes.append(b) }
        mutating func int(_ v: Int32) {
            bytes.append(v < 0 ? 1 : 0)
            var m = UInt32(v.magnitude)
            for _ in 0..<4 { bytes.append(UInt8(m & 0xff)); m >>= 8 }
        }
        mutating func str(_ s: String?) {
            guard let s else { int(-1); return }
            int(Int32(s.utf8.count))
            bytes += Array(s.utf8)
        }
        /// WriteOffset: a flag byte, then `offSize` (8) bytes least significant first.
        mutating func offset(_ state: DataState, _ pos: UInt64) {
            byte(state.rawValue)
            var p = pos
            for _ in 0..<8 { bytes.append(UInt8(p & 0xff)); p >>= 8 }
        }
    }

    struct Entry {
        var id: Int32
        var hadDumper = false
        var tableOid = "0", oid = "0"
        var tag = "t", desc = "TABLE"
        var section: Int32 = 2
        var defn: String? = "CREATE TABLE t ();\n"
        var namespace: String? = "public"
        var owner: String? = "postgres"
        var deps: [String] = []
    }

    /// A 1.14 custom-format header (WriteHead) and TOC (WriteToc with the custom format's
    /// WriteExtraToc, the data offset), with `count` overriding the entry count.
    static func customArchive(_ entries: [Entry], count: Int32? = nil, version: (UInt8, UInt8) = (1, 14),
                              format: UInt8 = 1, intSize: UInt8 = 4) -> (bytes: [UInt8], tocStart: Int, entryStarts: [Int]) {
        var w = Writer()
        w.bytes += Array("PGDMP".utf8)
        w.byte(version.0); w.byte(version.1); w.byte(0)
        w.byte(intSize); w.byte(8); w.byte(format)
        w.int(-1)                                  // compression level (before 1.15)
        for v: Int32 in [56, 34, 12, 29, 1, 124, 0] { w.int(v) }  // tm_sec ... tm_isdst
        w.str("db1")
        w.str("15.4")
        w.str("15.4")
        let tocStart = w.bytes.count
        w.int(count ?? Int32(entries.count))
        var starts: [Int] = []
        for e in entries {
            starts.append(w.bytes.count)
            w.int(e.id)
            w.int(e.hadDumper ? 1 : 0)
            w.str(e.tableOid); w.str(e.oid)
            w.str(e.tag); w.str(e.desc)
            w.int(e.section)
            w.str(e.defn); w.str(nil)             // defn, dropStmt
            w.str(nil)                            // copyStmt
            w.str(e.namespace); w.str(nil)        // namespace, tablespace
            w.str("heap")                         // tableam (1.14)
            w.str(e.owner)
            w.str("false")                        // withOids
            for d in e.deps { w.str(d) }
            w.str(nil)                            // end of dependencies
            w.offset(e.hadDumper ? .posNotSet : .noData, 0)
        }
        return (w.bytes, tocStart, starts)
    }

    static func open(_ bytes: [UInt8]) throws -> CustomArchiveReader {
        try CustomArchiveReader(input: ByteInput(bytes: bytes, name: "built.dump"))
    }

    /// The ArchiveError `body` throws (failing the test if it throws something else or nothing).
    func archiveError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> ArchiveError? {
        do {
            try body()
            XCTFail("no error", file: file, line: line)
        } catch let e as ArchiveError {
            return e
        } catch {
            XCTFail("not an ArchiveError: \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: - Primitives

    /// ReadInt: sign byte then magnitude, least significant byte first.
    func testReadIntSignAndByteOrder() throws {
        var p = TocParser(ByteInput(bytes: [0, 0x01, 0x02, 0x00, 0x00,  1, 0x05, 0, 0, 0,  0, 0xff, 0xff, 0xff, 0x7f], name: "ints"))
        p.version = .v1_14
        XCTAssertEqual(try p.readInt(), 0x0201)
        XCTAssertEqual(try p.readInt(), -5)
        XCTAssertEqual(try p.readInt(), Int32.max)
        // 1.0 archives have no sign byte.
        var old = TocParser(ByteInput(bytes: [0x2a, 0, 0, 0], name: "old"))
        old.version = .v1_0
        XCTAssertEqual(try old.readInt(), 42)
    }

    /// ReadStr: a negative length is NULL; an empty string is not.
    func testReadStrNullEmptyAndBytes() throws {
        var w = Writer()
        w.str(nil); w.str(""); w.str("héllo")
        var p = TocParser(ByteInput(bytes: w.bytes, name: "strs"))
        p.version = .v1_14
        XCTAssertNil(try p.readStr())
        XCTAssertEqual(try p.readStr(), [])
        XCTAssertEqual(try p.readStr(), Array("héllo".utf8))
    }

    /// A string whose length runs past the end is reported at the length's own byte.
    func testStringLongerThanFileIsTruncatedAtItsLength() {
        var w = Writer()
        w.bytes = [0xaa, 0xbb]  // two bytes before the string
        w.int(1000)
        w.bytes += Array("short".utf8)
        var p = TocParser(ByteInput(bytes: w.bytes, name: "strs"))
        p.version = .v1_14
        _ = try? p.input.readBytes(2)
        let e = archiveError { _ = try p.readStr() }
        XCTAssertEqual(e?.kind, .truncated)
        XCTAssertEqual(e?.offset, 2)
    }

    /// sscanf("%u") / sscanf("%d") as ReadToc reads OIDs and dependencies.
    func testOidAndIntParsingFollowSscanf() {
        XCTAssertEqual(parseOid(Array("16391".utf8)), 16391)
        XCTAssertEqual(parseOid(Array(" 42abc".utf8)), 42)
        XCTAssertEqual(parseOid(Array("x1".utf8)), 0)
        XCTAssertEqual(parseOid(nil), 0)
        XCTAssertEqual(parseInt(Array("-7".utf8)), -7)
        XCTAssertEqual(parseInt(Array("+12 ".utf8)), 12)
        XCTAssertEqual(parseInt(Array("99999999999".utf8)), Int64(Int32.max))
    }

    // MARK: - A built archive

    func testBuiltHeaderAndTocAreReadBack() throws {
        let (bytes, _, _) = Self.customArchive([
            Entry(id: 7, tableOid: "1259", oid: "16400", tag: "t1", desc: "TABLE", section: 2, deps: ["3"]),
            Entry(id: 3, tableOid: "2615", oid: "2200", tag: "public", desc: "SCHEMA", section: 2, namespace: nil),
            Entry(id: 9, hadDumper: true, oid: "16400", tag: "t1", desc: "TABLE DATA", section: 3, defn: "", deps: ["7", "3"]),
        ])
        let a = try Self.open(bytes)
        XCTAssertEqual(a.header.version, .v1_14)
        XCTAssertEqual(a.header.intSize, 4)
        XCTAssertEqual(a.header.offSize, 8)
        XCTAssertEqual(a.header.compressionLevel, -1)
        XCTAssertEqual(a.header.compression, .gzip)
        XCTAssertEqual(a.header.createdTM, [56, 34, 12, 29, 1, 124, 0])
        XCTAssertEqual(a.header.dbname, Array("db1".utf8))
        XCTAssertEqual(a.header.serverVersion, Array("15.4".utf8))
        XCTAssertEqual(a.entries.map(\.dumpId), [7, 3, 9])
        let t = a.entries[0]
        XCTAssertEqual(t.tableOid, 1259); XCTAssertEqual(t.oid, 16400)
        XCTAssertEqual(t.desc, "TABLE"); XCTAssertEqual(t.section, .preData)
        XCTAssertEqual(t.namespace, Array("public".utf8)); XCTAssertEqual(t.tableam, Array("heap".utf8))
        XCTAssertEqual(t.dependencies, [3]); XCTAssertFalse(t.hadDumper); XCTAssertEqual(t.dataState, .noData)
        XCTAssertNil(a.entries[1].namespace)
        XCTAssertEqual(a.entries[2].dependencies, [7, 3])
        XCTAssertTrue(a.entries[2].hadDumper); XCTAssertEqual(a.entries[2].dataState, .posNotSet)
        XCTAssertEqual(a.entries[2].section, .data)
    }

    /// ReadHead: a level of 0 before 1.15 means no compression.
    func testCompressionLevelZeroIsNone() throws {
        var (bytes, _, _) = Self.customArchive([])
        // The level Int is right after the 8 fixed bytes: sign 0, then 0,0,0,0.
        bytes.replaceSubrange(11..<16, with: [0, 0, 0, 0, 0])
        let a = try Self.open(bytes)
        XCTAssertEqual(a.header.compressionLevel, 0)
        XCTAssertEqual(a.header.compression, .none)
        XCTAssertEqual(a.entries.count, 0)
    }

    // MARK: - Damaged input: ArchiveError with the offset of the bad item

    /// ReadHead: "unsupported version (%d.%d) in file header".
    func testNewerVersionIsRefused() {
        let (bytes, _, _) = Self.customArchive([], version: (1, 17))
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.kind, .unsupportedVersion)
        XCTAssertTrue(e?.message.hasPrefix("unsupported version (1.17) in file header") ?? false, e?.message ?? "")
    }

    /// ReadHead: "expected format (%d) differs from format found in file (%d)".
    func testFormatCodeMismatchIsReportedAtItsByte() {
        let (bytes, _, _) = Self.customArchive([], format: 3)
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.kind, .corrupt)
        XCTAssertEqual(e?.message, "expected format (1) differs from format found in file (3)")
        XCTAssertEqual(e?.offset, 10)  // "PGDMP", 1, 14, 0, intSize, offSize, then the format
    }

    /// ReadHead: "sanity check on integer size (%lu) failed".
    func testIntegerSizeSanityCheck() {
        let (bytes, _, _) = Self.customArchive([], intSize: 33)
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.message, "sanity check on integer size (33) failed")
        XCTAssertEqual(e?.offset, 8)
    }

    /// ReadToc: "entry ID %d out of range -- perhaps a corrupt TOC", at the entry.
    func testEntryIdZeroIsCorruptAtTheEntry() {
        let (bytes, _, starts) = Self.customArchive([Entry(id: 1), Entry(id: 0)])
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.kind, .corrupt)
        XCTAssertEqual(e?.message, "entry ID 0 out of range -- perhaps a corrupt TOC")
        XCTAssertEqual(e?.offset, Int64(starts[1]))
        XCTAssertEqual(e?.context, "in TOC entry 2 of 2 (starting at byte \(starts[1]))")
        XCTAssertEqual(e?.description, "could not read archive \"built.dump\": entry ID 0 out of range -- perhaps a corrupt TOC at byte \(starts[1]) in TOC entry 2 of 2 (starting at byte \(starts[1]))")
    }

    func testDuplicateEntryIdIsCorrupt() {
        let (bytes, _, starts) = Self.customArchive([Entry(id: 5), Entry(id: 5)])
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.message, "duplicate entry ID 5 -- perhaps a corrupt TOC")
        XCTAssertEqual(e?.offset, Int64(starts[1]))
    }

    func testNegativeEntryCountIsCorruptAtTheCount() {
        let (bytes, tocStart, _) = Self.customArchive([], count: -3)
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.message, "negative TOC entry count -3")
        XCTAssertEqual(e?.offset, Int64(tocStart))
    }

    /// Sections are 1 (none) to 4 (post-data), pg_backup.h's teSection.
    func testUnknownSectionCodeIsCorrupt() {
        let (bytes, _, _) = Self.customArchive([Entry(id: 1, section: 9)])
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.message, "unexpected section code 9")
        XCTAssertEqual(e?.context, "in TOC entry 1 of 1 (starting at byte \(Self.customArchive([Entry(id: 1)]).entryStarts[0]))")
    }

    /// A TOC that promises more entries than it has ends as truncated, inside the entry
    /// after the last whole one.
    func testMissingEntryIsTruncated() {
        let (bytes, _, _) = Self.customArchive([Entry(id: 1)], count: 2)
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.kind, .truncated)
        XCTAssertEqual(e?.offset, Int64(bytes.count))
        XCTAssertEqual(e?.context, "in TOC entry 2 of 2 (starting at byte \(bytes.count))")
    }

    /// Every cut inside the header or TOC of a built archive is an ArchiveError (never a
    /// crash, never a silently shorter TOC), at or before the cut.
    func testEveryCutOfTheTocFails() {
        let (bytes, _, _) = Self.customArchive([Entry(id: 1, deps: ["2"]), Entry(id: 2, hadDumper: true, desc: "TABLE DATA", section: 3)])
        for cut in 5..<bytes.count {
            let e = archiveError { _ = try Self.open(Array(bytes[..<cut])) }
            XCTAssertNotNil(e, "cut at \(cut)")
            if let offset = e?.offset { XCTAssertLessThanOrEqual(offset, Int64(cut), "cut at \(cut): \(e!)") }
        }
        XCTAssertNoThrow(try Self.open(bytes))
    }

    // MARK: - Committed fixtures, against the -l their own pg_restore printed

    /// Every custom archive under Fixtures/archives: the header agrees with the recorded
    /// listing's summary lines, and every listed entry (PrintTOCSummary's
    /// "%d; %u %u %s %s %s %s" line) is a parsed entry with those IDs, OIDs and desc.
    func testFixtureTocsAgreeWithRecordedListings() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let dir = root + "/Fixtures/archives"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasPrefix("small-pg") && $0.hasSuffix(".dump") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            let a = try Self.open(bytes)
            let list = try String(contentsOfFile: dir + "/" + name + ".list", encoding: .utf8)
            let lines = list.split(separator: "\n").map(String.init)
            XCTAssertTrue(lines.contains(";     TOC Entries: \(a.entries.count)"), name)
            XCTAssertTrue(lines.contains(";     Dump Version: \(a.header.version)"), name)
            XCTAssertTrue(lines.contains(";     Integer: \(a.header.intSize) bytes"), name)
            XCTAssertTrue(lines.contains(";     Offset: \(a.header.offSize) bytes"), name)
            XCTAssertTrue(lines.contains(";     dbname: \(String(decoding: a.header.dbname ?? [], as: UTF8.self))"), name)
            let byId = Dictionary(uniqueKeysWithValues: a.entries.map { ($0.dumpId, $0) })
            var checked = 0
            for line in lines where !line.hasPrefix(";") {
                guard let semi = line.firstIndex(of: ";"), let id = Int32(line[..<semi]), let te = byId[id] else {
                    XCTFail("\(name): listed entry not parsed: \(line)"); continue
                }
                XCTAssertTrue(line.hasPrefix("\(id); \(te.tableOid) \(te.oid) \(te.desc) "), "\(name): \(line)")
                checked += 1
            }
            XCTAssertGreaterThan(checked, 30, name)
        }
    }

    /// A fixture's TOC with one byte of an entry's section code changed: corrupt, reported
    /// at that Int and inside that entry.
    func testFixtureWithBadSectionCode() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/Fixtures/archives/small-pg15.custom.dump")))
        let good = try Self.open(bytes)
        // The first entry's section Int: find it by reading the TOC again up to that point.
        var p = TocParser(ByteInput(bytes: bytes, name: "x"))
        _ = try p.input.readBytes(5)
        _ = try p.readHeader(expectedFormat: 1)
        _ = try p.readInt()                                     // count
        let entryAt = p.input.position
        _ = try p.readInt(); _ = try p.readInt()                // id, hadDumper
        for _ in 0..<4 { _ = try p.readStr() }                  // tableoid, oid, tag, desc
        let sectionAt = Int(p.input.position)
        XCTAssertEqual(try p.readInt(), good.entries[0].section.rawValue)
        bytes[sectionAt + 1] = 0x63
        let e = archiveError { _ = try Self.open(bytes) }
        XCTAssertEqual(e?.kind, .corrupt)
        XCTAssertEqual(e?.message, "unexpected section code 99")
        XCTAssertEqual(e?.offset, Int64(sectionAt))
        XCTAssertEqual(e?.context, "in TOC entry 1 of \(good.entries.count) (starting at byte \(entryAt))")
    }
}
