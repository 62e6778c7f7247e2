import Console
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered byte sink over a file descriptor. Write errors (a full disk, a closed pipe)
/// surface as `OutputError` instead of being lost.
public final class ScriptOutput {
    public struct OutputError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "could not write to output file \"\(path)\": \(reason)" }
    }

    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private let limit = 256 * 1024
    public private(set) var bytesWritten: Int64 = 0

    public init(fileDescriptor: Int32, path: String) {
        self.fd = fileDescriptor
        self.path = path
        buffer.reserveCapacity(limit)
    }

    public func write(_ s: String) throws { try write(Array(s.utf8)) }

    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { try flush() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= limit {
            try flush()
            try writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        let err = writeFully(fd, bytes)
        if err != 0 { throw OutputError(path: path, reason: String(cString: strerror(err))) }
        bytesWritten += Int64(bytes.count)
    }
}
