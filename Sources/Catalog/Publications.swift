// Logical replication: publications, their tables and schemas, subscriptions (pg_dump.h's
// PublicationInfo, PublicationRelInfo, PublicationSchemaInfo, SubscriptionInfo; pg_dump.c's
// getPublications, getPublicationTables, getPublicationNamespaces, getSubscriptions,
// getSubscriptionTables).

/// A publication (pg_publication, DO_PUBLICATION); no namespace.
public final class PublicationInfo: DumpableObject {
    public var ownerName = ""
    public var puballtables = false
    public var pubinsert = false
    public var pubupdate = false
    public var pubdelete = false
    public var pubtruncate = false
    public var pubviaroot = false
    /// pubgencols (servers 18 and later): 'n' none, 's' stored.
    public var pubgencols: Character = "n"
    public init(catId: CatalogId, name: String) {
        super.init(.publication, catId: catId, name: name)
    }
}

/// A table's membership of a publication (pg_publication_rel, DO_PUBLICATION_REL); named
/// and placed as its table.
public final class PublicationRelInfo: DumpableObject {
    public let publication: PublicationInfo
    public let pubtable: TableInfo
    /// The row filter (pg_get_expr of prqual), nil for none.
    public var pubrelqual: String? = nil
    /// The column list, names quoted and joined by ", "; nil for all columns.
    public var pubrattrs: String? = nil
    public init(catId: CatalogId, publication: PublicationInfo, table: TableInfo) {
        self.publication = publication
        self.pubtable = table
        super.init(.publicationRel, catId: catId, name: table.name, namespace: table.namespace)
        sortKey = .publication(publication.name)
    }
}

/// A schema's membership of a publication (pg_publication_namespace,
/// DO_PUBLICATION_TABLE_IN_SCHEMA); named as its schema, with no namespace of its own.
public final class PublicationSchemaInfo: DumpableObject {
    public let publication: PublicationInfo
    public let pubschema: NamespaceInfo
    public init(catId: CatalogId, publication: PublicationInfo, schema: NamespaceInfo) {
        self.publication = publication
        self.pubschema = schema
        super.init(.publicationTableInSchema, catId: catId, name: schema.name, namespace: schema.namespace)
        sortKey = .publication(publication.name)
    }
}

/// A subscription of the current database (pg_subscription, DO_SUBSCRIPTION).
public final class SubscriptionInfo: DumpableObject {
    public var ownerName = ""
    public var subconninfo = ""
    /// nil for slot_name = NONE.
    public var subslotname: String? = nil
    public var subsynccommit = ""
    /// The publication names as array text.
    public var subpublications = ""
    public var subbinary = false
    /// substream: 'f' off, 't' on, 'p' parallel (servers 16 and later).
    public var substream: Character = "f"
    /// subtwophasestate: 'd' disabled, 'p' pending, 'e' enabled.
    public var subtwophasestate: Character = "d"
    public var subdisableonerr = false
    public var subpasswordrequired = true
    public var subrunasowner = false
    public var subfailover = false
    /// suborigin: "any" or "none".
    public var suborigin = "any"
    public init(catId: CatalogId, name: String) {
        super.init(.subscription, catId: catId, name: name)
    }
}

extension DumpCatalog {
    public func publication(oid: UInt32) -> PublicationInfo? {
        object(table: CatalogTable.pgPublication, oid: oid) as? PublicationInfo
    }
}

extension CatalogContext {
    /// pg_dump's getPublications.
    func getPublications() throws {
        if options.noPublications || remoteVersion < 100000 { return }
        var sql = "SELECT p.tableoid, p.oid, p.pubname, "
            + "p.pubowner, p.puballtables, p.pubinsert, "
            + "p.pubupdate, p.pubdelete, "
        sql += remoteVersion >= 110000 ? "p.pubtruncate, " : "false AS pubtruncate, "
        sql += remoteVersion >= 130000 ? "p.pubviaroot, " : "false AS pubviaroot, "
        sql += remoteVersion >= 180000 ? "p.pubgencols " : "'n' AS pubgencols "
        sql += "FROM pg_publication p"
        for r in try query(sql) {
            let p = PublicationInfo(catId: r.catId(), name: r.str("pubname"))
            catalog.assignDumpId(p)
            p.ownerName = catalog.roleName(r.oid("pubowner"))
            p.puballtables = r.bool("puballtables")
            p.pubinsert = r.bool("pubinsert")
            p.pubupdate = r.bool("pubupdate")
            p.pubdelete = r.bool("pubdelete")
            p.pubtruncate = r.bool("pubtruncate")
            p.pubviaroot = r.bool("pubviaroot")
            p.pubgencols = r.char("pubgencols") ?? "n"
            selectDumpableObject(p)
        }
    }

    /// pg_dump's getPublicationNamespaces: the schemas of FOR TABLES IN SCHEMA (servers 15
    /// and later).
    func getPublicationNamespaces() throws {
        if options.noPublications || remoteVersion < 150000 { return }
        let rows = try query("SELECT tableoid, oid, pnpubid, pnnspid FROM pg_catalog.pg_publication_namespace")
        for r in rows {
            guard let pub = catalog.publication(oid: r.oid("pnpubid")),
                  let nsp = catalog.namespace(oid: r.oid("pnnspid")) else { continue }
            // Kept unless the schema itself is left out of the dump (-N), up to pg_dump 17;
            // pg_dump 18 keeps it whatever -N says.
            if nsp.dump.isEmpty && options.dumperMajor < 18 { continue }
            let ps = PublicationSchemaInfo(catId: r.catId(), publication: pub, schema: nsp)
            catalog.assignDumpId(ps)
            selectDumpablePublicationObject(ps)
        }
    }

    /// pg_dump's getPublicationTables: each table's membership, with its column list and
    /// row filter (servers 15 and later).
    func getPublicationTables() throws {
        if options.noPublications || remoteVersion < 100000 { return }
        let sql: String
        if remoteVersion >= 150000 {
            sql = "SELECT tableoid, oid, prpubid, prrelid, "
                + "pg_catalog.pg_get_expr(prqual, prrelid) AS prrelqual, "
                + "(CASE\n"
                + "  WHEN pr.prattrs IS NOT NULL THEN\n"
                + "    (SELECT array_agg(attname)\n"
                + "       FROM\n"
                + "         pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,\n"
                + "         pg_catalog.pg_attribute\n"
                + "      WHERE attrelid = pr.prrelid AND attnum = prattrs[s])\n"
                + "  ELSE NULL END) prattrs "
                + "FROM pg_catalog.pg_publication_rel pr"
        } else {
            sql = "SELECT tableoid, oid, prpubid, prrelid, "
                + "NULL AS prrelqual, NULL AS prattrs "
                + "FROM pg_catalog.pg_publication_rel"
        }
        for r in try query(sql) {
            guard let pub = catalog.publication(oid: r.oid("prpubid")),
                  let tbl = table(oid: r.oid("prrelid")) else { continue }
            // Only for tables whose definition is dumped (-T, -N), up to pg_dump 17; pg_dump
            // 18 keeps it whatever -T says.
            if !tbl.dump.contains(.definition) && options.dumperMajor < 18 { continue }
            let pr = PublicationRelInfo(catId: r.catId(), publication: pub, table: tbl)
            catalog.assignDumpId(pr)
            pr.pubrelqual = r.opt("prrelqual")
            if let attrs = r.opt("prattrs") {
                guard let names = parsePGArray(attrs) else {
                    throw CatalogError("could not parse prattrs array: \(attrs)")
                }
                pr.pubrattrs = names.map { fmtId($0) }.joined(separator: ", ")
            }
            selectDumpablePublicationObject(pr)
        }
    }

    /// Whether the session's user is a superuser, as the server reported at connect (after
    /// SET ROLE too: is_superuser is reported again).
    var isSuperuser: Bool { conn.parameter("is_superuser") == "on" }

    /// pg_dump's getSubscriptions: only a superuser can read subscriptions' connection
    /// strings, so for anyone else they are left out, with a warning when there are any.
    func getSubscriptions() throws {
        if options.noSubscriptions || remoteVersion < 100000 { return }
        if !isSuperuser {
            let n = try query("SELECT count(*) FROM pg_subscription "
                + "WHERE subdbid = (SELECT oid FROM pg_database"
                + "                 WHERE datname = current_database())").first?.int("count") ?? 0
            if n > 0 { warnings.append("subscriptions not dumped because current user is not a superuser") }
            return
        }
        var sql = "SELECT s.tableoid, s.oid, s.subname,\n"
            + " s.subowner,\n"
            + " s.subconninfo, s.subslotname, s.subsynccommit,\n"
            + " s.subpublications,\n"
        sql += remoteVersion >= 140000 ? " s.subbinary,\n" : " false AS subbinary,\n"
        sql += remoteVersion >= 140000 ? " s.substream,\n" : " 'f' AS substream,\n"
        sql += remoteVersion >= 150000
            ? " s.subtwophasestate,\n s.subdisableonerr,\n"
            : " 'd' AS subtwophasestate,\n false AS subdisableonerr,\n"
        sql += remoteVersion >= 160000
            ? " s.subpasswordrequired,\n s.subrunasowner,\n s.suborigin,\n"
            : " 't' AS subpasswordrequired,\n 't' AS subrunasowner,\n 'any' AS suborigin,\n"
        sql += remoteVersion >= 170000 ? " s.subfailover\n" : " false AS subfailover\n"
        sql += "FROM pg_subscription s\n"
            + "WHERE s.subdbid = (SELECT oid FROM pg_database\n"
            + "                   WHERE datname = current_database())"
        for r in try query(sql) {
            let s = SubscriptionInfo(catId: r.catId(), name: r.str("subname"))
            catalog.assignDumpId(s)
            s.ownerName = catalog.roleName(r.oid("subowner"))
            s.subconninfo = r.str("subconninfo")
            s.subslotname = r.opt("subslotname")
            s.subsynccommit = r.str("subsynccommit")
            s.subpublications = r.str("subpublications")
            s.subbinary = r.bool("subbinary")
            s.substream = r.char("substream") ?? "f"
            s.subtwophasestate = r.char("subtwophasestate") ?? "d"
            s.subdisableonerr = r.bool("subdisableonerr")
            s.subpasswordrequired = r.bool("subpasswordrequired")
            s.subrunasowner = r.bool("subrunasowner")
            s.subfailover = r.bool("subfailover")
            s.suborigin = r.str("suborigin")
            selectDumpableObject(s)
        }
    }

    /// pg_dump's getSubscriptionTables reads pg_subscription_rel only for a binary upgrade
    /// (pg_dump 17 and later), which cbdump does not do: no SUBSCRIPTION TABLE entries.
    func getSubscriptionTables() throws {}
}
