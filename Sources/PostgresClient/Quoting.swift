/// The one audited place where identifiers, literals and connection-string values are quoted.
///
/// Everything works on raw bytes: archive strings are in the dumped database's encoding and
/// must be reproduced byte for byte, so nothing here round-trips through `String`.
public struct SQLQuoter: Sendable {
    /// The PostgreSQL major whose keyword list decides which identifiers need quotes.
    public let major: Int
    /// `--quote-all-identifiers`.
    public let quoteAll: Bool
    private let keywords: Set<String>

    public init(major: Int, quoteAll: Bool = false) {
        self.major = major
        self.quoteAll = quoteAll
        var set = Keywords.base15
        for (word, since) in Keywords.added where since <= major { set.insert(word) }
        self.keywords = set
    }

    /// pg_dump's fmtId: quotes unless the name is a lower-case identifier that is not a
    /// reserved, column-name or type/function-name keyword; doubles embedded quotes.
    public func identifier(_ raw: [UInt8]) -> [UInt8] {
        guard needsQuotes(raw) else { return raw }
        var out: [UInt8] = [0x22]
        out.reserveCapacity(raw.count + 2)
        for b in raw {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
        return out
    }

    public func identifier(_ raw: String) -> String {
        // Most names need no quotes: then the name itself, without a round trip through
        // bytes (a 10,000-table schema quotes hundreds of thousands of names).
        if !quoteAll, let plain = Self.plainIdentifier(raw.utf8), !plain.mayBeKeyword || !keywords.contains(raw) {
            return raw
        }
        return String(decoding: identifier(Array(raw.utf8)), as: UTF8.self)
    }

    /// Whether `raw` has only what an unquoted name may have (a lower-case letter or `_`
    /// first, then those and digits), and whether it could be a keyword (no keyword has a
    /// digit); nil when it needs quotes anyway.
    private static func plainIdentifier<C: Collection>(_ raw: C) -> (mayBeKeyword: Bool, Void)? where C.Element == UInt8 {
        guard let first = raw.first, (first >= 0x61 && first <= 0x7a) || first == 0x5f else { return nil }
        var digit = false
        for b in raw {
            if (b >= 0x61 && b <= 0x7a) || b == 0x5f { continue }
            if b >= 0x30 && b <= 0x39 { digit = true; continue }
            return nil
        }
        return (!digit, ())
    }

    /// `schema.name`, each part through `identifier` (pg_dump's fmtQualifiedId).
    public func qualified(_ schema: [UInt8]?, _ name: [UInt8]) -> [UInt8] {
        guard let schema, !schema.isEmpty else { return identifier(name) }
        return identifier(schema) + [0x2e] + identifier(name)
    }

    private func needsQuotes(_ raw: [UInt8]) -> Bool {
        if quoteAll { return true }
        guard let plain = Self.plainIdentifier(raw) else { return true }
        return plain.mayBeKeyword && keywords.contains(String(decoding: raw, as: UTF8.self))
    }

    /// A SQL string literal as pg_dump's appendStringLiteral writes it: quotes doubled, and
    /// backslashes doubled too when standard_conforming_strings is off.
    public static func literal(_ raw: [UInt8], standardConformingStrings: Bool = true) -> [UInt8] {
        var out: [UInt8] = [0x27]
        out.reserveCapacity(raw.count + 2)
        for b in raw {
            if b == 0x27 || (b == 0x5c && !standardConformingStrings) { out.append(b) }
            out.append(b)
        }
        out.append(0x27)
        return out
    }

    /// pg_dump's appendStringLiteral for a value in the client encoding `encoding`: the bytes
    /// of a multibyte character are copied as they are, so that a trail byte that happens to
    /// be `\\` in SJIS, BIG5, GBK, UHC, GB18030 or JOHAB is not doubled; elsewhere as
    /// `literal(_:standardConformingStrings:)`. Appends to `out`.
    public static func appendLiteral(_ raw: UnsafeRawBufferPointer, encoding: ClientEncoding,
                                     standardConformingStrings: Bool, to out: inout [UInt8]) {
        out.append(0x27)
        var i = 0
        let n = raw.count
        while i < n {
            let b = raw[i]
            if b < 0x80 {
                if b == 0x27 || (b == 0x5c && !standardConformingStrings) { out.append(b) }
                out.append(b)
                i += 1
                continue
            }
            let len = encoding.characterLength(b, next: i + 1 < n ? raw[i + 1] : 0)
            let end = min(i + len, n)
            out.append(contentsOf: raw[i..<end])
            i = end
        }
        out.append(0x27)
    }

    /// A bytea literal in hex format (pg_dump's appendByteaLiteral).
    public static func byteaLiteral<C: Collection>(_ data: C, standardConformingStrings: Bool) -> [UInt8]
    where C.Element == UInt8 {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [0x27]
        out.reserveCapacity(data.count * 2 + 5)
        if !standardConformingStrings { out.append(0x5c) }
        out.append(contentsOf: [0x5c, 0x78])
        for b in data {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xf)])
        }
        out.append(0x27)
        return out
    }

    /// A libpq connection-string value (appendConnStrVal): bare when it is plain ASCII
    /// letters, digits, `_` and `.`; otherwise single-quoted with `'` and `\` escaped.
    public static func connStringValue(_ raw: [UInt8]) -> [UInt8] {
        let plain = !raw.isEmpty && raw.allSatisfy(isPlainConnChar)
        if plain { return raw }
        var out: [UInt8] = [0x27]
        for b in raw {
            if b == 0x27 || b == 0x5c { out.append(0x5c) }
            out.append(b)
        }
        out.append(0x27)
        return out
    }

    /// psql's `\connect` line for a database (appendPsqlMetaConnect), newline included.
    /// Returns nil when the name holds a newline or carriage return, which no psql
    /// meta-command can carry safely.
    public func psqlConnect(_ dbname: [UInt8]) -> [UInt8]? {
        if dbname.contains(0x0a) || dbname.contains(0x0d) { return nil }
        if dbname.allSatisfy(Self.isPlainConnChar) {
            return Array("\\connect ".utf8) + identifier(dbname) + [0x0a]
        }
        let connstr = Array("dbname=".utf8) + Self.connStringValue(dbname)
        return Array("\\encoding SQL_ASCII\n\\connect -reuse-previous=on ".utf8) + identifier(connstr) + [0x0a]
    }

    private static func isPlainConnChar(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b == 0x5f || b == 0x2e
    }
}

/// How a client encoding lays out multibyte characters, as far as quoting needs it (libpq's
/// PQmblen): only the encodings whose trail bytes can be ASCII differ from one byte at a time.
public enum ClientEncoding: Sendable {
    /// Every byte of a multibyte character is 0x80 or above (UTF8, EUC_*, LATIN*, WIN*, ...).
    case asciiSafe
    case sjis, big5, gbk, uhc, gb18030, johab

    /// From the server's name for the encoding (client_encoding as reported).
    public init(name: String) {
        switch name.uppercased() {
        case "SJIS", "SHIFT_JIS_2004": self = .sjis
        case "BIG5": self = .big5
        case "GBK": self = .gbk
        case "UHC": self = .uhc
        case "GB18030": self = .gb18030
        case "JOHAB": self = .johab
        default: self = .asciiSafe
        }
    }

    /// The length of the character starting with `first` (a byte of 0x80 or above).
    public func characterLength(_ first: UInt8, next: UInt8) -> Int {
        switch self {
        case .asciiSafe: return 1
        case .sjis: return first >= 0xa1 && first <= 0xdf ? 1 : 2
        case .big5, .gbk, .uhc: return 2
        case .gb18030: return next >= 0x30 && next <= 0x39 ? 4 : 2
        case .johab: return first == 0x8e ? 2 : first == 0x8f ? 3 : 2
        }
    }
}
