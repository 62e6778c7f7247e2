import Console
import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// Why writing an archive failed.
public struct ArchiveWriteError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes a custom-format archive (§5 of archive-format.md) the way pg_dump's
/// pg_backup_custom.c does: header, TOC, then each entry's data block in TOC order, then,
/// when the output can seek, the TOC again with every block's offset filled in. On a pipe
/// the offsets stay unset and pg_restore finds blocks by scanning, as with pg_dump.
public final class CustomArchiveWriter {
    let out: FileSink
    let options: ArchiveWriteOptions

    /// `fileDescriptor` is an open, writable file or pipe.
    public init(fileDescriptor: Int32, options: ArchiveWriteOptions) {
        self.out = FileSink(fd: fileDescriptor)
        self.options = options
    }

    /// Writes header, TOC, every data block (calling each entry's dumper in TOC order) and,
    /// when seekable, the TOC again with offsets. Flushes, but does not close or sync.
    public func write(entries: [TocEntry], dumpers: [Int32: DataDumper]) throws {
        let v = options.version
        guard v >= .v1_14 && v <= .v1_16 else { throw ArchiveWriteError("cannot write archive version \(v)") }
        if v < .v1_15 && !(options.compression == .gzip || options.compression == .none) {
            throw ArchiveWriteError("archive version \(v) can hold only gzip-compressed or uncompressed data")
        }
        try writeHeader()
        let tocPos = out.position
        try writeToc(entries)
        let compressor = ChunkCompressor(out: out, level: options.compressionLevel)
        let thread = options.compression != .none && options.compressOnSecondThread
            ? CompressorThread(compressor: compressor) : nil
        defer { thread?.stop() }
        for te in entries where te.hadDumper {
            guard let dumper = dumpers[te.dumpId] else {
                te.dataState = .noData
                continue
            }
            te.dataPos = out.position
            te.dataState = .posSet
            let isBlobs = te.desc == "BLOBS"
            try out.byte(isBlobs ? 3 : 1)
            try out.int(te.dumpId)
            let stream = BlockStream(out: out, compression: options.compression, compressor: compressor, thread: thread)
            try dumper(stream)
            if isBlobs {
                try stream.finishBlobs()
            } else {
                try stream.finishData()
            }
        }
        if out.seekable {
            try out.flush()
            try out.seek(to: tocPos)
            try writeToc(entries)
        } else {
            for te in entries where te.hadDumper { te.dataState = .posNotSet }
        }
        try out.flush()
    }

    private func writeHeader() throws {
        try out.bytes(Array("PGDMP".utf8))
        let v = options.version
        try out.byte(v.major); try out.byte(v.minor); try out.byte(v.rev)
        try out.byte(4)   // sizeof(int)
        try out.byte(8)   // sizeof(pgoff_t)
        try out.byte(1)   // archCustom
        if v >= .v1_15 {
            try out.byte(options.compression.rawValue)
        } else {
            try out.int(Int32(options.compression == .none ? 0 : options.compressionLevel))
        }
        var now = time(nil)
        var tm = tm()
        localtime_r(&now, &tm)
        for f in [tm.tm_sec, tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon, tm.tm_year, tm.tm_isdst] {
            try out.int(f)
        }
        try out.str(Array(options.dbname.utf8))
        try out.str(Array(options.serverVersion.utf8))
        try out.str(Array(options.dumpVersion.utf8))
    }

    private func writeToc(_ entries: [TocEntry]) throws {
        try out.int(Int32(entries.count))
        for te in entries {
            try out.int(te.dumpId)
            try out.int(te.hadDumper ? 1 : 0)
            try out.str(Array(String(te.tableOid).utf8))
            try out.str(Array(String(te.oid).utf8))
            try out.str(te.tag)
            try out.str(Array(te.desc.utf8))
            try out.int(te.section.rawValue)
            try out.str(te.defn)
            try out.str(te.dropStmt)
            try out.str(te.copyStmt)
            try out.str(te.namespace)
            try out.str(te.tablespace)
            try out.str(te.tableam)
            if options.version >= .v1_16 { try out.int(te.relkind) }
            try out.str(te.owner)
            try out.str(Array("false".utf8))
            for d in te.dependencies { try out.str(Array(String(d).utf8)) }
            try out.str(nil)
            // The custom format's extra TOC data: the block's offset.
            try out.byte(te.dataState.rawValue)
            var pos = UInt64(te.dataState == .posSet ? te.dataPos : 0)
            for _ in 0..<8 { try out.byte(UInt8(pos & 0xff)); pos >>= 8 }
        }
    }
}

/// One entry's data as it is written: compressed (one zlib stream per table or per large
/// object, as pg_dump) and framed as length-prefixed chunks ending with a zero length.
///
/// Compressed data is gathered into 64 KiB input chunks, whatever the size of the writes
/// (COPY delivers one row per write). Full chunks go to the compressor thread when there is
/// one, otherwise they are deflated here; a stream that never fills a chunk is always
/// deflated here, sparing small tables the hand-over. Either way the compressor sees the
/// same calls with the same bytes, so the archive is the same.
final class BlockStream: ArchiveDataStream {
    static let chunkSize = 64 * 1024

    let out: FileSink
    let compression: CompressionAlgorithm
    private let compressor: ChunkCompressor
    private let thread: CompressorThread?
    private let staging: UnsafeMutableRawBufferPointer
    private var filled = 0
    /// Whether the current stream has chunks on the compressor thread.
    private var handedOver = false
    private var inLargeObject = false

    init(out: FileSink, compression: CompressionAlgorithm, compressor: ChunkCompressor, thread: CompressorThread?) {
        self.out = out
        self.compression = compression
        self.compressor = compressor
        self.thread = thread
        self.staging = compression == .none
            ? UnsafeMutableRawBufferPointer(start: nil, count: 0)
            : .allocate(byteCount: Self.chunkSize, alignment: 16)
    }

    deinit { staging.deallocate() }

    private func emitChunk(_ chunk: UnsafeRawBufferPointer) throws {
        guard chunk.count > 0 else { return }
        try out.int(Int32(chunk.count))
        try out.raw(chunk)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        if compression == .none {
            try emitChunk(bytes)
            return
        }
        var rest = bytes
        while !rest.isEmpty {
            let n = min(rest.count, Self.chunkSize - filled)
            (staging.baseAddress! + filled).copyMemory(from: rest.baseAddress!, byteCount: n)
            filled += n
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            if filled == Self.chunkSize { try submitStaging() }
        }
    }

    /// Passes the gathered input on to the compressor, here or on its thread.
    private func submitStaging() throws {
        guard filled > 0 else { return }
        let chunk = UnsafeRawBufferPointer(rebasing: staging[0..<filled])
        filled = 0
        if let thread {
            try thread.send([UInt8](chunk))
            handedOver = true
        } else {
            try compressor.compress(chunk)
        }
    }

    private func endStream() throws {
        if compression != .none {
            if handedOver, let thread {
                try submitStaging()
                try thread.finish()
                handedOver = false
            } else {
                if filled > 0 {
                    let chunk = UnsafeRawBufferPointer(rebasing: staging[0..<filled])
                    filled = 0
                    try compressor.compress(chunk)
                }
                try compressor.finish()
            }
        }
        try out.int(0)
    }

    func startLargeObject(_ oid: UInt32) throws {
        precondition(!inLargeObject)
        inLargeObject = true
        try out.int(Int32(bitPattern: oid))
    }

    func endLargeObject(_ oid: UInt32) throws {
        precondition(inLargeObject)
        inLargeObject = false
        try endStream()
    }

    func finishData() throws { try endStream() }

    func finishBlobs() throws { try out.int(0) }
}

/// A deflate stream in zlib format at the given level (-1: zlib's default).
final class ZlibEncoder {
    private var stream = z_stream()
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(level: Int) throws {
        let rc = deflateInit_(&stream, Int32(level), ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK { throw ArchiveWriteError("could not initialize compression library: \(rc)") }
    }

    deinit { deflateEnd(&stream) }

    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try input.withMemoryRebound(to: UInt8.self) { p in
            stream.next_in = UnsafeMutablePointer(mutating: p.baseAddress)
            stream.avail_in = uInt(p.count)
            while stream.avail_in > 0 { try step(Z_NO_FLUSH, emit) }
        }
    }

    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.next_in = nil
        stream.avail_in = 0
        while try step(Z_FINISH, emit) != Z_STREAM_END {}
    }

    @discardableResult
    private func step(_ flush: Int32, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Int32 {
        let count = buffer.count
        let (rc, produced) = buffer.withUnsafeMutableBufferPointer { b -> (Int32, Int) in
            stream.next_out = b.baseAddress
            stream.avail_out = uInt(count)
            let rc = deflate(&stream, flush)
            return (rc, count - Int(stream.avail_out))
        }
        if rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR {
            throw ArchiveWriteError("could not compress data: \(rc)")
        }
        if produced > 0 { try buffer.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
        return rc
    }
}

/// A buffered output file descriptor that knows its position and whether it can seek.
final class FileSink {
    let fd: Int32
    let seekable: Bool
    private var buffer: [UInt8] = []
    private(set) var position: Int64
    private let capacity = 256 * 1024

    init(fd: Int32) {
        self.fd = fd
        var st = stat()
        let regular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        let pos = lseek(fd, 0, SEEK_CUR)
        self.seekable = regular && pos >= 0
        self.position = pos >= 0 ? Int64(pos) : 0
        buffer.reserveCapacity(capacity)
    }

    func byte(_ b: UInt8) throws {
        buffer.append(b)
        position += 1
        if buffer.count >= capacity { try flush() }
    }

    func bytes(_ b: [UInt8]) throws {
        buffer.append(contentsOf: b)
        position += Int64(b.count)
        if buffer.count >= capacity { try flush() }
    }

    func raw(_ b: UnsafeRawBufferPointer) throws {
        if b.count >= capacity {
            try flush()
            try writeAll(b)
            position += Int64(b.count)
            return
        }
        buffer.append(contentsOf: b)
        position += Int64(b.count)
        if buffer.count >= capacity { try flush() }
    }

    /// pg_dump's WriteInt: a sign byte, then the magnitude in 4 little-endian bytes.
    func int(_ v: Int32) throws {
        let mag = v < 0 ? UInt32(bitPattern: -v) : UInt32(bitPattern: v)
        try byte(v < 0 ? 1 : 0)
        var m = mag
        for _ in 0..<4 { try byte(UInt8(m & 0xff)); m >>= 8 }
    }

    /// pg_dump's WriteStr: the length (-1 for NULL) then the bytes.
    func str(_ s: [UInt8]?) throws {
        guard let s else { try int(-1); return }
        try int(Int32(s.count))
        try bytes(s)
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    func seek(to offset: Int64) throws {
        try flush()
        if lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw ArchiveWriteError("could not seek in archive file: \(String(cString: strerror(errno)))")
        }
        position = offset
    }

    private func writeAll(_ b: UnsafeRawBufferPointer) throws {
        let err = writeFully(fd, b)
        if err != 0 { throw ArchiveWriteError("could not write to output file: \(String(cString: strerror(err)))") }
    }
}
