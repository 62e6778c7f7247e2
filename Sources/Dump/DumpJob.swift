import Archive
import Console
import Catalog
import PostgresClient

/// A failure of the dump job itself (an option the server cannot serve).
public struct DumpJobError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One database dumped into one archive or script: pg_dump's main() from setup_connection
/// on, over a connection the caller opened (and has checked the server of). cbdump runs one;
/// cbdumpall runs one per database. In order:
///
/// 1. setup_connection (`Session.setUp`) and, for -j workers or catalog helpers,
///    get_synchronized_snapshot's `pg_export_snapshot()`;
/// 2. the release reproduced (`dumperMajor`) and the archive version it writes;
/// 3. expand_*_name_patterns and --where (`DumpOptions.resolve`), then the catalog and the
///    TOC entries (`DumpContext.buildArchiveEntries`);
/// 4. the archive through one `ArchiveWriter` (WriteToc, WriteDataChunks, CloseArchive; with
///    -j, `ParallelDump`), or a plain script rendered by the caller from a `DumpedArchive`;
/// 5. `COMMIT`. The connection stays open: the caller closes it.
///
/// Prints nothing: pg_dump's warnings go to `onMessage`, its -v lines to `onInfo`.
public final class DumpJob {
    /// Where the dump goes.
    public enum Output {
        /// An archive (custom, directory or tar), through the writer made here from the job
        /// as it stands once its entries are made (`writeOptions` complete).
        case archive((DumpJob) throws -> ArchiveWriter)
        /// A plain script: pg_dump's RestoreArchive over its own archive, which the caller
        /// renders (the script renderer is Restore's). Table data streams from COPY into it.
        case plain((DumpJob, DumpedArchive) throws -> Void)
    }

    public let conn: Connection
    public let server: ServerInfo
    /// The dump's options; `resolve` and the version choices complete them in `run`.
    public var options: DumpOptions
    public var patterns = ObjectPatterns()
    public var rowFilters: [RowFilterSpec] = []
    public var session = SessionOptions()
    /// Compression and (after `run`) the header fields.
    public var writeOptions = ArchiveWriteOptions()
    /// --archive-version; nil: the version the reproduced pg_dump writes.
    public var archiveVersion: ArchiveVersion?
    /// MPP servers: keep the Greenplum/Cloudberry clauses (cbdump's default).
    public var gpSyntax = true
    /// -j: data written by this many worker connections (directory archives only).
    public var jobs = 1
    /// Opens another connection to the dump's database, as the dump's own was opened (with
    /// the password that worked: pg_dump's savedPassword). The job puts it in the dump's
    /// snapshot. nil: no -j workers and no catalog helpers (and no snapshot exported).
    public var connect: (@Sendable () throws -> Connection)?
    /// The header's database name; nil: the connection's.
    public var databaseName: String?
    /// Which tool made the archive, for its header ("cbdump 0.1 (as pg_dump 18)").
    public var toolName = "cbdump"
    /// pg_log_warning and the sorter's detail and hint lines.
    public var onMessage: (_ level: DumpMessageLevel, _ text: String) -> Void = { _, _ in }
    /// pg_dump -v's lines; nil: not verbose.
    public var onInfo: ((String) -> Void)?
    /// Called once the entries are made, before any data is read (cbdump's progress
    /// display wraps the data dumpers here).
    public var onEntries: ((DumpContext) -> Void)?
    /// The dump's state, once `run` has made it.
    public private(set) var context: DumpContext?

    public init(conn: Connection, server: ServerInfo, options: DumpOptions) {
        self.conn = conn
        self.server = server
        self.options = options
    }

    /// Which pg_dump release the output reproduces: the one a user of that server would run
    /// (its own major), from 15, the oldest we compare with, up to 18, the newest we know.
    public static func dumperMajor(serverVersion: Int) -> Int {
        min(max(serverVersion / 10000, 15), 18)
    }

    public func run(_ output: Output) throws {
        try Session.setUp(conn, session)
        // The fork's catalog queries want nested loops, which it turns off by default.
        if server.isMPP { try conn.executeSqlStatement("SET enable_nestloop TO on") }
        let openWorker = try workerConnections()
        var o = options
        o.dumperMajor = Self.dumperMajor(serverVersion: conn.serverVersion)
        // Statistics are pg_dump 18's: a dump of an older server is its own pg_dump's, which
        // has none to write (and whose pg_restore could not restore them).
        if o.dumpStatistics && (o.dumperMajor < 18 || server.isMPP) {
            throw DumpJobError("options --statistics and --statistics-only need a PostgreSQL 18 server or newer: "
                               + "cbdump dumps this server as its own pg_dump \(o.dumperMajor) does, which has no statistics")
        }
        writeOptions.version = archiveVersion
            ?? .written(byDumperMajor: o.dumperMajor, mpp: server.isMPP, compression: writeOptions.compression)
        o.groupedLargeObjects = writeOptions.version >= .v1_16
        let info = onInfo
        if o.dumperMajor >= 18 { info?("executing SELECT pg_catalog.set_config('search_path', '', false);") }
        info?("last built-in OID is 16383")
        // As pg_dump's main(): patterns become OID lists inside the snapshot, before the
        // catalog is read; large objects go with "include everything" dumps unless -s or -B.
        try o.resolve(patterns, on: conn)
        try o.resolveRowFilters(rowFilters, on: conn)
        if o.includeEverything && o.dumpData && !o.dontOutputBlobs { o.outputBlobs = true }
        options = o

        let cat = CatalogContext(conn: conn, flavour: server.flavour, options: o)
        cat.onInfo = info
        if let openWorker, !server.isMPP && conn.serverVersion >= 100000 { cat.helperConnection = openWorker }
        if server.isMPP { cat.mpp = MPPCatalog(cat: cat, server: server, gpSyntax: gpSyntax) }
        let ctx = DumpContext(cat: cat)
        context = ctx
        ctx.onMessage = onMessage
        if case .plain = output { ctx.buildsArchiveDependencies = false }
        try ctx.buildArchiveEntries()
        onEntries?(ctx)

        writeOptions.dbname = databaseName ?? conn.database ?? ""
        writeOptions.serverVersion = conn.parameter("server_version") ?? ""
        // pg_restore prints this as "Dumped by pg_dump version ..."; say who made it.
        writeOptions.dumpVersion = ToolVersion.dumpedBy(tool: toolName, major: o.dumperMajor)
        switch output {
        case .plain(let render):
            try render(self, DumpedArchive(entries: ctx.entries, dumpers: ctx.dataDumpers, options: writeOptions))
        case .archive(let makeWriter):
            let writer = try makeWriter(self)
            try writer.writeToc(ctx.entries)
            if jobs > 1, let directory = writer as? DirectoryArchiveWriter, let openWorker {
                try ParallelDump.run(entries: ctx.entries, jobs: ctx.dataJobs, sizes: ctx.dataSizes, workers: jobs,
                                     writer: directory, quoter: SQLQuoter(major: o.dumperMajor, quoteAll: o.quoteAllIdentifiers),
                                     connect: openWorker)
            } else {
                try writer.writeDataChunks(ctx.entries, dumpers: ctx.dataDumpers)
            }
            try writer.close()
        }
        try? conn.executeSqlStatement("COMMIT")
    }

    /// Parallel workers and catalog helpers log in as the dump did, into its snapshot
    /// (pg_dump's get_synchronized_snapshot). Helpers need PostgreSQL 10 or later, where
    /// standbys can export, and not an MPP server, whose snapshots span the segments.
    private func workerConnections() throws -> (@Sendable () throws -> Connection)? {
        guard let connect else { return nil }
        var workerSession = session
        workerSession.serializableDeferrable = false
        let helpers = !server.isMPP && conn.serverVersion >= 100000
        if (jobs > 1 || helpers) && session.snapshot == nil {
            let r = try conn.executeSqlQuery("SELECT pg_catalog.pg_export_snapshot()")
            workerSession.snapshot = r.rowCount > 0 ? r.text(0, 0) : nil
        }
        let ws = workerSession
        return {
            let worker = try connect()
            try Session.setUp(worker, ws)
            worker.cancelOnTermination()
            return worker
        }
    }
}
