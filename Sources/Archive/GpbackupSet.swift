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
    /// The backup whose files hold the rows (an earlier one of an incremental chain, or the set's).
    public var timestamp = ""
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

/// One backup of a set's chain: where its files are and how it stored its data.
public struct GpbackupSource: Sendable {
    public let timestamp: String
    /// The coordinator's directory.
    public let directory: String
    /// The segment directories of the --backup-dir layout, by content id.
    public let segmentDirectories: [Int: String]
    public let singleDataFile: Bool
    public let compression: CompressionAlgorithm
    public let fileExtension: String

    /// Where a missing file was expected.
    func expected(_ name: String, content: Int) -> String { (segmentDirectories[content] ?? directory) + "/" + name }
}

/// A located, checked gpbackup set.
public final class GpbackupSet: Sendable {
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
    /// --backup-dir layout, each segment's (of every backup of an incremental chain).
    private let files: [String: String]
    /// The backups holding data, by timestamp: this one, and the earlier ones of its chain.
    public let sources: [String: GpbackupSource]
    /// The tables whose rows are restored, each with the backup that holds them.
    public let dataEntries: [GpbackupDataEntry]
    /// --single-data-file: by backup, each content's segment TOC, oid to decompressed byte range.
    public let segmentTOCs: [String: [Int: [UInt32: (start: Int64, end: Int64)]]]

    public var metadataPath: String { directory + "/gpbackup_\(timestamp)_metadata.sql" }
    /// --with-stats: the statements the TOC's statisticsentries point into.
    public var statisticsPath: String { directory + "/gpbackup_\(timestamp)_statistics.sql" }

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
        // The backups whose files hold the data: this one, or for an incremental backup the
        // chain its restore plan names (each table's data in the backup that last wrote it).
        let own = Self.scan(coordinator: directory, ts: ts)
        var sources: [String: GpbackupSource] = [ts: GpbackupSource(timestamp: ts, directory: directory, segmentDirectories: own.segDirs,
                                                                   singleDataFile: config.singleDataFile, compression: compression,
                                                                   fileExtension: fileExtension)]
        var files = own.files
        var data: [GpbackupDataEntry] = []
        if config.incremental && config.restorePlan.contains(where: { $0.timestamp != ts && !$0.tables.isEmpty }) {
            for step in config.restorePlan where !step.tables.isEmpty {
                var stepTOC = toc
                if step.timestamp != ts {
                    let t = step.timestamp
                    guard Self.isTimestamp(t) else { throw ArchiveError(.corrupt, file: configPath, "restoreplan: bad timestamp \"\(t)\"") }
                    guard let dir = Self.chainDirectory(from: directory, ts: ts, to: t) else {
                        throw ArchiveError(.missingFile, file: tocPath, "incremental backup: the earlier backup \(t) holding the data of \(step.tables.count) table(s) (first \(step.tables[0])) is missing: expected gpbackup_\(t)_toc.yaml beside this backup's or in backups/\(t.prefix(8))/\(t)")
                    }
                    let cpath = dir + "/gpbackup_\(t)_config.yaml"
                    let c = try GpbackupConfig(try Self.yaml(cpath), file: cpath)
                    if c.compressed != config.compressed || (c.compressionType.isEmpty ? "gzip" : c.compressionType) != (config.compressionType.isEmpty ? "gzip" : config.compressionType) {
                        throw ArchiveError(.unsupported, file: cpath, "incremental backup \(t) is compressed differently from \(ts)")
                    }
                    let tpath = dir + "/gpbackup_\(t)_toc.yaml"
                    stepTOC = try GpbackupTOC(try Self.yaml(tpath), file: tpath)
                    let scanned = Self.scan(coordinator: dir, ts: t)
                    files.merge(scanned.files) { a, _ in a }
                    sources[t] = GpbackupSource(timestamp: t, directory: dir, segmentDirectories: scanned.segDirs,
                                                singleDataFile: c.singleDataFile, compression: compression, fileExtension: fileExtension)
                }
                for fqn in step.tables {
                    guard var d = stepTOC.data.first(where: { $0.fqn == fqn }) else {
                        throw ArchiveError(.corrupt, file: tocPath, "incremental backup: the restore plan puts the data of \(fqn) in backup \(step.timestamp), whose TOC has no data entry for it")
                    }
                    d.timestamp = step.timestamp
                    data.append(d)
                }
            }
        } else {
            data = toc.data.map { var d = $0; d.timestamp = ts; return d }
        }
        self.files = files
        self.sources = sources
        dataEntries = data

        // Which contents have data files, for each backup that holds data.
        let needData = !data.isEmpty
        var count = config.segmentCount
        for (t, source) in sources.sorted(by: { $0.key > $1.key }) where data.contains(where: { $0.timestamp == t }) {
            var contents = Set<Int>()
            for name in files.keys {
                let rest = name.dropFirst(9)
                guard let us = rest.firstIndex(of: "_"), let c = Int(rest[..<us]), c >= 0 else { continue }
                if rest[rest.index(after: us)...].hasPrefix(t) { contents.insert(c) }
            }
            let where_ = t == ts ? "" : " (backup \(t) of the chain)"
            if let n = count {
                let extra = contents.filter { $0 >= n }.sorted()
                let absent = (0..<n).filter { !contents.contains($0) }
                if !extra.isEmpty || !absent.isEmpty {
                    let present = contents.sorted().map(String.init).joined(separator: ", ")
                    throw ArchiveError(.corrupt, file: tocPath, "config.yaml says the backup has \(n) segment(s), but data files are present for content(s) \(present.isEmpty ? "none" : present)"
                                       + (absent.isEmpty ? "" : " (none for \(absent.map(String.init).joined(separator: ", ")))") + where_)
                }
            } else {
                // Older gpbackup versions did not record the count: the files present tell it.
                let n = (contents.max() ?? -1) + 1
                if n == 0 || contents.count != n {
                    throw ArchiveError(.corrupt, file: tocPath, "config.yaml has no segment count and the data files present (contents \(contents.sorted().map(String.init).joined(separator: ", "))) do not tell it" + where_)
                }
                count = n
            }
            _ = source
        }
        segmentCount = count ?? 0

        // Every file each data entry needs, now rather than half-way through a restore.
        var segTOCs: [String: [Int: [UInt32: (start: Int64, end: Int64)]]] = [:]
        if needData {
            for (t, source) in sources where source.singleDataFile && data.contains(where: { $0.timestamp == t }) {
                for c in 0..<segmentCount {
                    let tocName = "gpbackup_\(c)_\(t)_toc.yaml"
                    guard let p = files[tocName] else {
                        throw ArchiveError(.missingFile, file: tocPath, "segment TOC of content \(c) is missing: expected \(source.expected(tocName, content: c))")
                    }
                    let dataName = "gpbackup_\(c)_\(t)\(fileExtension)"
                    guard files[dataName] != nil else {
                        throw ArchiveError(.missingFile, file: tocPath, "data file of content \(c) is missing: expected \(source.expected(dataName, content: c))")
                    }
                    var map: [UInt32: (start: Int64, end: Int64)] = [:]
                    for (k, v) in try Self.yaml(p)["dataentries"]?.pairs ?? [] {
                        guard let oid = UInt32(k), let s = v["startbyte"]?.string.flatMap({ Int64($0) }),
                              let e = v["endbyte"]?.string.flatMap({ Int64($0) }), s >= 0, s <= e else {
                            throw ArchiveError(.corrupt, file: p, "bad segment TOC entry \"\(k)\"")
                        }
                        map[oid] = (s, e)
                    }
                    for d in data where d.timestamp == t && map[d.oid] == nil {
                        throw ArchiveError(.missingFile, file: p, "segment TOC of content \(c) has no entry for table \(d.fqn) (oid \(d.oid))")
                    }
                    segTOCs[t, default: [:]][c] = map
                }
            }
            for d in data where !sources[d.timestamp]!.singleDataFile {
                for c in 0..<segmentCount {
                    let name = "gpbackup_\(c)_\(d.timestamp)_\(d.oid)\(fileExtension)"
                    if files[name] == nil {
                        throw ArchiveError(.missingFile, file: tocPath, "data file of content \(c) for table \(d.fqn) is missing: expected \(sources[d.timestamp]!.expected(name, content: c))")
                    }
                }
            }
        }
        segmentTOCs = segTOCs
    }

    /// The coordinator directory of backup `t` of the chain: beside `ts`'s files, or its
    /// backups/<date>/<t> sibling.
    static func chainDirectory(from directory: String, ts: String, to t: String) -> String? {
        if FileManager.default.fileExists(atPath: directory + "/gpbackup_\(t)_toc.yaml") { return directory }
        let parts = (directory as NSString).pathComponents
        guard parts.count >= 3, parts[parts.count - 1] == ts, parts[parts.count - 2] == String(ts.prefix(8)) else { return nil }
        let d = NSString.path(withComponents: Array(parts[..<(parts.count - 2)])) + "/" + t.prefix(8) + "/" + t
        return FileManager.default.fileExists(atPath: d + "/gpbackup_\(t)_toc.yaml") ? d : nil
    }

    /// The gpbackup_* files of one backup: its coordinator directory, plus each segment's in
    /// the --backup-dir layout (<root>/<prefix>-1/backups/<date>/<ts> and <root>/<prefix><content>/...).
    static func scan(coordinator directory: String, ts: String) -> (files: [String: String], segDirs: [Int: String]) {
        var files: [String: String] = [:]
        var segDirs: [Int: String] = [:]
        for n in list(directory) where n.hasPrefix("gpbackup_") { files[n] = directory + "/" + n }
        let parts = (directory as NSString).pathComponents
        if parts.count >= 5, parts[parts.count - 3] == "backups", parts[parts.count - 4].hasSuffix("-1") {
            let coordName = parts[parts.count - 4]
            let prefix = String(coordName.dropLast(2))
            let root = NSString.path(withComponents: Array(parts[..<(parts.count - 4)]))
            let date = parts[parts.count - 2]
            for n in list(root) where n.hasPrefix(prefix) && n != coordName {
                guard let content = Int(n.dropFirst(prefix.count)), content >= 0 else { continue }
                let d = root + "/" + n + "/backups/" + date + "/" + ts
                guard isDirectory(d) else { continue }
                segDirs[content] = d
                for f in list(d) where f.hasPrefix("gpbackup_") && files[f] == nil { files[f] = d + "/" + f }
            }
        }
        return (files, segDirs)
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
        let source = sources[entry.timestamp] ?? sources[timestamp]!
        let name = source.singleDataFile ? "gpbackup_\(content)_\(source.timestamp)\(fileExtension)"
                                         : "gpbackup_\(content)_\(source.timestamp)_\(entry.oid)\(fileExtension)"
        return files[name] ?? source.expected(name, content: content)
    }

    /// Whether `entry`'s backup wrote one file per segment (--single-data-file).
    public func isSingleDataFile(_ entry: GpbackupDataEntry) -> Bool { sources[entry.timestamp]?.singleDataFile ?? config.singleDataFile }

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
