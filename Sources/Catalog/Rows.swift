import PostgresClient

/// One row of a catalog query, read by column name. Catalog queries are written by us, so a
/// missing column is a programming error and traps; NULL reads as "" / 0 / false unless
/// the optional accessor is used.
public struct Row {
    let values: [String?]
    let index: [String: Int]

    public func opt(_ column: String) -> String? {
        guard let i = index[column] else { preconditionFailure("catalog query lacks column \(column)") }
        return values[i]
    }
    public func isNull(_ column: String) -> Bool { opt(column) == nil }
    public func str(_ column: String) -> String { opt(column) ?? "" }
    public func oid(_ column: String) -> UInt32 { UInt32(opt(column) ?? "0") ?? 0 }
    public func int(_ column: String) -> Int { Int(opt(column) ?? "0") ?? 0 }
    /// A PostgreSQL boolean ("t"/"f").
    public func bool(_ column: String) -> Bool { opt(column) == "t" }
    /// A "char" column; nil when NULL or empty.
    public func char(_ column: String) -> Character? { opt(column)?.first }
    public func catId(_ tableoid: String = "tableoid", _ oid: String = "oid") -> CatalogId {
        CatalogId(tableoid: self.oid(tableoid), oid: self.oid(oid))
    }
}

extension QueryResult {
    /// The rows, each readable by column name.
    public var namedRows: [Row] {
        var index: [String: Int] = [:]
        for (i, c) in columns.enumerated() where index[c] == nil { index[c] = i }
        return rows.map { Row(values: $0, index: index) }
    }
}
