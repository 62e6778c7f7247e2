import Archive
import Console
import Restore
#if canImport(Glibc)
import Glibc
#endif

/// Turns parsed options into a restore run: the same checks, in the same order, with the
/// same messages as pg_restore.
struct Runner {
    let c: CBRestoreCommand
    init(_ c: CBRestoreCommand) { self.c = c }

    func run() throws {
        // getopt's -j is checked while the options are read, before anything else.
        let jobs = try c.jobs.map { try optionParseInt($0, "-j/--jobs", 1, Int(Int32.max)) } ?? 1
        if c.dbname != nil && c.file != nil {
            throw RestoreError("options -d/--dbname and -f/--file cannot be used together")
        }
        if c.dbname != nil && c.restrictKey != nil {
            throw RestoreError("options -d/--dbname and --restrict-key cannot be used together")
        }
        if c.dbname == nil && c.file == nil && !c.list && !c.verify {
            throw RestoreError("one of -d/--dbname and -f/--file must be specified")
        }
        if c.progress != nil && c.dbname == nil {
            throw RestoreError("option --progress requires -d/--dbname")
        }
        if c.dataOnly && c.schemaOnly { throw RestoreError("options -s/--schema-only and -a/--data-only cannot be used together") }
        for (a, an, b, bn) in [(c.dataOnly, "-a/--data-only", c.statisticsOnly, "--statistics-only"),
                               (c.schemaOnly, "-s/--schema-only", c.statisticsOnly, "--statistics-only"),
                               (c.dataOnly, "-a/--data-only", c.noData, "--no-data"),
                               (c.schemaOnly, "-s/--schema-only", c.noSchema, "--no-schema"),
                               (c.statisticsOnly, "--statistics-only", c.noStatistics, "--no-statistics"),
                               (c.statistics, "--statistics", c.noStatistics, "--no-statistics"),
                               (c.dataOnly, "-a/--data-only", c.statistics, "--statistics"),
                               (c.schemaOnly, "-s/--schema-only", c.statistics, "--statistics")] where a && b {
            throw RestoreError("options \(an) and \(bn) cannot be used together")
        }
        if c.dataOnly && c.clean { throw RestoreError("options -c/--clean and -a/--data-only cannot be used together") }
        let transactionSize = try c.transactionSize.map { try optionParseInt($0, "--transaction-size", 1, Int(Int32.max)) } ?? 0
        if c.singleTransaction && transactionSize > 0 {
            throw RestoreError("options -1/--single-transaction and --transaction-size cannot be used together")
        }
        if c.create && c.singleTransaction { throw RestoreError("options -C/--create and -1/--single-transaction cannot be used together") }
        if c.singleTransaction && jobs > 1 { throw RestoreError("cannot specify both --single-transaction and multiple jobs") }
        if c.ifExists && !c.clean { throw RestoreError("option --if-exists requires option -c/--clean") }
        if let key = c.restrictKey, !validRestrictKey(key) {
            throw RestoreError("invalid restrict key")
        }
        var format: ArchiveFormat? = nil
        if let f = c.format {
            switch f.first {
            case "c", "C": format = .custom
            case "d", "D": format = .directory
            case "t", "T": format = .tar
            default: throw RestoreError("unrecognized archive format \"\(f)\"; please specify \"c\", \"d\", or \"t\"")
            }
        }

        var o = RestoreOptions()
        o.schemaOnly = c.schemaOnly
        o.dataOnly = c.dataOnly
        o.noSchema = c.noSchema
        o.noData = c.noData
        o.statisticsOnly = c.statisticsOnly
        o.withStatistics = c.statistics
        if !c.section.isEmpty {
            o.sections = []
            for s in c.section {
                switch s {
                case "pre-data": o.sections.insert(.preData)
                case "data": o.sections.insert(.data)
                case "post-data": o.sections.insert(.postData)
                default: throw RestoreError("unrecognized section name: \"\(s)\"")
                }
            }
        }
        let bytes = { (s: String) in Array(s.utf8) }
        o.schemaNames = c.schema.map(bytes)
        o.excludeSchemaNames = c.excludeSchema.map(bytes)
        o.tableNames = c.table.map(bytes); o.selTable = !c.table.isEmpty
        o.indexNames = c.index.map(bytes); o.selIndex = !c.index.isEmpty
        o.functionNames = c.function.map(bytes); o.selFunction = !c.function.isEmpty
        o.triggerNames = c.trigger.map(bytes); o.selTrigger = !c.trigger.isEmpty
        // pg_restore 17's read_restore_filters: each line as the option it stands for would.
        for path in c.filter {
            let items: [FilterItem]
            do {
                items = try FilterFile.read(path) { item in
                    let allowed: Set<FilterObjectType> = item.command == .include
                        ? [.function, .index, .schema, .table, .trigger] : [.schema]
                    if allowed.contains(item.objectType) { return nil }
                    return "\(item.command == .include ? "include" : "exclude") filter for \"\(item.objectType.displayName)\" is not allowed"
                }
            } catch let e as FilterFileError { throw RestoreError(e.description) }
            for item in items {
                let name = bytes(item.pattern)
                switch (item.command, item.objectType) {
                case (.include, .function): o.functionNames.append(name); o.selFunction = true
                case (.include, .index): o.indexNames.append(name); o.selIndex = true
                case (.include, .schema): o.schemaNames.append(name)
                case (.include, .table): o.tableNames.append(name); o.selTable = true
                case (.include, .trigger): o.triggerNames.append(name); o.selTrigger = true
                case (.exclude, .schema): o.excludeSchemaNames.append(name)
                default: break
                }
            }
        }
        o.useListFile = c.useList
        o.noOwner = c.noOwner
        o.aclsSkip = c.noPrivileges
        o.noComments = c.noComments
        o.noPublications = c.noPublications
        o.noSubscriptions = c.noSubscriptions
        o.noSecurityLabels = c.noSecurityLabels
        o.noTablespaces = c.noTablespaces
        o.noTableAccessMethod = c.noTableAccessMethod
        o.noPolicies = c.noPolicies
        o.noStatistics = c.noStatistics
        o.dropSchema = c.clean
        o.ifExists = c.ifExists
        o.createDB = c.create
        o.singleTransaction = c.singleTransaction
        o.transactionSize = transactionSize
        o.disableTriggers = c.disableTriggers
        o.useSetSessionAuthorization = c.useSetSessionAuthorization
        o.superuser = c.superuser.map(bytes)
        o.role = c.role.map(bytes)
        o.enableRowSecurity = c.enableRowSecurity
        o.verbose = c.verbose
        o.strictNames = c.strictNames
        o.noDataForFailedTables = c.noDataForFailedTables
        if c.dbname == nil { o.restrictKey = c.restrictKey ?? generateRestrictKey() }

        let reader = try ArchiveOpener.open(path: c.archive, format: format, gpbackup: gpbackupOptions)
        if c.globals && reader.format != .gpbackup { throw RestoreError("option --globals is only for gpbackup sets") }
        if let gp = reader as? GpbackupArchiveReader {
            if c.clean { throw RestoreError("option -c/--clean is not supported for gpbackup sets") }
            // A set's statistics are restored only when asked (gprestore --with-stats), and
            // listed by -l.
            if !gp.set.toc.statistics.isEmpty && !gpbackupOptions.statistics && !c.noStatistics && !c.verify
                && !c.schemaOnly && !c.dataOnly {
                let tables = Set(gp.set.toc.statistics.map { $0.schema + "." + $0.name }).count
                warn("the set has statistics for \(tables) table(s) (statistics.sql), not restored: add --statistics to restore them")
            }
            if c.verify {
                try VerifyRun.runGpbackup(gp)
                return
            }
        }
        if c.verify {
            try VerifyRun.run(reader, archivePath: c.archive)
            return
        }
        if let v = c.compatVersion {
            guard (15...18).contains(v) else { throw RestoreError("--compat-version must be between 15 and 18") }
            o.compatMajor = v
        } else {
            o.compatMajor = Self.era(of: reader.header.version)
        }
        if reader.entries.contains(where: { $0.withOids }) {
            warn("restoring tables WITH OIDS is not supported anymore")
        }
        // An MPP archive keeps its clauses unless --no-gp-syntax; its script then starts as the
        // forks' pg_restore's does (on a live target only when that target is MPP too).
        o.noGpSyntax = c.noGpSyntax
        o.gpStoragePreamble = !c.noGpSyntax && MPPSyntax.isMPPArchive(reader.entries)
        // gpbackup sets: -t on a partitioned table takes its leaf partitions along, as
        // gprestore's --include-table does (their data entries name the root).
        if let gp = reader as? GpbackupArchiveReader, !o.tableNames.isEmpty {
            for d in gp.set.dataEntries where !d.partitionRoot.isEmpty
                && o.tableNames.contains(Array(gpbackupUnquote(d.partitionRoot).utf8)) {
                let leaf = Array(gpbackupUnquote(d.name).utf8)
                if !o.tableNames.contains(leaf) { o.tableNames.append(leaf) }
            }
        }
        let plan = try RestorePlan(archive: reader, options: o)
        plan.warnings.forEach(warn)
        // pg_restore checks --strict-names after selecting (ProcessArchiveRestoreOptions),
        // before connecting; with -l only after printing the listing.
        if o.strictNames && !c.list, let missing = plan.unmatchedNames() { throw RestoreError(missing) }

        if let dbname = c.dbname, !c.list {
            try restoreIntoDatabase(dbname, plan, jobs: jobs, format: format)
            return
        }
        let path = c.file ?? "-"
        let out = ScriptOutput(fileDescriptor: try OutputFile.open(c.file, tool: "cbrestore", mode: 0o644), path: path)
        if c.list {
            try TocListing.write(plan, to: out)
            if o.strictNames, let missing = plan.unmatchedNames() {
                try OutputFile.commit()
                throw RestoreError(missing)
            }
        } else {
            let renderer = ScriptRenderer(plan: plan, output: out)
            if c.verbose { renderer.onInfo = { printError("cbrestore: \($0)\n") } }
            defer { renderer.warnings.forEach(warn) }
            try renderer.render()
        }
    }

    /// pg_restore -d: run the same commands on a live connection (with -j N, on N+1).
    func restoreIntoDatabase(_ dbname: String, _ plan: RestorePlan, jobs: Int, format: ArchiveFormat?) throws {
        let progressMode: ProgressMode
        do { progressMode = try ProgressMode.resolve(c.progress, noProgress: c.noProgress) } catch let e as ProgressOptionError {
            throw RestoreError(e.description)
        }
        // Parallel restore needs an archive every worker can reopen and seek in.
        if jobs > 1, let why = ParallelRestorer.refusal(plan.archive) { throw RestoreError(why) }
        let target = DatabaseSink.Target(dbname: dbname, host: c.connection.host, port: c.connection.port,
                                         user: c.connection.username, prompt: c.connection.prompt)
        let report: @Sendable (String) -> Void = { message in printError("cbrestore: error: \(message)\n") }
        let exitOnError = c.exitOnError || plan.options.singleTransaction || plan.options.transactionSize > 0
        let sink = try DatabaseSink(target: target, exitOnError: exitOnError, askPassword: { promptPassword() }, report: report)
        // Connected: SIGINT, SIGTERM and SIGQUIT now cancel the server's statement and end
        // the restore with "terminated by user" and status 1, as pg_restore's handler does
        // (also when the signal was ignored at start, as in a script's background job).
        OutputFile.exitOnTermination(tool: "cbrestore")
        sink.standardConformingStrings = plan.standardConformingStrings
        let progress = RestoreProgress.reporter(plan, mode: progressMode)
        sink.progress = progress
        progress?.start()
        // An error ends the display without "done"; after success this does nothing.
        defer { progress?.finish(succeeded: false) }
        let renderer = ScriptRenderer(plan: plan, output: sink)
        let entryReport: @Sendable (String, Bool) -> Void = { label, ok in printError("cbrestore: \(ok ? "restored" : "FAILED") \(label)\n") }
        // -v: pg_restore's own messages ("creating TABLE ..."); parallel workers report
        // each entry's outcome instead.
        if c.verbose {
            renderer.onInfo = { printError("cbrestore: \($0)\n") }
            sink.onNotice = { printError("cbrestore: " + $0 + ($0.hasSuffix("\n") ? "" : "\n")) }
        }
        defer { renderer.warnings.forEach(warn) }
        var errors: Int, restored: Int, failed: Int, rows: Int, bytes: Int64
        if jobs > 1 {
            var config = ParallelRestorer.Config(archivePath: plan.archive.file, format: format, jobs: jobs,
                                                 exitOnError: exitOnError, verbose: c.verbose)
            config.progress = progress
            config.gpbackup = gpbackupOptions
            let parallel = ParallelRestorer(leader: renderer, sink: sink, config: config, report: report,
                                            entryReport: c.verbose ? entryReport : nil)
            try parallel.run()
            errors = parallel.errorCount
            restored = renderer.restoredEntries + parallel.restoredEntries
            failed = renderer.failedEntries + parallel.failedEntries
            rows = sink.copyRows + parallel.copyRows
            bytes = sink.copyBytes + parallel.copyBytes
        } else {
            try renderer.render()
            (errors, restored, failed, rows, bytes) = (sink.errors, renderer.restoredEntries, renderer.failedEntries, sink.copyRows, sink.copyBytes)
        }
        progress?.finish(succeeded: errors == 0)
        let skipped = plan.order.filter { plan.reqs(of: $0).intersection([.schema, .data, .stats]).isEmpty }.count
        if c.verbose || errors > 0 {
            printError("cbrestore: \(restored) entries restored, \(failed) failed, \(skipped) not selected; "
                       + "\(rows) rows and \(bytes) bytes of table data loaded\n")
        }
        if errors > 0 {
            warn("errors ignored on restore: \(errors)")
            exit(1)
        }
    }

    /// The pg_restore major of an archive's era: its SQL fits the servers of that era.
    static func era(of v: ArchiveVersion) -> Int {
        if v >= .v1_16 { return 18 }
        if v >= .v1_15 { return 16 }
        return 15
    }

    /// How a gpbackup set is read: its statistics entries only when asked for
    /// (--statistics, --statistics-only), or to be listed by -l.
    var gpbackupOptions: GpbackupOptions {
        GpbackupOptions(globals: c.globals, noOwner: c.noOwner, noPrivileges: c.noPrivileges,
                        statistics: !c.noStatistics && (c.statistics || c.statisticsOnly || c.list))
    }

    func warn(_ s: String) { printError("cbrestore: warning: \(s)\n") }
}
