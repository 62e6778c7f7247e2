import Catalog
import Console
import Dump
import Foundation
import PostgresClient

/// One run of cbdumpall: connects as pg_dumpall does, then writes the globals script, or a
/// directory holding it with one custom-format archive per database.
public final class ClusterDump {
    public let options: DumpAllOptions
    public let connection: ConnectionOptions
    /// Informational messages (-v) and warnings go here, one line each, without the tool's
    /// name.
    let log: @Sendable (LogLevel, String) -> Void

    public enum LogLevel: Sendable { case info, warning, detail, hint }

    var conn: Connection!
    var utils: DumpUtils!
    /// The pg_dumpall release reproduced: the server's major, from 15 to 18.
    public private(set) var dumperMajor = 15
    var excludedDatabases: Set<String> = []
    /// The password that worked, typed or found by libpq, for the connections to each
    /// database (pg_dumpall's static password).
    var savedPassword: String?
    var restrictKey = ""
    /// Which server: PostgreSQL, or a Greenplum / Cloudberry coordinator.
    public internal(set) var server = ServerInfo(flavour: .postgres, release: nil, gpRole: nil)

    public init(options: DumpAllOptions, connection: ConnectionOptions,
                log: @escaping @Sendable (LogLevel, String) -> Void) {
        self.options = options
        self.connection = connection
        self.log = log
    }

    /// The release reproduced for a server: its own major, clamped to 15...18.
    public static func dumperMajor(serverVersion: Int) -> Int {
        DumpJob.dumperMajor(serverVersion: serverVersion)
    }

    func info(_ s: String) { if options.verbose { log(.info, s) } }

    func warn(_ text: String) {
        let s = displayText(text)
        let lines = s.split(separator: "\n", maxSplits: 1).map(String.init)
        log(.warning, lines[0])
        if lines.count > 1 { log(.detail, lines[1]) }
    }

    // MARK: - Connecting

    /// pg_dumpall's start: connect to -l's database, else "postgres", else "template1"; read
    /// the --exclude-database names; set the client encoding, role and identifier quoting.
    public func connect() throws {
        if let key = options.restrictKey {
            guard validRestrictKey(key) else {
                throw DumpAllError("invalid restrict key")
            }
            restrictKey = key
        } else {
            restrictKey = generateRestrictKey()
        }
        // As pg_dumpall: -l's database or nothing (libpq's reason as the detail); else
        // postgres, then template1, whose failure is told in libpq's words.
        if let db = connection.database {
            do {
                conn = try open(database: db)
            } catch let e as PostgresError {
                throw DumpAllError("could not connect to database \"\(db)\"", detail: e.message)
            }
        } else {
            do {
                conn = try open(database: "postgres")
            } catch is PostgresError {
                do {
                    conn = try open(database: "template1")
                } catch let e as PostgresError {
                    throw DumpAllError(e.message)
                }
            }
        }
        // Names come and go byte for byte, whatever the client encoding is.
        conn.byteTransparent = true
        try checkServer()
        dumperMajor = Self.dumperMajor(serverVersion: conn.serverVersion)
        try run("SELECT pg_catalog.set_config('search_path', '', false);")
        try expandExcludePatterns()
        if let enc = options.encoding {
            do {
                _ = try conn.execute("SET client_encoding TO " +
                                     String(decoding: SQLQuoter.literal(Array(enc.utf8)), as: UTF8.self))
            } catch {
                throw DumpAllError("invalid client encoding \"\(enc)\" specified")
            }
        }
        let stdStrings = (conn.parameter("standard_conforming_strings") ?? "off") == "on"
        let quoter = SQLQuoter(major: dumperMajor, quoteAll: options.quoteAllIdentifiers)
        utils = DumpUtils(quoter: quoter, dumperMajor: dumperMajor, stdStrings: stdStrings, escapeStringSyntax: true)
        if let role = options.role { try run("SET ROLE \(quoter.identifier(transparentText(role)))") }
        if options.quoteAllIdentifiers { try run("SET quote_all_identifiers = true") }
    }

    /// pg_dumpall's connectDatabase: with -W the password is asked for first; without -w it
    /// is asked for when the server wants one that libpq could not find, and the connection
    /// is tried again. The password is kept for the next connections.
    func open(database: String) throws -> Connection {
        let c = try Connection.connectDatabase(dbname: connection.connString, host: connection.host, port: connection.port,
                                               user: connection.user, database: database, applicationName: "cbdumpall",
                                               prompt: connection.prompt, password: &savedPassword)
        if let p = c.usedPassword { savedPassword = p }
        return c
    }

    /// pg_dumpall's executeCommand.
    func run(_ sql: String) throws {
        info("executing \(displayText(sql))")
        do {
            try conn.execute(sql)
        } catch let e as PostgresError {
            throw queryFailed(e, sql: sql)
        }
    }

    /// pg_dumpall's expand_dbname_patterns: the names of the databases the patterns match.
    func expandExcludePatterns() throws {
        for pattern in options.excludeDatabasePatterns {
            let pat = SQLNamePattern(transparentText(pattern), parts: 1)
            if pat.dotCount > 0 {
                throw DumpAllError("improper qualified name (too many dotted names): \(pattern)")
            }
            let sql = "SELECT datname FROM pg_catalog.pg_database n\n" +
                sqlNamePatternClauses(pat, haveWhere: false, schemaVar: nil, nameVar: "datname",
                                      visibilityRule: nil, serverVersion: conn.serverVersion)
            let res: QueryResult
            do { res = try conn.execute(sql) } catch let e as PostgresError {
                throw queryFailed(e, sql: sql)
            }
            for row in res.rows { if let name = row[0] { excludedDatabases.insert(name) } }
        }
    }

    // MARK: - The globals script

    /// The script pg_dumpall prints up to its databases: header, settings, the -c drops,
    /// roles, memberships, parameter privileges and tablespaces. `dropDatabases` adds the
    /// DROP DATABASE commands a whole-cluster -c dump starts with.
    public func globalsScript(dropDatabases: Bool = false) throws -> String {
        var out = "--\n-- PostgreSQL database cluster dump\n--\n\n"
        if options.verbose { out += timestamp("Started on") }
        out += "\\restrict \(restrictKey)\n\n"
        out += "SET default_transaction_read_only = off;\n\n"
        out += "SET client_encoding = '\(conn.parameter("client_encoding") ?? "SQL_ASCII")';\n"
        let std = conn.parameter("standard_conforming_strings") ?? "off"
        out += "SET standard_conforming_strings = \(std);\n"
        if std == "off" { out += "SET escape_string_warning = off;\n" }
        out += "\n"
        if !options.dataOnly {
            let g = GlobalsWriter(conn: conn, options: options, utils: utils, mpp: server.isMPP, warn: { [self] in warn($0) },
                                  info: { [self] in info($0) })
            if options.clean { try g.writeDrops(databases: dropDatabases) }
            try g.writeGlobals()
            out += g.out
        }
        out += "\\unrestrict \(restrictKey)\n\n"
        return out
    }

    /// The end of pg_dumpall's script.
    func scriptTrailer() -> String {
        var out = ""
        if options.verbose { out += timestamp("Completed on") }
        return out + "--\n-- PostgreSQL database cluster dump complete\n--\n\n"
    }

    /// The whole script of -g, -r or -t.
    public func globalsOnlyScript() throws -> String {
        try globalsScript() + scriptTrailer()
    }

    /// Writes the -g / -r / -t script to `fd`.
    public func writeScript(to fd: Int32) throws {
        let text = try globalsOnlyScript()
        conn.close()
        let err = latin1Bytes(text).withUnsafeBytes { writeFully(fd, $0) }
        if err != 0 { throw DumpAllError("could not write to output file: \(String(cString: strerror(err)))") }
    }

    /// pg_dumpall's dumpTimestamp.
    func timestamp(_ what: String) -> String {
        var t = time(nil)
        var tmv = tm()
        localtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 64)
        let n = strftime(&buf, buf.count, "%Y-%m-%d %H:%M:%S %Z", &tmv)
        guard n > 0 else { return "" }
        let text = String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "-- \(what) \(text)\n\n"
    }
}
