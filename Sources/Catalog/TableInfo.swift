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
