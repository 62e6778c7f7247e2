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
