import Console
import DumpAll
#if canImport(Glibc)
import Glibc
#endif

/// Checks the options as pg_dumpall's main() does, then dumps.
struct Runner {
    let c: CBDumpallCommand
    /// The command line's words as read (Getopt), for options whose order matters.
    let arguments: [String]
    init(_ c: CBDumpallCommand, arguments: [String] = []) { self.c = c; self.arguments = arguments }

    /// The options every cbdump run gets (pg_dumpall's pgdumpopts), in pg_dumpall's order;
    /// the connection goes as -h/-p/-U plus a connection string naming the database.
    var dumpArguments: [String] {
        var a: [String] = []
        if c.verbose { a.append("-v") }
        if c.dataOnly { a.append("-a") }
        if c.noOwner { a.append("-O") }
        if c.schemaOnly { a.append("-s") }
        if c.noPrivileges { a.append("-x") }
        if let h = c.connection.host { a += ["-h", h] }
        if let p = c.connection.port { a += ["-p", p] }
        if let u = c.connection.username { a += ["-U", u] }
        if c.connection.noPassword { a.append("-w") }
        if c.connection.password { a.append("-W") }
        if let n = c.rowsPerInsert { a.append("--rows-per-insert=\(n)") }
        if let n = c.extraFloatDigits { a.append("--extra-float-digits=\(n)") }
        if let s = c.superuser { a.append("--superuser=\(s)") }
        if c.noSync { a.append("--no-sync") }
        if let t = c.lockWaitTimeout { a.append("--lock-wait-timeout=\(t)") }
        if let r = c.role { a.append("--role=\(r)") }
        if let e = c.encoding { a.append("--encoding=\(e)") }
        let flags: [(Bool, String)] = [
            (c.columnInserts, "--column-inserts"), (c.disableDollarQuoting, "--disable-dollar-quoting"),
            (c.disableTriggers, "--disable-triggers"), (c.inserts, "--inserts"),
            (c.noTableAccessMethod, "--no-table-access-method"), (c.noTablespaces, "--no-tablespaces"),
            (c.quoteAllIdentifiers, "--quote-all-identifiers"), (c.loadViaPartitionRoot, "--load-via-partition-root"),
            (c.useSetSessionAuthorization, "--use-set-session-authorization"), (c.noComments, "--no-comments"),
            (c.noData, "--no-data"), (c.noPolicies, "--no-policies"), (c.noPublications, "--no-publications"),
            (c.noSchema, "--no-schema"), (c.noSecurityLabels, "--no-security-labels"),
            (c.noSubscriptions, "--no-subscriptions"), (c.noToastCompression, "--no-toast-compression"),
            (c.noUnloggedTableData, "--no-unlogged-table-data"), (c.onConflictDoNothing, "--on-conflict-do-nothing"),
            (c.sequenceData, "--sequence-data"), (c.gpSyntax, "--gp-syntax"), (c.noGpSyntax, "--no-gp-syntax"),
            (c.statistics, "--statistics"), (c.noStatistics, "--no-statistics"), (c.statisticsOnly, "--statistics-only"),
        ]
        return a + flags.filter { $0.0 }.map { $0.1 }
    }

    /// An option that only the plain script passes on (the archives of -F d are made with
    /// cbdump's defaults for those), or nil.
    var scriptOnlyOption: String? {
        let used: [(Bool, String)] = [
            (c.inserts, "--inserts"), (c.columnInserts, "--column-inserts"), (c.rowsPerInsert != nil, "--rows-per-insert"),
            (c.onConflictDoNothing, "--on-conflict-do-nothing"), (c.disableTriggers, "--disable-triggers"),
            (c.disableDollarQuoting, "--disable-dollar-quoting"), (c.loadViaPartitionRoot, "--load-via-partition-root"),
            (c.extraFloatDigits != nil, "--extra-float-digits"), (c.superuser != nil, "-S/--superuser"),
            (c.noData, "--no-data"), (c.noSchema, "--no-schema"), (c.noPolicies, "--no-policies"),
            (c.sequenceData, "--sequence-data"), (c.statistics, "--statistics"), (c.statisticsOnly, "--statistics-only"),
        ]
        return used.first { $0.0 }?.1
    }

    /// --exclude-database patterns and those of --filter files, in command-line order
    /// (pg_dumpall's read_dumpall_filters: only "exclude database" lines are allowed).
    func excludedDatabasePatterns() throws -> [String] {
        var patterns: [String] = []
        var excludes = c.excludeDatabase[...], filters = c.filter[...]
        for word in arguments {
            if word.hasPrefix("--exclude-database"), let p = excludes.popFirst() { patterns.append(p) }
            if word.hasPrefix("--filter"), let path = filters.popFirst() {
                // A bad line is an error of its own (FilterFileError), without --help's hint.
                patterns += try FilterFile.read(path) { item in
                    if item.command == .include { return "include filter for \"\(item.objectType.displayName)\" is not allowed" }
                    return item.objectType == .database ? nil : "unsupported filter object"
                }.map(\.pattern)
            }
        }
        return patterns + excludes
    }

    func run() throws {
        if let first = c.extra.first {
            throw ToolError("too many command-line arguments (first is \"\(first)\")", hint: true)
        }
        if c.binaryUpgrade { throw ToolError("option --binary-upgrade is not supported: it is for pg_upgrade, which runs the new server's own pg_dump", hint: true) }
        let excludedDatabases = try excludedDatabasePatterns()
        if !excludedDatabases.isEmpty && (c.globalsOnly || c.rolesOnly || c.tablespacesOnly) {
            throw ToolError("option --exclude-database cannot be used together with -g/--globals-only, -r/--roles-only, or -t/--tablespaces-only", hint: true)
        }
        if c.globalsOnly && c.rolesOnly {
            throw ToolError("options -g/--globals-only and -r/--roles-only cannot be used together", hint: true)
        }
        if c.globalsOnly && c.tablespacesOnly {
            throw ToolError("options -g/--globals-only and -t/--tablespaces-only cannot be used together", hint: true)
        }
        if c.ifExists && !c.clean {
            throw ToolError("option --if-exists requires option -c/--clean")
        }
        if c.gpSyntax && c.noGpSyntax {
            throw ToolError("options --gp-syntax and --no-gp-syntax cannot be used together")
        }
        if c.rolesOnly && c.tablespacesOnly {
            throw ToolError("options -r/--roles-only and -t/--tablespaces-only cannot be used together", hint: true)
        }

        var o = DumpAllOptions()
        o.scope = c.globalsOnly ? .globals : c.rolesOnly ? .roles : c.tablespacesOnly ? .tablespaces : .cluster
        switch (c.format ?? "p").lowercased() {
        case "p", "plain": o.layout = .script
        case "d", "directory", "c", "custom": o.layout = .directory
        default:
            throw ToolError("invalid output format \"\(c.format ?? "")\" specified")
        }
        if o.layout == .directory, let option = scriptOnlyOption {
            throw ToolError("option \(option) is not supported with -F d")
        }
        if o.layout == .directory && (c.file == nil || c.file == "-") {
            throw ToolError("-F d needs the output directory: -f DIR", hint: true)
        }
        o.clean = c.clean
        o.ifExists = c.ifExists
        // pg_dumpall 18: --no-schema and --statistics-only leave out the globals, as -a does.
        o.dataOnly = c.dataOnly || c.noSchema || c.statisticsOnly
        o.schemaOnly = c.schemaOnly
        o.noOwner = c.noOwner
        o.skipACLs = c.noPrivileges
        o.noComments = c.noComments
        o.noSecurityLabels = c.noSecurityLabels
        o.noTablespaces = c.noTablespaces
        o.noRolePasswords = c.noRolePasswords
        o.noPublications = c.noPublications
        o.noSubscriptions = c.noSubscriptions
        o.noTableAccessMethod = c.noTableAccessMethod
        o.noToastCompression = c.noToastCompression
        o.noUnloggedTableData = c.noUnloggedTableData
        o.quoteAllIdentifiers = c.quoteAllIdentifiers
        o.useSetSessionAuth = c.useSetSessionAuthorization
        o.verbose = c.verbose
        o.noSync = c.noSync
        o.lockWaitTimeout = c.lockWaitTimeout
        o.encoding = c.encoding
        o.role = c.role
        o.excludeDatabasePatterns = excludedDatabases
        o.restrictKey = c.restrictKey
        o.resourceQueues = c.resourceQueues || c.gpSyntax
        o.resourceGroups = c.resourceGroups || c.gpSyntax
        o.gpSyntax = c.gpSyntax ? true : c.noGpSyntax ? false : nil

        var conn = ConnectionOptions()
        conn.connString = c.dbname
        conn.host = c.connection.host
        conn.port = c.connection.port
        conn.user = c.connection.username
        conn.database = c.database
        conn.prompt = c.connection.prompt

        let dump = ClusterDump(options: o, connection: conn) { level, message in
            switch level {
            case .info: printError("cbdumpall: \(message)\n")
            case .warning: printError("cbdumpall: warning: \(message)\n")
            case .detail: printError("cbdumpall: detail: \(message)\n")
            case .hint: printError("cbdumpall: hint: \(message)\n")
            }
        }
        try dump.connect()
        switch o.layout {
        case .script where o.scope == .cluster:
            let cbdump = try ClusterDump.siblingCBDump()
            let fd = try OutputFile.open(c.file, tool: "cbdumpall", mode: 0o600)
            OutputFile.exitOnTermination(tool: "cbdumpall")
            try dump.writeClusterScript(to: fd, cbdump: cbdump, dumpArguments: dumpArguments)
        case .script:
            let fd = try OutputFile.open(c.file, tool: "cbdumpall", mode: 0o600)
            try dump.writeScript(to: fd)
        case .directory:
            try dump.writeDirectory(c.file!)
        }
    }
}
