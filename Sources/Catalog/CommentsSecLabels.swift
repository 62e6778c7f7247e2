// pg_dump's collectComments and collectSecLabels: pg_description and pg_seclabel read once,
// kept per object (DumpCatalog.comments, .secLabels) for the dump's COMMENT and SECURITY
// LABEL entries, and the objects that have some given the component.

extension CatalogContext {
    /// pg_dump's collectComments: reads pg_description once, keeps the comments of known
    /// objects and gives those objects the comment component. Comments on a composite type's
    /// columns flag the type, not its pg_class entry.
    public func collectComments() throws {
        let rows = try query("""
            SELECT description, classoid, objoid, objsubid FROM pg_catalog.pg_description \
            ORDER BY classoid, objoid, objsubid
            """)
        var out: [CatalogId: [CommentItem]] = [:]
        for r in rows {
            let id = CatalogId(tableoid: r.oid("classoid"), oid: r.oid("objoid"))
            guard let dobj = catalog.object(id) else { continue }
            let subid = r.int("objsubid")
            flagComponent(dobj, subid: subid, .comment)
            out[id, default: []].append(CommentItem(descr: r.str("description"), objsubid: subid))
        }
        catalog.comments = out
    }

    /// pg_dump's collectSecLabels, as collectComments for pg_seclabel (the table, as pg_dump: the pg_seclabels view joins pg_authid, which only superusers may read).
    public func collectSecLabels() throws {
        let rows = try query("""
            SELECT label, provider, classoid, objoid, objsubid FROM pg_catalog.pg_seclabel \
            ORDER BY classoid, objoid, objsubid
            """)
        var out: [CatalogId: [SecLabelItem]] = [:]
        for r in rows {
            let id = CatalogId(tableoid: r.oid("classoid"), oid: r.oid("objoid"))
            guard let dobj = catalog.object(id) else { continue }
            let subid = r.int("objsubid")
            flagComponent(dobj, subid: subid, .secLabel)
            out[id, default: []].append(SecLabelItem(provider: r.str("provider"), label: r.str("label"), objsubid: subid))
        }
        catalog.secLabels = out
    }

    private func flagComponent(_ dobj: DumpableObject, subid: Int, _ c: DumpComponents) {
        if subid != 0, let tbl = dobj as? TableInfo, tbl.relkind == "c" {
            catalog.object(table: CatalogTable.pgType, oid: tbl.reltype)?.components.insert(c)
        } else {
            dobj.components.insert(c)
        }
    }
}
