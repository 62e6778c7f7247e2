import PostgresClient

// Row subsets (--where 'schema.table:condition'), which no pg_dump has: the table's data is
// read with COPY (SELECT ... WHERE condition) while its TOC entry keeps the COPY statement
// pg_dump writes, so the archive is an ordinary one that restores the chosen rows.

/// A --where option, split into the table's name and the condition.
public struct RowFilterSpec: Sendable, Equatable {
    /// The option's value, as given (for messages).
    public let spec: String
    /// The schema, when the name was qualified (quotes removed, unquoted letters folded).
    public let schema: String?
    public let table: String
    /// A boolean SQL expression over the table's columns.
    public let condition: String

    /// `[schema.]table:condition`. The name is one or two SQL identifiers, each quoted
    /// ("My Table", with "" for a quote) or not (folded to lower case, as the server folds
    /// them); the first colon outside quotes ends it.
    public init(_ spec: String) throws {
        self.spec = spec
        let bytes = Array(spec.utf8)
        let quote = UInt8(ascii: "\""), colon = UInt8(ascii: ":"), dot = UInt8(ascii: ".")
        var parts: [[UInt8]] = [[]]
        var quotedPart = [false]
        var inQuotes = false
        var i = 0
        var colonAt: Int?
        func bad(_ why: String) -> RowFilterError {
            RowFilterError("invalid --where specification \"\(spec)\": \(why)")
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote {
                        parts[parts.count - 1].append(quote)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    parts[parts.count - 1].append(b)
                }
            } else if b == quote {
                // A quote opens only at the start of a part (spaces before it aside).
                if !parts[parts.count - 1].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) || quotedPart[parts.count - 1] {
                    throw bad("misplaced double quote in the table name")
                }
                parts[parts.count - 1] = []
                quotedPart[parts.count - 1] = true
                inQuotes = true
            } else if b == colon {
                colonAt = i
                break
            } else if b == dot {
                parts.append([])
                quotedPart.append(false)
            } else if quotedPart[parts.count - 1] {
                // After a closing quote only blanks may follow before "." or ":".
                if b != 0x20 && b != 0x09 { throw bad("misplaced double quote in the table name") }
            } else {
                // Unquoted: ASCII letters fold to lower case (downcase_identifier).
                parts[parts.count - 1].append(b >= 0x41 && b <= 0x5a ? b + 32 : b)
            }
            i += 1
        }
        if inQuotes { throw bad("unterminated quoted name") }
        guard let colonAt else { throw bad("expected TABLE:CONDITION") }
        var names: [String] = []
        for (n, raw) in parts.enumerated() {
            var p = raw[...]
            if !quotedPart[n] {
                while let f = p.first, f == 0x20 || f == 0x09 { p = p.dropFirst() }
                while let l = p.last, l == 0x20 || l == 0x09 { p = p.dropLast() }
            }
            if p.isEmpty && !quotedPart[n] { throw bad("missing table name") }
            names.append(String(decoding: p, as: UTF8.self))
        }
        if names.count > 2 { throw bad("improper table name (too many dotted names)") }
        schema = names.count == 2 ? names[0] : nil
        table = names[names.count - 1]
        let cond = String(decoding: bytes[(colonAt + 1)...], as: UTF8.self)
        if cond.allSatisfy({ $0.isWhitespace }) { throw bad("missing condition") }
        condition = cond
    }

    /// The table as the user named it, for messages.
    var displayName: String { (schema.map { $0 + "." } ?? "") + table }
}

/// A --where option that is malformed, names no table, or whose condition the server rejects.
public struct RowFilterError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension DumpOptions {
    /// Finds each --where table (an unqualified name: the one the user's search_path makes
    /// visible, as for -t) and has the server check the condition against it, in a query
    /// that reads no row; fills `rowFilters`. Call inside the dump's transaction, after the
    /// patterns are resolved.
    public mutating func resolveRowFilters(_ specs: [RowFilterSpec], on conn: Connection) throws {
        guard !specs.isEmpty else { return }
        let quoter = SQLQuoter(major: dumperMajor, quoteAll: quoteAllIdentifiers)
        for f in specs {
            let rows: [[String?]]
            do {
                if let schema = f.schema {
                    rows = try conn.execute("""
                        SELECT c.oid, c.relkind FROM pg_catalog.pg_class c \
                        JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace \
                        WHERE c.relname OPERATOR(pg_catalog.=) $1 AND n.nspname OPERATOR(pg_catalog.=) $2
                        """, parameters: [f.table, schema]).rows
                } else {
                    _ = try conn.execute("RESET search_path")
                    rows = try conn.execute("""
                        SELECT c.oid, c.relkind, n.nspname FROM pg_catalog.pg_class c \
                        JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace \
                        WHERE c.relname OPERATOR(pg_catalog.=) $1 AND pg_catalog.pg_table_is_visible(c.oid)
                        """, parameters: [f.table]).rows
                    _ = try conn.execute("SELECT pg_catalog.set_config('search_path', '', false);")
                }
            } catch let e as PostgresError {
                throw QueryFailed(query: "(looking up the table of --where \"\(f.spec)\")", cause: e)
            }
            guard let row = rows.first, let oidText = row[0], let oid = UInt32(oidText) else {
                throw RowFilterError("table \"\(f.displayName)\" given to --where was not found")
            }
            let relkind = row[1] ?? ""
            guard relkind == "r" || relkind == "p" else {
                throw RowFilterError("\"\(f.displayName)\" given to --where is not a table")
            }
            let schemaName = f.schema ?? (row.count > 2 ? row[2] ?? "" : "")
            let qualified = quoter.identifier(schemaName) + "." + quoter.identifier(f.table)
            // One statement only (the extended protocol refuses more), and LIMIT 0 reads no
            // row: the server parses and checks the condition, nothing else happens.
            let check = "SELECT 1 FROM ONLY \(qualified) WHERE (\(f.condition)\n) LIMIT 0"
            do {
                _ = try conn.execute(check, parameters: [])
            } catch let e as PostgresError {
                throw RowFilterError("invalid --where condition for table \"\(f.displayName)\": \(e.message)")
            }
            rowFilters[oid, default: []].append(f.condition)
        }
    }
}
