import Archive

/// Where the restore's output goes. pg_restore produces the same stream of commands for a
/// script and for a live database; the difference is whether each unit is written or run.
public protocol RestoreSink: AnyObject {
    /// True for a script: comments, banners and `\connect` lines are wanted.
    var isScript: Bool { get }
    /// The live target's server_version_num; nil for a script.
    var serverVersion: Int? { get }
    /// Commands that failed so far (always 0 for a script).
    var errorCount: Int { get }
    /// Text of the current unit.
    func write(_ bytes: [UInt8]) throws
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Ends one unit (one of pg_restore's ahprintf calls); a database runs it.
    func endCommand() throws
    /// Ends a unit whose failure ends the restore, whatever -e says (pg_restore's pg_fatal on
    /// lo_create/lo_open): `what` says what failed.
    func endFatalCommand(_ what: String) throws
    /// The pending unit is a `COPY ... FROM stdin`: data follows until `endCopy`.
    func beginCopy() throws
    func copyData(_ bytes: UnsafeRawBufferPointer) throws
    /// Table data that is SQL (INSERT statements from pg_dump --inserts).
    func statementData(_ bytes: UnsafeRawBufferPointer) throws
    func endCopy() throws
    /// The archive could not give the current entry's data (a damaged or truncated block).
    /// A script cannot go on (pg_restore stops there); a live restore abandons the table's
    /// COPY, counts the error and goes on with the other entries unless errors end the
    /// restore (-e, -1, --transaction-size).
    func dataFailed(_ error: ArchiveError) throws
    /// Connects to another database (live restore with -C).
    func reconnect(to dbname: [UInt8]) throws
    /// Which TOC entry the following output belongs to, for error messages.
    func setCurrentEntry(_ te: TocEntry?)
    func finish() throws
    /// Commands from here to `endBatch` may go to a database in one round trip, with the
    /// outcome of running them one by one (a script writes them as they come).
    func beginBatch()
    func endBatch() throws
}

extension ScriptOutput: RestoreSink {
    public var isScript: Bool { true }
    public var serverVersion: Int? { nil }
    public var errorCount: Int { 0 }
    public func endCommand() throws {}
    public func endFatalCommand(_ what: String) throws {}
    public func beginCopy() throws {}
    public func copyData(_ bytes: UnsafeRawBufferPointer) throws { try write(bytes) }
    public func statementData(_ bytes: UnsafeRawBufferPointer) throws { try write(bytes) }
    public func endCopy() throws {}
    public func dataFailed(_ error: ArchiveError) throws { throw error }
    public func reconnect(to dbname: [UInt8]) throws {}
    public func setCurrentEntry(_ te: TocEntry?) {}
    public func finish() throws { try flush() }
}

extension RestoreSink {
    /// A script writes a batch's commands as they come.
    public func beginBatch() {}
    public func endBatch() throws {}

    /// Whether the target is a Greenplum or Cloudberry server (nil: a script, no target).
    public var targetIsMPP: Bool? {
        guard let db = self as? DatabaseSink else { return nil }
        return db.isMPPServer
    }
}
