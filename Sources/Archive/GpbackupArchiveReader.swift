// A gpbackup set seen as an archive, so that cbrestore's selection, listing, script and live
// restore work on it unchanged: each statement of metadata.sql is an entry (desc = gpbackup's
// object type), each data entry a TABLE DATA entry whose COPY reads CSV, and whose data is
// every segment's file for the table, decompressed as a stream, one after the other.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What only a gpbackup set knows to ask.
public struct GpbackupOptions: Sendable {
    /// Include the global entries (roles, resource queues and groups, tablespaces, the database).
    public var globals = false
    /// -O: leave out gpbackup's `ALTER ... OWNER TO` statements (its own entries).
    public var noOwner = false
    /// -x: leave out its GRANT/REVOKE statements.
    public var noPrivileges = false
    /// Include the statistics entries (gpbackup --with-stats: statistics.sql), one
    /// STATISTICS DATA entry per table, after post-data.
    public var statistics = false
    public init(globals: Bool = false, noOwner: Bool = false, noPrivileges: Bool = false, statistics: Bool = false) {
        self.globals = globals; self.noOwner = noOwner; self.noPrivileges = noPrivileges; self.statistics = statistics
    }
}

public final class GpbackupArchiveReader: ArchiveReader {
    public let file: String
    public let format = ArchiveFormat.gpbackup
    public let header: ArchiveHeader
    public let entries: [TocEntry]
    public let set: GpbackupSet
    /// The gpbackup data entry behind each TABLE DATA entry, by dump ID.
    public let dataEntries: [Int32: GpbackupDataEntry]
    /// --single-data-file: one forward stream per content, reused while entries come in file order.
    private var streams: [String: SegmentStream] = [:]

    public convenience init(path: String, options: GpbackupOptions = .init()) throws {
        try self.init(set: try GpbackupSet(path: path), path: path, options: options)
    }

    public init(set: GpbackupSet, path: String, options: GpbackupOptions) throws {
        self.set = set
        file = path
        let c = set.config
        var tm: [Int32]? = nil
        let d = Array(set.timestamp.utf8).map { Int32($0) - 48 }
        if d.count == 14 {
            func n(_ a: Int, _ b: Int) -> Int32 { d[a..<b].reduce(0) { $0 * 10 + $1 } }
            tm = [n(12, 14), n(10, 12), n(8, 10), n(6, 8), n(4, 6) - 1, n(0, 4) - 1900, -1]
        }
        header = ArchiveHeader(version: .v1_14, intSize: 4, offSize: 8, formatCode: 0,
                               compressionLevel: set.compression == .none ? 0 : -1, compression: set.compression,
                               createdTM: tm, dbname: Array(gpbackupUnquote(c.databaseName).utf8),
                               serverVersion: Array(c.databaseVersion.utf8),
                               dumpVersion: Array("gpbackup \(c.backupVersion)".utf8))

        // metadata.sql is read whole: its statements become the entries' definitions.
        let metaPath = set.metadataPath
        let needMeta = !(set.toc.globals.isEmpty && set.toc.preData.isEmpty && set.toc.postData.isEmpty)
        var meta: [UInt8] = []
        if needMeta {
            guard let m = FileManager.default.contents(atPath: metaPath) else {
                throw ArchiveError(.missingFile, file: metaPath, "could not read the metadata file (\(String(cString: strerror(errno))))")
            }
            meta = [UInt8](m)
        }
        var list: [TocEntry] = []
        var nextId: Int32 = 1
        func add(_ configure: (TocEntry) -> Void) -> TocEntry {
            let te = TocEntry(dumpId: nextId)
            nextId += 1
            configure(te)
            list.append(te)
            return te
        }
        func statement(_ e: GpbackupMetadataEntry, _ where_: String) throws -> [UInt8] {
            try Self.statement(e, where_, in: meta, path: metaPath)
        }
        // pg_restore's special entries: gpbackup writes metadata.sql in the database's
        // encoding (SESSION GUCS) with standard strings, and qualifies every name.
        var encoding = "UTF8"
        if let gucs = set.toc.globals.first(where: { $0.objectType == "SESSION GUCS" }) {
            let text = String(decoding: try statement(gucs, "global"), as: UTF8.self)
            if let r = text.range(of: "client_encoding = '"), let end = text[r.upperBound...].firstIndex(of: "'") {
                encoding = String(text[r.upperBound..<end])
            }
        }
        _ = add { $0.desc = "ENCODING"; $0.tag = Array("ENCODING".utf8); $0.section = .preData
            $0.defn = Array("SET client_encoding = '\(encoding)';\n".utf8) }
        _ = add { $0.desc = "STDSTRINGS"; $0.tag = Array("STDSTRINGS".utf8); $0.section = .preData
            $0.defn = Array("SET standard_conforming_strings = 'on';\n".utf8) }
        _ = add { $0.desc = "SEARCHPATH"; $0.tag = Array("SEARCHPATH".utf8); $0.section = .preData
            $0.defn = Array("SELECT pg_catalog.set_config('search_path', '', false);\n".utf8) }

        var objects: [String: Int32] = [:]
        func metadataEntry(_ e: GpbackupMetadataEntry, section: Section, _ where_: String) throws {
            var defn = try statement(e, where_)
            let kind = Self.statementKind(defn)
            if (kind == .owner && options.noOwner) || (kind == .privileges && options.noPrivileges) { defn = [] }
            let objectKey = e.objectType + "\u{0}" + e.schema + "\u{0}" + e.name
            let te = add { te in
                te.desc = e.objectType
                te.section = section
                te.tag = Array(gpbackupUnquote(e.name).utf8)
                te.namespace = e.schema.isEmpty ? nil : Array(gpbackupUnquote(e.schema).utf8)
                te.defn = defn
                // The object's comment and privileges are entries of their own in gpbackup's
                // TOC, under the object's type: named as pg_dump names them, so that -x,
                // --no-comments and -O's CREATE SCHEMA rewrite see them for what they are.
                switch kind {
                case .externalTable where e.objectType == "TABLE": te.desc = "EXTERNAL TABLE"
                case .privileges, .comment:
                    te.desc = kind == .comment ? "COMMENT" : "ACL"
                    te.tag = Array("\(e.objectType) ".utf8) + te.tag
                    if let parent = objects[objectKey] { te.dependencies = [parent] }
                // The database's owner and settings (ALTER DATABASE) go with the database
                // itself, only with -C: pg_dump's DATABASE PROPERTIES.
                case _ where e.objectType == "DATABASE METADATA" || e.objectType == "DATABASE GUC":
                    te.desc = "DATABASE PROPERTIES"
                default: break
                }
            }
            if objects[objectKey] == nil && kind == .other { objects[objectKey] = te.dumpId }
        }
        if options.globals {
            for e in set.toc.globals where e.objectType != "SESSION GUCS" { try metadataEntry(e, section: .preData, "global") }
        }
        for e in set.toc.preData { try metadataEntry(e, section: .preData, "pre-data") }
        var tables: [String: Int32] = [:]
        for te in list where te.desc == "TABLE" {
            let key = String(decoding: (te.namespace ?? []) + [0x2e] + te.tag, as: UTF8.self)
            if tables[key] == nil { tables[key] = te.dumpId }
        }
        var data: [Int32: GpbackupDataEntry] = [:]
        for d in set.dataEntries {
            // The COPY statement is made of these names as the TOC gives them (quote_ident'ed
            // by the source server, as gprestore uses them): anything else is refused, so that
            // a damaged or hostile TOC cannot put SQL into it.
            for (what, v) in [("schema", d.schema), ("name", d.name)] where !Self.isQuotedIdentifier(v) {
                throw ArchiveError(.corrupt, file: set.tocPath, "data entry \(what) \"\(v)\" is not an identifier as quote_ident writes it")
            }
            if !Self.isAttributeList(d.attributeString) {
                throw ArchiveError(.corrupt, file: set.tocPath, "data entry \(d.fqn): attributestring \"\(d.attributeString)\" is not a list of identifiers")
            }
            let ns = gpbackupUnquote(d.schema), name = gpbackupUnquote(d.name)
            let te = add { te in
                te.desc = "TABLE DATA"
                te.section = .data
                te.hadDumper = true
                te.oid = d.oid
                te.tag = Array(name.utf8)
                te.namespace = Array(ns.utf8)
                te.defn = []
                // gpbackup's own names, quoted by the source server's quote_ident, as its
                // restore uses them.
                let cols = d.attributeString.isEmpty ? "" : " " + d.attributeString
                te.copyStmt = Array("COPY \(d.schema).\(d.name)\(cols) FROM stdin WITH CSV DELIMITER ',';\n".utf8)
                te.filename = Array("gpbackup_<content>_\(d.timestamp)_\(d.oid)\(set.fileExtension)".utf8)
                if let t = tables[ns + "." + name] { te.dependencies = [t] }
            }
            data[te.dumpId] = d
        }
        let dataIds = data.keys.sorted()
        for e in set.toc.postData {
            try metadataEntry(e, section: .postData, "post-data")
            list.last!.dependencies = dataIds
        }
        let postIds = list.filter { $0.section == .postData }.map(\.dumpId)
        // gpbackup --with-stats: statistics.sql holds, per table, an UPDATE of pg_class and a
        // DELETE and an INSERT into pg_statistic per column, each an entry of its own; the
        // consecutive entries of one table become one STATISTICS DATA entry, restored where
        // gprestore restores them, after the data and post-data.
        if options.statistics && !set.toc.statistics.isEmpty {
            let statsPath = set.statisticsPath
            guard let m = FileManager.default.contents(atPath: statsPath) else {
                throw ArchiveError(.missingFile, file: statsPath, "could not read the statistics file (\(String(cString: strerror(errno))))")
            }
            let stats = [UInt8](m)
            var k = 0
            let all = set.toc.statistics
            while k < all.count {
                let first = all[k]
                var defn: [UInt8] = []
                while k < all.count && all[k].schema == first.schema && all[k].name == first.name {
                    defn += try Self.statement(all[k], "statistics", in: stats, path: statsPath)
                    k += 1
                }
                let ns = gpbackupUnquote(first.schema), name = gpbackupUnquote(first.name)
                _ = add { te in
                    te.desc = "STATISTICS DATA"
                    te.section = .postData
                    te.tag = Array(name.utf8)
                    te.namespace = Array(ns.utf8)
                    te.defn = defn
                    te.dependencies = (tables[ns + "." + name].map { [$0] } ?? []) + dataIds + postIds
                }
            }
        }
        entries = list
        dataEntries = data
    }

    /// One statement of metadata.sql (or statistics.sql) by the entry's byte range, trimmed.
    static func statement(_ e: GpbackupMetadataEntry, _ where_: String, in meta: [UInt8], path metaPath: String) throws -> [UInt8] {
        guard e.endByte <= Int64(meta.count) else {
            throw ArchiveError(.truncated, file: metaPath, "\(where_) entry \(e.objectType) \(e.schema.isEmpty ? "" : e.schema + ".")\(e.name) ends at byte \(e.endByte), after the end of the file (\(meta.count) bytes)")
        }
        var s = meta[Int(e.startByte)..<Int(e.endByte)]
        while let f = s.first, f == 0x0a || f == 0x20 { s = s.dropFirst() }
        while let l = s.last, l == 0x0a || l == 0x20 { s = s.dropLast() }
        return s.isEmpty ? [] : Array(s) + [0x0a]
    }

    public func verboseExtraLine(_ te: TocEntry) -> String? { nil }

    /// `abc_1` or `"Any ""thing"""`: what PostgreSQL's quote_ident returns.
    static func isQuotedIdentifier(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let first = b.first else { return false }
        if first == 0x22 {
            guard b.count >= 3, b.last == 0x22 else { return false }
            var i = 1
            while i < b.count - 1 {
                if b[i] == 0x22 { guard i + 1 < b.count - 1, b[i + 1] == 0x22 else { return false }; i += 2; continue }
                if b[i] == 0 { return false }
                i += 1
            }
            return true
        }
        func lower(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7a) || c == 0x5f }
        return lower(first) && b.allSatisfy { lower($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// "" or `(a,"B c",d)`.
    static func isAttributeList(_ s: String) -> Bool {
        if s.isEmpty { return true }
        guard s.hasPrefix("("), s.hasSuffix(")"), s.count > 2 else { return false }
        var items: [String] = []
        var cur = ""
        var quoted = false
        for ch in s.dropFirst().dropLast() {
            if ch == "\"" { quoted.toggle() }
            if ch == "," && !quoted { items.append(cur); cur = "" } else { cur.append(ch) }
        }
        items.append(cur)
        return !quoted && items.allSatisfy(isQuotedIdentifier)
    }

    enum StatementKind { case owner, privileges, comment, externalTable, other }

    /// gpbackup writes an object's owner and its privileges as entries of their own: an
    /// entry whose every statement is `ALTER ... OWNER TO ...`, or GRANT/REVOKE.
    static func statementKind(_ defn: [UInt8]) -> StatementKind {
        let text = String(decoding: defn, as: UTF8.self)
        let statements = text.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard !statements.isEmpty else { return .other }
        if statements.allSatisfy({ $0.hasPrefix("ALTER ") && $0.contains(" OWNER TO ") && !$0.contains("\n") }) { return .owner }
        if statements.allSatisfy({ $0.hasPrefix("GRANT ") || $0.hasPrefix("REVOKE ") }) { return .privileges }
        if statements.allSatisfy({ $0.hasPrefix("COMMENT ON ") }) { return .comment }
        if let first = statements.first, first.hasPrefix("CREATE ") {
            let head = first.prefix(60).uppercased()
            if head.range(of: #"^CREATE (READABLE |WRITABLE )?(EXTERNAL )?(WEB )?(TEMP |TEMPORARY )?EXTERNAL |^CREATE (READABLE |WRITABLE )?EXTERNAL "#, options: .regularExpression) != nil {
                return .externalTable
            }
        }
        return .other
    }

    /// The rows of `te` from every segment, CSV as gpbackup's COPY wrote them (no end marker).
    public func readData(_ te: TocEntry, into receiver: DataReceiver, isDataRequired: (Int32) -> Bool) throws {
        guard let d = dataEntries[te.dumpId] else { return }
        for c in set.contentsToLoad(d) {
            try readSegment(d, content: c) { try receiver.data($0) }
        }
    }

    /// One segment's rows of `entry`, decompressed, in bounded pieces.
    public func readSegment(_ entry: GpbackupDataEntry, content: Int, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let path = set.dataFile(content: content, entry: entry)
        let context = "(content \(content), table \(entry.fqn))"
        if set.isSingleDataFile(entry) {
            guard let range = set.segmentTOCs[entry.timestamp]?[content]?[entry.oid] else {
                throw ArchiveError(.missingFile, file: path, "no segment TOC entry for oid \(entry.oid)", context: context)
            }
            let key = "\(entry.timestamp)/\(content)"
            var s = streams[key]
            if s == nil || s!.position > range.start {
                s = try SegmentStream(path: path, compression: set.compression)
                streams[key] = s
            }
            do { try s!.readRange(from: range.start, count: range.end - range.start, emit) } catch let e as ArchiveError {
                streams[key] = nil
                throw e.within(context)
            }
        } else {
            let s = try SegmentStream(path: path, compression: set.compression)
            do { try s.readAll(emit) } catch let e as ArchiveError { throw e.within(context) }
        }
    }
}

/// One segment data file, decompressed front to back; `position` is the offset reached in
/// the decompressed stream.
final class SegmentStream {
    let path: String
    private let fd: Int32
    private let decoder: StreamDecoder
    private let compressed: Bool
    private(set) var position: Int64 = 0
    /// Decompressed bytes past the last range read (--single-data-file), kept for the next one.
    private var carry: [UInt8] = []
    private var inputOffset: Int64 = 0
    private var atEnd = false
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    init(path: String, compression: CompressionAlgorithm) throws {
        self.path = path
        fd = Glibc.open(path, O_RDONLY)
        if fd < 0 { throw ArchiveError(.missingFile, file: path, "could not open data file: \(String(cString: strerror(errno)))") }
        decoder = makeDecoder(compression, gzipFile: true)
        compressed = compression != .none
    }
    deinit { close(fd) }

    /// Reads one chunk of the file through the decoder; false at the end (after checking
    /// that the compressed stream ended properly).
    private func pump(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        if atEnd { return false }
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw ArchiveError(.io, file: path, "could not read data file: \(String(cString: strerror(errno)))", offset: inputOffset) }
        if n == 0 {
            atEnd = true
            if compressed && inputOffset == 0 { throw ArchiveError(.truncated, file: path, "compressed data file is empty") }
            do { try decoder.finish(emit) } catch let e as DecodeError {
                throw ArchiveError(.truncated, file: path, "\(e.message) (the file is truncated or damaged)", offset: inputOffset)
            }
            return false
        }
        do {
            try buffer.withUnsafeBytes { try decoder.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n]), emit) }
        } catch let e as DecodeError {
            throw ArchiveError(.corrupt, file: path, e.message, offset: inputOffset)
        }
        inputOffset += Int64(n)
        return true
    }

    func readAll(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        while try pump({ piece in position += Int64(piece.count); try emit(piece) }) {}
    }

    /// Emits decompressed bytes [start, start+count); `start` must not be behind `position`.
    func readRange(from start: Int64, count: Int64, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let end = start + count
        func take(_ piece: UnsafeRawBufferPointer) throws {
            // `piece` covers [position, position + piece.count).
            let pStart = position, pEnd = position + Int64(piece.count)
            let lo = max(pStart, start), hi = min(pEnd, end)
            if lo < hi { try emit(UnsafeRawBufferPointer(rebasing: piece[Int(lo - pStart)..<Int(hi - pStart)])) }
            if pEnd > end {
                // Keep what lies beyond this range for the next entry.
                let from = Int(max(end, pStart) - pStart)
                carry.append(contentsOf: piece[from...])
                position = max(end, pStart)
            } else {
                position = pEnd
            }
        }
        if !carry.isEmpty {
            let c = carry
            carry.removeAll(keepingCapacity: true)
            try c.withUnsafeBytes { try take($0) }
        }
        while position < end {
            let more = try pump { piece in
                if !carry.isEmpty { carry.append(contentsOf: piece) } else { try take(piece) }
            }
            if !more { break }
        }
        if position < end {
            throw ArchiveError(.truncated, file: path, "data file ends at decompressed byte \(position), before the end of its table's data at byte \(end)")
        }
    }
}
