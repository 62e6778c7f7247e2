// Array-literal and aclitem helpers that pg_dump takes from fe_utils/string_utils.c and
// dumputils.c: parsePGArray, appendPGArray, quoteAclUserName.

/// pg_dump's parsePGArray: splits an array literal such as `{a,"b c",d}` into its items.
/// Returns nil for text that is not of that form. Quoted items lose their quotes and
/// backslash escapes; unquoted items are kept byte for byte.
public func parsePGArray(_ text: String) -> [String]? {
    let b = Array(text.utf8)
    guard b.count >= 2, b.first == UInt8(ascii: "{"), b.last == UInt8(ascii: "}") else { return nil }
    var items: [String] = []
    var i = 1
    while b[i] != UInt8(ascii: "}") {
        var cur: [UInt8] = []
        while b[i] != UInt8(ascii: "}") && b[i] != UInt8(ascii: ",") {
            if b[i] != UInt8(ascii: "\"") {
                cur.append(b[i]); i += 1
                if i >= b.count { return nil }
            } else {
                i += 1
                while true {
                    guard i < b.count else { return nil }
                    if b[i] == UInt8(ascii: "\"") { break }
                    if b[i] == UInt8(ascii: "\\") {
                        i += 1
                        guard i < b.count else { return nil }
                    }
                    cur.append(b[i]); i += 1
                }
                i += 1
                guard i < b.count else { return nil }
            }
        }
        items.append(String(decoding: cur, as: UTF8.self))
        if b[i] == UInt8(ascii: ",") { i += 1; if i >= b.count { return nil } }
    }
    // Anything after the closing brace is bogus syntax (an embedded '}').
    if i + 1 != b.count { return nil }
    return items
}

/// pg_dump's appendPGArray: adds `value` as one more item of the array literal being built in
/// `buffer` (which starts with "{"), quoting it as array_out would.
public func appendPGArray(_ buffer: inout String, _ value: String) {
    if buffer.last != "{" { buffer += "," }
    var needQuote = value.isEmpty || value.lowercased() == "null"
    if !needQuote {
        for c in value.utf8 where [0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c].contains(c) {
            needQuote = true
            break
        }
    }
    guard needQuote else { buffer += value; return }
    var out = "\""
    for ch in value {
        if ch == "\"" || ch == "\\" { out.append("\\") }
        out.append(ch)
    }
    buffer += out + "\""
}

/// dumputils.c's quoteAclUserName: a role name as aclitemout (putid) writes it inside an
/// aclitem: bare when only letters, digits and underscores, else double-quoted with `""`.
public func quoteAclUserName(_ name: String) -> String {
    let safe = name.utf8.allSatisfy { c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f
    }
    var out = safe ? "" : "\""
    for ch in name {
        if ch == "\"" { out.append("\"") }
        out.append(ch)
    }
    if !safe { out.append("\"") }
    return out
}
