import Archive
import Catalog

// COMMENT and SECURITY LABEL entries for every kind of object (pg_dump's
// dumpComment(Extended), dumpTableComment, dumpSecLabel, dumpTableSecLabel). What they print
// was read by collectComments and collectSecLabels (Catalog/CommentsSecLabels.swift).

extension DumpContext {
    /// pg_dump's dumpComment: a COMMENT entry for the object, if it has one. `type` is the
    /// SQL keyword(s) (e.g. "TABLE", or "TRIGGER name ON"), `name` already quoted as COMMENT
    /// ON needs it except for the namespace, which is passed separately (unquoted).
    public func dumpComment(type: String, name: String, namespace: String?, owner: String?,
                            catId: CatalogId, subid: Int = 0, dumpId: DumpId) throws {
        try dumpCommentExtended(type: type, name: name, namespace: namespace, owner: owner,
                                catId: catId, subid: subid, dumpId: dumpId, initdbComment: nil)
    }

    /// pg_dump's dumpCommentExtended: as dumpComment, for an object that initdb creates with
    /// `initdbComment`: that comment is not dumped, and its removal is dumped as `IS ''`.
    public func dumpCommentExtended(type: String, name: String, namespace: String?, owner: String?,
                                    catId: CatalogId, subid: Int, dumpId: DumpId,
                                    initdbComment: String?) throws {
        if options.noComments { return }
        // Comments are schema, except large objects', which are data.
        if type != "LARGE OBJECT" {
            if !options.dumpSchema { return }
        } else if !options.dumpData {
            return
        }
        var descr = catalog.comments[catId]?.first { $0.objsubid == subid }?.descr
        if let initdbComment {
            if descr == nil { descr = "" }
            else if descr == initdbComment { descr = nil }
        }
        guard let descr else { return }
        var q = "COMMENT ON \(type) "
        if let namespace, !namespace.isEmpty { q += fmtId(namespace) + "." }
        q += "\(name) IS " + literal(descr) + ";\n"
        archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
            tag: "\(type) \(name)", namespace: namespace, owner: owner, description: "COMMENT",
            section: Section.none, createStmt: q, deps: [dumpId]))
    }

    /// pg_dump's dumpTableComment: COMMENT entries for a table, view, sequence etc. and its
    /// columns. `reltypename` is e.g. "TABLE" or "VIEW"; `attnames` are the columns' names in
    /// attnum order (comments on other sub-IDs are skipped).
    public func dumpTableComment(_ tbl: TableInfo, reltypename: String, attnames: [String]) throws {
        if options.noComments || !options.dumpSchema { return }
        guard let items = catalog.comments[tbl.catId], !items.isEmpty else { return }
        let qualified = qualified(tbl)
        for c in items {
            let tag: String, q: String
            if c.objsubid == 0 {
                tag = "\(reltypename) \(fmtId(tbl.name))"
                q = "COMMENT ON \(reltypename) \(qualified) IS " + literal(c.descr) + ";\n"
            } else if c.objsubid > 0 && c.objsubid <= attnames.count {
                let col = fmtId(attnames[c.objsubid - 1])
                tag = "COLUMN \(fmtId(tbl.name)).\(col)"
                q = "COMMENT ON COLUMN \(qualified).\(col) IS " + literal(c.descr) + ";\n"
            } else {
                continue
            }
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: tag, namespace: tbl.namespace?.name, owner: tbl.ownerName, description: "COMMENT",
                section: Section.none, createStmt: q, deps: [tbl.dumpId]))
        }
    }

    /// pg_dump's dumpSecLabel: one SECURITY LABEL entry holding every label of the object
    /// (sub-ID `subid`), if it has any. Arguments as for dumpComment.
    public func dumpSecLabel(type: String, name: String, namespace: String?, owner: String?,
                             catId: CatalogId, subid: Int = 0, dumpId: DumpId) throws {
        if options.noSecurityLabels { return }
        if type != "LARGE OBJECT" {
            if !options.dumpSchema { return }
        } else if !options.dumpData {
            return
        }
        var q = ""
        for l in catalog.secLabels[catId] ?? [] where l.objsubid == subid {
            q += "SECURITY LABEL FOR \(fmtId(l.provider)) ON \(type) "
            if let namespace, !namespace.isEmpty { q += fmtId(namespace) + "." }
            q += "\(name) IS " + literal(l.label) + ";\n"
        }
        if q.isEmpty { return }
        archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
            tag: "\(type) \(name)", namespace: namespace, owner: owner, description: "SECURITY LABEL",
            section: Section.none, createStmt: q, deps: [dumpId]))
    }

    /// pg_dump's dumpTableSecLabel: one SECURITY LABEL entry for a relation and its columns
    /// (system columns by their names). `attnames` as for dumpTableComment.
    public func dumpTableSecLabel(_ tbl: TableInfo, reltypename: String, attnames: [String]) throws {
        if options.noSecurityLabels || !options.dumpSchema { return }
        guard let labels = catalog.secLabels[tbl.catId], !labels.isEmpty else { return }
        let qualified = qualified(tbl)
        var q = ""
        for l in labels {
            let target: String
            if l.objsubid == 0 {
                target = "\(reltypename) \(qualified)"
            } else {
                target = "COLUMN \(qualified).\(fmtId(try getAttrName(l.objsubid, tbl, attnames)))"
            }
            q += "SECURITY LABEL FOR \(fmtId(l.provider)) ON \(target) IS " + literal(l.label) + ";\n"
        }
        archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
            tag: "\(reltypename) \(fmtId(tbl.name))", namespace: tbl.namespace?.name, owner: tbl.ownerName,
            description: "SECURITY LABEL", section: Section.none, createStmt: q, deps: [tbl.dumpId]))
    }

}
