/// Splits getopt-style attached values ("-Fc", "-Z9", "-f-") into option and value, for the
/// short options in `shortWithValue`, so that the argument parser sees pg_dump's and
/// pg_restore's spellings as separate words. "--name=" (an empty value, as getopt_long
/// takes it) becomes "--name" and "", or the parser would take the next word as the value.
/// Everything after "--" is left alone.
public func splitAttachedValues(_ args: [String], shortWithValue: Set<Character>) -> [String] {
    var out: [String] = []
    var passthrough = false
    for a in args {
        if passthrough || a == "--" { passthrough = true; out.append(a); continue }
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
