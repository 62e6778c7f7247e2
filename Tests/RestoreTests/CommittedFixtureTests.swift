import Foundation
import TestSupport
import XCTest

/// The archives under Fixtures/archives, made by real pg_dump 15-18, with the `-l` listing and
/// script their own pg_restore printed: cbrestore must reproduce both byte for byte, from
/// the file and from a pipe. Needs no server.
final class CommittedFixtureTests: XCTestCase {
    func testListingsAndScriptsMatchRecordedPgRestoreOutput() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let dir = root + "/Fixtures/archives"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            !$0.hasSuffix(".list") && !$0.hasSuffix(".sql") && !$0.hasSuffix(".md") && $0.hasPrefix("small-pg")
        }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20, "fixture archives missing")
        var compared = 0
        for name in names {
            let path = dir + "/" + name
            let major = String(name.dropFirst("small-pg".count).prefix(2))
            let expectedList = try Data(contentsOf: URL(fileURLWithPath: path + ".list"))
            let expectedSQL = try Data(contentsOf: URL(fileURLWithPath: path + ".sql"))
            let compat = ["--compat-version", major]
            let list = try run(compat + ["-l", "-f", "-", path])
            XCTAssertEqual(list.status, 0, "\(name): \(list.stderrString)")
            XCTAssertEqual(list.stdoutString, String(decoding: expectedList, as: UTF8.self), "\(name) -l")
            let sql = try run(compat + ["--restrict-key=FIXTUREKEY", "-f", "-", path])
            XCTAssertEqual(sql.status, 0, "\(name): \(sql.stderrString)")
            XCTAssertTrue(sql.stdout == expectedSQL, "\(name): script differs from pg_restore's")
            compared += 2
            if !name.hasSuffix(".dir") {
                let piped = try run(compat + ["--restrict-key=FIXTUREKEY", "-f", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
                XCTAssertEqual(piped.status, 0, "\(name) (stdin): \(piped.stderrString)")
                XCTAssertTrue(piped.stdout == expectedSQL, "\(name) (stdin): script differs from pg_restore's")
                compared += 1
            }
        }
        print("compared \(compared) committed-fixture outputs with recorded pg_restore output")
    }

    func run(_ args: [String], stdin: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbrestore"), args, environment: ["TZ": "UTC"], stdin: stdin)
    }
}
