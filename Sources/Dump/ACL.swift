import Archive
import Catalog

// GRANT/REVOKE entries: pg_dump's dumpACL, with dumputils.c's buildACLCommands,
// buildDefaultACLCommands and parseAclItem. getAdditionalACLs and the column ACL query are
// in Catalog/AdditionalACLs.swift.

/// An ACL that could not be parsed (pg_dump's "could not parse ACL list").
public struct ACLError: Error, CustomStringConvertible {
    public let description: String
}

extension DumpContext {
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
        for c in try cat.columnACLs(tbl) {
            try dumpACL(objDumpId: tbl.dumpId, altDumpId: tableAclDumpId, type: "TABLE", name: qname,
                        subname: fmtId(c.attname), nspname: nsp, owner: tbl.ownerName, dacl: c.dacl)
        }
    }

    /// dumputils.c's buildACLCommands, with this dump's quoting and dumper major (DumpUtils).
    public func buildACLCommands(name: String, subname: String?, nspname: String?, type: String,
                                 acls: String?, baseacls: String, owner: String?, prefix: String) -> String? {
        utils.buildACLCommands(name: name, subname: subname, nspname: nspname, type: type, acls: acls,
                               baseacls: baseacls, owner: owner, prefix: prefix)
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

    /// dumputils.c's parseAclItem (DumpUtils).
    func parseAclItem(_ item: String, type: String, subname: String?, wantGrantOption: Bool)
        -> (grantee: String, grantor: String, privs: String, privswgo: String)? {
        utils.parseAclItem(item, type: type, subname: subname, wantGrantOption: wantGrantOption)
    }
}
