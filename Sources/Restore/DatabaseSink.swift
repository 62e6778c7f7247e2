import PostgresClient

/// Runs the restore's commands on a live database (pg_restore -d): each output unit is one
/// PQexec, table data streams into COPY FROM STDIN as it is decoded. Errors are counted and
/// reported with their TOC entry; with `exitOnError` the first one ends the restore.
public final class DatabaseSink: RestoreSink {
    public struct Target: Sendable {
        public var dbname: String?, host: String?, port: String?, user: String?
        public init(dbname: String?, host: String?, port: String?, user: String?) {
            self.dbname = dbname; self.host = host; self.port = port; self.user = user
        }
    }

    private var conn: Connection
    private let target: Target
    private let exitOnError: Bool
    private let report: (String) -> Void
    private var pending: [UInt8] = []
    private var copying = false
    private var currentEntry: String?
    /// Errors ignored so far (pg_restore's n_errors).
    public private(set) var errors = 0
    public private(set) var commands = 0
    public private(set) var copyBytes: Int64 = 0
    public private(set) var copyRows = 0
    public var errorCount: Int { errors }

    public init(target: Target, exitOnError: Bool, report: @escaping (String) -> Void) throws {
        self.target = target
        self.exitOnError = exitOnError
        self.report = report
        conn = try Connection(dbname: target.dbname, host: target.host, port: target.port, user: target.user, applicationName: "cbrestore")
    }

    public var isScript: Bool { false }
    public var serverVersion: Int? { conn.serverVersion }

    public func write(_ bytes: [UInt8]) throws { pending += bytes }
    public func write(_ bytes: UnsafeRawBufferPointer) throws { pending.append(contentsOf: bytes) }
    public func setCurrentEntry(_ label: String?) { currentEntry = label }

    public func endCommand() throws {
        defer { pending.removeAll(keepingCapacity: true) }
        guard pending.contains(where: { $0 != 0x20 && $0 != 0x0a && $0 != 0x09 }) else { return }
        try run(String(decoding: pending, as: UTF8.self))
    }

    /// Runs one command, counting it and recording its failure.
    private func run(_ sql: String) throws {
        commands += 1
        do { try conn.execute(sql) } catch let e as PostgresError { try failed(e, command: sql) }
    }

    public func beginCopy() throws {
        let sql = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        commands += 1
        do {
            try conn.beginCopyIn(sql)
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
        do { try conn.putCopyData(bytes) } catch let e as PostgresError {
            copying = false
            try failed(e, command: "COPY data")
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
        for ch in bytes {
            if !(ch == 0x0a && pending.isEmpty) { pending.append(ch) }
            switch scanState {
            case .scan:
                if ch == 0x3b {
                    let sql = String(decoding: pending, as: UTF8.self)
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
        do { copyRows += try conn.endCopyIn() } catch let e as PostgresError { try failed(e, command: "COPY data") }
    }

    public func reconnect(to dbname: [UInt8]) throws {
        conn.close()
        var t = target
        t.dbname = String(decoding: dbname, as: UTF8.self)
        conn = try Connection(dbname: t.dbname, host: t.host, port: t.port, user: t.user, applicationName: "cbrestore")
    }

    public func finish() throws {
        if copying { try endCopy() }
        conn.close()
    }

    private func failed(_ e: PostgresError, command: String) throws {
        errors += 1
        var cmd = command
        if cmd.count > 2000 { cmd = String(cmd.prefix(2000)) + "..." }
        while cmd.hasSuffix("\n") { cmd.removeLast() }
        let whereText = currentEntry.map { "TOC entry \($0): " } ?? ""
        let message = "\(whereText)could not execute query: \(e)\nCommand was: \(cmd)"
        if exitOnError { throw RestoreError(message) }
        report(message)
    }
}
