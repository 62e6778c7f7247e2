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

    /// Fixtures/mpp: a Greenplum 7 (PostgreSQL 12 kernel) archive with the `-l` listing and
    /// script that server's own pg_restore printed. The listing must be equal byte for byte;
    /// the script too, but for what pg_restore 12 could not write: it has no `\restrict`
    /// lines (cbrestore writes pg_restore 15's, which has), and its fork's banner says
    /// "Greenplum Database" where an archive does not tell which fork made it.
    func testGreenplum7ArchiveMatchesRecordedPgRestoreOutput() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let path = root + "/Fixtures/mpp/mpp_fixture.gp7.dump"
        let expectedList = try String(contentsOfFile: root + "/Fixtures/mpp/mpp_fixture.gp7.list", encoding: .utf8)
        let expectedSQL = try String(contentsOfFile: root + "/Fixtures/mpp/mpp_fixture.gp7.sql", encoding: .utf8)

        let list = try run(["-l", "-f", "-", path])
        XCTAssertEqual(list.status, 0, list.stderrString)
        XCTAssertEqual(list.stdoutString, expectedList, "-l of the Greenplum 7 archive")
        let piped = try run(["-l", "-f", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(piped.status, 0, piped.stderrString)
        XCTAssertEqual(piped.stdoutString, expectedList, "-l of the Greenplum 7 archive from a pipe")

        let sql = try run(["-f", "-", path])
        XCTAssertEqual(sql.status, 0, sql.stderrString)
        XCTAssertEqual(Self.asPgRestore12(sql.stdoutString), expectedSQL, "script of the Greenplum 7 archive")
        let pipedSQL = try run(["-f", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(pipedSQL.status, 0, pipedSQL.stderrString)
        XCTAssertEqual(Self.asPgRestore12(pipedSQL.stdoutString), expectedSQL, "script of the Greenplum 7 archive from a pipe")
        // What the normalisation took out, and nothing else.
        XCTAssertTrue(sql.stdoutString.hasPrefix("--\n-- PostgreSQL database dump\n--\n\n\\restrict "), String(sql.stdoutString.prefix(200)))
        XCTAssertTrue(sql.stdoutString.contains("SET gp_default_storage_options = '';\nSET statement_timeout = 0;\n"))
    }

    /// cbrestore's script as pg_restore 12 of the Greenplum fork writes it: no `\restrict` /
    /// `\unrestrict` lines (nor the blank line each brings), the fork's banner.
    static func asPgRestore12(_ s: String) -> String {
        var lines = s.components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { $0.hasPrefix("\\restrict ") }) {
            lines.remove(at: i)
            if i < lines.count && lines[i].isEmpty { lines.remove(at: i) }
        }
        if let i = lines.lastIndex(where: { $0.hasPrefix("\\unrestrict ") }) {
            lines.remove(at: i)
            if i > 0 && lines[i - 1].isEmpty { lines.remove(at: i - 1) }
        }
        return lines.map { line in
            switch line {
            case "-- PostgreSQL database dump": return "-- Greenplum Database database dump"
            case "-- PostgreSQL database dump complete": return "-- Greenplum Database database dump complete"
            default: return line
            }
        }.joined(separator: "\n")
    }

    func run(_ args: [String], stdin: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbrestore"), args, environment: ["TZ": "UTC"], stdin: stdin)
    }
}
