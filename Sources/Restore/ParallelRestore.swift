import Archive
import Console
import Foundation

/// pg_restore -j N (restore_toc_entries_prefork / _parallel / _postfork): the leader restores
/// the pre-data entries on its own connection, then N workers, each with its own connection
/// and its own reader of the archive, restore the rest as their dependencies are met (data,
/// indexes, constraints, ACLs, ...), largest first, never two entries that lock the same table
/// at once; whatever is left (a dependency loop) the leader restores at the end.
public final class ParallelRestorer {
    public struct Config: Sendable {
        /// The archive path (reopened by every worker).
        public var archivePath: String
        public var format: ArchiveFormat?
        public var jobs: Int
        public var exitOnError: Bool
        public var verbose: Bool
        /// Where every worker reports its bytes and rows (--progress).
        public var progress: ProgressReporter? = nil
        /// A gpbackup set's own options: each worker reopens the set with the same entries.
        public var gpbackup = GpbackupOptions()
        public init(archivePath: String, format: ArchiveFormat?, jobs: Int, exitOnError: Bool, verbose: Bool) {
            self.archivePath = archivePath; self.format = format; self.jobs = jobs
            self.exitOnError = exitOnError; self.verbose = verbose
        }
    }

    /// Why an archive cannot be restored in parallel (pg_restore's messages), or nil.
    public static func refusal(_ reader: ArchiveReader) -> String? {
        if reader.format == .tar { return "parallel restore is not supported with this archive file format" }
        if reader.header.version < ArchiveVersion(1, 8, 0) {
            return "parallel restore is not supported with archives made by pre-8.0 pg_dump"
        }
        if reader.format == .custom {
            if reader.file == "-" { return "parallel restore from standard input is not supported" }
            var st = stat()
            if stat(reader.file, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG {
                return "parallel restore from non-seekable file is not supported"
            }
        }
        return nil
    }

    let leader: ScriptRenderer
    let sink: DatabaseSink
    let config: Config
    let report: @Sendable (String) -> Void
    let entryReport: (@Sendable (String, Bool) -> Void)?
    var plan: RestorePlan { leader.plan }

    /// Errors counted as pg_restore counts them in parallel mode: each failed statement on the
    /// leader's connection; for an entry a worker restored with errors, its failed statements
    /// plus one (the worker reports its count, the leader adds one for the entry); one for a
    /// table not created under --no-data-for-failed-tables.
    public private(set) var workerErrors = 0
    public var errorCount: Int { workerErrors + sink.errors }
    public private(set) var restoredEntries = 0
    public private(set) var failedEntries = 0
    public private(set) var copyRows = 0
    public private(set) var copyBytes: Int64 = 0

    // Dependency bookkeeping (fix_dependencies).
    private var byId: [Int32: TocEntry] = [:]
    private var deps: [Int32: [Int32]] = [:]
    private var depCount: [Int32: Int] = [:]
    private var revDeps: [Int32: [Int32]] = [:]
    private var lockDeps: [Int32: [Int32]] = [:]
    private var dataLength: [Int32: Int64] = [:]
    /// Entries not yet restorable, in TOC order; and those whose dependencies are met.
    private var pending: [Int32] = []
    private var pendingSet: Set<Int32> = []
    private var ready: [Int32] = []
    private var pass = 0

    /// `entryReport(label, ok)` is called for each entry a worker finishes (-v).
    public init(leader: ScriptRenderer, sink: DatabaseSink, config: Config, report: @escaping @Sendable (String) -> Void,
                entryReport: (@Sendable (String, Bool) -> Void)? = nil) {
        self.leader = leader
        self.sink = sink
        self.config = config
        self.report = report
        self.entryReport = entryReport
    }

    public func run() throws {
        try leader.begin()
        measureDataLengths()
        fixDependencies()
        try prefork()
        try parallelPhase()
        try postfork()
        try leader.end()
    }

    // MARK: - Preparation

    /// _PrepParallelRestore: how much data each entry has, to start the biggest jobs first.
    /// Custom format: the distance to the next data block; directory: the data file's size.
    private func measureDataLengths() {
        let archive = plan.archive
        switch archive.format {
        case .custom:
            var previous: TocEntry?
            for te in plan.order where te.dataState == .posSet {
                if let p = previous, te.dataPos > p.dataPos { dataLength[p.dumpId] = te.dataPos - p.dataPos }
                previous = te
            }
            var st = stat()
            if let p = previous, stat(archive.file, &st) == 0, Int64(st.st_size) > p.dataPos {
                dataLength[p.dumpId] = Int64(st.st_size) - p.dataPos
            }
        case .directory:
            for te in plan.order where te.desc == "TABLE DATA" || te.desc == "BLOBS" {
                guard let name = te.filename, !name.isEmpty else { continue }
                let base = archive.file + "/" + String(decoding: name, as: UTF8.self)
                for suffix in ["", ".gz", ".lz4", ".zst"] {
                    var st = stat()
                    if stat(base + suffix, &st) == 0 {
                        // As pg_restore: a BLOBS entry's file is its blobs_N.toc, far smaller
                        // than the objects it lists, so its size counts 1024 times; this puts
                        // large objects early in the schedule, as pg_restore puts them.
                        dataLength[te.dumpId] = Int64(st.st_size) * (te.desc == "BLOBS" ? 1024 : 1)
                        break
                    }
                }
            }
        default:
            break
        }
    }

    /// fix_dependencies: post-data entries wait for their tables' data rather than the tables
    /// (repoint_table_dependencies); dependencies outside the archive are ignored; lock
    /// dependencies are the tables a post-data entry other than an index alters.
    private func fixDependencies() {
        for te in plan.order { byId[te.dumpId] = te }
        for te in plan.order {
            var d = te.dependencies
            if te.section == .postData {
                for i in d.indices {
                    if let dataId = leader.tableDataId[d[i]], byId[dataId] != nil {
                        d[i] = dataId
                        dataLength[te.dumpId] = max(dataLength[te.dumpId] ?? 0, dataLength[dataId] ?? 0)
                    }
                }
            }
            deps[te.dumpId] = d
            var count = d.count
            for dep in d {
                if byId[dep] != nil { revDeps[dep, default: []].append(te.dumpId) } else { count -= 1 }
            }
            depCount[te.dumpId] = count
        }
        for te in plan.order where te.section == .postData && te.desc != "INDEX" {
            let locks = (deps[te.dumpId] ?? []).filter { byId[$0]?.desc == "TABLE DATA" || byId[$0]?.desc == "TABLE" }
            if !locks.isEmpty { lockDeps[te.dumpId] = locks }
        }
    }

    private func isWanted(_ te: TocEntry) -> Bool {
        !plan.reqs(of: te).intersection([.schema, .data, .stats]).isEmpty && !leader.inhibitedData.contains(te.dumpId)
    }

    // MARK: - Phases

    /// restore_toc_entries_prefork: pre-data entries of the main pass, in order, on the leader;
    /// everything else waits in the pending list. Then the leader disconnects.
    private func prefork() throws {
        pass = 0
        var skippedSome = false
        for te in plan.order {
            var doNow = true
            if te.section != .preData {
                if te.section == .data || te.section == .postData {
                    doNow = false
                    skippedSome = true
                } else if skippedSome {
                    doNow = false
                }
            }
            if leader.restorePass(te) != 0 { doNow = false }
            if doNow {
                if isWanted(te) { try leader.restoreEntry(te) }
                reduceDependencies(te.dumpId, moveReady: false)
            } else {
                pending.append(te.dumpId)
                pendingSet.insert(te.dumpId)
            }
        }
        // The workers must see what the leader created.
        if leader.txnSize > 0 { try leader.w("COMMIT"); try leader.cmd() }
        sink.disconnect()
        leader.forgetSession()
    }

    /// restore_toc_entries_postfork: the leader reconnects and restores what is left.
    private func postfork() throws {
        try sink.reconnectSame()
        try leader.startSession()
        for id in pending {
            guard let te = byId[id], isWanted(te) else { continue }
            try leader.restoreEntry(te)
        }
        pending.removeAll()
    }

    private func reduceDependencies(_ id: Int32, moveReady: Bool) {
        for other in revDeps[id] ?? [] {
            depCount[other, default: 0] -= 1
            if depCount[other] == 0, moveReady, pendingSet.contains(other), let te = byId[other], leader.restorePass(te) == pass {
                pendingSet.remove(other)
                pending.removeAll { $0 == other }
                ready.append(other)
            }
        }
    }

    private func moveToReady() {
        let now = pending.filter { id in depCount[id] == 0 && byId[id].map { leader.restorePass($0) == pass } == true }
        guard !now.isEmpty else { return }
        let moved = Set(now)
        pending.removeAll { moved.contains($0) }
        pendingSet.subtract(moved)
        ready += now
    }

    /// has_lock_conflicts: `a` needs an exclusive lock on something `b` also uses.
    private func lockConflict(_ a: Int32, _ b: Int32) -> Bool {
        guard let locks = lockDeps[a] else { return false }
        let other = deps[b] ?? []
        return locks.contains { other.contains($0) }
    }

    /// pop_next_work_item: the biggest ready entry that conflicts with no running one.
    private func popNextWorkItem(running: [Int32]) -> Int32? {
        let ordered = ready.sorted { a, b in
            let la = dataLength[a] ?? 0, lb = dataLength[b] ?? 0
            return la != lb ? la > lb : a < b
        }
        for id in ordered where !running.contains(where: { lockConflict(id, $0) || lockConflict($0, id) }) {
            ready.removeAll { $0 == id }
            return id
        }
        return nil
    }

    /// restore_toc_entries_parallel: dispatch ready entries to idle workers, pass by pass,
    /// until nothing is ready and every worker is idle in the last pass.
    private func parallelPhase() throws {
        let results = Mailbox<WorkerReport>()
        var options = plan.options
        options.transactionSize = 0  // workers commit each command, so the others see it
        let setup = WorkerSetup(config: config, options: options, target: sink.cloneTarget,
                                standardConformingStrings: plan.standardConformingStrings)
        var workers: [Mailbox<WorkerJob>] = []
        for index in 0..<config.jobs {
            let jobs = Mailbox<WorkerJob>()
            workers.append(jobs)
            let report = self.report, entryReport = self.entryReport
            let thread = Thread { workerMain(index, setup, jobs, results, report, entryReport) }
            thread.stackSize = 8 << 20
            thread.start()
        }
        var running: [Int32?] = Array(repeating: nil, count: config.jobs)
        var failure: String?
        defer { for w in workers { w.put(.stop) } }

        func handle(_ r: WorkerReport) {
            switch r {
            case let .done(worker, id, outcome, errors):
                running[worker] = nil
                switch outcome {
                case .createDone: leader.markCreateDone(id)
                case .inhibitData:
                    if let te = byId[id] { leader.inhibitData(forTable: te) }
                    workerErrors += 1
                case .ignoredErrors: workerErrors += errors + 1
                case .ok: break
                }
                reduceDependencies(id, moveReady: true)
            case let .failed(worker, _, message):
                running[worker] = nil
                if failure == nil { failure = message }
            case .stats:
                break
            }
        }

        pass = 0
        moveToReady()
        while failure == nil {
            var dispatched = false
            if let id = popNextWorkItem(running: running.compactMap { $0 }), let te = byId[id] {
                if !isWanted(te) {
                    reduceDependencies(id, moveReady: true)
                    continue
                }
                let worker = running.firstIndex(where: { $0 == nil })!
                running[worker] = id
                workers[worker].put(.restore(id, created: leader.createdData.contains(id)))
                dispatched = true
            } else if running.allSatisfy({ $0 == nil }) {
                if pass == 2 { break }
                pass += 1
                moveToReady()
                continue
            }
            // After a dispatch, go on as soon as a worker is idle; otherwise wait for news.
            if !dispatched || !running.contains(where: { $0 == nil }) { handle(results.take()) }
            while let r = results.poll() { handle(r) }
        }
        // Stop the workers and collect their totals (or give up on a failure).
        if let failure { throw RestoreError(failure) }
        for w in workers { w.put(.stop) }
        var stopped = 0
        while stopped < config.jobs {
            let r = results.take()
            if case let .stats(_, restored, failed, rows, bytes) = r {
                restoredEntries += restored; failedEntries += failed; copyRows += rows; copyBytes += bytes
                stopped += 1
            } else if case let .failed(_, _, message) = r {
                throw RestoreError(message)
            }
        }
    }
}

// MARK: - Workers

enum WorkerJob: Sendable {
    case restore(Int32, created: Bool)
    case stop
}

enum WorkerReport: Sendable {
    case done(worker: Int, dumpId: Int32, outcome: ScriptRenderer.EntryOutcome, errors: Int)
    case failed(worker: Int, dumpId: Int32?, message: String)
    case stats(worker: Int, restored: Int, failed: Int, rows: Int, bytes: Int64)
}

/// What a worker needs to set itself up: all of it Sendable, the rest is built in its thread.
struct WorkerSetup: Sendable {
    let config: ParallelRestorer.Config
    let options: RestoreOptions
    let target: DatabaseSink.Target
    let standardConformingStrings: Bool
}

/// A worker (CloneArchive + the worker loop): its own reader of the archive, its own
/// connection with the fixed settings, then one entry per job until told to stop.
private func workerMain(_ index: Int, _ setup: WorkerSetup, _ jobs: Mailbox<WorkerJob>, _ results: Mailbox<WorkerReport>,
                        _ report: @escaping @Sendable (String) -> Void, _ entryReport: (@Sendable (String, Bool) -> Void)?) {
    var current: Int32?
    do {
        let reader = try ArchiveOpener.open(path: setup.config.archivePath, format: setup.config.format, gpbackup: setup.config.gpbackup)
        let plan = try RestorePlan(archive: reader, options: setup.options)
        let sink = try DatabaseSink(target: setup.target, exitOnError: setup.config.exitOnError, report: report)
        sink.standardConformingStrings = setup.standardConformingStrings
        sink.progress = setup.config.progress
        let renderer = ScriptRenderer(plan: plan, output: sink)
        if let entryReport { renderer.onEntry = { te, ok in entryReport(te.label, ok) } }
        try renderer.startSession()
        while true {
            switch jobs.take() {
            case .stop:
                try? sink.finish()
                results.put(.stats(worker: index, restored: renderer.restoredEntries, failed: renderer.failedEntries,
                                   rows: sink.copyRows, bytes: sink.copyBytes))
                return
            case let .restore(id, created):
                current = id
                guard let te = plan.entry(id) else {
                    results.put(.failed(worker: index, dumpId: id, message: "could not find entry for ID \(id)"))
                    return
                }
                let before = sink.errors
                let outcome = try renderer.restoreEntry(te, parallel: true, created: created)
                results.put(.done(worker: index, dumpId: id, outcome: outcome, errors: sink.errors - before))
                current = nil
            }
        }
    } catch {
        results.put(.failed(worker: index, dumpId: current, message: "\(error)"))
        // Keep answering until the leader says stop, so it never waits on us.
        while case .restore = jobs.take() {}
        results.put(.stats(worker: index, restored: 0, failed: 0, rows: 0, bytes: 0))
    }
}

/// A queue between threads: put never blocks, take waits for an item.
// @unchecked Sendable: `items` is only touched with `cond` locked.
final class Mailbox<T: Sendable>: @unchecked Sendable {
    private let cond = NSCondition()
    private var items: [T] = []

    func put(_ item: T) {
        cond.lock()
        items.append(item)
        cond.signal()
        cond.unlock()
    }

    func take() -> T {
        cond.lock()
        defer { cond.unlock() }
        while items.isEmpty { cond.wait() }
        return items.removeFirst()
    }

    func poll() -> T? {
        cond.lock()
        defer { cond.unlock() }
        return items.isEmpty ? nil : items.removeFirst()
    }
}
