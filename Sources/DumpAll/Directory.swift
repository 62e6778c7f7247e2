import Archive
import Catalog
import Console
import Dump
import Foundation
import PostgresClient

// The directory layout (-F d, -F c): pg_dumpall's whole-cluster dump with each database in a
// custom-format archive instead of plain SQL, so that one database can be restored alone.
//
//   DIR/globals.sql   the script pg_dumpall -g would print (with -c, also the DROP DATABASE
//                     commands of pg_dumpall -c); run it with psql
//   DIR/1.dump, ...   one custom-format archive per database, as cbdump writes it
//   DIR/index         what is where, and how to restore it (see `ClusterIndex`)
//
// The directory is built under a temporary name beside DIR and renamed into place when
// complete: a failed run leaves no directory that looks whole.

/// One database of a directory dump, in the order pg_dumpall dumps them.
public struct IndexedDatabase: Equatable, Sendable {
    /// How pg_dumpall would restore the database, hence how to restore its archive.
    public enum Mode: String, Sendable {
        /// `cbrestore -C -d <any other database> FILE`: the database is created.
        case create
        /// template1 and postgres with -c: dropped and created again, from another database
        /// (`cbrestore -c -C -d <another database> FILE`).
        case cleanCreate = "clean-create"
        /// template1 and postgres without -c: they exist already; the contents are restored
        /// into them (`cbrestore -d NAME FILE`), without the database's own properties.
        case existing
    }
    public var file: String
    public var mode: Mode
    public var name: String

    public init(file: String, mode: Mode, name: String) {
        self.file = file; self.mode = mode; self.name = name
    }
}

/// The `index` file of a directory dump: UTF-8 text, one record per line, fields separated
/// by a tab; in the database name a backslash, tab, newline and carriage return are written
/// `\\`, `\t`, `\n` and `\r`.
///
///     cbdumpall-index<TAB>1
///     server<TAB>18.6
///     globals<TAB>globals.sql
///     database<TAB>1.dump<TAB>existing<TAB>template1
///     database<TAB>2.dump<TAB>create<TAB>sales
public struct ClusterIndex: Equatable, Sendable {
    public static let fileName = "index"
    public static let globalsFile = "globals.sql"
    public var serverVersion: String
    public var globals: String = ClusterIndex.globalsFile
    public var databases: [IndexedDatabase] = []

    public init(serverVersion: String, databases: [IndexedDatabase] = []) {
        self.serverVersion = serverVersion
        self.databases = databases
    }

    public var text: String {
        var s = "cbdumpall-index\t1\nserver\t\(Self.escape(serverVersion))\nglobals\t\(globals)\n"
        for d in databases { s += "database\t\(d.file)\t\(d.mode.rawValue)\t\(Self.escape(d.name))\n" }
        return s
    }

    /// Reads an index; nil when it is not one.
    public init?(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        guard let first = lines.first, first == ["cbdumpall-index", "1"] else { return nil }
        lines.removeFirst()
        serverVersion = ""
        for f in lines {
            switch f.first {
            case "server" where f.count == 2: serverVersion = Self.unescape(f[1])
            case "globals" where f.count == 2: globals = f[1]
            case "database" where f.count == 4:
                guard let mode = IndexedDatabase.Mode(rawValue: f[2]) else { return nil }
                databases.append(IndexedDatabase(file: f[1], mode: mode, name: Self.unescape(f[3])))
            default: return nil
            }
        }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for c in s.unicodeScalars {
            if escaped {
                switch c {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension ClusterDump {
    /// Writes the directory dump to `path`, which must not exist or be an empty directory.
    public func writeDirectory(_ target: String) throws {
        let fm = FileManager.default
        var path = target
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw DumpAllError("could not create directory \"\(path)\": File exists") }
            let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            if !entries.isEmpty { throw DumpAllError("directory \"\(path)\" is not empty") }
        }
        // Beside the target, so that the final rename stays on one file system.
        let temp = path + ".cbdumpall-tmp-\(getpid())"
        if mkdir(temp, 0o700) != 0 {
            throw DumpAllError("could not create directory \"\(temp)\": \(String(cString: strerror(errno)))")
        }
        DirectoryCleanup.register(temp)
        do {
            try fill(temp)
            if rename(temp, path) != 0 {
                throw DumpAllError("could not rename \"\(temp)\" to \"\(path)\": \(String(cString: strerror(errno)))")
            }
            if !options.noSync { syncDirectory((path as NSString).deletingLastPathComponent) }
            DirectoryCleanup.unregister()
        } catch {
            try? fm.removeItem(atPath: temp)
            DirectoryCleanup.unregister()
            throw error
        }
    }

    /// The databases pg_dumpall's dumpDatabases would dump, in its order: connectable and
    /// valid ones, template1 first, then by name; never template0; not the excluded ones.
    public func databasesToDump() throws -> [String] {
        let sql = "SELECT datname FROM pg_database d WHERE datallowconn AND datconnlimit != -2 " +
            "ORDER BY (datname <> 'template1'), datname"
        let res: QueryResult
        do { res = try conn.execute(sql) } catch let e as PostgresError {
            throw queryFailed(e, sql: sql)
        }
        var names: [String] = []
        for row in res.rows {
            guard let name = row[0], name != "template0" else { continue }
            if excludedDatabases.contains(name) {
                info("excluding database \"\(displayText(name))\"")
                continue
            }
            // From the byte-transparent connection to ordinary text, for libpq and the index.
            names.append(displayText(name))
        }
        return names
    }

    private func fill(_ dir: String) throws {
        let databases = options.scope == .cluster ? try databasesToDump() : []
        let globals = try globalsScript(dropDatabases: options.scope == .cluster) + scriptTrailer()
        try writeFile(dir + "/" + ClusterIndex.globalsFile, latin1Bytes(globals), mode: 0o600)
        var index = ClusterIndex(serverVersion: conn.parameter("server_version") ?? "")
        for (n, name) in databases.enumerated() {
            let file = "\(n + 1).dump"
            let mode: IndexedDatabase.Mode
            if name == "template1" || name == "postgres" {
                mode = options.clean ? .cleanCreate : .existing
            } else {
                mode = .create
            }
            info("dumping database \"\(name)\"")
            do {
                try dumpDatabase(name, to: dir + "/" + file)
            } catch let e as DumpAllError {
                throw DumpAllError("could not dump database \"\(name)\": \(e.message)", details: e.details)
            } catch let e as QueryFailed {
                throw DumpAllError("could not dump database \"\(name)\": \(e.message)", detail: e.detail)
            } catch let e as PostgresError {
                throw DumpAllError("could not dump database \"\(name)\": \(e.serverMessage ?? e.description)")
            } catch {
                throw DumpAllError("could not dump database \"\(name)\": \(error)")
            }
            index.databases.append(IndexedDatabase(file: file, mode: mode, name: name))
        }
        conn.close()
        try writeFile(dir + "/" + ClusterIndex.fileName, Array(index.text.utf8), mode: 0o600)
        if !options.noSync { syncDirectory(dir) }
    }

    /// One database into a custom-format archive, as cbdump writes it with the options
    /// pg_dumpall passes on to pg_dump (a `DumpJob`, as cbdump runs).
    func dumpDatabase(_ name: String, to path: String) throws {
        let db = try open(database: name)
        defer { db.close() }
        var o = DumpOptions()
        o.dumpSchema = !options.dataOnly
        o.dumpData = !options.schemaOnly
        o.outputNoOwner = options.noOwner
        o.aclsSkip = options.skipACLs
        o.noComments = options.noComments
        o.noSecurityLabels = options.noSecurityLabels
        o.noPublications = options.noPublications
        o.noSubscriptions = options.noSubscriptions
        o.noTablespaces = options.noTablespaces
        o.noTableAccessMethod = options.noTableAccessMethod
        o.noToastCompression = options.noToastCompression
        o.noUnloggedTableData = options.noUnloggedTableData
        o.quoteAllIdentifiers = options.quoteAllIdentifiers
        o.useSetSessionAuth = options.useSetSessionAuth
        o.lockWaitTimeout = options.lockWaitTimeout
        o.sequenceData = o.dumpData
        // pg_dump sets outputCreateDB for every archive format: each database's archive
        // carries its DATABASE entry, which cbrestore -C needs to create it.
        o.outputCreateDB = true

        let job = DumpJob(conn: db, server: server, options: o)
        job.session.role = options.role
        job.session.encoding = options.encoding
        job.session.quoteAllIdentifiers = options.quoteAllIdentifiers
        job.gpSyntax = options.gpSyntax ?? true
        job.databaseName = name
        job.toolName = "cbdumpall"
        // Written once, as cbdumpall's (they were also printed as cbdump's before).
        job.onMessage = { [self] level, text in
            switch level {
            case .warning: warn(text)
            case .detail: log(.detail, text)
            case .hint: log(.hint, text)
            }
        }
        // The file is made once the entries are, as before the job wrote it.
        var fd: Int32 = -1
        defer { if fd >= 0 { close(fd) } }
        try job.run(.archive { job in
            fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 { throw DumpAllError("could not open output file \"\(path)\": \(String(cString: strerror(errno)))") }
            return CustomArchiveWriter(fileDescriptor: fd, options: job.writeOptions)
        })
        if !options.noSync && fsync(fd) != 0 {
            throw DumpAllError("could not fsync file \"\(path)\": \(String(cString: strerror(errno)))")
        }
        let closing = fd
        fd = -1
        if close(closing) != 0 { throw DumpAllError("could not close file \"\(path)\": \(String(cString: strerror(errno)))") }
    }

    func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0 { throw DumpAllError("could not open output file \"\(path)\": \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let err = bytes.withUnsafeBytes { writeFully(fd, $0) }
        if err != 0 { throw DumpAllError("could not write file \"\(path)\": \(String(cString: strerror(err)))") }
        if !options.noSync && fsync(fd) != 0 {
            throw DumpAllError("could not fsync file \"\(path)\": \(String(cString: strerror(errno)))")
        }
    }

    func syncDirectory(_ path: String) {
        let fd = Glibc.open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }
}

/// The temporary directory of a run under way, removed on SIGINT/SIGTERM/SIGHUP/SIGPIPE (the
/// normal error paths remove it themselves).
enum DirectoryCleanup {
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>?

    static func register(_ p: String) {
        path = strdup(p)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            signal(sig) { s in
                // Not async-signal-safe in general, but we are about to exit anyway; a
                // leftover temporary directory is the worst that can happen.
                if let p = DirectoryCleanup.path { removeTree(String(cString: p)) }
                _exit(128 + s)
            }
        }
    }

    static func unregister() {
        free(path)
        path = nil
    }
}

/// rm -r without Foundation (for the signal handler).
func removeTree(_ path: String) {
    if let dir = opendir(path) {
        while let ent = readdir(dir) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            var st = stat()
            if lstat(child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { removeTree(child) } else { unlink(child) }
        }
        closedir(dir)
    }
    rmdir(path)
}
