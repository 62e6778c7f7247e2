import Archive

/// `cbrestore --verify` on a gpbackup set: every segment file of every data entry
/// decompressed as a stream, its CSV rows counted (a quoted field may hold newlines) and
/// their fields checked against the entry's column list; the total compared with the TOC's
/// rowscopied (for a replicated table, every segment holds all rows and rowscopied counts
/// them on every segment, as gpbackup does).
public enum GpbackupVerifier {
    public struct EntryResult: Sendable {
        public let name: String
        public var rows: Int64 = 0
        public var expectedRows: Int64
        public var bytes: Int64 = 0
        public var files = 0
        public var problems: [String] = []
        public var isSound: Bool { problems.isEmpty }
    }

    /// CSV framing as PostgreSQL's COPY ... CSV writes it: `"` quotes, `""` inside quotes.
    public struct CSVCounter {
        public private(set) var rows: Int64 = 0
        public private(set) var badRows: [(row: Int64, fields: Int)] = []
        let columns: Int?
        var inQuotes = false
        var fields = 1
        var lineLength = 0
        public init(columns: Int?) { self.columns = columns }

        public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
            for b in bytes {
                if inQuotes {
                    if b == 0x22 { inQuotes = false }
                    lineLength += 1
                    continue
                }
                switch b {
                case 0x22: inQuotes = true; lineLength += 1
                case 0x2c: fields += 1; lineLength += 1
                case 0x0a: endRow()
                default: lineLength += 1
                }
            }
        }

        mutating func endRow() {
            rows += 1
            let n = columns == 0 && lineLength == 0 ? 0 : fields
            if let columns, n != columns, badRows.count < 3 { badRows.append((rows, n)) }
            fields = 1
            lineLength = 0
        }

        /// Whether the data ended between rows.
        public var complete: Bool { !inQuotes && lineLength == 0 }
    }

    /// The number of columns in gpbackup's attribute string `(a,"b,c",d)`; 0 for "".
    public static func columnCount(_ attributes: String) -> Int? {
        if attributes.isEmpty { return 0 }
        guard attributes.hasPrefix("("), attributes.hasSuffix(")") else { return nil }
        var n = 1
        var quoted = false
        for ch in attributes.dropFirst().dropLast() {
            if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { n += 1 }
        }
        return n
    }

    public static func run(_ reader: GpbackupArchiveReader, onEntry: (EntryResult) -> Void = { _ in }) -> [EntryResult] {
        var results: [EntryResult] = []
        let set = reader.set
        for te in reader.entries where te.desc == "TABLE DATA" {
            guard let d = reader.dataEntries[te.dumpId] else { continue }
            var r = EntryResult(name: "\(te.dumpId) TABLE DATA \(d.schema) \(d.name)", expectedRows: d.rowsCopied)
            let columns = columnCount(d.attributeString)
            for c in 0..<set.segmentCount {
                var counter = CSVCounter(columns: columns)
                do {
                    try reader.readSegment(d, content: c) { piece in
                        r.bytes += Int64(piece.count)
                        counter.feed(piece)
                    }
                    r.files += 1
                    if !counter.complete {
                        r.problems.append("content \(c): data ends inside a row (\(set.dataFile(content: c, entry: d)))")
                    }
                    for (row, fields) in counter.badRows {
                        r.problems.append("content \(c): row \(row) has \(fields) fields, expected \(columns ?? 0)")
                    }
                } catch {
                    r.problems.append("\(error)")
                }
                r.rows += counter.rows
            }
            if r.problems.isEmpty && r.rows != d.rowsCopied {
                r.problems.append("\(r.rows) rows in the data files, the TOC says \(d.rowsCopied) (rowscopied)")
            }
            onEntry(r)
            results.append(r)
        }
        return results
    }
}

/// A gpbackup set's CSV rows as COPY text, for scripts: psql ends `COPY ... FROM stdin` at
/// any line that is `\.`, even inside a quoted CSV field, so a script carries the rows in
/// text format (tab-separated, backslash escapes, `\N` for NULL, which in CSV is an unquoted
/// empty field) instead. Streams: state is kept between pieces.
final class GpbackupCSVToText: DataReceiver {
    private let next: DataReceiver
    /// 0: a table without columns, whose rows are empty lines.
    private let columns: Int?
    private enum State { case fieldStart, unquoted, quoted, afterQuote }
    private var state = State.fieldStart
    private var fieldEmpty = true
    private var fieldQuoted = false
    private var out: [UInt8] = []

    init(next: DataReceiver, columns: Int?) {
        self.next = next
        self.columns = columns
        out.reserveCapacity(70_000)
    }

    /// `COPY name (cols) FROM stdin WITH CSV DELIMITER ',';` in text format.
    static func textCopyStatement(_ csv: [UInt8]) -> [UInt8] {
        let suffix = Array(" WITH CSV DELIMITER ',';\n".utf8)
        guard csv.count > suffix.count, Array(csv.suffix(suffix.count)) == suffix else { return csv }
        return Array(csv.dropLast(suffix.count)) + Array(";\n".utf8)
    }

    private func char(_ b: UInt8) {
        fieldEmpty = false
        switch b {
        case 0x5c: out += [0x5c, 0x5c]
        case 0x0a: out += [0x5c, 0x6e]
        case 0x0d: out += [0x5c, 0x72]
        case 0x09: out += [0x5c, 0x74]
        default: out.append(b)
        }
    }

    private func endField(row: Bool) {
        if fieldEmpty && !fieldQuoted && !(row && columns == 0) { out += [0x5c, 0x4e] }
        out.append(row ? 0x0a : 0x09)
        fieldEmpty = true
        fieldQuoted = false
        state = .fieldStart
    }

    func data(_ bytes: UnsafeRawBufferPointer) throws {
        for b in bytes {
            switch state {
            case .fieldStart, .unquoted:
                if b == 0x22 && state == .fieldStart { state = .quoted; fieldQuoted = true }
                else if b == 0x2c { endField(row: false) }
                else if b == 0x0a { endField(row: true) }
                else { state = .unquoted; char(b) }
            case .quoted:
                if b == 0x22 { state = .afterQuote } else { char(b) }
            case .afterQuote:
                if b == 0x22 { state = .quoted; char(b) }
                else if b == 0x2c { endField(row: false) }
                else if b == 0x0a { endField(row: true) }
                else { state = .unquoted; char(b) }
            }
            if out.count >= 65_536 { try flush() }
        }
        try flush()
    }

    private func flush() throws {
        guard !out.isEmpty else { return }
        try out.withUnsafeBytes { try next.data($0) }
        out.removeAll(keepingCapacity: true)
    }

    func beginLargeObjects() throws {}
    func endLargeObjects() throws {}
    func beginLargeObject(_ oid: UInt32) throws {}
    func endLargeObject(_ oid: UInt32) throws {}
}
