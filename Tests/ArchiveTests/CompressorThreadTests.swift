import Archive
import Foundation
import TestSupport
import XCTest

/// The custom-format writer deflates on a second thread: the archive must be byte for byte
/// the one the single-threaded path writes, for tables that fill many input chunks, tables
/// that fill none, rows that straddle chunks and writes larger than a chunk; our reader and
/// pg_restore must read the same data back.
final class CompressorThreadTests: XCTestCase {
    final class Collector: DataReceiver {
        var bytes: [UInt8] = []
        func data(_ b: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: b) }
        func beginLargeObjects() throws {}
        func endLargeObjects() throws {}
        func beginLargeObject(_ oid: UInt32) throws {}
        func endLargeObject(_ oid: UInt32) throws {}
    }

    /// Table data as COPY text: `rows` rows, each written on its own as libpq delivers them,
    /// with a few writes of `big` bytes at once among them.
    static func tableData(rows: Int, seed: UInt64, big: Int = 0) -> [[UInt8]] {
        var x = seed
        func next() -> UInt64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return x >> 33 }
        var writes: [[UInt8]] = []
        for i in 0..<rows {
            // Half predictable, half noise, so that deflate has work of both kinds.
            let noise = (0..<(Int(next() % 40))).map { _ in String(next() % 1000) }.joined(separator: " ")
            writes.append(Array("\(i)\titem \(i % 97)\t\(noise)\n".utf8))
            if big > 0 && i % (rows / 3 + 1) == 7 {
                writes.append((0..<big).map { _ in UInt8(truncatingIfNeeded: next()) })
            }
        }
        writes.append(Array("\\.\n\n\n".utf8))
        return writes
    }

    static let tables: [[[UInt8]]] = [
        tableData(rows: 20_000, seed: 1),               // many chunks
        tableData(rows: 3, seed: 2),                    // one small chunk, never handed over
        [Array("\\.\n\n\n".utf8)],                      // empty table
        tableData(rows: 5_000, seed: 3, big: 200_000),  // writes larger than a chunk
        tableData(rows: 10_000, seed: 4),
    ]

    func write(to path: String, secondThread: Bool, level: Int) throws {
        var o = ArchiveWriteOptions()
        o.compressionLevel = level
        o.compressOnSecondThread = secondThread
        o.dbname = "bench"
        o.serverVersion = "15.0"
        o.dumpVersion = "test"
        var entries: [TocEntry] = []
        var dumpers: [Int32: DataDumper] = [:]
        for (i, writes) in Self.tables.enumerated() {
            let te = TocEntry(dumpId: Int32(i + 1))
            te.hadDumper = true
            te.tag = Array("t\(i)".utf8)
            te.desc = "TABLE DATA"
            te.section = .data
            te.namespace = Array("public".utf8)
            te.owner = Array("postgres".utf8)
            te.copyStmt = Array("COPY public.t\(i) (a, b, c) FROM stdin;\n".utf8)
            te.dataState = .posNotSet
            entries.append(te)
            dumpers[te.dumpId] = { stream in
                for w in writes { try w.withUnsafeBytes { try stream.write($0) } }
            }
        }
        FileManager.default.createFile(atPath: path, contents: nil)
        let h = FileHandle(forWritingAtPath: path)!
        defer { h.closeFile() }
        try CustomArchiveWriter(fileDescriptor: h.fileDescriptor, options: o).write(entries: entries, dumpers: dumpers)
    }

    func testSecondThreadWritesTheSameArchive() throws {
        let tmp = NSTemporaryDirectory() + "cbdump-compressor-\(getpid())"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        for level in [-1, 1, 9] {
            let one = tmp + "/one.dump", two = tmp + "/two.dump"
            try write(to: one, secondThread: false, level: level)
            try write(to: two, secondThread: true, level: level)
            var a = [UInt8](try Data(contentsOf: URL(fileURLWithPath: one)))
            var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: two)))
            // The header's creation time (7 ints of 5 bytes after the first 16 bytes) may
            // differ by a second between the two runs.
            for i in 16..<51 { a[i] = 0; b[i] = 0 }
            XCTAssertEqual(a.count, b.count, "level \(level): sizes differ")
            XCTAssertTrue(a == b, "level \(level): the threaded archive differs from the single-threaded one")

            let reader = try ArchiveOpener.open(path: two)
            XCTAssertEqual(reader.entries.count, Self.tables.count)
            for (te, writes) in zip(reader.entries, Self.tables) {
                let c = Collector()
                try reader.readData(te, into: c, isDataRequired: { _ in false })
                XCTAssertTrue(c.bytes == writes.flatMap { $0 }, "level \(level): \(te.label) does not read back")
            }
        }
        if let bin = PGBinaries.major(15) {
            let two = tmp + "/two.dump"
            let r = try Oracle.pgRestore(bin, args: ["-f", "-", "--data-only", two], allowFailure: true)
            XCTAssertEqual(r.status, 0, r.stderrString)
            XCTAssertTrue(r.stdout.count > Self.tables.joined().reduce(0) { $0 + $1.count } / 2, "pg_restore printed too little")
        }
    }
}
