#if canImport(Glibc)
import Glibc
#endif

/// Where a dumper's table data or large objects go while an archive is written.
public protocol ArchiveDataStream: AnyObject {
    /// Table data bytes (COPY text or INSERT statements), or the current large object's bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func startLargeObject(_ oid: UInt32) throws
    func endLargeObject(_ oid: UInt32) throws
}

/// Produces one TOC entry's data, when the writer asks for it (pg_dump's dataDumper).
public typealias DataDumper = (ArchiveDataStream) throws -> Void

/// One entry's data while its dumper runs, as a writer's `startData` opened it: the
/// dumper's WriteData, StartLO and EndLO calls (`ArchiveDataStream`), then EndData.
public protocol ArchiveEntryData: ArchiveDataStream {
    /// EndData (EndLOs for a BLOBS entry): the entry's data is complete.
    func endData() throws
    /// After a failed dumper: releases what StartData opened; nothing more is written.
    func abandon()
}

/// An archive being written: pg_backup_archiver's per-format callbacks (WriteToc, StartData,
/// WriteData, EndData, StartLO, EndLO, CloseArchive), which each format implements as
/// pg_backup_custom.c, pg_backup_directory.c and pg_backup_tar.c do. `write(entries:dumpers:)`
/// is the order pg_dump calls them in. Table data and large objects reach the writer in the
/// dumper's chunks and leave it in bounded ones: no writer holds a whole table.
public protocol ArchiveWriter: AnyObject {
    var options: ArchiveWriteOptions { get }
    /// WriteHead and WriteToc: the header and every entry (custom: offsets not yet known).
    func writeToc(_ entries: [TocEntry]) throws
    /// StartData (StartLOs for a BLOBS entry): where the entry's dumper writes.
    func startData(_ te: TocEntry) throws -> ArchiveEntryData
    /// CloseArchive, after the last data: custom rewrites the TOC with the offsets when it
    /// can seek; tar adds restore.sql and the end blocks; directory syncs the directory.
    /// Flushes, but does not close or sync the caller's file descriptor.
    func close() throws
}

extension ArchiveWriter {
    /// WriteDataChunksForTocEntry: StartData, the dumper, EndData.
    public func writeData(_ te: TocEntry, _ dumper: DataDumper) throws {
        let stream = try startData(te)
        do {
            try dumper(stream)
            try stream.endData()
        } catch {
            stream.abandon()
            throw error
        }
    }

    /// WriteDataChunks: each data entry's data in TOC order (entries without a dumper have none).
    public func writeDataChunks(_ entries: [TocEntry], dumpers: [Int32: DataDumper]) throws {
        for te in entries where te.hadDumper {
            if let dumper = dumpers[te.dumpId] { try writeData(te, dumper) }
        }
    }

    /// The whole archive as pg_dump writes it: WriteToc, WriteDataChunks, CloseArchive.
    public func write(entries: [TocEntry], dumpers: [Int32: DataDumper]) throws {
        try writeToc(entries)
        try writeDataChunks(entries, dumpers: dumpers)
        try close()
    }
}

/// What every archive writer is given: the header fields pg_dump writes.
public struct ArchiveWriteOptions: Sendable {
    public var version: ArchiveVersion = .v1_14
    /// How data is compressed (gzip at zlib's default level: pg_dump's default for -Fc/-Fd).
    /// lz4 and zstd need archive 1.15 or later.
    public var compressionSpec = CompressionSpec.gzipDefault
    public var compression: CompressionAlgorithm {
        get { compressionSpec.algorithm }
        set { compressionSpec.algorithm = newValue }
    }
    /// gzip level 1-9, or -1 for zlib's default; lz4/zstd: their level.
    public var compressionLevel: Int {
        get { compressionSpec.effectiveLevel }
        set { compressionSpec.level = newValue }
    }
    public var dbname: String = ""
    public var serverVersion: String = ""
    public var dumpVersion: String = ""
    /// Deflate on a second thread while the data is read (the archive is the same either way).
    public var compressOnSecondThread = true
    public init() {}
}

extension ArchiveWriteOptions {
    /// Refuses what the chosen archive version cannot hold.
    func validate() throws {
        let v = version
        guard v >= .v1_14 && v <= .v1_16 else { throw ArchiveWriteError("cannot write archive version \(v)") }
        if v < .v1_15 && !(compression == .gzip || compression == .none) {
            throw ArchiveWriteError("archive version \(v) can hold only gzip-compressed or uncompressed data")
        }
    }
}

extension FileSink {
    /// WriteHead: magic, version, sizes, format code, compression, creation time (local),
    /// database name, server and dumper versions.
    func writeHeader(_ options: ArchiveWriteOptions, formatCode: UInt8) throws {
        try bytes(Array("PGDMP".utf8))
        let v = options.version
        try byte(v.major); try byte(v.minor); try byte(v.rev)
        try byte(4)   // sizeof(int)
        try byte(8)   // sizeof(pgoff_t)
        try byte(formatCode)
        if v >= .v1_15 {
            try byte(options.compression.rawValue)
        } else {
            try int(Int32(options.compression == .none ? 0 : options.compressionLevel))
        }
        var now = time(nil)
        var tm = tm()
        localtime_r(&now, &tm)
        for f in [tm.tm_sec, tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon, tm.tm_year, tm.tm_isdst] {
            try int(f)
        }
        try str(Array(options.dbname.utf8))
        try str(Array(options.serverVersion.utf8))
        try str(Array(options.dumpVersion.utf8))
    }

    /// WriteToc: the entry count, then every entry; `extra` writes the format's own field
    /// (custom: the data offset; directory and tar: the data file name).
    func writeToc(_ entries: [TocEntry], version: ArchiveVersion, extra: (TocEntry) throws -> Void) throws {
        try int(Int32(entries.count))
        for te in entries {
            try int(te.dumpId)
            try int(te.hadDumper ? 1 : 0)
            try str(decimal: Int64(te.tableOid))
            try str(decimal: Int64(te.oid))
            try str(te.tag)
            try str(te.desc)
            try int(te.section.rawValue)
            try str(te.defn)
            try str(te.dropStmt)
            try str(te.copyStmt)
            try str(te.namespace)
            try str(te.tablespace)
            try str(te.tableam)
            if version >= .v1_16 { try int(te.relkind) }
            try str(te.owner)
            try str("false")
            for d in te.dependencies { try str(decimal: Int64(d)) }
            try str(nil)
            try extra(te)
        }
    }
}
