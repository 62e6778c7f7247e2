import Archive
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

/// Turns an archive into exactly the SQL script pg_restore prints (RestoreArchive,
/// restore_toc_entry and _printTocEntry in script mode), for the pg_restore major chosen in
/// `options.compatMajor`.
public final class ScriptRenderer {
    let plan: RestorePlan
    let opts: RestoreOptions
    let out: RestoreSink
    let q: SQLQuoter
    let major: Int
    var archive: ArchiveReader { plan.archive }
    /// The imaginary session state of the script (nil: unknown).
    var currUser: [UInt8]?
    var currSchema: [UInt8]?
    var currTablespace: [UInt8]?
    var currTableAm: [UInt8]?
    var dataOnly: Bool
    /// No schema was asked to be left out, yet nothing selected has any.
    var impliedDataOnly = false
    /// Warnings pg_restore would print on stderr.
    public private(set) var warnings: [String] = []
    /// Entries processed without / with a failed command (live restore).
    public private(set) var restoredEntries = 0
    public private(set) var failedEntries = 0
    /// pg_restore's pg_log_info messages (shown with -v).
    public var onInfo: ((String) -> Void)?
    func info(_ message: @autoclosure () -> String) { onInfo?(message()) }
    /// What pg_restore 18 reports of each new connection's first query.
    static let secureSearchPathMessage = "executing SELECT pg_catalog.set_config('search_path', '', false);"
    /// Whether large objects are reported one by one (pg_restore); pg_dump's plain output
    /// writes them without a word.
    public var reportsLargeObjects = true
    static func text(_ b: [UInt8]?) -> String { b.map { String(decoding: $0, as: UTF8.self) } ?? "(null)" }
    /// Called after each processed entry with whether all its commands succeeded.
    public var onEntry: ((TocEntry, Bool) -> Void)?
    /// TABLE DATA entries not to load because their table could not be created.
    var inhibitedData: Set<Int32> = []
    /// Actions since the last commit in --transaction-size mode (pg_restore's txnCount).
    var txnCount = 0
    var txnSize: Int { opts.transactionSize }

    public init(plan: RestorePlan, output: RestoreSink) {
        self.plan = plan
        self.opts = plan.options
        self.out = output
        self.major = plan.options.compatMajor
        self.q = SQLQuoter(major: plan.options.compatMajor, quoteAll: plan.options.quoteAllIdentifiers)
        self.dataOnly = !plan.options.dumpSchema
        // "implied data-only restore": nothing schema-like selected.
        if !dataOnly && !plan.order.contains(where: { plan.reqs(of: $0).contains(.schema) }) {
            dataOnly = true
            impliedDataOnly = true
        }
        var dataIds: [Int32: Int32] = [:]
        for te in plan.archive.entries where te.desc == "TABLE DATA" {
            if let table = te.dependencies.first { dataIds[table] = te.dumpId }
        }
        tableDataId = dataIds
    }

    /// What restoring one entry came to, for the parallel scheduler (pg_restore's WORKER_*
    /// statuses): a table created (its data may be loaded with TRUNCATE first), a table not
    /// created under --no-data-for-failed-tables, or other errors.
    public enum EntryOutcome: Sendable, Equatable { case ok, ignoredErrors, createDone, inhibitData }
    /// The TABLE DATA entry of each TABLE (pg_restore's tableDataId).
    let tableDataId: [Int32: Int32]
    /// TABLE DATA entries whose table this run created (pg_restore's te->created).
    var createdData: Set<Int32> = []

    func w(_ s: String) throws { try out.write(Array(s.utf8)) }
    func w(_ b: [UInt8]) throws { try out.write(b) }
    func id(_ b: [UInt8]) -> [UInt8] { q.identifier(b) }
    /// Ends one of pg_restore's output units (an ahprintf): a live restore runs it.
    func cmd() throws { try out.endCommand() }
    /// Text only a script has: comments, banners (pg_restore's noTocComments in -d mode).
    var script: Bool { out.isScript }

    /// Renders the whole script (or runs the whole serial restore).
    public func render() throws {
        try begin()
        try restoreSerially()
        try end()
    }

    /// The start of RestoreArchive: banner, BEGIN for -1, the fixed settings, the drop pass.
    func begin() throws {
        let h = archive.header
        if !script {
            info("connecting to database for restore")
            if major >= 18 { info(Self.secureSearchPathMessage) }
        }
        if impliedDataOnly { info(major >= 18 ? "implied no-schema restore" : "implied data-only restore") }
        if script {
            try w("--\n-- PostgreSQL database dump\n--\n\n")
            if let key = opts.restrictKey { try w("\\restrict \(key)\n\n") }
            if let v = h.serverVersion { try w("-- Dumped from database version "); try w(v); try w("\n") }
            if let v = h.dumpVersion { try w("-- Dumped by pg_dump version "); try w(v); try w("\n") }
            try w("\n")
            if opts.verbose, let stamp = ArchiveTime.format(archiveTM: h.createdTM) {
                try w("-- Started on \(stamp)\n\n")
            }
        }
        if opts.singleTransaction { try w("BEGIN;\n\n"); try cmd() }
        try fixedOutputState()
        if opts.dropSchema { try dropPass(plan.order) }
    }

    /// Serial mode: normal entries, then ACLs, then post-ACL entries.
    func restoreSerially() throws {
        let order = plan.order
        var haveACL = false, havePostACL = false
        for te in order where !plan.reqs(of: te).intersection([.schema, .data, .stats]).isEmpty {
            switch restorePass(te) {
            case 0: try restoreEntry(te)
            case 1: haveACL = true
            default: havePostACL = true
            }
        }
        if haveACL {
            for te in order where !plan.reqs(of: te).intersection([.schema, .data, .stats]).isEmpty && restorePass(te) == 1 {
                try restoreEntry(te)
            }
        }
        if havePostACL {
            for te in order where !plan.reqs(of: te).intersection([.schema, .data, .stats]).isEmpty && restorePass(te) == 2 {
                try restoreEntry(te)
            }
        }
    }

    /// The end of RestoreArchive: COMMIT for -1 / --transaction-size, the trailer.
    func end() throws {
        out.setCurrentEntry(nil)
        if opts.singleTransaction || txnSize > 0 { try w("COMMIT;\n\n"); try cmd() }
        if script {
            if opts.verbose, let stamp = ArchiveTime.format(time(nil)) { try w("-- Completed on \(stamp)\n\n") }
            try w("--\n-- PostgreSQL database dump complete\n--\n\n")
            if let key = opts.restrictKey { try w("\\unrestrict \(key)\n\n") }
        }
        try out.finish()
    }

    /// The session is new (a parallel worker's or the leader's after the parallel phase):
    /// nothing is known about it; establish the fixed settings.
    func startSession() throws {
        currUser = nil
        currSchema = nil
        currTableAm = nil
        currTablespace = nil
        try fixedOutputState()
    }

    /// Forgets the session state (the connection is about to close).
    func forgetSession() {
        currUser = nil
        currSchema = nil
        currTableAm = nil
        currTablespace = nil
    }

    /// _tocEntryRestorePass: 0 main, 1 ACL, 2 post-ACL.
    func restorePass(_ te: TocEntry) -> Int {
        if EntrySelection.isACL(te) { return 1 }
        if te.desc == "EVENT TRIGGER" || te.desc == "MATERIALIZED VIEW DATA" { return 2 }
        if te.desc == "COMMENT" && te.tag.starts(with: Array("EVENT TRIGGER ".utf8)) { return 2 }
        if major >= 18 && te.desc == "STATISTICS DATA" && te.section == .postData { return 2 }
        return 0
    }

    /// _doSetFixedOutputState.
    func fixedOutputState() throws {
        // The MPP forks' pg_restore resets the server's default storage first.
        if opts.gpStoragePreamble && (out.targetIsMPP ?? true) { try w("SET gp_default_storage_options = '';\n"); try cmd() }
        try w("SET statement_timeout = 0;\n"); try cmd()
        try w("SET lock_timeout = 0;\n"); try cmd()
        try w("SET idle_in_transaction_session_timeout = 0;\n"); try cmd()
        // A live target older than 17 does not know transaction_timeout.
        if major >= 17 && (out.serverVersion ?? 170000) >= 170000 { try w("SET transaction_timeout = 0;\n"); try cmd() }
        try w("SET client_encoding = '\(plan.encoding)';\n"); try cmd()
        try w("SET standard_conforming_strings = \(plan.standardConformingStrings ? "on" : "off");\n"); try cmd()
        if let role = opts.role { try w("SET ROLE "); try w(id(role)); try w(";\n"); try cmd() }
        if let sp = plan.searchPath { try w(sp); try cmd() }
        try w("SET check_function_bodies = false;\n"); try cmd()
        try w("SET xmloption = content;\n"); try cmd()
        try w("SET client_min_messages = warning;\n"); try cmd()
        if !plan.standardConformingStrings { try w("SET escape_string_warning = off;\n"); try cmd() }
        try w(opts.enableRowSecurity ? "SET row_security = on;\n" : "SET row_security = off;\n"); try cmd()
        // In --transaction-size mode objects are always restored inside a transaction.
        if txnSize > 0 {
            try w(script ? "\nBEGIN;\n" : "BEGIN"); try cmd()
            txnCount = 0
        }
        if script { try w("\n") }
    }

    /// Commits the open transaction and starts the next one (--transaction-size).
    func commitAndBegin(_ scriptText: String) throws {
        if script { try w(scriptText); try cmd() } else {
            try w("COMMIT"); try cmd()
            try w("BEGIN"); try cmd()
        }
        txnCount = 0
    }

    /// One more action against --transaction-size; commits when it is time.
    func countAction(_ scriptText: String = "COMMIT;\nBEGIN;\n\n") throws {
        guard txnSize > 0 else { return }
        txnCount += 1
        if txnCount >= txnSize { try commitAndBegin(scriptText) }
    }

    // MARK: - Drop pass

    func dropPass(_ order: [TocEntry]) throws {
        for te in order.reversed() {
            if opts.createDB {
                if te.desc != "DATABASE" && te.desc != "DATABASE PROPERTIES" { continue }
            }
            guard !plan.reqs(of: te).intersection([.schema, .data]).isEmpty, let drop = te.dropStmt else { continue }
            info("dropping \(te.desc) \(Self.text(te.tag))")
            out.setCurrentEntry(te)
            // --transaction-size: a database cannot be dropped inside a transaction block.
            let notAllowedInTxn = txnSize > 0 && (te.desc == "DATABASE" || te.desc == "DATABASE PROPERTIES")
            if notAllowedInTxn { try w(script ? "COMMIT;\n" : "COMMIT"); try cmd() }
            try becomeOwner(te)
            try selectOutputSchema(te.namespace)
            if te.desc == "BLOB METADATA" {
                if opts.ifExists {
                    try issuePerBlob(te, "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '", "'")
                } else {
                    try issuePerBlob(te, "SELECT pg_catalog.lo_unlink('", "')")
                }
            } else if !drop.isEmpty {
                if !opts.ifExists || drop.starts(with: Array("--".utf8)) {
                    try w(drop)
                } else if te.desc == "BLOB" {
                    try w("SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '\(te.oid)';\n")
                } else {
                    try w(dropWithIfExists(te, drop))
                }
                try cmd()
            }
            if notAllowedInTxn {
                try w(script ? "BEGIN;\n" : "BEGIN"); try cmd()
                txnCount = 0
            } else {
                try countAction("COMMIT;\nBEGIN;\n")
            }
        }
        currSchema = nil
    }

    func dropWithIfExists(_ te: TocEntry, _ original: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var stmt = original[...]
        let alterTable = Array("ALTER TABLE".utf8)
        if stmt.starts(with: alterTable) {
            result += Array("ALTER TABLE IF EXISTS".utf8)
            stmt = stmt.dropFirst(alterTable.count)
        }
        if te.desc == "DEFAULT" || te.desc == "DATABASE PROPERTIES" || stmt.starts(with: Array("CREATE OR REPLACE VIEW".utf8)) {
            return result + stmt
        }
        let marker: [UInt8]
        if te.desc == "CONSTRAINT" || te.desc == "CHECK CONSTRAINT" || te.desc == "FK CONSTRAINT" {
            marker = Array("DROP CONSTRAINT".utf8)
        } else {
            marker = Array("DROP \(te.desc)".utf8.prefix(39))
        }
        guard let r = firstRange(of: marker, in: Array(stmt)) else {
            warnings.append("could not find where to insert IF EXISTS in statement \"\(String(decoding: original, as: UTF8.self))\"")
            return result + stmt
        }
        let s = Array(stmt)
        return result + s[..<r.lowerBound] + marker + Array(" IF EXISTS".utf8) + s[r.upperBound...]
    }

    // MARK: - One entry

    /// restore_toc_entry. `parallel`: run by a parallel worker, which reports what became of
    /// a TABLE instead of acting on it, and loads the data of a table it knows was `created`
    /// in this run after a TRUNCATE in the same transaction.
    @discardableResult
    func restoreEntry(_ te: TocEntry, parallel: Bool = false, created: Bool = false) throws -> EntryOutcome {
        if inhibitedData.contains(te.dumpId) { return .ok }
        var status = EntryOutcome.ok
        let errorsBefore = out.errorCount
        defer {
            let ok = out.errorCount == errorsBefore
            if ok { restoredEntries += 1 } else { failedEntries += 1 }
            onEntry?(te, ok)
        }
        let reqs = plan.reqs(of: te)
        out.setCurrentEntry(te)
        var defnDumped = false
        if reqs.contains(.schema) {
            let objectIsDB = te.desc == "DATABASE" || te.desc == "DATABASE PROPERTIES"
            // --transaction-size: CREATE DATABASE and its settings run outside a transaction.
            if objectIsDB && txnSize > 0 { try w(script ? "COMMIT;\n\n" : "COMMIT"); try cmd() }
            if let ns = te.namespace {
                info("creating \(te.desc) \"\(Self.text(ns)).\(Self.text(te.tag))\"")
            } else {
                info("creating \(te.desc) \"\(Self.text(te.tag))\"")
            }
            try printTocEntry(te, prefix: "")
            defnDumped = true
            if te.desc == "TABLE" {
                if out.errorCount > errorsBefore {
                    if opts.noDataForFailedTables {
                        if parallel { status = .inhibitData } else { inhibitData(forTable: te) }
                    }
                } else {
                    if parallel { status = .createDone } else { markCreateDone(te.dumpId) }
                }
            }
            if objectIsDB {
                info("connecting to new database \"\(Self.text(te.tag))\"")
                try reconnect(to: te.tag)
            }
        }
        if reqs.contains(.data) {
            if te.hadDumper {
                try printTocEntry(te, prefix: "Data for ")
                if te.desc == "BLOBS" || te.desc == "BLOB COMMENTS" {
                    info("processing \(te.desc)")
                    try selectOutputSchema(Array("pg_catalog".utf8))
                    let receiver = ScriptDataReceiver(self)
                    try archive.readData(te, into: receiver, isDataRequired: { self.isDataRequired($0) })
                    try cmd()
                } else {
                    try disableTriggersIfNecessary(te)
                    try becomeOwner(te)
                    try selectOutputSchema(te.namespace)
                    info("processing data for table \"\(Self.text(te.namespace)).\(Self.text(te.tag))\"")
                    // Parallel restore: a table created in this run is known to be empty;
                    // TRUNCATE in the COPY's transaction lets the server skip WAL for it.
                    let useTruncate = parallel && created && !isLoadViaPartitionRoot(te)
                    if useTruncate {
                        try w("BEGIN"); try cmd()
                        try w("TRUNCATE TABLE ONLY "); try w(q.qualified(te.namespace, te.tag)); try w(";\n\n"); try cmd()
                    }
                    let receiver = ScriptDataReceiver(self)
                    if var copy = te.copyStmt, !copy.isEmpty {
                        // A gpbackup set's CSV goes into a script as COPY text (GpbackupCSVToText).
                        var source: DataReceiver = receiver
                        if script, let gp = archive as? GpbackupArchiveReader, let d = gp.dataEntries[te.dumpId] {
                            copy = GpbackupCSVToText.textCopyStatement(copy)
                            source = GpbackupCSVToText(next: receiver, columns: GpbackupVerifier.columnCount(d.attributeString))
                        }
                        try w(copy)
                        try out.beginCopy()
                        receiver.copying = true
                        defer { receiver.copying = false }
                        do {
                            try archive.readData(te, into: source, isDataRequired: { self.isDataRequired($0) })
                            // A gpbackup set's data has no end marker: a script needs psql's.
                            if script && archive.format == .gpbackup {
                                try Array("\\.\n\n".utf8).withUnsafeBytes { try out.copyData($0) }
                            }
                            try out.endCopy()
                        } catch let e as ArchiveError {
                            try out.dataFailed(e)
                        }
                    } else {
                        do {
                            try archive.readData(te, into: receiver, isDataRequired: { self.isDataRequired($0) })
                            try cmd()
                        } catch let e as ArchiveError {
                            try out.dataFailed(e)
                        }
                    }
                    if useTruncate { try w("COMMIT"); try cmd() }
                    try enableTriggersIfNecessary(te)
                }
            } else if !defnDumped {
                info("executing \(te.desc) \(Self.text(te.tag))")
                try printTocEntry(te, prefix: "")
            }
        }
        if reqs.contains(.stats) {
            try printTocEntry(te, prefix: "Statistics for ")
        }
        // Whatever the entry emitted counts as one action against --transaction-size.
        if !reqs.intersection([.schema, .data, .stats]).isEmpty { try countAction() }
        if status == .ok && out.errorCount > errorsBefore { status = .ignoredErrors }
        return status
    }

    /// mark_create_done: the table's data may be loaded after a TRUNCATE (parallel mode).
    func markCreateDone(_ tableId: Int32) {
        if let data = tableDataId[tableId] { createdData.insert(data) }
    }

    /// inhibit_data_for_failed_table.
    func inhibitData(forTable te: TocEntry) {
        onInfo?("table \"\(String(decoding: te.tag, as: UTF8.self))\" could not be created, will not restore its data")
        if let data = tableDataId[te.dumpId] { inhibitedData.insert(data) }
    }

    /// is_load_via_partition_root: the data goes through the partition root, not the table.
    func isLoadViaPartitionRoot(_ te: TocEntry) -> Bool {
        if let defn = te.defn, defn.starts(with: Array("-- load via partition root ".utf8)) { return true }
        if let copy = te.copyStmt, !copy.isEmpty {
            return !copy.starts(with: Array("COPY ".utf8) + q.qualified(te.namespace, te.tag) + [0x20])
        }
        return false
    }

    func isDataRequired(_ id: Int32) -> Bool {
        guard let te = plan.entry(id) else { return false }
        return plan.reqs(of: te).contains(.data)
    }

    /// _printTocEntry.
    func printTocEntry(_ te: TocEntry, prefix: String) throws {
        try becomeOwner(te)
        try selectOutputSchema(te.namespace)
        try selectTablespace(te.tablespace)
        if !(major >= 17 && te.relkind == 0x70) { try selectTableAccessMethod(te.tableam) }

        if script {
        try w("--\n")
        if opts.verbose {
            try w("-- TOC entry \(te.dumpId) (class \(te.tableOid) OID \(te.oid))\n")
            if !te.dependencies.isEmpty {
                try w("-- Dependencies:" + te.dependencies.map { " \($0)" }.joined() + "\n")
            }
        }
        try w("-- \(prefix)Name: "); try w(sanitize(te.tag))
        try w("; Type: \(te.desc); Schema: "); try w(sanitize(te.namespace, hyphen: true))
        try w("; Owner: "); try w(sanitize(opts.noOwner ? nil : te.owner, hyphen: true))
        if let ts = te.tablespace, !ts.isEmpty, !opts.noTablespaces {
            try w("; Tablespace: "); try w(sanitize(ts))
        }
        try w("\n")
        if opts.verbose, let extra = archive.verboseExtraLine(te) { try w(extra + "\n") }
        try w("--\n\n")
        }

        let defn = te.defn ?? []
        if opts.noOwner && te.desc == "SCHEMA" && !defn.starts(with: Array("--".utf8)) {
            try w("CREATE SCHEMA "); try w(id(te.tag)); try w(";\n\n\n"); try cmd()
        } else if te.desc == "BLOB METADATA" {
            try issuePerBlob(te, "SELECT pg_catalog.lo_create('", "')")
        } else if te.desc == "ACL" && te.tag.starts(with: Array("LARGE OBJECTS".utf8)) {
            try issueACLPerBlob(te)
        } else if !defn.isEmpty {
            try w(defn); try w("\n\n"); try cmd()
            // A defn of several commands counts as several actions (semicolons, roughly;
            // not for functions, whose bodies are full of them).
            if txnSize > 0 && te.desc != "FUNCTION" && te.desc != "PROCEDURE" {
                let semicolons = defn.reduce(0) { $0 + ($1 == 0x3b ? 1 : 0) }
                if semicolons > 1 { txnCount += semicolons - 1 }
            }
        }

        if !opts.noOwner,
           !opts.useSetSessionAuthorization || (te.desc == "SCHEMA" && defn.starts(with: Array("--".utf8))),
           let owner = te.owner, !owner.isEmpty, let drop = te.dropStmt, !drop.isEmpty {
            if te.desc == "BLOB METADATA" {
                try issuePerBlob(te, "ALTER LARGE OBJECT ", String(decoding: Array(" OWNER TO ".utf8) + id(owner), as: UTF8.self))
            } else if let object = ownerObject(te) {
                try w("ALTER "); try w(object); try w(" OWNER TO "); try w(id(owner)); try w(";\n\n"); try cmd()
            }
        }

        if major >= 17 && te.relkind == 0x70, let am = te.tableam, !opts.noTableAccessMethod {
            try w("ALTER TABLE "); try w(q.qualified(te.namespace, te.tag)); try w(" SET ACCESS METHOD "); try w(id(am)); try w(";\n\n"); try cmd()
        }

        if EntrySelection.isACL(te) { currUser = nil }
    }

    static let plainOwnerDescs: Set<String> = [
        "COLLATION", "CONVERSION", "DOMAIN", "FOREIGN TABLE", "MATERIALIZED VIEW", "SEQUENCE", "STATISTICS",
        "TABLE", "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION", "TYPE", "VIEW", "DATABASE",
        "PROCEDURAL LANGUAGE", "SCHEMA", "EVENT TRIGGER", "FOREIGN DATA WRAPPER", "SERVER", "PUBLICATION",
        "SUBSCRIPTION", "PROTOCOL",
    ]
    static let dropStmtOwnerDescs: Set<String> = ["AGGREGATE", "FUNCTION", "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "PROCEDURE"]
    static let ownerlessDescs: Set<String> = [
        "CAST", "CHECK CONSTRAINT", "CONSTRAINT", "DATABASE PROPERTIES", "DEFAULT", "FK CONSTRAINT", "INDEX",
        "RULE", "TRIGGER", "ROW SECURITY", "POLICY", "USER MAPPING",
    ]

    /// _getObjectDescription: what follows ALTER in the ownership command, or nil for none.
    func ownerObject(_ te: TocEntry) -> [UInt8]? {
        var type = te.desc
        if major < 16 && (type == "VIEW" || type == "SEQUENCE" || type == "MATERIALIZED VIEW") { type = "TABLE" }
        if Self.plainOwnerDescs.contains(type) {
            var s = Array("\(type) ".utf8)
            if let ns = te.namespace, !ns.isEmpty { s += id(ns) + [0x2e] }
            return s + id(te.tag)
        }
        if type == "BLOB" { return Array("LARGE OBJECT ".utf8) + te.tag }
        if Self.dropStmtOwnerDescs.contains(type), let drop = te.dropStmt, drop.count >= 5 {
            var s = Array(drop.dropFirst(5))
            while let last = s.last, last == 0x0a || last == 0x3b { s.removeLast() }
            return s
        }
        if !Self.ownerlessDescs.contains(type) {
            warnings.append("don't know how to set owner for object type \"\(type)\"")
        }
        return nil
    }

    // MARK: - Session state

    func becomeOwner(_ te: TocEntry) throws {
        if opts.noOwner || !opts.useSetSessionAuthorization { return }
        try becomeUser(te.owner)
    }

    func becomeUser(_ user: [UInt8]?) throws {
        let u = user ?? []
        if let currUser, currUser == u { return }
        try w("SET SESSION AUTHORIZATION ")
        if u.isEmpty { try w("DEFAULT") } else { try w(SQLQuoter.literal(u, standardConformingStrings: plan.standardConformingStrings)) }
        try w(";\n\n"); try cmd()
        currUser = u
    }

    func selectOutputSchema(_ schema: [UInt8]?) throws {
        if plan.searchPath != nil { return }
        guard let schema, !schema.isEmpty, currSchema != schema else { return }
        try w("SET search_path = "); try w(id(schema))
        if schema != Array("pg_catalog".utf8) { try w(", pg_catalog") }
        try w(";\n\n"); try cmd()
        currSchema = schema
    }

    func selectTablespace(_ ts: [UInt8]?) throws {
        if opts.noTablespaces { return }
        guard let want = ts else { return }
        if let have = currTablespace, have == want { return }
        if want.isEmpty { try w("SET default_tablespace = '';\n\n") } else {
            try w("SET default_tablespace = "); try w(id(want)); try w(";\n\n")
        }
        try cmd()
        currTablespace = want
    }

    func selectTableAccessMethod(_ am: [UInt8]?) throws {
        if opts.noTableAccessMethod { return }
        guard let want = am else { return }
        if let have = currTableAm, have == want { return }
        try w("SET default_table_access_method = "); try w(id(want)); try w(";\n\n"); try cmd()
        currTableAm = want
    }

    func disableTriggersIfNecessary(_ te: TocEntry) throws {
        guard dataOnly && opts.disableTriggers else { return }
        info("disabling triggers for \(Self.text(te.tag))")
        try becomeUser(opts.superuser)
        try w("ALTER TABLE "); try w(q.qualified(te.namespace, te.tag)); try w(" DISABLE TRIGGER ALL;\n\n"); try cmd()
    }

    func enableTriggersIfNecessary(_ te: TocEntry) throws {
        guard dataOnly && opts.disableTriggers else { return }
        info("enabling triggers for \(Self.text(te.tag))")
        try becomeUser(opts.superuser)
        try w("ALTER TABLE "); try w(q.qualified(te.namespace, te.tag)); try w(" ENABLE TRIGGER ALL;\n\n"); try cmd()
    }

    /// _reconnectToDB in script mode.
    func reconnect(to dbname: [UInt8]) throws {
        guard let line = q.psqlConnect(dbname) else {
            throw RestoreError("database name contains a newline or carriage return: \"\(String(decoding: dbname, as: UTF8.self))\"")
        }
        if script {
            try w("\\unrestrict \(opts.restrictKey ?? "(null)")\n")
            try w(line)
            try w("\\restrict \(opts.restrictKey ?? "(null)")\n\n")
        } else {
            try out.reconnect(to: dbname)
            if major >= 18 { info(Self.secureSearchPathMessage) }
        }
        currUser = nil
        currSchema = nil
        currTableAm = nil
        currTablespace = nil
        try fixedOutputState()
    }

    // MARK: - Large objects (1.16 grouped metadata)

    /// IssueCommandPerBlob: one command per OID line of the entry's defn.
    func issuePerBlob(_ te: TocEntry, _ begin: String, _ end: String) throws {
        let defn = te.defn ?? []
        // --transaction-size commits between these commands: no batch then.
        let batched = txnSize == 0
        if batched { out.beginBatch() }
        var start = 0
        while let nl = defn[start...].firstIndex(of: 0x0a) {
            try w(begin); try w(Array(defn[start..<nl])); try w(end + ";\n"); try cmd()
            try countAction()
            start = nl + 1
        }
        if batched { try out.endBatch() }
        try w("\n")
    }

    /// IssueACLPerBlob: the group's ACL commands, written for its first OID, applied to each.
    func issueACLPerBlob(_ te: TocEntry) throws {
        guard let meta = te.dependencies.first.flatMap({ plan.entry($0) }), meta.desc == "BLOB METADATA" else {
            throw RestoreError("could not find BLOB METADATA entry for \(te.label)")
        }
        let oids = (meta.defn ?? []).split(separator: 0x0a).map(Array.init)
        let defn = te.defn ?? []
        let marker = Array("LARGE OBJECT ".utf8)
        var st = 0
        while st < defn.count {
            // Find "LARGE OBJECT <digits>" outside double quotes, then the ending ';'.
            var inQuotes = false
            var i = st
            var found: (Int, Int)? = nil
            while i < defn.count {
                let c = defn[i]
                if c == 0x22 { inQuotes.toggle() }
                if !inQuotes && c == 0x4c && defn[i...].starts(with: marker) {
                    var j = i + marker.count
                    while j < defn.count && defn[j] >= 0x30 && defn[j] <= 0x39 { j += 1 }
                    if j > i + marker.count { found = (i + marker.count, j); break }
                }
                i += 1
            }
            guard let (oidStart, oidEnd) = found else { break }
            var semi = oidEnd
            inQuotes = false
            while semi < defn.count {
                if defn[semi] == 0x22 { inQuotes.toggle() }
                if !inQuotes && defn[semi] == 0x3b { break }
                semi += 1
            }
            guard semi < defn.count else { break }
            let head = Array(defn[st..<oidStart])
            let tail = Array(defn[oidEnd..<semi])
            out.beginBatch()
            for oid in oids {
                try w(head); try w(oid); try w(tail); try w(";\n"); try cmd()
            }
            try out.endBatch()
            try w("\n")
            st = semi + 1
            while st < defn.count && (defn[st] == 0x0a || defn[st] == 0x20) { st += 1 }
        }
    }
}

/// Receives decoded data and writes it as pg_restore's script does: table bytes verbatim,
/// large objects as lo_open / lowrite (16 KiB per call) / lo_close.
final class ScriptDataReceiver: DataReceiver {
    unowned let r: ScriptRenderer
    var loBuffer: [UInt8] = []
    /// Large objects restored (pg_restore's blobCount).
    var count = 0
    static let loChunk = 16384

    init(_ r: ScriptRenderer) {
        self.r = r
        database = r.out as? DatabaseSink
    }

    /// A live restore writes large objects with lo_put (binary, one round trip per chunk of
    /// this size, none for lo_open/lo_close); a script as pg_restore writes them.
    let database: DatabaseSink?
    static let liveChunk = 256 * 1024
    var loOid: UInt32 = 0
    var loOffset: Int64 = 0

    func data(_ bytes: UnsafeRawBufferPointer) throws {
        if copying { try r.out.copyData(bytes); return }
        if !inLargeObject { try r.out.statementData(bytes); return }
        let chunk = database == nil ? Self.loChunk : Self.liveChunk
        var rest = bytes[...]
        while loBuffer.count + rest.count > chunk {
            let take = chunk - loBuffer.count
            loBuffer.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            try flushLO()
        }
        loBuffer.append(contentsOf: rest)
    }

    var inLargeObject = false
    var copying = false

    /// Large objects need a transaction for their descriptors, unless one is already open.
    func beginLargeObjects() throws {
        if !(r.opts.singleTransaction || r.txnSize > 0) { try r.w("BEGIN;\n\n"); try r.cmd() }
    }

    func endLargeObjects() throws {
        if !(r.opts.singleTransaction || r.txnSize > 0) { try r.w("COMMIT;\n\n"); try r.cmd() }
        if r.reportsLargeObjects { r.info(count == 1 ? "restored 1 large object" : "restored \(count) large objects") }
    }

    func beginLargeObject(_ oid: UInt32) throws {
        count += 1
        if r.reportsLargeObjects { r.info("restoring large object with OID \(oid)") }
        let oldStyle = r.archive.header.version < .v1_12
        if oldStyle && r.opts.dropSchema {
            try r.w("SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '\(oid)';\n"); try r.cmd()
        }
        // A large object that cannot be created or opened ends a live restore (pg_fatal).
        if database != nil {
            // lo_put opens it (the first write, or an empty one at the end).
            if oldStyle {
                try r.w("SELECT pg_catalog.lo_create('\(oid)');\n")
                try r.out.endFatalCommand("could not create large object \(oid)")
            }
            loOid = oid
            loOffset = 0
        } else if oldStyle {
            try r.w("SELECT pg_catalog.lo_open(pg_catalog.lo_create('\(oid)'), 131072);\n")
            try r.out.endFatalCommand("could not create large object \(oid)")
        } else {
            try r.w("SELECT pg_catalog.lo_open('\(oid)', 131072);\n")
            try r.out.endFatalCommand("could not open large object \(oid)")
        }
        inLargeObject = true
        loBuffer.removeAll(keepingCapacity: true)
    }

    func endLargeObject(_ oid: UInt32) throws {
        if database != nil {
            // An object with no data is still opened, as pg_restore opens it.
            if !loBuffer.isEmpty || loOffset == 0 { try flushLO() }
            inLargeObject = false
            return
        }
        if !loBuffer.isEmpty { try flushLO() }
        inLargeObject = false
        try r.w("SELECT pg_catalog.lo_close(0);\n\n"); try r.cmd()
    }

    private func flushLO() throws {
        if let database {
            try database.putLargeObject(loOid, offset: loOffset, loBuffer)
            loOffset += Int64(loBuffer.count)
            loBuffer.removeAll(keepingCapacity: true)
            return
        }
        try r.w("SELECT pg_catalog.lowrite(0, ")
        try r.w(SQLQuoter.byteaLiteral(loBuffer, standardConformingStrings: r.plan.standardConformingStrings))
        try r.w(");\n"); try r.cmd()
        loBuffer.removeAll(keepingCapacity: true)
    }
}

func firstRange(of needle: [UInt8], in hay: [UInt8]) -> Range<Int>? {
    guard !needle.isEmpty, hay.count >= needle.count else { return nil }
    for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle {
        return i..<(i + needle.count)
    }
    return nil
}
