import Archive
import Catalog

// Indexes, constraints, triggers, rules, policies, extended statistics, event triggers:
// pg_dump.c's dumpIndex ... dumpRule, each making its post-data TOC entry and, through the
// shared helpers, its COMMENT (and SECURITY LABEL) entries.

extension DumpContext {
    // MARK: indexes

    /// pg_dump's dumpIndex. An index that implements a constraint gets no entry of its own
    /// (dumpConstraint makes it), but its comment is dumped here, depending on the constraint.
    func dumpIndex(_ indxinfo: IndxInfo) throws {
        if !options.dumpSchema { return }
        let tbinfo = indxinfo.indextable
        let isConstraint = indxinfo.indexconstraint != 0
        let qindxname = fmtId(indxinfo.name)
        let qqindxname = qualified(indxinfo)

        if !isConstraint {
            var q = indxinfo.indexdef + ";\n"
            var delq = ""
            // Properties that only ALTER TABLE can set; keep in step with dumpConstraint.
            if indxinfo.indisclustered {
                q += "\nALTER TABLE \(qualified(tbinfo)) CLUSTER ON \(qindxname);\n"
            }
            if !indxinfo.indstatcols.isEmpty || !indxinfo.indstatvals.isEmpty {
                guard let cols = parsePGArray(indxinfo.indstatcols) else {
                    throw CatalogError("could not parse index statistic columns")
                }
                guard let vals = parsePGArray(indxinfo.indstatvals) else {
                    throw CatalogError("could not parse index statistic values")
                }
                guard cols.count == vals.count else {
                    throw CatalogError("mismatched number of columns and values for index statistics")
                }
                for (c, v) in zip(cols, vals) {
                    // A column number: never quoted.
                    q += "ALTER INDEX \(qqindxname) ALTER COLUMN \(c) SET STATISTICS \(v);\n"
                }
            }
            try postDataDependsOnExtension(&q, indxinfo, catalog: "pg_catalog.pg_class",
                                           keyword: "INDEX", objname: qqindxname)
            if indxinfo.indisreplident {
                q += "\nALTER TABLE ONLY \(qualified(tbinfo)) REPLICA IDENTITY USING INDEX \(qindxname);\n"
            }
            // A partition of a partitioned index goes away with its table or its parent;
            // the server refuses to drop it alone.
            if indxinfo.parentidx == 0 {
                delq += "DROP INDEX \(qqindxname);\n"
            }
            if indxinfo.dump.contains(.definition) {
                archiveEntry(catId: indxinfo.catId, dumpId: indxinfo.dumpId, EntryOptions(
                    tag: indxinfo.name, namespace: tbinfo.namespace?.name,
                    tablespace: indxinfo.tablespace, owner: tbinfo.ownerName,
                    description: "INDEX", section: .postData,
                    createStmt: q, dropStmt: delq))
            }
        }

        if indxinfo.dump.contains(.comment) {
            try dumpComment(type: "INDEX", name: qindxname, namespace: tbinfo.namespace?.name,
                            owner: tbinfo.ownerName, catId: indxinfo.catId, subid: 0,
                            dumpId: isConstraint ? indxinfo.indexconstraint : indxinfo.dumpId)
        }
    }

    /// pg_dump's dumpIndexAttach: ALTER INDEX ... ATTACH PARTITION.
    func dumpIndexAttach(_ attach: IndexAttachInfo) throws {
        if !options.dumpSchema { return }
        guard attach.partitionIdx.dump.contains(.definition) else { return }
        let q = "ALTER INDEX \(qualified(attach.parentIdx)) ATTACH PARTITION \(qualified(attach.partitionIdx));\n"
        // No drop statement: the attachment goes with either index, and cannot be undone.
        // The owner is set so that restore runs the command as the right role.
        archiveEntry(catId: attach.catId, dumpId: attach.dumpId, EntryOptions(
            tag: attach.name, namespace: attach.namespace?.name,
            owner: attach.parentIdx.indextable.ownerName,
            description: "INDEX ATTACH", section: .postData, createStmt: q))
    }

    // MARK: extended statistics

    /// pg_dump's dumpStatisticsExt.
    func dumpStatisticsExt(_ stats: StatsExtInfo) throws {
        if !options.dumpSchema { return }
        let qname = fmtId(stats.name)
        var q = try cat.statisticsObjectDefinition(stats) + ";\n"
        // Only a target other than the default needs ALTER STATISTICS.
        if stats.stattarget >= 0 {
            q += "ALTER STATISTICS \(qualified(stats)) SET STATISTICS \(stats.stattarget);\n"
        }
        let delq = "DROP STATISTICS \(qualified(stats));\n"
        if stats.dump.contains(.definition) {
            archiveEntry(catId: stats.catId, dumpId: stats.dumpId, EntryOptions(
                tag: stats.name, namespace: stats.namespace?.name, owner: stats.ownerName,
                description: "STATISTICS", section: .postData, createStmt: q, dropStmt: delq))
        }
        if stats.dump.contains(.comment) {
            try dumpComment(type: "STATISTICS", name: qname, namespace: stats.namespace?.name,
                            owner: stats.ownerName, catId: stats.catId, subid: 0, dumpId: stats.dumpId)
        }
    }

    // MARK: constraints

    /// pg_dump's dumpConstraint: index-backed (p/u/x), foreign-key, and separately dumped
    /// CHECK constraints of tables, and separately dumped domain CHECK constraints.
    func dumpConstraint(_ coninfo: ConstraintInfo) throws {
        if !options.dumpSchema { return }
        let tbinfo = coninfo.contable
        let foreign = tbinfo?.relkind == "f" ? "FOREIGN " : ""
        var q = ""
        var delq = ""

        if let tbinfo, coninfo.contype == "p" || coninfo.contype == "u" || coninfo.contype == "x" {
            guard let indxinfo = catalog.object(dumpId: coninfo.conindex) as? IndxInfo else {
                throw CatalogError("missing index for constraint \"\(coninfo.name)\"")
            }
            q += "ALTER \(foreign)TABLE ONLY \(qualified(tbinfo))\n"
            q += "    ADD CONSTRAINT \(fmtId(coninfo.name)) "
            if let condef = coninfo.condef {
                // pg_get_constraintdef gave everything.
                q += condef + ";\n"
            } else {
                q += coninfo.contype == "p" ? "PRIMARY KEY" : "UNIQUE"
                // Never on a primary key: servers once accepted that, but it cannot be
                // restored (pg_dump 15.7 and later leave it off).
                if indxinfo.indnullsnotdistinct && coninfo.contype != "p" {
                    q += " NULLS NOT DISTINCT"
                }
                q += " ("
                var k = 0
                while k < indxinfo.indnkeyattrs {
                    let indkey = indxinfo.indkeys[k]
                    if indkey == 0 { break }
                    q += (k == 0 ? "" : ", ") + fmtId(try getAttrName(indkey, tbinfo))
                    k += 1
                }
                if coninfo.conperiod { q += " WITHOUT OVERLAPS" }
                if indxinfo.indnkeyattrs < indxinfo.indnattrs { q += ") INCLUDE (" }
                k = indxinfo.indnkeyattrs
                while k < indxinfo.indnattrs {
                    let indkey = indxinfo.indkeys[k]
                    if indkey == 0 { break }
                    q += (k == indxinfo.indnkeyattrs ? "" : ", ") + fmtId(try getAttrName(indkey, tbinfo))
                    k += 1
                }
                q += ")"
                if nonemptyReloptions(indxinfo.indreloptions) {
                    q += " WITH (" + (try reloptionsArrayAH(indxinfo.indreloptions)) + ")"
                }
                if coninfo.condeferrable {
                    q += " DEFERRABLE"
                    if coninfo.condeferred { q += " INITIALLY DEFERRED" }
                }
                q += ";\n"
            }
            // Properties that only ALTER TABLE can set; keep in step with dumpIndex.
            if indxinfo.indisclustered {
                q += "\nALTER TABLE \(qualified(tbinfo)) CLUSTER ON \(fmtId(indxinfo.name));\n"
            }
            if indxinfo.indisreplident {
                q += "\nALTER TABLE ONLY \(qualified(tbinfo)) REPLICA IDENTITY USING INDEX \(fmtId(indxinfo.name));\n"
            }
            try postDataDependsOnExtension(&q, indxinfo, catalog: "pg_catalog.pg_class",
                                           keyword: "INDEX", objname: qualified(indxinfo))
            delq += "ALTER \(foreign)TABLE ONLY \(qualified(tbinfo)) DROP CONSTRAINT \(fmtId(coninfo.name));\n"
            if coninfo.dump.contains(.definition) {
                archiveEntry(catId: coninfo.catId, dumpId: coninfo.dumpId, EntryOptions(
                    tag: "\(tbinfo.name) \(coninfo.name)", namespace: tbinfo.namespace?.name,
                    tablespace: indxinfo.tablespace, owner: tbinfo.ownerName,
                    description: "CONSTRAINT", section: .postData, createStmt: q, dropStmt: delq))
            }
        } else if let tbinfo, coninfo.contype == "f" {
            // FKs on partitioned tables always reach the partitions; elsewhere they apply
            // only to the named table, as they do for inheritance children.
            let only = tbinfo.relkind == "p" ? "" : "ONLY "
            q += "ALTER \(foreign)TABLE \(only)\(qualified(tbinfo))\n"
            q += "    ADD CONSTRAINT \(fmtId(coninfo.name)) \(coninfo.condef ?? "");\n"
            delq += "ALTER \(foreign)TABLE \(only)\(qualified(tbinfo)) DROP CONSTRAINT \(fmtId(coninfo.name));\n"
            if coninfo.dump.contains(.definition) {
                archiveEntry(catId: coninfo.catId, dumpId: coninfo.dumpId, EntryOptions(
                    tag: "\(tbinfo.name) \(coninfo.name)", namespace: tbinfo.namespace?.name,
                    owner: tbinfo.ownerName, description: "FK CONSTRAINT", section: .postData,
                    createStmt: q, dropStmt: delq))
            }
        } else if let tbinfo, coninfo.contype == "c" || coninfo.contype == "n" {
            // A CHECK (or, from 18 servers, invalid NOT NULL) constraint dumped on its own;
            // inherited ones come with the parent.
            if coninfo.separate && coninfo.conislocal {
                let keyword = coninfo.contype == "c" ? "CHECK CONSTRAINT" : "CONSTRAINT"
                // Not ONLY: it is to reach the children too.
                q += "ALTER \(foreign)TABLE \(qualified(tbinfo))\n"
                q += "    ADD CONSTRAINT \(fmtId(coninfo.name)) \(coninfo.condef ?? "");\n"
                delq += "ALTER \(foreign)TABLE \(qualified(tbinfo)) DROP CONSTRAINT \(fmtId(coninfo.name));\n"
                if coninfo.dump.contains(.definition) {
                    archiveEntry(catId: coninfo.catId, dumpId: coninfo.dumpId, EntryOptions(
                        tag: "\(tbinfo.name) \(coninfo.name)", namespace: tbinfo.namespace?.name,
                        owner: tbinfo.ownerName, description: keyword, section: .postData,
                        createStmt: q, dropStmt: delq))
                }
            }
        } else if tbinfo == nil, let domain = coninfo.condomain {
            // A domain's CHECK (or NOT NULL) constraint dumped on its own.
            if coninfo.separate {
                let keyword = coninfo.contype == "c" ? "CHECK CONSTRAINT" : "CONSTRAINT"
                let owner = (domain as? TypeInfo)?.ownerName
                q += "ALTER DOMAIN \(qualified(domain))\n"
                q += "    ADD CONSTRAINT \(fmtId(coninfo.name)) \(coninfo.condef ?? "");\n"
                delq += "ALTER DOMAIN \(qualified(domain)) DROP CONSTRAINT \(fmtId(coninfo.name));\n"
                if coninfo.dump.contains(.definition) {
                    archiveEntry(catId: coninfo.catId, dumpId: coninfo.dumpId, EntryOptions(
                        tag: "\(domain.name) \(coninfo.name)", namespace: domain.namespace?.name,
                        owner: owner, description: keyword, section: .postData,
                        createStmt: q, dropStmt: delq))
                }
                if coninfo.dump.contains(.comment) {
                    try dumpComment(type: "CONSTRAINT \(fmtId(coninfo.name)) ON DOMAIN",
                                    name: fmtId(domain.name), namespace: domain.namespace?.name,
                                    owner: owner, catId: coninfo.catId, subid: 0, dumpId: coninfo.dumpId)
                }
            }
        } else {
            throw CatalogError("unrecognized constraint type: \(coninfo.contype)")
        }

        // Comments on table constraints dumped on their own.
        if tbinfo != nil && coninfo.separate && coninfo.dump.contains(.comment) {
            try dumpTableConstraintComment(coninfo)
        }
    }

    // MARK: triggers

    /// pg_dump's dumpTrigger, with the ALTER TABLE ... ENABLE/DISABLE TRIGGER a trigger
    /// not in the default state needs. A partition's clone is only that ALTER.
    func dumpTrigger(_ tginfo: TriggerInfo) throws {
        if !options.dumpSchema { return }
        let tbinfo = tginfo.tgtable
        let qtabname = fmtId(tbinfo.name)
        let trigidentity = "\(fmtId(tginfo.name)) ON \(qualified(tbinfo))"
        var query = tginfo.tgdef + ";\n"
        var delqry = "DROP TRIGGER \(trigidentity);\n"
        try postDataDependsOnExtension(&query, tginfo, catalog: "pg_catalog.pg_trigger",
                                       keyword: "TRIGGER", objname: trigidentity)
        let foreign = tbinfo.relkind == "f" ? "FOREIGN " : ""
        if tginfo.tgispartition {
            // The clone exists already: only its enabled state is to be set. No drop
            // either, so that --create --clean makes no errors.
            query = "\nALTER \(foreign)TABLE \(qualified(tbinfo)) "
            delqry = ""
            switch tginfo.tgenabled {
            case "f", "D": query += "DISABLE"
            case "t", "O": query += "ENABLE"
            case "R": query += "ENABLE REPLICA"
            case "A": query += "ENABLE ALWAYS"
            default: break
            }
            query += " TRIGGER \(fmtId(tginfo.name));\n"
        } else if tginfo.tgenabled != "t" && tginfo.tgenabled != "O" {
            query += "\nALTER \(foreign)TABLE \(qualified(tbinfo)) "
            switch tginfo.tgenabled {
            case "D", "f": query += "DISABLE"
            case "A": query += "ENABLE ALWAYS"
            case "R": query += "ENABLE REPLICA"
            default: query += "ENABLE"
            }
            query += " TRIGGER \(fmtId(tginfo.name));\n"
        }
        if tginfo.dump.contains(.definition) {
            archiveEntry(catId: tginfo.catId, dumpId: tginfo.dumpId, EntryOptions(
                tag: "\(tbinfo.name) \(tginfo.name)", namespace: tbinfo.namespace?.name,
                owner: tbinfo.ownerName, description: "TRIGGER", section: .postData,
                createStmt: query, dropStmt: delqry))
        }
        if tginfo.dump.contains(.comment) {
            try dumpComment(type: "TRIGGER \(fmtId(tginfo.name)) ON", name: qtabname,
                            namespace: tbinfo.namespace?.name, owner: tbinfo.ownerName,
                            catId: tginfo.catId, subid: 0, dumpId: tginfo.dumpId)
        }
    }

    /// pg_dump's dumpEventTrigger.
    func dumpEventTrigger(_ evtinfo: EventTriggerInfo) throws {
        if !options.dumpSchema { return }
        let qevtname = fmtId(evtinfo.name)
        var query = "CREATE EVENT TRIGGER \(qevtname) ON \(fmtId(evtinfo.evtevent))"
        if !evtinfo.evttags.isEmpty {
            query += "\n         WHEN TAG IN (\(evtinfo.evttags))"
        }
        query += "\n   EXECUTE FUNCTION \(evtinfo.evtfname)();\n"
        if evtinfo.evtenabled != "O" {
            query += "\nALTER EVENT TRIGGER \(qevtname) "
            switch evtinfo.evtenabled {
            case "D": query += "DISABLE"
            case "A": query += "ENABLE ALWAYS"
            case "R": query += "ENABLE REPLICA"
            default: query += "ENABLE"
            }
            query += ";\n"
        }
        let delqry = "DROP EVENT TRIGGER \(qevtname);\n"
        if evtinfo.dump.contains(.definition) {
            archiveEntry(catId: evtinfo.catId, dumpId: evtinfo.dumpId, EntryOptions(
                tag: evtinfo.name, owner: evtinfo.evtowner, description: "EVENT TRIGGER",
                section: .postData, createStmt: query, dropStmt: delqry))
        }
        if evtinfo.dump.contains(.comment) {
            try dumpComment(type: "EVENT TRIGGER", name: qevtname, namespace: nil,
                            owner: evtinfo.evtowner, catId: evtinfo.catId, subid: 0, dumpId: evtinfo.dumpId)
        }
        if evtinfo.dump.contains(.secLabel) {
            try dumpSecLabel(type: "EVENT TRIGGER", name: qevtname, namespace: nil,
                             owner: evtinfo.evtowner, catId: evtinfo.catId, subid: 0, dumpId: evtinfo.dumpId)
        }
    }

    // MARK: rules

    /// pg_dump's dumpRule. A view's ON SELECT rule is dumped only when the sorter split it
    /// from the view (to break a loop): then it is CREATE OR REPLACE VIEW over a dummy view.
    func dumpRule(_ rinfo: RuleInfo) throws {
        if !options.dumpSchema { return }
        if !rinfo.separate { return }
        let tbinfo = rinfo.ruletable
        let isView = rinfo.evType == "1" && rinfo.isInstead
        let qtabname = fmtId(tbinfo.name)
        var cmd = ""
        var delcmd = ""

        if isView {
            // OR REPLACE: it replaces the dummy view made earlier.
            cmd += "CREATE OR REPLACE VIEW \(qualified(tbinfo))"
            if nonemptyReloptions(tbinfo.reloptions) {
                cmd += " WITH (" + (try reloptionsArrayAH(tbinfo.reloptions)) + ")"
            }
            cmd += " AS\n" + (try createViewAsClause(tbinfo))
            if let co = tbinfo.checkoption {
                cmd += "\n  WITH \(co) CHECK OPTION"
            }
            cmd += ";\n"
        } else {
            cmd = try cat.ruleDefinition(rinfo, table: tbinfo) + "\n"
        }

        // The rule's firing state, when not the default.
        if rinfo.evEnabled != "O" {
            cmd += "ALTER TABLE \(qualified(tbinfo)) "
            switch rinfo.evEnabled {
            case "A": cmd += "ENABLE ALWAYS RULE \(fmtId(rinfo.name));\n"
            case "R": cmd += "ENABLE REPLICA RULE \(fmtId(rinfo.name));\n"
            case "D": cmd += "DISABLE RULE \(fmtId(rinfo.name));\n"
            default: break
            }
        }

        if isView {
            // A view's ON SELECT rule cannot be dropped: replace it with one of minimal
            // dependencies instead.
            delcmd += "CREATE OR REPLACE VIEW \(qualified(tbinfo)) AS\n\(createDummyViewAsClause(tbinfo));\n"
        } else {
            delcmd += "DROP RULE \(fmtId(rinfo.name)) ON \(qualified(tbinfo));\n"
        }

        if rinfo.dump.contains(.definition) {
            archiveEntry(catId: rinfo.catId, dumpId: rinfo.dumpId, EntryOptions(
                tag: "\(tbinfo.name) \(rinfo.name)", namespace: tbinfo.namespace?.name,
                owner: tbinfo.ownerName, description: "RULE", section: .postData,
                createStmt: cmd, dropStmt: delcmd))
        }
        if rinfo.dump.contains(.comment) {
            try dumpComment(type: "RULE \(fmtId(rinfo.name)) ON", name: qtabname,
                            namespace: tbinfo.namespace?.name, owner: tbinfo.ownerName,
                            catId: rinfo.catId, subid: 0, dumpId: rinfo.dumpId)
        }
    }

    // MARK: policies

    /// pg_dump's dumpPolicy: CREATE POLICY, or for the pseudo-policy the table's
    /// ALTER TABLE ... ENABLE ROW LEVEL SECURITY (ROW SECURITY entry).
    func dumpPolicy(_ polinfo: PolicyInfo) throws {
        if !options.dumpSchema { return }
        let tbinfo = polinfo.poltable

        guard let polname = polinfo.polname else {
            let query = "ALTER TABLE \(qualified(tbinfo)) ENABLE ROW LEVEL SECURITY;"
            // The dependency on the table is explicit: nothing in pg_depend matches.
            if polinfo.dump.contains(.definition) {
                archiveEntry(catId: polinfo.catId, dumpId: polinfo.dumpId, EntryOptions(
                    tag: polinfo.name, namespace: polinfo.namespace?.name, owner: tbinfo.ownerName,
                    description: "ROW SECURITY", section: .postData, createStmt: query,
                    deps: [tbinfo.dumpId]))
            }
            return
        }

        let cmd: String
        switch polinfo.polcmd {
        case "*": cmd = ""
        case "r": cmd = " FOR SELECT"
        case "a": cmd = " FOR INSERT"
        case "w": cmd = " FOR UPDATE"
        case "d": cmd = " FOR DELETE"
        default: throw CatalogError("unexpected policy command type: \(polinfo.polcmd)")
        }
        let qtabname = fmtId(tbinfo.name)
        var query = "CREATE POLICY \(fmtId(polname))"
        query += " ON \(qualified(tbinfo))\(polinfo.polpermissive ? "" : " AS RESTRICTIVE")\(cmd)"
        if let roles = polinfo.polroles { query += " TO \(roles)" }
        if let qual = polinfo.polqual { query += " USING (\(qual))" }
        if let check = polinfo.polwithcheck { query += " WITH CHECK (\(check))" }
        query += ";\n"
        let delqry = "DROP POLICY \(fmtId(polname)) ON \(qualified(tbinfo));\n"
        if polinfo.dump.contains(.definition) {
            archiveEntry(catId: polinfo.catId, dumpId: polinfo.dumpId, EntryOptions(
                tag: "\(tbinfo.name) \(polinfo.name)", namespace: polinfo.namespace?.name,
                owner: tbinfo.ownerName, description: "POLICY", section: .postData,
                createStmt: query, dropStmt: delqry))
        }
        if polinfo.dump.contains(.comment) {
            try dumpComment(type: "POLICY \(fmtId(polname)) ON", name: qtabname,
                            namespace: tbinfo.namespace?.name, owner: tbinfo.ownerName,
                            catId: polinfo.catId, subid: 0, dumpId: polinfo.dumpId)
        }
    }

    // MARK: helpers

    /// pg_dump's append_depends_on_extension, for post-data objects: the one builder
    /// (DDLHelpers.swift's dependsOnExtensionSQL, with pg_dump 17's layout) appended.
    fileprivate func postDataDependsOnExtension(_ create: inout String, _ obj: DumpableObject,
                                                catalog cat: String, keyword: String, objname: String) throws {
        create += try dependsOnExtensionSQL(obj, catalogName: cat, keyword: keyword, objName: objname)
    }

    /// pg_dump's appendReloptionsArrayAH: `name=value, ...`, each name prefixed and quoted
    /// as an identifier, each value bare when fmtId would leave it alone (so `auto`, but
    /// `'90'` and `'true'`), else a string literal.
    func reloptionsArrayAH(_ reloptions: String, prefix: String = "") throws -> String {
        guard let items = parsePGArray(reloptions) else {
            throw CatalogError("could not parse reloptions array")
        }
        var out = ""
        for (i, option) in items.enumerated() {
            let name: Substring, value: Substring
            if let eq = option.firstIndex(of: "=") {
                name = option[..<eq]
                value = option[option.index(after: eq)...]
            } else {
                name = Substring(option)
                value = ""
            }
            if i > 0 { out += ", " }
            out += prefix + fmtId(String(name)) + "="
            let v = String(value)
            out += fmtId(v) == v ? v : literal(v)
        }
        return out
    }

}
