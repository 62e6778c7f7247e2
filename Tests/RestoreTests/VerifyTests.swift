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
}
