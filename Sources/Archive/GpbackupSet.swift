// A gpbackup backup set (Greenplum/Cloudberry's parallel backup): the coordinator's
// config.yaml, toc.yaml and metadata.sql, and every segment's data files, gathered in one
// directory or still in gpbackup's --backup-dir layout (<dir>/<prefix>-1/backups/<date>/<ts>
// for the coordinator, <dir>/<prefix><content>/backups/<date>/<ts> for each segment).
// Everything is checked when the set is opened, before anything is restored: every data file
// a data entry needs must be there, the segment count must match the files, and sets this
// reader cannot load (plugin storage, chains of incremental backups) are refused.
import Foundation

/// config.yaml (gpbackup's history.BackupConfig), the fields a restore needs.
public struct GpbackupConfig: Sendable {
    public var backupVersion = ""
    public var compressed = false
    public var compressionType = ""
    public var databaseName = ""
    public var databaseVersion = ""
    public var segmentCount: Int?
    public var dataOnly = false
    public var metadataOnly = false
    public var incremental = false
    public var plugin = ""
    public var singleDataFile = false
    public var timestamp = ""
    public var withStatistics = false
    public var leafPartitionData = false
    /// Incremental chains: which backup holds which tables' data.
    public var restorePlan: [(timestamp: String, tables: [String])] = []
    /// Keys that say the data is encrypted (none in gpbackup itself; some forks add them).
    public var encrypted = false

    init(_ y: GpYAML, file: String) throws {
        guard case .mapping = y else { throw ArchiveError(.corrupt, file: file, "config is not a YAML mapping") }
        func bool(_ k: String) throws -> Bool {
            guard let v = y[k]?.string else { return false }
            switch v {
            case "true": return true
            case "false", "": return false
            default: throw ArchiveError(.corrupt, file: file, "\(k): \"\(v)\" is not true or false")
            }
        }
        backupVersion = y["backupversion"]?.string ?? ""
        compressed = try bool("compressed")
        compressionType = y["compressiontype"]?.string ?? ""
        databaseName = y["databasename"]?.string ?? ""
        databaseVersion = y["databaseversion"]?.string ?? ""
        if let s = y["segmentcount"]?.string, !s.isEmpty {
            guard let n = Int(s), n > 0 else { throw ArchiveError(.corrupt, file: file, "segmentcount: \"\(s)\" is not a positive number") }
            segmentCount = n
        }
        dataOnly = try bool("dataonly")
        metadataOnly = try bool("metadataonly")
        incremental = try bool("incremental")
        plugin = y["plugin"]?.string ?? ""
        singleDataFile = try bool("singledatafile")
        timestamp = y["timestamp"]?.string ?? ""
        withStatistics = try bool("withstatistics")
        leafPartitionData = try bool("leafpartitiondata")
        for (k, v) in y.pairs ?? [] where k.contains("encrypt") {
            if let s = v.string, s != "", s != "false" { encrypted = true }
        }
        for item in y["restoreplan"]?.array ?? [] {
            let ts = item["timestamp"]?.string ?? ""
            let tables = (item["tablefqns"]?.array ?? []).compactMap(\.string)
            restorePlan.append((ts, tables))
        }
    }
}

/// One entry of toc.yaml's global, pre-data, post-data or statistics lists: a statement of
/// metadata.sql (or statistics.sql), by byte range.
public struct GpbackupMetadataEntry: Sendable {
    public var schema: String
    public var name: String
    public var objectType: String
    public var referenceObject: String
    public var startByte: Int64
    public var endByte: Int64
}

/// One of toc.yaml's dataentries: a table whose rows every segment wrote to its own file.
public struct GpbackupDataEntry: Sendable {
    /// As gpbackup stores them: quote_ident'ed by the source server.
    public var schema: String
    public var name: String
    public var oid: UInt32
    /// `(a,b,"C")`: the columns COPY wrote (generated columns left out), or "".
    public var attributeString: String
    public var rowsCopied: Int64
    public var partitionRoot: String
    /// Every segment holds all rows (DISTRIBUTED REPLICATED): one segment's file is loaded.
    public var isReplicated: Bool
    /// schema.name as gpbackup's FQNs (include lists, restore plan) write it.
    public var fqn: String { schema + "." + name }
}

public struct GpbackupTOC: Sendable {
    public var globals: [GpbackupMetadataEntry] = []
    public var preData: [GpbackupMetadataEntry] = []
    public var postData: [GpbackupMetadataEntry] = []
    public var statistics: [GpbackupMetadataEntry] = []
    public var data: [GpbackupDataEntry] = []

    init(_ y: GpYAML, file: String) throws {
        func int64(_ v: GpYAML?, _ what: String) throws -> Int64 {
            guard let s = v?.string, let n = Int64(s), n >= 0 else {
                throw ArchiveError(.corrupt, file: file, "\(what): \"\(v?.string ?? "")\" is not a number")
            }
            return n
        }
        func metadata(_ key: String) throws -> [GpbackupMetadataEntry] {
            guard let list = y[key]?.array else { return [] }
            return try list.enumerated().map { k, e in
                let what = "\(key)[\(k)]"
                let start = try int64(e["startbyte"], what + ".startbyte"), end = try int64(e["endbyte"], what + ".endbyte")
                guard start <= end else { throw ArchiveError(.corrupt, file: file, "\(what): startbyte \(start) is after endbyte \(end)") }
                return GpbackupMetadataEntry(schema: e["schema"]?.string ?? "", name: e["name"]?.string ?? "",
                                             objectType: e["objecttype"]?.string ?? "",
                                             referenceObject: e["referenceobject"]?.string ?? "",
                                             startByte: start, endByte: end)
            }
        }
        globals = try metadata("globalentries")
        preData = try metadata("predataentries")
        postData = try metadata("postdataentries")
        statistics = try metadata("statisticsentries")
        for (k, e) in (y["dataentries"]?.array ?? []).enumerated() {
            let what = "dataentries[\(k)]"
            let oid = try int64(e["oid"], what + ".oid")
            guard oid <= Int64(UInt32.max) else { throw ArchiveError(.corrupt, file: file, "\(what): oid \(oid) out of range") }
            data.append(GpbackupDataEntry(schema: e["schema"]?.string ?? "", name: e["name"]?.string ?? "", oid: UInt32(oid),
                                          attributeString: e["attributestring"]?.string ?? "",
                                          rowsCopied: try int64(e["rowscopied"], what + ".rowscopied"),
                                          partitionRoot: e["partitionroot"]?.string ?? "",
                                          isReplicated: e["isreplicated"]?.string == "true"))
        }
    }
}

/// A located, checked gpbackup set.
public final class GpbackupSet: @unchecked Sendable {  // immutable after init; read-only afterwards
    public let tocPath: String
    /// The directory holding the coordinator's files.
    public let directory: String
    public let timestamp: String
    public let config: GpbackupConfig
    public let toc: GpbackupTOC
    public let compression: CompressionAlgorithm
    /// ".gz", ".zst" or "".
    public let fileExtension: String
    public let segmentCount: Int
    /// Every gpbackup_* file found, by name: the coordinator's directory and, in the
    /// --backup-dir layout, each segment's.
    private let files: [String: String]
    /// The segment directories of the --backup-dir layout, by content id.
    private let segmentDirectories: [Int: String]
    /// --single-data-file: each content's segment TOC, oid to decompressed byte range.
    public let segmentTOCs: [Int: [UInt32: (start: Int64, end: Int64)]]

    public var metadataPath: String { directory + "/gpbackup_\(timestamp)_metadata.sql" }

    /// Whether `path` names a gpbackup set: a `gpbackup_<14 digits>_toc.yaml`, or a directory
    /// holding one (directly, under backups/<date>/<ts>/, or in the --backup-dir layout).
    public static func looksLikeSet(_ path: String) -> Bool {
        (try? locateTOC(path)) != nil
    }

    static func isTimestamp<S: StringProtocol>(_ s: S) -> Bool { s.count == 14 && s.allSatisfy { $0.isASCII && $0.isNumber } }

    /// gpbackup_<ts>_toc.yaml: the timestamp, or nil.
    static func coordinatorTimestamp(_ name: String) -> String? {
        guard name.hasPrefix("gpbackup_"), name.hasSuffix("_toc.yaml") else { return nil }
        let mid = name.dropFirst(9).dropLast(9)
        return isTimestamp(mid) ? String(mid) : nil
    }

    static func list(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    static func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }

    /// The coordinator TOC `path` stands for.
    static func locateTOC(_ path: String) throws -> String {
        if !isDirectory(path) {
            let name = (path as NSString).lastPathComponent
            guard coordinatorTimestamp(name) != nil, FileManager.default.fileExists(atPath: path) else {
                throw ArchiveError(.notAnArchive, file: path, "not a gpbackup set (no gpbackup_<timestamp>_toc.yaml)")
            }
            return path
        }
        var found: [String] = []
        func scan(_ dir: String) { for n in list(dir) where coordinatorTimestamp(n) != nil { found.append(dir + "/" + n) } }
        scan(path)
        if found.isEmpty {
            // backups/<date>/<ts>/ under the directory, or <prefix>-1/backups/<date>/<ts>/.
            var roots = [path + "/backups"]
            for n in list(path) where n.hasSuffix("-1") && isDirectory(path + "/" + n + "/backups") { roots.append(path + "/" + n + "/backups") }
            for root in roots where isDirectory(root) {
                for date in list(root) where date.count == 8 && date.allSatisfy(\.isNumber) {
                    for ts in list(root + "/" + date) where isTimestamp(ts) { scan(root + "/" + date + "/" + ts) }
                }
            }
        }
        guard !found.isEmpty else {
            throw ArchiveError(.notAnArchive, file: path, "not a gpbackup set (no gpbackup_<timestamp>_toc.yaml)")
        }
        if found.count > 1 {
            let names = found.map { (($0 as NSString).lastPathComponent) }.joined(separator: ", ")
            throw ArchiveError(.unsupported, file: path, "holds several gpbackup sets (\(names)); name the one to restore by its _toc.yaml")
        }
        return found[0]
    }

    public init(path: String) throws {
        let tocPath = try Self.locateTOC(path)
        self.tocPath = tocPath
        let dir = (tocPath as NSString).deletingLastPathComponent
        directory = dir.isEmpty ? "." : dir
        let ts = Self.coordinatorTimestamp((tocPath as NSString).lastPathComponent)!
        timestamp = ts
        let configPath = directory + "/gpbackup_\(ts)_config.yaml"
        config = try GpbackupConfig(try Self.yaml(configPath), file: configPath)
        if !config.plugin.isEmpty || FileManager.default.fileExists(atPath: directory + "/gpbackup_\(ts)_plugin_config.yaml") {
            throw ArchiveError(.unsupported, file: tocPath, "backup set stored through plugin \"\(config.plugin)\" is not supported, copy the files out with the plugin first")
        }
        if config.encrypted {
            throw ArchiveError(.unsupported, file: tocPath, "encrypted backup set is not supported, copy the files out with the plugin first")
        }
        toc = try GpbackupTOC(try Self.yaml(tocPath), file: tocPath)
        if config.compressed {
            switch config.compressionType {
            case "", "gzip": compression = .gzip; fileExtension = ".gz"
            case "zstd": compression = .zstd; fileExtension = ".zst"
            default: throw ArchiveError(.unsupported, file: configPath, "compression type \"\(config.compressionType)\" is not supported")
            }
        } else {
            compression = .none; fileExtension = ""
        }
        if config.incremental {
            // Only an incremental backup whose data is all its own can be loaded alone.
            let own = Set(config.restorePlan.first { $0.timestamp == ts }?.tables ?? [])
            let elsewhere = toc.data.filter { !own.contains($0.fqn) }
            if !elsewhere.isEmpty {
                let others = config.restorePlan.filter { $0.timestamp != ts && !$0.tables.isEmpty }.map(\.timestamp)
                throw ArchiveError(.unsupported, file: tocPath, "incremental backup: the data of \(elsewhere.count) table(s) (first \(elsewhere[0].fqn)) is in earlier backups of the chain (\(others.joined(separator: ", "))); restoring an incremental chain is not supported")
            }
        }

        // The files: the coordinator's directory, plus each segment's in the --backup-dir layout.
        var files: [String: String] = [:]
        var segDirs: [Int: String] = [:]
        for n in Self.list(directory) where n.hasPrefix("gpbackup_") { files[n] = directory + "/" + n }
        let parts = (directory as NSString).pathComponents
        if parts.count >= 5, parts[parts.count - 3] == "backups", parts[parts.count - 4].hasSuffix("-1") {
            let coordName = parts[parts.count - 4]
            let prefix = String(coordName.dropLast(2))
            let root = NSString.path(withComponents: Array(parts[..<(parts.count - 4)]))
            let date = parts[parts.count - 2]
            for n in Self.list(root) where n.hasPrefix(prefix) && n != coordName {
                guard let content = Int(n.dropFirst(prefix.count)), content >= 0 else { continue }
                let d = root + "/" + n + "/backups/" + date + "/" + ts
                guard Self.isDirectory(d) else { continue }
                segDirs[content] = d
                for f in Self.list(d) where f.hasPrefix("gpbackup_") && files[f] == nil { files[f] = d + "/" + f }
            }
        }
        self.files = files
        segmentDirectories = segDirs

        // Which contents have data files for this timestamp.
        var contents = Set<Int>()
        for name in files.keys {
            let rest = name.dropFirst(9)
            guard let us = rest.firstIndex(of: "_"), let c = Int(rest[..<us]), c >= 0 else { continue }
            if rest[rest.index(after: us)...].hasPrefix(ts) { contents.insert(c) }
        }
        let needData = !toc.data.isEmpty
        if let n = config.segmentCount {
            segmentCount = n
            let extra = contents.filter { $0 >= n }.sorted()
            let absent = needData ? (0..<n).filter { !contents.contains($0) } : []
            if !extra.isEmpty || !absent.isEmpty {
                let present = contents.sorted().map(String.init).joined(separator: ", ")
                throw ArchiveError(.corrupt, file: tocPath, "config.yaml says the backup has \(n) segment(s), but data files are present for content(s) \(present.isEmpty ? "none" : present)"
                                   + (absent.isEmpty ? "" : " (none for \(absent.map(String.init).joined(separator: ", ")))"))
            }
        } else {
            // Older gpbackup versions did not record the count: the files present tell it.
            let n = (contents.max() ?? -1) + 1
            if needData, n == 0 || contents.count != n {
                throw ArchiveError(.corrupt, file: tocPath, "config.yaml has no segment count and the data files present (contents \(contents.sorted().map(String.init).joined(separator: ", "))) do not tell it")
            }
            segmentCount = n
        }

        // Every file each data entry needs, now rather than half-way through a restore.
        var segTOCs: [Int: [UInt32: (start: Int64, end: Int64)]] = [:]
        if needData && config.singleDataFile {
            for c in 0..<segmentCount {
                let tocName = "gpbackup_\(c)_\(ts)_toc.yaml"
                guard let p = files[tocName] else {
                    throw ArchiveError(.missingFile, file: tocPath, "segment TOC of content \(c) is missing: expected \(Self.expected(tocName, content: c, segDirs, directory))")
                }
                let dataName = "gpbackup_\(c)_\(ts)\(fileExtension)"
                guard files[dataName] != nil else {
                    throw ArchiveError(.missingFile, file: tocPath, "data file of content \(c) is missing: expected \(Self.expected(dataName, content: c, segDirs, directory))")
                }
                var map: [UInt32: (start: Int64, end: Int64)] = [:]
                for (k, v) in try Self.yaml(p)["dataentries"]?.pairs ?? [] {
                    guard let oid = UInt32(k), let s = v["startbyte"]?.string.flatMap({ Int64($0) }),
                          let e = v["endbyte"]?.string.flatMap({ Int64($0) }), s >= 0, s <= e else {
                        throw ArchiveError(.corrupt, file: p, "bad segment TOC entry \"\(k)\"")
                    }
                    map[oid] = (s, e)
                }
                for d in toc.data where map[d.oid] == nil {
                    throw ArchiveError(.missingFile, file: p, "segment TOC of content \(c) has no entry for table \(d.fqn) (oid \(d.oid))")
                }
                segTOCs[c] = map
            }
        } else if needData {
            for d in toc.data {
                for c in 0..<segmentCount {
                    let name = "gpbackup_\(c)_\(ts)_\(d.oid)\(fileExtension)"
                    if files[name] == nil {
                        throw ArchiveError(.missingFile, file: tocPath, "data file of content \(c) for table \(d.fqn) is missing: expected \(Self.expected(name, content: c, segDirs, directory))")
                    }
                }
            }
        }
        segmentTOCs = segTOCs
    }

    static func expected(_ name: String, content: Int, _ segDirs: [Int: String], _ dir: String) -> String {
        (segDirs[content] ?? dir) + "/" + name
    }

    static func yaml(_ path: String) throws -> GpYAML {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArchiveError(.missingFile, file: path, "could not read the file (\(String(cString: strerror(errno))))")
        }
        do { return try GpYAMLParser.parse([UInt8](data)) } catch let e as GpYAMLError {
            throw ArchiveError(.corrupt, file: path, "invalid YAML: \(e)")
        }
    }

    /// The file holding `entry`'s rows on `content` (the whole segment file with --single-data-file).
    public func dataFile(content: Int, entry: GpbackupDataEntry) -> String {
        let name = config.singleDataFile ? "gpbackup_\(content)_\(timestamp)\(fileExtension)"
                                         : "gpbackup_\(content)_\(timestamp)_\(entry.oid)\(fileExtension)"
        return files[name] ?? Self.expected(name, content: content, segmentDirectories, directory)
    }

    /// The contents whose files are loaded for `entry`: all, or one for a replicated table.
    public func contentsToLoad(_ entry: GpbackupDataEntry) -> [Int] {
        entry.isReplicated ? [0] : Array(0..<segmentCount)
    }
}

/// gpbackup's names are quote_ident'ed: `"My Table"` is My Table.
public func gpbackupUnquote(_ s: String) -> String {
    guard s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") else { return s }
    return String(s.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
}
