import Console
#if canImport(Glibc)
import Glibc
#endif

/// Why writing an archive failed.
public struct ArchiveWriteError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes a custom-format archive (docs/archive-format.md, "Custom format") the way pg_dump's
/// pg_backup_custom.c does: header, TOC, then each entry's data block in TOC order, then,
/// when the output can seek, the TOC again with every block's offset filled in. On a pipe
/// the offsets stay unset and pg_restore finds blocks by scanning, as with pg_dump.
public final class CustomArchiveWriter: ArchiveWriter {
    let out: FileSink
    public let options: ArchiveWriteOptions
    private var entries: [TocEntry] = []
    private var tocPos: Int64 = 0
    private var compressor: ChunkCompressor?
    private var thread: CompressorThread?
    /// The entries whose data block was written (the others' offsets say "no data").
    private var written: Set<Int32> = []

    /// `fileDescriptor` is an open, writable file or pipe.
    public init(fileDescriptor: Int32, options: ArchiveWriteOptions) {
        self.out = FileSink(fd: fileDescriptor)
        self.options = options
    }

    deinit { thread?.stop() }

    /// WriteHead and WriteToc (_ArchiveEntry's offsets still unset); starts the compressor
    /// thread for the data that follows.
    public func writeToc(_ entries: [TocEntry]) throws {
        try options.validate()
        self.entries = entries
        try out.writeHeader(options, formatCode: 1)
        tocPos = out.position
        try writeTocEntries()
        let compressor = ChunkCompressor(out: out, spec: options.compressionSpec)
        self.compressor = compressor
        thread = options.compression != .none && options.compressOnSecondThread
            ? CompressorThread(compressor: compressor) : nil
    }

    /// _StartData (_StartLOs for BLOBS): the block's type and dump ID; its offset noted.
    public func startData(_ te: TocEntry) throws -> ArchiveEntryData {
        guard let compressor else { throw ArchiveWriteError("data written before the TOC") }
        te.dataPos = out.position
        te.dataState = .posSet
        written.insert(te.dumpId)
        let isBlobs = te.desc == "BLOBS"
        try out.byte(isBlobs ? 3 : 1)
        try out.int(te.dumpId)
        return BlockStream(out: out, compression: options.compression, compressor: compressor, thread: thread,
                           isBlobs: isBlobs)
    }

    /// _CloseArchive: when seekable, the TOC again with the offsets. Flushes, but does not
    /// close or sync.
    public func close() throws {
        thread?.stop()
        thread = nil
        for te in entries where te.hadDumper && !written.contains(te.dumpId) { te.dataState = .noData }
        if out.seekable {
            try out.flush()
            try out.seek(to: tocPos)
            try writeTocEntries()
        } else {
            for te in entries where te.hadDumper { te.dataState = .posNotSet }
        }
        try out.flush()
    }

    private func writeTocEntries() throws {
        try out.writeToc(entries, version: options.version) { te in
            // The custom format's extra TOC data: the block's offset.
            try out.byte(te.dataState.rawValue)
            var pos = UInt64(te.dataState == .posSet ? te.dataPos : 0)
            for _ in 0..<8 { try out.byte(UInt8(pos & 0xff)); pos >>= 8 }
        }
    }
}

/// One entry's data as it is written: compressed (one stream per table or per large
/// object, as pg_dump) and framed as length-prefixed chunks ending with a zero length.
///
/// Compressed data is gathered into 64 KiB input chunks, whatever the size of the writes
/// (COPY delivers one row per write). Full chunks go to the compressor thread when there is
/// one, otherwise they are deflated here; a stream that never fills a chunk is always
/// deflated here, sparing small tables the hand-over. Either way the compressor sees the
/// same calls with the same bytes, so the archive is the same.
final class BlockStream: ArchiveEntryData {
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
    let isBlobs: Bool

    init(out: FileSink, compression: CompressionAlgorithm, compressor: ChunkCompressor, thread: CompressorThread?,
         isBlobs: Bool) {
        self.isBlobs = isBlobs
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

    /// _EndData: the stream's end; _EndLOs: the zero OID after the last large object.
    func endData() throws {
        if isBlobs { try out.int(0) } else { try endStream() }
    }

    /// A failed dumper: nothing more is written (the writer's deinit stops the thread).
    func abandon() {}
}

/// A buffered output file descriptor that knows its position and whether it can seek.
final class FileSink {
    let fd: Int32
    let seekable: Bool
    private let capacity = 256 * 1024
    /// The buffer and its counters sit behind pointers, not in stored properties: at -Z0 the
    /// writer appends to them twice per COPY row, and Swift's run-time exclusivity checks on
    /// a class's stored properties (and Array's append) cost about a fifth of cbdump's CPU
    /// there, more than the row's own copy.
    private let buffer: UnsafeMutableRawPointer
    private let state: UnsafeMutablePointer<(used: Int, position: Int64)>

    /// Where the next byte goes in the file.
    var position: Int64 { state.pointee.position }

    init(fd: Int32) {
        self.fd = fd
        var st = stat()
        let regular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        let pos = lseek(fd, 0, SEEK_CUR)
        self.seekable = regular && pos >= 0
        buffer = .allocate(byteCount: capacity, alignment: 16)
        state = .allocate(capacity: 1)
        state.initialize(to: (0, pos >= 0 ? Int64(pos) : 0))
    }

    deinit {
        buffer.deallocate()
        state.deallocate()
    }

    func byte(_ b: UInt8) throws {
        try withUnsafeBytes(of: b) { try raw($0) }
    }

    func bytes(_ b: [UInt8]) throws {
        try b.withUnsafeBytes { try raw($0) }
    }

    func raw(_ b: UnsafeRawBufferPointer) throws {
        guard let src = b.baseAddress, b.count > 0 else { return }
        if state.pointee.used + b.count > capacity { try flush() }
        if b.count >= capacity {
            try writeAll(b)
        } else {
            (buffer + state.pointee.used).copyMemory(from: src, byteCount: b.count)
            state.pointee.used += b.count
        }
        state.pointee.position += Int64(b.count)
    }

    /// pg_dump's WriteInt: a sign byte, then the magnitude in 4 little-endian bytes.
    /// (One append of all five bytes: a data block has one of these per COPY row at -Z0, and
    /// five single-byte appends cost more than the row's own copy.)
    func int(_ v: Int32) throws {
        let m = v < 0 ? UInt32(bitPattern: -v) : UInt32(bitPattern: v)
        let b: (UInt8, UInt8, UInt8, UInt8, UInt8) = (v < 0 ? 1 : 0, UInt8(truncatingIfNeeded: m), UInt8(truncatingIfNeeded: m >> 8),
                                                      UInt8(truncatingIfNeeded: m >> 16), UInt8(truncatingIfNeeded: m >> 24))
        try withUnsafeBytes(of: b) { try raw($0) }
    }

    /// pg_dump's WriteStr: the length (-1 for NULL) then the bytes.
    func str(_ s: [UInt8]?) throws {
        guard let s else { try int(-1); return }
        try int(Int32(s.count))
        try bytes(s)
    }

    /// WriteStr of a String's UTF-8 bytes, without copying them into an array first.
    func str(_ s: String) throws {
        var s = s
        try s.withUTF8 { u in
            try int(Int32(u.count))
            try raw(UnsafeRawBufferPointer(u))
        }
    }

    /// WriteStr of a number in decimal (an OID or a dump ID, as pg_dump's sprintf makes them),
    /// formatted in place.
    func str(decimal v: Int64) throws {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        try withUnsafeMutableBytes(of: &digits) { buf in
            var n = v.magnitude, at = buf.count
            repeat {
                at -= 1
                buf[at] = UInt8(truncatingIfNeeded: 0x30 + n % 10)
                n /= 10
            } while n > 0
            if v < 0 { at -= 1; buf[at] = 0x2d }
            try int(Int32(buf.count - at))
            try raw(UnsafeRawBufferPointer(rebasing: buf[at...]))
        }
    }

    func flush() throws {
        let used = state.pointee.used
        guard used > 0 else { return }
        state.pointee.used = 0
        try writeAll(UnsafeRawBufferPointer(start: buffer, count: used))
    }

    func seek(to offset: Int64) throws {
        try flush()
        if lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw ArchiveWriteError("could not seek in archive file: \(String(cString: strerror(errno)))")
        }
        state.pointee.position = offset
    }

    private func writeAll(_ b: UnsafeRawBufferPointer) throws {
        let err = writeFully(fd, b)
        if err != 0 { throw ArchiveWriteError("could not write to output file: \(String(cString: strerror(err)))") }
    }
}
