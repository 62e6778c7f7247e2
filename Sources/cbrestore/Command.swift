import ArgumentParser
import Console
import ToolCommand

/// cbrestore's options, spelled as pg_restore spells them.
struct CBRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cbrestore",
        abstract: "Restore a PostgreSQL or Cloudberry database from an archive created by pg_dump or cbdump.",
        discussion: """
        Reads custom (-Fc), directory (-Fd) and tar (-Ft) archives of versions 1.0 to 1.16, \
        compressed with gzip, lz4, zstd or not at all, from a file or standard input. \
        Without -d it writes the SQL script pg_restore would write (-f - for standard output).
        """,
        version: ToolVersion.line(tool: "cbrestore", replaces: "pg_restore"),
        helpNames: [.customLong("help")]
    )

    @Argument(help: "The archive (file or directory); standard input when omitted.")
    var archive: String?

    // General options
    @Option(name: [.customShort("d"), .customLong("dbname")], help: "Connect to database NAME (restore into a live database).")
    var dbname: String?
    @Option(name: [.customShort("f"), .customLong("file")], help: "Output file name (- for stdout).")
    var file: String?
    @Option(name: [.customShort("F"), .customLong("format")], help: "Archive format: c, d or t (normally detected).")
    var format: String?
    @Option(name: .customLong("progress"), help: ArgumentHelp("With -d: show progress on standard error: --progress (a bar, the default on a terminal) or --progress=json (one object per second).", valueName: "bar|json"))
    var progress: String?
    @Flag(name: .customLong("no-progress"), help: "Show no progress, even on a terminal.")
    var noProgress = false
    @Flag(name: .customLong("verify"), help: "Read and check every data entry (and ARCHIVE.manifest when present); restore nothing.")
    var verify = false
    @Flag(name: [.customShort("l"), .customLong("list")], help: "Print a summarized TOC of the archive.")
    var list = false
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Verbose mode.")
    var verbose = false

    // Options controlling the restore
    @Flag(name: [.customShort("a"), .customLong("data-only")], help: "Restore only the data, no schema.")
    var dataOnly = false
    @Flag(name: [.customShort("c"), .customLong("clean")], help: "Clean (drop) database objects before recreating.")
    var clean = false
    @Flag(name: [.customShort("C"), .customLong("create")], help: "Create the target database.")
    var create = false
    @Flag(name: [.customShort("e"), .customLong("exit-on-error")], help: "Exit on error, default is to continue.")
    var exitOnError = false
    @Option(name: [.customShort("I"), .customLong("index")], help: "Restore named index.")
    var index: [String] = []
    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Use this many parallel jobs to restore.")
    var jobs: String?
    @Option(name: [.customShort("L"), .customLong("use-list")], help: "Use table of contents from this file for selecting/ordering output.")
    var useList: String?
    @Option(name: [.customShort("n"), .customLong("schema")], help: "Restore only objects in this schema.")
    var schema: [String] = []
    @Option(name: [.customShort("N"), .customLong("exclude-schema")], help: "Do not restore objects in this schema.")
    var excludeSchema: [String] = []
    @Flag(name: [.customShort("O"), .customLong("no-owner")], help: "Skip restoration of object ownership.")
    var noOwner = false
    @Option(name: [.customShort("P"), .customLong("function")], help: "Restore named function, e.g. 'add1(integer)'.")
    var function: [String] = []
    @Flag(name: [.customShort("s"), .customLong("schema-only")], help: "Restore only the schema, no data.")
    var schemaOnly = false
    @Option(name: [.customShort("S"), .customLong("superuser")], help: "Superuser user name to use for disabling triggers.")
    var superuser: String?
    @Option(name: [.customShort("t"), .customLong("table")], help: "Restore named relation (table, view, sequence, ...).")
    var table: [String] = []
    @Option(name: [.customShort("T"), .customLong("trigger")], help: "Restore named trigger.")
    var trigger: [String] = []
    @Flag(name: [.customShort("x"), .customLong("no-privileges"), .customLong("no-acl")], help: "Skip restoration of access privileges (grant/revoke).")
    var noPrivileges = false
    @Flag(name: [.customShort("1"), .customLong("single-transaction")], help: "Restore as a single transaction.")
    var singleTransaction = false
    @Flag(name: .customLong("disable-triggers"), help: "Disable triggers during data-only restore.")
    var disableTriggers = false
    @Flag(name: .customLong("enable-row-security"), help: "Enable row security.")
    var enableRowSecurity = false
    @Flag(name: .customLong("if-exists"), help: "Use IF EXISTS when dropping objects.")
    var ifExists = false
    @Flag(name: .customLong("no-comments"), help: "Do not restore comments.")
    var noComments = false
    @Flag(name: .customLong("no-data-for-failed-tables"), help: "Do not restore data of tables that could not be created.")
    var noDataForFailedTables = false
    @Flag(name: .customLong("no-publications"), help: "Do not restore publications.")
    var noPublications = false
    @Flag(name: .customLong("no-security-labels"), help: "Do not restore security labels.")
    var noSecurityLabels = false
    @Flag(name: .customLong("no-subscriptions"), help: "Do not restore subscriptions.")
    var noSubscriptions = false
    @Flag(name: .customLong("no-table-access-method"), help: "Do not restore table access methods.")
    var noTableAccessMethod = false
    @Flag(name: .customLong("no-gp-syntax"), help: "Leave out Greenplum/Cloudberry syntax (DISTRIBUTED, append-optimized storage, column encodings, MPP-only objects), to restore an MPP archive into PostgreSQL.")
    var noGpSyntax = false
    @Flag(name: .customLong("globals"), help: "gpbackup sets: also restore the global objects (roles, resource queues and groups, tablespaces; the database itself with -C).")
    var globals = false
    @Flag(name: .customLong("no-tablespaces"), help: "Do not restore tablespace assignments.")
    var noTablespaces = false
    @Flag(name: .customLong("no-policies"), help: "Do not restore row security policies (as pg_restore 18).")
    var noPolicies = false
    @Flag(name: .customLong("no-statistics"), help: "Do not restore statistics (as pg_restore 18).")
    var noStatistics = false
    @Flag(name: .customLong("statistics"), help: "Restore the statistics (as pg_restore 18).")
    var statistics = false
    @Flag(name: .customLong("statistics-only"), help: "Restore only the statistics, not schema or data (as pg_restore 18).")
    var statisticsOnly = false
    @Flag(name: .customLong("no-data"), help: "Do not restore data (as pg_restore 18).")
    var noData = false
    @Flag(name: .customLong("no-schema"), help: "Do not restore schema (as pg_restore 18).")
    var noSchema = false
    @Option(name: .customLong("filter"), help: ArgumentHelp("Restore or skip objects based on expressions in FILENAME (as pg_restore 17).", valueName: "FILENAME"))
    var filter: [String] = []
    @Option(name: .customLong("restrict-key"), help: "Use this string as the psql \\restrict key.")
    var restrictKey: String?
    @Option(name: .customLong("section"), help: "Restore named section (pre-data, data, or post-data).")
    var section: [String] = []
    @Flag(name: .customLong("strict-names"), help: "Require each -n/-t/-I/-P/-T name to match at least one entry.")
    var strictNames = false
    @Option(name: .customLong("transaction-size"), help: "Commit after every N objects (as pg_restore 17).")
    var transactionSize: String?
    @Flag(name: .customLong("use-set-session-authorization"), help: "Use SET SESSION AUTHORIZATION instead of ALTER OWNER.")
    var useSetSessionAuthorization = false
    @Option(name: .customLong("compat-version"), help: "The pg_restore major whose output to reproduce (15-18; default: the archive's era).")
    var compatVersion: Int?

    // Connection options
    @OptionGroup var connection: ConnectionArguments
    @Option(name: .customLong("role"), help: "Do SET ROLE before restore.")
    var role: String?
}
