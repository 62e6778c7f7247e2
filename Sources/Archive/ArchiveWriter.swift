/// Where a dumper's table data or large objects go while an archive is written.
public protocol ArchiveDataStream: AnyObject {
    /// Table data bytes (COPY text or INSERT statements), or the current large object's bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func startLargeObject(_ oid: UInt32) throws
    func endLargeObject(_ oid: UInt32) throws
}

/// Produces one TOC entry's data, when the writer asks for it (pg_dump's dataDumper).
public typealias DataDumper = (ArchiveDataStream) throws -> Void

/// What every archive writer is given: the header fields pg_dump writes.
public struct ArchiveWriteOptions: Sendable {
    public var version: ArchiveVersion = .v1_14
    public var compression: CompressionAlgorithm = .gzip
    /// gzip level 1-9, or -1 for zlib's default (pg_dump's default for -Fc).
    public var compressionLevel: Int = -1
    public var dbname: String = ""
    public var serverVersion: String = ""
    public var dumpVersion: String = ""
    /// Deflate on a second thread while the data is read (the archive is the same either way).
    public var compressOnSecondThread = true
    public init() {}
}
