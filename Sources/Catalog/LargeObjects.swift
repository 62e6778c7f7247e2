// Large objects (pg_dump's getLOs, as pg_dump 15 and 16 read them: one object per large
// object, plus one object standing for all their data).

/// One large object (pg_largeobject_metadata; pg_dump's LoInfo with a single OID). Its name
/// is the OID in decimal; its catalog ID uses pg_largeobject's OID, as pg_description and
/// pg_seclabel do.
public final class LargeObjectInfo: DumpableObjectWithAcl {
    /// The owner's name.
    public var ownerName: String = ""
    public init(oid: UInt32) {
        super.init(.largeObject, catId: CatalogId(tableoid: CatalogTable.pgLargeObject, oid: oid), name: String(oid))
    }
}

/// The placeholder that stands for every large object's contents (the BLOBS data entry).
public final class LargeObjectDataInfo: DumpableObject {
    /// The large objects whose contents it holds, in ascending OID order (the order pg_dump
    /// writes them in).
    public var oids: [UInt32] = []
    public init() { super.init(.largeObjectData, catId: .none, name: "BLOBS") }
}

extension CatalogContext {
    /// pg_dump's getLOs (15/16): every large object with its owner and ACL, and, when there
    /// is any, the one data object holding them all. The query has no ORDER BY, as
    /// pg_dump's, so that dump IDs follow the same (physical) order.
    public func getLOs() throws {
        let rows = try query("""
            SELECT oid, lomowner, lomacl, acldefault('L', lomowner) AS acldefault \
            FROM pg_largeobject_metadata
            """)
        var oids: [UInt32] = []
        oids.reserveCapacity(rows.count)
        for r in rows {
            let lo = LargeObjectInfo(oid: r.oid("oid"))
            catalog.assignDumpId(lo)
            lo.dacl = DumpableAcl(acl: r.opt("lomacl"), acldefault: r.opt("acldefault"))
            lo.ownerName = catalog.roleName(r.oid("lomowner"))
            // Large objects have data; and an ACL when lomacl is set.
            lo.components.insert(.data)
            if !r.isNull("lomacl") { lo.components.insert(.acl) }
            oids.append(lo.catId.oid)
        }
        if !oids.isEmpty {
            let data = LargeObjectDataInfo()
            catalog.assignDumpId(data)
            data.components.insert(.data)
            data.oids = oids.sorted()
        }
    }
}
