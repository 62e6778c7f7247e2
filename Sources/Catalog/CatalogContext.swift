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
    /// pg_dump's pg_log_info messages ("reading schemas", ...), for the tool to print with -v.
    public var onInfo: ((String) -> Void)?
    public func info(_ message: @autoclosure () -> String) { onInfo?(message()) }
    /// The MPP catalog (Greenplum, Cloudberry); nil on PostgreSQL, whose path never reads it.
    public var mpp: MPPCatalog? = nil
    /// Opens another connection in the dump's snapshot (set up as this one is), for queries
    /// sent ahead; nil: every query runs on `conn`.
    public var helperConnection: (@Sendable () throws -> Connection)? = nil
    /// getIndexes' query (`sql`), running in parts on helper connections since getTables.
    var indexQueryAhead: (sql: String, parts: [QueryAhead])?
    /// The helper whose second query is getDependencies'.
    var dependenciesAhead: QueryAhead?
    /// The helper whose last query is indexStatisticsQuery.
    var statisticsAhead: QueryAhead?
    /// How many indexed tables make a query sent ahead worth its connection.
    static let queryAheadMinimumTables = 500

    public init(conn: Connection, flavour: ServerFlavour = .postgres, options: DumpOptions) {
        self.conn = conn
        self.remoteVersion = conn.serverVersion
        self.flavour = flavour
        self.options = options
        self.quoter = SQLQuoter(major: options.dumperMajor, quoteAll: options.quoteAllIdentifiers)
    }

    /// Runs a catalog query and returns its rows by name (pg_dump's ExecuteSqlQuery).
    public func query(_ sql: String) throws -> [Row] {
        try conn.executeSqlQuery(sql).namedRows
    }

    /// A query that must return exactly one row (pg_dump's ExecuteSqlQueryForSingleRow).
    public func singleRow(_ sql: String) throws -> Row {
        let r = try query(sql)
        guard r.count == 1 else {
            // pg_dump's ngettext: "row" for one only, so never here.
            throw CatalogError("query returned \(r.count) rows instead of one: \(sql)")
        }
        return r[0]
    }

    /// Runs a statement whose result is not wanted (pg_dump's ExecuteSqlStatement).
    public func statement(_ sql: String) throws {
        try conn.executeSqlStatement(sql)
    }

    /// pg_dump's fmtId.
    public func fmtId(_ name: String) -> String { quoter.identifier(name) }

    /// pg_dump's fmtQualifiedDumpable: schema-qualified name of an object.
    public func qualified(_ obj: DumpableObject) -> String {
        guard let ns = obj.namespace else { return fmtId(obj.name) }
        return fmtId(ns.name) + "." + fmtId(obj.name)
    }
}

/// A query of the dump failed: pg_dump's die_on_query_failure says "query failed: ERROR: ..."
/// and then shows the query, which names what could not be read or locked.
public struct QueryFailed: Error, CustomStringConvertible, Sendable {
    public let query: String
    public let cause: PostgresError
    public init(query: String, cause: PostgresError) {
        self.query = query
        self.cause = cause
    }
    /// The error line, as pg_dump words it.
    public var message: String { "query failed: " + (cause.serverMessage ?? cause.description) }
    /// The detail line.
    public var detail: String { "Query was: " + query }
    public var description: String { message + "\n" + detail }
}

/// The one way a dump sends SQL (the dump's own connection, a parallel worker's or a
/// helper's): a failure becomes QueryFailed, which the tool prints as pg_dump's
/// die_on_query_failure does ("query failed: ..." and "Query was: ...").
extension Connection {
    /// pg_dump's ExecuteSqlQuery: the result, kept in libpq's memory.
    public func executeSqlQuery(_ sql: String) throws -> RawResult {
        do { return try executeRaw(sql) } catch let e as PostgresError { throw QueryFailed(query: sql, cause: e) }
    }

    /// pg_dump's ExecuteSqlStatement: a statement whose result is not wanted.
    public func executeSqlStatement(_ sql: String) throws {
        _ = try executeSqlQuery(sql)
    }
}
