#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered, position-tracking reader over a file descriptor (a file, or stdin/a pipe).
/// Seeking is used only when the descriptor supports it, as pg_restore's checkSeek decides.
public final class ByteInput {
    public let name: String
    public let isSeekable: Bool
    private let fd: Int32
    private let ownsFD: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    /// File position of `buffer[0]`.
    private var bufferBase: Int64 = 0
    public private(set) var fileSize: Int64?

    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw ArchiveError(.io, file: path, "could not open input file: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        self.ownsFD = true
        self.name = path
        self.buffer = [UInt8](repeating: 0, count: 256 * 1024)
        let pos = lseek(fd, 0, SEEK_CUR)
        var st = stat()
        let isRegular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        self.isSeekable = pos >= 0 && isRegular
        if isSeekable { fileSize = Int64(st.st_size) }
    }

    /// An in-memory input (a decompressed `toc.dat`, a tar member).
    public init(bytes: [UInt8], name: String) {
        self.fd = -1
        self.ownsFD = false
        self.name = name
        self.buffer = bytes
        self.end = bytes.count
        self.isSeekable = false
        self.fileSize = Int64(bytes.count)
    }

    /// Standard input; seekable when it was redirected from a regular file.
    public init(fileDescriptor: Int32, name: String) {
        self.fd = fileDescriptor
        self.ownsFD = false
        self.name = name
        self.buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var st = stat()
        let isRegular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        let pos = lseek(fd, 0, SEEK_CUR)
        self.isSeekable = isRegular && pos >= 0
        if isSeekable {
            bufferBase = Int64(pos)
            fileSize = Int64(st.st_size)
        }
    }

    deinit { if ownsFD { close(fd) } }

    /// The logical position of the next byte to be read.
    public var position: Int64 { bufferBase + Int64(start) }

    /// Refills the buffer; returns false at end of input.
    private func fill() throws -> Bool {
        if start < end { return true }
        if fd < 0 { return false }
        bufferBase += Int64(end)
        start = 0
        end = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ArchiveError(.io, file: name, "could not read input file: \(String(cString: strerror(errno)))", offset: position)
            }
            end = n
            return n > 0
        }
    }

    /// Next byte, or nil at end of input.
    public func readByteOrEOF() throws -> UInt8? {
        guard try fill() else { return nil }
        let b = buffer[start]
        start += 1
        return b
    }

    public func readByte() throws -> UInt8 {
        guard let b = try readByteOrEOF() else { throw truncated() }
        return b
    }

    /// Exactly `count` bytes.
    public func readBytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(min(count, 1 << 20))
        var remaining = count
        while remaining > 0 {
            guard try fill() else { throw truncated() }
            let n = min(remaining, end - start)
            out.append(contentsOf: buffer[start..<(start + n)])
            start += n
            remaining -= n
        }
        return out
    }

    /// Up to `max` bytes, handed to `body` without copying; 0 bytes only at end of input.
    public func readChunk<T>(max: Int, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        _ = try fill()
        let n = min(max, end - start)
        let s = start
        start += n
        return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[s..<(s + n)])) }
    }

    /// Streams exactly `count` bytes to `body` in buffer-sized pieces.
    public func stream(_ count: Int64, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var remaining = count
        while remaining > 0 {
            let n = try readChunk(max: Int(min(remaining, Int64(Int.max)))) { piece -> Int in
                if piece.count > 0 { try body(piece) }
                return piece.count
            }
            if n == 0 { throw truncated() }
            remaining -= Int64(n)
        }
    }

    /// Skips `count` bytes, by seeking when possible.
    public func skip(_ count: Int64) throws {
        if count <= 0 { return }
        let buffered = Int64(end - start)
        if count <= buffered {
            start += Int(count)
            return
        }
        if isSeekable {
            if let fileSize, count > fileSize - position {
                throw ArchiveError(.truncated, file: name, "truncated", offset: fileSize)
            }
            try seek(to: position + count)
        } else {
            try stream(count) { _ in }
        }
    }

    /// Absolute seek; only for seekable input.
    public func seek(to offset: Int64) throws {
        precondition(isSeekable)
        if offset >= bufferBase && offset <= bufferBase + Int64(end) {
            start = Int(offset - bufferBase)
            return
        }
        if lseek(fd, off_t(offset), SEEK_SET) < 0 {
            throw ArchiveError(.io, file: name, "error during file seek: \(String(cString: strerror(errno)))", offset: offset)
        }
        bufferBase = offset
        start = 0
        end = 0
    }

    /// Up to `count` bytes from the current position, without consuming them.
    public func peek(_ count: Int) throws -> [UInt8] {
        if end - start < count && fd >= 0 {
            if start > 0 {
                buffer.withUnsafeMutableBytes { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + start, end - start)
                }
                bufferBase += Int64(start)
                end -= start
                start = 0
            }
            while end < count {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + end, $0.count - end) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                end += n
            }
        }
        return Array(buffer[start..<min(end, start + count)])
    }

    /// Whether the input is at its end (reads ahead one buffer if needed).
    public func atEOF() throws -> Bool { !(try fill()) }

    func truncated() -> ArchiveError {
        ArchiveError(.truncated, file: name, "truncated", offset: position)
    }
}
