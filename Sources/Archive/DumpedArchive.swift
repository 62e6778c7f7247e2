#if canImport(Glibc)
import Glibc
#endif

/// An archive that exists only in memory, while a dump runs: the TOC entries the dumper
/// made and, for each data entry, the dumper that produces its data on request. It reads
/// like any archive, so the script renderer turns it into pg_dump's plain-text output the
/// way pg_dump does (RestoreArchive over its own in-memory archive), with table data going
/// from COPY straight into the script.
public final class DumpedArchive: ArchiveReader {
    public let file: String
    public let format = ArchiveFormat.custom
    public let header: ArchiveHeader
    public let entries: [TocEntry]
    let dumpers: [Int32: DataDumper]

    /// `options` gives the header fields (version, database, server and dumper versions).
    public init(entries: [TocEntry], dumpers: [Int32: DataDumper], options: ArchiveWriteOptions, file: String = "-") {
        self.entries = entries
        self.dumpers = dumpers
        self.file = file
        var now = time(nil)
        var t = tm()
        localtime_r(&now, &t)
        header = ArchiveHeader(
            version: options.version, intSize: 4, offSize: 8, formatCode: 0,
            compressionLevel: nil, compression: .none,
            createdTM: [t.tm_sec, t.tm_min, t.tm_hour, t.tm_mday, t.tm_mon, t.tm_year, t.tm_isdst],
            dbname: Array(options.dbname.utf8), serverVersion: Array(options.serverVersion.utf8),
            dumpVersion: Array(options.dumpVersion.utf8))
    }

    public func verboseExtraLine(_ te: TocEntry) -> String? { nil }

    /// Runs the entry's dumper, handing what it produces to `receiver` as it comes.
    public func readData(_ te: TocEntry, into receiver: DataReceiver, isDataRequired: (Int32) -> Bool) throws {
        guard let dumper = dumpers[te.dumpId] else { return }
        let isBlobs = te.desc == "BLOBS"
        if isBlobs { try receiver.beginLargeObjects() }
        try dumper(ReceiverStream(receiver))
        if isBlobs { try receiver.endLargeObjects() }
    }

    /// A dumper's output stream that feeds a data receiver.
    final class ReceiverStream: ArchiveDataStream {
        let receiver: DataReceiver
        init(_ receiver: DataReceiver) { self.receiver = receiver }
        func write(_ bytes: UnsafeRawBufferPointer) throws {
            if bytes.count > 0 { try receiver.data(bytes) }
        }
        func startLargeObject(_ oid: UInt32) throws { try receiver.beginLargeObject(oid) }
        func endLargeObject(_ oid: UInt32) throws { try receiver.endLargeObject(oid) }
    }
}
