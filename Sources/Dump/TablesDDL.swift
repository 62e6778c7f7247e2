import Archive
import Catalog
import PostgresClient

// Tables, views, materialized views, foreign tables, column defaults, partitions attached
// (pg_dump's dumpTable, dumpTableSchema, dumpAttrDef, dumpTableAttach). Sequences are in
// SequencesDDL.swift, table data in TableData.swift and TableDataInsert.swift.
extension DumpContext {
    func dumpTable(_ t: TableInfo) throws {
        guard options.dumpSchema else { return }
        if t.relkind == "S" {
            try dumpSequence(t)
        } else {
            try dumpTableSchema(t)
        }
        try dumpTableACLs(t)
    }

    /// pg_dump's dumpTableSchema: CREATE TABLE / VIEW / MATERIALIZED VIEW / FOREIGN TABLE
    /// with everything that goes in the same entry.
    func dumpTableSchema(_ t: TableInfo) throws {
        let qualrelname = qualified(t)
        var q = ""
        var delq = ""
        let reltypename: String
        if t.relkind == "v" {
            reltypename = "VIEW"
            delq = "DROP VIEW \(qualrelname);\n"
            q = "CREATE VIEW \(qualrelname)"
            let body: String
            if t.dummyView {
                body = createDummyViewAsClause(t)
            } else {
                if nonemptyReloptions(t.reloptions) {
                    q += " WITH (" + (try reloptionsArrayAH(t.reloptions)) + ")"
                }
                body = try createViewAsClause(t)
            }
            q += " AS\n\(body)"
            if let co = t.checkoption, !t.dummyView { q += "\n  WITH \(co) CHECK OPTION" }
            q += ";\n"
        } else {
            var partkeydef: String? = nil
            var ftoptions: String? = nil
            var srvname: String? = nil
            var foreign = ""
            switch t.relkind {
            case "p":
                reltypename = "TABLE"
                partkeydef = try cat.partitionKeyDefinition(t)
            case "f":
                reltypename = "FOREIGN TABLE"
                let r = try cat.foreignTableDetails(t)
                srvname = r?.srvname
                ftoptions = r?.ftoptions
                foreign = "FOREIGN "
            case "m":
                reltypename = "MATERIALIZED VIEW"
            default:
                reltypename = "TABLE"
            }
            delq = "DROP \(reltypename) \(qualrelname);\n"
            q = "CREATE \(t.relpersistence == "u" && (t.relkind != "p" || options.dumperMajor < 18) ? "UNLOGGED " : "")\(reltypename) \(qualrelname)"
            if t.reloftype != 0 {
                q += " OF " + (try formattedTypeName(t.reloftype))
            }
            if t.relkind != "m" {
                var actual = 0
                // Server 18 names its NOT NULL constraints; pg_dump 18 prints the names it must.
                let named = cat.remoteVersion >= 180000
                for j in 0..<t.attnames.count {
                    if cat.shouldPrintColumn(t, j) {
                        let printDefault = t.attrdefs[j].map { !$0.dump.isEmpty && !$0.separate } ?? false
                        let printNotNull = named
                            ? t.notnullConstrs[j] != nil && (t.notnullIsLocal[j] || t.ispartition)
                            : t.notnull[j] && (!t.inhNotNull[j] || t.ispartition)
                        if t.reloftype != 0 && !printDefault && !printNotNull { continue }
                        q += actual == 0 ? " (" : ","
                        q += "\n    "
                        actual += 1
                        q += fmtId(t.attnames[j])
                        if t.reloftype == 0 { q += " " + t.atttypnames[j] }
                        if printDefault, let d = t.attrdefs[j] {
                            if t.attgenerated[j] == "s" {
                                q += " GENERATED ALWAYS AS (\(d.adefSrc)) STORED"
                            } else if t.attgenerated[j] == "v" {
                                q += " GENERATED ALWAYS AS (\(d.adefSrc))"
                            } else {
                                q += " DEFAULT \(d.adefSrc)"
                            }
                        }
                        if printNotNull {
                            if named, let name = t.notnullConstrs[j], !name.isEmpty {
                                q += " CONSTRAINT \(fmtId(name)) NOT NULL"
                            } else {
                                q += " NOT NULL"
                            }
                            if named && t.notnullNoInherit[j] { q += " NO INHERIT" }
                        }
                        if t.attcollation[j] != 0, let coll = catalog.object(table: CatalogTable.pgCollation, oid: t.attcollation[j]) {
                            q += " COLLATE " + qualified(coll)
                        }
                    } else if named && !t.attisdropped[j], let name = t.notnullConstrs[j], t.notnullIsLocal[j] {
                        // An inherited column with a NOT NULL of its own: a table constraint.
                        q += actual == 0 ? " (" : ","
                        q += "\n    "
                        actual += 1
                        // pg_dump 18 leaves this name unquoted; quoting it keeps odd names valid
                        // and changes nothing for ordinary ones.
                        q += name.isEmpty ? "NOT NULL \(fmtId(t.attnames[j]))" : "CONSTRAINT \(fmtId(name)) NOT NULL \(fmtId(t.attnames[j]))"
                        if t.notnullNoInherit[j] { q += " NO INHERIT" }
                    }
                }
                for c in t.checkexprs where !(c.separate || (!c.conislocal && !t.ispartition)) {
                    q += actual == 0 ? " (\n    " : ",\n    "
                    q += "CONSTRAINT \(fmtId(c.name)) \(c.condef ?? "")"
                    actual += 1
                }
                // MPP: one COLUMN ... ENCODING item per column with an encoding row, after
                // the checks (inherited columns too, so not attached to their definitions).
                if let mpp = cat.mpp, mpp.gpSyntax {
                    actual = try appendMPPColumnEncodings(t, mpp, itemsBefore: actual, to: &q)
                }
                if actual > 0 {
                    q += "\n)"
                } else if t.reloftype == 0 {
                    q += " (\n)"
                }
                if !t.parents.isEmpty && !t.ispartition {
                    q += "\nINHERITS (" + t.parents.map { qualified($0) }.joined(separator: ", ") + ")"
                }
                if t.relkind == "p", let pk = partkeydef { q += "\nPARTITION BY \(pk)" }
                if t.relkind == "f", let s = srvname { q += "\nSERVER \(fmtId(s))" }
            }
            if let mpp = cat.mpp, mpp.gpSyntax, t.relkind != "f" {
                // MPP: the append-optimized storage written out (appendonly = true, ...).
                if let with = MPPDDL.storageClause(
                    amname: t.amname,
                    reloptions: nonemptyReloptions(t.reloptions) ? try reloptionsArrayAH(t.reloptions) : "",
                    toastOptions: nonemptyReloptions(t.toastReloptions) ? try reloptionsArrayAH(t.toastReloptions, prefix: "toast.") : "") {
                    q += "\n" + with
                }
            } else if nonemptyReloptions(t.reloptions) || nonemptyReloptions(t.toastReloptions) {
                q += "\nWITH ("
                var comma = false
                if nonemptyReloptions(t.reloptions) {
                    comma = true
                    q += try reloptionsArrayAH(t.reloptions)
                }
                if nonemptyReloptions(t.toastReloptions) {
                    if comma { q += ", " }
                    q += try reloptionsArrayAH(t.toastReloptions, prefix: "toast.")
                }
                q += ")"
            }
            if let fo = ftoptions, !fo.isEmpty { q += "\nOPTIONS (\n    \(fo)\n)" }
            if t.relkind == "m" {
                q += " AS\n\(try createViewAsClause(t))\n  WITH NO DATA"
            }
            // MPP: the distribution policy, on the same line (writable external tables have
            // one, readable ones none).
            if let mpp = cat.mpp, mpp.gpSyntax {
                MPPDDL.appendDistribution(try mpp.distributedBy(t.catId.oid), to: &q)
            }
            q += ";\n"
            // Materialized views can depend on extensions (pg_dump's dumpTableSchema).
            if t.relkind == "m" {
                q += try dependsOnExtensionSQL(t, catalogName: "pg_catalog.pg_class", keyword: "MATERIALIZED VIEW", objName: qualrelname)
            }
            // pg_dump 17 and later write ALTER FOREIGN TABLE ONLY for column options; 15 and 16 do not.
            let fdwOnly = options.dumperMajor >= 17 ? "ONLY " : ""
            for j in 0..<t.attnames.count where !t.attisdropped[j] {
                if t.attstattarget[j] >= 0 {
                    q += "ALTER \(foreign)TABLE ONLY \(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) SET STATISTICS \(t.attstattarget[j]);\n"
                }
                if t.attstorage[j] != t.typstorage[j] {
                    let storage: String?
                    switch t.attstorage[j] {
                    case "p": storage = "PLAIN"
                    case "e": storage = "EXTERNAL"
                    case "x": storage = "EXTENDED"
                    case "m": storage = "MAIN"
                    default: storage = nil
                    }
                    if let storage {
                        q += "ALTER \(foreign)TABLE ONLY \(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) SET STORAGE \(storage);\n"
                    }
                }
                if !options.noToastCompression {
                    let cm: String? = t.attcompression[j] == "p" ? "pglz" : (t.attcompression[j] == "l" ? "lz4" : nil)
                    if let cm {
                        q += "ALTER \(foreign)TABLE ONLY \(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) SET COMPRESSION \(cm);\n"
                    }
                }
                if !t.attoptions[j].isEmpty {
                    q += "ALTER \(foreign)TABLE ONLY \(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) SET (\(t.attoptions[j]));\n"
                }
                if t.relkind == "f" && !t.attfdwoptions[j].isEmpty {
                    q += "ALTER FOREIGN TABLE \(fdwOnly)\(qualrelname) ALTER COLUMN \(fmtId(t.attnames[j])) OPTIONS (\n    \(t.attfdwoptions[j])\n);\n"
                }
            }
        }
        if (t.relkind == "r" || t.relkind == "p" || t.relkind == "m") && t.relreplident != "d" {
            if t.relreplident == "n" {
                q += "\nALTER TABLE ONLY \(qualrelname) REPLICA IDENTITY NOTHING;\n"
            } else if t.relreplident == "f" {
                q += "\nALTER TABLE ONLY \(qualrelname) REPLICA IDENTITY FULL;\n"
            }
        }
        if t.forcerowsec {
            q += "\nALTER TABLE ONLY \(qualrelname) FORCE ROW LEVEL SECURITY;\n"
        }
        if t.dump.contains(.definition) {
            let tablespace: String? = ["r", "m", "p", "S"].contains(t.relkind) ? t.reltablespace : nil
            let tableam: String? = ["r", "m", "t", "p"].contains(t.relkind) ? t.amname : nil
            archiveEntry(catId: t.catId, dumpId: t.dumpId, EntryOptions(
                tag: t.name, namespace: t.namespace?.name, tablespace: tablespace, tableam: tableam,
                relkind: t.relkind, owner: t.ownerName, description: reltypename,
                section: t.postponedDef ? .postData : .preData, createStmt: q, dropStmt: delq))
        }
        if t.dump.contains(.comment) { try dumpTableComment(t, reltypename: reltypename, attnames: t.attnames) }
        if t.dump.contains(.secLabel) { try dumpTableSecLabel(t, reltypename: reltypename, attnames: t.attnames) }
        // Comments on NOT NULL constraints printed inside CREATE TABLE (server 18+).
        if !options.noComments && options.dumpSchema && cat.remoteVersion >= 180000 {
            for j in 0..<t.notnullConstrs.count {
                guard let name = t.notnullConstrs[j], let comment = t.notnullComment[j] else { continue }
                archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                    tag: "CONSTRAINT \(fmtId(name)) ON \(fmtId(t.name))", namespace: t.namespace?.name,
                    owner: t.ownerName, description: "COMMENT", section: .none,
                    createStmt: "COMMENT ON CONSTRAINT \(fmtId(name)) ON \(qualrelname) IS \(literal(comment));\n",
                    deps: [t.dumpId]))
            }
        }
        for c in t.checkexprs where !c.separate && c.conislocal && c.dump.contains(.comment) {
            try dumpTableConstraintComment(c)
        }
    }

    /// COMMENT ON a table's constraint, for constraints dumped inside CREATE TABLE.
    func dumpTableConstraintComment(_ c: ConstraintInfo) throws {
        guard let t = c.contable else { return }
        let tag = "CONSTRAINT \(fmtId(c.name)) ON"
        try dumpComment(type: tag, name: fmtId(t.name), namespace: t.namespace?.name, owner: t.ownerName,
                        catId: c.catId, dumpId: c.separate ? c.dumpId : t.dumpId)
    }

    func createViewAsClause(_ t: TableInfo) throws -> String {
        var def = try cat.viewDefinition(t)
        guard !def.isEmpty else { throw CatalogError("definition of view \"\(t.name)\" appears to be empty (length zero)") }
        if def.hasSuffix(";") { def.removeLast() }
        return def
    }

    func createDummyViewAsClause(_ t: TableInfo) -> String {
        var s = "SELECT"
        for j in 0..<t.attnames.count {
            if j > 0 { s += "," }
            s += "\n    NULL::\(t.atttypnames[j])"
            if t.attcollation[j] != 0, let coll = catalog.object(table: CatalogTable.pgCollation, oid: t.attcollation[j]) {
                s += " COLLATE " + qualified(coll)
            }
            s += " AS \(fmtId(t.attnames[j]))"
        }
        return s
    }

    /// The type's name as format_type prints it (pg_dump's getFormattedTypeName).
    func formattedTypeName(_ oid: UInt32) throws -> String {
        try cat.typedTableTypeName(oid: oid)
    }

    /// pg_dump's nonemptyReloptions: more than "{}".
    func nonemptyReloptions(_ s: String) -> Bool { s.utf8.count > 2 }

    /// pg_dump's getAttrName: a column's name by attnum, system columns (PostgreSQL 12+
    /// numbering) by their names. `attnames` defaults to the table's own columns.
    func getAttrName(_ attnum: Int, _ tbl: TableInfo, _ attnames: [String]? = nil) throws -> String {
        let names = attnames ?? tbl.attnames
        if attnum > 0 && attnum <= names.count { return names[attnum - 1] }
        switch attnum {
        case -1: return "ctid"
        case -2: return "xmin"
        case -3: return "cmin"
        case -4: return "xmax"
        case -5: return "cmax"
        case -6: return "tableoid"
        default: throw CatalogError("invalid column number \(attnum) for table \"\(tbl.name)\"")
        }
    }

    func dumpTableAttach(_ a: TableAttachInfo) throws {
        guard options.dumpSchema else { return }
        let bound = try cat.partitionBound(a.partitionTbl)
        let q = "ALTER TABLE ONLY \(qualified(a.parentTbl)) ATTACH PARTITION \(qualified(a.partitionTbl)) \(bound);\n"
        archiveEntry(catId: a.catId, dumpId: a.dumpId, EntryOptions(
            tag: a.name, namespace: a.namespace?.name, owner: a.partitionTbl.ownerName,
            description: "TABLE ATTACH", section: .preData, createStmt: q))
    }

    func dumpAttrDef(_ d: AttrDefInfo) throws {
        guard options.dumpSchema, d.separate else { return }
        let t = d.adtable
        let foreign = t.relkind == "f" ? "FOREIGN " : ""
        let col = fmtId(t.attnames[d.adnum - 1])
        let q = "ALTER \(foreign)TABLE ONLY \(qualified(t)) ALTER COLUMN \(col) SET DEFAULT \(d.adefSrc);\n"
        let delq = "ALTER \(foreign)TABLE \(qualified(t)) ALTER COLUMN \(col) DROP DEFAULT;\n"
        if d.dump.contains(.definition) {
            archiveEntry(catId: d.catId, dumpId: d.dumpId, EntryOptions(
                tag: "\(t.name) \(t.attnames[d.adnum - 1])", namespace: t.namespace?.name, owner: t.ownerName,
                description: "DEFAULT", section: .preData, createStmt: q, dropStmt: delq))
        }
    }

    /// pg_dump's sanitize_line: newlines and carriage returns become spaces.
    func sanitizeLine(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 == 0x0a || $0 == 0x0d ? 0x20 : $0 }, as: UTF8.self)
    }

    /// Comments of one object from pg_description, (objsubid, text), in pg_dump's order.
    func findComments(_ catId: CatalogId) -> [(Int, String)] {
        (catalog.comments[catId] ?? []).map { ($0.objsubid, $0.descr) }
    }
}
