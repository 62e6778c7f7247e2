import Archive
import Restore
import Catalog
import Console
import Dump
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

/// Checks the options as pg_dump does, then dumps.
struct DumpRunner {
    let c: CBDumpCommand
    /// The command line's words (attached values split off), for the options whose order
    /// matters (OptionOrder.swift).
    let args: [String]
    init(_ c: CBDumpCommand, args: [String] = []) { self.c = c; self.args = args }

    /// Whether pg_dump gives tar's restore.sql a restrict key of its own (see `output`).
    static func tarScriptHasOwnKey(_ serverVersion: Int) -> Bool {
        switch serverVersion / 10000 {
        case ...14: return false
        case 15: return serverVersion >= 150020
        case 16: return serverVersion >= 160016
        case 17: return serverVersion >= 170012
        case 18: return serverVersion >= 180007
        default: return true
        }
    }

    /// pg_dump's archive formats, and plain SQL.
    enum OutputFormat { case custom, directory, tar, plain }

    /// parseArchiveFormat: the letters and names pg_dump accepts, in any case.
    static func parseFormat(_ s: String) throws -> OutputFormat {
        switch s.lowercased() {
        case "c", "custom": return .custom
        case "d", "directory": return .directory
        case "t", "tar": return .tar
        case "p", "plain": return .plain
        default: throw ToolError("invalid output format \"\(s)\" specified")
        }
    }

    /// --manifest reads the archive back: it needs an archive written to a file.
    func checkManifestOption() throws {
        guard c.manifest else { return }
        guard let f = c.file, f != "-" else { throw ToolError("option --manifest needs -f/--file") }
        _ = try archiveFormat()
    }

    /// The archive format, for reading it back; plain output has none.
    func archiveFormat() throws -> ArchiveFormat {
        switch try Self.parseFormat(c.format ?? "c") {
        case .custom: return .custom
        case .directory: return .directory
        case .tar: return .tar
        case .plain: throw ToolError("option --manifest is not supported with --format=plain")
        }
    }

    func run() throws {
        var ordered = try readOrderedOptions()
        let progressMode: ProgressMode
        do { progressMode = try ProgressMode.resolve(c.progress, noProgress: c.noProgress) } catch let e as ProgressOptionError {
            throw ToolError(e.description)
        }
        // --column-inserts implies --inserts.
        if c.columnInserts && ordered.dumpInserts == 0 { ordered.dumpInserts = 1 }
        let jobs = try c.jobs.map { try optionParseInt($0, "-j/--jobs", 1, Int(Int32.max)) } ?? 1
        if c.binaryUpgrade { throw ToolError("option --binary-upgrade is not supported: it is for pg_upgrade, which runs the new server's own pg_dump") }
        // pg_dump 18's conflicts between the "-only" and "no-" options, in its order.
        for (a, an, b, bn) in [(c.schemaOnly, "-s/--schema-only", c.dataOnly, "-a/--data-only"),
                               (c.schemaOnly, "-s/--schema-only", c.statisticsOnly, "--statistics-only"),
                               (c.dataOnly, "-a/--data-only", c.statisticsOnly, "--statistics-only"),
                               (c.dataOnly, "-a/--data-only", c.noData, "--no-data"),
                               (c.schemaOnly, "-s/--schema-only", c.noSchema, "--no-schema"),
                               (c.statisticsOnly, "--statistics-only", c.noStatistics, "--no-statistics"),
                               (c.statistics, "--statistics", c.noStatistics, "--no-statistics"),
                               (c.dataOnly, "-a/--data-only", c.statistics, "--statistics"),
                               (c.schemaOnly, "-s/--schema-only", c.statistics, "--statistics")] where a && b {
            throw ToolError("options \(an) and \(bn) cannot be used together")
        }
        if let m = c.syncMethod, m != "fsync" && m != "syncfs" {
            throw ToolError("unrecognized sync method: \(m)")
        }
        if c.schemaOnly && !ordered.patterns.includeForeignServers.isEmpty {
            throw ToolError("options -s/--schema-only and --include-foreign-data cannot be used together")
        }
        if c.gpSyntax && c.noGpSyntax { throw ToolError("options --gp-syntax and --no-gp-syntax cannot be used together") }
        if c.clean && c.dataOnly { throw ToolError("options -c/--clean and -a/--data-only cannot be used together") }
        if c.ifExists && !c.clean { throw ToolError("option --if-exists requires option -c/--clean") }
        if c.onConflictDoNothing && ordered.dumpInserts == 0 {
            throw ToolError("option --on-conflict-do-nothing requires option --inserts, --rows-per-insert, or --column-inserts")
        }
        // cbdump's default is the custom format (pg_dump's is plain text).
        let format = try Self.parseFormat(c.format ?? "c")
        var restrictKey: String? = nil
        if format == .plain {
            restrictKey = c.restrictKey ?? generateRestrictKey()
        } else if format == .tar {
            restrictKey = c.restrictKey  // for restore.sql, as pg_dump 15 allows
        } else if c.restrictKey != nil {
            // pg_dump 16-18's words; only plain output (and tar's restore.sql) has a \restrict line.
            throw ToolError("option --restrict-key can only be used with --format=plain")
        }
        if let key = restrictKey, !validRestrictKey(key) { throw ToolError("invalid restrict key") }
        let rowFilterSpecs = try c.whereClauses.map { try RowFilterSpec($0) }

        var writeOptions = ArchiveWriteOptions()
        // Custom and directory archives are gzip-compressed by default, the others not.
        writeOptions.compressionSpec = format == .custom || format == .directory ? .gzipDefault : .none
        if let z = c.compress {
            do { writeOptions.compressionSpec = try CompressionSpec.parse(z) } catch let e as CompressionSpecError {
                throw ToolError(e.description)
            }
            if writeOptions.compressionSpec.workersRequested {
                printError("cbdump: warning: compression option \"workers\" is not currently supported by pg_dump\n")
            }
        }
        // gzip on several cores (one stream per table all the same); 1: zlib's own stream.
        if let n = c.compressJobs {
            guard let v = Int(n), v >= 1, v <= 64 else {
                throw ToolError("--compress-jobs must be in range 1..64")
            }
            writeOptions.compressionSpec.threads = v
        } else {
            writeOptions.compressionSpec.threads = max(1, min(64, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        }
        // lz4 and zstd exist from archive 1.15 (pg_dump 16) on.
        let alg = writeOptions.compression
        var requestedVersion: ArchiveVersion? = nil
        if let v = c.archiveVersion {
            guard let parsed = ArchiveVersion.writable.first(where: { $0.shortName == v }) else {
                throw ToolError("unrecognized archive version \"\(v)\"; use 1.14, 1.15 or 1.16")
            }
            if parsed < .v1_15 && (alg == .lz4 || alg == .zstd) {
                throw ToolError("archive version \(v) cannot hold \(alg == .lz4 ? "lz4" : "zstd") compression; use 1.15 or later")
            }
            requestedVersion = parsed
        }
        if jobs > 1 && format != .directory { throw ToolError("parallel backup only supported by the directory format") }
        if jobs > 1 && !ordered.patterns.includeForeignServers.isEmpty {
            throw ToolError("option --include-foreign-data is not supported with parallel backup")
        }
        if format == .tar && alg != .none { throw ToolError("compression is not supported by tar archive format") }
        // An archive is binary: not for a terminal (as gzip refuses to write one there).
        if format != .plain && format != .directory && (c.file == nil || c.file == "-") && isatty(1) == 1 {
            throw ToolError("refusing to write a \(format == .tar ? "tar" : "custom")-format archive to a terminal; "
                             + "use -f FILE or redirect standard output, or -Fp for an SQL script")
        }
        // CreateArchive: the directory is made (under a temporary name) before connecting.
        var directory: String? = nil
        if format == .directory {
            guard let path = c.file, !path.isEmpty, path != "-" else { throw ToolError("no output directory specified") }
            directory = try OutputDirectory.create(path, tool: "cbdump")
        }

        var o = DumpOptions()
        // pg_dump 18's derivation: an "-only" option narrows, a "no-" option takes away;
        // statistics only when asked for.
        o.dumpSchema = c.schemaOnly || (!c.dataOnly && !c.statisticsOnly && !c.noSchema)
        o.dumpData = c.dataOnly || (!c.schemaOnly && !c.statisticsOnly && !c.noData)
        o.dumpStatistics = c.statisticsOnly || (c.statistics && !c.dataOnly && !c.schemaOnly && !c.noStatistics)
        if !c.section.isEmpty {
            var set: Set<SectionName> = []
            for s in c.section {
                guard let n = SectionName(rawValue: s) else { throw ToolError("unrecognized section name: \"\(s)\"") }
                set.insert(n)
            }
            o.sections = set
        }
        o.outputBlobs = c.blobs
        o.dontOutputBlobs = c.noBlobs
        o.outputClean = c.clean
        o.ifExists = c.ifExists
        // Archives always carry the DATABASE entries, for pg_restore -C (pg_dump's main()).
        o.outputCreateDB = c.create || format != .plain
        o.disableTriggers = c.disableTriggers
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
        o.sequenceData = o.dumpData || c.sequenceData
        o.noPolicies = c.noPolicies
        o.dumpInserts = ordered.dumpInserts
        o.columnInserts = c.columnInserts
        o.onConflictDoNothing = c.onConflictDoNothing
        o.disableDollarQuoting = c.disableDollarQuoting
        o.disableTriggers = c.disableTriggers
        o.loadViaPartitionRoot = c.loadViaPartitionRoot

        // The output first, as pg_dump: a bad path is reported before any connection. The
        // output holds all the data: readable by its owner only. (A directory is made
        // above, under a temporary name.)
        let fd = format == .directory ? -1 : try OutputFile.open(c.file, tool: "cbdump", mode: 0o600)
        var typedPassword: String? = nil
        let conn = try Connection.connectDatabase(dbname: c.dbname ?? c.dbnameArg, host: c.connection.host, port: c.connection.port,
                                                  user: c.connection.username, applicationName: "cbdump", prompt: c.connection.prompt,
                                                  password: &typedPassword)
        // Parallel workers log in with the password that worked (pg_dump's savedPassword),
        // so a typed one is asked for once.
        let password = conn.usedPassword
        // Connected: from here SIGINT/SIGTERM say "terminated by user" and exit 1, as pg_dump.
        conn.cancelOnTermination()
        OutputFile.exitOnTermination(tool: "cbdump")
        // Which server: an MPP session that sees one node only must not be dumped from.
        let server = try conn.detectServer()
        if server.isMPP {
            if let refusal = try conn.mppSessionRefusal(server) { throw ToolError(refusal.description) }
        } else if c.gpSyntax {
            throw ToolError("option --gp-syntax requires a Greenplum or Cloudberry server")
        }
        let job = DumpJob(conn: conn, server: server, options: o)
        job.patterns = ordered.patterns
        job.rowFilters = rowFilterSpecs
        job.session.role = c.role
        job.session.encoding = c.encoding
        job.session.serializableDeferrable = c.serializableDeferrable
        job.session.snapshot = c.snapshot
        job.session.quoteAllIdentifiers = c.quoteAllIdentifiers
        job.session.enableRowSecurity = c.enableRowSecurity
        job.session.extraFloatDigits = ordered.extraFloatDigits
        job.writeOptions = writeOptions
        job.archiveVersion = requestedVersion
        job.gpSyntax = !c.noGpSyntax
        job.jobs = jobs
        // Parallel workers and catalog helpers log in as the dump did (the job puts them in
        // its snapshot).
        let target = (dbname: c.dbname ?? c.dbnameArg, host: c.connection.host, port: c.connection.port, user: c.connection.username)
        job.connect = {
            try Connection(dbname: target.dbname, host: target.host, port: target.port,
                           user: target.user, password: password, applicationName: "cbdump")
        }
        // -v: pg_dump's own messages, in its words, as it goes.
        let info: ((String) -> Void)? = c.verbose ? { printError("cbdump: \($0)\n") } : nil
        job.onInfo = info
        job.onMessage = { level, text in printError("cbdump: \(level.rawValue): \(text)\n") }
        var progress: ProgressReporter? = nil
        job.onEntries = { progress = DumpProgress.attach(to: $0, mode: progressMode) }
        // An error ends the display without "done"; after success this does nothing.
        defer { progress?.finish(succeeded: false) }
        try job.run(output(format, fd: fd, directory: directory, restrictKey: restrictKey, info: info))
        conn.close()
        if format == .directory { try OutputDirectory.commit(sync: !c.noSync) }
        progress?.finish(succeeded: true)
    }

    /// Where the dump goes: an archive writer per format (pg_backup_archiver's format
    /// callbacks), or the plain script, which is cbrestore's script renderer reading the dump
    /// as an archive (pg_dump's RestoreArchive over its own).
    func output(_ format: OutputFormat, fd: Int32, directory: String?, restrictKey: String?,
                info: ((String) -> Void)?) -> DumpJob.Output {
        switch format {
        case .plain:
            return .plain { job, archive in
                // -Z compresses the whole script (a gzip, lz4 or zstd file), as pg_dump does.
                let out: RestoreSink = job.writeOptions.compression == .none ? ScriptOutput(fileDescriptor: fd, path: c.file ?? "-")
                    : CompressedScriptOutput(try CompressedFileWriter(fileDescriptor: fd, spec: job.writeOptions.compressionSpec))
                try PlainOutput.render(archive, options: restoreOptions(job.options, restrictKey: restrictKey), to: out, info: info)
            }
        case .custom:
            return .archive { job in CustomArchiveWriter(fileDescriptor: fd, options: job.writeOptions) }
        case .directory:
            return .archive { job in try DirectoryArchiveWriter(directory: directory!, options: job.writeOptions, sync: !c.noSync) }
        case .tar:
            return .archive { job in
                // restore.sql is the script of a clean, create restore (pg_backup_tar.c's
                // _CloseArchive). pg_dump 15.18, 16.15, 17.11 and 18.6 give it no restrict key
                // unless one is asked for, and print "(null)" around its \connect lines; pg_dump
                // 15.20 gives it one of its own. The server's release decides, as it decides which
                // pg_dump a user of it runs (the first 16-18 releases with the change have not
                // been seen here: taken to be those after 16.15, 17.11 and 18.6).
                var ro = restoreOptions(job.options, restrictKey: restrictKey
                    ?? (Self.tarScriptHasOwnKey(job.conn.serverVersion) ? generateRestrictKey() : nil))
                ro.dropSchema = true
                ro.superuser = nil
                ro.verbose = false
                let w = job.writeOptions
                return TarArchiveWriter(fileDescriptor: fd, options: w) { scriptFD, entries in
                    let out = ScriptOutput(fileDescriptor: scriptFD, path: "restore.sql")
                    try PlainOutput.render(TarRestoreScriptArchive(entries: entries, options: w), options: ro, to: out, info: info)
                }
            }
        }
    }
}

extension DumpRunner {
    /// The restore options pg_dump's main() derives from its own for RestoreArchive.
    func restoreOptions(_ o: DumpOptions, restrictKey: String?) -> RestoreOptions {
        var r = RestoreOptions()
        r.compatMajor = o.dumperMajor
        r.noSchema = !o.dumpSchema
        r.noData = !o.dumpData
        r.noStatistics = !o.dumpStatistics
        r.sections = Set(o.sections.map { s -> RestoreOptions.SectionSet in
            switch s {
            case .preData: return .preData
            case .data: return .data
            case .postData: return .postData
            }
        })
        r.dropSchema = c.clean
        r.ifExists = c.ifExists
        r.createDB = o.outputCreateDB
        r.quoteAllIdentifiers = c.quoteAllIdentifiers
        r.noOwner = c.noOwner
        r.aclsSkip = c.noPrivileges
        r.noComments = c.noComments
        r.noPublications = c.noPublications
        r.noSubscriptions = c.noSubscriptions
        r.noSecurityLabels = c.noSecurityLabels
        r.noTablespaces = c.noTablespaces
        r.noTableAccessMethod = c.noTableAccessMethod
        r.disableTriggers = c.disableTriggers
        r.useSetSessionAuthorization = c.useSetSessionAuthorization
        r.superuser = c.superuser.map { Array($0.utf8) }
        r.enableRowSecurity = c.enableRowSecurity
        r.restrictKey = restrictKey
        // -v adds the TOC entry comments and the start and end times to a plain script.
        r.verbose = c.verbose
        return r
    }
}
