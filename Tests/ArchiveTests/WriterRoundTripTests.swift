import Archive
import Foundation
import TestSupport
import XCTest

/// The custom-format writer, checked against pg_restore: every committed fixture archive
/// (made by real pg_dump) is read with our reader and written again with our writer, gzip
/// and uncompressed; the pg_restore of the archive's own major must print the same script
/// for the rewrite as for the original, and list the same entries.
final class WriterRoundTripTests: XCTestCase {
    final class Bridge: DataReceiver {
        let stream: ArchiveDataStream
        init(_ s: ArchiveDataStream) { stream = s }
        func data(_ bytes: UnsafeRawBufferPointer) throws { try stream.write(bytes) }
        func beginLargeObjects() throws {}
        func endLargeObjects() throws {}
        func beginLargeObject(_ oid: UInt32) throws { try stream.startLargeObject(oid) }
        func endLargeObject(_ oid: UInt32) throws { try stream.endLargeObject(oid) }
    }

    func rewrite(_ source: String, to target: String, compression: CompressionAlgorithm, pipe: Bool) throws {
        let reader = try ArchiveOpener.open(path: source)
        var o = ArchiveWriteOptions()
        o.version = reader.header.version
        o.compression = compression
        o.compressionLevel = compression == .none ? 0 : -1
        o.dbname = String(decoding: reader.header.dbname ?? [], as: UTF8.self)
        o.serverVersion = String(decoding: reader.header.serverVersion ?? [], as: UTF8.self)
        o.dumpVersion = String(decoding: reader.header.dumpVersion ?? [], as: UTF8.self)
        var dumpers: [Int32: DataDumper] = [:]
        let entries = reader.entries.map { te -> TocEntry in
            let copy = TocEntry(dumpId: te.dumpId)
            copy.hadDumper = te.hadDumper; copy.tableOid = te.tableOid; copy.oid = te.oid
            copy.tag = te.tag; copy.desc = te.desc; copy.section = te.section; copy.defn = te.defn
            copy.dropStmt = te.dropStmt; copy.copyStmt = te.copyStmt; copy.namespace = te.namespace
            copy.tablespace = te.tablespace; copy.tableam = te.tableam; copy.relkind = te.relkind
            copy.owner = te.owner; copy.dependencies = te.dependencies
            copy.dataState = te.hadDumper ? .posNotSet : .noData
            if te.hadDumper {
                dumpers[te.dumpId] = { stream in
                    try reader.readData(te, into: Bridge(stream), isDataRequired: { _ in false })
                }
            }
            return copy
        }
        if pipe {
            // A pipe cannot seek: the writer must leave offsets unset, as pg_dump does.
            var fds: [Int32] = [0, 0]
            XCTAssertEqual(Foundation.pipe(&fds), 0)
            let readFD = fds[0], writeFD = fds[1]
            let done = DispatchSemaphore(value: 0)
            let reading = Thread {
                let out = FileHandle(forWritingAtPath: target)!
                let h = FileHandle(fileDescriptor: readFD, closeOnDealloc: true)
                while let d = try? h.read(upToCount: 65536), !d.isEmpty { out.write(d) }
                out.closeFile()
                done.signal()
            }
            reading.start()
            try CustomArchiveWriter(fileDescriptor: writeFD, options: o).write(entries: entries, dumpers: dumpers)
            close(writeFD)
            done.wait()
        } else {
            FileManager.default.createFile(atPath: target, contents: nil)
            let h = FileHandle(forWritingAtPath: target)!
            try CustomArchiveWriter(fileDescriptor: h.fileDescriptor, options: o).write(entries: entries, dumpers: dumpers)
            h.closeFile()
        }
    }

    func testRewrittenFixtureArchivesRestoreIdentically() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let dir = root + "/Fixtures/archives"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasPrefix("small-pg") && $0.hasSuffix(".dump") }.sorted()
        let tmp = NSTemporaryDirectory() + "cbdump-writer-\(getpid())"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        var compared = 0
        for name in names {
            let major = Int(name.dropFirst("small-pg".count).prefix(2))!
            guard let bin = PGBinaries.major(major) else { continue }
            let source = dir + "/" + name
            for (tag, compression, pipe) in [("gz", CompressionAlgorithm.gzip, false), ("z0", .none, false), ("pipe", .gzip, true)] {
                let target = "\(tmp)/\(name).\(tag)"
                FileManager.default.createFile(atPath: target, contents: nil)
                try rewrite(source, to: target, compression: compression, pipe: pipe)
                let args = ["--restrict-key=FIXTUREKEY", "-f", "-"]
                let want = try Oracle.pgRestore(bin, args: args + [source]).stdout
                let got = try Oracle.pgRestore(bin, args: args + [target], allowFailure: true)
                XCTAssertEqual(got.status, 0, "\(name) \(tag): \(got.stderrString)")
                XCTAssertTrue(got.stdout == want, "\(name) \(tag): pg_restore \(major) prints a different script for the rewrite")
                let listing = try Oracle.pgRestore(bin, args: ["-l", target], allowFailure: true)
                XCTAssertEqual(listing.status, 0, "\(name) \(tag): \(listing.stderrString)")
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 9, "too few fixture archives could be checked")
        print("rewrote \(compared) fixture archives; pg_restore printed identical scripts for all")
    }
}
