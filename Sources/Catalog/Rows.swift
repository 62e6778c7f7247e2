import PostgresClient

/// One row of a catalog query, read by column name. Catalog queries are written by us, so a
/// missing column is a programming error and traps; NULL reads as "" / 0 / false unless
/// the optional accessor is used.
///
/// The values stay in libpq's result (as pg_dump keeps its PGresult) and are made into text
/// only when read: copying every value of a 10,000-table catalog out at once doubled the
/// dump's memory, and most are read once or not at all.
public struct Row {
    let rows: RowSet
    let row: Int

    private func column(_ name: String) -> Int { rows.column(name) }
    public func opt(_ column: String) -> String? { rows.result.text(row, self.column(column)) }
    public func isNull(_ column: String) -> Bool { rows.result.isNull(row, self.column(column)) }
    public func str(_ column: String) -> String { opt(column) ?? "" }
    public func oid(_ column: String) -> UInt32 { rows.result.uint32(row, self.column(column)) ?? 0 }
    public func int(_ column: String) -> Int { Int(opt(column) ?? "0") ?? 0 }
    /// A PostgreSQL boolean ("t"/"f").
    public func bool(_ column: String) -> Bool {
        let v = rows.result.value(row, self.column(column))
        return v.count == 1 && v[0] == UInt8(ascii: "t")
    }
    /// A "char" column; nil when NULL or empty.
    public func char(_ column: String) -> Character? { opt(column)?.first }
    public func catId(_ tableoid: String = "tableoid", _ oid: String = "oid") -> CatalogId {
        CatalogId(tableoid: self.oid(tableoid), oid: self.oid(oid))
    }
}

/// A catalog query's result and its columns by name, shared by its rows.
final class RowSet {
    let result: RawResult
    private let names: [String]
    private let index: [String: Int]
    /// Whether each column is the first of its name (the one a name finds).
    private let first: [Bool]
    /// The column found last, and for each column (and for none, at the end) the one asked
    /// for after it the last time. Readers take a row's columns in the same order row after
    /// row, so the next one asked for is most often that one: found with one comparison of
    /// two names (equal literals compare by their bits) instead of hashing the name, which
    /// was a tenth of a 10,000-table schema dump's instructions.
    private var last: Int
    private var follow: [Int]
    init(_ result: RawResult) {
        self.result = result
        names = (0..<result.columnCount).map { result.columnName($0) }
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
        self.index = index
        first = names.enumerated().map { index[$0.element] == $0.offset }
        last = names.count
        follow = Array(repeating: -1, count: names.count + 1)
    }

    func column(_ name: String) -> Int {
        let guess = follow[last]
        if guess >= 0, names[guess] == name, first[guess] {
            last = guess
            return guess
        }
        guard let i = index[name] else { preconditionFailure("catalog query lacks column \(name)") }
        follow[last] = i
        last = i
        return i
    }
}

extension RawResult {
    /// The rows, each readable by column name.
    public var namedRows: [Row] {
        let set = RowSet(self)
        return (0..<rowCount).map { Row(rows: set, row: $0) }
    }
}
