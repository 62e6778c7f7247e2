import Catalog
import Console

// pg_dump reads its options in command-line order (getopt_long) and acts on some as it meets
// them: pattern lists grow in that order, --filter files are read there and then (their
// patterns join the lists at that point), and a bad number is reported at once. The parsed
// command keeps each option's values but not how different options interleave, so those
// options are read again here, from the words as given.

/// The options as given, in order, by their long names, with the value of those that take
/// one. The words are Getopt's (main.swift, `CBDumpCommand.getopt`): each option under its
/// long name, its value attached after "=" or, when empty, as the next word.
func optionsInOrder(_ args: [String]) -> [(name: String, value: String?)] {
    var out: [(String, String?)] = []
    var i = 0
    while i < args.count {
        let a = args[i]
        i += 1
        if a == "--" { break }
        guard a.hasPrefix("--") else { continue }
        let body = a.dropFirst(2)
        if let eq = body.firstIndex(of: "=") {
            out.append((String(body[..<eq]), String(body[body.index(after: eq)...])))
        } else if CBDumpCommand.getopt.options.contains(where: { $0.takesValue && $0.longs.contains(String(body)) }) {
            out.append((String(body), i < args.count ? args[i] : nil))
            i += 1
        } else {
            out.append((String(body), nil))
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
        for (name, value) in optionsInOrder(args) {
            let v = value ?? ""
            // Include options narrow the dump (pg_dump's include_everything = false).
            if ["schema", "table", "extension", "table-and-children"].contains(name) {
                r.patterns.includeEverything = false
            }
            switch name {
            case "schema": r.patterns.includeSchemas.append(v)
            case "exclude-schema": r.patterns.excludeSchemas.append(v)
            case "table": r.patterns.includeTables.append(v)
            case "exclude-table": r.patterns.excludeTables.append(v)
            case "exclude-table-data": r.patterns.excludeTableData.append(v)
            case "extension": r.patterns.includeExtensions.append(v)
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
