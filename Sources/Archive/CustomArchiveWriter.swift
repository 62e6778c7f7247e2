/// Writes a custom-format archive (placeholder until the writer lands).
public final class CustomArchiveWriter {
    let fd: Int32
    let options: ArchiveWriteOptions

    /// `fileDescriptor` is an open, writable file or pipe; when it can seek, the TOC is
    /// rewritten at the end with each data block's offset.
    public init(fileDescriptor: Int32, options: ArchiveWriteOptions) {
        self.fd = fileDescriptor
        self.options = options
    }

    /// Writes header, TOC, every data block (calling each entry's dumper in TOC order) and,
    /// when seekable, the TOC again with offsets.
    public func write(entries: [TocEntry], dumpers: [Int32: DataDumper]) throws {
        throw ArchiveError(.notAnArchive, file: "-", "custom-format writer not implemented yet")
    }
}
