#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory format (-Fd): `toc.dat` plus one file per data entry (docs/archive-format.md, "Directory format").
public final class DirectoryArchiveReader: ArchiveReader {
    public let file: String
    public let format = ArchiveFormat.directory
    public let header: ArchiveHeader
    public let entries: [TocEntry]

    init(path: String) throws {
        file = path
        guard let (tocPath, alg) = Self.discover(directory: path, name: "toc.dat") else {
            throw ArchiveError(.notAnArchive, file: path, "directory does not appear to be a valid archive (\"toc.dat\" does not exist)")
        }
        let bytes = try Self.readWhole(tocPath, alg)
        let input = ByteInput(bytes: bytes, name: tocPath)
        let magic = try input.readBytes(5)
        guard magic == Array("PGDMP".utf8) else {
            throw ArchiveError(.corrupt, file: tocPath, "did not find magic string in file header", offset: 0)
        }
        var p = TocParser(input)
        header = try withContext("in the file header") { try p.readHeader(expectedFormat: 3) }
        entries = try p.readToc(customExtra: false)
    }

    public func verboseExtraLine(_ te: TocEntry) -> String? {
        te.filename.map { "-- File: " + String(decoding: $0, as: UTF8.self) }
    }

    public func readData(_ te: TocEntry, into receiver: DataReceiver, isDataRequired: (Int32) -> Bool) throws {
        guard let filename = te.filename else { return }
        let name = String(decoding: filename, as: UTF8.self)
        let context = "in data file for \(te.label)"
        if te.desc != "BLOBS" {
            try withContext(context) { try streamFile(name, receiver.data) }
            return
        }
        // The LO list: "<oid> <file>\n" per large object.
        guard let (listPath, alg) = Self.discover(directory: file, name: name) else {
            throw ArchiveError(.missingFile, file: file, "could not open large object TOC file \"\(file)/\(name)\": No such file or directory", context: context)
        }
        let list = try Self.readWhole(listPath, alg)
        try receiver.beginLargeObjects()
        var lineNo = 0
        for line in list.split(separator: 0x0a, omittingEmptySubsequences: true) {
            lineNo += 1
            let parts = line.split(separator: 0x20, maxSplits: 1)
            let oid = parts.count == 2 ? parseOid(Array(parts[0])) : 0
            guard parts.count == 2, oid != 0 || parts[0].first == 0x30 else {
                throw ArchiveError(.corrupt, file: listPath, "invalid line \(lineNo) in large object TOC file: \"\(String(decoding: line, as: UTF8.self))\"", context: context)
            }
            let loFile = String(decoding: parts[1], as: UTF8.self)
            try receiver.beginLargeObject(oid)
            try withContext("in large object \(oid) of \(te.label)") { try streamFile(loFile, receiver.data) }
            try receiver.endLargeObject(oid)
        }
        try receiver.endLargeObjects()
    }

    private func streamFile(_ name: String, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let (path, alg) = Self.discover(directory: file, name: name) else {
            throw ArchiveError(.missingFile, file: file, "could not open input file \"\(file)/\(name)\": No such file or directory")
        }
        try Self.decodeFile(path, alg, emit)
    }

    /// Streams a whole data file through its decompressor.
    static func decodeFile(_ path: String, _ alg: CompressionAlgorithm, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let input = try ByteInput(path: path)
        let decoder = makeDecoder(alg, gzipFile: true)
        while true {
            let at = input.position
            let n = try input.readChunk(max: 256 * 1024) { piece -> Int in
                do { try decoder.feed(piece, emit) } catch let e as DecodeError {
                    throw ArchiveError(.corrupt, file: path, e.message, offset: at)
                }
                return piece.count
            }
            if n == 0 { break }
        }
        do { try decoder.finish(emit) } catch let e as DecodeError {
            throw ArchiveError(.truncated, file: path, e.message, offset: input.position)
        }
    }

    /// The file as named, else with a compression suffix (as InitDiscoverCompressFileHandle).
    public static func discover(directory: String, name: String) -> (String, CompressionAlgorithm)? {
        let base = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        if name.hasSuffix(".gz") { return exists(base) ? (base, .gzip) : nil }
        if name.hasSuffix(".lz4") { return exists(base) ? (base, .lz4) : nil }
        if name.hasSuffix(".zst") { return exists(base) ? (base, .zstd) : nil }
        if exists(base) { return (base, .none) }
        for (suffix, alg) in [(".gz", CompressionAlgorithm.gzip), (".lz4", .lz4), (".zst", .zstd)] where exists(base + suffix) {
            return (base + suffix, alg)
        }
        return nil
    }

    private static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Reads a small file (toc.dat, a blobs list) whole, decompressing it.
    static func readWhole(_ path: String, _ alg: CompressionAlgorithm) throws -> [UInt8] {
        var out: [UInt8] = []
        try decodeFile(path, alg) { out.append(contentsOf: $0) }
        return out
    }
}
