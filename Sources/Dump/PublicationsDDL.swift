import Archive
import Catalog

// PUBLICATION, PUBLICATION TABLE, PUBLICATION TABLES IN SCHEMA and SUBSCRIPTION entries
// (pg_dump's dumpPublication, dumpPublicationTable, dumpPublicationNamespace,
// dumpSubscription), all post-data.
extension DumpContext {
    /// pg_dump's dumpPublication.
    func dumpPublication(_ p: PublicationInfo) throws {
        guard options.dumpSchema else { return }
        let qpubname = fmtId(p.name)
        var q = "CREATE PUBLICATION \(qpubname)"
        if p.puballtables { q += " FOR ALL TABLES" }
        var publish: [String] = []
        if p.pubinsert { publish.append("insert") }
        if p.pubupdate { publish.append("update") }
        if p.pubdelete { publish.append("delete") }
        if p.pubtruncate { publish.append("truncate") }
        q += " WITH (publish = '\(publish.joined(separator: ", "))'"
        if p.pubviaroot { q += ", publish_via_partition_root = true" }
        if p.pubgencols == "s" { q += ", publish_generated_columns = stored" }
        q += ");\n"
        if p.dump.contains(.definition) {
            archiveEntry(catId: p.catId, dumpId: p.dumpId, EntryOptions(
                tag: p.name, owner: p.ownerName, description: "PUBLICATION", section: .postData,
                createStmt: q, dropStmt: "DROP PUBLICATION \(qpubname);\n"))
        }
        if p.dump.contains(.comment) {
            try dumpComment(type: "PUBLICATION", name: qpubname, namespace: nil, owner: p.ownerName,
                            catId: p.catId, dumpId: p.dumpId)
        }
        if p.dump.contains(.secLabel) {
            try dumpSecLabel(type: "PUBLICATION", name: qpubname, namespace: nil, owner: p.ownerName,
                             catId: p.catId, dumpId: p.dumpId)
        }
    }

    /// pg_dump's dumpPublicationNamespace: no drop statement (dropping the schema drops it),
    /// no comments.
    func dumpPublicationNamespace(_ ps: PublicationSchemaInfo) throws {
        guard options.dumpSchema else { return }
        let pub = ps.publication, nsp = ps.pubschema
        let q = "ALTER PUBLICATION \(fmtId(pub.name)) ADD TABLES IN SCHEMA \(fmtId(nsp.name));\n"
        if ps.dump.contains(.definition) {
            archiveEntry(catId: ps.catId, dumpId: ps.dumpId, EntryOptions(
                tag: "\(pub.name) \(nsp.name)", namespace: nsp.name, owner: pub.ownerName,
                description: "PUBLICATION TABLES IN SCHEMA", section: .postData, createStmt: q))
        }
    }

    /// pg_dump's dumpPublicationTable: ONLY the table, with its column list and row filter
    /// (parenthesised, as pg_get_expr leaves e.g. `true` bare). No drop statement; the owner
    /// is the publication's, so that the restore runs it as that role.
    func dumpPublicationTable(_ pr: PublicationRelInfo) throws {
        guard options.dumpSchema else { return }
        let pub = pr.publication, tbl = pr.pubtable
        var q = "ALTER PUBLICATION \(fmtId(pub.name)) ADD TABLE ONLY \(qualified(tbl))"
        if let attrs = pr.pubrattrs { q += " (\(attrs))" }
        if let qual = pr.pubrelqual { q += " WHERE (\(qual))" }
        q += ";\n"
        if pr.dump.contains(.definition) {
            archiveEntry(catId: pr.catId, dumpId: pr.dumpId, EntryOptions(
                tag: "\(pub.name) \(tbl.name)", namespace: tbl.namespace?.name, owner: pub.ownerName,
                description: "PUBLICATION TABLE", section: .postData, createStmt: q))
        }
    }

    /// pg_dump's dumpSubscription: always `connect = false`, so that restoring neither
    /// connects to the publisher nor creates a slot. Which options are written follows the
    /// pg_dump release: 16 added password_required, run_as_owner, origin and parallel
    /// streaming, 17 failover, 18 writes `streaming = off` (its default became parallel).
    func dumpSubscription(_ s: SubscriptionInfo) throws {
        guard options.dumpSchema else { return }
        let qsubname = fmtId(s.name)
        guard let pubnames = parsePGArray(s.subpublications) else {
            throw CatalogError("could not parse subpublications array: \(s.subpublications)")
        }
        let major = options.dumperMajor
        var q = "CREATE SUBSCRIPTION \(qsubname) CONNECTION " + literal(s.subconninfo)
        q += " PUBLICATION " + pubnames.map { fmtId($0) }.joined(separator: ", ")
        q += " WITH (connect = false, slot_name = " + (s.subslotname.map { literal($0) } ?? "NONE")
        if s.subbinary { q += ", binary = true" }
        if major < 16 {
            if s.substream != "f" { q += ", streaming = on" }
        } else if s.substream == "t" {
            q += ", streaming = on"
        } else if s.substream == "p" {
            q += ", streaming = parallel"
        } else if major >= 18 {
            q += ", streaming = off"
        }
        if s.subtwophasestate != "d" { q += ", two_phase = on" }
        if s.subdisableonerr { q += ", disable_on_error = true" }
        if major >= 16 {
            if !s.subpasswordrequired { q += ", password_required = false" }
            if s.subrunasowner { q += ", run_as_owner = true" }
        }
        if major >= 17 && s.subfailover { q += ", failover = true" }
        if s.subsynccommit != "off" { q += ", synchronous_commit = \(fmtId(s.subsynccommit))" }
        if major >= 16 && s.suborigin.lowercased() != "any" { q += ", origin = \(s.suborigin)" }
        q += ");\n"
        if s.dump.contains(.definition) {
            archiveEntry(catId: s.catId, dumpId: s.dumpId, EntryOptions(
                tag: s.name, owner: s.ownerName, description: "SUBSCRIPTION", section: .postData,
                createStmt: q, dropStmt: "DROP SUBSCRIPTION \(qsubname);\n"))
        }
        if s.dump.contains(.comment) {
            try dumpComment(type: "SUBSCRIPTION", name: qsubname, namespace: nil, owner: s.ownerName,
                            catId: s.catId, dumpId: s.dumpId)
        }
        if s.dump.contains(.secLabel) {
            try dumpSecLabel(type: "SUBSCRIPTION", name: qsubname, namespace: nil, owner: s.ownerName,
                             catId: s.catId, dumpId: s.dumpId)
        }
    }
}
