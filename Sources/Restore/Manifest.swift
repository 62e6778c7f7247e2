import Archive
import Foundation
import Console
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sidecar `ARCHIVE.manifest` that `cbdump --manifest` writes beside an archive (beside a
/// directory archive, not in it: the archive itself stays exactly what pg_restore reads).
/// JSON: per data entry its dumpId, uncompressed byte count and SHA-256; the SHA-256 of the
/// archive file (of `toc.dat` for a directory). Uncompressed and lz4 archives carry no
/// checksum of their own; with this, `cbrestore --verify` catches any change to them.
public struct ArchiveManifest: Equatable {
    public struct Entry: Equatable {
        public var dumpId: Int32
        public var desc: String
        public var namespace: String
        public var tag: String
        public var bytes: Int64
        public var sha256: String
    }

    public var format: String
    public var compression: String
    /// SHA-256 of the archive file, or of a directory archive's toc.dat.
    public var archiveSHA256: String
    public var archiveBytes: Int64
    public var entries: [Entry]

    public struct ManifestError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `db.dump` -> `db.dump.manifest`; `db.dir/` -> `db.dir.manifest`.
    public static func path(forArchive archive: String) -> String {
        var p = archive
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p + ".manifest"
    }

    /// What is hashed for the whole archive: the file, or a directory's toc.dat.
    public static func wholeFile(of reader: ArchiveReader) -> String? {
        if reader.file == "-" { return nil }
        if reader.format != .directory { return reader.file }
        return reader.file.hasSuffix("/") ? reader.file + "toc.dat" : reader.file + "/toc.dat"
    }

    /// The manifest of a sound archive, from a verifier's results.
    public init(reader: ArchiveReader, results: [ArchiveVerifier.EntryResult]) throws {
        guard let whole = Self.wholeFile(of: reader) else {
            throw ManifestError(description: "a manifest needs an archive file, not standard input")
        }
        format = reader.format.rawValue
        compression = reader.header.compression.name
        (archiveSHA256, archiveBytes) = try Self.digest(ofFile: whole)
        entries = results.map { Entry(dumpId: $0.dumpId, desc: $0.desc, namespace: $0.namespace, tag: $0.tag, bytes: $0.bytes, sha256: $0.sha256) }
    }

    /// SHA-256 and size of a file, read in 256 kB pieces.
    public static func digest(ofFile path: String) throws -> (String, Int64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ManifestError(description: "could not open \"\(path)\": \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var hasher = SHA256()
        var buf = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ManifestError(description: "could not read \"\(path)\": \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            buf.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        let size = hasher.byteCount
        return (hasher.finalizeHex(), size)
    }

    /// Stable, readable JSON: one entry a line.
    public var json: String {
        var s = "{\n"
        s += "  \"manifestVersion\": 1,\n"
        s += "  \"format\": \(JSON.string(format)),\n"
        s += "  \"compression\": \(JSON.string(compression)),\n"
        s += "  \"archiveBytes\": \(archiveBytes),\n"
        s += "  \"archiveSHA256\": \(JSON.string(archiveSHA256)),\n"
        s += "  \"entries\": ["
        for (i, e) in entries.enumerated() {
            s += i == 0 ? "\n" : ",\n"
            s += "    {\"dumpId\": \(e.dumpId), \"desc\": \(JSON.string(e.desc)), \"namespace\": \(JSON.string(e.namespace)), "
            s += "\"tag\": \(JSON.string(e.tag)), \"bytes\": \(e.bytes), \"sha256\": \(JSON.string(e.sha256))}"
        }
        s += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return s
    }

    /// Writes the manifest to `path` through a temporary file and a rename.
    public func write(to path: String) throws {
        let temp = "\(path).tmp-\(getpid())"
        let bytes = Array(json.utf8)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw ManifestError(description: "could not open manifest file \"\(temp)\": \(String(cString: strerror(errno)))") }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let why = String(cString: strerror(errno))
                close(fd); unlink(temp)
                throw ManifestError(description: "could not write manifest file \"\(path)\": \(why)")
            }
            done += n
        }
        if fsync(fd) != 0 || close(fd) != 0 || rename(temp, path) != 0 {
            let why = String(cString: strerror(errno))
            unlink(temp)
            throw ManifestError(description: "could not write manifest file \"\(path)\": \(why)")
        }
    }

    /// Reads a manifest; any malformation is an error naming the file.
    public static func load(path: String) throws -> ArchiveManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestError(description: "could not read manifest file \"\(path)\"")
        }
        let bad = { (what: String) in ManifestError(description: "invalid manifest file \"\(path)\": \(what)") }
        guard let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw bad("not a JSON object") }
        guard (top["manifestVersion"] as? NSNumber)?.intValue == 1 else { throw bad("unknown manifestVersion") }
        guard let format = top["format"] as? String, let compression = top["compression"] as? String,
              let sha = top["archiveSHA256"] as? String, let size = (top["archiveBytes"] as? NSNumber)?.int64Value,
              let list = top["entries"] as? [[String: Any]] else { throw bad("missing fields") }
        var entries: [Entry] = []
        for (i, e) in list.enumerated() {
            guard let id = (e["dumpId"] as? NSNumber)?.int32Value, let bytes = (e["bytes"] as? NSNumber)?.int64Value,
                  let digest = e["sha256"] as? String else { throw bad("entry \(i + 1) lacks dumpId, bytes or sha256") }
            entries.append(Entry(dumpId: id, desc: e["desc"] as? String ?? "", namespace: e["namespace"] as? String ?? "",
                                 tag: e["tag"] as? String ?? "", bytes: bytes, sha256: digest))
        }
        return ArchiveManifest(format: format, compression: compression, archiveSHA256: sha, archiveBytes: size, entries: entries)
    }

    public init(format: String, compression: String, archiveSHA256: String, archiveBytes: Int64, entries: [Entry]) {
        self.format = format
        self.compression = compression
        self.archiveSHA256 = archiveSHA256
        self.archiveBytes = archiveBytes
        self.entries = entries
    }

    /// Adds to `results` what disagrees with this manifest; returns archive-level problems.
    public func check(_ results: inout [ArchiveVerifier.EntryResult], reader: ArchiveReader) -> [String] {
        var problems: [String] = []
        var byId: [Int32: Entry] = [:]
        for e in entries { byId[e.dumpId] = e }
        var seen = Set<Int32>()
        for i in results.indices {
            let r = results[i]
            seen.insert(r.dumpId)
            guard let m = byId[r.dumpId] else {
                results[i].problems.append("not listed in the manifest")
                continue
            }
            if m.bytes != r.bytes {
                results[i].problems.append("\(r.bytes) bytes of data, the manifest says \(m.bytes)")
            } else if m.sha256 != r.sha256 {
                results[i].problems.append("SHA-256 of the data differs from the manifest's (\(r.sha256), expected \(m.sha256))")
            }
        }
        for e in entries where !seen.contains(e.dumpId) {
            problems.append("the manifest lists data for dumpId \(e.dumpId) (\(e.desc) \(e.namespace) \(e.tag)), which the archive lacks")
        }
        if format != reader.format.rawValue { problems.append("the manifest is for a \(format) archive, this one is \(reader.format.rawValue)") }
        if let whole = Self.wholeFile(of: reader) {
            do {
                let (sha, size) = try Self.digest(ofFile: whole)
                if size != archiveBytes {
                    problems.append("\(whole) has \(size) bytes, the manifest says \(archiveBytes)")
                } else if sha != archiveSHA256 {
                    problems.append("SHA-256 of \(whole) differs from the manifest's")
                }
            } catch {
                problems.append("\(error)")
            }
        }
        return problems
    }
}
