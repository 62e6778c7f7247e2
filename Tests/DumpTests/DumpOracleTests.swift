import Archive
import Foundation
import TestSupport
import XCTest

/// cbdump against the oracle: the fixture database is dumped by pg_dump 15 and by cbdump.
/// Every TOC entry of the kinds cbdump makes so far (all but the later issue's) must be
/// there, in pg_dump's order, with definition, drop statement, COPY statement, owner,
/// tablespace, access method, section and dependencies identical, and every table's data
/// and the large objects' data identical; every available pg_restore must read our archive.
final class DumpOracleTests: XCTestCase {
    /// Entry types of the later issue (text search, foreign data, publications,
    /// subscriptions), which cbdump does not make yet, and pg_dump 17's grouped large objects
    /// (never in a pg_dump 15 archive); comments and ACLs are recognised by the tag's prefix.
    static let laterKinds: Set<String> = [
        "PUBLICATION", "PUBLICATION TABLE", "PUBLICATION TABLES IN SCHEMA", "SUBSCRIPTION",
        "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "TEXT SEARCH DICTIONARY",
        "TEXT SEARCH CONFIGURATION", "FOREIGN DATA WRAPPER", "SERVER", "USER MAPPING",
        "BLOB METADATA",
    ]
    static let laterTagPrefixes = ["PUBLICATION ", "SUBSCRIPTION ", "TEXT SEARCH ", "FOREIGN DATA WRAPPER ",
                                   "SERVER ", "FOREIGN SERVER "]

    static func isLater(_ te: TocEntry) -> Bool {
        if laterKinds.contains(te.desc) { return true }
        let tag = String(decoding: te.tag, as: UTF8.self)
        return (te.desc == "COMMENT" || te.desc == "ACL" || te.desc == "SECURITY LABEL")
            && laterTagPrefixes.contains { tag.hasPrefix($0) }
    }

    nonisolated(unsafe) static var cluster: TestCluster?
    nonisolated(unsafe) static var workDir = ""

    override class func setUp() {
        super.setUp()
        do {
            let c = try TestCluster(major: 15)
            cluster = c
            workDir = NSTemporaryDirectory() + "cbdump-oracle-\(getpid())"
            try? FileManager.default.removeItem(atPath: workDir)
            try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
            try c.createDatabase("fx")
            guard let root = ProcessRunner.repositoryRoot else { return }
            let dir = root + "/Fixtures/schemas"
            for f in try FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasSuffix(".sql") }).sorted() {
                try c.psqlFile(dir + "/" + f, db: "fx")
            }
        } catch {
            print("DumpOracleTests setup failed: \(error)")
        }
    }

    override class func tearDown() {
        cluster?.stop()
        try? FileManager.default.removeItem(atPath: workDir)
        super.tearDown()
    }

    func dumpBoth() throws -> (ref: String, ours: String) {
        guard let c = Self.cluster, let bin = PGBinaries.major(15) else { throw XCTSkip("no PostgreSQL 15 cluster") }
        let ref = Self.workDir + "/ref.dump", ours = Self.workDir + "/ours.dump"
        if !FileManager.default.fileExists(atPath: ours) {
            _ = try Oracle.pgDump(bin, cluster: c, db: "fx", args: ["-Fc", "-f", ref])
            let r = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-f", ours] + c.connectionArgs(db: "fx"))
            XCTAssertEqual(r.status, 0, "cbdump failed: \(r.stderrString)")
        }
        return (ref, ours)
    }

    final class Collector: DataReceiver {
        var bytes: [UInt8] = []
        func data(_ b: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: b) }
        func beginLargeObjects() throws {}
        func endLargeObjects() throws {}
        // Large-object boundaries go into the bytes too, so that they are compared.
        func beginLargeObject(_ oid: UInt32) throws { bytes += Array("<begin LO \(oid)>".utf8) }
        func endLargeObject(_ oid: UInt32) throws { bytes += Array("<end LO \(oid)>".utf8) }
    }

    func testEntriesAndDataMatchPgDump() throws {
        let (refPath, oursPath) = try dumpBoth()
        let ref = try ArchiveOpener.open(path: refPath), ours = try ArchiveOpener.open(path: oursPath)
        func s(_ b: [UInt8]?) -> String { b.map { String(decoding: $0, as: UTF8.self) } ?? "" }
        func key(_ te: TocEntry) -> String {
            te.desc + " " + s(te.namespace) + "." + s(te.tag)
        }
        var theirs: [String: TocEntry] = [:]
        var seen: [String: Int] = [:]
        func keyed(_ entries: [TocEntry]) -> [(String, TocEntry)] {
            seen = [:]
            return entries.filter { !Self.isLater($0) }.map { te in
                let k = key(te)
                seen[k, default: 0] += 1
                return (seen[k]! > 1 ? "\(k) #\(seen[k]!)" : k, te)
            }
        }
        let refEntries = keyed(ref.entries), ourEntries = keyed(ours.entries)
        for (k, te) in ourEntries { theirs[k] = te }
        XCTAssertEqual(ourEntries.map { $0.0 }, refEntries.map { $0.0 }, "entries or their order differ from pg_dump's")
        // Dependencies name other entries by dump ID, and the two archives number differently:
        // compare them by the entries they name (leaving out the kinds cbdump lacks).
        func depNames(_ entries: [(String, TocEntry)], all: [TocEntry]) -> [Int32: String] {
            var m: [Int32: String] = [:]
            for (k, te) in entries { m[te.dumpId] = k }
            for te in all where m[te.dumpId] == nil { m[te.dumpId] = "(later kind)" }
            return m
        }
        let refNames = depNames(refEntries, all: ref.entries), ourNames = depNames(ourEntries, all: ours.entries)
        var compared = 0, dataCompared = 0
        for (k, te) in refEntries {
            guard let mine = theirs.removeValue(forKey: k) else { XCTFail("cbdump lacks \(k)"); continue }
            XCTAssertEqual(s(mine.defn), s(te.defn), "\(k): definition")
            XCTAssertEqual(s(mine.dropStmt), s(te.dropStmt), "\(k): drop statement")
            XCTAssertEqual(s(mine.copyStmt), s(te.copyStmt), "\(k): COPY statement")
            XCTAssertEqual(s(mine.owner), s(te.owner), "\(k): owner")
            XCTAssertEqual(s(mine.tablespace), s(te.tablespace), "\(k): tablespace")
            XCTAssertEqual(s(mine.tableam), s(te.tableam), "\(k): table access method")
            XCTAssertEqual(mine.section, te.section, "\(k): section")
            let refDeps = te.dependencies.compactMap { refNames[$0] }.filter { $0 != "(later kind)" }
            let ourDeps = mine.dependencies.compactMap { ourNames[$0] }
            XCTAssertEqual(ourDeps, refDeps, "\(k): dependencies")
            compared += 1
            if te.desc == "TABLE DATA" || te.desc == "BLOBS" {
                let a = Collector(), b = Collector()
                try ref.readData(te, into: a, isDataRequired: { _ in false })
                try ours.readData(mine, into: b, isDataRequired: { _ in false })
                XCTAssertTrue(a.bytes == b.bytes, "\(k): data differs (\(a.bytes.count) vs \(b.bytes.count) bytes)")
                dataCompared += 1
            }
        }
        for k in theirs.keys.sorted() { XCTFail("cbdump has an entry pg_dump lacks: \(k)") }
        XCTAssertGreaterThan(compared, 500, "too few entries compared")
        print("compared \(compared) entries (\(dataCompared) with data) with pg_dump 15's")
    }

    func testEveryPgRestoreReadsOurArchive() throws {
        let (_, oursPath) = try dumpBoth()
        var readers = 0
        for major in PGBinaries.knownMajors {
            guard let bin = PGBinaries.major(major) else { continue }
            let r = try Oracle.pgRestore(bin, args: ["-l", oursPath], allowFailure: true)
            XCTAssertEqual(r.status, 0, "pg_restore \(major) -l: \(r.stderrString)")
            let s = try Oracle.pgRestore(bin, args: ["-f", "/dev/null", oursPath], allowFailure: true)
            XCTAssertEqual(s.status, 0, "pg_restore \(major) -f: \(s.stderrString)")
            readers += 1
        }
        XCTAssertGreaterThanOrEqual(readers, 1)
    }
}
