import Foundation
import PostgresClient

// Tables, views, sequences, columns, inheritance and partitions (pg_dump's getTables,
// getOwnedSeqs, getInherits, flagInhTables, getTableAttrs, flagInhAttrs).
extension CatalogContext {
    /// Every table-like relation, one query; dumpable tables are then locked in batches.
    func getTables() throws {
        let q = """
            SELECT c.tableoid, c.oid, c.relname, c.relnamespace, c.relkind, c.reltype, c.relowner, \
            c.relchecks, c.relhasindex, c.relhasrules, c.relpages, c.reltuples, c.relallvisible, \
            \(remoteVersion >= 180000 ? "c.relallfrozen" : "0 AS relallfrozen"), \
            c.relhastriggers, c.relpersistence, c.reloftype, c.relacl, \
            acldefault(CASE WHEN c.relkind = 'S' THEN 's'::"char" ELSE 'r'::"char" END, c.relowner) AS acldefault, \
            CASE WHEN c.relkind = 'f' THEN (SELECT ftserver FROM pg_catalog.pg_foreign_table WHERE ftrelid = c.oid) ELSE 0 END AS foreignserver, \
            tc.oid AS toid, tc.relpages AS toastpages, tc.reloptions AS toast_reloptions, \
            d.refobjid AS owning_tab, d.refobjsubid AS owning_col, tsp.spcname AS reltablespace, \
            c.relispopulated, c.relreplident, c.relrowsecurity, c.relforcerowsecurity, \
            array_remove(array_remove(c.reloptions,'check_option=local'),'check_option=cascaded') AS reloptions, \
            CASE WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'::text \
            WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED'::text ELSE NULL END AS checkoption, \
            am.amname, (d.deptype = 'i') IS TRUE AS is_identity_sequence, c.relispartition AS ispartition
            FROM pg_class c
            LEFT JOIN pg_depend d ON (c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.objsubid = 0 AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
            LEFT JOIN pg_tablespace tsp ON (tsp.oid = c.reltablespace)
            LEFT JOIN pg_am am ON (c.relam = am.oid)
            LEFT JOIN pg_class tc ON (c.reltoastrelid = tc.oid AND tc.relkind = 't' AND c.relkind <> 'p')
            WHERE c.relkind IN ('r', 'S', 'v', 'c', 'm', 'f', 'p')
            ORDER BY c.oid
            """
        let rows = try query(q)
        if let timeout = options.lockWaitTimeout {
            _ = try conn.execute("SET statement_timeout = " + literal(timeout))
        }
        var lockQuery = ""
        let lockingComponents: DumpComponents = options.dumperMajor >= 18
            ? [.definition, .data, .statistics, .policy] : [.definition, .data, .policy]
        for r in rows {
            let t = TableInfo(catId: r.catId(), name: r.str("relname"), namespace: catalog.namespace(oid: r.oid("relnamespace")))
            catalog.assignDumpId(t)
            t.dacl = DumpableAcl(acl: r.opt("relacl"), acldefault: r.opt("acldefault"))
            t.relkind = r.char("relkind") ?? "r"
            t.reltype = r.oid("reltype")
            t.ownerName = catalog.roleName(r.oid("relowner"))
            t.ncheck = r.int("relchecks")
            t.hasindex = r.bool("relhasindex")
            t.hasrules = r.bool("relhasrules")
            t.relpages = r.int("relpages")
            t.reltuples = Double(r.opt("reltuples") ?? "") ?? -1
            t.toastpages = r.int("toastpages")
            if !r.isNull("owning_tab") {
                t.owningTab = r.oid("owning_tab")
                t.owningCol = r.int("owning_col")
            }
            t.reltablespace = r.str("reltablespace")
            t.hastriggers = r.bool("relhastriggers")
            t.relpersistence = r.char("relpersistence") ?? "p"
            t.relispopulated = r.bool("relispopulated")
            t.relreplident = r.char("relreplident") ?? "d"
            t.rowsec = r.bool("relrowsecurity")
            t.forcerowsec = r.bool("relforcerowsecurity")
            t.reloptions = r.str("reloptions")
            t.checkoption = r.opt("checkoption")
            t.toastReloptions = r.str("toast_reloptions")
            t.reloftype = r.oid("reloftype")
            t.foreignServer = r.oid("foreignserver")
            t.amname = r.opt("amname")
            t.isIdentitySequence = r.bool("is_identity_sequence")
            t.ispartition = r.bool("ispartition")

            if t.relkind == "c" {
                t.dump = .none
            } else {
                selectDumpableTable(t)
            }
            t.interesting = !t.dump.intersection([.definition, .data]).isEmpty
            // pg_dump 18: the statistics object comes right after its table.
            if t.interesting {
                let stats = getRelationStatistics(t, relpages: t.relpages, reltuples: r.str("reltuples"),
                                                  relallvisible: r.int("relallvisible"),
                                                  relallfrozen: r.int("relallfrozen"), relkind: t.relkind)
                if t.relkind == "m" { t.stats = stats }
            }
            t.components.insert(.data)
            if !r.isNull("relacl") { t.components.insert(.acl) }

            // Lock what we dump, in batches, before reading anything else about it: only for
            // the components that need it (pg_dump's DUMP_COMPONENTS_REQUIRING_LOCK), so that
            // pg_catalog's tables, dumped for their ACLs only, are not locked (a non-superuser
            // may not lock pg_authid).
            if !t.dump.intersection(lockingComponents).isEmpty,
               t.relkind == "r" || t.relkind == "p" {
                if lockQuery.isEmpty {
                    lockQuery = "LOCK TABLE " + qualified(t)
                } else {
                    lockQuery += ", " + qualified(t)
                    if lockQuery.utf8.count >= 100_000 {
                        try statement(lockQuery + " IN ACCESS SHARE MODE")
                        lockQuery = ""
                    }
                }
            }
        }
        if !lockQuery.isEmpty { try statement(lockQuery + " IN ACCESS SHARE MODE") }
        if options.lockWaitTimeout != nil { _ = try conn.execute("SET statement_timeout = 0") }
        sendIndexQueryAhead()
    }

    /// Sequences owned by a column are dumped whenever their table is.
    func getOwnedSeqs() throws {
        for case let seq as TableInfo in catalog.allObjects where seq.owningTab != 0 {
            guard let owner = table(oid: seq.owningTab) else {
                throw CatalogError("failed sanity check, parent table with OID \(seq.owningTab) of sequence with OID \(seq.catId.oid) not found")
            }
            if seq.isIdentitySequence {
                seq.dump = owner.dump
            } else {
                seq.dump.formUnion(owner.dump)
            }
            if !seq.dump.isEmpty {
                seq.interesting = true
                owner.interesting = true
            }
        }
    }

    func getInherits() throws {
        inherits = try query("SELECT inhrelid, inhparent FROM pg_inherits").map { ($0.oid("inhrelid"), $0.oid("inhparent")) }
    }

    /// Links children to parents, marks parents of dumped tables interesting, and makes the
    /// ATTACH PARTITION objects.
    func flagInhTables() throws {
        for (child, parent) in inherits {
            // No TableInfo: a partitioned index's pg_inherits row.
            guard let c = table(oid: child) else { continue }
            guard let p = table(oid: parent) else {
                throw CatalogError("failed sanity check, parent OID \(parent) of table \"\(c.name)\" (OID \(child)) not found")
            }
            c.parents.append(p)
        }
        for case let t as TableInfo in catalog.allObjects {
            if !t.dump.isEmpty { for p in t.parents { p.interesting = true } }
            if t.dump.contains(.definition) && t.ispartition {
                guard t.parents.count == 1 else {
                    throw CatalogError("invalid number of parents \(t.parents.count) for table \"\(t.name)\"")
                }
                let attach = TableAttachInfo(parent: t.parents[0], partition: t)
                catalog.assignDumpId(attach)
                attach.addDependency(t.dumpId)
                attach.addDependency(t.parents[0].dumpId)
            }
        }
    }

    /// The TableInfo with this pg_class OID.
    public func table(oid: UInt32) -> TableInfo? {
        catalog.object(table: CatalogTable.pgClass, oid: oid) as? TableInfo
    }

    /// A literal for catalog queries (standard_conforming_strings is on in every session).
    func literal(_ s: String) -> String {
        String(decoding: PostgresClient.SQLQuoter.literal(Array(s.utf8)), as: UTF8.self)
    }
}


extension CatalogContext {
    /// Columns, defaults and CHECK constraints of every interesting table: one query each
    /// over the array of table OIDs, as pg_dump does.
    func getTableAttrs() throws {
        let tables = catalog.allObjects.compactMap { $0 as? TableInfo }.filter { $0.relkind != "S" && $0.interesting }
        guard !tables.isEmpty else { return }
        let tbloids = "{" + tables.map { String($0.catId.oid) }.joined(separator: ",") + "}"
        let checkoids = "{" + tables.filter { $0.ncheck > 0 }.map { String($0.catId.oid) }.joined(separator: ",") + "}"
        // From server 18, NOT NULL constraints have names (and may be NOT VALID or NO INHERIT).
        let namedNotNull = remoteVersion >= 180000
        var invalidNotNull: [UInt32] = []
        let rows = try query("""
            SELECT a.attrelid, a.attnum, a.attname, a.attstattarget, a.attstorage, t.typstorage, a.atthasdef, \
            a.attisdropped, a.attlen, a.attalign, a.attislocal, \
            pg_catalog.format_type(t.oid, a.atttypmod) AS atttypname, \
            array_to_string(a.attoptions, ', ') AS attoptions, \
            CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation ELSE 0 END AS attcollation, \
            pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value) \
            FROM pg_catalog.pg_options_to_table(attfdwoptions) ORDER BY option_name), E',\\n    ') AS attfdwoptions, \
            a.attnotnull, \(remoteVersion >= 140000 ? "a.attcompression" : "''") AS attcompression, a.attidentity, \
            CASE WHEN a.atthasmissing AND NOT a.attisdropped THEN a.attmissingval ELSE null END AS attmissingval, \
            \(remoteVersion >= 120000 ? "a.attgenerated" : "''") AS attgenerated\(namedNotNull ? """
            , co.conname AS notnull_name, \
            CASE WHEN co.convalidated THEN pt.description ELSE NULL END AS notnull_comment, \
            CASE WHEN NOT co.convalidated THEN co.oid ELSE NULL END AS notnull_invalidoid, \
            co.connoinherit AS notnull_noinherit, co.conislocal AS notnull_islocal
            """ : "")
            FROM unnest('\(tbloids)'::pg_catalog.oid[]) AS src(tbloid)
            JOIN pg_catalog.pg_attribute a ON (src.tbloid = a.attrelid) LEFT JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)\(namedNotNull ? """

             LEFT JOIN pg_catalog.pg_constraint co ON (a.attrelid = co.conrelid AND co.contype = 'n' AND co.conkey = array[a.attnum])
             LEFT JOIN pg_catalog.pg_description pt ON (pt.classoid = co.tableoid AND pt.objoid = co.oid)
            """ : "")
            WHERE a.attnum > 0::pg_catalog.int2
            ORDER BY a.attrelid, a.attnum
            """)
        var withDefaults: [UInt32] = []
        var hasDefault: [UInt32: Bool] = [:]
        for r in rows {
            guard let t = table(oid: r.oid("attrelid")) else { throw CatalogError("unrecognized table OID \(r.oid("attrelid"))") }
            if r.int("attnum") != t.attnames.count + 1 { throw CatalogError("invalid column numbering in table \"\(t.name)\"") }
            t.attnames.append(r.str("attname"))
            t.atttypnames.append(r.str("atttypname"))
            t.attstattarget.append(r.isNull("attstattarget") ? -1 : r.int("attstattarget"))
            t.attstorage.append(r.char("attstorage") ?? "\0")
            t.typstorage.append(r.char("typstorage") ?? "\0")
            t.attidentity.append(r.char("attidentity") ?? "\0")
            t.attgenerated.append(r.char("attgenerated") ?? "\0")
            t.attisdropped.append(r.bool("attisdropped"))
            t.attlen.append(r.int("attlen"))
            t.attalign.append(r.char("attalign") ?? "\0")
            t.attislocal.append(r.bool("attislocal"))
            t.notnull.append(r.bool("attnotnull"))
            t.inhNotNull.append(false)
            if namedNotNull {
                determineNotNullFlags(t, r, &invalidNotNull)
            }
            t.attoptions.append(Self.withoutHiddenOptions(r.str("attoptions")))
            t.attcollation.append(r.oid("attcollation"))
            t.attcompression.append(r.char("attcompression") ?? "\0")
            t.attfdwoptions.append(r.str("attfdwoptions"))
            t.attmissingval.append(r.str("attmissingval"))
            t.attrdefs.append(nil)
            if r.bool("atthasdef"), hasDefault[t.catId.oid] == nil {
                hasDefault[t.catId.oid] = true
                withDefaults.append(t.catId.oid)
            }
        }

        if options.dumpSchema && !withDefaults.isEmpty {
            info("finding table default expressions")
            let defs = try query("""
                SELECT a.tableoid, a.oid, adrelid, adnum, pg_catalog.pg_get_expr(adbin, adrelid) AS adsrc
                FROM unnest('{\(withDefaults.map(String.init).joined(separator: ","))}'::pg_catalog.oid[]) AS src(tbloid)
                JOIN pg_catalog.pg_attrdef a ON (src.tbloid = a.adrelid)
                ORDER BY a.adrelid, a.adnum
                """)
            for r in defs {
                guard let t = table(oid: r.oid("adrelid")) else { throw CatalogError("unrecognized table OID \(r.oid("adrelid"))") }
                let adnum = r.int("adnum")
                guard adnum > 0 && adnum <= t.attnames.count else {
                    throw CatalogError("invalid adnum value \(adnum) for table \"\(t.name)\"")
                }
                if t.attisdropped[adnum - 1] { continue }
                let d = AttrDefInfo(catId: r.catId(), table: t, adnum: adnum, source: r.str("adsrc"))
                catalog.assignDumpId(d)
                d.dump = t.dump
                if t.attgenerated[adnum - 1] != "\0" {
                    d.separate = false
                } else if t.relkind == "v" {
                    d.separate = true
                } else if !shouldPrintColumn(t, adnum - 1) {
                    d.separate = true
                } else {
                    d.separate = false
                }
                if !d.separate { t.addDependency(d.dumpId) }
                t.attrdefs[adnum - 1] = d
            }
        }

        if options.dumpSchema && !invalidNotNull.isEmpty {
            info("finding invalid not-null constraints")
            // NOT VALID not-null constraints: created after the data, like unvalidated CHECKs.
            let invalid = try query("""
                SELECT c.tableoid, c.oid, conrelid, conname, pg_catalog.pg_get_constraintdef(c.oid) AS consrc, conislocal, convalidated
                FROM unnest('{\(invalidNotNull.map(String.init).joined(separator: ","))}'::pg_catalog.oid[]) AS src(conoid)
                JOIN pg_catalog.pg_constraint c ON (src.conoid = c.oid)
                ORDER BY c.conrelid, c.conname
                """)
            for r in invalid {
                guard let t = table(oid: r.oid("conrelid")) else { throw CatalogError("unrecognized table OID \(r.oid("conrelid"))") }
                let c = ConstraintInfo(catId: r.catId(), name: r.str("conname"), namespace: t.namespace)
                catalog.assignDumpId(c)
                c.contable = t
                c.contype = "n"
                c.condef = r.str("consrc")
                c.conislocal = r.bool("conislocal")
                c.separate = true
                c.dump = t.dump
                c.sortKey = .constraint(domain: nil, table: t.name)
            }
        }

        if options.dumpSchema && checkoids != "{}" {
            info("finding table check constraints")
            let checks = try query("""
                SELECT c.tableoid, c.oid, conrelid, conname, pg_catalog.pg_get_constraintdef(c.oid) AS consrc, conislocal, convalidated
                FROM unnest('\(checkoids)'::pg_catalog.oid[]) AS src(tbloid)
                JOIN pg_catalog.pg_constraint c ON (src.tbloid = c.conrelid)
                WHERE contype = 'c'
                ORDER BY c.conrelid, c.conname
                """)
            for r in checks {
                guard let t = table(oid: r.oid("conrelid")) else { throw CatalogError("unrecognized table OID \(r.oid("conrelid"))") }
                let c = ConstraintInfo(catId: r.catId(), name: r.str("conname"), namespace: t.namespace)
                catalog.assignDumpId(c)
                c.contable = t
                c.contype = "c"
                c.condef = r.str("consrc")
                c.conislocal = r.bool("conislocal")
                // An unvalidated constraint goes after the data, as its own entry.
                c.separate = !r.bool("convalidated")
                c.dump = t.dump
                c.sortKey = .constraint(domain: nil, table: t.name)
                if !c.separate { t.addDependency(c.dumpId) }
                t.checkexprs.append(c)
            }
            for t in tables where t.checkexprs.count != t.ncheck {
                throw CatalogError("expected \(t.ncheck) check constraint(s) on table \"\(t.name)\" but found \(t.checkexprs.count); the system catalogs might be corrupted")
            }
        }
    }

    /// pg_dump 18's determineNotNullFlags, for a server 18+ row of the attribute query.
    private func determineNotNullFlags(_ t: TableInfo, _ r: Row, _ invalid: inout [UInt32]) {
        let j = t.attnames.count - 1
        if !r.isNull("notnull_invalidoid") {
            invalid.append(r.oid("notnull_invalidoid"))
            t.notnullConstrs.append(nil)
            t.notnullComment.append(nil)
            t.notnullInvalid.append(true)
            t.notnullNoInherit.append(false)
            t.notnullIsLocal.append(false)
            return
        }
        t.notnullNoInherit.append(r.bool("notnull_noinherit"))
        t.notnullIsLocal.append(r.bool("notnull_islocal"))
        t.notnullInvalid.append(false)
        let comment = r.opt("notnull_comment")
        t.notnullComment.append(comment)
        guard let name = r.opt("notnull_name") else { t.notnullConstrs.append(nil); return }
        // The default name goes unsaid, unless a comment must name the constraint.
        if comment == nil && name == "\(t.name)_\(t.attnames[j])_not_null" {
            t.notnullConstrs.append("")
        } else {
            t.notnullConstrs.append(name)
        }
    }

    /// Debian's PostgreSQL 15 packages add a hidden per-column option (pg_attver) that its
    /// own pg_dump never dumps; neither do we.
    static func withoutHiddenOptions(_ options: String) -> String {
        // Every column has it on those servers, and most have nothing else: worked on the
        // bytes (Foundation's contains and components were 13% of a 10,000-table schema
        // dump's instructions).
        guard !options.isEmpty else { return options }
        let bytes = Array(options.utf8)
        let hidden = Array("pg_attver=".utf8)
        var kept: [ArraySlice<UInt8>] = []
        var start = 0, dropped = false
        func take(_ end: Int) {
            let item = bytes[start..<end]
            if item.starts(with: hidden) { dropped = true } else { kept.append(item) }
        }
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x2c && bytes[i + 1] == 0x20 { take(i); i += 2; start = i } else { i += 1 }
        }
        take(bytes.count)
        guard dropped else { return options }
        return String(decoding: Array(kept.joined(separator: [0x2c, 0x20])), as: UTF8.self)
    }

    /// pg_dump's shouldPrintColumn: dropped columns and purely inherited ones are left out of
    /// CREATE TABLE (except in partitions, which are created standalone and attached).
    public func shouldPrintColumn(_ t: TableInfo, _ col: Int) -> Bool {
        if t.attisdropped[col] { return false }
        return t.attislocal[col] || t.ispartition
    }

    /// pg_dump's flagInhAttrs: inherited NOT NULL, defaults and generation expressions.
    /// - A child column whose parent has a default but which has none itself gets an
    ///   explicit DEFAULT NULL (in CREATE TABLE, or as its own entry after the table when
    ///   the column is not printed there). pg_dump 16+ does not count a parent's default that
    ///   is itself `NULL` (manufactured or written so).
    /// - A generation expression inherited from a parent is not written for a child that is
    ///   not a partition (the server refuses one there, and the child inherits it anyway).
    ///   pg_dump 15 drops it whenever a parent column is generated; 16+ only when every
    ///   parent's expression equals the child's.
    /// Tables are visited in OID order, as pg_dump does, so a parent's manufactured default
    /// is seen by children visited after it, as there.
    func flagInhAttrs() throws {
        let named = remoteVersion >= 180000
        let newRules = options.dumperMajor >= 16
        for case let t as TableInfo in catalog.allObjects {
            guard !t.dump.isEmpty, !t.parents.isEmpty, !["S", "v", "m"].contains(t.relkind) else { continue }
            for j in 0..<t.attnames.count where !t.attisdropped[j] {
                var foundNotNull = false
                var foundDefault = false
                var foundGenerated = false
                var foundSameGenerated = false
                var foundDiffGenerated = false
                var allNotNullsInvalid = true
                for p in t.parents {
                    guard let k = p.attnames.firstIndex(of: t.attnames[j]) else { continue }
                    if k < p.notnull.count { foundNotNull = foundNotNull || p.notnull[k] }
                    if named, k < p.notnullConstrs.count, p.notnullConstrs[k] != nil, !p.notnullInvalid[k] {
                        allNotNullsInvalid = false
                    }
                    let parentDef = k < p.attrdefs.count ? p.attrdefs[k] : nil
                    let parentGenerated = k < p.attgenerated.count && p.attgenerated[k] != "\0"
                    if let pd = parentDef, !parentGenerated, !newRules || pd.adefSrc != "NULL" { foundDefault = true }
                    if parentGenerated {
                        foundGenerated = true
                        if let pd = parentDef, let cd = t.attrdefs[j], pd.adefSrc == cd.adefSrc {
                            foundSameGenerated = true
                        } else {
                            foundDiffGenerated = true
                        }
                    }
                }
                t.inhNotNull[j] = foundNotNull
                // Server 18: a child's NOT NULL is printed locally when no parent has a valid one.
                if named && allNotNullsInvalid { t.notnullIsLocal[j] = true }
                if foundDefault && t.attrdefs[j] == nil {
                    let d = AttrDefInfo(catId: .none, table: t, adnum: j + 1, source: "NULL")
                    catalog.assignDumpId(d)
                    d.dump = t.dump
                    if shouldPrintColumn(t, j) {
                        d.separate = false  // NULL has no dependencies of its own
                    } else {
                        d.separate = true   // the column is not printed: after the table
                        d.addDependency(t.dumpId)
                    }
                    t.attrdefs[j] = d
                }
                if t.ispartition { continue }
                if newRules {
                    if foundSameGenerated && !foundDiffGenerated { t.attrdefs[j]?.dump = [] }
                } else if foundGenerated {
                    t.attrdefs[j] = nil
                }
            }
        }
    }

    /// Partitioned tables hashed on an enum must be loaded through the root (enum OIDs
    /// change across dump and reload, and so would the hash codes).
    func getPartitioningInfo() throws {
        guard remoteVersion >= 110000, options.dumpData else { return }
        let rows = try query("""
            SELECT partrelid FROM pg_partitioned_table WHERE
            (SELECT c.oid FROM pg_opclass c JOIN pg_am a ON c.opcmethod = a.oid
            WHERE opcname = 'enum_ops' AND opcnamespace = 'pg_catalog'::regnamespace AND amname = 'hash') = ANY(partclass)
            """)
        for r in rows {
            guard let t = table(oid: r.oid("partrelid")) else {
                throw CatalogError("failed sanity check, table OID \(r.oid("partrelid")) appearing in pg_partitioned_table not found")
            }
            t.unsafePartitions = true
        }
    }
}
