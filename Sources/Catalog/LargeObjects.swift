// Large objects (pg_dump's getLOs): as pg_dump 15 and 16 read them, one object per large
// object plus one object standing for all their data; as pg_dump 17+ reads them (archive
// 1.16), groups of up to 1000 with the same owner and ACL, each with its own data object.

/// One large object (pg_largeobject_metadata; pg_dump's LoInfo with a single OID). Its name
/// is the OID in decimal; its catalog ID uses pg_largeobject's OID, as pg_description and
/// pg_seclabel do.
public final class LargeObjectInfo: DumpableObjectWithAcl {
    /// The owner's name.
    public var ownerName: String = ""
    /// The group's large objects in ascending OID order (pg_dump 17's looids); one for the
    /// per-object style.
    public var oids: [UInt32]
    public init(oid: UInt32) {
        oids = [oid]
        super.init(.largeObject, catId: CatalogId(tableoid: CatalogTable.pgLargeObject, oid: oid), name: String(oid))
    }
    /// A group of large objects (pg_dump 17+), named "FIRST..LAST" or, alone, "OID".
    public init(group: [UInt32]) {
        oids = group
        let name = group.count > 1 ? "\(group[0])..\(group[group.count - 1])" : String(group[0])
        super.init(.largeObject, catId: CatalogId(tableoid: CatalogTable.pgLargeObject, oid: group[0]), name: name)
    }
}

/// The placeholder that stands for every large object's contents (the BLOBS data entry).
public final class LargeObjectDataInfo: DumpableObject {
    /// The large objects whose contents it holds, in ascending OID order (the order pg_dump
    /// writes them in).
    public var oids: [UInt32] = []
    /// The group it holds the contents of (pg_dump 17+); nil for the one BLOBS object.
    public private(set) weak var group: LargeObjectInfo?
    public init() { super.init(.largeObjectData, catId: .none, name: "BLOBS") }
    /// The data object of one group (pg_dump 17's lodata): named as the group, depending on it.
    public init(group: LargeObjectInfo) {
        self.group = group
        oids = group.oids
        super.init(.largeObjectData, catId: .none, name: group.name)
    }
}

extension CatalogContext {
    /// pg_dump's getLOs (15/16): every large object with its owner and ACL, and, when there
    /// is any, the one data object holding them all. The query has no ORDER BY, as
    /// pg_dump's, so that dump IDs follow the same (physical) order.
    public func getLOs() throws {
        info("reading large objects")
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

    /// Most large objects in one group (pg_dump's MAX_BLOBS_PER_ARCHIVE_ENTRY).
    public static let maxLargeObjectsPerEntry = 1000

    /// pg_dump 17's getLOs: large objects in owner, ACL and OID order, cut into groups of up
    /// to `maxLargeObjectsPerEntry` that share owner and ACL; per group one metadata object
    /// (findable by each member's OID, for comments and labels) and one data object.
    public func getGroupedLOs() throws {
        info("reading large objects")
        let rows = try query("""
            SELECT oid, lomowner, lomacl, acldefault('L', lomowner) AS acldefault \
            FROM pg_largeobject_metadata \
            ORDER BY lomowner, lomacl::pg_catalog.text, oid
            """)
        var i = 0
        while i < rows.count {
            let owner = rows[i].str("lomowner"), acl = rows[i].opt("lomacl")
            var n = 1
            while n < Self.maxLargeObjectsPerEntry && i + n < rows.count
                    && rows[i + n].str("lomowner") == owner && rows[i + n].opt("lomacl") == acl {
                n += 1
            }
            let lo = LargeObjectInfo(group: (i..<(i + n)).map { rows[$0].oid("oid") })
            catalog.assignDumpId(lo)
            for oid in lo.oids.dropFirst() {
                catalog.recordAdditionalCatalogId(CatalogId(tableoid: CatalogTable.pgLargeObject, oid: oid), for: lo)
            }
            lo.dacl = DumpableAcl(acl: acl, acldefault: rows[i].opt("acldefault"))
            lo.ownerName = catalog.roleName(rows[i].oid("lomowner"))
            lo.components.insert(.data)
            if acl != nil { lo.components.insert(.acl) }
            let data = LargeObjectDataInfo(group: lo)
            catalog.assignDumpId(data)
            data.components.insert(.data)
            data.addDependency(lo.dumpId)
            i += n
        }
    }
}
