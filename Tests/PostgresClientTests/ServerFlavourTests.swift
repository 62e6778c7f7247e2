import XCTest
@testable import PostgresClient

/// Flavour detection and the segment/utility refusal, from the facts of cloudberry.md §1.
final class ServerFlavourTests: XCTestCase {
    func testCloudberryApache() {
        let i = ServerInfo.parse(version: "PostgreSQL 14.4 (Apache Cloudberry 2.0.0-incubating build 1) on x86_64-pc-linux-gnu, compiled by gcc", gpRole: "dispatch")
        XCTAssertEqual(i.flavour, .cloudberry)
        XCTAssertEqual(i.release, ForkRelease(major: 2, minor: 0, patch: 0, text: "2.0.0-incubating"))
        XCTAssertTrue(i.isMPP)
    }

    func testCloudberryDatabase() {
        let i = ServerInfo.parse(version: "PostgreSQL 14.4 (Cloudberry Database 1.6.0 build 5) on x86_64-pc-linux-gnu, ...", gpRole: "dispatch")
        XCTAssertEqual(i.flavour, .cloudberry)
        XCTAssertEqual(i.release?.major, 1)
        XCTAssertEqual(i.release?.minor, 6)
        XCTAssertEqual(i.release?.text, "1.6.0")
    }

    func testGreenplum7() {
        let i = ServerInfo.parse(version: "PostgreSQL 12.12 (Greenplum Database 7.1.0 build 1) on x86_64-pc-linux-gnu, ...", gpRole: "dispatch")
        XCTAssertEqual(i.flavour, .greenplum)
        XCTAssertEqual(i.release, ForkRelease(major: 7, minor: 1, patch: 0, text: "7.1.0"))
    }

    func testForkOfForkSecondParenthesis() {
        // A "first parenthesis" parser would take MatrixDB's release.
        let i = ServerInfo.parse(version: "PostgreSQL 12 (MatrixDB 5.0.0-community~alpha) (Greenplum Database 7.0.0 build dev) on x86_64", gpRole: "dispatch")
        XCTAssertEqual(i.flavour, .greenplum)
        XCTAssertEqual(i.release?.major, 7)
        XCTAssertEqual(i.release?.text, "7.0.0")
    }

    func testPlainPostgresIgnoresNameWithoutGpRole() {
        XCTAssertEqual(ServerInfo.parse(version: "PostgreSQL 15.18 (Debian 15.18-1.pgdg120+1) on x86_64", gpRole: nil).flavour, .postgres)
        // gp_role decides: a PostgreSQL whose version text mentions a fork is still PostgreSQL.
        let i = ServerInfo.parse(version: "PostgreSQL 15.1 (Greenplum Database 7.1.0 build 1)", gpRole: nil)
        XCTAssertEqual(i.flavour, .postgres)
        XCTAssertNil(i.release)
        XCTAssertFalse(i.isMPP)
    }

    func testUnknownForkWithGpRole() {
        let i = ServerInfo.parse(version: "PostgreSQL 12.1 (SomeFork 3.2) on x86_64", gpRole: "dispatch")
        XCTAssertEqual(i.flavour, .greenplum)
        XCTAssertNil(i.release)
    }

    func testSessionRefusal() {
        XCTAssertNil(MPPSessionRefusal.check(gpRole: "dispatch", contentId: -1, singleNode: false, primarySegments: nil))
        XCTAssertNotNil(MPPSessionRefusal.check(gpRole: "execute", contentId: nil, singleNode: false, primarySegments: nil))
        let seg = MPPSessionRefusal.check(gpRole: "utility", contentId: 1, singleNode: false, primarySegments: nil)
        XCTAssertTrue(seg?.description.contains("segment 1") ?? false)
        let util = MPPSessionRefusal.check(gpRole: "utility", contentId: -1, singleNode: false, primarySegments: 2)
        XCTAssertTrue(util?.description.contains("utility-mode connection to a cluster with 2 segments") ?? false, util?.description ?? "nil")
        // Cloudberry's single-node mode, and a coordinator with no segments, see everything.
        XCTAssertNil(MPPSessionRefusal.check(gpRole: "utility", contentId: -1, singleNode: true, primarySegments: nil))
        XCTAssertNil(MPPSessionRefusal.check(gpRole: "utility", contentId: -1, singleNode: false, primarySegments: 0))
        // Unknown segment count in utility mode: refuse rather than guess.
        XCTAssertNotNil(MPPSessionRefusal.check(gpRole: "utility", contentId: -1, singleNode: false, primarySegments: nil))
        XCTAssertNotNil(MPPSessionRefusal.check(gpRole: "bogus", contentId: nil, singleNode: false, primarySegments: nil))
    }
}
