import Archive
import Foundation
import Restore
import TestSupport
import XCTest

/// ArchiveVerifier on the committed pg_dump 15-18 archives: all sound; damaged copies not.
final class VerifyTests: XCTestCase {
    func testCommittedFixturesVerifyClean() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let dir = root + "/Fixtures/archives"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasPrefix("small-pg") && !$0.hasSuffix(".list") && !$0.hasSuffix(".sql")
        }
        XCTAssertGreaterThanOrEqual(names.count, 20)
        for name in names {
            let results = ArchiveVerifier(reader: try ArchiveOpener.open(path: dir + "/" + name)).run()
            XCTAssertFalse(results.isEmpty, name)
            for r in results { XCTAssertTrue(r.isSound, "\(name) \(r.name): \(r.problems)") }
            XCTAssertTrue(results.contains { ($0.rows ?? 0) > 0 }, name)
        }
    }

    func testCopyColumnCount() {
        XCTAssertEqual(ArchiveVerifier.copyColumnCount(Array("COPY public.t (a, b, \"c, (d)\") FROM stdin;\n".utf8)), 3)
        XCTAssertEqual(ArchiveVerifier.copyColumnCount(Array("COPY public.t  FROM stdin;\n".utf8)), 0)
        XCTAssertEqual(ArchiveVerifier.copyColumnCount(Array("COPY \"s(x\".t (a) FROM stdin;\n".utf8)), 1)
    }

    /// A flipped byte inside a gzip and a zstd data block fails with the entry named.
    func testDamagedDataIsReported() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        for name in ["small-pg16.custom.dump", "small-pg17.custom-zstd.dump"] {
            let path = root + "/Fixtures/archives/" + name
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let reader = try ArchiveOpener.open(path: path)
            let te = try XCTUnwrap(reader.entries.filter { $0.desc == "TABLE DATA" && $0.dataState == .posSet }.max { $0.dataPos < $1.dataPos })
            let at = Int(te.dataPos) + 20
            bytes[at] ^= 0xff
            let tmp = NSTemporaryDirectory() + "verify-\(getpid())-\(name)"
            defer { try? FileManager.default.removeItem(atPath: tmp) }
            FileManager.default.createFile(atPath: tmp, contents: Data(bytes))
            let results = ArchiveVerifier(reader: try ArchiveOpener.open(path: tmp)).run()
            let bad = results.filter { !$0.isSound }
            XCTAssertEqual(bad.map(\.dumpId), [te.dumpId], "\(name): \(results.map { ($0.name, $0.problems) })")
        }
    }
}
