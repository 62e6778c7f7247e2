import Catalog
import Console

// pg_dump reads its options in command-line order (getopt_long) and acts on some as it meets
// them: pattern lists grow in that order, --filter files are read there and then (their
// patterns join the lists at that point), and a bad number is reported at once. The parsed
// command keeps each option's values but not how different options interleave, so those
// options are read again here, from the words as given.

/// pg_dump's options that take a value (its getopt_long table), and cbdump's --where: the
/// word after one of them is its value, whatever it looks like.
let pgDumpShortWithValue: Set<Character> = ["d", "e", "E", "f", "F", "h", "j", "n", "N", "p", "S", "t", "T", "U", "Z"]
let pgDumpLongWithValue: Set<String> = [
    "dbname", "extension", "file", "format", "host", "jobs", "port", "schema", "exclude-schema", "superuser",
    "table", "exclude-table", "username", "compress", "encoding", "exclude-table-data", "extra-float-digits",
    "lock-wait-timeout", "role", "section", "snapshot", "rows-per-insert", "include-foreign-data",
    "table-and-children", "exclude-table-and-children", "exclude-table-data-and-children", "sync-method",
    "filter", "exclude-extension", "restrict-key", "where",
]

/// The options as given, in order: long ones by name ("table"), short ones as "-t"; the
/// value, for those that take one.
func optionsInOrder(_ args: [String]) -> [(name: String, value: String?)] {
    var out: [(String, String?)] = []
    var i = 0
    while i < args.count {
        let a = args[i]
        i += 1
        if a == "--" { break }
        if a.hasPrefix("--") {
            let body = a.dropFirst(2)
            if let eq = body.firstIndex(of: "=") {
                out.append((String(body[..<eq]), String(body[body.index(after: eq)...])))
            } else if pgDumpLongWithValue.contains(String(body)) {
                out.append((String(body), i < args.count ? args[i] : nil))
                i += 1
            } else {
                out.append((String(body), nil))
            }
        } else if a.count == 2, a.hasPrefix("-"), let c = a.last {
            if pgDumpShortWithValue.contains(c) {
                out.append((a, i < args.count ? args[i] : nil))
                i += 1
            } else {
                out.append((a, nil))
            }
        }
    }
    return out
}

/// What the order-sensitive options come to.
struct OrderedOptions {
    var patterns = ObjectPatterns()
    /// Rows per INSERT (pg_dump's dump_inserts): 0 for COPY.
    var dumpInserts = 0
    var extraFloatDigits: Int?
}

extension DumpRunner {
    /// Walks the options in command-line order as pg_dump's getopt loop does: patterns and
    /// --filter files, --inserts/--rows-per-insert and --extra-float-digits, with pg_dump's
    /// errors at the first bad one.
    func readOrderedOptions() throws -> OrderedOptions {
        var r = OrderedOptions()
        r.patterns.strictNames = c.strictNames
        r.patterns.includeEverything = true
        var seen = optionsInOrder(args)
        // Without the words (a runner made from a parsed command alone), the parsed values
        // in a fixed order.
        if args.isEmpty {
            seen = c.schema.map { ("schema", $0) } + c.excludeSchema.map { ("exclude-schema", $0) }
                + c.table.map { ("table", $0) } + c.excludeTable.map { ("exclude-table", $0) }
                + c.excludeTableData.map { ("exclude-table-data", $0) } + c.includeExtension.map { ("extension", $0) }
                + c.excludeExtension.map { ("exclude-extension", $0) } + c.tableAndChildren.map { ("table-and-children", $0) }
                + c.excludeTableAndChildren.map { ("exclude-table-and-children", $0) }
                + c.excludeTableDataAndChildren.map { ("exclude-table-data-and-children", $0) }
                + c.includeForeignData.map { ("include-foreign-data", $0) } + c.filter.map { ("filter", $0) }
                + c.rowsPerInsert.map { ("rows-per-insert", $0) } + c.extraFloatDigits.map { ("extra-float-digits", $0) }
                + (c.inserts ? [("inserts", nil)] : [])
        }
        for (name, value) in seen {
            let v = value ?? ""
            // Include options narrow the dump (pg_dump's include_everything = false).
            if ["-n", "schema", "-t", "table", "-e", "extension", "table-and-children"].contains(name) {
                r.patterns.includeEverything = false
            }
            switch name {
            case "-n", "schema": r.patterns.includeSchemas.append(v)
            case "-N", "exclude-schema": r.patterns.excludeSchemas.append(v)
            case "-t", "table": r.patterns.includeTables.append(v)
            case "-T", "exclude-table": r.patterns.excludeTables.append(v)
            case "exclude-table-data": r.patterns.excludeTableData.append(v)
            case "-e", "extension": r.patterns.includeExtensions.append(v)
            case "exclude-extension": r.patterns.excludeExtensions.append(v)
            case "table-and-children": r.patterns.includeTablesAndChildren.append(v)
            case "exclude-table-and-children": r.patterns.excludeTablesAndChildren.append(v)
            case "exclude-table-data-and-children": r.patterns.excludeTableDataAndChildren.append(v)
            case "include-foreign-data": r.patterns.includeForeignServers.append(v)
            case "inserts":
                // One row per INSERT (DUMP_DEFAULT_ROWS_PER_INSERT), unless --rows-per-insert
                // gave a number, whichever came first.
                if r.dumpInserts == 0 { r.dumpInserts = 1 }
            case "rows-per-insert":
                r.dumpInserts = try optionParseInt(v, "--rows-per-insert", 1, Int(Int32.max))
            case "extra-float-digits":
                r.extraFloatDigits = try optionParseInt(v, "--extra-float-digits", -15, 3)
            case "filter":
                try readFilter(v, into: &r.patterns)
            default: break
            }
        }
        return r
    }

    /// pg_dump's read_dump_filters: the file's patterns join the option lists; object types
    /// pg_dump cannot select by are refused.
    func readFilter(_ path: String, into p: inout ObjectPatterns) throws {
        let items = try FilterFile.read(path) { item in
            let refused: Set<FilterObjectType>
            switch item.command {
            case .include: refused = [.database, .function, .index, .tableData, .tableDataAndChildren, .trigger]
            case .exclude: refused = [.database, .function, .index, .trigger, .foreignData]
            }
            guard refused.contains(item.objectType) else { return nil }
            return "\(item.command == .include ? "include" : "exclude") filter for \"\(item.objectType.displayName)\" is not allowed"
        }
        for item in items {
            let v = item.pattern
            // As the options would, but an extension include (unlike -e) narrows nothing.
            if item.command == .include && [.schema, .table, .tableAndChildren].contains(item.objectType) {
                p.includeEverything = false
            }
            switch (item.command, item.objectType) {
            case (.include, .extension): p.includeExtensions.append(v)
            case (.include, .foreignData): p.includeForeignServers.append(v)
            case (.include, .schema): p.includeSchemas.append(v)
            case (.include, .table): p.includeTables.append(v)
            case (.include, .tableAndChildren): p.includeTablesAndChildren.append(v)
            case (.exclude, .extension): p.excludeExtensions.append(v)
            case (.exclude, .tableData): p.excludeTableData.append(v)
            case (.exclude, .tableDataAndChildren): p.excludeTableDataAndChildren.append(v)
            case (.exclude, .schema): p.excludeSchemas.append(v)
            case (.exclude, .table): p.excludeTables.append(v)
            case (.exclude, .tableAndChildren): p.excludeTablesAndChildren.append(v)
            default: break
            }
        }
    }
}
