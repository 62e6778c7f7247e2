import Archive
import Catalog

// pg_dump 18's STATISTICS DATA entries (dumpRelationStats, dumpRelationStats_dumper,
// fetchAttributeStats, appendNamedArgument): a relation's pg_class statistics restored by
// pg_restore_relation_stats, and each of its pg_stats rows by pg_restore_attribute_stats.

/// The attribute statistics of the relations whose entries come next, read in batches as
/// pg_dump reads them (its rows come in entry order, each relation's by attname, inherited).
final class AttributeStatsCache {
    /// pg_dump's MAX_ATTR_STATS_RELS.
    static let batchSize = 64
    /// Relations still to read, in dump order.
    var pending: [RelStatsInfo]
    var rows: [ObjectIdentifier: [Row]] = [:]
    init(_ pending: [RelStatsInfo]) { self.pending = pending }
}

extension DumpContext {
    /// pg_dump's fetchAttributeStats: the pg_stats rows of the next batch of relations.
    private func fetchAttributeStats(_ cache: AttributeStatsCache) throws {
        let batch = Array(cache.pending.prefix(AttributeStatsCache.batchSize))
        cache.pending.removeFirst(batch.count)
        guard !batch.isEmpty else { return }
        var schemas = "{", tables = "{"
        for s in batch {
            appendPGArray(&schemas, s.namespace?.name ?? "")
            appendPGArray(&tables, s.name)
        }
        schemas += "}"; tables += "}"
        var byName: [String: RelStatsInfo] = [:]
        for s in batch {
            byName[(s.namespace?.name ?? "") + "\u{0}" + s.name] = s
            cache.rows[ObjectIdentifier(s)] = []
        }
        for r in try cat.attributeStats(schemasLiteral: literal(schemas), tablesLiteral: literal(tables)) {
            guard let s = byName[r.str("schemaname") + "\u{0}" + r.str("tablename")] else { continue }
            cache.rows[ObjectIdentifier(s), default: []].append(r)
        }
    }

    /// The relations whose statistics will be dumped, in dump order.
    func attributeStatsCache(_ objs: [DumpableObject]) -> AttributeStatsCache {
        AttributeStatsCache(objs.compactMap { obj in
            guard let s = obj as? RelStatsInfo, !obj.dump.intersection(obj.components).isEmpty else { return nil }
            return s
        })
    }

    /// pg_dump's dumpRelationStats: the relation's STATISTICS DATA entry, with a dump ID of
    /// its own (the object's goes unused) and the object's dependencies.
    func dumpRelationStats(_ rs: RelStatsInfo, cache: AttributeStatsCache) throws {
        guard options.dumpStatistics else { return }
        if cache.rows[ObjectIdentifier(rs)] == nil { try fetchAttributeStats(cache) }
        let rows = cache.rows.removeValue(forKey: ObjectIdentifier(rs)) ?? []
        let schema = rs.namespace?.name ?? ""
        var out = "SELECT * FROM pg_catalog.pg_restore_relation_stats(\n"
        out += "\t'version', '\(remoteVersion)'::integer,\n"
        out += "\t'schemaname', " + literal(schema) + ",\n"
        out += "\t'relname', " + literal(rs.name) + ",\n"
        out += "\t'relpages', '\(rs.relpages)'::integer,\n"
        // Before 14 a reltuples of 0 could mean "never analyzed" too.
        if remoteVersion < 140000 && rs.reltuples == "0" {
            out += "\t'reltuples', '-1'::real,\n"
        } else {
            out += "\t'reltuples', '\(rs.reltuples)'::real,\n"
        }
        out += "\t'relallvisible', '\(rs.relallvisible)'::integer"
        if remoteVersion >= 180000 { out += ",\n\t'relallfrozen', '\(rs.relallfrozen)'::integer" }
        out += "\n);\n"
        for r in rows {
            out += "SELECT * FROM pg_catalog.pg_restore_attribute_stats(\n"
            out += "\t'version', '\(remoteVersion)'::integer,\n"
            out += "\t'schemaname', " + literal(schema) + ",\n"
            out += "\t'relname', " + literal(rs.name)
            guard let attname = r.opt("attname") else { throw CatalogError("unexpected null attname") }
            // An index's columns go by number: their names need not survive a reload.
            if rs.indAttNames.isEmpty {
                out += ",\n\t'attname', " + literal(attname)
            } else {
                guard let i = rs.indAttNames.firstIndex(of: attname) else {
                    throw CatalogError("could not find index attname \"\(attname)\"")
                }
                out += ",\n\t'attnum', '\(i + 1)'::smallint"
            }
            for (column, type) in [("inherited", "boolean"), ("null_frac", "real"), ("avg_width", "integer"),
                                   ("n_distinct", "real"), ("most_common_vals", "text"), ("most_common_freqs", "real[]"),
                                   ("histogram_bounds", "text"), ("correlation", "real"), ("most_common_elems", "text"),
                                   ("most_common_elem_freqs", "real[]"), ("elem_count_histogram", "real[]")]
                + (remoteVersion >= 170000 ? [("range_length_histogram", "text"), ("range_empty_frac", "real"),
                                              ("range_bounds_histogram", "text")] : []) {
                if let v = r.opt(column) { out += ",\n\t" + literal(column) + ", " + literal(v) + "::" + type }
            }
            out += "\n);\n"
        }
        archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
            tag: rs.name, namespace: schema, description: "STATISTICS DATA",
            section: rs.postData ? .postData : .data, createStmt: out, deps: rs.dependencies))
    }
}
