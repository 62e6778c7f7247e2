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
        globals += entry("", Self.ident(databaseName), "DATABASE", "", "CREATE DATABASE \(Self.ident(databaseName)) TEMPLATE template0;")
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
        let toc = globals + pre + post + "statisticsentries: []\n" + dataEntries + "incrementalmetadata:\n  ao: {}\n"
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
            ("withoutglobals", "false"), ("withstatistics", "false"), ("status", "Success"),
        ]
        for (k, v) in configOverrides {
            if let i = config.firstIndex(where: { $0.0 == k }) { config[i].1 = v } else { config.append((k, v)) }
        }
        let configText = config.map { $0.1.hasPrefix("\n") ? "\($0.0):\($0.1)" : "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n"
        try configText.write(toFile: coord + "/gpbackup_\(ts)_config.yaml", atomically: true, encoding: .utf8)
        try "Greenplum Database Backup Report\n\ntimestamp key:         \(ts)\n".write(toFile: coord + "/gpbackup_\(ts)_report", atomically: true, encoding: .utf8)
        return coord
    }
}
