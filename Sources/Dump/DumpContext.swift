import Archive
import Catalog
import PostgresClient

/// The state of one dump: the catalog read in the snapshot, the TOC entries made so far in
/// order, and each entry's data dumper.
public final class DumpContext {
    public let cat: CatalogContext
    public var options: DumpOptions { cat.options }
    public var catalog: DumpCatalog { cat.catalog }
    public var remoteVersion: Int { cat.remoteVersion }
    public var conn: Connection { cat.conn }
    /// standard_conforming_strings of the dump session (always on for servers we support,
    /// but pg_dump follows the server).
    public var stdStrings = true
    public internal(set) var entries: [TocEntry] = []
    /// pg_dump computes the entries' dependency lists for archives only: a plain script
    /// (whose -v comments show them) keeps the dependencies the entries were made with.
    public var buildsArchiveDependencies = true
    /// Each data entry's dumper, given the connection to read with: the dump's own, or a
    /// parallel worker's connection in the same snapshot (pg_dump -j).
    public internal(set) var dataJobs: [DumpId: ConnectionDataDumper] = [:]
    /// pg_dump's te->dataLength (a table's relpages): parallel dumps start with the largest.
    public internal(set) var dataSizes: [DumpId: Int] = [:]
    /// A table data entry's row estimate (reltuples), for progress reports.
    public internal(set) var dataRowEstimates: [DumpId: Double] = [:]
    /// The data dumpers on the dump's own connection.
    public var dataDumpers: [DumpId: DataDumper] {
        let conn = self.conn
        return dataJobs.mapValues { job in { stream in try job(conn, stream) } }
    }

    /// pg_dump 18's attribute statistics, read in batches ahead of their entries.
    var statsCache = AttributeStatsCache([])

    public init(cat: CatalogContext) { self.cat = cat }

    /// Where pg_dump's pg_log_warning (and the sorter's detail and hint lines) go: the library
    /// prints nothing, the tool that runs the dump writes them ("cbdump: warning: ..."). Catalog
    /// warnings (`cat.warnings`) are passed on here too, once, after the catalog is read.
    public var onMessage: (_ level: DumpMessageLevel, _ text: String) -> Void = { _, _ in }

    func warning(_ text: String) { onMessage(.warning, text) }

    /// Puts `wrap` around every data dumper (cbdump's progress counting sees every byte).
    public func wrapDataJobs(_ wrap: (DumpId, @escaping ConnectionDataDumper) -> ConnectionDataDumper) {
        for (id, job) in dataJobs { dataJobs[id] = wrap(id, job) }
    }

    public func fmtId(_ name: String) -> String { cat.fmtId(name) }
    /// dumputils.c's helpers with this dump's quoting, literal convention and dumper major.
    public var utils: DumpUtils {
        DumpUtils(quoter: cat.quoter, dumperMajor: options.dumperMajor, stdStrings: stdStrings)
    }
    public func qualified(_ obj: DumpableObject) -> String { cat.qualified(obj) }
    /// A string literal (appendStringLiteralAH).
    public func literal(_ s: String) -> String {
        String(decoding: SQLQuoter.literal(Array(s.utf8), standardConformingStrings: stdStrings), as: UTF8.self)
    }

    /// pg_dump's ArchiveEntry: appends a TOC entry (in dump order) for `dumpId`.
    @discardableResult
    public func archiveEntry(catId: CatalogId, dumpId: DumpId, _ opts: EntryOptions) -> TocEntry {
        let te = TocEntry(dumpId: dumpId)
        te.tableOid = catId.tableoid
        te.oid = catId.oid
        let bytes = conn.outputBytes
        te.tag = bytes(opts.tag)
        te.desc = opts.description
        te.section = opts.section
        te.defn = opts.createStmt.map(bytes)
        te.dropStmt = opts.dropStmt.map(bytes)
        te.copyStmt = opts.copyStmt.map(bytes)
        te.namespace = opts.namespace.map(bytes)
        te.tablespace = opts.tablespace.map(bytes)
        te.tableam = opts.tableam.map(bytes)
        te.relkind = Int32(opts.relkind?.asciiValue ?? 0)
        te.owner = opts.owner.map(bytes)
        te.dependencies = opts.deps
        te.hadDumper = opts.dumpFn != nil
        te.dataState = opts.dumpFn != nil ? .posNotSet : .noData
        if let fn = opts.dumpFn {
            dataJobs[dumpId] = fn
            dataSizes[dumpId] = opts.dataLength
        }
        entries.append(te)
        return te
    }
}

/// pg_dump's ARCHIVE_OPTS: the fields of one TOC entry.
public struct EntryOptions {
    public var tag: String
    public var namespace: String? = nil
    public var tablespace: String? = nil
    public var tableam: String? = nil
    public var relkind: Character? = nil
    public var owner: String? = nil
    public var description: String
    public var section: Section
    public var createStmt: String? = nil
    public var dropStmt: String? = nil
    public var copyStmt: String? = nil
    public var deps: [DumpId] = []
    public var dumpFn: ConnectionDataDumper? = nil
    /// pg_dump's dataLength: how big the data is thought to be (relpages for a table).
    public var dataLength: Int = 0

    public init(tag: String, namespace: String? = nil, tablespace: String? = nil, tableam: String? = nil,
                relkind: Character? = nil, owner: String? = nil, description: String, section: Section,
                createStmt: String? = nil, dropStmt: String? = nil, copyStmt: String? = nil,
                deps: [DumpId] = [], dumpFn: ConnectionDataDumper? = nil, dataLength: Int = 0) {
        self.tag = tag; self.namespace = namespace; self.tablespace = tablespace; self.tableam = tableam
        self.relkind = relkind; self.owner = owner; self.description = description; self.section = section
        self.createStmt = createStmt; self.dropStmt = dropStmt; self.copyStmt = copyStmt
        self.deps = deps; self.dumpFn = dumpFn; self.dataLength = dataLength
    }
}

/// Produces one entry's data reading through the given connection (pg_dump's dataDumper,
/// which reads through whichever connection the archive handle of its process has).
public typealias ConnectionDataDumper = (Connection, ArchiveDataStream) throws -> Void
