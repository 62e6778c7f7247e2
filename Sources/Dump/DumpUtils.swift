import Catalog
import PostgresClient

// The parts of pg_dump's dumputils.c that pg_dump and pg_dumpall share: GRANT/REVOKE commands
// from ACLs (buildACLCommands, parseAclItem) and ALTER ... SET commands from settings
// (makeAlterConfigCommand). They need no catalog, only the quoting rules, the string-literal
// convention and the pg_dump release being reproduced, so cbdump (through DumpContext) and
// cbdumpall use the same code.
public struct DumpUtils: Sendable {
    /// fmtId's rules: the keyword list of the reproduced release and --quote-all-identifiers.
    public let quoter: SQLQuoter
    /// The pg_dump / pg_dumpall release whose output to reproduce.
    public let dumperMajor: Int
    /// standard_conforming_strings of the session, for string literals.
    public let stdStrings: Bool
    /// Literals as appendStringLiteralConn writes them (pg_dumpall): with
    /// standard_conforming_strings off, one holding a backslash gets the E'' syntax. Without
    /// it, as appendStringLiteralAH (pg_dump's archive entries): backslashes doubled, no E.
    public let escapeStringSyntax: Bool

    public init(quoter: SQLQuoter, dumperMajor: Int, stdStrings: Bool = true, escapeStringSyntax: Bool = false) {
        self.quoter = quoter
        self.dumperMajor = dumperMajor
        self.stdStrings = stdStrings
        self.escapeStringSyntax = escapeStringSyntax
    }

    /// pg_dump's fmtId.
    public func fmtId(_ name: String) -> String { quoter.identifier(name) }

    /// A string literal (appendStringLiteralAH, or appendStringLiteralConn with
    /// `escapeStringSyntax`).
    public func literal(_ s: String) -> String {
        let raw = Array(s.utf8)
        let text = String(decoding: SQLQuoter.literal(raw, standardConformingStrings: stdStrings), as: UTF8.self)
        if escapeStringSyntax && !stdStrings && raw.contains(UInt8(ascii: "\\")) { return "E" + text }
        return text
    }

    /// dumputils.c's buildACLCommands: the REVOKE and GRANT commands that turn `baseacls` into
    /// `acls` (nil/empty `acls` means the object still has its default privileges: nothing).
    /// `name`/`subname` are quoted already, `nspname` is not; `prefix` starts every command
    /// (ALTER DEFAULT PRIVILEGES ...). Returns nil when an ACL cannot be parsed.
    public func buildACLCommands(name: String, subname: String?, nspname: String?, type: String,
                                 acls: String?, baseacls: String, owner: String?, prefix: String) -> String? {
        guard let acls, !acls.isEmpty else { return "" }
        let owner = owner?.isEmpty == true ? nil : owner
        guard let aclitems = parsePGArray(acls), let baseitems = parsePGArray(baseacls) else { return nil }
        let grantitems = aclitems.filter { !baseitems.contains($0) }
        let revokeitems = baseitems.filter { !aclitems.contains($0) }

        // pg_dump 16 stopped writing the name's trailing space when the name is empty (default
        // privileges); 15 writes "ON FUNCTIONS  TO".
        let alwaysName = dumperMajor < 16
        func target(_ type: String) -> String {
            var s = " ON \(type) "
            if let nspname, !nspname.isEmpty { s += fmtId(nspname) + "." }
            if alwaysName || !name.isEmpty { s += name + " " }
            return s
        }

        var firstsql = "", secondsql = ""
        for item in revokeitems {
            guard let p = parseAclItem(item, type: type, subname: subname, wantGrantOption: false) else { return nil }
            if !p.privs.isEmpty {
                firstsql += prefix + "REVOKE " + p.privs + target(type) + "FROM "
                firstsql += p.grantee.isEmpty ? "PUBLIC;\n" : fmtId(p.grantee) + ";\n"
            }
        }
        for item in grantitems {
            guard let p = parseAclItem(item, type: type, subname: subname, wantGrantOption: true) else { return nil }
            if p.privs.isEmpty && p.privswgo.isEmpty { continue }
            var grantor = p.grantor
            if grantor.isEmpty, let owner { grantor = owner }
            let ownersOwn = owner != nil && p.grantee == owner && grantor == owner
            var sql = ""
            let switchUser = !grantor.isEmpty && (owner == nil || owner != grantor)
            if switchUser { sql += "SET SESSION AUTHORIZATION \(fmtId(grantor));\n" }
            if !p.privs.isEmpty {
                sql += prefix + "GRANT " + p.privs + target(type) + "TO "
                sql += p.grantee.isEmpty ? "PUBLIC;\n" : fmtId(p.grantee) + ";\n"
            }
            if !p.privswgo.isEmpty {
                sql += prefix + "GRANT " + p.privswgo + target(type) + "TO "
                sql += (p.grantee.isEmpty ? "PUBLIC" : fmtId(p.grantee)) + " WITH GRANT OPTION;\n"
            }
            if switchUser { sql += "RESET SESSION AUTHORIZATION;\n" }
            // The owner's own grants come first.
            if ownersOwn { firstsql += sql } else { secondsql += sql }
        }
        return firstsql + secondsql
    }

    /// dumputils.c's parseAclItem: splits `grantee=privs/grantor` into the dequoted grantee
    /// ("" for PUBLIC), grantor, and the privilege keyword lists without and with grant option
    /// ("ALL" when every privilege of the type is there). Without `wantGrantOption`, `privs`
    /// holds every privilege.
    public func parseAclItem(_ item: String, type: String, subname: String?, wantGrantOption: Bool)
        -> (grantee: String, grantor: String, privs: String, privswgo: String)? {
        let b = Array(item.utf8)
        var i = 0
        let grantee = dequoteAclUserName(b, &i)
        guard i < b.count, b[i] == UInt8(ascii: "=") else { return nil }
        let eq = i
        guard let slash = b[(eq + 1)...].firstIndex(of: UInt8(ascii: "/")) else { return nil }
        var j = slash + 1
        let grantor = dequoteAclUserName(b, &j)
        guard j == b.count else { return nil }
        let codes = Array(b[(eq + 1)..<slash])

        var privs: [String] = [], privswgo: [String] = []
        var allWithGo = true, allWithoutGo = true
        func convert(_ code: Character, _ keyword: String) {
            let c = code.asciiValue!
            if let pos = codes.firstIndex(of: c) {
                let kw = subname.map { "\(keyword)(\($0))" } ?? keyword
                if pos + 1 < codes.count && codes[pos + 1] == UInt8(ascii: "*") && wantGrantOption {
                    privswgo.append(kw); allWithoutGo = false
                } else {
                    privs.append(kw); allWithGo = false
                }
            } else {
                allWithGo = false; allWithoutGo = false
            }
        }
        switch type {
        case "TABLE", "SEQUENCE", "TABLES", "SEQUENCES":
            convert("r", "SELECT")
            if type == "SEQUENCE" || type == "SEQUENCES" {
                convert("U", "USAGE")
            } else {
                convert("a", "INSERT")
                convert("x", "REFERENCES")
                if subname == nil {
                    convert("d", "DELETE")
                    convert("t", "TRIGGER")
                    convert("D", "TRUNCATE")
                    // MAINTAIN exists from 17; pg_dump 15 knows nothing of it.
                    if dumperMajor >= 17 { convert("m", "MAINTAIN") }
                }
            }
            convert("w", "UPDATE")
        case "FUNCTION", "FUNCTIONS", "PROCEDURE", "PROCEDURES":
            convert("X", "EXECUTE")
        case "LANGUAGE":
            convert("U", "USAGE")
        case "SCHEMA", "SCHEMAS":
            convert("C", "CREATE"); convert("U", "USAGE")
        case "DATABASE":
            convert("C", "CREATE"); convert("c", "CONNECT"); convert("T", "TEMPORARY")
        case "TABLESPACE":
            convert("C", "CREATE")
        case "TYPE", "TYPES", "FOREIGN DATA WRAPPER", "FOREIGN SERVER":
            convert("U", "USAGE")
        case "FOREIGN TABLE":
            convert("r", "SELECT")
        case "PARAMETER":
            convert("s", "SET"); convert("A", "ALTER SYSTEM")
        case "LARGE OBJECT", "LARGE OBJECTS":
            convert("r", "SELECT"); convert("w", "UPDATE")
        default:
            return nil
        }
        var p = privs.joined(separator: ","), pg = privswgo.joined(separator: ",")
        let all = "ALL" + (subname.map { "(\($0))" } ?? "")
        if allWithGo { p = ""; pg = all }
        else if allWithoutGo { pg = ""; p = all }
        return (grantee, grantor, p, pg)
    }

    /// dumputils.c's dequoteAclUserName: the role name starting at `i`, up to an unquoted '='
    /// or the end, with aclitem quoting removed; `i` is left just past it.
    private func dequoteAclUserName(_ b: [UInt8], _ i: inout Int) -> String {
        var out: [UInt8] = []
        while i < b.count && b[i] != UInt8(ascii: "=") {
            if b[i] != UInt8(ascii: "\"") {
                out.append(b[i]); i += 1
            } else {
                i += 1
                while !(i < b.count && b[i] == UInt8(ascii: "\"") && !(i + 1 < b.count && b[i + 1] == UInt8(ascii: "\""))) {
                    if i >= b.count { return String(decoding: out, as: UTF8.self) }
                    if b[i] == UInt8(ascii: "\"") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "\"") { i += 1 }
                    out.append(b[i]); i += 1
                }
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// dumputils.c's makeAlterConfigCommand: `ALTER type name [IN type2 name2] SET var TO value;`
    /// for one "var=value" item; list-valued settings (search_path ...) are split and each
    /// element quoted. Items without "=" give nothing.
    public func makeAlterConfigCommand(_ item: String, type: String, name: String,
                                       type2: String? = nil, name2: String? = nil) -> String {
        guard let eq = item.firstIndex(of: "=") else { return "" }
        let variable = String(item[..<eq])
        let value = String(item[item.index(after: eq)...])
        var s = "ALTER \(type) \(fmtId(name)) "
        if let type2, let name2 { s += "IN \(type2) \(fmtId(name2)) " }
        s += "SET \(fmtId(variable)) TO "
        if isGucListQuote(variable) {
            if let items = splitGUCList(value) {
                s += items.map { literal($0) }.joined(separator: ", ")
            }
        } else {
            s += literal(value)
        }
        return s + ";\n"
    }

    /// dumputils.c's variable_is_guc_list_quote, with the list of the pg_dump being imitated.
    func isGucListQuote(_ name: String) -> Bool {
        var names: Set<String> = ["local_preload_libraries", "search_path", "session_preload_libraries",
                                  "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories"]
        if dumperMajor >= 18 { names.insert("oauth_validator_libraries") }
        return names.contains(name.lowercased())
    }
}
