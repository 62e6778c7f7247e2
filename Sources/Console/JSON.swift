/// JSON text for the machine-readable outputs (`--progress=json`, the archive manifest).
public enum JSON {
    /// A JSON string literal for `s`. Names may hold quotes, backslashes and control
    /// characters; DEL is escaped too, so a terminal showing the line cannot be steered by it.
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7f {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
