import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A readable pg_dump archive of any format.
public protocol ArchiveReader: AnyObject {
    /// The path given by the user (or "-" for standard input).
    var file: String { get }
    var format: ArchiveFormat { get }
    var header: ArchiveHeader { get }
    var entries: [TocEntry] { get }
    /// The format-specific line pg_restore -v adds to an entry's comment header.
    func verboseExtraLine(_ te: TocEntry) -> String?
    /// Decodes `te`'s data into `receiver`, chunk by chunk. `isDataRequired(dumpId)` tells
    /// whether another entry's data will be wanted later (forward-only formats refuse to
    /// skip over data that is still needed).
    func readData(_ te: TocEntry, into receiver: DataReceiver, isDataRequired: (Int32) -> Bool) throws
}

/// Opens archives, detecting the format the way pg_restore does.
public enum ArchiveOpener {
    static let textDumpHeader = Array("--\n-- PostgreSQL database dump\n--\n\n".utf8)
    static let textDumpAllHeader = Array("--\n-- PostgreSQL database cluster dump\n--\n\n".utf8)

    /// `path` nil or "-" reads standard input. `format` forces a format (pg_restore -F).
    public static func open(path: String?, format: ArchiveFormat? = nil, gpbackup: GpbackupOptions = .init()) throws -> ArchiveReader {
        let name = (path == nil || path == "-") ? "-" : path!
        // A gpbackup set: its coordinator _toc.yaml, or a directory holding one (and no toc.dat).
        if name != "-" && (format == nil || format == .gpbackup) && !FileManager.default.fileExists(atPath: name + "/toc.dat") {
            do {
                _ = try GpbackupSet.locateTOC(name)
                return try GpbackupArchiveReader(path: name, options: gpbackup)
            } catch let e as ArchiveError where e.kind == .notAnArchive && format != .gpbackup {
                // Not a gpbackup set: one of pg_dump's formats, below.
            }
        }
        if format == .gpbackup { throw ArchiveError(.notAnArchive, file: name, "a gpbackup set cannot be read from standard input") }
        if name != "-" {
            var st = stat()
            if stat(name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                if let format, format != .directory {
                    throw ArchiveError(.notAnArchive, file: name, "is a directory, but a \(format.rawValue.lowercased()) archive was requested")
                }
                return try DirectoryArchiveReader(path: name)
            }
            if format == .directory {
                throw ArchiveError(.notAnArchive, file: name, "is not a directory, but a directory archive was requested (-F d)")
            }
        } else if format == .directory {
            throw ArchiveError(.notAnArchive, file: name, "a directory archive cannot be read from standard input")
        }
        let input = name == "-" ? ByteInput(fileDescriptor: 0, name: "-") : try ByteInput(path: name)
        let sig = try input.peek(5)
        if sig.count < 5 {
            throw ArchiveError(.notAnArchive, file: name, "input file is too short (read \(sig.count), expected 5)")
        }
        if sig == Array("PGDMP".utf8) {
            if let format, format != .custom {
                throw ArchiveError(.notAnArchive, file: name, "is a custom-format archive, but a \(format.rawValue.lowercased()) archive was requested")
            }
            return try CustomArchiveReader(input: input)
        }
        let head = try input.peek(512)
        if head.starts(with: textDumpHeader) || head.starts(with: textDumpAllHeader) || looksLikeTextDump(head) {
            throw ArchiveError(.plainTextDump, file: name, "input file appears to be a text format dump. Please use psql.")
        }
        if head.count < 512 {
            throw ArchiveError(.notAnArchive, file: name, "input file does not appear to be a valid archive (too short?)")
        }
        guard TarHeader.isValid(head) else {
            throw ArchiveError(.notAnArchive, file: name, "input file does not appear to be a valid archive")
        }
        if let format, format != .tar {
            throw ArchiveError(.notAnArchive, file: name, "is a tar archive, but a \(format.rawValue.lowercased()) archive was requested")
        }
        return try TarArchiveReader(input: input)
    }

    /// Greenplum and Cloudberry spell the plain-dump banner differently.
    private static func looksLikeTextDump(_ head: [UInt8]) -> Bool {
        guard head.starts(with: Array("--\n-- ".utf8)) else { return false }
        let firstLines = head.prefix(80)
        return String(decoding: firstLines, as: UTF8.self).contains("database dump")
    }
}

/// A decoder's failure as the ArchiveError the readers throw: corrupt, at `offset` (the
/// byte of the chunk or file being decoded when it failed).
func decodeError(_ e: DecodeError, file: String, offset: Int64) -> ArchiveError {
    ArchiveError(.corrupt, file: file, e.message, offset: offset)
}
