import PostgresClient

// Object selection by name pattern (-n/-N, -t/-T, --exclude-table-data, -e/--exclude-extension):
// pg_dump's expand_*_name_patterns and fe_utils' processSQLNamePattern / patternToSQLRegex.
// The patterns become OID sets in DumpOptions before the catalog is read; the
// selectDumpable* rules (Selection.swift) consult those sets.

/// The pattern options as given on the command line, in order.
public struct ObjectPatterns: Sendable {
    public var includeSchemas: [String] = []      // -n
    public var excludeSchemas: [String] = []      // -N
    public var includeTables: [String] = []       // -t
    public var excludeTables: [String] = []       // -T
    public var excludeTableData: [String] = []    // --exclude-table-data
    public var includeTablesAndChildren: [String] = []     // --table-and-children
    public var excludeTablesAndChildren: [String] = []     // --exclude-table-and-children
    public var excludeTableDataAndChildren: [String] = []  // --exclude-table-data-and-children
    public var includeForeignServers: [String] = []        // --include-foreign-data
    public var includeExtensions: [String] = []   // -e
    public var excludeExtensions: [String] = []   // --exclude-extension
    /// --strict-names: every include pattern must match something.
    public var strictNames = false
    /// Whether the dump is still "everything" (pg_dump's include_everything) when the tool
    /// knows better than "no include pattern": pg_dump's filter files add extension include
    /// patterns without narrowing the dump, as -e does. nil: any include pattern narrows it.
    public var includeEverything: Bool? = nil
    public init() {}
}

/// A pattern that cannot be resolved, with pg_dump's message for it.
public struct PatternError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A name pattern split into regular expressions, as patternToSQLRegex does.
public struct SQLNamePattern: Equatable, Sendable {
    /// The database part, literally (quotes removed, unquoted letters folded); only when
    /// the pattern was split into three parts.
    public var dbname: String?
    /// `^(...)$` for the schema part, when the pattern was split into two or three parts.
    public var schemaRegex: String?
    /// `^(...)$` for the name part (the whole pattern when it was not split).
    public var nameRegex: String
    /// How many unquoted dots the pattern has (including those not split on).
    public var dotCount: Int

    /// fe_utils' patternToSQLRegex with `want_literal_dbname` true (as processSQLNamePattern
    /// calls it). `parts` is how many parts to split into at most: 1 (name only), 2 (schema
    /// and name) or 3 (database, schema and name); further dots stay in the name part, as
    /// regex wildcards, but are counted.
    ///
    /// Double quotes quote (`""` inside them is one quote); outside them letters A-Z are
    /// folded to lower case, `*` becomes `.*` and `?` becomes `.`; `$` is always escaped;
    /// regex-special characters are escaped inside quotes, or everywhere with `forceEscape`;
    /// `[]` is always escaped. Works on the UTF-8 bytes: non-ASCII bytes are copied as they are,
    /// as the C code copies whole multibyte characters.
    public init(_ pattern: String, parts: Int, forceEscape: Bool = false) {
        let p = Array(pattern.utf8)
        let quote = UInt8(ascii: "\""), dot = UInt8(ascii: "."), backslash = UInt8(ascii: "\\")
        let specials = Set("|*+?()[]{}.^$\\".utf8)
        let open: [UInt8] = Array("^(".utf8), close: [UInt8] = Array(")$".utf8)
        var bufs: [[UInt8]] = [open]
        var leftLiteral: [UInt8] = []
        var left = true
        var inQuotes = false
        var dots = 0
        var i = 0
        func emit(_ b: UInt8, literal: UInt8? = nil) {
            bufs[bufs.count - 1].append(b)
            if left, let l = literal { leftLiteral.append(l) }
        }
        while i < p.count {
            let ch = p[i]
            if ch == quote {
                if inQuotes && i + 1 < p.count && p[i + 1] == quote {
                    emit(quote, literal: quote)
                    i += 1
                } else {
                    inQuotes.toggle()
                }
                i += 1
            } else if !inQuotes && ch >= UInt8(ascii: "A") && ch <= UInt8(ascii: "Z") {
                emit(ch + 32, literal: ch + 32)
                i += 1
            } else if !inQuotes && ch == UInt8(ascii: "*") {
                bufs[bufs.count - 1] += Array(".*".utf8)
                if left { leftLiteral.append(ch) }
                i += 1
            } else if !inQuotes && ch == UInt8(ascii: "?") {
                emit(dot, literal: ch)
                i += 1
            } else if !inQuotes && ch == dot {
                left = false
                dots += 1
                if bufs.count < parts {
                    bufs[bufs.count - 1] += close
                    bufs.append(open)
                } else {
                    emit(dot)
                }
                i += 1
            } else if ch == UInt8(ascii: "$") {
                // Always literal: legal in identifiers, and the pattern is anchored anyway.
                emit(backslash)
                emit(ch, literal: ch)
                i += 1
            } else {
                if (inQuotes || forceEscape) && specials.contains(ch) {
                    emit(backslash)
                } else if ch == UInt8(ascii: "[") && i + 1 < p.count && p[i + 1] == UInt8(ascii: "]") {
                    // Much more likely an array type name than a bracket expression.
                    emit(backslash)
                }
                emit(ch, literal: ch)
                i += 1
            }
        }
        bufs[bufs.count - 1] += close
        func str(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }
        nameRegex = str(bufs.removeLast())
        schemaRegex = parts >= 2 ? bufs.popLast().map(str) : nil
        dbname = parts >= 3 && !bufs.isEmpty ? str(leftLiteral) : nil
        dotCount = dots
    }
}

/// The WHERE clauses processSQLNamePattern appends for a pattern already split (text only;
/// the caller has the SELECT). `haveWhere`: the query already has a WHERE.
public func sqlNamePatternClauses(_ pat: SQLNamePattern, haveWhere: Bool, schemaVar: String?, nameVar: String,
                           visibilityRule: String?, serverVersion: Int) -> String {
    var out = ""
    var haveWhere = haveWhere
    func whereAnd() { out += haveWhere ? "  AND " : "WHERE "; haveWhere = true }
    func literal(_ s: String) -> String {
        // appendStringLiteralConn: a regex with a backslash goes in E'' syntax, backslashes
        // doubled, whatever standard_conforming_strings says.
        let raw = Array(s.utf8)
        if raw.contains(UInt8(ascii: "\\")) {
            return " E" + String(decoding: SQLQuoter.literal(raw, standardConformingStrings: false), as: UTF8.self)
        }
        return String(decoding: SQLQuoter.literal(raw), as: UTF8.self)
    }
    let collate = serverVersion >= 120000 ? " COLLATE pg_catalog.default" : ""
    // "^(.*)$" (a lone "*") matches everything: no clause.
    if pat.nameRegex != "^(.*)$" {
        whereAnd()
        out += "\(nameVar) OPERATOR(pg_catalog.~) " + literal(pat.nameRegex) + collate + "\n"
    }
    if schemaVar != nil, let schema = pat.schemaRegex {
        if schema != "^(.*)$" {
            whereAnd()
            out += "\(schemaVar!) OPERATOR(pg_catalog.~) " + literal(schema) + collate + "\n"
        }
    } else if let rule = visibilityRule {
        // No schema given: only objects visible in the search path.
        whereAnd()
        out += rule + "\n"
    }
    return out
}

extension DumpOptions {
    /// Resolves `patterns` to OID sets on `conn` (inside the dump's transaction, with
    /// pg_dump's secure search_path set), as pg_dump's main() does right after connecting:
    /// include patterns clear `includeEverything`, and an include list that matches nothing
    /// is an error (per pattern with --strict-names); exclusion patterns may match nothing.
    public mutating func resolve(_ patterns: ObjectPatterns, on conn: Connection) throws {
        let r = PatternResolver(conn: conn, strict: patterns.strictNames)
        if let everything = patterns.includeEverything {
            if !everything { includeEverything = false }
        } else if !patterns.includeSchemas.isEmpty || !patterns.includeTables.isEmpty || !patterns.includeExtensions.isEmpty
            || !patterns.includeTablesAndChildren.isEmpty {
            includeEverything = false
        }
        if !patterns.includeSchemas.isEmpty {
            haveSchemaPatterns = true
            includedSchemas.formUnion(try r.schemas(patterns.includeSchemas, strict: r.strict))
            if includedSchemas.isEmpty { throw PatternError("no matching schemas were found") }
        }
        excludedSchemas.formUnion(try r.schemas(patterns.excludeSchemas, strict: false))
        if !patterns.includeTables.isEmpty || !patterns.includeTablesAndChildren.isEmpty {
            haveTablePatterns = true
            includedTables.formUnion(try r.tables(patterns.includeTables, strict: r.strict))
            includedTables.formUnion(try r.tables(patterns.includeTablesAndChildren, strict: r.strict, withChildren: true))
            if includedTables.isEmpty { throw PatternError("no matching tables were found") }
        }
        excludedTables.formUnion(try r.tables(patterns.excludeTables, strict: false))
        excludedTables.formUnion(try r.tables(patterns.excludeTablesAndChildren, strict: false, withChildren: true))
        excludedTableData.formUnion(try r.tables(patterns.excludeTableData, strict: false))
        excludedTableData.formUnion(try r.tables(patterns.excludeTableDataAndChildren, strict: false, withChildren: true))
        // Every pattern must match a server, whatever --strict-names says.
        includedForeignServers.formUnion(try r.foreignServers(patterns.includeForeignServers))
        if !patterns.includeExtensions.isEmpty {
            haveExtensionPatterns = true
            includedExtensions.formUnion(try r.extensions(patterns.includeExtensions, strict: r.strict))
            if includedExtensions.isEmpty { throw PatternError("no matching extensions were found") }
        }
        excludedExtensions.formUnion(try r.extensions(patterns.excludeExtensions, strict: false))
    }
}

/// pg_dump's expand_schema/table/extension_name_patterns: one query per pattern.
struct PatternResolver {
    let conn: Connection
    let strict: Bool
    var version: Int { conn.serverVersion }

    private func oids(_ sql: String) throws -> [UInt32] {
        try conn.execute(sql).rows.compactMap { $0.first.flatMap { $0 }.flatMap { UInt32($0) } }
    }

    /// pg_dump's prohibit_crossdb_refs.
    private func prohibitCrossDB(_ dbname: String, _ pattern: String) throws {
        guard let db = conn.database else { throw PatternError("You are currently not connected to a database.") }
        if conn.wireText(db) != dbname { throw PatternError("cross-database references are not implemented: \(pattern)") }
    }

    func schemas(_ patterns: [String], strict: Bool) throws -> Set<UInt32> {
        var out: Set<UInt32> = []
        for p in patterns {
            // Not split on dots (no schema variable), but dots are counted.
            let pat = SQLNamePattern(conn.wireText(p), parts: 1)
            if pat.dotCount > 1 {
                throw PatternError("improper qualified name (too many dotted names): \(p)")
            } else if pat.dotCount == 1 {
                // pg_dump passes a database-name buffer that patternToSQLRegex never fills
                // here, so "db.schema" is refused whatever db is: compare with "" as it does.
                try prohibitCrossDB("", p)
            }
            let sql = "SELECT oid FROM pg_catalog.pg_namespace n\n"
                + sqlNamePatternClauses(pat, haveWhere: false, schemaVar: nil, nameVar: "n.nspname",
                                        visibilityRule: nil, serverVersion: version)
            let found = try oids(sql)
            if strict && found.isEmpty { throw PatternError("no matching schemas were found for pattern \"\(p)\"") }
            out.formUnion(found)
        }
        return out
    }

    /// `withChildren`: also every table that inherits from a match, at any depth (pg_dump 16's
    /// --table-and-children and the other *-and-children options).
    func tables(_ patterns: [String], strict: Bool, withChildren: Bool = false) throws -> Set<UInt32> {
        var out: Set<UInt32> = []
        for p in patterns {
            let pat = SQLNamePattern(conn.wireText(p), parts: 3)
            if pat.dotCount > 2 {
                throw PatternError("improper relation name (too many dotted names): \(p)")
            } else if pat.dotCount == 2 {
                try prohibitCrossDB(pat.dbname ?? "", p)
            }
            // Tables, sequences, views, materialized views, foreign and partitioned tables.
            var sql = withChildren ? "WITH RECURSIVE partition_tree (relid) AS (\n" : ""
            sql += "SELECT c.oid"
                + "\nFROM pg_catalog.pg_class c"
                + "\n     LEFT JOIN pg_catalog.pg_namespace n"
                + "\n     ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
                + "\nWHERE c.relkind OPERATOR(pg_catalog.=) ANY"
                + "\n    (array['r', 'S', 'v', 'm', 'f', 'p'])\n"
                + sqlNamePatternClauses(pat, haveWhere: true, schemaVar: "n.nspname", nameVar: "c.relname",
                                        visibilityRule: "pg_catalog.pg_table_is_visible(c.oid)",
                                        serverVersion: version)
            if withChildren {
                sql += "UNION"
                    + "\nSELECT i.inhrelid"
                    + "\nFROM partition_tree p"
                    + "\n     JOIN pg_catalog.pg_inherits i"
                    + "\n     ON p.relid OPERATOR(pg_catalog.=) i.inhparent"
                    + "\n)"
                    + "\nSELECT relid FROM partition_tree"
            }
            // Unqualified patterns match what the user's own search_path makes visible.
            _ = try conn.execute("RESET search_path")
            let found = try oids(sql)
            _ = try conn.execute("SELECT pg_catalog.set_config('search_path', '', false);")
            if strict && found.isEmpty { throw PatternError("no matching tables were found for pattern \"\(p)\"") }
            out.formUnion(found)
        }
        return out
    }

    /// pg_dump's expand_foreign_server_name_patterns: a pattern that matches no server is an
    /// error.
    func foreignServers(_ patterns: [String]) throws -> Set<UInt32> {
        var out: Set<UInt32> = []
        for p in patterns {
            let pat = SQLNamePattern(conn.wireText(p), parts: 1)
            if pat.dotCount > 0 {
                throw PatternError("improper qualified name (too many dotted names): \(p)")
            }
            let sql = "SELECT oid FROM pg_catalog.pg_foreign_server s\n"
                + sqlNamePatternClauses(pat, haveWhere: false, schemaVar: nil, nameVar: "s.srvname",
                                        visibilityRule: nil, serverVersion: version)
            let found = try oids(sql)
            if found.isEmpty { throw PatternError("no matching foreign servers were found for pattern \"\(p)\"") }
            out.formUnion(found)
        }
        return out
    }

    func extensions(_ patterns: [String], strict: Bool) throws -> Set<UInt32> {
        var out: Set<UInt32> = []
        for p in patterns {
            let pat = SQLNamePattern(conn.wireText(p), parts: 1)
            if pat.dotCount > 0 {
                throw PatternError("improper qualified name (too many dotted names): \(p)")
            }
            let sql = "SELECT oid FROM pg_catalog.pg_extension e\n"
                + sqlNamePatternClauses(pat, haveWhere: false, schemaVar: nil, nameVar: "e.extname",
                                        visibilityRule: nil, serverVersion: version)
            let found = try oids(sql)
            if strict && found.isEmpty { throw PatternError("no matching extensions were found for pattern \"\(p)\"") }
            out.formUnion(found)
        }
        return out
    }
}
