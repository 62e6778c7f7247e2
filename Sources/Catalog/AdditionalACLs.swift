// pg_dump's getAdditionalACLs, and dumpTableACLs' query for a table's column privileges.

/// A column's privileges (dumpTableACLs' query): its ACL, the column default (empty,
/// hard-wired as in pg_dump) and pg_init_privs' initial privileges.
public struct ColumnACL {
    public let attname: String
    public let dacl: DumpableAcl
}

extension CatalogContext {
    /// pg_dump's getAdditionalACLs: flags tables with column ACLs, and loads pg_init_privs
    /// (initial privileges from initdb or CREATE EXTENSION) into the objects they describe.
    public func getAdditionalACLs() throws {
        for r in try query("SELECT DISTINCT attrelid FROM pg_attribute WHERE attacl IS NOT NULL") {
            if let tbl = catalog.object(table: CatalogTable.pgClass, oid: r.oid("attrelid")) as? TableInfo {
                tbl.components.insert(.acl)
                tbl.hascolumnACLs = true
            }
        }
        guard remoteVersion >= 90600 else { return }
        let rows = try query("SELECT objoid, classoid, objsubid, privtype, initprivs FROM pg_init_privs")
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

    /// dumpTableACLs' query: the columns of `tbl` with an ACL or initial privileges, in
    /// attnum order.
    public func columnACLs(_ tbl: TableInfo) throws -> [ColumnACL] {
        try query("""
            SELECT at.attname, at.attacl, '{}' AS acldefault, pip.privtype, pip.initprivs \
            FROM pg_catalog.pg_attribute at LEFT JOIN pg_catalog.pg_init_privs pip ON \
            (at.attrelid = pip.objoid AND pip.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass \
            AND at.attnum = pip.objsubid) WHERE at.attrelid = '\(tbl.catId.oid)' AND \
            NOT at.attisdropped AND (at.attacl IS NOT NULL OR pip.initprivs IS NOT NULL) ORDER BY at.attnum
            """).map {
            ColumnACL(attname: $0.str("attname"),
                      dacl: DumpableAcl(acl: $0.str("attacl"), acldefault: $0.str("acldefault"),
                                        privtype: $0.char("privtype"), initprivs: $0.str("initprivs")))
        }
    }
}
