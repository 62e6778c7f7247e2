import PostgresClient

/// Catalog table OIDs that pg_dump's lookups use (they are fixed in every server version).
public enum CatalogTable {
    public static let pgClass: UInt32 = 1259
    public static let pgType: UInt32 = 1247
    public static let pgProc: UInt32 = 1255
    public static let pgNamespace: UInt32 = 2615
    public static let pgOperator: UInt32 = 2617
    public static let pgExtension: UInt32 = 3079
    public static let pgCollation: UInt32 = 3456
    public static let pgConstraint: UInt32 = 2606
    public static let pgLargeObjectMetadata: UInt32 = 2995
    /// pg_largeobject: the class large objects' comments, labels and dump IDs are keyed by.
    public static let pgLargeObject: UInt32 = 2613
    public static let pgOpclass: UInt32 = 2616
    public static let pgOpfamily: UInt32 = 2753
    public static let pgAm: UInt32 = 2601
    public static let pgDatabase: UInt32 = 1262
    public static let pgPublication: UInt32 = 6104
    public static let pgSubscription: UInt32 = 6100
}

/// Every dumpable object of one dump, by dump ID and by catalog ID (pg_dump's common.c).
public final class DumpCatalog {
    /// Objects by dump ID; nil for IDs handed out without an object (comments, ACLs).
    private var byDumpId: [DumpableObject?] = [nil]
    private var byCatId: [CatalogId: DumpableObject] = [:]
    /// pg_roles: OID to name, read once (pg_dump's getRoleName).
    public var roleNames: [UInt32: String] = [:]
    /// pg_depend deptype 'e': the extension owning each member object (getExtensionMembership).
    public var extensionMembers: [CatalogId: ExtensionInfo] = [:]
    /// pg_description rows of known objects, each object's rows in objsubid order (collectComments).
    public var comments: [CatalogId: [CommentItem]] = [:]
    /// pg_seclabels rows of known objects, in objsubid order (collectSecLabels).
    public var secLabels: [CatalogId: [SecLabelItem]] = [:]

    public init() {}

    /// Gives `obj` the next dump ID and makes it findable by its catalog ID.
    public func assignDumpId(_ obj: DumpableObject) {
        obj.dumpId = DumpId(byDumpId.count)
        byDumpId.append(obj)
        if obj.catId.tableoid != 0 { byCatId[obj.catId] = obj }
    }

    /// Makes `obj` findable by a further catalog ID too (pg_dump's recordAdditionalCatalogID:
    /// every member of a large-object group finds the group).
    public func recordAdditionalCatalogId(_ catId: CatalogId, for obj: DumpableObject) {
        byCatId[catId] = obj
    }

    /// A dump ID for a TOC entry that is no object of its own.
    public func createDumpId() -> DumpId {
        byDumpId.append(nil)
        return DumpId(byDumpId.count - 1)
    }

    public var maxDumpId: DumpId { DumpId(byDumpId.count - 1) }

    /// All objects in dump ID order.
    public var allObjects: [DumpableObject] { byDumpId.compactMap { $0 } }

    public func object(dumpId: DumpId) -> DumpableObject? {
        guard dumpId > 0, Int(dumpId) < byDumpId.count else { return nil }
        return byDumpId[Int(dumpId)]
    }

    public func object(_ catId: CatalogId) -> DumpableObject? { byCatId[catId] }

    public func object(table: UInt32, oid: UInt32) -> DumpableObject? {
        byCatId[CatalogId(tableoid: table, oid: oid)]
    }

    public func namespace(oid: UInt32) -> NamespaceInfo? {
        object(table: CatalogTable.pgNamespace, oid: oid) as? NamespaceInfo
    }

    /// The role's name, or "" as pg_dump does for a dangling owner (it warns).
    public func roleName(_ oid: UInt32) -> String { roleNames[oid] ?? "" }
}
