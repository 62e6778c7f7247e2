import Foundation
import XCTest
@testable import TestSupport

final class ProcessRunnerTests: XCTestCase {
    func testCapturesStatusAndBothStreams() throws {
        let result = try ProcessRunner.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(result.stdoutString, "out\n")
        XCTAssertEqual(result.stderrString, "err\n")
        XCTAssertFalse(result.succeeded)
        XCTAssertThrowsError(try result.check()) { error in
            XCTAssertTrue("\(error)".contains("status 3"), "\(error)")
            XCTAssertTrue("\(error)".contains("err"), "\(error)")
        }
    }

    func testLargeOutputOnBothStreamsDoesNotDeadlock() throws {
        // 8 MB on each stream, interleaved: far beyond any pipe buffer.
        let script = "i=0; while [ $i -lt 8 ]; do head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2; i=$((i+1)); done"
        let result = try ProcessRunner.run("/bin/sh", ["-c", script])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout.count, 8 << 20)
        XCTAssertEqual(result.stderr.count, 8 << 20)
    }

    func testStdinDataFileAndNone() throws {
        let payload = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0) })
        let fromData = try ProcessRunner.run("cat", [], stdin: payload)
        XCTAssertEqual(fromData.stdout, payload)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stdin-\(UUID().uuidString)")
        try payload.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try ProcessRunner.run("cat", [], stdinFile: file.path)
        XCTAssertEqual(fromFile.stdout, payload)

        let none = try ProcessRunner.run("cat", [])
        XCTAssertEqual(none.stdout.count, 0)
    }

    func testEnvironmentOverlayAndPGVariablesStripped() throws {
        setenv("PGDATABASE", "leaked", 1)
        defer { unsetenv("PGDATABASE") }
        let result = try ProcessRunner.run("/bin/sh", ["-c", "echo \"$PGDATABASE|$CBDUMP_X|${PATH:+path}\""],
                                           environment: ["CBDUMP_X": "y"])
        XCTAssertEqual(result.stdoutString, "|y|path\n")
        let explicit = try ProcessRunner.run("/bin/sh", ["-c", "echo $PGDATABASE"], environment: ["PGDATABASE": "mine"])
        XCTAssertEqual(explicit.stdoutString, "mine\n")
    }

    func testWorkingDirectory() throws {
        let result = try ProcessRunner.run("/bin/pwd", [], cwd: "/usr")
        XCTAssertEqual(result.stdoutString, "/usr\n")
    }

    func testMissingExecutableThrows() {
        XCTAssertThrowsError(try ProcessRunner.run("/nonexistent/tool", [])) { error in
            guard case TestSupportError.launchFailed = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try ProcessRunner.run("no-such-tool-\(UUID().uuidString)", []))
    }

    func testSignalStatus() throws {
        let result = try ProcessRunner.run("/bin/sh", ["-c", "kill -TERM $$"])
        XCTAssertEqual(result.status, 128 + SIGTERM)
    }

    func testProductsDirectoryHoldsBuiltExecutables() throws {
        let dir = ProcessRunner.productsDirectory
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: dir + "/cbrestore"),
                      "no cbrestore in products directory \(dir)")
        XCTAssertEqual(ProcessRunner.product("cbrestore"), dir + "/cbrestore")
    }

    func testRepositoryRoot() throws {
        let root = try XCTUnwrap(ProcessRunner.repositoryRoot)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: root + "/scripts/fetch-pg-binaries.sh"))
    }
}
