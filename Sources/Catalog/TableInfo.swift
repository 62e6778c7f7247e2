/// A relation pg_dump dumps as a table-like object: table, view, materialized view,
/// sequence, foreign table, partitioned table, composite type's relation (pg_dump's TableInfo).
public final class TableInfo: DumpableObjectWithAcl {
    public var ownerName = ""
    /// pg_class.relkind: r, v, m, S, f, p, c.
    public var relkind: Character = "r"
    public var relpersistence: Character = "p"
    public var relispopulated = true
    public var relreplident: Character = "d"
    public var reltablespace = ""
    public var reloptions = ""
    public var toastReloptions = ""
    public var checkoption: String? = nil
    public var amname: String? = nil
    public var reloftype: UInt32 = 0
    public var reltype: UInt32 = 0
    public var hasindex = false
    public var hasrules = false
    public var hastriggers = false
    public var rowsec = false
    public var forcerowsec = false
    public var ispartition = false
    public var partkeydef: String? = nil
    public var partbound: String? = nil
    public var relpages = 0
    /// pg_class.reltuples: the planner's row estimate (-1 or 0 when never analyzed).
    public var reltuples: Double = -1
    /// A materialized view's statistics object (pg_dump 18 --statistics), which goes after
    /// the view's data.
    public var stats: RelStatsInfo? = nil
    /// Set for tables whose columns etc. must be read (dumped, or parents of dumped tables).
    public var interesting = false
    public var dummyView = false
    public var postponedDef = false
    public var isIdentitySequence = false
    /// For a sequence owned by a column: the owning table's OID and the column number.
    public var owningTab: UInt32 = 0
    public var owningCol = 0
    public var parents: [TableInfo] = []
    /// The TABLE DATA / SEQUENCE SET object, when data is dumped.
    public var dataObj: DumpableObject? = nil
    /// The table's indexes, in name order (getIndexes).
    public var indexes: [IndxInfo] = []
    public var ncheck = 0
    public var toastpages = 0
    public var foreignServer: UInt32 = 0
    public var hascolumnACLs = false
    /// Partitioned tables whose partitions must be loaded through the root (unsafe keys).
    public var unsafePartitions = false

    // Columns, read by getTableAttrs for interesting tables; index i is attnum i+1 among
    // the non-dropped and dropped columns pg_dump keeps (it drops nothing but system ones).
    public var attnames: [String] = []
    public var atttypnames: [String] = []
    public var attstattarget: [Int] = []
    public var attstorage: [Character] = []
    public var typstorage: [Character] = []
    public var attisdropped: [Bool] = []
    public var attidentity: [Character] = []
    public var attgenerated: [Character] = []
    public var attlen: [Int] = []
    public var attalign: [Character] = []
    public var attislocal: [Bool] = []
    public var attoptions: [String] = []
    public var attcollation: [UInt32] = []
    public var attcompression: [Character] = []
    public var attfdwoptions: [String] = []
    public var attmissingval: [String] = []
    /// NOT NULL as pg_dump 15 reads it (pg_attribute.attnotnull).
    public var notnull: [Bool] = []
    /// NOT NULL inherited from a parent, so not to be repeated for the child.
    public var inhNotNull: [Bool] = []
    /// Server 18+ (named NOT NULL constraints, pg_dump 18's bookkeeping), by column:
    /// nil = no valid constraint, "" = print a bare NOT NULL, else the name to print.
    public var notnullConstrs: [String?] = []
    public var notnullComment: [String?] = []
    /// The column's NOT NULL is NOT VALID: it is its own constraint object, dumped after the data.
    public var notnullInvalid: [Bool] = []
    public var notnullNoInherit: [Bool] = []
    /// Defined on this table rather than only inherited (flagInhAttrs may change it).
    public var notnullIsLocal: [Bool] = []
    /// Column defaults (AttrDefInfo), by column index.
    public var attrdefs: [AttrDefInfo?] = []
    /// CHECK constraints, in pg_dump's order (by name).
    public var checkexprs: [ConstraintInfo] = []

    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.table, catId: catId, name: name, namespace: namespace)
    }
}

/// A table, domain or NOT NULL constraint, or an index-backed one (pg_dump's ConstraintInfo).
public final class ConstraintInfo: DumpableObject {
    /// The table it constrains (nil for a domain constraint).
    public var contable: TableInfo? = nil
    /// The domain it constrains (a TypeInfo; nil for a table constraint).
    public var condomain: DumpableObject? = nil
    /// c (check), f (foreign key), p, u, x (index-backed), n (NOT NULL, 18+).
    public var contype: Character = "c"
    public var condef: String? = nil
    public var confrelid: UInt32 = 0
    /// The index (its dump ID) behind a p/u/x constraint.
    public var conindex: DumpId = 0
    public var condeferrable = false
    public var condeferred = false
    public var conperiod = false
    public var conislocal = true
    /// Dumped as a separate ALTER ... ADD CONSTRAINT (NOT VALID checks, loop breaking).
    public var separate = false

    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?, type: ObjectType = .constraint) {
        super.init(type, catId: catId, name: name, namespace: namespace)
    }
}

/// A column default (pg_attrdef), dumped inline with the table or separately.
public final class AttrDefInfo: DumpableObject {
    public unowned let adtable: TableInfo
    public let adnum: Int
    public var adefSrc: String
    /// Dumped as ALTER TABLE ... ALTER COLUMN ... SET DEFAULT (views, loops).
    public var separate = false

    public init(catId: CatalogId, table: TableInfo, adnum: Int, source: String) {
        self.adtable = table
        self.adnum = adnum
        self.adefSrc = source
        super.init(.attrDef, catId: catId, name: table.name, namespace: table.namespace)
        sortKey = .attrDef(adnum: adnum)
    }
}

/// ALTER TABLE ... ATTACH PARTITION (pg_dump's TableAttachInfo).
public final class TableAttachInfo: DumpableObject {
    public unowned let parentTbl: TableInfo
    public unowned let partitionTbl: TableInfo
    public init(parent: TableInfo, partition: TableInfo) {
        self.parentTbl = parent
        self.partitionTbl = partition
        super.init(.tableAttach, catId: .none, name: partition.name, namespace: partition.namespace)
    }
}

