// archive-diff REFERENCE OURS [--desc D1,D2,...] [--quiet]
//
// Development tool: compares two pg_dump archives entry by entry (matched by type, schema
// and tag), printing entries missing or extra, fields that differ, and where the order of
// the common entries first differs. Exit status 0 when they agree.
import Archive
#if canImport(Glibc)
import Glibc
#endif

var args = Array(CommandLine.arguments.dropFirst())
var descFilter: Set<String>? = nil
var quiet = false
if let i = args.firstIndex(of: "--desc"), i + 1 < args.count {
    descFilter = Set(args[i + 1].split(separator: ",").map { String($0) })
    args.removeSubrange(i...(i + 1))
}
if let i = args.firstIndex(of: "--quiet") { quiet = true; args.remove(at: i) }
guard args.count == 2 else {
    print("usage: archive-diff REFERENCE OURS [--desc TYPE,...] [--quiet]")
    exit(2)
}

func s(_ b: [UInt8]?) -> String { b.map { String(decoding: $0, as: UTF8.self) } ?? "<null>" }

struct Key: Hashable, CustomStringConvertible {
    let desc: String, ns: String, tag: String, n: Int
    var description: String { "\(desc) \(ns).\(tag)" + (n > 0 ? " #\(n + 1)" : "") }
}

func keyed(_ path: String, _ descFilter: Set<String>?) throws -> [(Key, TocEntry)] {
    let r = try ArchiveOpener.open(path: path)
    var seen: [String: Int] = [:]
    var out: [(Key, TocEntry)] = []
    for te in r.entries {
        if let f = descFilter, !f.contains(te.desc) { continue }
        let base = "\(te.desc)\u{1}\(s(te.namespace))\u{1}\(s(te.tag))"
        let n = seen[base, default: 0]
        seen[base] = n + 1
        out.append((Key(desc: te.desc, ns: s(te.namespace), tag: s(te.tag), n: n), te))
    }
    return out
}

do {
    let a = try keyed(args[0], descFilter), b = try keyed(args[1], descFilter)
    let bmap = Dictionary(uniqueKeysWithValues: b.map { ($0.0, $0.1) })
    let amap = Dictionary(uniqueKeysWithValues: a.map { ($0.0, $0.1) })
    var problems = 0
    for (k, _) in a where bmap[k] == nil { print("missing: \(k)"); problems += 1 }
    for (k, _) in b where amap[k] == nil { print("extra:   \(k)"); problems += 1 }
    for (k, ta) in a {
        guard let tb = bmap[k] else { continue }
        let fields: [(String, String, String)] = [
            ("section", "\(ta.section)", "\(tb.section)"),
            ("owner", s(ta.owner), s(tb.owner)),
            ("tablespace", s(ta.tablespace), s(tb.tablespace)),
            ("tableam", s(ta.tableam), s(tb.tableam)),
            ("defn", s(ta.defn), s(tb.defn)),
            ("dropStmt", s(ta.dropStmt), s(tb.dropStmt)),
            ("copyStmt", s(ta.copyStmt), s(tb.copyStmt)),
            ("hasData", "\(ta.hadDumper)", "\(tb.hadDumper)"),
        ]
        for (name, x, y) in fields where x != y {
            problems += 1
            if quiet { print("differs: \(k) \(name)"); continue }
            print("differs: \(k) \(name)\n  reference: \(x.debugDescription)\n  ours:      \(y.debugDescription)")
        }
    }
    let commonA = a.map { $0.0 }.filter { bmap[$0] != nil }
    let commonB = b.map { $0.0 }.filter { amap[$0] != nil }
    if let i = zip(commonA, commonB).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
        problems += 1
        print("order differs at common entry \(i): reference has \(commonA[i]), ours has \(commonB[i])")
    }
    print("\(a.count) reference entries, \(b.count) ours, \(problems) problem(s)")
    exit(problems == 0 ? 0 : 1)
} catch {
    print("archive-diff: \(error)")
    exit(2)
}
