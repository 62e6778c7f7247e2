import Catalog
import PostgresClient

/// How the dump's session is set up (pg_dump's setup_connection).
public struct SessionOptions: Sendable {
    public var role: String? = nil
    public var encoding: String? = nil
    public var serializableDeferrable = false
    public var snapshot: String? = nil
    public var extraFloatDigits: Int? = nil
    public var quoteAllIdentifiers = false
    public var enableRowSecurity = false
    public init() {}
}

public enum Session {
    /// Puts `conn` into pg_dump's state: secure search_path, ISO dates, exact floats, no
    /// timeouts, one read-only REPEATABLE READ (or SERIALIZABLE DEFERRABLE) transaction,
    /// optionally on an exported snapshot. Results then do not depend on user settings.
    public static func setUp(_ conn: Connection, _ o: SessionOptions) throws {
        // A failure is reported as pg_dump reports it: "query failed: ..." and the query.
        let conn = QueryRunner(conn)
        let v = conn.serverVersion
        _ = try conn.execute("SELECT pg_catalog.set_config('search_path', '', false);")
        if let enc = o.encoding {
            // As libpq's PQsetClientEncoding, whose failure pg_dump reports in these words.
            do {
                _ = try conn.conn.execute("SET client_encoding TO " + String(decoding: SQLQuoter.literal(Array(enc.utf8)), as: UTF8.self))
            } catch is PostgresError {
                throw SessionError(description: "invalid client encoding \"\(enc)\" specified")
            }
        }
        // pg_dump works in bytes: with a client encoding other than UTF-8 (SQL_ASCII
        // databases hold any bytes), names and text must come back exactly as they were read.
        let clientEncoding = conn.conn.parameter("client_encoding") ?? "UTF8"
        conn.conn.byteTransparent = clientEncoding.uppercased() != "UTF8"
        if let role = o.role {
            _ = try conn.execute("SET ROLE " + SQLQuoter(major: v / 10000).identifier(conn.conn.wireText(role)))
        }
        _ = try conn.execute("SET DATESTYLE = ISO")
        _ = try conn.execute("SET INTERVALSTYLE = POSTGRES")
        _ = try conn.execute("SET extra_float_digits TO \(o.extraFloatDigits ?? 3)")
        _ = try conn.execute("SET synchronize_seqscans TO off")
        _ = try conn.execute("SET statement_timeout = 0")
        _ = try conn.execute("SET lock_timeout = 0")
        _ = try conn.execute("SET idle_in_transaction_session_timeout = 0")
        if v >= 170000 { _ = try conn.execute("SET transaction_timeout = 0") }
        if o.quoteAllIdentifiers { _ = try conn.execute("SET quote_all_identifiers = true") }
        _ = try conn.execute("SET row_security = " + (o.enableRowSecurity ? "on" : "off"))
        if v >= 170000 {
            // Only servers with the security fix know this setting.
            let known = try conn.execute("SELECT 1 FROM pg_catalog.pg_settings WHERE name = 'restrict_nonsystem_relation_kind'")
            if !known.rows.isEmpty {
                _ = try conn.execute("SET restrict_nonsystem_relation_kind = 'view, foreign-table'")
            }
        }
        _ = try conn.execute("BEGIN")
        if o.serializableDeferrable {
            _ = try conn.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE")
        } else {
            _ = try conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        }
        if let snap = o.snapshot {
            _ = try conn.execute("SET TRANSACTION SNAPSHOT " + String(decoding: SQLQuoter.literal(Array(snap.utf8)), as: UTF8.self))
        }
    }
}

/// The session's statements, with failures as QueryFailed (pg_dump's ExecuteSqlStatement).
private struct QueryRunner {
    let conn: Connection
    init(_ conn: Connection) { self.conn = conn }
    var serverVersion: Int { conn.serverVersion }
    @discardableResult
    func execute(_ sql: String) throws -> QueryResult {
        do { return try conn.execute(sql) } catch let e as PostgresError { throw QueryFailed(query: sql, cause: e) }
    }
}

/// A session option the server refused, in pg_dump's words.
public struct SessionError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
