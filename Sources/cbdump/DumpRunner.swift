import Archive
import Catalog
import Console
import Dump
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

struct UsageError: Error, CustomStringConvertible { let description: String }

/// Checks the options as pg_dump does, then dumps.
struct DumpRunner {
    let c: CBDumpCommand
    /// The command line's words (attached values split off), for the options whose order
    /// matters (OptionOrder.swift).
    let args: [String]
    init(_ c: CBDumpCommand, args: [String] = []) { self.c = c; self.args = args }

    /// Which pg_dump release the output reproduces: the one a user of that server would run
    /// (its own major), from 15, the oldest we compare with, up to 18, the newest we know.
    static func dumperMajor(serverVersion: Int) -> Int {
        min(max(serverVersion / 10000, 15), 18)
    }

    func run() throws {
        var ordered = try readOrderedOptions()
        // --column-inserts implies --inserts.
        if c.columnInserts && ordered.dumpInserts == 0 { ordered.dumpInserts = 1 }
        if c.dataOnly && c.schemaOnly { throw UsageError(description: "options -s/--schema-only and -a/--data-only cannot be used together") }
        if c.schemaOnly && !ordered.patterns.includeForeignServers.isEmpty {
            throw UsageError(description: "options -s/--schema-only and --include-foreign-data cannot be used together")
        }
        if c.clean && c.dataOnly { throw UsageError(description: "options -c/--clean and -a/--data-only cannot be used together") }
        if c.ifExists && !c.clean { throw UsageError(description: "option --if-exists requires option -c/--clean") }
        if c.onConflictDoNothing && ordered.dumpInserts == 0 {
            throw UsageError(description: "option --on-conflict-do-nothing requires option --inserts, --rows-per-insert, or --column-inserts")
        }
        let format = (c.format ?? "c").lowercased()
        guard format == "c" || format == "custom" else {
            throw UsageError(description: "output format \"\(c.format ?? "")\" is not supported yet; use -Fc")
        }
        // pg_dump 16-18's check (15 allowed tar too); only plain output has a \restrict line.
        if c.restrictKey != nil { throw UsageError(description: "option --restrict-key can only be used with --format=plain") }
        let rowFilterSpecs = try c.whereClauses.map { try RowFilterSpec($0) }
        var writeOptions = ArchiveWriteOptions()
        if let z = c.compress {
            let spec = z.lowercased()
            if spec == "none" || spec == "0" { writeOptions.compression = .none; writeOptions.compressionLevel = 0 }
            else if let n = Int(spec), (1...9).contains(n) { writeOptions.compressionLevel = n }
            else if spec.hasPrefix("gzip") {
                let detail = spec.split(separator: ":").dropFirst().first.map { String($0) }
                let level = detail.flatMap { Int($0.hasPrefix("level=") ? String($0.dropFirst(6)) : $0) }
                if let level, !(1...9).contains(level) { throw UsageError(description: "invalid compression level \(level)") }
                writeOptions.compressionLevel = level ?? -1
            } else {
                throw UsageError(description: "invalid compression specification \"\(z)\"")
            }
        }

        var o = DumpOptions()
        o.dumpSchema = !c.dataOnly
        o.dumpData = !c.schemaOnly
        if !c.section.isEmpty {
            var set: Set<SectionName> = []
            for s in c.section {
                guard let n = SectionName(rawValue: s) else { throw UsageError(description: "unrecognized section name: \"\(s)\"") }
                set.insert(n)
            }
            o.sections = set
        }
        o.outputBlobs = c.blobs
        o.dontOutputBlobs = c.noBlobs
        o.outputClean = c.clean
        o.ifExists = c.ifExists
        o.outputCreateDB = c.create
        o.outputNoOwner = c.noOwner
        o.aclsSkip = c.noPrivileges
        o.noComments = c.noComments
        o.noSecurityLabels = c.noSecurityLabels
        o.noPublications = c.noPublications
        o.noSubscriptions = c.noSubscriptions
        o.noTablespaces = c.noTablespaces
        o.noTableAccessMethod = c.noTableAccessMethod
        o.noToastCompression = c.noToastCompression
        o.noUnloggedTableData = c.noUnloggedTableData
        o.quoteAllIdentifiers = c.quoteAllIdentifiers
        o.useSetSessionAuth = c.useSetSessionAuthorization
        o.enableRowSecurity = c.enableRowSecurity
        o.strictNames = c.strictNames
        o.lockWaitTimeout = c.lockWaitTimeout
        o.sequenceData = o.dumpData
        o.dumpInserts = ordered.dumpInserts
        o.columnInserts = c.columnInserts
        o.onConflictDoNothing = c.onConflictDoNothing
        o.disableDollarQuoting = c.disableDollarQuoting
        o.disableTriggers = c.disableTriggers
        o.loadViaPartitionRoot = c.loadViaPartitionRoot
        let patterns = ordered.patterns

        // The output first, as pg_dump: a bad path is reported before any connection. The
        // archive holds all the data: readable by its owner only.
        let fd = try OutputFile.open(c.file, tool: "cbdump", mode: 0o600)
        let conn = try Connection(dbname: c.dbname ?? c.dbnameArg, host: c.host, port: c.port, user: c.username, applicationName: "cbdump")
        // Connected: from here SIGINT/SIGTERM say "terminated by user" and exit 1, as pg_dump.
        OutputFile.exitOnTermination(tool: "cbdump")
        var s = SessionOptions()
        s.role = c.role
        s.encoding = c.encoding
        s.serializableDeferrable = c.serializableDeferrable
        s.snapshot = c.snapshot
        s.quoteAllIdentifiers = c.quoteAllIdentifiers
        s.enableRowSecurity = c.enableRowSecurity
        s.extraFloatDigits = ordered.extraFloatDigits
        try Session.setUp(conn, s)
        o.dumperMajor = Self.dumperMajor(serverVersion: conn.serverVersion)
        // As pg_dump's main(): patterns become OID lists inside the snapshot, before the
        // catalog is read; large objects go with "include everything" dumps unless -s or -B.
        try o.resolve(patterns, on: conn)
        try o.resolveRowFilters(rowFilterSpecs, on: conn)
        if o.includeEverything && !c.schemaOnly && !c.noBlobs { o.outputBlobs = true }

        let cat = CatalogContext(conn: conn, options: o)
        let ctx = DumpContext(cat: cat)
        try ctx.buildArchiveEntries()

        writeOptions.dbname = conn.database ?? ""
        writeOptions.serverVersion = conn.parameter("server_version") ?? ""
        // pg_restore prints this as "Dumped by pg_dump version ..."; say who made it.
        writeOptions.dumpVersion = "cbdump 0.1 (as pg_dump \(o.dumperMajor))"
        let writer = CustomArchiveWriter(fileDescriptor: fd, options: writeOptions)
        try writer.write(entries: ctx.entries, dumpers: ctx.dataDumpers)
        _ = try? conn.execute("COMMIT")
        conn.close()
    }
}
