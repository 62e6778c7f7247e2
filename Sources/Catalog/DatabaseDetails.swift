// What dumpEncoding, dumpSearchPath, dumpDatabase and dumpDatabaseConfig (pg_dump.c) read
// about the dumped database, at the point where they make its entries.

/// dumpDatabase's query: the database's row of pg_database. Columns a server lacks read as
/// pg_dump's stand-ins.
public struct DatabaseDetails {
    public let catId: CatalogId
    public let datname: String
    public let datdba: UInt32
    /// Encoding name.
    public let encoding: String
    /// b (builtin), c (libc), i (icu).
    public let datlocprovider: String
    public let datcollate: String, datctype: String
    /// datlocale (daticulocale on 15 and 16) and daticurules; nil when NULL.
    public let datlocale: String?, daticurules: String?
    /// The default tablespace's name.
    public let tablespace: String
    /// The comment from pg_shdescription; nil when none.
    public let description: String?
    /// "" when NULL.
    public let datacl: String, acldefault: String
    public let datconnlimit: String
    public let datistemplate: Bool
}

extension CatalogContext {
    /// dumpEncoding's query, when libpq does not report client_encoding.
    public func clientEncodingSetting() throws -> String {
        try query("SELECT pg_catalog.current_setting('client_encoding') AS e").first?.str("e") ?? ""
    }

    /// dumpSearchPath's query: current_schemas(false) as array text.
    public func currentSchemas() throws -> String {
        try query("SELECT pg_catalog.current_schemas(false) AS s").first?.str("s") ?? "{}"
    }

    /// dumpDatabase's query.
    public func databaseDetails() throws -> DatabaseDetails {
        var sql = "SELECT tableoid, oid, datname, datdba, pg_encoding_to_char(encoding) AS encoding, " +
            "datcollate, datctype, datfrozenxid, datacl, acldefault('d', datdba) AS acldefault, " +
            "datistemplate, datconnlimit, "
        sql += remoteVersion >= 90300 ? "datminmxid, " : "0 AS datminmxid, "
        if remoteVersion >= 170000 {
            sql += "datlocprovider, datlocale, datcollversion, "
        } else if remoteVersion >= 150000 {
            sql += "datlocprovider, daticulocale AS datlocale, datcollversion, "
        } else {
            sql += "'c' AS datlocprovider, NULL AS datlocale, NULL AS datcollversion, "
        }
        sql += remoteVersion >= 160000 ? "daticurules, " : "NULL AS daticurules, "
        sql += "(SELECT spcname FROM pg_tablespace t WHERE t.oid = dattablespace) AS tablespace, " +
            "shobj_description(oid, 'pg_database') AS description " +
            "FROM pg_database WHERE datname = current_database()"
        guard let r = try query(sql).first else {
            throw CatalogError("query returned no rows: \(sql)")
        }
        return DatabaseDetails(
            catId: r.catId(), datname: r.str("datname"), datdba: r.oid("datdba"), encoding: r.str("encoding"),
            datlocprovider: r.str("datlocprovider"), datcollate: r.str("datcollate"), datctype: r.str("datctype"),
            datlocale: r.opt("datlocale"), daticurules: r.opt("daticurules"), tablespace: r.str("tablespace"),
            description: r.opt("description"), datacl: r.str("datacl"), acldefault: r.str("acldefault"),
            datconnlimit: r.str("datconnlimit"), datistemplate: r.str("datistemplate") == "t")
    }

    /// dumpDatabase's security label query (pg_shseclabel): (provider, label) pairs.
    public func databaseSecurityLabels(oid: UInt32) throws -> [(provider: String, label: String)] {
        try query("""
            SELECT provider, label FROM pg_catalog.pg_shseclabel \
            WHERE classoid = 'pg_catalog.pg_database'::pg_catalog.regclass AND objoid = '\(oid)'
            """).map { ($0.str("provider"), $0.str("label")) }
    }

    /// dumpDatabaseConfig's first query: the database's own settings (ALTER DATABASE ... SET).
    public func databaseSettings(oid: UInt32) throws -> [String] {
        try query("SELECT unnest(setconfig) AS c FROM pg_db_role_setting WHERE setrole = 0 AND setdatabase = '\(oid)'::oid")
            .map { $0.str("c") }
    }

    /// dumpDatabaseConfig's second query: per-role settings in the database (ALTER ROLE ...
    /// IN DATABASE ... SET).
    public func databaseRoleSettings(oid: UInt32) throws -> [(rolname: String, setting: String)] {
        try query("""
            SELECT rolname, unnest(setconfig) AS c FROM pg_db_role_setting s, pg_roles r \
            WHERE setrole = r.oid AND setdatabase = '\(oid)'::oid
            """).map { ($0.str("rolname"), $0.str("c")) }
    }
}
