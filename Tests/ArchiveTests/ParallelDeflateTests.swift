@testable import Archive
import CZlib
import Foundation
import TestSupport
import XCTest

/// gzip on several threads (--compress-jobs): every stream inflates, with zlib's own
/// inflate and with gzip(1) for the directory format's files, to exactly its input, for
/// inputs of no block, part of a block, a block exactly and many blocks fed in pieces of any
/// size; a stream shorter than a block is zlib's own stream byte for byte; pg_restore reads a
/// custom archive written so to the same script as one written by zlib in one stream.
final class ParallelDeflateTests: XCTestCase {
    static func input(_ n: Int, seed: UInt64) -> [UInt8] {
        var x = seed
        var out: [UInt8] = []
        out.reserveCapacity(n)
        while out.count < n {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            // Text-like, compressible with matches that cross block boundaries.
            out += Array("\(x >> 50)\titem \(x % 1000)\t\(x >> 60)\n".utf8)
        }
        return Array(out.prefix(n))
    }

    func encode(_ data: [UInt8], level: Int, threads: Int, gzipFile: Bool, piece: Int) throws -> [UInt8] {
        let enc: StreamEncoder = threads > 1
            ? ParallelZlibEncoder(level: level, threads: threads, gzipFile: gzipFile)
            : try ZlibEncoder(level: level, gzipFile: gzipFile)
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            let n = min(piece, data.count - i)
            try data[i..<i + n].withUnsafeBytes { try enc.feed($0) { out += $0 } }
            i += n
        }
        try enc.finish { out += $0 }
        return out
    }

    func inflate(_ bytes: [UInt8], gzipFile: Bool) throws -> [UInt8] {
        let dec = makeDecoder(.gzip, gzipFile: gzipFile)
        var out: [UInt8] = []
        try bytes.withUnsafeBytes { try dec.feed($0) { out += $0 } }
        try dec.finish { out += $0 }
        return out
    }

    func testRoundTripsAtEverySize() throws {
        let b = parallelDeflateBlockSize
        for (n, piece) in [(0, 1), (1, 1), (1000, 7), (b - 1, 65536), (b, b), (b + 1, 4096), (3 * b + b / 2, 100_000), (9 * b, 8192)] {
            let data = Self.input(n, seed: UInt64(n) + 1)
            for threads in [2, 3] {
                for level in [-1, 1, 9] {
                    for gzipFile in [false, true] {
                        let z = try encode(data, level: level, threads: threads, gzipFile: gzipFile, piece: piece)
                        XCTAssertEqual(try inflate(z, gzipFile: gzipFile), data, "n=\(n) threads=\(threads) level=\(level) gzip=\(gzipFile)")
                        if n < b {
                            let single = try encode(data, level: level, threads: 1, gzipFile: gzipFile, piece: piece)
                            XCTAssertEqual(z, single, "a stream shorter than a block is zlib's own: n=\(n) level=\(level) gzip=\(gzipFile)")
                        }
                    }
                }
            }
        }
    }

    /// Data that deflates better than 8:1 (pgbench's rows) goes on as one stream on the
    /// caller's thread after its first blocks; whatever follows (here data that compresses
    /// badly) stays in that stream, which zlib and gzip(1) read to exactly the input, the
    /// same bytes whatever the pieces it was fed in.
    func testFastCompressingDataContinuesOnTheCallersThread() throws {
        var data: [UInt8] = []
        var i = 0
        while data.count < 5 * parallelDeflateBlockSize {
            i += 1
            data += Array("\(i)|\(i % 100 + 1)|0|                                                                                    \n".utf8)
        }
        data += Self.input(2 * parallelDeflateBlockSize + 77, seed: 7)
        for gzipFile in [false, true] {
            let enc = ParallelZlibEncoder(level: -1, threads: 2, gzipFile: gzipFile)
            var z: [UInt8] = []
            for start in stride(from: 0, to: data.count, by: 65536) {
                try data[start..<min(start + 65536, data.count)].withUnsafeBytes { try enc.feed($0) { z += $0 } }
            }
            try enc.finish { z += $0 }
            XCTAssertTrue(enc.streamed, "the stream should have gone on on the caller's thread (gzip=\(gzipFile))")
            XCTAssertTrue(try inflate(z, gzipFile: gzipFile) == data, "gzip=\(gzipFile): inflates to other data")
            for piece in [1_000_003, 77_777, 65536, 65536, 4096, 1_048_576] {
                let other = try encode(data, level: -1, threads: 2, gzipFile: gzipFile, piece: piece)
                XCTAssertTrue(other == z, "fed in pieces of \(piece), gzip=\(gzipFile): other bytes")
                XCTAssertTrue(try inflate(other, gzipFile: gzipFile) == data, "fed in pieces of \(piece), gzip=\(gzipFile): other data")
            }
            if gzipFile {
                let path = NSTemporaryDirectory() + "cbdump-pdeflate-fast-\(getpid()).gz"
                defer { try? FileManager.default.removeItem(atPath: path) }
                try Data(z).write(to: URL(fileURLWithPath: path))
                let r = try ProcessRunner.run("gzip", ["-dc", path])
                XCTAssertEqual(r.status, 0, r.stderrString)
                XCTAssertTrue(r.stdout == Data(data), "gzip(1) reads the file back")
            }
        }
    }

    /// The gzip files of a directory archive, as gzip(1) reads them.
    func testGzipFileReadByGzip() throws {
        let data = Self.input(5 * parallelDeflateBlockSize + 123, seed: 42)
        let z = try encode(data, level: -1, threads: 2, gzipFile: true, piece: 65536)
        let path = NSTemporaryDirectory() + "cbdump-pdeflate-\(getpid()).gz"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(z).write(to: URL(fileURLWithPath: path))
        let r = try ProcessRunner.run("gzip", ["-dc", path])
        XCTAssertEqual(r.status, 0, r.stderrString)
        XCTAssertEqual(Array(r.stdout), data)
    }

    /// Compressed on many threads, it costs little in size: within 1% of zlib's stream.
    func testSizeCloseToZlib() throws {
        let data = Self.input(8 * parallelDeflateBlockSize, seed: 7)
        let single = try encode(data, level: -1, threads: 1, gzipFile: false, piece: 65536)
        let parallel = try encode(data, level: -1, threads: 2, gzipFile: false, piece: 65536)
        XCTAssertLessThan(Double(parallel.count), Double(single.count) * 1.01)
    }

    /// A custom archive with big tables written on 2 threads: pg_restore's script equals the
    /// one of the archive written with zlib's single stream.
    func testPgRestoreReadsIt() throws {
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("no PostgreSQL 15") }
        var entries: [TocEntry] = []
        var datas: [Int32: [UInt8]] = [:]
        for (i, n) in [3 * parallelDeflateBlockSize + 5, 1000, 0].enumerated() {
            let id = Int32(i + 1)
            let te = TocEntry(dumpId: id)
            te.tag = Array("t\(i)".utf8)
            te.desc = "TABLE DATA"
            te.section = .data
            te.namespace = Array("public".utf8)
            te.owner = Array("postgres".utf8)
            te.defn = []
            te.copyStmt = Array("COPY public.t\(i) (a, b, c) FROM stdin;\n".utf8)
            te.hadDumper = true
            te.dataState = .posNotSet
            entries.append(te)
            datas[id] = Self.input(n, seed: UInt64(i)) + Array("\\.\n\n\n".utf8)
        }
        var scripts: [String] = []
        for threads in [1, 2] {
            let path = NSTemporaryDirectory() + "cbdump-pdeflate-\(getpid())-\(threads).dump"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            XCTAssertGreaterThanOrEqual(fd, 0)
            var options = ArchiveWriteOptions()
            options.compressionSpec = .gzipDefault
            options.compressionSpec.threads = threads
            options.dbname = "db"
            var dumpers: [Int32: DataDumper] = [:]
            for (id, d) in datas { dumpers[id] = { stream in try d.withUnsafeBytes { try stream.write($0) } } }
            try CustomArchiveWriter(fileDescriptor: fd, options: options).write(entries: entries, dumpers: dumpers)
            close(fd)
            let r = try ProcessRunner.run(bin.path("pg_restore"), ["--restrict-key=k", "-f", "-", path])
            XCTAssertEqual(r.status, 0, r.stderrString)
            scripts.append(r.stdoutString)
        }
        XCTAssertEqual(scripts[0], scripts[1])
        XCTAssertTrue(scripts[1].contains("COPY public.t0 (a, b, c) FROM stdin;"))
    }

    /// zstd with --compress-jobs > 1 (zstd's own workers): one frame that our decoder and
    /// zstd(1) read back to exactly the input, at sizes below, at and well above a 2 MB job.
    /// (2 MB is also a whole number of the decoder's 64 kB output buffers, the case where it
    /// once took the hint after the frame's end for an incomplete frame: threads 1 too.)
    func testZstdOnSeveralThreads() throws {
        for (n, threads) in [(0, 2), (1000, 2), (2 << 20, 2), (7_000_000, 2), (2 << 20, 1)] {
            let data = Self.input(n, seed: UInt64(n) + 7)
            let enc = try ZstdEncoder(level: 3, longDistance: false, threads: threads)
            var z: [UInt8] = []
            var i = 0
            while i < data.count {
                let k = min(100_000, data.count - i)
                try data[i..<i + k].withUnsafeBytes { try enc.feed($0) { z += $0 } }
                i += k
            }
            try enc.finish { z += $0 }
            let dec = makeDecoder(.zstd, gzipFile: false)
            var out: [UInt8] = []
            do {
                try z.withUnsafeBytes { try dec.feed($0) { out += $0 } }
                try dec.finish { out += $0 }
            } catch {
                XCTFail("n=\(n): \(error) (\(z.count) bytes: \(z.prefix(16).map { String(format: "%02x", $0) }.joined()))")
            }
            XCTAssertEqual(out, data, "n=\(n)")
            if ProcessRunner.resolveExecutable("zstd") != nil {
                let path = NSTemporaryDirectory() + "cbdump-zstd-\(getpid())-\(n).zst"
                defer { try? FileManager.default.removeItem(atPath: path) }
                try Data(z).write(to: URL(fileURLWithPath: path))
                let r = try ProcessRunner.run("zstd", ["-dc", path])
                XCTAssertEqual(r.status, 0, r.stderrString)
                XCTAssertEqual(Array(r.stdout), data, "zstd -dc, n=\(n)")
            }
        }
    }
}
