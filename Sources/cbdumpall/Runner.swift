import Console
import DumpAll
#if canImport(Glibc)
import Glibc
#endif

/// A mistake in the options, reported as pg_dumpall reports it.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    var hint = true
}

/// Checks the options as pg_dumpall's main() does, then dumps.
struct Runner {
    let c: CBDumpallCommand
    init(_ c: CBDumpallCommand) { self.c = c }

    func run() throws {
        if let first = c.extra.first {
            throw UsageError(description: "too many command-line arguments (first is \"\(first)\")")
        }
        if !c.excludeDatabase.isEmpty && (c.globalsOnly || c.rolesOnly || c.tablespacesOnly) {
            throw UsageError(description: "option --exclude-database cannot be used together with -g/--globals-only, -r/--roles-only, or -t/--tablespaces-only")
        }
        if c.globalsOnly && c.rolesOnly {
            throw UsageError(description: "options -g/--globals-only and -r/--roles-only cannot be used together")
        }
        if c.globalsOnly && c.tablespacesOnly {
            throw UsageError(description: "options -g/--globals-only and -t/--tablespaces-only cannot be used together")
        }
        if c.ifExists && !c.clean {
            throw UsageError(description: "option --if-exists requires option -c/--clean", hint: false)
        }
        if c.rolesOnly && c.tablespacesOnly {
            throw UsageError(description: "options -r/--roles-only and -t/--tablespaces-only cannot be used together")
        }

        var o = DumpAllOptions()
        o.scope = c.globalsOnly ? .globals : c.rolesOnly ? .roles : c.tablespacesOnly ? .tablespaces : .cluster
        switch (c.format ?? "p").lowercased() {
        case "p", "plain": o.layout = .script
        case "d", "directory", "c", "custom": o.layout = .directory
        default:
            throw UsageError(description: "invalid output format \"\(c.format ?? "")\" specified", hint: false)
        }
        if o.layout == .script && o.scope == .cluster {
            throw UsageError(description: "dumping the databases as plain SQL is not supported yet; use -g, -r or -t for the globals only, or -F d -f DIR for a directory with one custom-format archive per database", hint: false)
        }
        if o.layout == .directory && (c.file == nil || c.file == "-") {
            throw UsageError(description: "-F d needs the output directory: -f DIR")
        }
        o.clean = c.clean
        o.ifExists = c.ifExists
        o.dataOnly = c.dataOnly
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
        o.excludeDatabasePatterns = c.excludeDatabase
        o.restrictKey = c.restrictKey

        var conn = ConnectionOptions()
        conn.connString = c.dbname
        conn.host = c.host
        conn.port = c.port
        conn.user = c.username
        conn.database = c.database

        let dump = ClusterDump(options: o, connection: conn) { level, message in
            switch level {
            case .info: printError("cbdumpall: \(message)\n")
            case .warning: printError("cbdumpall: warning: \(message)\n")
            case .detail: printError("cbdumpall: detail: \(message)\n")
            }
        }
        try dump.connect()
        switch o.layout {
        case .script:
            let fd = try OutputFile.open(c.file, tool: "cbdumpall", mode: 0o600)
            try dump.writeScript(to: fd)
        case .directory:
            try dump.writeDirectory(c.file!)
        }
    }
}
