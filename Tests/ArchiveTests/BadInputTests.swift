import Archive
import Foundation
import TestSupport
import XCTest

/// Damaged archives must fail with a clear ArchiveError, never crash, hang or succeed
/// silently with missing data.
final class BadInputTests: XCTestCase {
    final class Discard: DataReceiver {
        var bytes = 0
        func data(_ b: UnsafeRawBufferPointer) throws { bytes += b.count }
        func beginLargeObjects() throws {}
        func endLargeObjects() throws {}
        func beginLargeObject(_ oid: UInt32) throws {}
        func endLargeObject(_ oid: UInt32) throws {}
    }

    static func fixture(_ name: String) throws -> String {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        return root + "/Fixtures/archives/" + name
    }

    /// Reads every entry's data; returns the decoded byte count.
    @discardableResult
    static func readAll(_ reader: ArchiveReader) throws -> Int {
        let sink = Discard()
        for te in reader.entries { try reader.readData(te, into: sink, isDataRequired: { _ in false }) }
        return sink.bytes
    }

    func testWholeFixturesDecode() throws {
        for name in ["small-pg15.custom.dump", "small-pg15.custom-z0.dump", "small-pg16.custom-lz4.dump",
                     "small-pg16.custom-zstd.dump", "small-pg17.tar", "small-pg18.dir"] {
            let reader = try ArchiveOpener.open(path: try Self.fixture(name))
            XCTAssertGreaterThan(try Self.readAll(reader), 0, name)
        }
    }

    /// `body(item, scratchFile)` for every item, on every core (`concurrentMap`), each call
    /// with a scratch file of its own; what the calls returned, in order.
    static func eachInParallel<T: Sendable>(_ items: [Int], _ tag: String, _ body: @Sendable (Int, String) -> T) -> [T] {
        concurrentMap(items.count) { k in
            let tmp = NSTemporaryDirectory() + "\(tag)-\(getpid())-\(k).dump"
            defer { try? FileManager.default.removeItem(atPath: tmp) }
            return body(items[k], tmp)
        }
    }

    /// A proper prefix of an archive (every one through the header and TOC, and a stride of
    /// the data) is an error naming the byte, from a file (seekable) and from memory (the
    /// non-seekable path).
    func testTruncationAtEveryOffset() throws {
        // Every offset up to `dense` (the header and TOC, and for the gzip archive all of it),
        // then every `step`-th: each cut reads the whole prefix again, so the uncompressed
        // archive cut at every byte was most of this test's time (the fuzzer cuts at random).
        for (name, dense, step) in [("small-pg15.custom-z0.dump", 8192, 5), ("small-pg16.custom.dump", Int.max, 1),
                                    ("small-pg17.custom-zstd.dump", 0, 7), ("small-pg18.custom-lz4.dump", 0, 7)] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Self.fixture(name))))
            let full = try Self.readAll(try ArchiveOpener.open(path: try Self.fixture(name)))
            let denseEnd = min(dense, bytes.count)
            let cuts = Array(0..<denseEnd) + Array(stride(from: denseEnd, to: bytes.count, by: step))
            // Each cut's problems, or none.
            let problems: [[String]] = Self.eachInParallel(cuts, "trunc") { cut, tmp in
                var found: [String] = []
                let prefix = Array(bytes[0..<cut])
                // File: seekable.
                FileManager.default.createFile(atPath: tmp, contents: Data(prefix))
                do {
                    let n = try Self.readAll(try ArchiveOpener.open(path: tmp))
                    found.append("\(name) cut at \(cut): read \(n) of \(full) bytes without an error")
                } catch let e as ArchiveError {
                    if !e.description.contains(tmp) { found.append("\(name) cut at \(cut): the error does not name the file: \(e)") }
                } catch {
                    found.append("\(name) cut at \(cut): not an ArchiveError: \(error)")
                }
                // Memory: the stream path.
                if cut >= 5 && prefix.starts(with: Array("PGDMP".utf8)) {
                    do {
                        let r = try CustomArchiveReader(input: ByteInput(bytes: prefix, name: "mem"))
                        _ = try Self.readAll(r)
                        found.append("\(name) cut at \(cut) (stream): no error")
                    } catch is ArchiveError {
                    } catch {
                        found.append("\(name) cut at \(cut) (stream): not an ArchiveError: \(error)")
                    }
                }
                return found
            }
            let all = problems.flatMap { $0 }
            XCTAssertEqual(all.count, 0, "\(all.count) problems in \(cuts.count) cuts, the first:\n" + all.prefix(10).joined(separator: "\n"))
        }
    }

    /// Flipping any byte of the header and TOC gives an error or a readable archive, never a
    /// crash; with data offsets in the TOC, wrong offsets must be caught too.
    func testEveryHeaderAndTocByteFlipped() throws {
        for (name, flip) in [("small-pg15.custom.dump", UInt8(0xff)), ("small-pg18.custom-z0.dump", UInt8(0x01))] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Self.fixture(name))))
            let reader = try CustomArchiveReader(input: ByteInput(bytes: bytes, name: name))
            let tocEnd = Int(reader.entries.compactMap { $0.dataState == .posSet ? $0.dataPos : nil }.min() ?? Int64(bytes.count))
            // For each flipped byte: nil when it read, else whether the error was an ArchiveError.
            let outcomes: [String?] = Self.eachInParallel(Array(0..<tocEnd), "flip") { i, tmp in
                var damaged = bytes
                damaged[i] ^= flip
                FileManager.default.createFile(atPath: tmp, contents: Data(damaged))
                do {
                    try Self.readAll(try ArchiveOpener.open(path: tmp))
                    return nil
                } catch is ArchiveError {
                    return ""
                } catch {
                    return "byte \(i): not an ArchiveError: \(error)"
                }
            }
            let errors = outcomes.filter { $0 != nil }.count, readable = outcomes.count - errors
            let strange = outcomes.compactMap { $0 }.filter { !$0.isEmpty }
            XCTAssertEqual(strange, [], name)
            XCTAssertGreaterThan(errors, tocEnd / 5, "\(name): many flips should be detected")
            print("\(name): \(tocEnd) header/TOC bytes flipped (xor \(flip)): \(errors) errors, \(readable) still readable")
        }
    }

    func testNotAnArchive() throws {
        let tmp = NSTemporaryDirectory() + "junk-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        for (content, kind) in [
            (Data("hello".utf8), ArchiveError.Kind.notAnArchive),
            (Data(repeating: 0x41, count: 2000), .notAnArchive),
            (Data("--\n-- PostgreSQL database dump\n--\n\nSET x = 1;\n".utf8), .plainTextDump),
            (Data("abc".utf8), .notAnArchive),
        ] {
            FileManager.default.createFile(atPath: tmp, contents: content)
            XCTAssertThrowsError(try ArchiveOpener.open(path: tmp)) { e in
                XCTAssertEqual((e as? ArchiveError)?.kind, kind, "\(e)")
            }
        }
    }

    func testNewerVersionIsRefused() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Self.fixture("small-pg18.custom.dump"))))
        bytes[6] = 17
        XCTAssertThrowsError(try CustomArchiveReader(input: ByteInput(bytes: bytes, name: "x"))) { e in
            XCTAssertEqual((e as? ArchiveError)?.kind, .unsupportedVersion)
            XCTAssertTrue("\(e)".contains("1.17"), "\(e)")
        }
    }

    func testUnknownBlockTypeAndBadOffset() throws {
        let path = try Self.fixture("small-pg16.custom-z0.dump")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try CustomArchiveReader(input: ByteInput(bytes: bytes, name: "x"))
        guard let first = reader.entries.filter({ $0.dataState == .posSet }).min(by: { $0.dataPos < $1.dataPos }) else {
            return XCTFail("no data offsets")
        }
        var damaged = bytes
        damaged[Int(first.dataPos)] = 9
        let tmp = NSTemporaryDirectory() + "blk-\(getpid()).dump"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        FileManager.default.createFile(atPath: tmp, contents: Data(damaged))
        XCTAssertThrowsError(try Self.readAll(try ArchiveOpener.open(path: tmp))) { e in
            XCTAssertTrue("\(e)".contains("unrecognized data block type 9"), "\(e)")
            XCTAssertTrue("\(e)".contains(first.label), "\(e)")
        }
    }

    func testMissingDirectoryDataFile() throws {
        let src = try Self.fixture("small-pg17.dir")
        let tmp = NSTemporaryDirectory() + "dir-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try? FileManager.default.removeItem(atPath: tmp)
        try FileManager.default.copyItem(atPath: src, toPath: tmp)
        let reader = try ArchiveOpener.open(path: tmp)
        let te = try XCTUnwrap(reader.entries.first { $0.desc == "TABLE DATA" })
        let name = String(decoding: te.filename!, as: UTF8.self)
        for suffix in ["", ".gz", ".lz4", ".zst"] { try? FileManager.default.removeItem(atPath: tmp + "/" + name + suffix) }
        XCTAssertThrowsError(try Self.readAll(reader)) { e in
            XCTAssertEqual((e as? ArchiveError)?.kind, .missingFile)
            XCTAssertTrue("\(e)".contains(name) && "\(e)".contains(te.label), "\(e)")
        }
    }
}
