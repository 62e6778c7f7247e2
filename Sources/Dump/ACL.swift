import Archive
import Catalog

// GRANT/REVOKE entries: pg_dump's getAdditionalACLs and dumpACL, with dumputils.c's
// buildACLCommands, buildDefaultACLCommands and parseAclItem.

/// An ACL that could not be parsed (pg_dump's "could not parse ACL list").
public struct ACLError: Error, CustomStringConvertible {
    public let description: String
}

extension DumpContext {
    /// pg_dump's getAdditionalACLs: flags tables with column ACLs, and loads pg_init_privs
    /// (initial privileges from initdb or CREATE EXTENSION) into the objects they describe.
    func getAdditionalACLs() throws {
        for r in try cat.query("SELECT DISTINCT attrelid FROM pg_attribute WHERE attacl IS NOT NULL") {
            if let tbl = catalog.object(table: CatalogTable.pgClass, oid: r.oid("attrelid")) as? TableInfo {
                tbl.components.insert(.acl)
                tbl.hascolumnACLs = true
            }
        }
        guard remoteVersion >= 90600 else { return }
        let rows = try cat.query("SELECT objoid, classoid, objsubid, privtype, initprivs FROM pg_init_privs")
        for r in rows {
            guard let dobj = catalog.object(table: r.oid("classoid"), oid: r.oid("objoid")) else { continue }
            if r.int("objsubid") != 0 {
                // A column's initial privileges: the table gets the ACL flags (pg_dump warns
                // about sub-objects of anything else).
                if let tbl = dobj as? TableInfo, dobj.objType == .table {
                    tbl.components.insert(.acl)
                    tbl.hascolumnACLs = true
                }
                continue
            }
            // `public`'s pg_init_privs entry is replaced by the standard ACL (getNamespaces).
            if dobj.objType == .namespace && dobj.name == "public" { continue }
            switch dobj.objType {
            case .namespace, .type, .function, .aggregate, .table, .procLang, .fdw, .foreignServer:
                if let a = dobj as? DumpableObjectWithAcl {
                    a.dacl.privtype = r.char("privtype")
                    a.dacl.initprivs = r.str("initprivs")
                }
            default:
                break // pg_dump warns: unsupported pg_init_privs entry
            }
        }
    }

    /// pg_dump's dumpACL: an ACL entry for the object when its privileges differ from the
    /// defaults (or from its initial privileges). `name` and `subname` are already quoted,
    /// `nspname` is not. The tag is `tag`, else "COLUMN name.subname", else "TYPE name".
    /// Returns the new entry's dump ID, or 0 when none was made.
    @discardableResult
    public func dumpACL(objDumpId: DumpId, altDumpId: DumpId = 0, type: String, name: String,
                        subname: String? = nil, nspname: String?, tag: String? = nil, owner: String?,
                        dacl: DumpableAcl) throws -> DumpId {
        if options.aclsSkip { return 0 }
        // --data-only skips ACLs except large objects'.
        if !options.dumpSchema && type != "LARGE OBJECT" { return 0 }
        let acldefault = dacl.acldefault ?? ""
        var acls = dacl.acl
        let baseacls: String
        if let ip = dacl.initprivs, !ip.isEmpty {
            baseacls = ip
            if acls == nil || acls!.isEmpty { acls = acldefault }
        } else {
            baseacls = acldefault
        }
        guard let sql = buildACLCommands(name: name, subname: subname, nspname: nspname, type: type,
                                         acls: acls, baseacls: baseacls, owner: owner, prefix: "") else {
            throw ACLError(description: "could not parse ACL list (\(acls ?? "")) or default (\(baseacls)) for object \"\(name)\" (\(type))")
        }
        if sql.isEmpty { return 0 }
        let entryTag: String
        if let tag { entryTag = tag }
        else if let subname { entryTag = "COLUMN \(name).\(subname)" }
        else { entryTag = "\(type) \(name)" }
        var deps = [objDumpId]
        if altDumpId != 0 { deps.append(altDumpId) }
        let id = catalog.createDumpId()
        archiveEntry(catId: .none, dumpId: id, EntryOptions(
            tag: entryTag, namespace: nspname, owner: owner, description: "ACL", section: Section.none,
            createStmt: sql, deps: deps))
        return id
    }

    /// The ACL part of pg_dump's dumpTable: the table's (or sequence's) ACL entry, then one
    /// entry per column with an ACL or initial privileges, each depending on the table's ACL
    /// entry too. Call from dumpTable after the definition (and its comments) are dumped.
    public func dumpTableACLs(_ tbl: TableInfo) throws {
        guard tbl.dump.contains(.acl) else { return }
        let qname = fmtId(tbl.name)
        let nsp = tbl.namespace?.name
        let tableAclDumpId = try dumpACL(objDumpId: tbl.dumpId, type: tbl.relkind == "S" ? "SEQUENCE" : "TABLE",
                                         name: qname, nspname: nsp, owner: tbl.ownerName, dacl: tbl.dacl)
        guard tbl.hascolumnACLs else { return }
        // The column default ACL is empty, hard-wired as in pg_dump.
        let rows = try cat.query("""
            SELECT at.attname, at.attacl, '{}' AS acldefault, pip.privtype, pip.initprivs \
            FROM pg_catalog.pg_attribute at LEFT JOIN pg_catalog.pg_init_privs pip ON \
            (at.attrelid = pip.objoid AND pip.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass \
            AND at.attnum = pip.objsubid) WHERE at.attrelid = '\(tbl.catId.oid)' AND \
            NOT at.attisdropped AND (at.attacl IS NOT NULL OR pip.initprivs IS NOT NULL) ORDER BY at.attnum
            """)
        for r in rows {
            let coldacl = DumpableAcl(acl: r.str("attacl"), acldefault: r.str("acldefault"),
                                      privtype: r.char("privtype"), initprivs: r.str("initprivs"))
            try dumpACL(objDumpId: tbl.dumpId, altDumpId: tableAclDumpId, type: "TABLE", name: qname,
                        subname: fmtId(r.str("attname")), nspname: nsp, owner: tbl.ownerName, dacl: coldacl)
        }
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
        let alwaysName = options.dumperMajor < 16
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

    /// dumputils.c's buildDefaultACLCommands: ALTER DEFAULT PRIVILEGES FOR ROLE owner [IN
    /// SCHEMA nsp] commands for one pg_default_acl entry.
    public func buildDefaultACLCommands(type: String, nspname: String?, acls: String?, acldefault: String,
                                        owner: String) -> String? {
        var prefix = "ALTER DEFAULT PRIVILEGES FOR ROLE \(fmtId(owner)) "
        if let nspname { prefix += "IN SCHEMA \(fmtId(nspname)) " }
        return buildACLCommands(name: "", subname: nil, nspname: nil, type: type, acls: acls,
                                baseacls: acldefault, owner: owner, prefix: prefix)
    }

    /// dumputils.c's parseAclItem: splits `grantee=privs/grantor` into the dequoted grantee
    /// ("" for PUBLIC), grantor, and the privilege keyword lists without and with grant option
    /// ("ALL" when every privilege of the type is there). Without `wantGrantOption`, `privs`
    /// holds every privilege.
    func parseAclItem(_ item: String, type: String, subname: String?, wantGrantOption: Bool)
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
                    if options.dumperMajor >= 17 { convert("m", "MAINTAIN") }
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
}
