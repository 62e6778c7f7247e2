import CLZ4
import CZlib
import CZstd

/// A streaming compressor: bytes in, compressed pieces out, memory bounded. One encoder
/// makes exactly one stream (one zlib stream, gzip member, LZ4 frame or zstd frame), which
/// is what pg_restore expects per data block, per large object and per data file.
public protocol StreamEncoder: AnyObject {
    /// Compresses `input`; `emit` receives pieces that are valid only during the call.
    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Ends the stream, emitting what is left (always something for a compressed stream:
    /// an empty input still makes a complete, empty stream, as pg_dump writes it).
    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// How data is compressed: pg_dump's pg_compress_specification (algorithm, level and the
/// zstd long-distance flag).
public struct CompressionSpec: Sendable, Equatable {
    public var algorithm: CompressionAlgorithm
    /// The level; each algorithm's default when nil (gzip: zlib's -1; lz4: 0, its fast
    /// mode; zstd: 3).
    public var level: Int?
    /// zstd's long-distance matching (`-Z zstd:long`).
    public var longDistance: Bool
    /// gzip and zstd: how many threads compress one stream (cbdump --compress-jobs); 1 is zlib's own
    /// single stream, byte for byte pg_dump's.
    public var threads: Int = 1

    public init(algorithm: CompressionAlgorithm, level: Int? = nil, longDistance: Bool = false) {
        self.algorithm = algorithm
        self.level = level
        self.longDistance = longDistance
    }

    public static let none = CompressionSpec(algorithm: .none)
    public static let gzipDefault = CompressionSpec(algorithm: .gzip)

    /// The level that is used: the one given or the algorithm's default.
    public var effectiveLevel: Int {
        if let level { return level }
        switch algorithm {
        case .none: return 0
        case .gzip: return -1
        case .lz4: return 0
        case .zstd: return Int(ZSTD_CLEVEL_DEFAULT)
        }
    }

    /// The file-name suffix of a directory archive's data files.
    public var fileSuffix: String {
        switch algorithm {
        case .none: return ""
        case .gzip: return ".gz"
        case .lz4: return ".lz4"
        case .zstd: return ".zst"
        }
    }

    /// Parses pg_dump 16+'s `-Z/--compress` value: `METHOD[:DETAIL]`, where a bare integer
    /// means gzip at that level (0: none), and DETAIL is a level or a comma-separated list
    /// of `level=N` and `long[=BOOL]` (parse_compress_options, parse_compress_specification
    /// and validate_compress_specification, with their messages).
    public static func parse(_ option: String) throws -> CompressionSpec {
        let algorithmName: String
        var detail: String?
        if let n = strtolWhole(option) {
            if n == 0 { algorithmName = "none"; detail = nil } else { algorithmName = "gzip"; detail = option }
        } else if let colon = option.firstIndex(of: ":") {
            algorithmName = String(option[..<colon])
            detail = String(option[option.index(after: colon)...])
        } else {
            algorithmName = option
        }
        let algorithm: CompressionAlgorithm
        switch algorithmName {
        case "none": algorithm = .none
        case "gzip": algorithm = .gzip
        case "lz4": algorithm = .lz4
        case "zstd": algorithm = .zstd
        default: throw CompressionSpecError("unrecognized compression algorithm: \"\(algorithmName)\"")
        }
        var spec = CompressionSpec(algorithm: algorithm)
        var level = spec.effectiveLevel
        var longGiven = false, workersGiven = false
        func invalid(_ s: String) -> CompressionSpecError { CompressionSpecError("invalid compression specification: " + s) }
        if let detail {
            if !detail.isEmpty, let n = strtolWhole(detail) {
                level = n
            } else {
                for item in detail.split(separator: ",", omittingEmptySubsequences: false) {
                    let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let keyword = String(parts[0])
                    let value = parts.count > 1 ? String(parts[1]) : nil
                    if keyword.isEmpty { throw invalid("found empty string where a compression option was expected") }
                    switch keyword {
                    case "level", "workers":
                        guard let value else { throw invalid("compression option \"\(keyword)\" requires a value") }
                        guard !value.isEmpty, let n = strtolWhole(value) else {
                            throw invalid("value for compression option \"\(keyword)\" must be an integer")
                        }
                        if keyword == "level" { level = n } else { workersGiven = true }
                    case "long":
                        longGiven = true
                        switch value?.lowercased() {
                        case nil, "yes", "on", "1": spec.longDistance = true
                        case "no", "off", "0": spec.longDistance = false
                        default: throw invalid("value for compression option \"long\" must be a Boolean value")
                        }
                    default:
                        throw invalid("unrecognized compression option: \"\(keyword)\"")
                    }
                }
            }
        }
        var minLevel = 1, maxLevel = 1, defaultLevel = 0
        switch algorithm {
        case .gzip: maxLevel = 9; defaultLevel = -1
        case .lz4: maxLevel = 12; defaultLevel = 0
        case .zstd: minLevel = Int(ZSTD_minCLevel()); maxLevel = Int(ZSTD_maxCLevel()); defaultLevel = Int(ZSTD_CLEVEL_DEFAULT)
        case .none:
            if level != 0 { throw invalid("compression algorithm \"none\" does not accept a compression level") }
        }
        if (level < minLevel || level > maxLevel) && level != defaultLevel {
            throw invalid("compression algorithm \"\(algorithm.name)\" expects a compression level between \(minLevel) and \(maxLevel) (default at \(defaultLevel))")
        }
        if workersGiven && algorithm != .zstd {
            throw invalid("compression algorithm \"\(algorithm.name)\" does not accept a worker count")
        }
        if longGiven && algorithm != .zstd {
            throw invalid("compression algorithm \"\(algorithm.name)\" does not support long-distance mode")
        }
        spec.level = algorithm == .none ? nil : level
        spec.workersRequested = workersGiven
        return spec
    }

    /// `workers=N` was given: accepted by the syntax, not used (pg_dump warns).
    public var workersRequested = false

    /// strtol over the whole string: the value if `s` is an optionally signed decimal
    /// integer with nothing after it ("" counts as 0, as for pg_dump's bare-integer test).
    static func strtolWhole(_ s: String) -> Int? {
        var chars = Substring(s)
        while let c = chars.first, c == " " || c == "\t" || c == "\n" { chars = chars.dropFirst() }
        if chars.isEmpty { return s.isEmpty ? 0 : nil }
        var neg = false
        if chars.first == "+" || chars.first == "-" { neg = chars.first == "-"; chars = chars.dropFirst() }
        guard !chars.isEmpty, chars.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let v = Int(chars) ?? Int.max  // strtol saturates
        return neg ? -v : v
    }
}

/// A bad `-Z` value, worded as pg_dump words it.
public struct CompressionSpecError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ d: String) { description = d }
}

/// Creates the encoder for one stream. `gzipFile` makes a gzip file (RFC 1952, as zlib's
/// gz* functions write for a directory archive) instead of a zlib stream (custom format).
public func makeEncoder(_ spec: CompressionSpec, gzipFile: Bool = false) throws -> StreamEncoder {
    switch spec.algorithm {
    case .none: return PassThroughEncoder()
    case .gzip:
        if spec.threads > 1 { return ParallelZlibEncoder(level: spec.effectiveLevel, threads: spec.threads, gzipFile: gzipFile) }
        return try ZlibEncoder(level: spec.effectiveLevel, gzipFile: gzipFile)
    case .lz4: return try LZ4Encoder(level: spec.effectiveLevel)
    case .zstd: return try ZstdEncoder(level: spec.effectiveLevel, longDistance: spec.longDistance, threads: spec.threads)
    }
}

final class PassThroughEncoder: StreamEncoder {
    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if input.count > 0 { try emit(input) }
    }
    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {}
}

private let encoderBufferSize = 64 * 1024

/// A deflate stream in zlib format (or a gzip file) at the given level (-1: zlib's default).
final class ZlibEncoder: StreamEncoder {
    private var stream = z_stream()
    private var buffer = [UInt8](repeating: 0, count: encoderBufferSize)

    convenience init(level: Int, gzipFile: Bool = false) throws {
        try self.init(level: level, windowBits: gzipFile ? 15 + 16 : 15, dictionary: [])
    }

    /// zlib's windowBits (-15: raw deflate, no header or trailer), primed with `dictionary`:
    /// ParallelZlibEncoder goes on with a raw stream after its first block.
    init(level: Int, windowBits: Int32, dictionary: [UInt8]) throws {
        let rc = deflateInit2_(&stream, Int32(level), Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK { throw ArchiveWriteError("could not initialize compression library: \(rc)") }
        if !dictionary.isEmpty {
            let rc = dictionary.withUnsafeBufferPointer { deflateSetDictionary(&stream, $0.baseAddress, uInt($0.count)) }
            if rc != Z_OK { deflateEnd(&stream); throw ArchiveWriteError("could not set compression dictionary: \(rc)") }
        }
    }

    deinit { deflateEnd(&stream) }

    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
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

/// One LZ4 frame with the LZ4F defaults pg_dump uses (64 KiB linked blocks, no checksums,
/// no content size) at the given level.
final class LZ4Encoder: StreamEncoder {
    private var ctx: OpaquePointer?
    private var prefs = LZ4F_preferences_t()
    private var buffer: [UInt8]
    private var started = false
    /// LZ4F_compressUpdate is given at most this much at a time, so `buffer` always fits.
    private static let inputChunk = encoderBufferSize

    init(level: Int) throws {
        prefs.compressionLevel = Int32(level)
        let rc = LZ4F_createCompressionContext(&ctx, UInt32(LZ4F_VERSION))
        if LZ4F_isError(rc) != 0 {
            throw ArchiveWriteError("could not create LZ4 compression context: \(String(cString: LZ4F_getErrorName(rc)))")
        }
        let bound = max(LZ4F_compressBound(Self.inputChunk, &prefs), LZ4F_compressBound(0, &prefs))
        buffer = [UInt8](repeating: 0, count: bound + Int(LZ4F_HEADER_SIZE_MAX))
    }

    deinit { LZ4F_freeCompressionContext(ctx) }

    private func check(_ rc: Int) throws -> Int {
        if LZ4F_isError(rc) != 0 { throw ArchiveWriteError("could not compress data: \(String(cString: LZ4F_getErrorName(rc)))") }
        return rc
    }

    private func begin(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !started else { return }
        started = true
        let cap = buffer.count
        let n = try check(buffer.withUnsafeMutableBytes { LZ4F_compressBegin(ctx, $0.baseAddress, cap, &prefs) })
        if n > 0 { try buffer.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<n])) } }
    }

    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        try begin(emit)
        var offset = 0
        let cap = buffer.count
        while offset < input.count {
            let chunk = min(Self.inputChunk, input.count - offset)
            let n = try check(buffer.withUnsafeMutableBytes {
                LZ4F_compressUpdate(ctx, $0.baseAddress, cap, input.baseAddress! + offset, chunk, nil)
            })
            if n > 0 { try buffer.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<n])) } }
            offset += chunk
        }
    }

    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try begin(emit)
        let cap = buffer.count
        let n = try check(buffer.withUnsafeMutableBytes { LZ4F_compressEnd(ctx, $0.baseAddress, cap, nil) })
        if n > 0 { try buffer.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<n])) } }
    }
}

/// One zstd frame (streaming API) at the given level, optionally with long-distance matching.
final class ZstdEncoder: StreamEncoder {
    private let ctx: OpaquePointer
    private var buffer = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())

    /// `threads` > 1: zstd's own worker threads (one frame all the same, which every zstd
    /// decoder reads), in 2 MB jobs so that memory stays small; a libzstd built without
    /// threads just compresses on the caller's.
    init(level: Int, longDistance: Bool, threads: Int = 1) throws {
        guard let c = ZSTD_createCCtx() else { throw ArchiveWriteError("could not create zstd compression context") }
        ctx = c
        var rc = ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, Int32(level))
        if ZSTD_isError(rc) == 0 && longDistance {
            rc = ZSTD_CCtx_setParameter(ctx, ZSTD_c_enableLongDistanceMatching, 1)
        }
        if ZSTD_isError(rc) != 0 {
            ZSTD_freeCCtx(ctx)
            throw ArchiveWriteError("could not set compression parameter: \(String(cString: ZSTD_getErrorName(rc)))")
        }
        if threads > 1 && ZSTD_isError(ZSTD_CCtx_setParameter(ctx, ZSTD_c_nbWorkers, Int32(threads))) == 0 {
            _ = ZSTD_CCtx_setParameter(ctx, ZSTD_c_jobSize, 2 << 20)
        }
    }

    deinit { ZSTD_freeCCtx(ctx) }

    /// Runs the compressor over `input` with `directive`, emitting every filled output
    /// buffer; returns when the input is consumed (and, for ZSTD_e_end, the frame is done).
    private func run(_ input: UnsafeRawBufferPointer, _ directive: ZSTD_EndDirective,
                     _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var produced = 0
            let rc = buffer.withUnsafeMutableBytes { dst -> Int in
                var outBuf = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                let r = ZSTD_compressStream2(ctx, &outBuf, &inBuf, directive)
                produced = outBuf.pos
                return r
            }
            if ZSTD_isError(rc) != 0 { throw ArchiveWriteError("could not compress data: \(String(cString: ZSTD_getErrorName(rc)))") }
            if produced > 0 { try buffer.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
            if directive == ZSTD_e_end ? rc == 0 : inBuf.pos == inBuf.size { return }
        }
    }

    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        try run(input, ZSTD_e_continue, emit)
    }

    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), ZSTD_e_end, emit)
    }
}

/// A whole file compressed as one stream (a gzip file, an LZ4 frame, a zstd frame), as
/// pg_dump writes a compressed plain-text dump; uncompressed with `.none`.
public final class CompressedFileWriter {
    let sink: FileSink
    let encoder: StreamEncoder

    public init(fileDescriptor: Int32, spec: CompressionSpec) throws {
        sink = FileSink(fd: fileDescriptor)
        encoder = try makeEncoder(spec, gzipFile: true)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try encoder.feed(bytes) { try sink.raw($0) }
    }

    /// Ends the stream and flushes; the descriptor stays open.
    public func finish() throws {
        try encoder.finish { try sink.raw($0) }
        try sink.flush()
    }
}
