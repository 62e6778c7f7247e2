import Foundation
import TestSupport
import XCTest
@testable import Archive
@testable import Restore

/// Shared by the pure RestorePlan/TocListing tests: a fixture archive opened in process, a
/// hand-built archive, and the `-l` text of a plan.
enum PlanFixture {
    static func root() throws -> String {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        return root
    }

    /// `Fixtures/archives/<name>`, opened as cbrestore opens it.
    static func archive(_ name: String) throws -> ArchiveReader {
        try ArchiveOpener.open(path: try root() + "/Fixtures/archives/" + name)
    }

    /// The `-l` listing pg_restore printed for `Fixtures/archives/<name>`.
    static func recordedListing(_ name: String) throws -> String {
        try String(contentsOfFile: try root() + "/Fixtures/archives/" + name + ".list", encoding: .utf8)
    }

    /// The entry lines (not starting with ";") of a listing.
    static func entryLines(_ listing: String) -> [String] {
        listing.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).filter { !$0.hasPrefix(";") }
    }

    /// The dump IDs of a listing's entry lines, in order.
    static func ids(_ listing: String) -> [Int32] {
        entryLines(listing).compactMap { line in line.firstIndex(of: ";").flatMap { Int32(line[..<$0]) } }
    }

    /// What `TocListing.write` prints for `plan`.
    static func listing(_ plan: RestorePlan) throws -> String {
        let path = NSTemporaryDirectory() + "cbdump-listing-\(getpid())-\(UUID().uuidString)"
        let fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0o600)
        guard fd >= 0 else { throw TestSupportError.other("cannot create \(path)") }
        defer { close(fd); unlink(path) }
        try TocListing.write(plan, to: ScriptOutput(fileDescriptor: fd, path: path))
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// A use-list (`-L`) file with `text`, removed after `body`.
    static func withListFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "cbdump-uselist-\(getpid())-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        defer { unlink(path) }
        return try body(path)
    }
}

/// A hand-built archive: entries only, no data.
final class BuiltArchive: ArchiveReader {
    let file = "built"
    let format = ArchiveFormat.custom
    let header = ArchiveHeader(version: .v1_14, intSize: 4, offSize: 8, formatCode: 1, compressionLevel: -1,
                               compression: .gzip, createdTM: nil, dbname: Array("db".utf8),
                               serverVersion: nil, dumpVersion: nil)
    let entries: [TocEntry]
    init(_ entries: [TocEntry]) { self.entries = entries }
    func verboseExtraLine(_ te: TocEntry) -> String? { nil }
    func readData(_ te: TocEntry, into receiver: DataReceiver, isDataRequired: (Int32) -> Bool) throws {}

    /// One entry as pg_dump would write it: `defn` nil means no schema part.
    static func entry(_ id: Int32, _ desc: String, _ tag: String, ns: String? = "public", section: Section = .preData,
                      defn: String? = "CREATE ...;\n", dumper: Bool = false, deps: [Int32] = []) -> TocEntry {
        let te = TocEntry(dumpId: id)
        te.desc = desc
        te.tag = Array(tag.utf8)
        te.namespace = ns.map { Array($0.utf8) }
        te.section = section
        te.defn = defn.map { Array($0.utf8) }
        te.hadDumper = dumper
        te.dependencies = deps
        te.owner = Array("postgres".utf8)
        return te
    }
}
