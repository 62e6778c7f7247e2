#if canImport(Glibc)
import Glibc
#endif

/// Writes a tar-format archive (docs/archive-format.md, "Tar format") the way pg_dump's pg_backup_tar.c
/// does: a ustar stream of `toc.dat` (as the directory format's, but every data entry,
/// large objects included, names `<dumpId>.dat`), then each entry's data in TOC order
/// (`<dumpId>.dat`, or `blob_<oid>.dat` per large object followed by `blobs.toc`), then
/// `restore.sql`, then two zero blocks. Never compressed. A member's size goes in its
/// header, so each member is first written to an unlinked temporary file, as pg_dump does:
/// memory does not grow with the data, and the archive itself is written strictly forward
/// (a pipe will do).
public final class TarArchiveWriter: ArchiveWriter {
    let out: FileSink
    public let options: ArchiveWriteOptions
    /// Writes the rest of `restore.sql` (after the note) to the file descriptor it is given,
    /// for the entries the TOC holds; see `TarRestoreScriptArchive`.
    let restoreScript: (_ fd: Int32, _ entries: [TocEntry]) throws -> Void
    private var entries: [TocEntry] = []

    public init(fileDescriptor: Int32, options: ArchiveWriteOptions,
                restoreScript: @escaping (_ fd: Int32, _ entries: [TocEntry]) throws -> Void) {
        self.out = FileSink(fd: fileDescriptor)
        self.options = options
        self.restoreScript = restoreScript
    }

    /// The comment pg_dump puts before the script in `restore.sql`.
    static let scriptNote = """
        --
        -- NOTE:
        --
        -- File paths need to be edited. Search for $$PATH$$ and
        -- replace it with the path to the directory containing
        -- the extracted data files.
        --

        """

    /// WriteHead and WriteToc into the `toc.dat` member, each data entry naming `<dumpId>.dat`.
    public func writeToc(_ entries: [TocEntry]) throws {
        try options.validate()
        guard options.compression == .none else { throw ArchiveWriteError("compression is not supported by tar archive format") }
        self.entries = entries
        for te in entries { te.filename = te.hadDumper ? Array("\(te.dumpId).dat".utf8) : nil }

        let toc = try TarMember(name: "toc.dat")
        try toc.sink.writeHeader(options, formatCode: 3)
        try toc.sink.writeToc(entries, version: options.version) { te in try toc.sink.str(te.filename ?? []) }
        try add(toc)
    }

    /// _StartData (_StartLOs for BLOBS): the member opens with the first byte (or large object).
    public func startData(_ te: TocEntry) throws -> ArchiveEntryData {
        TarDataStream(writer: self, entry: te)
    }

    /// _CloseArchive: `restore.sql`, then the end of a tar archive: two blocks of zeros.
    public func close() throws {
        let script = try TarMember(name: "restore.sql")
        try script.sink.bytes(Array(Self.scriptNote.utf8))
        try script.sink.flush()
        try restoreScript(script.fd, entries)
        try add(script)

        try out.bytes([UInt8](repeating: 0, count: 1024))
        try out.flush()
    }

    /// Appends a finished member: header, contents, padding to a whole block.
    func add(_ m: TarMember) throws {
        defer { m.close() }
        try m.sink.flush()
        let size = lseek(m.fd, 0, SEEK_END)
        if size < 0 || lseek(m.fd, 0, SEEK_SET) != 0 {
            throw ArchiveWriteError("error during file seek: \(String(cString: strerror(errno)))")
        }
        try out.bytes(Self.header(name: m.name, size: UInt64(size), mtime: UInt64(max(time(nil), 0))))
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var copied: Int64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(m.fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ArchiveWriteError("could not read from temporary file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            try buffer.withUnsafeBytes { try out.raw(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            copied += Int64(n)
        }
        if copied != Int64(size) {
            throw ArchiveWriteError("actual file length (\(copied)) does not match expected (\(size))")
        }
        let pad = (512 - Int(size % 512)) % 512
        if pad > 0 { try out.bytes([UInt8](repeating: 0, count: pad)) }
    }

    /// tarCreateHeader: a ustar header with pg_dump's fixed mode, owner and names.
    static func header(name: String, size: UInt64, mtime: UInt64) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        let nameBytes = Array(name.utf8.prefix(99))
        h.replaceSubrange(0..<nameBytes.count, with: nameBytes)
        func number(_ at: Int, _ len: Int, _ value: UInt64) {
            if value < (UInt64(1) << UInt64((len - 1) * 3)) {
                var v = value
                h[at + len - 1] = 0x20
                for i in stride(from: len - 2, through: 0, by: -1) { h[at + i] = UInt8(0x30 + (v & 7)); v >>= 3 }
            } else {
                // GNU base-256 for sizes beyond the octal field.
                var v = value
                h[at] = 0x80
                for i in stride(from: len - 1, through: 1, by: -1) { h[at + i] = UInt8(v & 0xff); v >>= 8 }
            }
        }
        number(100, 8, 0o600)
        number(108, 8, 0o4000)
        number(116, 8, 0o2000)
        number(124, 12, size)
        number(136, 12, mtime)
        h[156] = 0x30  // regular file
        h.replaceSubrange(257..<263, with: Array("ustar".utf8) + [0])
        h.replaceSubrange(263..<265, with: Array("00".utf8))
        h.replaceSubrange(265..<273, with: Array("postgres".utf8))
        h.replaceSubrange(297..<305, with: Array("postgres".utf8))
        number(329, 8, 0)
        number(337, 8, 0)
        var sum = 8 * 0x20
        for (i, b) in h.enumerated() where i < 148 || i >= 156 { sum += Int(b) }
        number(148, 8, UInt64(sum))
        return h
    }
}

/// A member being written: an unlinked temporary file readable by its owner only.
final class TarMember {
    let name: String
    let fd: Int32
    let sink: FileSink

    init(name: String) throws {
        self.name = name
        let dir = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(dir)/cbdump-tar-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw ArchiveWriteError("could not generate temporary file name: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fchmod(fd, 0o600)
        self.fd = fd
        self.sink = FileSink(fd: fd)
    }

    func close() { _ = Glibc.close(fd) }
}

/// One entry's data while its dumper runs: `<dumpId>.dat`, or a member per large object and
/// then their list.
final class TarDataStream: ArchiveEntryData {
    let writer: TarArchiveWriter
    let entry: TocEntry
    private var member: TarMember?
    private var list: TarMember?

    init(writer: TarArchiveWriter, entry: TocEntry) {
        self.writer = writer
        self.entry = entry
    }

    private var isBlobs: Bool { entry.desc == "BLOBS" }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if member == nil {
            guard !isBlobs else { throw ArchiveWriteError("data outside a large object in \(entry.label)") }
            member = try TarMember(name: "\(entry.dumpId).dat")
        }
        try member!.sink.raw(bytes)
    }

    func startLargeObject(_ oid: UInt32) throws {
        guard isBlobs, member == nil else { throw ArchiveWriteError("unexpected large object \(oid) in \(entry.label)") }
        if list == nil {
            list = try TarMember(name: writer.options.version >= .v1_16 ? "blobs_\(entry.dumpId).toc" : "blobs.toc")
        }
        try list!.sink.bytes(Array("\(oid) blob_\(oid).dat\n".utf8))
        member = try TarMember(name: "blob_\(oid).dat")
    }

    func endLargeObject(_ oid: UInt32) throws {
        guard let m = member else { return }
        member = nil
        try writer.add(m)
    }

    /// _EndData (_EndLOs): the member, or the large-object list, appended.
    func endData() throws {
        if isBlobs {
            if list == nil {
                list = try TarMember(name: writer.options.version >= .v1_16 ? "blobs_\(entry.dumpId).toc" : "blobs.toc")
            }
        } else if member == nil {
            member = try TarMember(name: "\(entry.dumpId).dat")
        }
        if let m = member { member = nil; try writer.add(m) }
        if let l = list { list = nil; try writer.add(l) }
    }

    /// A failed dumper: the temporary members closed, nothing appended.
    func abandon() {
        member?.close(); member = nil
        list?.close(); list = nil
    }
}

/// The archive as `restore.sql` renders it: pg_dump prints it with the tar format's
/// "special script" data printer, which ends each table's `COPY ... FROM stdin` at once
/// and loads the extracted data file instead (`\i` for other data).
public final class TarRestoreScriptArchive: ArchiveReader {
    public let file = "restore.sql"
    public let format = ArchiveFormat.tar
    public let header: ArchiveHeader
    public let entries: [TocEntry]

    /// `entries` as the tar writer left them (with their data file names).
    public init(entries: [TocEntry], options: ArchiveWriteOptions) {
        self.entries = entries
        header = DumpedArchive(entries: [], dumpers: [:], options: options).header
    }

    public func verboseExtraLine(_ te: TocEntry) -> String? {
        te.filename.map { "-- File: " + String(decoding: $0, as: UTF8.self) }
    }

    public func readData(_ te: TocEntry, into receiver: DataReceiver, isDataRequired: (Int32) -> Bool) throws {
        guard let filename = te.filename else { return }
        var text: [UInt8]
        if let copy = te.copyStmt {
            let suffix = Array(" FROM stdin;\n".utf8)
            guard copy.count - suffix.count >= 6, copy.starts(with: Array("COPY ".utf8)), copy.suffix(suffix.count).elementsEqual(suffix) else {
                throw ArchiveWriteError("unexpected COPY statement syntax: \"\(String(decoding: copy, as: UTF8.self))\"")
            }
            text = Array("\\.\n".utf8) + copy.dropLast(suffix.count)
            text += Array(" FROM '$$PATH$$/".utf8) + filename + Array("';\n\n".utf8)
        } else {
            text = Array("\\i $$PATH$$/".utf8) + filename + Array("\n\n".utf8)
        }
        try text.withUnsafeBytes { try receiver.data($0) }
    }
}
