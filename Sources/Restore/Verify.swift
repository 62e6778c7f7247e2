import Archive
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cbrestore --verify`: reads every data entry of an archive through the ordinary format
/// readers and decoders, in their bounded chunks, and checks what the format itself does not:
/// the COPY text framing of table data (the field count of every row, the `\.` terminator,
/// nothing after it) and the large-object framing. Byte counts and SHA-256 digests of the
/// decoded data are computed on the way, for `cbdump --manifest` and for checking one.
public final class ArchiveVerifier {
    /// One data entry's outcome.
    public struct EntryResult: Sendable {
        public let dumpId: Int32
        public let desc: String
        public let namespace: String
        public let tag: String
        /// Decoded (uncompressed) bytes, large objects' contents included.
        public var bytes: Int64 = 0
        public var sha256 = ""
        /// COPY rows, when the entry's data is COPY text.
        public var rows: Int64?
        public var largeObjects = 0
        public var problems: [String] = []
        public var isSound: Bool { problems.isEmpty }

        /// `3874 TABLE DATA public t1`, as pg_restore -l names an entry.
        public var name: String {
            "\(dumpId) \(desc) \(namespace.isEmpty ? "-" : namespace) \(tag)"
        }
    }

    public let reader: ArchiveReader

    public init(reader: ArchiveReader) { self.reader = reader }

    /// The entries that carry data, in TOC order (the order every format stores it in).
    public var dataEntries: [TocEntry] {
        reader.entries.filter { reader.format == .custom ? $0.dataState != .noData : $0.filename != nil }
    }

    /// Reads and checks every data entry; `onEntry` sees each result as it is done.
    public func run(onEntry: (EntryResult) -> Void = { _ in }) -> [EntryResult] {
        var results: [EntryResult] = []
        for te in dataEntries {
            let r = verify(te)
            onEntry(r)
            results.append(r)
        }
        return results
    }

    func verify(_ te: TocEntry) -> EntryResult {
        var result = EntryResult(dumpId: te.dumpId, desc: te.desc,
                                 namespace: String(decoding: te.namespace ?? [], as: UTF8.self),
                                 tag: String(decoding: te.tag, as: UTF8.self))
        let columns = te.copyStmt.flatMap { $0.isEmpty ? nil : Self.copyColumnCount($0) }
        let check = EntryChecker(columns: columns, isLargeObjects: te.desc == "BLOBS")
        if let copy = te.copyStmt, !copy.isEmpty, columns == nil {
            check.problems.append("cannot tell the column count from its COPY statement; rows not checked")
        }
        do {
            try reader.readData(te, into: check, isDataRequired: { _ in false })
            check.finish()
        } catch {
            check.problems.append("\(error)")
        }
        result.bytes = check.hasher.byteCount
        result.sha256 = check.hasher.finalizeHex()
        result.rows = columns == nil ? nil : check.rows
        result.largeObjects = check.largeObjects
        result.problems = check.problems
        return result
    }

    /// The number of columns a `COPY name (a, b, ...) FROM stdin;` statement lists: 0 when
    /// it lists none (a table without columns), nil when the statement cannot be read.
    /// Quoted identifiers may hold parentheses and commas.
    public static func copyColumnCount(_ stmt: [UInt8]) -> Int? {
        guard stmt.starts(with: Array("COPY ".utf8)) else { return nil }
        var i = 5
        var inQuote = false
        var depth = 0
        var commas = 0
        var sawColumn = false
        while i < stmt.count {
            let b = stmt[i]
            if inQuote {
                if b == 0x22 {
                    if i + 1 < stmt.count && stmt[i + 1] == 0x22 { i += 1 } else { inQuote = false }
                }
                if depth == 1 { sawColumn = true }
            } else if b == 0x22 {
                inQuote = true
            } else if b == 0x28 {  // (
                depth += 1
                if depth > 1 { return nil }
            } else if b == 0x29 {  // )
                guard depth == 1 else { return nil }
                return sawColumn ? commas + 1 : 0
            } else if depth == 1 {
                if b == 0x2c { commas += 1 } else if b != 0x20 { sawColumn = true }
            } else if b == 0x20 && Array(stmt[i...].prefix(6)) == Array(" FROM ".utf8) {
                return 0
            }
            i += 1
        }
        return nil
    }
}

/// Receives one entry's decoded data and checks its framing as it streams by.
final class EntryChecker: DataReceiver {
    let columns: Int?
    let isLargeObjects: Bool
    var hasher = SHA256()
    var problems: [String] = []
    var rows: Int64 = 0
    var largeObjects = 0
    private var inLargeObjects = false
    private var currentOid: UInt32?
    // COPY text state
    private var offset: Int64 = 0
    private var lineStart: Int64 = 0
    private var lineLength = 0
    private var firstBytes: (UInt8, UInt8) = (0, 0)
    private var fields = 1
    private var escaped = false
    private var terminated = false
    private static let maxProblems = 5

    init(columns: Int?, isLargeObjects: Bool) {
        self.columns = columns
        self.isLargeObjects = isLargeObjects
    }

    func problem(_ s: String) {
        if problems.count < Self.maxProblems { problems.append(s) }
        else if problems.count == Self.maxProblems { problems.append("(further problems not shown)") }
    }

    func data(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        if isLargeObjects && currentOid == nil {
            problem("\(bytes.count) bytes of data outside any large object")
        }
        guard let columns, !isLargeObjects else { offset += Int64(bytes.count); return }
        for b in bytes {
            defer { offset += 1 }
            if b == 0x0a {
                endLine(columns)
                continue
            }
            if lineLength < 2 { if lineLength == 0 { firstBytes.0 = b } else { firstBytes.1 = b } }
            lineLength += 1
            if escaped { escaped = false; continue }
            if b == 0x5c { escaped = true } else if b == 0x09 { fields += 1 }
        }
    }

    private func endLine(_ columns: Int) {
        defer { lineStart = offset + 1; lineLength = 0; fields = 1; escaped = false }
        if terminated {
            if lineLength != 0 { problem("data after the end-of-copy marker (\\.) at data byte \(lineStart)") }
            return
        }
        if lineLength == 2 && firstBytes == (0x5c, 0x2e) {
            terminated = true
            return
        }
        rows += 1
        let n = columns == 0 && lineLength == 0 ? 0 : fields
        if n != columns {
            problem("row \(rows) has \(n) field\(n == 1 ? "" : "s"), expected \(columns), at data byte \(lineStart)")
        }
    }

    /// End of the entry's data: the last row must be complete and the terminator present.
    func finish() {
        if isLargeObjects {
            if inLargeObjects { problem("large-object data ends inside the large-object set") }
            return
        }
        guard columns != nil else { return }
        if lineLength > 0 {
            problem("data ends inside row \(rows + 1) (no newline) at data byte \(offset)")
        } else if !terminated {
            problem("data ends without the end-of-copy marker (\\.) at data byte \(offset)")
        }
    }

    func beginLargeObjects() throws {
        if !isLargeObjects { problem("large objects in a \(columns == nil ? "" : "COPY ")data entry") }
        if inLargeObjects { problem("nested large-object sets") }
        inLargeObjects = true
    }
    func endLargeObjects() throws {
        if currentOid != nil { problem("large-object set ends inside large object \(currentOid!)") }
        inLargeObjects = false
    }
    func beginLargeObject(_ oid: UInt32) throws {
        if !inLargeObjects { problem("large object \(oid) outside a large-object set") }
        if let c = currentOid { problem("large object \(oid) begins inside large object \(c)") }
        currentOid = oid
        largeObjects += 1
    }
    func endLargeObject(_ oid: UInt32) throws {
        if currentOid != oid { problem("large object \(oid) ends, but \(currentOid.map(String.init) ?? "none") was open") }
        currentOid = nil
    }
}
