/// What to dump: pg_dump's DumpOptions, as the catalog readers and DDL makers consult it.
public struct DumpOptions: Sendable {
    public init() {}

    // Contents.
    public var dumpSchema = true      // false with -a
    public var dumpData = true        // false with -s
    /// pg_dump 18's statistics (--statistics, --statistics-only): off by default.
    public var dumpStatistics = false
    public var sections: Set<SectionName> = [.preData, .data, .postData]
    /// No -n/-t/-e style restriction was given (pg_dump's include_everything).
    public var includeEverything = true
    public var outputBlobs = false     // -b
    public var dontOutputBlobs = false // -B
    public var outputClean = false     // -c
    public var ifExists = false
    public var outputCreateDB = false  // -C
    public var outputNoOwner = false   // -O
    public var aclsSkip = false        // -x
    public var noComments = false
    public var noSecurityLabels = false
    public var noPublications = false
    public var noSubscriptions = false
    public var noTablespaces = false
    public var noTableAccessMethod = false
    public var noToastCompression = false
    public var noUnloggedTableData = false
    public var useSetSessionAuth = false
    public var disableTriggers = false
    public var disableDollarQuoting = false
    public var dumpInserts = 0          // rows per INSERT; 0 = COPY
    public var columnInserts = false
    public var onConflictDoNothing = false
    public var enableRowSecurity = false
    public var loadViaPartitionRoot = false
    public var quoteAllIdentifiers = false
    public var sequenceData = false     // set when any data is dumped
    public var strictNames = false
    /// --no-policies (pg_dump 18): no row security policies.
    public var noPolicies = false
    /// --lock-wait-timeout, as given.
    public var lockWaitTimeout: String? = nil

    // Selections, resolved to OIDs before the catalog is read.
    public var includedSchemas: Set<UInt32> = []
    public var excludedSchemas: Set<UInt32> = []
    public var includedTables: Set<UInt32> = []
    public var excludedTables: Set<UInt32> = []
    public var excludedTableData: Set<UInt32> = []
    public var includedExtensions: Set<UInt32> = []
    public var excludedExtensions: Set<UInt32> = []
    /// Foreign servers whose foreign tables' data is dumped (--include-foreign-data).
    public var includedForeignServers: Set<UInt32> = []
    /// Row subsets (--where): by table OID, the predicates its rows must all satisfy. A
    /// partitioned table's predicates apply to its partitions' data.
    public var rowFilters: [UInt32: [String]] = [:]
    /// Whether -n / -t / -e were given at all (an empty match set still restricts).
    public var haveSchemaPatterns = false
    public var haveTablePatterns = false
    public var haveExtensionPatterns = false

    /// pg_dump's dumper behaviour to reproduce (its major version): output details that
    /// changed between pg_dump releases follow this.
    public var dumperMajor = 15

    /// Whether large objects are dumped grouped, pg_dump 17's way (BLOB METADATA entries of
    /// up to 1000 objects, each with its BLOBS entry; large objects in the data section).
    /// Only archive 1.16 can hold that: the writer's version decides (cbdump sets it), and
    /// older archives get one BLOB entry per object and one BLOBS entry, sorted as pg_dump 16
    /// sorts them, whatever `dumperMajor` is. Keys every large-object difference between the
    /// two styles.
    public var groupedLargeObjects = false
}

/// The three restorable sections, as --section names them.
public enum SectionName: String, Sendable, Hashable {
    case preData = "pre-data", data = "data", postData = "post-data"
}
