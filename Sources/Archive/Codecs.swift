import CLZ4
import CZlib
import CZstd

/// A streaming decompressor: compressed bytes in, decompressed pieces out, memory bounded.
public protocol StreamDecoder: AnyObject {
    /// Decodes `input`; `emit` receives pieces that are valid only during the call.
    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Called at the end of the input; throws if the stream is incomplete.
    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// Why a decoder failed; the caller adds file, offset and entry.
public struct DecodeError: Error, Sendable {
    public let message: String
}

private let outSize = 64 * 1024

/// Creates the decoder for one data stream.
public func makeDecoder(_ algorithm: CompressionAlgorithm, gzipFile: Bool = false) -> StreamDecoder {
    switch algorithm {
    case .none: return PassThroughDecoder()
    case .gzip: return ZlibDecoder(gzipFile: gzipFile)
    case .lz4: return LZ4Decoder()
    case .zstd: return ZstdDecoder()
    }
}

final class PassThroughDecoder: StreamDecoder {
    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if input.count > 0 { try emit(input) }
    }
    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {}
}

/// zlib streams (custom format: exactly one zlib-wrapped stream per block), or gzip files
/// (directory format: possibly several concatenated members, as gzread accepts).
final class ZlibDecoder: StreamDecoder {
    private var stream = z_stream()
    private var out = [UInt8](repeating: 0, count: outSize)
    private let gzipFile: Bool
    private var ended = false
    private var started = false

    init(gzipFile: Bool) {
        self.gzipFile = gzipFile
        let bits: Int32 = gzipFile ? 15 + 32 : 15
        _ = inflateInit2_(&stream, bits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    }

    deinit { inflateEnd(&stream) }

    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        started = true
        var offset = 0
        while offset < input.count {
            if ended {
                if !gzipFile {
                    throw DecodeError(message: "unexpected bytes after the end of the compressed stream")
                }
                inflateReset(&stream)
                ended = false
            }
            let consumed = try input.baseAddress!.advanced(by: offset).withMemoryRebound(to: UInt8.self, capacity: input.count - offset) { p -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: p)
                stream.avail_in = uInt(input.count - offset)
                while stream.avail_in > 0 && !ended {
                    let status = try inflateStep(emit)
                    if status == Z_STREAM_END { ended = true }
                }
                return input.count - offset - Int(stream.avail_in)
            }
            offset += consumed
        }
    }

    private func inflateStep(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Int32 {
        let (status, produced) = out.withUnsafeMutableBufferPointer { buf -> (Int32, Int) in
            stream.next_out = buf.baseAddress
            stream.avail_out = uInt(buf.count)
            let r = inflate(&stream, Z_NO_FLUSH)
            return (r, buf.count - Int(stream.avail_out))
        }
        if status != Z_OK && status != Z_STREAM_END {
            if status == Z_BUF_ERROR && produced == 0 { return Z_OK }
            let msg = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw DecodeError(message: "could not uncompress data: \(msg)")
        }
        if produced > 0 { try out.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
        return status
    }

    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if !started { return }  // no bytes at all: an empty stream
        if !ended { throw DecodeError(message: "compressed stream is incomplete") }
    }
}

final class LZ4Decoder: StreamDecoder {
    private var ctx: OpaquePointer?
    private var out = [UInt8](repeating: 0, count: outSize)
    /// Bytes LZ4F still expects; 0 right after a frame ended.
    private var hint = 0
    private var started = false

    init() { LZ4F_createDecompressionContext(&ctx, UInt32(LZ4F_VERSION)) }
    deinit { LZ4F_freeDecompressionContext(ctx) }

    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        started = true
        var offset = 0
        while true {
            var srcSize = input.count - offset
            var dstSize = out.count
            let r = out.withUnsafeMutableBytes { dst in
                LZ4F_decompress(ctx, dst.baseAddress, &dstSize, input.baseAddress! + offset, &srcSize, nil)
            }
            if LZ4F_isError(r) != 0 {
                throw DecodeError(message: "could not decompress lz4 data: \(String(cString: LZ4F_getErrorName(r)))")
            }
            // Only a call that consumed or produced something tells where the frame stands.
            if srcSize > 0 || dstSize > 0 { hint = r }
            offset += srcSize
            if dstSize > 0 { try out.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<dstSize])) } }
            // Done when the input is used up and the output buffer was not filled.
            if offset >= input.count && dstSize < out.count { break }
            if srcSize == 0 && dstSize == 0 { break }
        }
    }

    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if started && hint != 0 { throw DecodeError(message: "lz4 frame is incomplete") }
    }
}

final class ZstdDecoder: StreamDecoder {
    private let ctx: OpaquePointer
    private var out = [UInt8](repeating: 0, count: outSize)
    private var last = 0
    private var started = false

    init() { ctx = ZSTD_createDStream() }
    deinit { ZSTD_freeDStream(ctx) }

    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        started = true
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var produced = 0
            let consumedBefore = inBuf.pos
            let r = out.withUnsafeMutableBytes { dst -> Int in
                var outBuf = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                let r = ZSTD_decompressStream(ctx, &outBuf, &inBuf)
                produced = outBuf.pos
                return r
            }
            if ZSTD_isError(r) != 0 {
                throw DecodeError(message: "could not decompress zstd data: \(String(cString: ZSTD_getErrorName(r)))")
            }
            // Only a call that consumed or produced something tells where the frame stands: the
            // extra call after output that filled the buffer exactly, at the frame's end, answers
            // with the next frame's header size.
            if produced > 0 || inBuf.pos != consumedBefore { last = r }
            if produced > 0 { try out.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
            if inBuf.pos == inBuf.size && produced < out.count { break }
        }
    }

    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if started && last != 0 { throw DecodeError(message: "zstd frame is incomplete") }
    }
}
