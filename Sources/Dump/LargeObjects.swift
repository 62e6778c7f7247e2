import Archive
import Catalog
import PostgresClient

// Large objects in the per-LO style of archives up to 1.15 (pg_dump 15/16's getLOs, dumpLO
// and dumpLOs): a BLOB entry per large object with its COMMENT, SECURITY LABEL and ACL
// entries, and one BLOBS data entry holding every large object's contents. In archive 1.16,
// pg_dump 17's grouped style: a BLOB METADATA entry per group of up to 1000, the members'
// comments and labels, one ACL for the group, and a BLOBS data entry per group.
extension DumpContext {
    /// pg_dump's getLOs, when large objects are to be dumped at all (-b, or by default: the
    /// caller sets outputBlobs as pg_dump's main() does).
    func getLOs() throws {
        guard options.outputBlobs else { return }
        if options.groupedLargeObjects { try cat.getGroupedLOs() } else { try cat.getLOs() }
    }

    /// pg_dump's dumpLO: the BLOB entry (creating the large object, owned by its owner), then
    /// its comment, security label and ACL. Grouped (17+): the BLOB METADATA entry listing
    /// the group's OIDs, each member's comment and label, and one ACL, tagged "LARGE
    /// OBJECTS FIRST..LAST" for a group of several (pg_restore applies it to each member).
    func dumpLO(_ lo: LargeObjectInfo) throws {
        let grouped = options.groupedLargeObjects
        // These entries count as data: with --schema-only (and -b) they are made, taking their
        // dump IDs as pg_dump's do, and markRequiredEntries leaves them out of the archive.
        if lo.dump.contains(.definition) {
            if grouped {
                archiveEntry(catId: lo.catId, dumpId: lo.dumpId, EntryOptions(
                    tag: lo.name, owner: lo.ownerName, description: "BLOB METADATA", section: .data,
                    createStmt: lo.oids.map { "\($0)\n" }.joined(), dropStmt: "-- dummy"))
            } else {
                archiveEntry(catId: lo.catId, dumpId: lo.dumpId, EntryOptions(
                    tag: lo.name, owner: lo.ownerName, description: "BLOB", section: .preData,
                    createStmt: "SELECT pg_catalog.lo_create('\(lo.name)');\n",
                    dropStmt: "SELECT pg_catalog.lo_unlink('\(lo.name)');\n"))
            }
        }
        for oid in lo.oids {
            let catId = CatalogId(tableoid: lo.catId.tableoid, oid: oid)
            if lo.dump.contains(.comment) {
                try dumpComment(type: "LARGE OBJECT", name: String(oid), namespace: nil, owner: lo.ownerName,
                                catId: catId, dumpId: lo.dumpId)
            }
            if lo.dump.contains(.secLabel) {
                try dumpSecLabel(type: "LARGE OBJECT", name: String(oid), namespace: nil, owner: lo.ownerName,
                                 catId: catId, dumpId: lo.dumpId)
            }
        }
        if lo.dump.contains(.acl) {
            let tag = grouped && lo.oids.count > 1 ? "LARGE OBJECTS \(lo.name)" : nil
            try dumpACL(objDumpId: lo.dumpId, type: "LARGE OBJECT", name: String(lo.oids[0]), nspname: nil,
                        tag: tag, owner: lo.ownerName, dacl: lo.dacl)
        }
    }

    /// pg_dump's DO_LARGE_OBJECT_DATA case of dumpDumpableObject: the one BLOBS entry, whose
    /// data dumper streams every large object into the archive (pg_dump's dumpLOs).
    func dumpLOData(_ data: LargeObjectDataInfo) throws {
        guard data.dump.contains(.data) else { return }
        let oids = data.oids
        let log = cat.onInfo
        let message = options.groupedLargeObjects ? "saving large objects \"\(data.name)\"" : "saving large objects"
        archiveEntry(catId: data.catId, dumpId: data.dumpId, EntryOptions(
            tag: data.name, owner: data.group?.ownerName, description: "BLOBS", section: .data,
            deps: data.group != nil ? data.dependencies : [],
            dumpFn: { conn, stream in
                log?(message)
                try Self.writeLargeObjects(oids, conn: conn, to: stream)
            }))
    }

    /// pg_dump's LOBBUFSIZE: large objects go into the archive in pieces of this size.
    static let largeObjectChunkSize = 16384
    /// Objects whose first chunk one query reads (at most this many chunks in memory).
    static let largeObjectBatch = 500
    /// Chunks per query when a larger object is read on after its first.
    static let largeObjectReadAhead = 16

    /// pg_dump's dumpLOs: each large object, in ascending OID order, read in the dump's
    /// snapshot and written to the archive as it comes, in pg_dump's chunks, so that memory
    /// does not grow with the objects' size or number. The objects are read a batch per query
    /// rather than with four round trips each (`Connection.readLargeObjects`); the archive's
    /// bytes are the same.
    static func writeLargeObjects(_ oids: [UInt32], conn: Connection, to stream: ArchiveDataStream) throws {
        var from = oids.startIndex
        while from < oids.endIndex {
            let to = min(from + largeObjectBatch, oids.endIndex)
            try conn.readLargeObjects(oids[from..<to], chunkSize: largeObjectChunkSize, readAhead: largeObjectReadAhead,
                                      start: { try stream.startLargeObject($0) },
                                      chunk: { try stream.write($0) },
                                      end: { try stream.endLargeObject($0) })
            from = to
        }
    }
}
