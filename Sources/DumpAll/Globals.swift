import Dump
import PostgresClient

// The cluster-wide objects as pg_dumpall writes them: its dropRoles, dumpRoles (with
// dumpUserConfig and buildShSecLabels), dumpRoleMembership, dumpRoleGUCPrivs,
// dropTablespaces, dumpTablespaces and dropDBs. The text is pg_dumpall's, byte for byte, for
// the release being reproduced (the server's own major, 15 to 18).

/// The OID of the bootstrap superuser, who may always be named as a grantor.
let bootstrapSuperuserID = "10"

/// Writes the globals part of the script into `out`, on a connection already set up, in
/// byte-transparent mode (`Connection.byteTransparent`): names are reproduced byte for byte
/// in any client encoding, and `out` is turned into bytes with `latin1Bytes`.
final class GlobalsWriter {
    let conn: Connection
    let options: DumpAllOptions
    let utils: DumpUtils
    let serverVersion: Int
    /// pg_roles (no passwords) with --no-role-passwords, else pg_authid. pg_dumpall's
    /// "pg_roles " keeps its trailing space; it does not matter in a query.
    let roleCatalog: String
    let warn: (String) -> Void
    /// A Greenplum / Cloudberry server: its globals are added (MPPGlobals.swift).
    let mpp: Bool
    /// -v's messages.
    let info: (String) -> Void
    var out = ""

    init(conn: Connection, options: DumpAllOptions, utils: DumpUtils, mpp: Bool = false,
         warn: @escaping (String) -> Void, info: @escaping (String) -> Void) {
        self.conn = conn
        self.mpp = mpp
        self.options = options
        self.utils = utils
        self.serverVersion = conn.serverVersion
        self.roleCatalog = options.noRolePasswords ? "pg_roles" : "pg_authid"
        self.warn = warn
        self.info = info
    }

    func fmtId(_ s: String) -> String { utils.fmtId(s) }
    func literal(_ s: String) -> String { utils.literal(s) }

    /// Runs a query, failing as pg_dumpall's executeQuery does.
    func query(_ sql: String) throws -> QueryResult {
        info("executing \(displayText(sql))")
        do {
            return try conn.execute(sql)
        } catch let e as PostgresError {
            throw queryFailed(e, sql: sql)
        }
    }

    /// The -c part before the globals, in pg_dumpall's order: databases (whole-cluster dumps
    /// only), tablespaces, roles.
    func writeDrops(databases: Bool) throws {
        let scope = options.scope
        if databases { try dropDatabases() }
        if scope != .roles && !options.noTablespaces { try dropTablespaces() }
        if scope != .tablespaces { try dropRoles() }
    }

    /// Roles, memberships, parameter privileges and tablespaces, as the scope asks.
    func writeGlobals() throws {
        let scope = options.scope
        if scope != .tablespaces {
            // The fork's order: resource queues and groups before the roles that name them.
            if mpp && options.resourceQueues { try dumpResourceQueues() }
            if mpp && options.resourceGroups { try dumpResourceGroups() }
            try dumpRoles()
            try dumpRoleMembership()
            if mpp { try dumpRoleTimeConstraints() }
            if serverVersion >= 150000 && !options.skipACLs { try dumpRoleGUCPrivs() }
        }
        if scope != .roles && !options.noTablespaces { try dumpTablespaces() }
    }

    // MARK: - Roles

    func dropRoles() throws {
        let sql = serverVersion >= 90600
            ? "SELECT rolname FROM \(roleCatalog) WHERE rolname !~ '^pg_' ORDER BY 1"
            : "SELECT rolname FROM \(roleCatalog) ORDER BY 1"
        let res = try query(sql)
        if !res.rows.isEmpty { out += "--\n-- Drop roles\n--\n\n" }
        for row in res.rows {
            out += "DROP ROLE \(options.ifExists ? "IF EXISTS " : "")\(fmtId(row[0] ?? ""));\n"
        }
        out += "\n\n"
    }

    func dumpRoles() throws {
        // The comment comes from pg_authid's description whatever the role catalog is; the
        // settings are dumped after all roles, as they may name other roles.
        var sql = "SELECT oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, " +
            "rolcanlogin, rolconnlimit, rolpassword, rolvaliduntil, rolreplication, "
        sql += serverVersion >= 90500 ? "rolbypassrls, " : "false as rolbypassrls, "
        sql += "pg_catalog.shobj_description(oid, 'pg_authid') as rolcomment, " +
            "rolname = current_user AS is_current_user \(mppRoleColumns)FROM \(roleCatalog) "
        if serverVersion >= 90600 { sql += "WHERE rolname !~ '^pg_' " }
        sql += "ORDER BY 2"
        let res = try query(sql)
        func v(_ row: Int, _ col: String) -> String? { res.value(row, col) }

        if !res.rows.isEmpty { out += "--\n-- Roles\n--\n\n" }
        for i in res.rows.indices {
            let name = v(i, "rolname") ?? ""
            if name.hasPrefix("pg_") {
                warn("role name starting with \"pg_\" skipped (\(name))")
                continue
            }
            let q = fmtId(name)
            var buf = "CREATE ROLE \(q);\n"
            buf += "ALTER ROLE \(q) WITH"
            buf += v(i, "rolsuper") == "t" ? " SUPERUSER" : " NOSUPERUSER"
            buf += v(i, "rolinherit") == "t" ? " INHERIT" : " NOINHERIT"
            buf += v(i, "rolcreaterole") == "t" ? " CREATEROLE" : " NOCREATEROLE"
            buf += v(i, "rolcreatedb") == "t" ? " CREATEDB" : " NOCREATEDB"
            buf += v(i, "rolcanlogin") == "t" ? " LOGIN" : " NOLOGIN"
            buf += v(i, "rolreplication") == "t" ? " REPLICATION" : " NOREPLICATION"
            buf += v(i, "rolbypassrls") == "t" ? " BYPASSRLS" : " NOBYPASSRLS"
            let connlimit = v(i, "rolconnlimit") ?? ""
            if connlimit != "-1" { buf += " CONNECTION LIMIT \(connlimit)" }
            if let password = v(i, "rolpassword"), !options.noRolePasswords {
                buf += " PASSWORD " + literal(password)
            }
            if let until = v(i, "rolvaliduntil") { buf += " VALID UNTIL '\(until)'" }
            buf += mppRoleClauses(res, i)
            buf += ";\n"
            if !options.noComments, let comment = v(i, "rolcomment") {
                buf += "COMMENT ON ROLE \(q) IS " + literal(comment) + ";\n"
            }
            if !options.noSecurityLabels {
                buf += try sharedSecurityLabels(catalog: "pg_authid", oid: v(i, "oid") ?? "0", type: "ROLE", name: name)
            }
            out += buf
        }

        if !res.rows.isEmpty { out += "\n--\n-- User Configurations\n--\n" }
        for i in res.rows.indices { try dumpUserConfig(v(i, "rolname") ?? "") }
        out += "\n\n"
    }

    /// pg_dumpall's dumpUserConfig: the role's own settings (not those in one database,
    /// which pg_dump -C dumps with the database).
    func dumpUserConfig(_ role: String) throws {
        let sql = "SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setdatabase = 0 AND setrole = " +
            "(SELECT oid FROM \(roleCatalog) WHERE rolname = " + literal(role) + ")"
        let res = try query(sql)
        if !res.rows.isEmpty { out += "\n--\n-- User Config \"\(sanitizeLine(role))\"\n--\n\n" }
        for row in res.rows {
            out += utils.makeAlterConfigCommand(row[0] ?? "", type: "ROLE", name: role)
        }
    }

    /// pg_dumpall's dumpRoleMembership. From 16 each grant carries its grantor and its
    /// INHERIT / SET options, and grants are ordered so that a grantor holds ADMIN OPTION on
    /// the role before it is named; before 16, the grantor is written when it still exists.
    func dumpRoleMembership() throws {
        if serverVersion >= 160000 {
            try dumpRoleMembership16()
            return
        }
        let sql = "SELECT ur.rolname AS roleid, um.rolname AS member, a.admin_option, ug.rolname AS grantor " +
            "FROM pg_auth_members a LEFT JOIN \(roleCatalog) ur on ur.oid = a.roleid " +
            "LEFT JOIN \(roleCatalog) um on um.oid = a.member LEFT JOIN \(roleCatalog) ug on ug.oid = a.grantor " +
            "WHERE NOT (ur.rolname ~ '^pg_' AND um.rolname ~ '^pg_')ORDER BY 1,2,3"
        let res = try query(sql)
        if !res.rows.isEmpty { out += "--\n-- Role memberships\n--\n\n" }
        for row in res.rows {
            out += "GRANT \(fmtId(row[0] ?? "")) TO \(fmtId(row[1] ?? ""))"
            if row[2] == "t" { out += " WITH ADMIN OPTION" }
            if let grantor = row[3] { out += " GRANTED BY \(fmtId(grantor))" }
            out += ";\n"
        }
        out += "\n\n"
    }

    private func dumpRoleMembership16() throws {
        let sql = "SELECT ur.rolname AS role, um.rolname AS member, ug.rolname AS grantor, " +
            "a.roleid AS roleid, a.member AS memberid, a.grantor AS grantorid, a.admin_option, " +
            "a.inherit_option, a.set_option FROM pg_auth_members a " +
            "LEFT JOIN \(roleCatalog) ur on ur.oid = a.roleid " +
            "LEFT JOIN \(roleCatalog) um on um.oid = a.member " +
            "LEFT JOIN \(roleCatalog) ug on ug.oid = a.grantor " +
            "WHERE NOT (ur.rolname ~ '^pg_' AND um.rolname ~ '^pg_')ORDER BY 1,2,3"
        let res = try query(sql)
        func v(_ row: Int, _ col: String) -> String? { res.value(row, col) }
        if !res.rows.isEmpty { out += "--\n-- Role memberships\n--\n\n" }

        // Role by role: at first only the bootstrap superuser may be named as grantor; each
        // grant WITH ADMIN OPTION makes its member one more. Passes over the role's grants
        // write those whose grantor is allowed until none is left.
        let total = res.rows.count
        var start = 0
        while start < total {
            guard let role = v(start, "role") else {
                // Nulls sort last: grants of roles that no longer exist.
                warn("ignoring role grant for missing role with OID \(v(start, "roleid") ?? "")")
                break
            }
            var end = start
            while end < total && v(end, "role") == role { end += 1 }
            var done = [Bool](repeating: false, count: end - start)
            var remaining = end - start
            var prevRemaining = 0
            var admins: Set<String> = []
            while remaining > 0 {
                if remaining == prevRemaining {
                    throw DumpAllError("could not find a legal dump ordering for memberships in role \"\(displayText(role))\"")
                }
                prevRemaining = remaining
                for i in start..<end where !done[i - start] {
                    guard let member = v(i, "member") else {
                        warn("ignoring role grant to missing role with OID \(v(i, "memberid") ?? "")")
                        done[i - start] = true
                        remaining -= 1
                        continue
                    }
                    let grantorID = v(i, "grantorid") ?? ""
                    // A grantor that no longer exists: written without GRANTED BY, at once.
                    let grantor = v(i, "grantor")
                    if grantor == nil {
                        warn("grant of role \"\(role)\" to \"\(member)\" has invalid grantor OID \(grantorID)\n" +
                             "This grant will be dumped without GRANTED BY.")
                    }
                    if let g = grantor, grantorID != bootstrapSuperuserID, !admins.contains(g) { continue }
                    done[i - start] = true
                    remaining -= 1
                    let admin = v(i, "admin_option") == "t"
                    if admin { admins.insert(member) }
                    var opts: [String] = []
                    if admin { opts.append("ADMIN OPTION") }
                    opts.append("INHERIT " + (v(i, "inherit_option") == "t" ? "TRUE" : "FALSE"))
                    if v(i, "set_option") != "t" { opts.append("SET FALSE") }
                    out += "GRANT \(fmtId(role)) TO \(fmtId(member)) WITH " + opts.joined(separator: ", ")
                    if let grantor { out += " GRANTED BY \(fmtId(grantor))" }
                    out += ";\n"
                }
            }
            start = end
        }
        out += "\n\n"
    }

    /// pg_dumpall's dumpRoleGUCPrivs: GRANT ... ON PARAMETER (servers 15 and later).
    func dumpRoleGUCPrivs() throws {
        let res = try query("SELECT parname, pg_catalog.pg_get_userbyid(\(bootstrapSuperuserID)) AS parowner, " +
                            "paracl, pg_catalog.acldefault('p', \(bootstrapSuperuserID)) AS acldefault " +
                            "FROM pg_catalog.pg_parameter_acl ORDER BY 1")
        if !res.rows.isEmpty { out += "--\n-- Role privileges on configuration parameters\n--\n\n" }
        for row in res.rows {
            let parname = row[0] ?? "", acl = row[2]
            guard let sql = utils.buildACLCommands(name: fmtId(parname), subname: nil, nspname: nil, type: "PARAMETER",
                                                   acls: acl, baseacls: row[3] ?? "", owner: row[1], prefix: "") else {
                throw DumpAllError(displayText("could not parse ACL list (\(acl ?? "")) for parameter \"\(parname)\""))
            }
            out += sql
        }
        out += "\n\n"
    }

    // MARK: - Tablespaces

    func dropTablespaces() throws {
        let res = try query("SELECT spcname FROM pg_catalog.pg_tablespace WHERE spcname !~ '^pg_' ORDER BY 1")
        if !res.rows.isEmpty { out += "--\n-- Drop tablespaces\n--\n\n" }
        for row in res.rows {
            out += "DROP TABLESPACE \(options.ifExists ? "IF EXISTS " : "")\(fmtId(row[0] ?? ""));\n"
        }
        out += "\n\n"
    }

    func dumpTablespaces() throws {
        let res = try query("SELECT oid, spcname, pg_catalog.pg_get_userbyid(spcowner) AS spcowner, " +
                            "pg_catalog.pg_tablespace_location(oid) AS spclocation, spcacl, " +
                            "acldefault('t', spcowner) AS acldefault, " +
                            "array_to_string(spcoptions, ', ') AS spcoptions," +
                            "pg_catalog.shobj_description(oid, 'pg_tablespace') AS spccomment " +
                            "FROM pg_catalog.pg_tablespace WHERE spcname !~ '^pg_' ORDER BY 1")
        func v(_ row: Int, _ col: String) -> String? { res.value(row, col) }
        if !res.rows.isEmpty { out += "--\n-- Tablespaces\n--\n\n" }
        for i in res.rows.indices {
            let name = v(i, "spcname") ?? "", owner = v(i, "spcowner") ?? ""
            let q = fmtId(name)
            var buf = "CREATE TABLESPACE \(q) OWNER \(fmtId(owner)) LOCATION "
            // In-place tablespaces have a relative location: they are dumped with an empty one.
            let location = v(i, "spclocation") ?? ""
            buf += literal(location.hasPrefix("/") ? location : "") + ";\n"
            if let opts = v(i, "spcoptions"), !opts.isEmpty {
                buf += "ALTER TABLESPACE \(q) SET (\(opts));\n"
            }
            // Tablespaces have no initial privileges.
            if !options.skipACLs {
                guard let acl = utils.buildACLCommands(name: q, subname: nil, nspname: nil, type: "TABLESPACE",
                                                       acls: v(i, "spcacl"), baseacls: v(i, "acldefault") ?? "",
                                                       owner: owner, prefix: "") else {
                    throw DumpAllError(displayText("could not parse ACL list (\(v(i, "spcacl") ?? "")) for tablespace \"\(name)\""))
                }
                buf += acl
            }
            if !options.noComments, let comment = v(i, "spccomment"), !comment.isEmpty {
                buf += "COMMENT ON TABLESPACE \(q) IS " + literal(comment) + ";\n"
            }
            if !options.noSecurityLabels {
                buf += try sharedSecurityLabels(catalog: "pg_tablespace", oid: v(i, "oid") ?? "0",
                                                type: "TABLESPACE", name: name)
            }
            out += buf
        }
        out += "\n\n"
    }

    // MARK: - Databases

    /// pg_dumpall's dropDBs: every connectable database but template0, template1 and
    /// postgres (which the restore script may be connected to). --exclude-database does
    /// not spare any, as in pg_dumpall.
    func dropDatabases() throws {
        let res = try query("SELECT datname FROM pg_database d WHERE datallowconn AND datconnlimit != -2 ORDER BY datname")
        if !res.rows.isEmpty { out += "--\n-- Drop databases (except postgres and template1)\n--\n\n" }
        for row in res.rows {
            let name = row[0] ?? ""
            if name == "template1" || name == "template0" || name == "postgres" { continue }
            out += "DROP DATABASE \(options.ifExists ? "IF EXISTS " : "")\(fmtId(name));\n"
        }
        out += "\n\n"
    }

    // MARK: - Helpers

    /// buildShSecLabels: SECURITY LABEL commands for a shared object.
    func sharedSecurityLabels(catalog: String, oid: String, type: String, name: String) throws -> String {
        let res = try query("SELECT provider, label FROM pg_catalog.pg_shseclabel " +
                            "WHERE classoid = 'pg_catalog.\(catalog)'::pg_catalog.regclass AND objoid = '\(oid)'")
        var s = ""
        for row in res.rows {
            s += "SECURITY LABEL FOR \(fmtId(row[0] ?? "")) ON \(type) \(fmtId(name)) IS " + literal(row[1] ?? "") + ";\n"
        }
        return s
    }
}

/// pg_dumpall's executeQuery failure: "query failed: " and libpq's text, then the query. A
/// non-superuser reading pg_authid is told about --no-role-passwords instead.
func queryFailed(_ e: PostgresError, sql: String) -> DumpAllError {
    let message = "query failed: " + (e.serverMessage ?? e.description)
    if e.sqlState == "42501" && sql.contains("FROM pg_authid") {
        return DumpAllError(message, detail: "Role passwords are readable by superusers only; " +
                            "--no-role-passwords reads the roles from pg_roles.")
    }
    return DumpAllError(message, detail: "Query was: \(displayText(sql))")
}

/// Text of the byte-transparent connection (`Connection.byteTransparent`) made readable for
/// a message: its bytes taken as UTF-8.
func displayText(_ s: String) -> String {
    String(decoding: latin1Bytes(s), as: UTF8.self)
}

/// Text from the command line (UTF-8) in the byte-transparent form the connection sends.
func transparentText(_ s: String) -> String {
    latin1Text(Array(s.utf8))
}

/// dumputils.c's sanitize_line: newlines and carriage returns become spaces, so that a name
/// in an SQL comment stays on its line.
func sanitizeLine(_ s: String) -> String {
    String(decoding: s.utf8.map { $0 == 0x0a || $0 == 0x0d ? 0x20 : $0 }, as: UTF8.self)
}
