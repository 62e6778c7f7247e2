import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// An error from the server or from libpq, with the SQLSTATE when the server sent one.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let sqlState: String?
    public let detail: String?
    public let hint: String?
    /// The whole error as libpq words it (PQerrorMessage or PQresultErrorMessage, e.g.
    /// "ERROR:  ..." with its DETAIL lines), as the PostgreSQL tools print it.
    public var serverMessage: String? = nil
    /// The libpq call that failed after a COPY had started ("PQgetCopyData()" or
    /// "PQgetResult()"), which pg_dump names in its message; nil when the statement failed.
    public var failedCall: String? = nil
    /// A failed connection attempt that a password would fix (PQconnectionNeedsPassword).
    public var connectionNeedsPassword = false

    public var description: String {
        var s = message
        if let sqlState { s += " (SQLSTATE \(sqlState))" }
        if let detail { s += "\nDETAIL:  \(detail)" }
        if let hint { s += "\nHINT:  \(hint)" }
        return s
    }
}

/// Which server family a connection talks to.
public enum ServerFlavour: String, Sendable {
    case postgres = "PostgreSQL"
    case greenplum = "Greenplum"
    case cloudberry = "Cloudberry"
}

/// Rows of a query result, as text (nil for NULL), copied out of libpq.
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [[String?]]
    /// The command tag's row count (INSERT/UPDATE/DELETE/COPY), when there is one.
    public let affectedRows: Int?

    /// The value of `column` in row `row`.
    public func value(_ row: Int, _ column: String) -> String? {
        guard let i = columns.firstIndex(of: column) else { return nil }
        return rows[row][i]
    }
}

/// One libpq connection. Not thread-safe: use it from one thread at a time.
public final class Connection {
    private var conn: OpaquePointer?
    /// Notices and warnings the server sent, in order (also cleared by the caller).
    public var notices: [String] = []
    /// When set, each notice goes here as libpq words it (with its newline) instead of into
    /// `notices` (pg_restore's notice processor, which prints them with -v).
    public var onNotice: ((String) -> Void)?
    /// Byte-transparent text for `execute`: each byte of a result value is one character
    /// (U+0000 to U+00FF) of the returned string, and each such character of the SQL and of
    /// the parameters is sent as that one byte. Names then go through the tool unchanged in
    /// whatever client encoding the session has (pg_dumpall -E LATIN1, or a SQL_ASCII server
    /// holding bytes that are not UTF-8); `latin1Text` and `latin1Bytes` convert.
    public var byteTransparent = false

    /// Connects with a conninfo string or URI, plus pg_dump-style overrides. Unset values
    /// fall back to libpq's environment variables, service files and .pgpass, as with the
    /// PostgreSQL tools.
    ///
    /// `database`, when given, names the database whatever `dbname` says: it is passed after
    /// `dbname` as a plain name, which libpq never expands, so that a connection string in
    /// `dbname` keeps its other settings (pg_dumpall's `-d CONNSTR -l DBNAME`, and its
    /// connections to each database in turn).
    public init(dbname: String? = nil, host: String? = nil, port: String? = nil, user: String? = nil,
                password: String? = nil, database: String? = nil, applicationName: String = "cbdump") throws {
        var keys: [String] = []
        var values: [String] = []
        func add(_ k: String, _ v: String?) { if let v { keys.append(k); values.append(v) } }
        add("host", host); add("port", port); add("user", user); add("password", password)
        // dbname last with expand_dbname: a conninfo string or URI in it overrides the rest,
        // as in pg_dump's ConnectDatabase.
        if let database {
            // libpq expands only the first dbname, and only a connection string; an empty
            // first one keeps a name holding "=" from being taken for one.
            add("dbname", dbname ?? "")
            add("dbname", database)
        } else {
            add("dbname", dbname)
        }
        add("fallback_application_name", applicationName)
        let ck = keys.map { strdup($0) } + [nil]
        let cv = values.map { strdup($0) } + [nil]
        defer { ck.forEach { free($0) }; cv.forEach { free($0) } }
        let c = ck.withUnsafeBufferPointer { kp in
            cv.withUnsafeBufferPointer { vp in
                PQconnectdbParams(
                    UnsafeRawPointer(kp.baseAddress!).assumingMemoryBound(to: UnsafePointer<CChar>?.self),
                    UnsafeRawPointer(vp.baseAddress!).assumingMemoryBound(to: UnsafePointer<CChar>?.self), 1)
            }
        }
        guard let c, PQstatus(c) == CONNECTION_OK else {
            let msg = c.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            let needsPassword = c.map { PQconnectionNeedsPassword($0) != 0 } ?? false
            if let c { PQfinish(c) }
            // libpq's text already says what failed ("connection to server ... failed: ..."),
            // and is what pg_dump and pg_restore print.
            throw PostgresError(message: msg.trimmingTrailingNewlines(), sqlState: nil, detail: nil, hint: nil,
                                connectionNeedsPassword: needsPassword)
        }
        conn = c
        PQsetNoticeReceiver(c, { arg, result in
            guard let arg, let result else { return }
            let me = Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue()
            if let onNotice = me.onNotice {
                onNotice(String(cString: PQresultErrorMessage(result)))
            } else {
                me.notices.append(String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines())
            }
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { close() }

    public func close() {
        if let slot = cancelSlot { TerminationCancel.unregister(slot); cancelSlot = nil }
        if let conn { PQfinish(conn) }
        conn = nil
    }

    /// This connection's place in the table of those cancelled on termination.
    private var cancelSlot: Int?

    /// From now on a termination signal (once the tool called
    /// `OutputFile.exitOnTermination`) cancels this connection's running statement before
    /// the tool exits, as pg_dump and pg_restore do for theirs.
    public func cancelOnTermination() {
        guard cancelSlot == nil, let conn else { return }
        cancelSlot = TerminationCancel.register(conn)
    }

    private var handle: OpaquePointer {
        get throws {
            guard let conn else { throw PostgresError(message: "connection is closed", sqlState: nil, detail: nil, hint: nil) }
            return conn
        }
    }

    /// The password the connection used, when the server asked for one (to reconnect
    /// without asking again, as pg_restore keeps savedPassword).
    public var usedPassword: String? {
        guard let conn, PQconnectionUsedPassword(conn) != 0, let p = PQpass(conn) else { return nil }
        return String(cString: p)
    }

    /// True when the connection is closed or libpq has lost it (the server went away).
    public var isBroken: Bool { conn.map { PQstatus($0) == CONNECTION_BAD } ?? true }

    /// The server's version number, e.g. 150020.
    public var serverVersion: Int { conn.map { Int(PQserverVersion($0)) } ?? 0 }

    /// The database name of the connection (libpq's PQdb), as pg_dump compares patterns with it.
    public var database: String? {
        guard let conn, let v = PQdb(conn) else { return nil }
        return String(cString: v)
    }

    /// A server parameter reported at connect (server_version, server_encoding, ...).
    public func parameter(_ name: String) -> String? {
        guard let conn, let v = PQparameterStatus(conn, name) else { return nil }
        return String(cString: v)
    }

    /// Runs SQL (several statements allowed) and returns the last result's rows.
    @discardableResult
    public func execute(_ sql: String) throws -> QueryResult {
        let c = try handle
        guard let res = exec(c, sql) else { throw lastError() }
        defer { PQclear(res) }
        return try collect(res)
    }

    /// Text typed by the user (a pattern, a role name: real UTF-8) as this connection's
    /// queries carry it: in byte-transparent mode one character per UTF-8 byte, so that it
    /// reaches the server as the bytes the user typed.
    public func wireText(_ userText: String) -> String {
        byteTransparent ? latin1Text(Array(userText.utf8)) : userText
    }

    /// Text read from this connection (or built from it) as the bytes to write out: in
    /// byte-transparent mode the bytes the server sent, otherwise UTF-8.
    public func outputBytes(_ s: String) -> [UInt8] {
        byteTransparent ? latin1Bytes(s) : Array(s.utf8)
    }

    /// Runs SQL sent exactly as `bytes` (a restore's commands, which are bytes in the
    /// archive's encoding, not necessarily UTF-8).
    @discardableResult
    public func execute(bytes: [UInt8]) throws -> QueryResult {
        let c = try handle
        guard let res = Self.cString(bytes, { PQexec(c, $0) }) else { throw lastError() }
        defer { PQclear(res) }
        return try collect(res)
    }

    /// PQexec with the SQL as the server must get it: in byte-transparent mode each
    /// character below U+0100 is the byte it stands for (names read from the server go back
    /// byte for byte, whatever the client encoding).
    private func exec(_ c: OpaquePointer, _ sql: String) -> OpaquePointer? {
        byteTransparent ? Self.cString(latin1Bytes(sql)) { PQexec(c, $0) } : PQexec(c, sql)
    }

    /// Calls `body` with `bytes` as a NUL-terminated C string.
    private static func cString<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        (bytes + [0]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// Runs one statement with text parameters ($1, $2, ...), sent apart from the SQL.
    @discardableResult
    public func execute(_ sql: String, parameters: [String?]) throws -> QueryResult {
        let c = try handle
        let values = parameters.map { p in
            p.map { v in byteTransparent ? Self.cString(latin1Bytes(v)) { strdup($0) } : strdup(v) } ?? nil
        }
        defer { values.forEach { free($0) } }
        let query = byteTransparent ? latin1Bytes(sql) : Array(sql.utf8)
        let res = values.withUnsafeBufferPointer { vp in
            Self.cString(query) { q in
                PQexecParams(c, q, Int32(values.count), nil,
                             UnsafeRawPointer(vp.baseAddress).map { $0.assumingMemoryBound(to: UnsafePointer<CChar>?.self) },
                             nil, nil, 0)
            }
        }
        guard let res else { throw lastError() }
        defer { PQclear(res) }
        return try collect(res)
    }

    /// Runs one query and keeps its rows in libpq's memory: values as the server's bytes (in
    /// the client encoding, not decoded), with each column's type OID. For row data that must
    /// be copied out byte for byte (pg_dump's INSERT output), and for catalog queries, whose
    /// values are read as text one by one (`RawResult.text`).
    public func executeRaw(_ sql: String) throws -> RawResult {
        let c = try handle
        guard let res = exec(c, sql) else { throw lastError() }
        switch PQresultStatus(res) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            return RawResult(res, byteTransparent: byteTransparent)
        default:
            defer { PQclear(res) }
            throw error(from: res)
        }
    }

    private func collect(_ res: OpaquePointer) throws -> QueryResult {
        switch PQresultStatus(res) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(columns: [], rows: [], affectedRows: Int(String(cString: PQcmdTuples(res))))
        case PGRES_TUPLES_OK:
            let nc = Int(PQnfields(res)), nr = Int(PQntuples(res))
            let cols = (0..<nc).map { String(cString: PQfname(res, Int32($0))) }
            var rows: [[String?]] = []
            rows.reserveCapacity(nr)
            for r in 0..<nr {
                rows.append((0..<nc).map { c in
                    PQgetisnull(res, Int32(r), Int32(c)) != 0 ? nil
                        : byteTransparent ? latin1Text(PQgetvalue(res, Int32(r), Int32(c)), Int(PQgetlength(res, Int32(r), Int32(c))))
                        : String(cString: PQgetvalue(res, Int32(r), Int32(c)))
                })
            }
            return QueryResult(columns: cols, rows: rows, affectedRows: nr)
        default:
            throw error(from: res)
        }
    }

    /// Streams `COPY ... TO STDOUT`: `body` gets the server's bytes chunk by chunk (one row
    /// per chunk, as libpq delivers them), never the whole table.
    public func copyOut(_ sql: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let c = try handle
        guard let res = exec(c, sql) else { throw lastError() }
        let status = PQresultStatus(res)
        if status != PGRES_COPY_OUT {
            defer { PQclear(res) }
            throw error(from: res)
        }
        PQclear(res)
        var failure: Error?
        while true {
            var buf: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(c, &buf, 0)
            if n > 0, let buf {
                if failure == nil {
                    do { try body(UnsafeRawBufferPointer(start: buf, count: Int(n))) } catch {
                        failure = error
                        // Nothing more is wanted: have the server stop sending, rather than
                        // reading the rest of the table only to drop it.
                        if let cancel = PQgetCancel(c) {
                            var errbuf = [CChar](repeating: 0, count: 256)
                            _ = PQcancel(cancel, &errbuf, Int32(errbuf.count))
                            PQfreeCancel(cancel)
                        }
                    }
                }
                PQfreemem(buf)
            } else if n == -1 {
                break
            } else {
                if let failure { throw failure }
                var e = lastError()
                e.failedCall = "PQgetCopyData()"
                throw e
            }
        }
        var serverError: PostgresError?
        while let r = PQgetResult(c) {
            if PQresultStatus(r) != PGRES_COMMAND_OK && serverError == nil {
                serverError = error(from: r)
                serverError?.failedCall = "PQgetResult()"
            }
            PQclear(r)
        }
        // The caller's own failure first: the server's error is then only our cancel.
        if let failure { throw failure }
        if let serverError { throw serverError }
    }

    /// Runs `COPY ... FROM STDIN`, sending what `produce` yields until it returns false.
    /// A throw from `produce` aborts the COPY on the server too.
    public func copyIn(_ sql: String, _ produce: (_ send: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let c = try handle
        guard let res = exec(c, sql) else { throw lastError() }
        if PQresultStatus(res) != PGRES_COPY_IN {
            defer { PQclear(res) }
            throw error(from: res)
        }
        PQclear(res)
        do {
            try produce { bytes in
                guard bytes.count > 0 else { return }
                if PQputCopyData(c, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) != 1 {
                    throw self.lastError()
                }
            }
        } catch {
            _ = PQputCopyEnd(c, "aborted by client")
            while let r = PQgetResult(c) { PQclear(r) }
            throw error
        }
        if PQputCopyEnd(c, nil) != 1 { throw lastError() }
        var failure: PostgresError?
        while let r = PQgetResult(c) {
            if PQresultStatus(r) != PGRES_COMMAND_OK && failure == nil { failure = error(from: r) }
            PQclear(r)
        }
        if let failure { throw failure }
    }

    /// Starts `COPY ... FROM STDIN` for data pushed with `putCopyData` (push style, for
    /// data that arrives from a decoder's callbacks).
    public func beginCopyIn(_ sql: String) throws {
        try beginCopyIn(bytes: byteTransparent ? latin1Bytes(sql) : Array(sql.utf8))
    }

    /// Starts a COPY FROM STDIN whose command is sent exactly as `bytes`.
    public func beginCopyIn(bytes: [UInt8]) throws {
        let c = try handle
        guard let res = Self.cString(bytes, { PQexec(c, $0) }) else { throw lastError() }
        defer { PQclear(res) }
        if PQresultStatus(res) != PGRES_COPY_IN { throw error(from: res) }
    }

    public func putCopyData(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        let c = try handle
        if PQputCopyData(c, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) != 1 {
            throw lastError()
        }
    }

    /// Ends the COPY; `abort` makes the server discard it. Throws the server's verdict;
    /// returns the number of rows loaded.
    @discardableResult
    public func endCopyIn(abort: String? = nil) throws -> Int {
        let c = try handle
        if PQputCopyEnd(c, abort) != 1 { throw lastError() }
        var failure: PostgresError?
        var rows = 0
        while let r = PQgetResult(c) {
            if PQresultStatus(r) != PGRES_COMMAND_OK && failure == nil { failure = error(from: r) }
            rows += Int(String(cString: PQcmdTuples(r))) ?? 0
            PQclear(r)
        }
        if let failure, abort == nil { throw failure }
        return rows
    }

    /// Streams one large object's contents with libpq's lo_open/lo_read/lo_close (binary, no
    /// hex text): opened read-only, so that it is read in the transaction's snapshot, then read
    /// `chunkSize` bytes at a time into one buffer that `body` gets a view of. Must run inside
    /// a transaction. Errors name the large object, as pg_dump's do.
    public func readLargeObject(_ oid: UInt32, chunkSize: Int = 16384,
                                _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let c = try handle
        let invRead: Int32 = 0x40000 // INV_READ (libpq/libpq-fs.h)
        let fd = lo_open(c, oid, invRead)
        if fd < 0 { throw largeObjectError("could not open large object \(oid)") }
        var closed = false
        defer { if !closed { _ = lo_close(c, fd) } }
        var buf = [CChar](repeating: 0, count: max(chunkSize, 1))
        while true {
            let n = buf.withUnsafeMutableBufferPointer { lo_read(c, fd, $0.baseAddress, $0.count) }
            if n < 0 { throw largeObjectError("error reading large object \(oid)") }
            if n == 0 { break }
            try buf.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(Int(n)))) }
        }
        closed = true
        if lo_close(c, fd) < 0 { throw largeObjectError("could not close large object \(oid)") }
    }

    /// Reads many large objects in a few round trips, for a dump (pg_dump's dumpLOs, which
    /// makes four per object: lo_open, lo_read until it returns nothing, lo_close). One query
    /// gets the first `chunkSize` bytes of every object of `oids` as binary values
    /// (`lo_get(oid, 0, chunkSize)`, read in the transaction's snapshot as lo_open INV_READ
    /// is); an object that filled them is read on with `lo_get(oid, offset, n)`, `n` being
    /// `readAhead` chunks, until a piece comes back short. Objects are handed over in the
    /// order of `oids`: `start`, the object's bytes to `chunk` in pieces of `chunkSize` (as
    /// lo_read of that size gives them, so an uncompressed archive's blocks are pg_dump's),
    /// `end`. Memory stays within one query's first chunks and one piece, whatever the
    /// objects' sizes.
    ///
    /// The query runs inside a savepoint. If it fails (an object the user may not read, one
    /// that is gone), the savepoint is rolled back and the objects are read one at a time
    /// through `readLargeObject`, which then fails on the same object with pg_dump's own
    /// message, after the objects before it were handed over as usual. Outside a transaction
    /// block, and on servers before 9.4 (no lo_get), objects are read one at a time.
    public func readLargeObjects(_ oids: ArraySlice<UInt32>, chunkSize: Int, readAhead: Int,
                                 start: (UInt32) throws -> Void,
                                 chunk: (UnsafeRawBufferPointer) throws -> Void,
                                 end: (UInt32) throws -> Void) throws {
        guard !oids.isEmpty else { return }
        func oneByOne(_ rest: ArraySlice<UInt32>) throws {
            for oid in rest {
                try start(oid)
                try readLargeObject(oid, chunkSize: chunkSize, chunk)
                try end(oid)
            }
        }
        guard serverVersion >= 90400, inTransactionBlock else { return try oneByOne(oids) }
        _ = try execute("SAVEPOINT cbdump_large_objects")
        let list = "{" + oids.map { String($0) }.joined(separator: ",") + "}"
        let res = try executeBinary("SELECT pg_catalog.lo_get(u.o, 0, $2::pg_catalog.int4) "
            + "FROM pg_catalog.unnest($1::pg_catalog.oid[]) WITH ORDINALITY AS u(o, n) ORDER BY u.n",
            [list, String(chunkSize)])
        defer { PQclear(res) }
        guard PQresultStatus(res) == PGRES_TUPLES_OK, Int(PQntuples(res)) == oids.count else {
            _ = try execute("ROLLBACK TO SAVEPOINT cbdump_large_objects; RELEASE SAVEPOINT cbdump_large_objects")
            return try oneByOne(oids)
        }
        _ = try execute("RELEASE SAVEPOINT cbdump_large_objects")
        for (row, oid) in oids.enumerated() {
            let count = Int(PQgetlength(res, Int32(row), 0))
            try start(oid)
            if count > 0 { try chunk(UnsafeRawBufferPointer(start: PQgetvalue(res, Int32(row), 0), count: count)) }
            if count == chunkSize {
                try readLargeObjectPieces(oid, from: Int64(count), chunkSize: chunkSize, readAhead: readAhead, chunk)
            }
            try end(oid)
        }
    }

    /// Runs one query with text parameters (ASCII: numbers and OID lists) and binary results;
    /// the caller clears the result, whatever its status.
    private func executeBinary(_ sql: String, _ parameters: [String]) throws -> OpaquePointer {
        let c = try handle
        let texts = parameters.map { strdup($0) }
        defer { texts.forEach { free($0) } }
        let values = texts.map { UnsafePointer($0) }
        guard let res = PQexecParams(c, sql, Int32(values.count), nil, values, nil, nil, 1) else { throw lastError() }
        return res
    }

    /// The rest of a large object from `offset` on: `readAhead` chunks per `lo_get` (binary),
    /// handed over `chunkSize` bytes at a time.
    private func readLargeObjectPieces(_ oid: UInt32, from offset: Int64, chunkSize: Int, readAhead: Int,
                                       _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let piece = chunkSize * max(readAhead, 1)
        let sql = "SELECT pg_catalog.lo_get($1::pg_catalog.oid, $2::pg_catalog.int8, $3::pg_catalog.int4)"
        var offset = offset
        while true {
            let res = try executeBinary(sql, [String(oid), String(offset), String(piece)])
            defer { PQclear(res) }
            guard PQresultStatus(res) == PGRES_TUPLES_OK, PQntuples(res) == 1 else {
                throw largeObjectError("error reading large object \(oid)")
            }
            let n = Int(PQgetlength(res, 0, 0))
            let bytes = UnsafeRawBufferPointer(start: PQgetvalue(res, 0, 0), count: n)
            var at = 0
            while at < n {
                let take = min(chunkSize, n - at)
                try body(UnsafeRawBufferPointer(rebasing: bytes[at..<(at + take)]))
                at += take
            }
            if n < piece { return }
            offset += Int64(n)
        }
    }

    /// Writes `bytes` into large object `oid` at `offset` with one server call,
    /// `lo_put(oid, offset, data)`, the data sent as a binary parameter (no hex text). It opens
    /// the object for writing, so it fails as lo_open would (no such object, no UPDATE
    /// privilege); with no bytes it only checks that. Needs no descriptor and no transaction.
    public func putLargeObject(_ oid: UInt32, offset: Int64, _ bytes: UnsafeRawBufferPointer) throws {
        let c = try handle
        let sql = "SELECT pg_catalog.lo_put($1::pg_catalog.oid, $2::pg_catalog.int8, $3::pg_catalog.bytea)"
        let oidText = strdup(String(oid)), offsetText = strdup(String(offset))
        defer { free(oidText); free(offsetText) }
        func call(_ data: UnsafePointer<CChar>) throws {
            let values: [UnsafePointer<CChar>?] = [UnsafePointer(oidText), UnsafePointer(offsetText), data]
            let lengths: [Int32] = [0, 0, Int32(bytes.count)]
            let formats: [Int32] = [0, 0, 1]
            guard let res = PQexecParams(c, sql, 3, nil, values, lengths, formats, 0) else { throw lastError() }
            defer { PQclear(res) }
            _ = try collect(res)
        }
        // libpq reads a binary parameter through a pointer; an empty one still needs one.
        if let base = bytes.baseAddress, bytes.count > 0 {
            try call(base.assumingMemoryBound(to: CChar.self))
        } else {
            var empty: CChar = 0
            try withUnsafePointer(to: &empty) { try call($0) }
        }
    }

    /// True inside a transaction block (BEGIN … COMMIT), failed or not.
    public var inTransactionBlock: Bool {
        guard let c = conn else { return false }
        let s = PQtransactionStatus(c)
        return s == PQTRANS_INTRANS || s == PQTRANS_INERROR
    }

    private func largeObjectError(_ what: String) -> PostgresError {
        let e = lastError()
        return PostgresError(message: "\(what): \(e.message)", sqlState: nil, detail: nil, hint: nil)
    }

    private func lastError() -> PostgresError {
        let msg = conn.map { String(cString: PQerrorMessage($0)) } ?? "connection is closed"
        var e = PostgresError(message: msg.trimmingTrailingNewlines(), sqlState: nil, detail: nil, hint: nil)
        e.serverMessage = e.message
        return e
    }

    private func error(from res: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let p = PQresultErrorField(res, Int32(code.asciiValue!)) else { return nil }
            return String(cString: p)
        }
        let whole = String(cString: PQresultErrorMessage(res)).trimmingTrailingNewlines()
        let primary = field("M") ?? whole
        var e = PostgresError(message: primary, sqlState: field("C"), detail: field("D"), hint: field("H"))
        e.serverMessage = whole.isEmpty ? nil : whole
        return e
    }
}

/// Bytes as text, one character per byte (ISO 8859-1): lossless, whatever the bytes are.
public func latin1Text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var s = String.UnicodeScalarView()
    for b in bytes { s.append(Unicode.Scalar(b)) }
    return String(s)
}

func latin1Text(_ p: UnsafePointer<CChar>, _ count: Int) -> String {
    latin1Text(UnsafeRawBufferPointer(start: p, count: count))
}

/// The bytes of text made by `latin1Text` (characters beyond U+00FF, which it never makes,
/// are written in UTF-8).
public func latin1Bytes(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(s.unicodeScalars.count)
    for u in s.unicodeScalars {
        if u.value <= 0xff { out.append(UInt8(u.value)) } else { out.append(contentsOf: Array(String(u).utf8)) }
    }
    return out
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}

/// A query result left in libpq's memory (freed with the object): values are views of libpq's
/// bytes, valid while the result lives.
// @unchecked Sendable: the PGresult is never changed after the query: only read, from any thread, and cleared once, in deinit.
public final class RawResult: @unchecked Sendable {
    private let res: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int
    /// The connection's byte-transparent mode when the result was made (see `text`).
    let byteTransparent: Bool
    init(_ res: OpaquePointer, byteTransparent: Bool = false) {
        self.res = res
        self.byteTransparent = byteTransparent
        rowCount = Int(PQntuples(res))
        columnCount = Int(PQnfields(res))
    }
    deinit { PQclear(res) }

    /// The value as `execute` would have given it in its rows (nil for NULL): UTF-8, or in
    /// byte-transparent mode one character per byte. Made when asked for: a catalog query's
    /// rows stay in libpq's memory, as pg_dump's do, instead of being copied out whole.
    public func text(_ row: Int, _ column: Int) -> String? {
        if PQgetisnull(res, Int32(row), Int32(column)) != 0 { return nil }
        let v = value(row, column)
        return byteTransparent ? latin1Text(v) : String(decoding: v, as: UTF8.self)
    }

    /// The value read as a decimal number without sign (an OID); nil when NULL, empty, not
    /// all digits, or too large: what `UInt32(text)` gives, without making the text.
    public func uint32(_ row: Int, _ column: Int) -> UInt32? {
        let v = value(row, column)
        guard !v.isEmpty, PQgetisnull(res, Int32(row), Int32(column)) == 0 else { return nil }
        var n: UInt32 = 0
        for b in v {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt32(b - 0x30))
            if o1 || o2 { return nil }
            n = a
        }
        return n
    }

    /// The column's name (PQfname), as the server sent it.
    public func columnName(_ column: Int) -> String { String(cString: PQfname(res, Int32(column))) }
    /// The column's type OID (PQftype; a domain's base type).
    public func columnType(_ column: Int) -> UInt32 { UInt32(PQftype(res, Int32(column))) }
    public func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(res, Int32(row), Int32(column)) != 0 }
    /// The value's bytes (text format, no terminating NUL); empty for NULL.
    public func value(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer {
        let p = PQgetvalue(res, Int32(row), Int32(column))
        return UnsafeRawBufferPointer(start: p, count: Int(PQgetlength(res, Int32(row), Int32(column))))
    }
}
