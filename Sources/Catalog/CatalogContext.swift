import PostgresClient

/// What catalog readers share: the connection (inside the dump's snapshot), the server's
/// version, the options and the objects read so far.
public final class CatalogContext {
    public let conn: Connection
    /// The server's version number, e.g. 150020 (pg_dump's remoteVersion).
    public let remoteVersion: Int
    public let flavour: ServerFlavour
    public let options: DumpOptions
    public let catalog = DumpCatalog()
    public let quoter: SQLQuoter
    /// pg_inherits (child, parent) pairs, between getInherits and flagInhTables.
    var inherits: [(UInt32, UInt32)] = []
    /// pg_log_warning messages of the catalog readers, in order, for the tool to print.
    public internal(set) var warnings: [String] = []

    public init(conn: Connection, flavour: ServerFlavour = .postgres, options: DumpOptions) {
        self.conn = conn
        self.remoteVersion = conn.serverVersion
        self.flavour = flavour
        self.options = options
        self.quoter = SQLQuoter(major: options.dumperMajor, quoteAll: options.quoteAllIdentifiers)
    }

    /// Runs a catalog query and returns its rows by name.
    public func query(_ sql: String) throws -> [Row] {
        try conn.execute(sql).namedRows
    }

    /// pg_dump's fmtId.
    public func fmtId(_ name: String) -> String { quoter.identifier(name) }

    /// pg_dump's fmtQualifiedDumpable: schema-qualified name of an object.
    public func qualified(_ obj: DumpableObject) -> String {
        guard let ns = obj.namespace else { return fmtId(obj.name) }
        return fmtId(ns.name) + "." + fmtId(obj.name)
    }
}
