import Archive
import Catalog

// CREATE SEQUENCE (or an identity column's ADD GENERATED), SEQUENCE OWNED BY and SEQUENCE SET
// entries (pg_dump's dumpSequence, dumpSequenceData).
extension DumpContext {
    /// pg_dump's dumpSequence: the definition, OWNED BY, comment and security label.
    func dumpSequence(_ t: TableInfo) throws {
        guard let r = try cat.sequenceDetails(t) else { throw CatalogError("could not read sequence \"\(t.name)\"") }
        let seqtype = r.seqtype
        let incby = Int64(r.seqincrement) ?? 1
        let minv = r.seqmin, maxv = r.seqmax
        let (typeMin, typeMax): (String, String)
        switch seqtype {
        case "smallint": (typeMin, typeMax) = ("-32768", "32767")
        case "integer": (typeMin, typeMax) = ("-2147483648", "2147483647")
        default: (typeMin, typeMax) = ("-9223372036854775808", "9223372036854775807")
        }
        let defaultMin = incby > 0 ? "1" : typeMin
        let defaultMax = incby > 0 ? typeMax : "-1"
        let qualname = qualified(t)
        var q = ""
        var owningTab: TableInfo? = nil
        if t.owningTab != 0 { owningTab = cat.table(oid: t.owningTab) }
        if t.isIdentitySequence, let ot = owningTab {
            q = "ALTER TABLE \(qualified(ot)) ALTER COLUMN \(fmtId(ot.attnames[t.owningCol - 1])) ADD GENERATED "
            q += ot.attidentity[t.owningCol - 1] == "a" ? "ALWAYS" : "BY DEFAULT"
            q += " AS IDENTITY (\n    SEQUENCE NAME \(qualname)\n"
            // pg_dump writes the persistence only where it differs from the owning table's
            // (the identity sequence otherwise follows its table).
            if t.relpersistence != ot.relpersistence { q += t.relpersistence == "u" ? "    UNLOGGED\n" : "    LOGGED\n" }
        } else {
            q = "CREATE \(t.relpersistence == "u" ? "UNLOGGED " : "")SEQUENCE \(qualname)\n"
            if seqtype != "bigint" { q += "    AS \(seqtype)\n" }
        }
        q += "    START WITH \(r.seqstart)\n"
        q += "    INCREMENT BY \(incby)\n"
        q += minv == defaultMin ? "    NO MINVALUE\n" : "    MINVALUE \(minv)\n"
        q += maxv == defaultMax ? "    NO MAXVALUE\n" : "    MAXVALUE \(maxv)\n"
        q += "    CACHE \(r.seqcache)\(r.seqcycle ? "\n    CYCLE" : "")"
        q += t.isIdentitySequence ? "\n);\n" : ";\n"
        // An identity sequence goes with its column: nothing to drop on its own.
        let delq = t.isIdentitySequence ? "" : "DROP SEQUENCE \(qualname);\n"
        if t.dump.contains(.definition) {
            archiveEntry(catId: t.catId, dumpId: t.dumpId, EntryOptions(
                tag: t.name, namespace: t.namespace?.name, owner: t.ownerName, description: "SEQUENCE",
                section: .preData, createStmt: q, dropStmt: delq))
        }
        if let ot = owningTab, !t.isIdentitySequence, ot.dump.contains(.definition), t.dump.contains(.definition) {
            let oq = "ALTER SEQUENCE \(qualname) OWNED BY \(qualified(ot)).\(fmtId(ot.attnames[t.owningCol - 1]));\n"
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: t.name, namespace: t.namespace?.name, owner: t.ownerName, description: "SEQUENCE OWNED BY",
                section: .preData, createStmt: oq, deps: [t.dumpId]))
        }
        if t.dump.contains(.comment) {
            try dumpComment(type: "SEQUENCE", name: fmtId(t.name), namespace: t.namespace?.name, owner: t.ownerName, catId: t.catId, dumpId: t.dumpId)
        }
        if t.dump.contains(.secLabel) {
            try dumpSecLabel(type: "SEQUENCE", name: fmtId(t.name), namespace: t.namespace?.name, owner: t.ownerName, catId: t.catId, dumpId: t.dumpId)
        }
    }

    /// pg_dump's dumpSequenceData: the setval() call of the SEQUENCE SET entry.
    func dumpSequenceData(_ td: TableDataInfo) throws {
        let t = td.tdtable
        guard let r = try cat.sequenceState(t) else { return }
        let q = "SELECT pg_catalog.setval(\(literal(qualified(t)))," + " \(r.lastValue), \(r.isCalled ? "true" : "false"));\n"
        if td.dump.contains(.data) {
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: t.name, namespace: t.namespace?.name, owner: t.ownerName, description: "SEQUENCE SET",
                section: .data, createStmt: q, deps: [t.dumpId]))
        }
    }
}
