import ArgumentParser
import Console
import ToolCommand

/// cbdumpall's options, spelled as pg_dumpall spells them.
struct CBDumpallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cbdumpall",
        abstract: "Dump a PostgreSQL or Cloudberry cluster's roles, tablespaces and databases.",
        discussion: """
        With -g, -r or -t, writes the SQL script pg_dumpall writes (roles, memberships, \
        parameter privileges, tablespaces) to standard output or -f FILE. With -F d (or -F c), \
        writes the directory -f DIR: the globals script, one custom-format archive per \
        database and an index. Without either, writes the whole cluster as one SQL script, as \
        pg_dumpall does: the globals, then every database as cbdump -Fp (the cbdump installed \
        beside cbdumpall) prints it.
        """,
        version: ToolVersion.line(tool: "cbdumpall", replaces: "pg_dumpall"),
        helpNames: [.customLong("help")]
    )

    // General options
    @Option(name: [.customShort("f"), .customLong("file")], help: "Output file name, or the directory with -F d.")
    var file: String?
    @Option(name: [.customShort("F"), .customLong("format")], help: "Output format: p (plain SQL, the default), d or c (a directory of custom archives).")
    var format: String?
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Verbose mode.")
    var verbose = false
    @Option(name: .customLong("lock-wait-timeout"), help: "Fail after waiting TIMEOUT for a table lock.")
    var lockWaitTimeout: String?

    // Output content
    @Flag(name: [.customShort("a"), .customLong("data-only")], help: "Dump only the data, not the schema (no globals).")
    var dataOnly = false
    @Flag(name: [.customShort("c"), .customLong("clean")], help: "Clean (drop) databases before recreating.")
    var clean = false
    @Option(name: [.customShort("E"), .customLong("encoding")], help: "Dump the data in encoding ENCODING.")
    var encoding: String?
    @Flag(name: [.customShort("g"), .customLong("globals-only")], help: "Dump only global objects, no databases.")
    var globalsOnly = false
    @Flag(name: [.customShort("O"), .customLong("no-owner")], help: "Skip restoration of object ownership.")
    var noOwner = false
    @Flag(name: [.customShort("r"), .customLong("roles-only")], help: "Dump only roles, no databases or tablespaces.")
    var rolesOnly = false
    @Flag(name: [.customShort("s"), .customLong("schema-only")], help: "Dump only the schema, no data.")
    var schemaOnly = false
    @Flag(name: [.customShort("t"), .customLong("tablespaces-only")], help: "Dump only tablespaces, no databases or roles.")
    var tablespacesOnly = false
    @Flag(name: [.customShort("x"), .customLong("no-privileges"), .customLong("no-acl")], help: "Do not dump privileges (grant/revoke).")
    var noPrivileges = false
    @Option(name: .customLong("exclude-database"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Exclude databases whose name matches PATTERN.", valueName: "pattern"))
    var excludeDatabase: [String] = []
    @Option(name: .customLong("filter"), help: ArgumentHelp("Exclude databases based on expressions in FILENAME (as pg_dumpall 17: \"exclude database PATTERN\" lines).", valueName: "FILENAME"))
    var filter: [String] = []
    @Flag(name: .customLong("if-exists"), help: "Use IF EXISTS when dropping objects.")
    var ifExists = false
    @Flag(name: .customLong("no-comments"), help: "Do not dump comments.")
    var noComments = false
    @Flag(name: .customLong("no-publications"), help: "Do not dump publications.")
    var noPublications = false
    @Flag(name: .customLong("no-role-passwords"), help: "Do not dump passwords for roles.")
    var noRolePasswords = false
    @Flag(name: .customLong("no-security-labels"), help: "Do not dump security label assignments.")
    var noSecurityLabels = false
    @Flag(name: .customLong("no-subscriptions"), help: "Do not dump subscriptions.")
    var noSubscriptions = false
    @Flag(name: .customLong("no-sync"), help: "Do not wait for changes to be written safely to disk.")
    var noSync = false
    /// Accepted only to be refused with a reason (pg_upgrade runs its own pg_dump).
    @Flag(name: .customLong("binary-upgrade"), help: .hidden)
    var binaryUpgrade = false
    @Flag(name: .customLong("no-table-access-method"), help: "Do not dump table access methods.")
    var noTableAccessMethod = false
    @Flag(name: .customLong("no-tablespaces"), help: "Do not dump tablespace assignments.")
    var noTablespaces = false
    @Flag(name: .customLong("no-toast-compression"), help: "Do not dump TOAST compression methods.")
    var noToastCompression = false
    @Flag(name: .customLong("no-unlogged-table-data"), help: "Do not dump unlogged table data.")
    var noUnloggedTableData = false
    @Flag(name: .customLong("quote-all-identifiers"), help: "Quote all identifiers, even if not key words.")
    var quoteAllIdentifiers = false
    @Option(name: .customLong("restrict-key"), help: "Use the given string as the psql \\restrict key.")
    var restrictKey: String?
    @Option(name: [.customShort("S"), .customLong("superuser")], help: "Superuser user name to use in the dump.")
    var superuser: String?
    @Flag(name: [.customLong("column-inserts"), .customLong("attribute-inserts")], help: "Dump data as INSERT commands with column names.")
    var columnInserts = false
    @Flag(name: .customLong("disable-dollar-quoting"), help: "Disable dollar quoting, use SQL standard quoting.")
    var disableDollarQuoting = false
    @Flag(name: .customLong("disable-triggers"), help: "Disable triggers during data-only restore.")
    var disableTriggers = false
    @Option(name: .customLong("extra-float-digits"), help: ArgumentHelp("Override default setting for extra_float_digits.", valueName: "num"))
    var extraFloatDigits: String?
    @Flag(name: .customLong("inserts"), help: "Dump data as INSERT commands, rather than COPY.")
    var inserts = false
    @Flag(name: .customLong("load-via-partition-root"), help: "Load partitions via the root table.")
    var loadViaPartitionRoot = false
    @Flag(name: .customLong("no-data"), help: "Do not dump data (pg_dumpall 18).")
    var noData = false
    @Flag(name: .customLong("no-policies"), help: "Do not dump row security policies (pg_dumpall 18).")
    var noPolicies = false
    @Flag(name: .customLong("no-schema"), help: "Do not dump schema (pg_dumpall 18).")
    var noSchema = false
    @Flag(name: .customLong("statistics"), help: "Dump the statistics (pg_dumpall 18; passed to cbdump).")
    var statistics = false
    @Flag(name: .customLong("no-statistics"), help: "Do not dump statistics (pg_dumpall 18; passed to cbdump).")
    var noStatistics = false
    @Flag(name: .customLong("statistics-only"), help: "Dump only the statistics, not schema or data (pg_dumpall 18; no globals).")
    var statisticsOnly = false
    @Flag(name: .customLong("on-conflict-do-nothing"), help: "Add ON CONFLICT DO NOTHING to INSERT commands.")
    var onConflictDoNothing = false
    @Option(name: .customLong("rows-per-insert"), help: ArgumentHelp("Number of rows per INSERT; implies --inserts.", valueName: "nrows"))
    var rowsPerInsert: String?
    @Flag(name: .customLong("sequence-data"), help: "Include sequence data in dump (pg_dumpall 18).")
    var sequenceData = false
    @Flag(name: .customLong("use-set-session-authorization"), help: "Use SET SESSION AUTHORIZATION commands instead of ALTER OWNER commands to set ownership.")
    var useSetSessionAuthorization = false

    // Greenplum / Cloudberry options, as the fork's pg_dumpall has them.
    @Flag(name: .customLong("resource-queues"), help: "Greenplum/Cloudberry: dump resource queues and the roles' RESOURCE QUEUE.")
    var resourceQueues = false
    @Flag(name: .customLong("resource-groups"), help: "Greenplum/Cloudberry: dump resource groups and the roles' RESOURCE GROUP.")
    var resourceGroups = false
    @Flag(name: .customLong("gp-syntax"), help: "Dump with Greenplum/Cloudberry syntax (the default on such a server); implies --resource-queues and --resource-groups.")
    var gpSyntax = false
    @Flag(name: .customLong("no-gp-syntax"), help: "Dump the databases without the MPP clauses (DISTRIBUTED BY, storage options, ...).")
    var noGpSyntax = false

    // Connection options
    @Option(name: [.customShort("d"), .customLong("dbname")], help: "Connect using connection string CONNSTR.")
    var dbname: String?
    @Option(name: [.customShort("l"), .customLong("database")], help: "Alternative default database.")
    var database: String?
    @OptionGroup var connection: ConnectionArguments
    @Option(name: .customLong("role"), help: "Do SET ROLE before dump.")
    var role: String?

    /// Anything left over: pg_dumpall takes no arguments.
    @Argument(help: .hidden)
    var extra: [String] = []
}
