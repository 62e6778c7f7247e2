#if canImport(Glibc)
import Glibc
#endif

/// Writes a directory-format archive (docs/archive-format.md, "Directory format") the way pg_dump's
/// pg_backup_directory.c does: `toc.dat` (format code 3, each entry's data file name as its
/// extra field), one `<dumpId>.dat[.gz|.lz4|.zst]` per table, and for large objects one
/// `blob_<oid>.dat[...]` each plus the uncompressed list `blobs.toc`. Data files are whole
/// compressed streams (a gzip file, an LZ4 frame, a zstd frame). Files are created 0600.
///
/// `writeData` may run on several threads at once for different entries (pg_dump -j): each
/// call has its own files and shares nothing with the others.
public final class DirectoryArchiveWriter: ArchiveWriter, Sendable {
    /// The directory written into: it exists and is empty (the caller made it).
    public let directory: String
    public let options: ArchiveWriteOptions
    /// fsync each file when it is complete (pg_dump syncs unless --no-sync).
    let sync: Bool

    public init(directory: String, options: ArchiveWriteOptions, sync: Bool = true) throws {
        try options.validate()
        self.directory = directory
        self.options = options
        self.sync = sync
    }

    /// The data file name pg_dump gives an entry (its TOC extra field): `blobs.toc` for the
    /// large objects (archives before 1.16 have one such entry), `<dumpId>.dat` for other
    /// data, nothing for the rest.
    public func fileName(_ te: TocEntry) -> String? {
        if te.desc == "BLOBS" { return options.version >= .v1_16 ? "blobs_\(te.dumpId).toc" : "blobs.toc" }
        return te.hadDumper ? "\(te.dumpId).dat" : nil
    }

    /// Writes `toc.dat`, which pg_dump always leaves uncompressed.
    public func writeToc(_ entries: [TocEntry]) throws {
        for te in entries { te.filename = fileName(te).map { Array($0.utf8) } }
        let fd = try create("toc.dat")
        defer { Glibc.close(fd) }
        let out = FileSink(fd: fd)
        try out.writeHeader(options, formatCode: 3)
        try out.writeToc(entries, version: options.version) { te in try out.str(te.filename ?? []) }
        try out.flush()
        try finishFile(fd, "toc.dat")
    }

    /// _StartData (_StartLOs for BLOBS): creates the entry's data file (or its large-object
    /// list; each large object's file comes with StartLO).
    public func startData(_ te: TocEntry) throws -> ArchiveEntryData {
        let stream = DirectoryDataStream(writer: self, entry: te)
        do {
            if te.desc == "BLOBS" {
                try stream.openList(fileName(te)!)
            } else {
                try stream.openFile(fileName(te)!)
            }
        } catch {
            stream.discard()
            throw error
        }
        return stream
    }

    /// _CloseArchive: the directory's own entries flushed to disk (toc.dat was written first).
    public func close() throws { try syncDirectory() }

    /// Flushes the directory itself to disk (its entries), after the last file.
    func syncDirectory() throws {
        guard sync else { return }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw ArchiveWriteError("could not open directory \"\(directory)\": \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        if fsync(fd) != 0 { throw ArchiveWriteError("could not fsync directory \"\(directory)\": \(String(cString: strerror(errno)))") }
    }

    func path(_ name: String) -> String { directory.hasSuffix("/") ? directory + name : directory + "/" + name }

    /// Creates a new file (never replacing one) readable by its owner only.
    func create(_ name: String) throws -> Int32 {
        let fd = open(path(name), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 { throw ArchiveWriteError("could not open output file \"\(path(name))\": \(String(cString: strerror(errno)))") }
        return fd
    }

    func finishFile(_ fd: Int32, _ name: String) throws {
        if sync && fsync(fd) != 0 {
            throw ArchiveWriteError("could not fsync file \"\(path(name))\": \(String(cString: strerror(errno)))")
        }
    }
}

/// One entry's data files while its dumper runs.
final class DirectoryDataStream: ArchiveEntryData {
    let writer: DirectoryArchiveWriter
    let entry: TocEntry
    /// The open data file (a table's, or the current large object's).
    private var file: (fd: Int32, name: String, sink: FileSink, encoder: StreamEncoder)?
    /// The large-object list (`blobs.toc`), for a BLOBS entry.
    private var list: (fd: Int32, name: String, sink: FileSink)?

    init(writer: DirectoryArchiveWriter, entry: TocEntry) {
        self.writer = writer
        self.entry = entry
    }

    func openFile(_ baseName: String) throws {
        let name = baseName + writer.options.compressionSpec.fileSuffix
        let fd = try writer.create(name)
        do {
            file = (fd, name, FileSink(fd: fd), try makeEncoder(writer.options.compressionSpec, gzipFile: true))
        } catch {
            close(fd)
            throw error
        }
    }

    func openList(_ name: String) throws {
        let fd = try writer.create(name)
        list = (fd, name, FileSink(fd: fd))
    }

    private func closeFile() throws {
        guard let f = file else { return }
        file = nil
        defer { close(f.fd) }
        try f.encoder.finish { try f.sink.raw($0) }
        try f.sink.flush()
        try writer.finishFile(f.fd, f.name)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let f = file else { throw ArchiveWriteError("data written outside a data file for \(entry.label)") }
        try f.encoder.feed(bytes) { try f.sink.raw($0) }
    }

    func startLargeObject(_ oid: UInt32) throws {
        guard list != nil, file == nil else { throw ArchiveWriteError("unexpected large object \(oid) in \(entry.label)") }
        try openFile("blob_\(oid).dat")
    }

    func endLargeObject(_ oid: UInt32) throws {
        try closeFile()
        // The list names the file without its compression suffix, as pg_dump writes it.
        try list!.sink.bytes(Array("\(oid) blob_\(oid).dat\n".utf8))
    }

    /// _EndData: the data file complete; _EndLOs: the large-object list complete.
    func endData() throws {
        try closeFile()
        if let l = list {
            list = nil
            defer { close(l.fd) }
            try l.sink.flush()
            try writer.finishFile(l.fd, l.name)
        }
    }

    func abandon() { discard() }

    /// After a failure: closes what is open (the caller removes the directory).
    func discard() {
        if let f = file { close(f.fd); file = nil }
        if let l = list { close(l.fd); list = nil }
    }
}
