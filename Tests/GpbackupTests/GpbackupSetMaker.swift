import Archive
import Foundation
import PostgresClient
import TestSupport

/// Test support: makes a gpbackup backup set from a live PostgreSQL database, in the layout
/// of the sets gpbackup itself wrote (its end_to_end resources): the coordinator's
/// gpbackup_<ts>_config.yaml, _metadata.sql (each statement after two newlines, the TOC's
/// byte ranges over it), _toc.yaml and _report, and for each simulated segment the rows of
/// each table as `COPY ... TO STDOUT WITH CSV DELIMITER ','` writes them, split over the
/// segments by the server, compressed with gzip or zstd or not at all; or, with
/// --single-data-file, one compressed stream per segment and its segment TOC.
struct GpbackupSetMaker {
    enum Layout { case gathered, backupDir }
    struct Table {
        var schema: String
        var name: String
        /// The CREATE TABLE statement as gpbackup writes it (with its DISTRIBUTED clause).
        var ddl: String
        var replicated = false
        /// A leaf partition's root (its data entry names it); a partitioned root has no data.
        var partitionRoot = ""
        var partitioned = false
    }

    var segments = 2
    var compression: CompressionAlgorithm = .gzip
    var singleDataFile = false
    var layout = Layout.gathered
    var timestamp = "20240102030405"
    var databaseName = "src"
    var schemas: [String] = []
    var tables: [Table] = []
    var postData: [(schema: String, name: String, type: String, reference: String, sql: String)] = []
    /// Extra config.yaml lines (plugin, incremental, ...), replacing the defaults of those keys.
    var configOverrides: [String: String] = [:]
    var restorePlan: [(String, [String])]? = nil
    /// An incremental backup's data entries: only these tables (schema.name, unquoted).
    var dataTables: Set<String>? = nil
    /// gpbackup --with-stats: statistics.sql and the TOC's statisticsentries, from the live
    /// database's pg_class and pg_statistic (ANALYZE it first).
    var withStatistics = false
    /// Global entries after the database's (roles, resource queues and groups), in order:
    /// each statement as gpbackup writes it.
    var globalEntries: [(name: String, type: String, sql: String)] = []

    static func ident(_ s: String) -> String { SQLQuoter(major: 15).identifier(s) }

    /// A YAML scalar as go-yaml writes it: plain when it can be, else single-quoted
    /// (double-quoted with escapes when it holds a newline).
    static func yaml(_ s: String) -> String {
        if s.isEmpty { return "\"\"" }
        if s.contains("\n") {
            var out = "\""
            for ch in s.unicodeScalars {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default: out.unicodeScalars.append(ch)
                }
            }
            return out + "\""
        }
        let plain = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_.()-/+ ".unicodeScalars.contains($0) }
            && !s.hasPrefix(" ") && !s.hasSuffix(" ") && !["true", "false", "null", "yes", "no", "~"].contains(s.lowercased())
            && Int(s) == nil && !s.hasPrefix("-")
        return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Writes the set under `root`; returns the coordinator directory.
    @discardableResult
    func make(cluster: TestCluster, db: String, root: String) throws -> String {
        let ts = timestamp
        let date = String(ts.prefix(8))
        let coord: String
        var segDir: (Int) -> String
        switch layout {
        case .gathered:
            coord = root
            segDir = { _ in root }
        case .backupDir:
            coord = root + "/demoDataDir-1/backups/\(date)/\(ts)"
            segDir = { root + "/demoDataDir\($0)/backups/\(date)/\(ts)" }
        }
        let fm = FileManager.default
        try fm.createDirectory(atPath: coord, withIntermediateDirectories: true)
        for c in 0..<segments { try fm.createDirectory(atPath: segDir(c), withIntermediateDirectories: true) }

        // metadata.sql and the TOC's metadata entries.
        var meta = Data()
        func entry(_ schema: String, _ name: String, _ type: String, _ ref: String, _ sql: String) -> String {
            let start = meta.count
            meta.append(contentsOf: Array(("\n\n" + sql + "\n").utf8))
            return "- schema: \(Self.yaml(schema))\n  name: \(Self.yaml(name))\n  objecttype: \(type)\n  referenceobject: \(Self.yaml(ref))\n  startbyte: \(start)\n  endbyte: \(meta.count)\n"
        }
        var globals = "globalentries:\n"
        globals += entry("", "", "SESSION GUCS", "", "SET client_encoding = 'UTF8';")
        // backupGlobals' order: resource queues and groups, roles and their grants, then the database.
        for g in globalEntries where !g.type.hasPrefix("DATABASE ") { globals += entry("", g.name, g.type, "", g.sql) }
        globals += entry("", Self.ident(databaseName), "DATABASE", "", "CREATE DATABASE \(Self.ident(databaseName)) TEMPLATE template0;")
        for g in globalEntries where g.type.hasPrefix("DATABASE ") { globals += entry("", g.name, g.type, "", g.sql) }
        var pre = "predataentries:\n"
        for s in schemas {
            pre += entry(Self.ident(s), Self.ident(s), "SCHEMA", "", "CREATE SCHEMA \(Self.ident(s));")
        }
        for t in tables {
            let s = Self.ident(t.schema), n = Self.ident(t.name)
            pre += entry(s, n, "TABLE", "", t.ddl)
            pre += entry(s, n, "TABLE", "", "COMMENT ON TABLE \(s).\(n) IS 'made by GpbackupSetMaker';")
        }
        var post = postData.isEmpty ? "postdataentries: []\n" : "postdataentries:\n"
        for p in postData { post += entry(p.schema, p.name, p.type, p.reference, p.sql) }

        // The data: each segment's share of each table, as the server's COPY CSV writes it.
        let conn = try Connection(dbname: db, host: cluster.socketDir, port: String(cluster.port), user: "postgres")
        defer { conn.close() }
        var dataEntries = "dataentries:\n"
        var segmentStreams: [Int: (enc: StreamEncoder, out: FileHandle, toc: String, pos: Int64)] = [:]
        let ext = compression == .gzip ? ".gz" : compression == .zstd ? ".zst" : ""
        func encoder() throws -> StreamEncoder { try makeEncoder(CompressionSpec(algorithm: compression), gzipFile: true) }
        func create(_ path: String) throws -> FileHandle {
            fm.createFile(atPath: path, contents: nil)
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        if singleDataFile {
            for c in 0..<segments {
                segmentStreams[c] = (try encoder(), try create(segDir(c) + "/gpbackup_\(c)_\(ts)\(ext)"), "dataentries:\n", 0)
            }
        }
        var oid: UInt32 = 16384
        for t in tables where !t.partitioned {
            oid += 3
            if let only = dataTables, !only.contains(t.schema + "." + t.name) { continue }
            let qualified = Self.ident(t.schema) + "." + Self.ident(t.name)
            // The columns COPY writes: all but generated ones, as gpbackup's attribute string.
            let cols = try conn.execute("""
                SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = '\(qualified.replacingOccurrences(of: "'", with: "''"))'::regclass
                AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum
                """).rows.map { $0[0]! }
            let list = cols.joined(separator: ",")
            var rows: Int64 = 0
            for c in 0..<segments {
                // A replicated table: every segment holds all rows.
                let select = t.replicated
                    ? "SELECT \(list) FROM \(qualified)"
                    : "SELECT \(list) FROM (SELECT \(list), (row_number() OVER ()) % \(segments) AS gpseg__ FROM \(qualified)) s WHERE gpseg__ = \(c)"
                let copy = "COPY (\(select)) TO STDOUT WITH CSV DELIMITER ','"
                rows += Int64(try conn.execute("SELECT count(*) FROM (\(select)) s").rows[0][0]!)!
                if singleDataFile {
                    var s = segmentStreams[c]!
                    let start = s.pos
                    try conn.copyOut(copy) { piece in
                        s.pos += Int64(piece.count)
                        try s.enc.feed(piece) { s.out.write(Data($0)) }
                    }
                    s.toc += "  \(oid):\n    startbyte: \(start)\n    endbyte: \(s.pos)\n"
                    segmentStreams[c] = s
                } else {
                    let out = try create(segDir(c) + "/gpbackup_\(c)_\(ts)_\(oid)\(ext)")
                    let enc = try encoder()
                    try conn.copyOut(copy) { piece in try enc.feed(piece) { out.write(Data($0)) } }
                    try enc.finish { out.write(Data($0)) }
                    try out.close()
                }
            }
            dataEntries += "- schema: \(Self.yaml(Self.ident(t.schema)))\n  name: \(Self.yaml(Self.ident(t.name)))\n  oid: \(oid)\n"
                + "  attributestring: \(Self.yaml(cols.isEmpty ? "" : "(" + list + ")"))\n  rowscopied: \(rows)\n  partitionroot: \(Self.yaml(t.partitionRoot.isEmpty ? "" : Self.ident(t.partitionRoot)))\n"
                + (t.replicated ? "  isreplicated: true\n" : "")
        }
        for (c, s) in segmentStreams {
            try s.enc.finish { s.out.write(Data($0)) }
            try s.out.close()
            try s.toc.write(toFile: segDir(c) + "/gpbackup_\(c)_\(ts)_toc.yaml", atomically: true, encoding: .utf8)
        }

        try meta.write(to: URL(fileURLWithPath: coord + "/gpbackup_\(ts)_metadata.sql"))
        var stats = "statisticsentries: []\n"
        if withStatistics {
            let (file, gucs, entries) = try Self.statistics(conn, tables: tables)
            try file.write(to: URL(fileURLWithPath: coord + "/gpbackup_\(ts)_statistics.sql"))
            // backupSessionGUC puts the statistics file's SESSION GUCS among the globals.
            globals += gucs
            stats = entries.isEmpty ? stats : "statisticsentries:\n" + entries
        }
        let toc = globals + pre + post + stats + dataEntries + "incrementalmetadata:\n  ao: {}\n"
        try toc.write(toFile: coord + "/gpbackup_\(ts)_toc.yaml", atomically: true, encoding: .utf8)
        let fqns = tables.map { Self.ident($0.schema) + "." + Self.ident($0.name) }
        let plan = restorePlan ?? [(ts, fqns)]
        var config: [(String, String)] = [
            ("backupdir", "/tmp/gpbackup-maker"), ("backupversion", "1.30.5"), ("compressed", compression == .none ? "false" : "true"),
            ("compressiontype", compression == .zstd ? "zstd" : compression == .gzip ? "gzip" : "\"\""),
            ("databasename", Self.yaml(Self.ident(databaseName))), ("databaseversion", "7.0.0 build test"),
            ("segmentcount", String(segments)), ("dataonly", "false"), ("datedeleted", "\"\""), ("excluderelations", "[]"),
            ("excludeschemafiltered", "false"), ("excludeschemas", "[]"), ("excludetablefiltered", "false"),
            ("includerelations", "[]"), ("includeschemafiltered", "false"), ("includeschemas", "[]"),
            ("includetablefiltered", "false"), ("incremental", "false"), ("leafpartitiondata", "false"),
            ("metadataonly", "false"), ("plugin", "\"\""), ("pluginversion", "\"\""),
            ("restoreplan", "\n" + plan.map { p in
                "- timestamp: \"\(p.0)\"\n  tablefqns:" + (p.1.isEmpty ? " []" : "\n" + p.1.map { "  - \(Self.yaml($0))" }.joined(separator: "\n"))
            }.joined(separator: "\n")),
            ("singledatafile", singleDataFile ? "true" : "false"), ("timestamp", "\"\(ts)\""), ("endtime", "\"\(ts)\""),
            ("withoutglobals", "false"), ("withstatistics", withStatistics ? "true" : "false"), ("status", "Success"),
        ]
        for (k, v) in configOverrides {
            if let i = config.firstIndex(where: { $0.0 == k }) { config[i].1 = v } else { config.append((k, v)) }
        }
        let configText = config.map { $0.1.hasPrefix("\n") ? "\($0.0):\($0.1)" : "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n"
        try configText.write(toFile: coord + "/gpbackup_\(ts)_config.yaml", atomically: true, encoding: .utf8)
        try "Greenplum Database Backup Report\n\ntimestamp key:         \(ts)\n".write(toFile: coord + "/gpbackup_\(ts)_report", atomically: true, encoding: .utf8)
        return coord
    }

    // MARK: - Statistics, as gpbackup's backup/statistics.go writes them (GP7, the
    // PostgreSQL 12 pg_statistic layout)

    /// statistics.sql, its SESSION GUCS global entry, and the statisticsentries: per table,
    /// the UPDATE of pg_class, then per analysed column a DELETE and an INSERT into
    /// pg_statistic, each `"\n\n" + statement + "\n"` and an entry of its own.
    static func statistics(_ conn: Connection, tables: [Table]) throws -> (Data, String, String) {
        var file = Data()
        var toc = ""
        func add(_ text: String, schema: String, name: String) {
            let start = file.count
            file.append(contentsOf: Array(text.utf8))
            toc += "- schema: \(yaml(schema))\n  name: \(yaml(name))\n  objecttype: STATISTICS\n  referenceobject: \"\"\n  startbyte: \(start)\n  endbyte: \(file.count)\n"
        }
        // PrintSessionGUCs: the entry's statement into the statistics file.
        file.append(contentsOf: Array("\nSET client_encoding = 'UTF8';\n".utf8))
        let gucs = "- schema: \"\"\n  name: \"\"\n  objecttype: SESSION GUCS\n  referenceobject: \"\"\n  startbyte: 0\n  endbyte: \(file.count)\n"
        for t in tables {
            let schema = ident(t.schema), name = ident(t.name)
            let fqn = (schema + "." + name).replacingOccurrences(of: "'", with: "''")
            let tuple = try conn.execute("SELECT relpages, reltuples FROM pg_class WHERE oid = '\(fqn)'::regclass").rows[0]
            add("\n\nUPDATE pg_class\nSET\n\trelpages = \(tuple[0]!)::int,\n\treltuples = \(goFloat(tuple[1]!))::real\nWHERE oid = '\(fqn)'::regclass::oid;\n",
                schema: schema, name: name)
            let rows = try conn.execute("""
                SELECT quote_ident(t.typname), s.staattnum, s.stainherit, s.stanullfrac, s.stawidth, s.stadistinct,
                    s.stakind1, s.stakind2, s.stakind3, s.stakind4, s.stakind5,
                    s.staop1, s.staop2, s.staop3, s.staop4, s.staop5,
                    s.stacoll1, s.stacoll2, s.stacoll3, s.stacoll4, s.stacoll5,
                    s.stanumbers1, s.stanumbers2, s.stanumbers3, s.stanumbers4, s.stanumbers5,
                    s.stavalues1, s.stavalues2, s.stavalues3, s.stavalues4, s.stavalues5
                FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                    JOIN pg_statistic s ON (c.oid = s.starelid AND a.attnum = s.staattnum)
                    JOIN pg_type t ON a.atttypid = t.oid
                WHERE c.oid = '\(fqn)'::regclass ORDER BY a.attnum
                """).rows
            for r in rows {
                let type = r[0]!, attnum = r[1]!
                let starelid = "'\(fqn)'::regclass::oid"
                add("\n\nDELETE FROM pg_statistic WHERE starelid = \(starelid) AND staattnum = \(attnum);\n", schema: schema, name: name)
                let slots: String
                let bytes = Array(type.utf8)
                if bytes.count > 1 && bytes[0] == 0x5f && bytes[1] != 0x5f {
                    // An array column's statistics are not carried: zeroes and NULLs.
                    slots = (Array(repeating: "0::smallint", count: 5) + Array(repeating: "0::oid", count: 10)
                             + Array(repeating: "NULL::real[]", count: 5) + Array(repeating: "NULL", count: 5)).joined(separator: ",\n\t")
                } else {
                    var parts: [String] = []
                    for k in 6..<11 { parts.append("\(r[k]!)::smallint") }
                    for k in 11..<21 { parts.append("\(r[k]!)::oid") }
                    for k in 21..<26 { parts.append(realValues(r[k])) }
                    for k in 26..<31 { parts.append(anyValues(r[k], type: type)) }
                    slots = parts.joined(separator: ",\n\t")
                }
                let inherit = r[2] == "t" ? "true" : "false"
                add("\n\nINSERT INTO pg_statistic VALUES (\n\t\(starelid),\n\t\(attnum)::smallint,\n\t\(inherit)::boolean,\n\t\(goFloat(r[3]!))::real,\n\t\(r[4]!)::integer,\n\t\(goFloat(r[5]!))::real,\n\t\(slots));\n",
                    schema: schema, name: name)
            }
        }
        return (file, gucs, toc)
    }

    /// Go's %f: six decimals.
    static func goFloat(_ s: String) -> String { String(format: "%f", Double(s)!) }

    /// realValues: `'{"0.5","0.25"}'` (SliceToPostgresArray) or NULL.
    static func realValues(_ a: String?) -> String {
        guard let a, case let items = pgArrayElements(a), !items.isEmpty else { return "NULL" }
        return sliceToPostgresArray(items) + "::real[]"
    }

    /// AnyValues: `array_in('{...}', 'type'::regtype::oid, -1)` or NULL.
    static func anyValues(_ a: String?, type: String) -> String {
        guard let a, case let items = pgArrayElements(a), !items.isEmpty else { return "NULL" }
        return "array_in(\(sliceToPostgresArray(items)), '\(type)'::regtype::oid, -1)"
    }

    /// SliceToPostgresArray: each element with its single quotes doubled, then written as
    /// Go's %#v writes a string (strconv.Quote), inside '{...}'.
    static func sliceToPostgresArray(_ items: [String]) -> String {
        "'{" + items.map { goQuote($0.replacingOccurrences(of: "'", with: "''")) }.joined(separator: ",") + "}'"
    }

    /// strconv.Quote, for the characters test data holds.
    static func goQuote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7f { out += String(format: "\\x%02x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// The elements of a one-dimensional array's text form, as lib/pq's StringArray reads them.
    static func pgArrayElements(_ s: String) -> [String] {
        let b = Array(s.utf8)
        guard b.count >= 2, b.first == 0x7b, b.last == 0x7d else { return [] }
        var items: [String] = []
        var i = 1
        let end = b.count - 1
        if i == end { return [] }
        while i <= end {
            var cur: [UInt8] = []
            if b[i] == 0x22 {
                i += 1
                while i < end && b[i] != 0x22 {
                    if b[i] == 0x5c { i += 1 }
                    cur.append(b[i]); i += 1
                }
                i += 1
            } else {
                while i < end && b[i] != 0x2c { cur.append(b[i]); i += 1 }
            }
            items.append(String(decoding: cur, as: UTF8.self))
            i += 1  // the comma, or past the closing brace
        }
        return items
    }
}
