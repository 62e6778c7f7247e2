import Archive
import Console
import PostgresClient

/// Runs the restore's commands on a live database (pg_restore -d): each output unit is one
/// PQexec, table data streams into COPY FROM STDIN as it is decoded. Errors are counted and
/// reported with their TOC entry; with `exitOnError` the first one ends the restore.
public final class DatabaseSink: RestoreSink {
    /// -W / -w / neither: pg_restore's promptPassword.
    public typealias PasswordPrompt = PostgresClient.PasswordPrompt

    public struct Target: Sendable {
        public var dbname: String?, host: String?, port: String?, user: String?
        public var prompt: PasswordPrompt
        /// The database -C switched to (replaces the one in `dbname`, keeping its settings).
        public var overrideDbname: String?
        /// A password already known (the one the leader's connection used).
        public var password: String?
        public init(dbname: String?, host: String?, port: String?, user: String?, prompt: PasswordPrompt = .ifNeeded) {
            self.dbname = dbname; self.host = host; self.port = port; self.user = user; self.prompt = prompt
        }
    }

    private var conn: Connection { didSet { conn.onNotice = onNotice } }
    /// The server's notices and warnings, as pg_restore's notice processor gets them (-v
    /// prints them); nil: kept by the connection.
    public var onNotice: ((String) -> Void)? { didSet { conn.onNotice = onNotice } }
    private let target: Target
    private let exitOnError: Bool
    private let report: (String) -> Void
    private let askPassword: () -> String?
    /// The password a connection needed (typed or from .pgpass), reused on reconnect.
    private var savedPassword: String?
    /// The database -C switched to; later connections keep it (pg_restore's override_dbname).
    private var overrideDbname: String?
    private var pending: [UInt8] = []
    private var copying = false
    private var currentEntry: TocEntry?
    /// Errors ignored so far (pg_restore's n_errors).
    public private(set) var errors = 0
    public private(set) var commands = 0
    public private(set) var copyBytes: Int64 = 0
    public private(set) var copyRows = 0
    /// Where the bytes and rows loaded are reported (--progress), entry by entry.
    public var progress: ProgressReporter?
    private var progressEntry: Int?
    private var progressBytes: Int64 = 0
    public var errorCount: Int { errors }

    /// Connects as pg_restore's ConnectDatabaseAhx does: libpq's environment, service file and
    /// .pgpass apply; a password is asked for (`askPassword`) with -W, or when the server
    /// wants one and none was found, unless -w.
    public init(target: Target, exitOnError: Bool, askPassword: @escaping () -> String? = { nil },
                report: @escaping (String) -> Void) throws {
        self.target = target
        self.exitOnError = exitOnError
        self.report = report
        self.askPassword = askPassword
        overrideDbname = target.overrideDbname
        conn = try Self.connect(target, override: overrideDbname, prompt: target.prompt, password: target.password, ask: askPassword)
        savedPassword = conn.usedPassword ?? target.password
    }

    /// The settings another connection to the same database needs (a parallel worker's, as
    /// pg_restore's CloneArchive): same parameters, the -C database, the known password, no prompt.
    public var cloneTarget: Target {
        var t = target
        t.overrideDbname = overrideDbname
        t.password = savedPassword
        t.prompt = .never
        return t
    }

    /// Closes the connection (the leader, while parallel workers run).
    public func disconnect() { conn.close() }

    /// Connects again with the same settings (the leader, after the parallel phase).
    public func reconnectSame() throws {
        conn.close()
        conn = try Self.connect(target, override: overrideDbname, prompt: .never, password: savedPassword, ask: askPassword)
    }

    private static func connect(_ t: Target, override: String?, prompt: PasswordPrompt, password: String?,
                                ask: () -> String?) throws -> Connection {
        var password = password
        let conn = try Connection.connectDatabase(dbname: t.dbname, host: t.host, port: t.port, user: t.user, database: override,
                                                  applicationName: "cbrestore", prompt: prompt, password: &password,
                                                  askPassword: ask)
        // A termination signal cancels what this connection runs (pg_restore's handler).
        conn.cancelOnTermination()
        // Start strict, as pg_restore does (ALWAYS_SECURE_SEARCH_PATH_SQL); the restore
        // sets the archive's own search_path.
        try conn.execute("SELECT pg_catalog.set_config('search_path', '', false);")
        return conn
    }

    public var isScript: Bool { false }
    public var serverVersion: Int? { conn.serverVersion }
    /// Whether the target has gp_role (asked once; a failure counts as PostgreSQL).
    public private(set) lazy var isMPPServer: Bool = (try? conn.detectServer().isMPP) ?? false

    public func write(_ bytes: [UInt8]) throws { pending += bytes }
    public func write(_ bytes: UnsafeRawBufferPointer) throws { pending.append(contentsOf: bytes) }
    public func setCurrentEntry(_ te: TocEntry?) {
        currentEntry = te
        guard let progress else { return }
        let id = te.map { Int($0.dumpId) }
        guard id != progressEntry else { return }
        endProgressEntry()
        if let id, te?.hadDumper == true {
            progressEntry = id
            progress.begin(id)
        } else if let te {
            // Outside the data (post-data indexes and constraints): say what runs.
            progress.note("\(te.desc) \(te.namespace.map { String(decoding: $0, as: UTF8.self) + "." } ?? "")\(String(decoding: te.tag, as: UTF8.self))")
        }
    }

    private func endProgressEntry() {
        guard let progress, let id = progressEntry else { return }
        progress.add(id, bytes: progressBytes, rows: progressRows)
        progress.end(id)
        progressEntry = nil
        progressBytes = 0
        progressRows = 0
    }

    /// Counts loaded bytes, reporting every 256 kB so that small chunks do not each take the
    /// reporter's lock.
    private func countProgress(_ n: Int, rows: Int = 0, flush: Bool = false) {
        guard let progress, let id = progressEntry else { return }
        progressBytes += Int64(n)
        progressRows += Int64(rows)
        if progressBytes >= 256 * 1024 || flush {
            progress.add(id, bytes: progressBytes, rows: progressRows)
            progressBytes = 0
            progressRows = 0
        }
    }
    private var progressRows: Int64 = 0
    /// COPY rows counted by their newlines as they are sent, until the server's count.
    private var provisionalRows = 0

    public func endCommand() throws {
        defer { pending.removeAll(keepingCapacity: true) }
        guard pending.contains(where: { $0 != 0x20 && $0 != 0x0a && $0 != 0x09 }) else { return }
        if batch != nil { batch!.append(pending); return }
        try run(pending)
    }

    /// Commands held back by `beginBatch`, to go to the server in one round trip.
    private var batch: [[UInt8]]?

    /// From here to `endBatch`, commands are collected, not run: a large-object group's one
    /// command per object (lo_create, owner, grants), up to 1,000 of them.
    public func beginBatch() { batch = [] }

    /// Runs the collected commands as one multi-statement query, with the outcome of running
    /// them one at a time: if any fails, the whole query is undone (a savepoint inside a
    /// transaction block, the query's own implicit transaction outside one) and each command
    /// runs alone, so that each failure is counted and reported as pg_restore reports it.
    public func endBatch() throws {
        guard let commands = batch else { return }
        batch = nil
        guard commands.count > 1 else { for c in commands { try run(c) }; return }
        let inBlock = conn.inTransactionBlock
        var sql: [UInt8] = inBlock ? Array("SAVEPOINT cbrestore_batch;\n".utf8) : []
        for c in commands { sql += c; sql += Array(";\n".utf8) }
        if inBlock { sql += Array("RELEASE SAVEPOINT cbrestore_batch;".utf8) }
        do {
            try conn.execute(bytes: sql)
            self.commands += commands.count
            return
        } catch let e as PostgresError {
            if conn.isBroken { try failed(e, message: "") }
        }
        if inBlock {
            do { try conn.execute(bytes: Array("ROLLBACK TO SAVEPOINT cbrestore_batch; RELEASE SAVEPOINT cbrestore_batch;".utf8)) } catch let e as PostgresError {
                try failed(e, command: "ROLLBACK TO SAVEPOINT cbrestore_batch")
            }
        }
        for c in commands { try run(c) }
    }

    /// Writes part of a large object's data (see Connection.putLargeObject). A failure ends
    /// the restore, as pg_restore's failed lo_open or lo_write does.
    func putLargeObject(_ oid: UInt32, offset: Int64, _ bytes: [UInt8]) throws {
        commands += 1
        do {
            try bytes.withUnsafeBytes { try conn.putLargeObject(oid, offset: offset, $0) }
        } catch let e as PostgresError {
            errors += 1
            let what = offset == 0 ? "could not open large object \(oid)" : "could not write to large object \(oid)"
            throw RestoreError(entryPrefix + "\(what): \(e)")
        }
    }

    public func endFatalCommand(_ what: String) throws {
        defer { pending.removeAll(keepingCapacity: true) }
        commands += 1
        do { try conn.execute(bytes: pending) } catch let e as PostgresError {
            errors += 1
            throw RestoreError(entryPrefix + "\(what): \(e)")
        }
    }

    /// Runs one command, counting it and recording its failure.
    /// The bytes go to the server as they are (an SQL_ASCII archive's names and literals may
    /// be any bytes); the text is only for the error report.
    private func run(_ sql: [UInt8]) throws {
        commands += 1
        do { try conn.execute(bytes: sql) } catch let e as PostgresError {
            try failed(e, command: String(decoding: sql, as: UTF8.self))
        }
    }

    public func beginCopy() throws {
        let sql = String(decoding: pending, as: UTF8.self)
        let bytes = pending
        pending.removeAll(keepingCapacity: true)
        commands += 1
        do {
            try conn.beginCopyIn(bytes: bytes)
            copying = true
        } catch let e as PostgresError {
            copying = false
            try failed(e, command: sql)
        }
    }

    /// Data after a failed COPY command is dropped, as pg_restore does.
    public func copyData(_ bytes: UnsafeRawBufferPointer) throws {
        guard copying else { return }
        copyBytes += Int64(bytes.count)
        if progress != nil {
            var n = 0
            for b in bytes where b == 0x0A { n += 1 }
            provisionalRows += n
            countProgress(bytes.count, rows: n)
        }
        do { try conn.putCopyData(bytes) } catch let e as PostgresError {
            // pg_restore: fatal "error returned by PQputCopyData" (the connection is gone).
            copying = false
            throw RestoreError(entryPrefix + "error returned by PQputCopyData: \(e.message)")
        }
    }

    private enum ScanState { case scan, singleQuote, doubleQuote }
    private var scanState = ScanState.scan
    private var backslash = false
    /// Set from the archive's STDSTRINGS: whether backslashes escape inside '...'.
    public var standardConformingStrings = true

    /// pg_restore's ExecuteSimpleCommands: statements are cut at `;` outside quotes and
    /// run one by one as the data streams, so a table of INSERTs is never held whole.
    public func statementData(_ bytes: UnsafeRawBufferPointer) throws {
        countProgress(bytes.count)
        for ch in bytes {
            if !(ch == 0x0a && pending.isEmpty) { pending.append(ch) }
            switch scanState {
            case .scan:
                if ch == 0x3b {
                    let sql = pending
                    pending.removeAll(keepingCapacity: true)
                    try run(sql)
                } else if ch == 0x27 {
                    scanState = .singleQuote
                    backslash = false
                } else if ch == 0x22 {
                    scanState = .doubleQuote
                }
            case .singleQuote:
                if ch == 0x27 && !backslash { scanState = .scan }
                else if ch == 0x5c && !standardConformingStrings { backslash.toggle() }
                else { backslash = false }
            case .doubleQuote:
                if ch == 0x22 { scanState = .scan }
            }
        }
    }

    public func endCopy() throws {
        guard copying else { return }
        copying = false
        do {
            let rows = try conn.endCopyIn()
            copyRows += rows
            countProgress(0, rows: rows - provisionalRows, flush: true)
            provisionalRows = 0
        } catch let e as PostgresError {
            let tag = currentEntry.map { String(decoding: $0.tag, as: UTF8.self) } ?? ""
            try failed(e, message: "COPY failed for table \"\(tag)\": \(e)")
        }
    }

    public func dataFailed(_ error: ArchiveError) throws {
        if copying {
            copying = false
            // Ends the COPY with an error: the server rolls the table's rows back.
            _ = try? conn.endCopyIn(abort: "damaged archive data")
        }
        errors += 1
        if exitOnError || conn.isBroken { throw RestoreError(entryPrefix + "\(error)") }
        report(entryPrefix + "\(error)")
    }

    /// ReconnectToServer: the same connection settings with the new database name; no
    /// password prompt, the one that worked before is reused.
    public func reconnect(to dbname: [UInt8]) throws {
        overrideDbname = String(decoding: dbname, as: UTF8.self)
        let new = try Self.connect(target, override: overrideDbname, prompt: .never, password: savedPassword, ask: askPassword)
        conn.close()
        conn = new
        if let p = conn.usedPassword { savedPassword = p }
    }

    public func finish() throws {
        if copying { try endCopy() }
        endProgressEntry()
        conn.close()
    }

    private var entryPrefix: String { currentEntry.map { "TOC entry \($0.label): " } ?? "" }

    private func failed(_ e: PostgresError, command: String) throws {
        var cmd = command
        if cmd.count > 2000 { cmd = String(cmd.prefix(2000)) + "..." }
        while cmd.hasSuffix("\n") { cmd.removeLast() }
        try failed(e, message: "could not execute query: \(e)\nCommand was: \(cmd)")
    }

    /// warn_or_exit_horribly, naming the TOC entry. A lost connection ends the restore at
    /// once: every later command would fail the same way.
    private func failed(_ e: PostgresError, message: String) throws {
        errors += 1
        if conn.isBroken {
            throw RestoreError(entryPrefix + "lost the connection to the server: \(e.message)")
        }
        if exitOnError { throw RestoreError(entryPrefix + message) }
        report(entryPrefix + message)
    }
}
