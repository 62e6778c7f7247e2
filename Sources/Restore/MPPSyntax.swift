// cbrestore --no-gp-syntax: an archive made on Greenplum or Cloudberry (by cbdump or by the
// fork's own pg_dump) restores into plain PostgreSQL once the MPP-only clauses are taken out
// of its entries (docs/mpp.md, "Restore"). The rewriting works on the entries' SQL bytes with a
// small lexer that knows quotes, dollar quotes, comments and parentheses, so that text inside
// strings, identifiers and function bodies is never touched.
import Archive

public enum MPPSyntax {
    /// Storage options only the MPP servers know (WITH (...) of a table).
    static let storageOptions: Set<String> = [
        "appendonly", "appendoptimized", "orientation", "compresstype", "compresslevel", "blocksize", "checksum",
    ]
    /// Table access methods PostgreSQL has not.
    static let accessMethods: Set<[UInt8]> = [Array("ao_row".utf8), Array("ao_column".utf8), Array("pax".utf8)]
    /// Entry kinds that exist only on MPP servers: dropped whole.
    static let mppOnlyDescs: Set<String> = [
        "PROTOCOL", "TYPE STORAGE OPTIONS", "DYNAMIC TABLE", "DYNAMIC TABLE DATA", "EXTERNAL TABLE",
        "RESOURCE QUEUE", "RESOURCE GROUP",
    ]

    /// True when the archive was made on an MPP server: an MPP-only entry kind, an MPP table
    /// access method, or a DISTRIBUTED clause in a table's definition.
    public static func isMPPArchive(_ entries: [TocEntry]) -> Bool {
        entries.contains { te in
            if mppOnlyDescs.contains(te.desc) { return true }
            if let am = te.tableam, accessMethods.contains(am) { return true }
            if te.desc == "TABLE" || te.desc == "FOREIGN TABLE" || te.desc == "MATERIALIZED VIEW", let d = te.defn {
                return containsDistributed(d)
            }
            return false
        }
    }

    /// Whether an entry cannot exist in PostgreSQL at all (an MPP-only kind, an external
    /// table, which is a foreign table of the built-in gp_exttable_server, or the ACL, comment
    /// or label of one of the forks' own catalog relations).
    public static func isMPPOnly(_ te: TocEntry) -> Bool {
        if mppOnlyDescs.contains(te.desc) { return true }
        if te.desc == "FOREIGN TABLE", let d = te.defn { return contains(d, "SERVER gp_exttable_server") }
        return isOnMPPCatalogObject(te)
    }

    /// An ACL, comment or security label on a `pg_catalog.gp_*` object: the forks' catalog
    /// views (gp_pgdatabase, gp_distributed_log, gp_distributed_xacts, gp_transaction_log,
    /// ...), whose privileges differ from pg_init_privs, so that pg_dump dumps their GRANTs
    /// although they belong to the server. PostgreSQL has no such object: every one fails.
    /// The tag is the object kind in capitals, then its name (`TABLE gp_pgdatabase`).
    static func isOnMPPCatalogObject(_ te: TocEntry) -> Bool {
        guard ["ACL", "COMMENT", "SECURITY LABEL"].contains(te.desc), te.namespace == Array("pg_catalog".utf8) else { return false }
        var words = te.tag.split(separator: 0x20, omittingEmptySubsequences: false)[...]
        while let w = words.first, !w.isEmpty, w.allSatisfy({ $0 >= 0x41 && $0 <= 0x5a }) { words.removeFirst() }
        var name = Array(words.joined(separator: [0x20]))
        if name.first == 0x22 { name.removeFirst() }
        return name.starts(with: Array("gp_".utf8)) || name.starts(with: Array("__gp_".utf8))
    }

    /// Rewrites the entries in place for PostgreSQL and returns the dump IDs of those to leave
    /// out: MPP-only entries, and the comments, ACLs and labels that hang on them.
    public static func stripEntries(_ entries: [TocEntry]) -> Set<Int32> {
        var altered: Set<Int32> = []
        return stripEntries(entries, altered: &altered)
    }

    /// The same; `altered` gets the entries of objects PostgreSQL has (roles) from which
    /// MPP-only clauses were taken out, for a warning.
    public static func stripEntries(_ entries: [TocEntry], altered: inout Set<Int32>) -> Set<Int32> {
        var dropped: Set<Int32> = []
        for te in entries where isMPPOnly(te) { dropped.insert(te.dumpId) }
        for te in entries where ["ACL", "COMMENT", "SECURITY LABEL"].contains(te.desc) {
            if te.dependencies.contains(where: dropped.contains) { dropped.insert(te.dumpId) }
        }
        for te in entries where !dropped.contains(te.dumpId) {
            if let am = te.tableam, accessMethods.contains(am) { te.tableam = nil }
            if let d = te.defn {
                let stripped = strip(d, desc: te.desc)
                if stripped != d {
                    if te.desc == "ROLE" { altered.insert(te.dumpId) }
                    te.defn = stripped
                }
            }
        }
        return dropped
    }

    /// One entry's SQL without its MPP clauses. `desc` is the TOC entry's kind: the
    /// clauses taken out depend on it (a WITH list is a table's storage only on tables).
    public static func strip(_ sql: [UInt8], desc: String) -> [UInt8] {
        var s = sql
        s = removeStatements(s, startingWith: ["SET", "gp_default_storage_options"])
        s = removeDistributed(s)
        switch desc {
        case "TABLE", "MATERIALIZED VIEW":
            s = removeWords(s, ["INCREMENTAL"], after: ["CREATE"])
            s = dropListItems(s) { words in
                (words.count >= 3 && words[0] == "COLUMN" && words[2] == "ENCODING")
                    || (words.count >= 3 && words[0] == "DEFAULT" && words[1] == "COLUMN" && words[2] == "ENCODING")
            }
            s = stripStorageOptions(s)
        case "ROLE":
            s = stripRoleClauses(s)
        case "FUNCTION", "PROCEDURE":
            for words in [["NO", "SQL"], ["CONTAINS", "SQL"], ["READS", "SQL", "DATA"], ["MODIFIES", "SQL", "DATA"],
                          ["EXECUTE", "ON", "ALL", "SEGMENTS"], ["EXECUTE", "ON", "COORDINATOR"], ["EXECUTE", "ON", "MASTER"],
                          ["EXECUTE", "ON", "INITPLAN"], ["EXECUTE", "ON", "ANY"]] {
                s = removeWords(s, words, after: nil)
            }
            s = removeWithDescribe(s)
        default:
            break
        }
        return s
    }

    // MARK: - Lexing

    /// For each byte: whether it is SQL code (not inside a string, quoted identifier, dollar
    /// quote or comment), and its parenthesis depth (both parens of a pair get the outer one).
    struct Lexed {
        let s: [UInt8]
        var code: [Bool]
        var depth: [Int]

        init(_ s: [UInt8]) {
            self.s = s
            code = Array(repeating: false, count: s.count)
            depth = Array(repeating: 0, count: s.count)
            var d = 0
            var i = 0
            let n = s.count
            while i < n {
                let c = s[i]
                if c == 0x27 {  // '
                    let escapes = i > 0 && (s[i - 1] == 0x45 || s[i - 1] == 0x65) && (i < 2 || !MPPSyntax.isIdent(s[i - 2]))
                    var j = i + 1
                    while j < n {
                        if escapes && s[j] == 0x5c { j += 2; continue }
                        if s[j] == 0x27 { if j + 1 < n && s[j + 1] == 0x27 { j += 2; continue }; break }
                        j += 1
                    }
                    for k in i..<min(j + 1, n) { depth[k] = d }
                    i = j + 1; continue
                }
                if c == 0x22 {  // "
                    var j = i + 1
                    while j < n { if s[j] == 0x22 { if j + 1 < n && s[j + 1] == 0x22 { j += 2; continue }; break }; j += 1 }
                    for k in i..<min(j + 1, n) { depth[k] = d }
                    i = j + 1; continue
                }
                if c == 0x24, i == 0 || !MPPSyntax.isIdent(s[i - 1]) {  // $tag$
                    var j = i + 1
                    while j < n && MPPSyntax.isIdent(s[j]) && !(j == i + 1 && s[j] >= 0x30 && s[j] <= 0x39) { j += 1 }
                    if j < n && s[j] == 0x24 {
                        let tag = Array(s[i...j])
                        var k = j + 1
                        var end = n
                        while k + tag.count <= n {
                            if s[k] == 0x24 && Array(s[k..<(k + tag.count)]) == tag { end = k + tag.count; break }
                            k += 1
                        }
                        for m in i..<end { depth[m] = d }
                        i = end; continue
                    }
                }
                if c == 0x2d && i + 1 < n && s[i + 1] == 0x2d {  // -- comment
                    var j = i
                    while j < n && s[j] != 0x0a { depth[j] = d; j += 1 }
                    i = j; continue
                }
                if c == 0x2f && i + 1 < n && s[i + 1] == 0x2a {  // /* comment */
                    var j = i + 2
                    while j + 1 < n && !(s[j] == 0x2a && s[j + 1] == 0x2f) { j += 1 }
                    let end = min(j + 2, n)
                    for k in i..<end { depth[k] = d }
                    i = end; continue
                }
                code[i] = true
                if c == 0x28 { depth[i] = d; d += 1 } else if c == 0x29 { d = max(d - 1, 0); depth[i] = d } else { depth[i] = d }
                i += 1
            }
        }

        /// The index of the parenthesis closing the one at `open`.
        func closing(_ open: Int) -> Int? {
            var i = open + 1
            while i < s.count {
                if code[i] && s[i] == 0x29 && depth[i] == depth[open] { return i }
                i += 1
            }
            return nil
        }

        /// Whether the keyword `word` (ASCII, upper case) is at `i` as code, as a whole word.
        func keyword(_ word: String, at i: Int) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= s.count, code[i] else { return false }
            if i > 0 && MPPSyntax.isIdent(s[i - 1]) && code[i - 1] { return false }
            for (k, b) in w.enumerated() where MPPSyntax.upper(s[i + k]) != b { return false }
            if i + w.count < s.count && MPPSyntax.isIdent(s[i + w.count]) { return false }
            return true
        }

        func skipSpace(_ i: Int) -> Int {
            var j = i
            while j < s.count && MPPSyntax.isSpace(s[j]) { j += 1 }
            return j
        }

        /// Matches `words` from `i` (whitespace between them); the end index.
        func words(_ words: [String], at i: Int) -> Int? {
            var j = i
            for (k, w) in words.enumerated() {
                if k > 0 { j = skipSpace(j) }
                guard keyword(w, at: j) else { return nil }
                j += w.utf8.count
            }
            return j
        }

        /// The start of the whitespace run that ends at `i`.
        func spaceBefore(_ i: Int) -> Int {
            var j = i
            while j > 0 && MPPSyntax.isSpace(s[j - 1]) { j -= 1 }
            return j
        }
    }

    static func isIdent(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f || b >= 0x80
    }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0a || b == 0x09 || b == 0x0d }
    static func upper(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x7a ? b - 0x20 : b }

    static func contains(_ s: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard n.count <= s.count else { return false }
        for i in 0...(s.count - n.count) where s[i] == n[0] && Array(s[i..<(i + n.count)]) == n { return true }
        return false
    }

    /// A whole DISTRIBUTED clause as code (not merely a table named "distributed").
    static func containsDistributed(_ s: [UInt8]) -> Bool {
        contains(s, "DISTRIBUTED") && removeDistributed(s) != s
    }

    /// Applies deletions/replacements (ranges must not overlap).
    static func apply(_ s: [UInt8], _ edits: [(Range<Int>, [UInt8])]) -> [UInt8] {
        var out = s
        for (r, rep) in edits.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) { out.replaceSubrange(r, with: rep) }
        return out
    }

    // MARK: - Rewrites

    /// ` DISTRIBUTED BY (...)` / `RANDOMLY` / `REPLICATED` / `MASTERONLY`, with the
    /// whitespace before it.
    static func removeDistributed(_ s: [UInt8]) -> [UInt8] {
        let l = Lexed(s)
        var edits: [(Range<Int>, [UInt8])] = []
        var i = 0
        while i < s.count {
            if l.depth[i] == 0 && l.keyword("DISTRIBUTED", at: i) {
                let j = l.skipSpace(i + 11)
                var end: Int? = nil
                if let b = l.words(["BY"], at: j) {
                    let p = l.skipSpace(b)
                    if p < s.count && l.code[p] && s[p] == 0x28, let c = l.closing(p) { end = c + 1 }
                } else {
                    for w in ["RANDOMLY", "REPLICATED", "MASTERONLY"] { if let e = l.words([w], at: j) { end = e } }
                }
                if let end {
                    edits.append((l.spaceBefore(i)..<end, []))
                    i = end; continue
                }
            }
            i += 1
        }
        return apply(s, edits)
    }

    /// Statements such as `SET gp_default_storage_options = '';` (up to their `;` and the
    /// line end).
    static func removeStatements(_ s: [UInt8], startingWith words: [String]) -> [UInt8] {
        let l = Lexed(s)
        var edits: [(Range<Int>, [UInt8])] = []
        var i = 0
        while i < s.count {
            if (i == 0 || s[i - 1] == 0x0a), let e = l.words(words.map { $0.uppercased() }, at: i) {
                var j = e
                while j < s.count && !(l.code[j] && s[j] == 0x3b) { j += 1 }
                j = min(j + 1, s.count)
                if j < s.count && s[j] == 0x0a { j += 1 }
                edits.append((i..<j, []))
                i = j; continue
            }
            i += 1
        }
        return apply(s, edits)
    }

    /// Removes the word sequence (with the whitespace before it) wherever it is code at
    /// depth 0 (and, with `after`, only right after those words).
    static func removeWords(_ s: [UInt8], _ words: [String], after: [String]?) -> [UInt8] {
        let l = Lexed(s)
        var edits: [(Range<Int>, [UInt8])] = []
        var i = 0
        while i < s.count {
            if l.depth[i] == 0, let e = l.words(words, at: i) {
                var ok = true
                if let after {
                    let b = l.spaceBefore(i)
                    let w = after.last!.utf8.count
                    ok = b >= w && l.keyword(after.last!, at: b - w)
                }
                if ok { edits.append((l.spaceBefore(i)..<e, [])); i = e; continue }
            }
            i += 1
        }
        return apply(s, edits)
    }

    /// The upper-cased words of an item (identifiers and keywords; quoted names as one word).
    static func itemWords(_ l: Lexed, _ r: Range<Int>) -> [String] {
        var out: [String] = []
        var i = r.lowerBound
        while i < r.upperBound {
            if isSpace(l.s[i]) { i += 1; continue }
            var j = i
            if l.s[i] == 0x22 {
                j += 1
                while j < r.upperBound && !l.code[j] { j += 1 }  // to past the closing quote
            } else if isIdent(l.s[i]) {
                while j < r.upperBound && isIdent(l.s[j]) { j += 1 }
            } else {
                j += 1
            }
            j = max(j, i + 1)  // always progress
            out.append(String(decoding: l.s[i..<j].map(upper), as: UTF8.self))
            i = j
        }
        return out
    }

    /// Drops the items of the statement's first parenthesised list (a CREATE TABLE's
    /// columns, an aggregate's options) for which `drop` says so, keeping the others' text
    /// and the list's closing layout.
    static func dropListItems(_ s: [UInt8], _ drop: ([String]) -> Bool) -> [UInt8] {
        let l = Lexed(s)
        guard let open = s.indices.first(where: { l.code[$0] && s[$0] == 0x28 && l.depth[$0] == 0 }),
              let close = l.closing(open) else { return s }
        var items: [Range<Int>] = []
        var start = open + 1
        for i in (open + 1)..<close where l.code[i] && s[i] == 0x2c && l.depth[i] == l.depth[open] + 1 {
            items.append(start..<i); start = i + 1
        }
        items.append(start..<close)
        let keep = items.filter { !drop(itemWords(l, $0)) }
        guard keep.count < items.count else { return s }
        // The last item's trailing whitespace (the newline before ')') stays.
        let last = items.last!
        var trail = last.upperBound
        while trail > last.lowerBound && isSpace(s[trail - 1]) { trail -= 1 }
        var body: [UInt8] = []
        for (k, r) in keep.enumerated() {
            if k > 0 { body.append(0x2c) }
            var e = r.upperBound
            if r == last { e = trail }
            body += s[r.lowerBound..<e]
        }
        if keep.isEmpty { body = [] }
        body += s[trail..<close]
        return apply(s, [((open + 1)..<close, body)])
    }

    /// A table's `WITH (...)` without the MPP storage options; gone when none is left.
    static func stripStorageOptions(_ s: [UInt8]) -> [UInt8] {
        let l = Lexed(s)
        var i = 0
        while i < s.count {
            if l.depth[i] == 0 && l.keyword("WITH", at: i) {
                let p = l.skipSpace(i + 4)
                if p < s.count && l.code[p] && s[p] == 0x28, let c = l.closing(p) {
                    var items: [Range<Int>] = []
                    var start = p + 1
                    for k in (p + 1)..<c where l.code[k] && s[k] == 0x2c && l.depth[k] == l.depth[p] + 1 {
                        items.append(start..<k); start = k + 1
                    }
                    items.append(start..<c)
                    let keep = items.filter { r in
                        var name = Array(s[r]).drop(while: isSpace)
                        if let eq = name.firstIndex(of: 0x3d) { name = name[..<eq] }
                        let n = String(decoding: name.filter { $0 != 0x22 && !isSpace($0) }, as: UTF8.self).lowercased()
                        return !storageOptions.contains(n)
                    }
                    if keep.count == items.count { return s }
                    if keep.isEmpty { return apply(s, [(l.spaceBefore(i)..<(c + 1), [])]) }
                    let text = keep.map { r -> [UInt8] in
                        var a = Array(s[r])
                        while let f = a.first, isSpace(f) { a.removeFirst() }
                        while let z = a.last, isSpace(z) { a.removeLast() }
                        return a
                    }
                    var body: [UInt8] = []
                    for (k, t) in text.enumerated() { if k > 0 { body += Array(", ".utf8) }; body += t }
                    return apply(s, [((p + 1)..<c, body)])
                }
            }
            i += 1
        }
        return s
    }

    /// Role options only the MPP servers know, as gpbackup and pg_dumpall write them in
    /// CREATE ROLE / ALTER ROLE: `RESOURCE QUEUE q`, `RESOURCE GROUP g`,
    /// `[NO]CREATEEXTTABLE [(protocol=..., type=...)]`; and the `ALTER ROLE r DENY ...`
    /// time constraints, dropped whole.
    static func stripRoleClauses(_ s: [UInt8]) -> [UInt8] {
        let l = Lexed(s)
        var edits: [(Range<Int>, [UInt8])] = []
        // The statements: from the start or after a `;` at depth 0.
        var statementStart = 0
        var inRole = false
        var i = 0
        /// The end of the name at `j` (plain or quoted), or nil.
        func nameEnd(_ j: Int) -> Int? {
            guard j < s.count else { return nil }
            if s[j] == 0x22 {
                var k = j + 1
                while k < s.count && !l.code[k] { k += 1 }
                return k > j + 1 ? k : nil
            }
            var k = j
            while k < s.count && isIdent(s[k]) { k += 1 }
            return k > j ? k : nil
        }
        while i < s.count {
            if l.code[i] && !isSpace(s[i]) && i == l.skipSpace(statementStart) {
                inRole = l.words(["ALTER", "ROLE"], at: i) != nil || l.words(["CREATE", "ROLE"], at: i) != nil
                    || l.words(["ALTER", "USER"], at: i) != nil || l.words(["CREATE", "USER"], at: i) != nil
                if inRole, let e = l.words([upper(s[i]) == 0x41 ? "ALTER" : "CREATE"], at: i),
                   let n = nameEnd(l.skipSpace(l.skipSpace(e) + 4)), l.words(["DENY"], at: l.skipSpace(n)) != nil {
                    // ALTER ROLE r DENY ...: the whole statement, to its `;` and line end.
                    var j = n
                    while j < s.count && !(l.code[j] && s[j] == 0x3b) { j += 1 }
                    j = min(j + 1, s.count)
                    if j < s.count && s[j] == 0x0a { j += 1 }
                    edits.append((i..<j, []))
                    statementStart = j; i = j; continue
                }
            }
            if l.code[i] && s[i] == 0x3b && l.depth[i] == 0 { statementStart = i + 1; inRole = false; i += 1; continue }
            if inRole && l.depth[i] == 0 {
                if let e = l.words(["RESOURCE", "QUEUE"], at: i) ?? l.words(["RESOURCE", "GROUP"], at: i),
                   let n = nameEnd(l.skipSpace(e)) {
                    edits.append((l.spaceBefore(i)..<n, [])); i = n; continue
                }
                if let e = l.words(["CREATEEXTTABLE"], at: i) ?? l.words(["NOCREATEEXTTABLE"], at: i) {
                    var end = e
                    let p = l.skipSpace(e)
                    if p < s.count && l.code[p] && s[p] == 0x28, let c = l.closing(p) { end = c + 1 }
                    edits.append((l.spaceBefore(i)..<end, [])); i = end; continue
                }
            }
            i += 1
        }
        return apply(s, edits)
    }

    /// A table function's ` WITH (describe = f)`.
    static func removeWithDescribe(_ s: [UInt8]) -> [UInt8] {
        let l = Lexed(s)
        var i = 0
        while i < s.count {
            if l.depth[i] == 0 && l.keyword("WITH", at: i) {
                let p = l.skipSpace(i + 4)
                if p < s.count && l.code[p] && s[p] == 0x28, let c = l.closing(p), l.words(["DESCRIBE"], at: l.skipSpace(p + 1)) != nil {
                    return apply(s, [(l.spaceBefore(i)..<(c + 1), [])])
                }
            }
            i += 1
        }
        return s
    }
}
