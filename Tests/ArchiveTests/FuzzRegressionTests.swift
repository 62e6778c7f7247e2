import ArchiveFuzzHarness
import Foundation
import TestSupport
import XCTest

/// Every input the archive fuzzer (scripts/fuzz-archive.sh) found crashing, replayed through
/// the fuzz target's own path (FuzzHarness: open, every data block, the script, the
/// verifier, the stream path). Each must now end in an error or a readable archive; a trap
/// brings down the test process, which fails the run.
final class FuzzRegressionTests: XCTestCase {
    static func regressionFiles() throws -> [String] {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let dir = root + "/Fixtures/fuzz-regressions"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { !$0.hasSuffix(".md") }
            .sorted()
        return names.map { dir + "/" + $0 }
    }

    func testEveryRegressionInputFailsCleanly() throws {
        let files = try Self.regressionFiles()
        XCTAssertFalse(files.isEmpty, "no inputs in Fixtures/fuzz-regressions")
        let scratch = NSTemporaryDirectory() + "fuzz-regression-\(getpid()).dump"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let started = Date()
        for path in files {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let outcome = FuzzHarness.run(bytes, scratchPath: scratch)
            let name = (path as NSString).lastPathComponent
            // Damaged inputs: at least the first stage must report the damage.
            XCTAssertFalse(outcome.errors.isEmpty, "\(name): read without any error")
            print("\(name): \(outcome.errors.first ?? "")")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "regression inputs must stay fast")
    }

    /// The seeds themselves go through the same path without an error.
    func testFixtureSeedsPass() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let scratch = NSTemporaryDirectory() + "fuzz-seed-\(getpid()).dump"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for name in ["small-pg15.custom.dump", "small-pg16.custom-lz4.dump", "small-pg18.custom-zstd.dump", "small-pg17.tar"] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/Fixtures/archives/" + name)))
            let outcome = FuzzHarness.run(bytes, scratchPath: scratch)
            XCTAssertEqual(outcome.errors, [], name)
            XCTAssertGreaterThan(outcome.dataBytes, 0, name)
            XCTAssertGreaterThan(outcome.verifiedEntries, 0, name)
        }
    }
}
