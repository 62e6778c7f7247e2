// Foreign-data wrappers and foreign servers: the Info classes (pg_dump.h's FdwInfo,
// ForeignServerInfo) and their readers (pg_dump.c's getForeignDataWrappers,
// getForeignServers). User mappings are no objects of their own: dumpForeignServer reads
// them when it dumps their server.

/// A foreign-data wrapper (pg_foreign_data_wrapper, DO_FDW); no namespace.
public final class FdwInfo: DumpableObjectWithAcl {
    public var ownerName = ""
    /// The handler and validator as regproc prints them ("-" for none).
    public var fdwhandler = "-"
    public var fdwvalidator = "-"
    /// The options as `name 'value'` items joined by ",\n    " ("" for none).
    public var fdwoptions = ""
    public init(catId: CatalogId, name: String) {
        super.init(.fdw, catId: catId, name: name)
    }
}

/// A foreign server (pg_foreign_server, DO_FOREIGN_SERVER); no namespace.
public final class ForeignServerInfo: DumpableObjectWithAcl {
    public var ownerName = ""
    /// The wrapper's OID.
    public var srvfdw: UInt32 = 0
    /// TYPE and VERSION; "" when NULL.
    public var srvtype = ""
    public var srvversion = ""
    /// The options, as FdwInfo's.
    public var srvoptions = ""
    public init(catId: CatalogId, name: String) {
        super.init(.foreignServer, catId: catId, name: name)
    }
}

extension CatalogContext {
    /// The SQL pg_dump uses to print an options array (`fdwoptions`, `srvoptions`,
    /// `umoptions` ...) as `name 'value'` items, one per line, in name order.
    public static func optionsListSQL(_ column: String) -> String {
        "array_to_string(ARRAY("
            + "SELECT quote_ident(option_name) || ' ' || "
            + "quote_literal(option_value) "
            + "FROM pg_options_to_table(\(column)) "
            + "ORDER BY option_name"
            + "), E',\\n    ')"
    }

    /// pg_dump's getForeignDataWrappers.
    func getForeignDataWrappers() throws {
        let sql = "SELECT tableoid, oid, fdwname, "
            + "fdwowner, "
            + "fdwhandler::pg_catalog.regproc, "
            + "fdwvalidator::pg_catalog.regproc, "
            + "fdwacl, "
            + "acldefault('F', fdwowner) AS acldefault, "
            + Self.optionsListSQL("fdwoptions") + " AS fdwoptions "
            + "FROM pg_foreign_data_wrapper"
        for r in try query(sql) {
            let f = FdwInfo(catId: r.catId(), name: r.str("fdwname"))
            catalog.assignDumpId(f)
            f.dacl = DumpableAcl(acl: r.opt("fdwacl"), acldefault: r.opt("acldefault"))
            f.ownerName = catalog.roleName(r.oid("fdwowner"))
            f.fdwhandler = r.str("fdwhandler")
            f.fdwvalidator = r.str("fdwvalidator")
            f.fdwoptions = r.str("fdwoptions")
            selectDumpableObject(f)
            if !r.isNull("fdwacl") { f.components.insert(.acl) }
        }
    }

    /// pg_dump's getForeignServers.
    func getForeignServers() throws {
        let sql = "SELECT tableoid, oid, srvname, "
            + "srvowner, "
            + "srvfdw, srvtype, srvversion, srvacl, "
            + "acldefault('S', srvowner) AS acldefault, "
            + Self.optionsListSQL("srvoptions") + " AS srvoptions "
            + "FROM pg_foreign_server"
        for r in try query(sql) {
            let s = ForeignServerInfo(catId: r.catId(), name: r.str("srvname"))
            catalog.assignDumpId(s)
            s.dacl = DumpableAcl(acl: r.opt("srvacl"), acldefault: r.opt("acldefault"))
            s.ownerName = catalog.roleName(r.oid("srvowner"))
            s.srvfdw = r.oid("srvfdw")
            s.srvtype = r.str("srvtype")
            s.srvversion = r.str("srvversion")
            s.srvoptions = r.str("srvoptions")
            selectDumpableObject(s)
            // Servers have user mappings.
            s.components.insert(.userMap)
            if !r.isNull("srvacl") { s.components.insert(.acl) }
        }
    }
}

/// One user mapping of a foreign server, as dumpUserMappings reads it.
public struct UserMappingDetails {
    public let usename: String
    /// The options, ready to print ("" for none or when the user may not read them).
    public let umoptions: String
}

// What dumpForeignServer and dumpUserMappings (pg_dump.c) read of one server as they dump
// it: server by server, as pg_dump does.
extension CatalogContext {
    /// dumpForeignServer's query: the name of foreign-data wrapper `oid`.
    public func foreignDataWrapperName(oid: UInt32) throws -> String {
        try singleRow("SELECT fdwname "
            + "FROM pg_foreign_data_wrapper w "
            + "WHERE w.oid = '\(oid)'").str("fdwname")
    }

    /// dumpUserMappings' query: the server's mappings from the pg_user_mappings view (so that
    /// a non-superuser can dump too), in user name order.
    public func userMappings(server s: ForeignServerInfo) throws -> [UserMappingDetails] {
        try query("SELECT usename, "
            + CatalogContext.optionsListSQL("umoptions") + " AS umoptions "
            + "FROM pg_user_mappings "
            + "WHERE srvid = '\(s.catId.oid)' "
            + "ORDER BY usename").map { UserMappingDetails(usename: $0.str("usename"), umoptions: $0.str("umoptions")) }
    }
}
