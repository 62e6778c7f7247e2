import ArgumentParser
import Console
import ToolCommand

/// cbdump's options, spelled as pg_dump spells them.
struct CBDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cbdump",
        abstract: "Dump a PostgreSQL or Cloudberry database into an archive that pg_restore and cbrestore read.",
        discussion: """
        Takes one consistent snapshot and writes it as a pg_dump archive (custom, directory or \
        tar format, version 1.14, readable by pg_restore 12 to 18) or as a plain SQL script, to \
        standard output or -f FILE (a directory with -Fd). Compressing with lz4 or zstd (-Z) \
        writes archive version 1.15, which only pg_restore 16 and later can read.
        """,
        version: ToolVersion.line(tool: "cbdump", replaces: "pg_dump"),
        helpNames: [.customLong("help")]
    )

    @Argument(help: "Database name or connection string.")
    var dbnameArg: String?

    // General options
    @Option(name: [.customShort("f"), .customLong("file")], help: "Output file name (- for stdout).")
    var file: String?
    @Option(name: [.customShort("F"), .customLong("format")], help: "Output file format: c (custom, the default), d (directory), t (tar), p (plain text).")
    var format: String?
    @Option(name: [.customShort("j"), .customLong("jobs")], parsing: .unconditional, help: "Use this many parallel jobs to dump (directory format only).")
    var jobs: String?
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Verbose mode.")
    var verbose = false
    @Option(name: [.customShort("Z"), .customLong("compress")], parsing: .unconditional, help: ArgumentHelp("Compress as specified: METHOD[:DETAIL], METHOD gzip, lz4, zstd or none, DETAIL a level or level=N and, for zstd, long; a bare 0-9 is a gzip level (0: none). lz4 and zstd write archive 1.15: pg_restore 16 or later only.", valueName: "METHOD[:DETAIL]"))
    var compress: String?
    @Option(name: .customLong("lock-wait-timeout"), help: "Fail after waiting TIMEOUT for a table lock.")
    var lockWaitTimeout: String?
    @Flag(name: .customLong("no-sync"), help: "Do not wait for changes to be written safely to disk.")
    var noSync = false
    /// Accepted only to be refused with a reason (pg_upgrade runs its own pg_dump).
    @Flag(name: .customLong("binary-upgrade"), help: .hidden)
    var binaryUpgrade = false
    @Option(name: .customLong("sync-method"), help: "Set method for syncing files to disk (fsync or syncfs).")
    var syncMethod: String?

    // Output content
    @Flag(name: [.customShort("a"), .customLong("data-only")], help: "Dump only the data, not the schema.")
    var dataOnly = false
    @Flag(name: [.customShort("b"), .customLong("large-objects"), .customLong("blobs")], help: "Include large objects in dump.")
    var blobs = false
    @Flag(name: [.customShort("B"), .customLong("no-large-objects"), .customLong("no-blobs")], help: "Exclude large objects in dump.")
    var noBlobs = false
    @Flag(name: .customLong("manifest"), help: "Also write FILE.manifest: each data entry's size and SHA-256, for cbrestore --verify.")
    var manifest = false
    @Flag(name: [.customShort("c"), .customLong("clean")], help: "Clean (drop) database objects before recreating.")
    var clean = false
    @Flag(name: [.customShort("C"), .customLong("create")], help: "Include commands to create database in dump.")
    var create = false
    @Option(name: [.customShort("E"), .customLong("encoding")], help: "Dump the data in encoding ENCODING.")
    var encoding: String?
    @Option(name: [.customShort("e"), .customLong("extension")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Dump the specified extension(s) only.", valueName: "pattern"))
    var includeExtension: [String] = []
    @Option(name: [.customShort("n"), .customLong("schema")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Dump the specified schema(s) only.", valueName: "pattern"))
    var schema: [String] = []
    @Option(name: [.customShort("N"), .customLong("exclude-schema")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Do NOT dump the specified schema(s).", valueName: "pattern"))
    var excludeSchema: [String] = []
    @Flag(name: [.customShort("O"), .customLong("no-owner")], help: "Skip restoration of object ownership.")
    var noOwner = false
    @Flag(name: [.customShort("s"), .customLong("schema-only")], help: "Dump only the schema, no data.")
    var schemaOnly = false
    @Option(name: [.customShort("S"), .customLong("superuser")], parsing: .unconditional, help: "Superuser user name to use in plain-text format.")
    var superuser: String?
    @Option(name: [.customShort("t"), .customLong("table")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Dump only the specified table(s).", valueName: "pattern"))
    var table: [String] = []
    @Option(name: [.customShort("T"), .customLong("exclude-table")], parsing: .unconditionalSingleValue, help: ArgumentHelp("Do NOT dump the specified table(s).", valueName: "pattern"))
    var excludeTable: [String] = []
    @Flag(name: [.customShort("x"), .customLong("no-privileges"), .customLong("no-acl")], help: "Do not dump privileges (grant/revoke).")
    var noPrivileges = false
    @Flag(name: .customLong("disable-triggers"), help: "Disable triggers during data-only restore (plain-text format).")
    var disableTriggers = false
    @Option(name: .customLong("exclude-extension"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Do NOT dump the specified extension(s).", valueName: "pattern"))
    var excludeExtension: [String] = []
    @Option(name: .customLong("exclude-table-data"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Do NOT dump data for the specified table(s).", valueName: "pattern"))
    var excludeTableData: [String] = []
    @Flag(name: .customLong("if-exists"), help: "Use IF EXISTS when dropping objects.")
    var ifExists = false
    @Flag(name: .customLong("no-comments"), help: "Do not dump comments.")
    var noComments = false
    @Flag(name: .customLong("no-publications"), help: "Do not dump publications.")
    var noPublications = false
    @Flag(name: .customLong("no-security-labels"), help: "Do not dump security label assignments.")
    var noSecurityLabels = false
    @Flag(name: .customLong("no-subscriptions"), help: "Do not dump subscriptions.")
    var noSubscriptions = false
    @Flag(name: .customLong("no-tablespaces"), help: "Do not dump tablespace assignments.")
    var noTablespaces = false
    @Flag(name: .customLong("no-table-access-method"), help: "Do not dump table access methods.")
    var noTableAccessMethod = false
    @Flag(name: .customLong("no-toast-compression"), help: "Do not dump TOAST compression methods.")
    var noToastCompression = false
    @Flag(name: .customLong("no-unlogged-table-data"), help: "Do not dump unlogged table data.")
    var noUnloggedTableData = false
    @Flag(name: .customLong("no-data"), help: "Do not dump data.")
    var noData = false
    @Flag(name: .customLong("no-schema"), help: "Do not dump schema.")
    var noSchema = false
    @Flag(name: .customLong("no-statistics"), help: "Do not dump statistics.")
    var noStatistics = false
    @Flag(name: .customLong("statistics"), help: "Dump the statistics (PostgreSQL 18 servers).")
    var statistics = false
    @Flag(name: .customLong("statistics-only"), help: "Dump only the statistics, not schema or data (PostgreSQL 18 servers).")
    var statisticsOnly = false
    @Flag(name: .customLong("no-policies"), help: "Do not dump row security policies.")
    var noPolicies = false
    @Flag(name: .customLong("sequence-data"), help: "Include sequence data in dump.")
    var sequenceData = false
    @Flag(name: .customLong("quote-all-identifiers"), help: "Quote all identifiers, even if not key words.")
    var quoteAllIdentifiers = false
    @Option(name: .customLong("restrict-key"), parsing: .unconditional, help: "Use provided string as psql \\restrict key (plain-text format).")
    var restrictKey: String?
    @Option(name: .customLong("section"), help: "Dump named section (pre-data, data, or post-data).")
    var section: [String] = []
    @Flag(name: .customLong("serializable-deferrable"), help: "Wait until the dump can run without anomalies.")
    var serializableDeferrable = false
    @Option(name: .customLong("snapshot"), help: "Use given snapshot for the dump.")
    var snapshot: String?
    @Flag(name: .customLong("strict-names"), help: "Require table and/or schema include patterns to match at least one entity each.")
    var strictNames = false
    @Flag(name: .customLong("use-set-session-authorization"), help: "Use SET SESSION AUTHORIZATION commands instead of ALTER OWNER commands to set ownership.")
    var useSetSessionAuthorization = false
    @Flag(name: .customLong("enable-row-security"), help: "Enable row security (dump only content user has access to).")
    var enableRowSecurity = false
    @Flag(name: .customLong("gp-syntax"), help: "Dump with Greenplum/Cloudberry syntax (DISTRIBUTED, append-optimized storage, ...): the default on an MPP server.")
    var gpSyntax = false
    @Flag(name: .customLong("no-gp-syntax"), help: "Dump without Greenplum/Cloudberry syntax, for a restore into PostgreSQL.")
    var noGpSyntax = false
    @Option(name: .customLong("archive-version"), help: ArgumentHelp("archive version to write: 1.14 (pg_restore 12 to 15, Greenplum and Cloudberry), 1.15 (16) or 1.16 (17 and later); default: what the server's own pg_dump writes.", valueName: "VERSION"))
    var archiveVersion: String?

    @Option(name: .customLong("compress-jobs"), help: ArgumentHelp("gzip and zstd: compress each table's stream on N threads (default: the number of cores; 1: zlib's single-threaded stream, byte for byte pg_dump's).", valueName: "N"))
    var compressJobs: String?
    @Option(name: .customLong("progress"), help: ArgumentHelp("Show progress on standard error: --progress (a bar, the default on a terminal) or --progress=json (one object per second).", valueName: "bar|json"))
    var progress: String?
    @Flag(name: .customLong("no-progress"), help: "Show no progress, even on a terminal.")
    var noProgress = false

    // Data as INSERT statements, row subsets, and the rest of pg_dump's content options.
    // Options whose order matters (patterns, --filter, the numbers checked as they are met)
    // are read again from the command line in order (OptionOrder.swift).
    @Flag(name: .customLong("inserts"), help: "Dump data as INSERT commands, rather than COPY.")
    var inserts = false
    @Flag(name: [.customLong("column-inserts"), .customLong("attribute-inserts")], help: "Dump data as INSERT commands with column names.")
    var columnInserts = false
    @Option(name: .customLong("rows-per-insert"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Number of rows per INSERT; implies --inserts.", valueName: "nrows"))
    var rowsPerInsert: [String] = []
    @Flag(name: .customLong("on-conflict-do-nothing"), help: "Add ON CONFLICT DO NOTHING to INSERT commands.")
    var onConflictDoNothing = false
    @Flag(name: .customLong("disable-dollar-quoting"), help: "Disable dollar quoting, use SQL standard quoting.")
    var disableDollarQuoting = false
    @Option(name: .customLong("extra-float-digits"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Override default setting for extra_float_digits.", valueName: "num"))
    var extraFloatDigits: [String] = []
    @Option(name: .customLong("table-and-children"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Dump only the specified table(s), including child and partition tables.", valueName: "pattern"))
    var tableAndChildren: [String] = []
    @Option(name: .customLong("exclude-table-and-children"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Do NOT dump the specified table(s), including child and partition tables.", valueName: "pattern"))
    var excludeTableAndChildren: [String] = []
    @Option(name: .customLong("exclude-table-data-and-children"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Do NOT dump data for the specified table(s), including child and partition tables.", valueName: "pattern"))
    var excludeTableDataAndChildren: [String] = []
    @Option(name: .customLong("filter"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Include or exclude objects and data from dump based on expressions in FILENAME.", valueName: "filename"))
    var filter: [String] = []
    @Option(name: .customLong("include-foreign-data"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Include data of foreign tables on foreign servers matching PATTERN.", valueName: "pattern"))
    var includeForeignData: [String] = []
    @Flag(name: .customLong("load-via-partition-root"), help: "Load partitions via the root table.")
    var loadViaPartitionRoot = false
    @Option(name: .customLong("where"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Dump only the rows of TABLE for which CONDITION is true (repeatable; no pg_dump has it).", valueName: "[schema.]table:condition"))
    var whereClauses: [String] = []

    // Connection options
    @Option(name: [.customShort("d"), .customLong("dbname")], help: "Database to dump.")
    var dbname: String?
    @OptionGroup var connection: ConnectionArguments
    @Option(name: .customLong("role"), help: "Do SET ROLE before dump.")
    var role: String?
}

extension CBDumpCommand {
    /// getopt_long's reading of cbdump's command line: the options declared above (the one
    /// table of which take a value), and --progress's optional value. main.swift normalises
    /// the words with it; OptionOrder.swift reads them again in order.
    static let getopt = Getopt(dumpHelp: CBDumpCommand._dumpHelp(), optionalValues: ["progress": ["bar", "json"]])
}
