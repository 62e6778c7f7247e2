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
        func execute(_ sql: String) throws { try conn.executeSqlStatement(sql) }
        let v = conn.serverVersion
        try execute("SELECT pg_catalog.set_config('search_path', '', false);")
        if let enc = o.encoding {
            // As libpq's PQsetClientEncoding, whose failure pg_dump reports in these words.
            do {
                try execute("SET client_encoding TO " + String(decoding: SQLQuoter.literal(Array(enc.utf8)), as: UTF8.self))
            } catch is QueryFailed {
                throw SessionError(description: "invalid client encoding \"\(enc)\" specified")
            }
        }
        // pg_dump works in bytes: with a client encoding other than UTF-8 (SQL_ASCII
        // databases hold any bytes), names and text must come back exactly as they were read.
        let clientEncoding = conn.parameter("client_encoding") ?? "UTF8"
        conn.byteTransparent = clientEncoding.uppercased() != "UTF8"
        if let role = o.role {
            try execute("SET ROLE " + SQLQuoter(major: v / 10000).identifier(conn.wireText(role)))
        }
        try execute("SET DATESTYLE = ISO")
        try execute("SET INTERVALSTYLE = POSTGRES")
        try execute("SET extra_float_digits TO \(o.extraFloatDigits ?? 3)")
        try execute("SET synchronize_seqscans TO off")
        try execute("SET statement_timeout = 0")
        try execute("SET lock_timeout = 0")
        try execute("SET idle_in_transaction_session_timeout = 0")
        if v >= 170000 { try execute("SET transaction_timeout = 0") }
        if o.quoteAllIdentifiers { try execute("SET quote_all_identifiers = true") }
        try execute("SET row_security = " + (o.enableRowSecurity ? "on" : "off"))
        if v >= 170000 {
            // Only servers with the security fix know this setting.
            let known = try conn.executeSqlQuery("SELECT 1 FROM pg_catalog.pg_settings WHERE name = 'restrict_nonsystem_relation_kind'")
            if known.rowCount > 0 {
                try execute("SET restrict_nonsystem_relation_kind = 'view, foreign-table'")
            }
        }
        try execute("BEGIN")
        if o.serializableDeferrable {
            try execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE")
        } else {
            try execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        }
        if let snap = o.snapshot {
            try execute("SET TRANSACTION SNAPSHOT " + String(decoding: SQLQuoter.literal(Array(snap.utf8)), as: UTF8.self))
        }
    }
}

/// A session option the server refused, in pg_dump's words.
public struct SessionError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
