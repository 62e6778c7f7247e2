import PostgresClient

// pg_depend, read into each object's dependency list (pg_dump's getDependencies; the same
// in pg_dump 15 and 18).
extension CatalogContext {
    /// One query for the whole of pg_depend. Sub-object columns are ignored, so that a
    /// dependency of or on a column looks like one of or on its table. Pin dependencies are
    /// of no interest and extension membership ('e') was read by getExtensionMembership.
    /// pg_amop and pg_amproc rows are no dumpable objects, so their dependencies count as
    /// their operator family's (less internal ones, which point at their opclass, and those
    /// on their own family, which would be self-dependencies).
    static let dependencyQuery = """
        SELECT classid, objid, refclassid, refobjid, deptype \
        FROM pg_depend \
        WHERE deptype != 'p' AND deptype != 'e'
        UNION ALL
        SELECT 'pg_opfamily'::regclass AS classid, amopfamily AS objid, refclassid, refobjid, deptype \
        FROM pg_depend d, pg_amop o \
        WHERE deptype NOT IN ('p', 'e', 'i') AND \
        classid = 'pg_amop'::regclass AND objid = o.oid \
        AND NOT (refclassid = 'pg_opfamily'::regclass AND amopfamily = refobjid)
        UNION ALL
        SELECT 'pg_opfamily'::regclass AS classid, amprocfamily AS objid, refclassid, refobjid, deptype \
        FROM pg_depend d, pg_amproc p \
        WHERE deptype NOT IN ('p', 'e', 'i') AND \
        classid = 'pg_amproc'::regclass AND objid = p.oid \
        AND NOT (refclassid = 'pg_opfamily'::regclass AND amprocfamily = refobjid)
        ORDER BY 1,2
        """

    public func getDependencies() throws {
        info("reading dependency data")
        let ahead = dependenciesAhead?.value(1) as? [PgDependRow]
        dependenciesAhead = nil
        let edges = try ahead ?? Self.dependencyEdges(conn.executeSqlQuery(Self.dependencyQuery))
        catalog.applyDependencies(edges)
    }

    /// The rows of `dependencyQuery`, in its order.
    static func dependencyEdges(_ rows: RawResult) -> [PgDependRow] {
        var edges: [PgDependRow] = []
        edges.reserveCapacity(rows.rowCount)
        for r in 0..<rows.rowCount {
            let deptype = rows.value(r, 4)
            edges.append(PgDependRow(
                object: CatalogId(tableoid: rows.uint32(r, 0) ?? 0, oid: rows.uint32(r, 1) ?? 0),
                referenced: CatalogId(tableoid: rows.uint32(r, 2) ?? 0, oid: rows.uint32(r, 3) ?? 0),
                deptype: deptype.isEmpty ? " " : Character(Unicode.Scalar(deptype[0]))))
        }
        return edges
    }
}

/// One row of getDependencies' query.
public struct PgDependRow: Sendable {
    public var object: CatalogId
    public var referenced: CatalogId
    public var deptype: Character
    public init(object: CatalogId, referenced: CatalogId, deptype: Character) {
        self.object = object; self.referenced = referenced; self.deptype = deptype
    }
}

extension DumpCatalog {
    /// getDependencies' loop over the rows, in the query's order (the order of each object's
    /// dependency list, hence of TOC dependencies, follows it).
    public func applyDependencies(_ rows: [PgDependRow]) {
        for row in rows {
            // Objects pg_depend mentions that we did not read (TOAST tables, pg_amop rows,
            // objects of kinds not dumped...) are skipped, on either side.
            guard let dobj = object(row.object), let refdobj = object(row.referenced) else { continue }

            // Extension dependencies ('x') mark the object; the ordering dependency stays too.
            if row.deptype == "x" { dobj.dependsOnExt = true }

            // A composite type's pg_depend entry says its relation (the DO_TABLE of relkind
            // 'c') depends internally on the type; the dump needs the type to come after its
            // relation, so that one dependency is turned round.
            if row.deptype == "i" && dobj.objType == .table && refdobj.objType == .type {
                refdobj.addDependency(dobj.dumpId)
            } else {
                dobj.addDependency(refdobj.dumpId)
            }
        }
    }
}
