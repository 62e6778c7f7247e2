/// Splits getopt-style attached values ("-Fc", "-Z9", "-f-") into option and value, for the
/// short options in `shortWithValue`, so that the argument parser sees pg_dump's and
/// pg_restore's spellings as separate words. Everything after "--" is left alone.
/// The word after a value-taking option ("-n", or "--schema" when named in `longWithValue`)
/// is its value and is left whole, even when it starts with "-". "--name=" (an empty value,
/// as getopt_long takes it) becomes "--name" and "", or the parser would take the next word.
public func splitAttachedValues(_ args: [String], shortWithValue: Set<Character>,
                                longWithValue: Set<String> = []) -> [String] {
    var out: [String] = []
    var passthrough = false
    var isValue = false
    for a in args {
        if passthrough { out.append(a); continue }
        // The word after "-n" is its value even when it starts with "-" (getopt's rule).
        defer {
            isValue = !isValue && ((a.count == 2 && a.hasPrefix("-") && shortWithValue.contains(a.last!))
                                   || (a.hasPrefix("--") && longWithValue.contains(String(a.dropFirst(2)))))
        }
        if isValue { out.append(a); continue }
        if a == "--" { passthrough = true; out.append(a); continue }
        if a.count > 2, a.hasPrefix("-"), !a.hasPrefix("--"), let c = a.dropFirst().first, shortWithValue.contains(c) {
            out.append("-\(c)")
            out.append(String(a.dropFirst(2)))
        } else if a.count > 3, a.hasPrefix("--"), a.hasSuffix("="), a.firstIndex(of: "=") == a.index(before: a.endIndex) {
            out.append(String(a.dropLast()))
            out.append("")
        } else {
            out.append(a)
        }
    }
    return out
}
