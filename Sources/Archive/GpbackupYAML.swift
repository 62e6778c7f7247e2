// A strict reader of the YAML subset that gpbackup's go-yaml (v2) writes into its config.yaml,
// toc.yaml and segment toc files: block mappings, block sequences (also of mappings, at the
// key's own indentation as go-yaml writes them), plain, single- and double-quoted scalars
// (also folded over several lines), literal blocks (`|`, `|-`), and the empty `[]` and `{}`.
// Anything else (anchors, tags, flow collections with content, tabs as indentation) is an
// error naming the file and line, never a guess.

/// One YAML node.
public indirect enum GpYAML: Equatable, Sendable {
    case scalar(String)
    case sequence([GpYAML])
    /// Keys in file order (go-yaml writes struct fields in declaration order).
    case mapping([(String, GpYAML)])

    public static func == (a: GpYAML, b: GpYAML) -> Bool {
        switch (a, b) {
        case let (.scalar(x), .scalar(y)): return x == y
        case let (.sequence(x), .sequence(y)): return x == y
        case let (.mapping(x), .mapping(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(_ key: String) -> GpYAML? {
        if case let .mapping(pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
    public var string: String? { if case let .scalar(s) = self { return s }; return nil }
    public var array: [GpYAML]? {
        if case let .sequence(a) = self { return a }
        if case let .scalar(s) = self, s.isEmpty { return [] }  // a key with nothing after it
        return nil
    }
    public var pairs: [(String, GpYAML)]? {
        if case let .mapping(p) = self { return p }
        if case let .scalar(s) = self, s.isEmpty { return [] }
        return nil
    }
}

public struct GpYAMLError: Error, CustomStringConvertible, Sendable {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

public enum GpYAMLParser {
    struct Line {
        let number: Int
        let indent: Int
        let text: Substring  // without the indentation; never empty
    }

    public static func parse(_ bytes: [UInt8]) throws -> GpYAML {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines: [Line] = []
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            var s = raw
            if s.hasSuffix("\r") { s = s.dropLast() }
            var indent = 0
            while let c = s.first, c == " " { s = s.dropFirst(); indent += 1 }
            if s.first == "\t" { throw GpYAMLError(line: n, message: "tab used for indentation") }
            if s.isEmpty { lines.append(Line(number: n, indent: -1, text: "")); continue }
            if s.hasPrefix("#") { continue }
            if n == 1 && s == "---" { continue }
            lines.append(Line(number: n, indent: indent, text: s))
        }
        var p = Parser(lines: lines)
        p.skipBlank()
        if p.i >= p.lines.count { return .mapping([]) }
        let v = try p.node(indent: p.lines[p.i].indent)
        p.skipBlank()
        if p.i < p.lines.count { throw GpYAMLError(line: p.lines[p.i].number, message: "unexpected text at indentation \(p.lines[p.i].indent)") }
        return v
    }

    struct Parser {
        let lines: [Line]
        var i = 0

        mutating func skipBlank() { while i < lines.count && lines[i].indent < 0 { i += 1 } }

        /// The block node whose first line is lines[i], at exactly `indent`.
        mutating func node(indent: Int) throws -> GpYAML {
            skipBlank()
            let l = lines[i]
            if l.text == "-" || l.text.hasPrefix("- ") { return try sequence(indent: indent) }
            return try mapping(indent: indent)
        }

        mutating func sequence(indent: Int) throws -> GpYAML {
            var items: [GpYAML] = []
            while true {
                skipBlank()
                guard i < lines.count, lines[i].indent == indent, lines[i].text == "-" || lines[i].text.hasPrefix("- ") else { break }
                let l = lines[i]
                let rest = l.text.dropFirst(1).drop { $0 == " " }
                if rest.isEmpty {
                    i += 1
                    skipBlank()
                    guard i < lines.count, lines[i].indent > indent else { items.append(.scalar("")); continue }
                    items.append(try node(indent: lines[i].indent))
                } else if Self.keyEnd(rest) != nil {
                    // "- key: value": a mapping whose keys sit at the column after "- ".
                    let col = indent + (l.text.count - rest.count)
                    items.append(try mapping(indent: col, firstLine: Line(number: l.number, indent: col, text: rest)))
                } else {
                    i += 1
                    items.append(.scalar(try scalar(rest, line: l.number, parentIndent: indent)))
                }
            }
            return .sequence(items)
        }

        /// A block mapping at `indent`; `firstLine` replaces lines[i] (the part after "- ").
        mutating func mapping(indent: Int, firstLine: Line? = nil) throws -> GpYAML {
            var pairs: [(String, GpYAML)] = []
            var first = firstLine
            while true {
                let l: Line
                if let f = first { l = f; first = nil } else {
                    skipBlank()
                    guard i < lines.count, lines[i].indent == indent else { break }
                    l = lines[i]
                    if l.text == "-" || l.text.hasPrefix("- ") { break }
                }
                guard let end = Self.keyEnd(l.text) else {
                    throw GpYAMLError(line: l.number, message: "expected \"key: value\"")
                }
                let rawKey = l.text[..<end]
                let key = try scalar(rawKey, line: l.number, parentIndent: indent, allowContinuation: false)
                if pairs.contains(where: { $0.0 == key }) { throw GpYAMLError(line: l.number, message: "duplicate key \"\(key)\"") }
                let rest = l.text[l.text.index(after: end)...].drop { $0 == " " }
                i += 1
                if rest.isEmpty {
                    skipBlank()
                    if i < lines.count, lines[i].indent > indent
                        || (lines[i].indent == indent && (lines[i].text == "-" || lines[i].text.hasPrefix("- "))) {
                        pairs.append((key, try node(indent: lines[i].indent)))
                    } else {
                        pairs.append((key, .scalar("")))
                    }
                } else if rest == "[]" {
                    pairs.append((key, .sequence([])))
                } else if rest == "{}" {
                    pairs.append((key, .mapping([])))
                } else if rest == "|" || rest == "|-" || rest == "|+" {
                    pairs.append((key, .scalar(literalBlock(parentIndent: indent, chomp: rest.last!))))
                } else {
                    pairs.append((key, .scalar(try scalar(rest, line: l.number, parentIndent: indent))))
                }
            }
            return .mapping(pairs)
        }

        /// Where the ": " (or final ":") that ends a key is, outside quotes; nil if none.
        static func keyEnd(_ s: Substring) -> Substring.Index? {
            var idx = s.startIndex
            if let q = s.first, q == "\"" || q == "'" {
                idx = s.index(after: idx)
                while idx < s.endIndex {
                    if s[idx] == "\\" && q == "\"" { idx = s.index(after: idx); if idx < s.endIndex { idx = s.index(after: idx) }; continue }
                    if s[idx] == q {
                        let next = s.index(after: idx)
                        if q == "'" && next < s.endIndex && s[next] == "'" { idx = s.index(after: next); continue }
                        idx = next
                        break
                    }
                    idx = s.index(after: idx)
                }
                guard idx < s.endIndex, s[idx] == ":" else { return nil }
                let after = s.index(after: idx)
                return after == s.endIndex || s[after] == " " ? idx : nil
            }
            while idx < s.endIndex {
                if s[idx] == ":" {
                    let after = s.index(after: idx)
                    if after == s.endIndex || s[after] == " " { return idx }
                }
                if s[idx] == " " {
                    let after = s.index(after: idx)
                    if after < s.endIndex && s[after] == "#" { return nil }
                }
                idx = s.index(after: idx)
            }
            return nil
        }

        /// `|` block: the following lines indented more than the parent, verbatim.
        mutating func literalBlock(parentIndent: Int, chomp: Character) -> String {
            var body: [Substring] = []
            var blockIndent: Int? = nil
            while i < lines.count {
                let l = lines[i]
                if l.indent < 0 { body.append(""); i += 1; continue }
                if l.indent <= parentIndent { break }
                let bi = blockIndent ?? l.indent
                blockIndent = bi
                body.append(Substring(String(repeating: " ", count: max(0, l.indent - bi))) + l.text)
                i += 1
            }
            // Trailing blank lines belong to the block only for "|+".
            var trailing = 0
            while let last = body.last, last.isEmpty { body.removeLast(); trailing += 1 }
            var s = body.joined(separator: "\n")
            switch chomp {
            case "-": break
            case "+": s += String(repeating: "\n", count: 1 + trailing)
            default: if !body.isEmpty { s += "\n" }
            }
            return s
        }

        /// A flow scalar starting with `first` (the rest of a line); quoted and plain scalars
        /// may continue on the following, more indented lines (go-yaml folds at 80 columns).
        mutating func scalar(_ first: Substring, line: Int, parentIndent: Int, allowContinuation: Bool = true) throws -> String {
            var text = String(first)
            guard let q = text.first else { return "" }
            if q == "\"" || q == "'" {
                while !Self.quotedComplete(text, quote: q) {
                    guard allowContinuation, i < lines.count, lines[i].indent < 0 || lines[i].indent > parentIndent else {
                        throw GpYAMLError(line: line, message: "unterminated quoted scalar")
                    }
                    let l = lines[i]
                    i += 1
                    text += "\n" + (l.indent < 0 ? "" : String(l.text))
                }
                return try q == "'" ? Self.singleQuoted(text, line: line) : Self.doubleQuoted(text, line: line)
            }
            for bad in ["&", "*", "!", "{", "[", "|", ">", "%", "@", "`"] where text.hasPrefix(bad) {
                throw GpYAMLError(line: line, message: "unsupported YAML (\(bad)) in \"\(text)\"")
            }
            if let r = text.range(of: " #") { text = String(text[..<r.lowerBound]) }
            // Plain scalar continued on more indented lines: folded with spaces.
            while allowContinuation, i < lines.count, lines[i].indent > parentIndent, Self.keyEnd(lines[i].text) == nil,
                  !(lines[i].text == "-" || lines[i].text.hasPrefix("- ")) {
                text += " " + lines[i].text
                i += 1
            }
            while text.last == " " { text.removeLast() }
            return text
        }

        static func quotedComplete(_ s: String, quote: Character) -> Bool {
            var chars = Array(s.dropFirst())
            var k = 0
            while k < chars.count {
                let c = chars[k]
                if quote == "\"" && c == "\\" { k += 2; continue }
                if c == quote {
                    if quote == "'" && k + 1 < chars.count && chars[k + 1] == "'" { k += 2; continue }
                    chars.removeAll()
                    return true
                }
                k += 1
            }
            return false
        }

        /// Folding: a single line break becomes a space, n+1 breaks become n newlines;
        /// leading white space of continuation lines is dropped.
        static func fold(_ parts: [String]) -> String {
            var out = ""
            var blank = 0
            for (k, p) in parts.enumerated() {
                let t = k == 0 ? p : String(p.drop { $0 == " " || $0 == "\t" })
                if k > 0 && t.isEmpty && k < parts.count - 1 { blank += 1; continue }
                if k > 0 {
                    out += blank > 0 ? String(repeating: "\n", count: blank) : " "
                    blank = 0
                }
                out += t
            }
            return out
        }

        static func singleQuoted(_ s: String, line: Int) throws -> String {
            var body = String(s.dropFirst())
            guard body.hasSuffix("'") else { throw GpYAMLError(line: line, message: "text after a quoted scalar") }
            body.removeLast()
            let folded = body.contains("\n") ? fold(body.components(separatedBy: "\n").map { String($0.reversed().drop { $0 == " " }.reversed()) }) : body
            return folded.replacingOccurrences(of: "''", with: "'")
        }

        static func doubleQuoted(_ s: String, line: Int) throws -> String {
            var body = Array(s.dropFirst())
            guard body.last == "\"" else { throw GpYAMLError(line: line, message: "text after a quoted scalar") }
            body.removeLast()
            // Line folding first: an escaped line break ("\" at line end) joins without a space.
            var joined: [Character] = []
            var k = 0
            var pendingBreaks = 0
            var atLineStart = false
            while k < body.count {
                let c = body[k]
                if c == "\\" && k + 1 < body.count && body[k + 1] == "\n" {
                    while joined.last == " " { joined.removeLast() }
                    k += 2
                    while k < body.count && (body[k] == " " || body[k] == "\t") { k += 1 }
                    continue
                }
                if c == "\n" {
                    while joined.last == " " { joined.removeLast() }
                    pendingBreaks += 1
                    atLineStart = true
                    k += 1
                    continue
                }
                if atLineStart {
                    if c == " " || c == "\t" { k += 1; continue }
                    joined += pendingBreaks == 1 ? [" "] : Array(repeating: "\n", count: pendingBreaks - 1)
                    pendingBreaks = 0
                    atLineStart = false
                }
                if c == "\\" && k + 1 < body.count { joined.append(c); joined.append(body[k + 1]); k += 2; continue }
                joined.append(c)
                k += 1
            }
            var out = ""
            k = 0
            while k < joined.count {
                let c = joined[k]
                guard c == "\\" else { out.append(c); k += 1; continue }
                guard k + 1 < joined.count else { throw GpYAMLError(line: line, message: "bad escape") }
                let e = joined[k + 1]
                k += 2
                switch e {
                case "\\": out += "\\"
                case "\"": out += "\""
                case "/": out += "/"
                case "n": out += "\n"
                case "t": out += "\t"
                case "r": out += "\r"
                case "0": out += "\u{0}"
                case "a": out += "\u{7}"
                case "b": out += "\u{8}"
                case "e": out += "\u{1b}"
                case "f": out += "\u{c}"
                case "v": out += "\u{b}"
                case " ": out += " "
                case "N": out += "\u{85}"
                case "_": out += "\u{a0}"
                case "L": out += "\u{2028}"
                case "P": out += "\u{2029}"
                case "x", "u", "U":
                    let n = e == "x" ? 2 : e == "u" ? 4 : 8
                    guard k + n <= joined.count, let v = UInt32(String(joined[k..<k + n]), radix: 16),
                          let scalar = Unicode.Scalar(v) else { throw GpYAMLError(line: line, message: "bad \\\(e) escape") }
                    out.unicodeScalars.append(scalar)
                    k += n
                default: throw GpYAMLError(line: line, message: "unknown escape \\\(e)")
                }
            }
            return out
        }
    }
}
