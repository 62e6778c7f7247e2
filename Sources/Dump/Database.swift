import Archive
import Catalog

// ENCODING, STDSTRINGS, SEARCHPATH and the DATABASE / DATABASE PROPERTIES entries (pg_dump's
// dumpEncoding, dumpStdStrings, dumpSearchPath, dumpDatabase, dumpDatabaseConfig, with
// dumputils.c's makeAlterConfigCommand).
extension DumpContext {
    /// pg_dump's dumpEncoding: the client encoding the data is dumped in.
    func dumpEncoding() throws {
        var enc = conn.parameter("client_encoding") ?? ""
        if enc.isEmpty {
            enc = try cat.clientEncodingSetting()
        }
        cat.info("saving encoding = \(enc)")
        archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
            tag: "ENCODING", description: "ENCODING", section: .preData,
            createStmt: "SET client_encoding = " + literal(enc) + ";\n"))
    }

    /// pg_dump's dumpStdStrings: standard_conforming_strings of the dump session, which also
    /// decides how every later literal is written.
    func dumpStdStrings() throws {
        stdStrings = (conn.parameter("standard_conforming_strings") ?? "on") == "on"
        let setting = "standard_conforming_strings = \(stdStrings ? "on" : "off")"
        cat.info(options.dumperMajor >= 17 ? "saving \"\(setting)\"" : "saving \(setting)")
        archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
            tag: "STDSTRINGS", description: "STDSTRINGS", section: .preData,
            createStmt: "SET standard_conforming_strings = '\(stdStrings ? "on" : "off")';\n"))
    }

    /// pg_dump's dumpSearchPath: the schemas current_schemas(false) lists, as a set_config call.
    func dumpSearchPath() throws {
        let text = try cat.currentSchemas()
        guard let names = parsePGArray(text) else {
            throw ACLError(description: "could not parse result of current_schemas()")
        }
        let path = names.map { fmtId($0) }.joined(separator: ", ")
        cat.info(options.dumperMajor >= 17 ? "saving \"search_path = \(path)\"" : "saving search_path = \(path)")
        archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
            tag: "SEARCHPATH", description: "SEARCHPATH", section: .preData,
            createStmt: "SELECT pg_catalog.set_config('search_path', " + literal(path) + ", false);\n"))
    }

    /// pg_dump's dumpDatabase: the DATABASE entry (CREATE DATABASE with encoding, locale and
    /// tablespace), its comment, security labels and ACL, then DATABASE PROPERTIES (connection
    /// limit, template flag, ALTER DATABASE/ROLE ... SET). Archives always carry these; they
    /// take effect with pg_restore -C.
    func dumpDatabase() throws {
        cat.info("saving database definition")
        let r = try cat.databaseDetails()
        let dbCatId = r.catId
        let datname = r.datname
        let dba = catalog.roleName(r.datdba)
        let encoding = r.encoding
        let provider = r.datlocprovider
        let collate = r.datcollate, ctype = r.datctype
        let qdatname = fmtId(datname)

        var crea = "CREATE DATABASE \(qdatname) WITH TEMPLATE = template0"
        if !encoding.isEmpty { crea += " ENCODING = " + literal(encoding) }
        crea += " LOCALE_PROVIDER = "
        switch provider.first {
        case "b" where options.dumperMajor >= 17: crea += "builtin"
        case "c": crea += "libc"
        case "i": crea += "icu"
        default: throw ACLError(description: "unrecognized locale provider: \(provider)")
        }
        if !collate.isEmpty && collate == ctype {
            crea += " LOCALE = " + literal(collate)
        } else {
            if !collate.isEmpty { crea += " LC_COLLATE = " + literal(collate) }
            if !ctype.isEmpty { crea += " LC_CTYPE = " + literal(ctype) }
        }
        if let locale = r.datlocale {
            crea += (provider.first == "b" ? " BUILTIN_LOCALE = " : " ICU_LOCALE = ") + literal(locale)
        }
        if let rules = r.daticurules { crea += " ICU_RULES = " + literal(rules) }
        let tablespace = r.tablespace
        if !tablespace.isEmpty && tablespace != "pg_default" && !options.noTablespaces {
            crea += " TABLESPACE = \(fmtId(tablespace))"
        }
        crea += ";\n"
        let dbDumpId = catalog.createDumpId()
        archiveEntry(catId: dbCatId, dumpId: dbDumpId, EntryOptions(
            tag: datname, owner: dba, description: "DATABASE", section: .preData,
            createStmt: crea, dropStmt: "DROP DATABASE \(qdatname);\n"))

        let label = "DATABASE \(qdatname)"
        // Comments on shared objects live in pg_shdescription, hence not dumpComment. Like
        // other comments and labels they are schema, but pg_dump makes the entry (and spends
        // its dump ID) even without schema (-a, --statistics-only); the archiver drops it.
        if let comment = r.description, !comment.isEmpty, !options.noComments {
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: label, owner: dba, description: "COMMENT", section: Section.none,
                createStmt: "COMMENT ON DATABASE \(qdatname) IS " + literal(comment) + ";\n",
                deps: [dbDumpId]))
        }
        if !options.noSecurityLabels {
            let rows = try cat.databaseSecurityLabels(oid: dbCatId.oid)
            var q = ""
            for l in rows {
                q += "SECURITY LABEL FOR \(fmtId(l.provider)) ON DATABASE"
                q += " \(qdatname) IS " + literal(l.label) + ";\n"
            }
            if !q.isEmpty {
                archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                    tag: label, owner: dba, description: "SECURITY LABEL", section: Section.none,
                    createStmt: q, deps: [dbDumpId]))
            }
        }
        // Databases have no pg_init_privs.
        try dumpACL(objDumpId: dbDumpId, type: "DATABASE", name: qdatname, nspname: nil, owner: dba,
                    dacl: DumpableAcl(acl: r.datacl, acldefault: r.acldefault))

        var props = "", delq = ""
        let connlimit = r.datconnlimit
        if !connlimit.isEmpty && connlimit != "-1" {
            props += "ALTER DATABASE \(qdatname) CONNECTION LIMIT = \(connlimit);\n"
        }
        if r.datistemplate {
            props += "ALTER DATABASE \(qdatname) IS_TEMPLATE = true;\n"
            // DROP DATABASE refuses templates: unmark it first.
            delq += "UPDATE pg_catalog.pg_database SET datistemplate = false WHERE datname = " + literal(datname) + ";\n"
        }
        props += try databaseConfig(datname: datname, dboid: dbCatId.oid)
        if !props.isEmpty {
            // pg_dump passes the database's dump ID without a count: no dependency is recorded.
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: datname, owner: dba, description: "DATABASE PROPERTIES", section: .preData,
                createStmt: props, dropStmt: delq))
        }
    }

    /// pg_dump's dumpDatabaseConfig: ALTER DATABASE ... SET, then ALTER ROLE ... IN DATABASE
    /// ... SET, for the settings in pg_db_role_setting.
    func databaseConfig(datname: String, dboid: UInt32) throws -> String {
        var out = ""
        for setting in try cat.databaseSettings(oid: dboid) {
            out += makeAlterConfigCommand(setting, type: "DATABASE", name: datname)
        }
        for r in try cat.databaseRoleSettings(oid: dboid) {
            out += makeAlterConfigCommand(r.setting, type: "ROLE", name: r.rolname,
                                          type2: "DATABASE", name2: datname)
        }
        return out
    }

    /// dumputils.c's makeAlterConfigCommand, with this dump's quoting (DumpUtils).
    public func makeAlterConfigCommand(_ item: String, type: String, name: String,
                                       type2: String? = nil, name2: String? = nil) -> String {
        utils.makeAlterConfigCommand(item, type: type, name: name, type2: type2, name2: name2)
    }
}
