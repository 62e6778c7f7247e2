import Archive
import Console

/// What pg_restore's options select and how they shape the output. Names are raw bytes,
/// compared byte for byte with TOC tags and namespaces, as pg_restore does.
public struct RestoreOptions: Sendable {
    public enum SectionSet: Sendable { case preData, data, postData }

    public var schemaOnly = false
    public var dataOnly = false
    /// pg_restore 18's --no-schema, --no-data, --statistics-only and --statistics.
    public var noSchema = false
    public var noData = false
    public var statisticsOnly = false
    public var withStatistics = false
    /// What is restored, derived as pg_restore 18 derives it (an "-only" option narrows, a
    /// "no-" option takes away); for older majors -s and -a alone decide, to the same effect.
    public var dumpSchema: Bool { ((!dataOnly && !statisticsOnly) || schemaOnly) && !noSchema }
    public var dumpData: Bool { ((!schemaOnly && !statisticsOnly) || dataOnly) && !noData }
    public var dumpStatistics: Bool { ((!schemaOnly && !dataOnly) || statisticsOnly || withStatistics) && !noStatistics }
    public var sections: Set<SectionSet> = [.preData, .data, .postData]
    public var schemaNames: [[UInt8]] = []
    public var excludeSchemaNames: [[UInt8]] = []
    public var tableNames: [[UInt8]] = []
    public var indexNames: [[UInt8]] = []
    public var functionNames: [[UInt8]] = []
    public var triggerNames: [[UInt8]] = []
    public var selTable = false, selIndex = false, selFunction = false, selTrigger = false
    /// `-L`: the use-list file.
    public var useListFile: String?
    public var noOwner = false
    public var aclsSkip = false
    public var noComments = false
    public var noPublications = false
    public var noSubscriptions = false
    public var noSecurityLabels = false
    public var noTablespaces = false
    public var noTableAccessMethod = false
    public var noPolicies = false
    public var noStatistics = false
    public var dropSchema = false
    public var ifExists = false
    public var createDB = false
    /// pg_dump -Fp --quote-all-identifiers: the script's own names (ALTER ... OWNER TO,
    /// \connect, SET default_table_access_method) are quoted as well.
    public var quoteAllIdentifiers = false
    public var singleTransaction = false
    /// --transaction-size N (pg_restore 17): commit after every N objects; 0 = off.
    public var transactionSize = 0
    public var disableTriggers = false
    public var useSetSessionAuthorization = false
    public var superuser: [UInt8]?
    public var role: [UInt8]?
    public var enableRowSecurity = false
    public var restrictKey: String?
    public var verbose = false
    public var strictNames = false
    /// Live restore: skip a table's data when its CREATE failed.
    public var noDataForFailedTables = false
    /// The pg_restore major whose output is reproduced (15 to 18).
    public var compatMajor = 15
    /// --no-gp-syntax: take the Greenplum/Cloudberry clauses out of the entries (and leave
    /// out MPP-only entries), so that an MPP archive restores into PostgreSQL.
    public var noGpSyntax = false
    /// Start the script with `SET gp_default_storage_options = '';`, as the MPP forks'
    /// pg_restore does, so that the target's default storage does not turn heap tables into
    /// append-optimized ones. Only for MPP archives going to an MPP target (or a script).
    public var gpStoragePreamble = false

    public init() {}
}

/// pg_restore's REQ_* bits for one entry (the archiver's, shared with cbdump).
public typealias Reqs = EntryReqs

/// A failure of the restore itself (bad options, bad use-list, missing names): the tools'
/// one error type, under pg_restore's name for the module's callers.
public typealias RestoreError = ToolError
