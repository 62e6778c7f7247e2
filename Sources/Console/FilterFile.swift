#if canImport(Glibc)
import Glibc
#endif

// Filter files (pg_dump 17's --filter, also pg_dumpall's and pg_restore's): lines of
// `include|exclude OBJECT_TYPE PATTERN`, blank lines and # comments, parsed as fe_utils'
// filter.c parses them, with its messages. Which object types a tool allows is the tool's
// business: `read` asks it line by line, so that errors come in the file's order.

/// What a filter line does.
public enum FilterCommand: Sendable, Equatable { case include, exclude }

/// The object types a filter line may name (filter.c's FilterObjectType).
public enum FilterObjectType: String, Sendable, CaseIterable {
    case tableData = "table_data"
    case tableDataAndChildren = "table_data_and_children"
    case database, `extension`
    case foreignData = "foreign_data"
    case function, index, schema, table
    case tableAndChildren = "table_and_children"
    case trigger

    /// filter_object_type_name: how messages name it.
    public var displayName: String {
        switch self {
        case .tableData: return "table data"
        case .tableDataAndChildren: return "table data and children"
        case .foreignData: return "foreign data"
        case .tableAndChildren: return "table and children"
        default: return rawValue
        }
    }
}

/// One filter line (or several, for a quoted name with newlines in it).
public struct FilterItem: Sendable, Equatable {
    public let command: FilterCommand
    public let objectType: FilterObjectType
    /// The name pattern, normalised as filter.c's read_pattern does (quotes kept).
    public let pattern: String
}

/// A filter file that cannot be read or parsed; the message is the tool's error line.
public struct FilterFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

public enum FilterFile {
    /// Reads the filter file `path` ("-": standard input). `allowed` returns nil for an item
    /// the tool takes, or the reason it refuses it (e.g. `include filter for "index" is not
    /// allowed`), which becomes the error for that line.
    public static func read(_ path: String, allowed: (FilterItem) -> String?) throws -> [FilterItem] {
        var parser = try Parser(path: path)
        defer { parser.close() }
        var items: [FilterItem] = []
        while let item = try parser.nextItem() {
            guard let item = item else { continue }
            if let refusal = allowed(item) { throw parser.formatError(refusal) }
            items.append(item)
        }
        return items
    }

    private struct Parser {
        let path: String
        let fp: UnsafeMutablePointer<FILE>
        let isStdin: Bool
        var lineno = 0
        var line: [UInt8] = []
        var pos = 0

        init(path: String) throws {
            self.path = path
            if path == "-" {
                // The process's standard input (descriptor 0), read through its own stream.
                guard let f = fdopen(0, "r") else {
                    throw FilterFileError(description: "could not open filter file \"\(path)\": \(String(cString: strerror(errno)))")
                }
                fp = f
                isStdin = true
            } else {
                guard let f = fopen(path, "r") else {
                    throw FilterFileError(description: "could not open filter file \"\(path)\": \(String(cString: strerror(errno)))")
                }
                fp = f
                isStdin = false
            }
        }

        func close() { if !isStdin { fclose(fp) } }

        /// pg_log_filter_error: the message (cut to 255 bytes, as filter.c's buffer) with
        /// where it happened.
        func formatError(_ message: String) -> FilterFileError {
            let cut = String(decoding: Array(message.utf8.prefix(255)), as: UTF8.self)
            if isStdin {
                return FilterFileError(description: "invalid format in filter read from standard input on line \(lineno): \(cut)")
            }
            return FilterFileError(description: "invalid format in filter read from file \"\(path)\" on line \(lineno): \(cut)")
        }

        func readError() -> FilterFileError {
            FilterFileError(description: "could not read from filter file \"\(path)\": \(String(cString: strerror(errno)))")
        }

        /// pg_get_line_buf: the next line with its newline; false at end of file.
        mutating func readLine() throws -> Bool {
            var buf: UnsafeMutablePointer<CChar>? = nil
            var cap = 0
            defer { free(buf) }
            let n = getline(&buf, &cap, fp)
            if n < 0 {
                if ferror(fp) != 0 { throw readError() }
                return false
            }
            line = buf!.withMemoryRebound(to: UInt8.self, capacity: n) { Array(UnsafeBufferPointer(start: $0, count: n)) }
            // A NUL ends the line for the C code.
            if let nul = line.firstIndex(of: 0) { line.removeSubrange(nul...) }
            pos = 0
            return true
        }

        var current: UInt8 { pos < line.count ? line[pos] : 0 }

        static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0d) }

        /// filter_read_item: nil at end of file, .some(nil) for a blank or comment line.
        mutating func nextItem() throws -> FilterItem?? {
            guard try readLine() else { return nil }
            lineno += 1
            while Self.isSpace(current) { pos += 1 }
            if current == 0 || current == UInt8(ascii: "#") { return .some(nil) }
            guard let command = keyword() else {
                throw formatError("no filter command found (expected \"include\" or \"exclude\")")
            }
            let comtype: FilterCommand
            switch command.lowercased() {
            case "include": comtype = .include
            case "exclude": comtype = .exclude
            default: throw formatError("invalid filter command (expected \"include\" or \"exclude\")")
            }
            guard let type = keyword() else { throw formatError("missing filter object type") }
            guard let objtype = FilterObjectType(rawValue: type.lowercased()), type.utf8.allSatisfy({ $0 < 0x80 }) else {
                throw formatError("unsupported filter object type: \"\(type)\"")
            }
            let pattern = try readPattern()
            return .some(FilterItem(command: comtype, objectType: objtype, pattern: String(decoding: pattern, as: UTF8.self)))
        }

        /// filter_get_keyword: the next run of non-blank bytes, or nil.
        mutating func keyword() -> String? {
            while Self.isSpace(current) { pos += 1 }
            guard current != 0 else { return nil }
            let start = pos
            while current != 0 && !Self.isSpace(current) { pos += 1 }
            return String(decoding: line[start..<pos], as: UTF8.self)
        }

        /// read_pattern: the name, with blanks squeezed out except between words, ", " after
        /// commas, quoted parts kept quoted; a # starts a comment.
        mutating func readPattern() throws -> [UInt8] {
            var out: [UInt8] = []
            var skipSpace = true, foundSpace = false
            while Self.isSpace(current) { pos += 1 }
            if current == 0 { throw formatError("missing object name pattern") }
            let specials = Set("#,.()\"".utf8)
            while current != 0 && current != UInt8(ascii: "#") {
                while current != 0 && !Self.isSpace(current) && !specials.contains(current) {
                    if !skipSpace && foundSpace {
                        out.append(0x20)
                        skipSpace = true
                    }
                    out.append(current)
                    pos += 1
                }
                skipSpace = false
                if current == UInt8(ascii: "\"") {
                    if foundSpace { out.append(0x20) }
                    try readQuoted(into: &out)
                } else if current == UInt8(ascii: ",") {
                    out += [UInt8(ascii: ","), 0x20]
                    skipSpace = true
                    pos += 1
                } else if current == UInt8(ascii: ".") || current == UInt8(ascii: "(") || current == UInt8(ascii: ")") {
                    out.append(current)
                    pos += 1
                    skipSpace = true
                }
                foundSpace = false
                while Self.isSpace(current) {
                    foundSpace = true
                    pos += 1
                }
            }
            return out
        }

        /// read_quoted_string: a double-quoted name, possibly over several lines (a newline
        /// in it is kept); `""` stays `""`, `\n` is a newline, `\\` a backslash, and any other
        /// backslash pair is dropped.
        mutating func readQuoted(into out: inout [UInt8]) throws {
            out.append(UInt8(ascii: "\""))
            pos += 1
            while true {
                if current == 0x0d || current == 0x0a {
                    pos += 1
                    continue
                }
                if current == 0 {
                    guard try readLine() else {
                        throw formatError("unexpected end of file")
                    }
                    out.append(0x0a)
                    lineno += 1
                }
                if current == UInt8(ascii: "\"") {
                    out.append(UInt8(ascii: "\""))
                    pos += 1
                    if current == UInt8(ascii: "\"") {
                        out.append(UInt8(ascii: "\""))
                        pos += 1
                    } else {
                        break
                    }
                } else if current == UInt8(ascii: "\\") {
                    pos += 1
                    if current == UInt8(ascii: "n") {
                        out.append(0x0a)
                    } else if current == UInt8(ascii: "\\") {
                        out.append(UInt8(ascii: "\\"))
                    }
                    pos = min(pos + 1, line.count)
                } else {
                    out.append(current)
                    pos += 1
                }
            }
        }
    }
}
