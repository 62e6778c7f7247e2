import Archive
import Catalog
import Foundation
import PostgresClient

/// pg_dump -j for the directory format: worker connections in the leader's exported
/// snapshot each take the next data entry, largest first (WriteDataChunks' order by
/// dataLength), lock its table with NOWAIT as pg_dump's lockTableForWorker does, and write
/// its file. The leader keeps its own transaction, and its locks, open meanwhile.
// @unchecked Sendable: `next` and `failure` are only touched with `lock` held; the rest is constant.
final class ParallelDump: @unchecked Sendable {
    private let lock = NSLock()
    private let queue: [TocEntry]
    private var next = 0
    private var failure: Error?
    private let jobs: [Int32: ConnectionDataDumper]
    private let writer: DirectoryArchiveWriter
    private let connect: @Sendable () throws -> Connection
    private let quoter: SQLQuoter

    private init(queue: [TocEntry], jobs: [Int32: ConnectionDataDumper], writer: DirectoryArchiveWriter,
                 quoter: SQLQuoter, connect: @escaping @Sendable () throws -> Connection) {
        self.queue = queue; self.jobs = jobs; self.writer = writer; self.quoter = quoter; self.connect = connect
    }

    /// The data entries in the order workers take them: decreasing size, then dump ID
    /// (TocEntrySizeCompare).
    static func schedule(_ entries: [TocEntry], jobs: [Int32: ConnectionDataDumper], sizes: [Int32: Int]) -> [TocEntry] {
        entries.filter { $0.hadDumper && jobs[$0.dumpId] != nil }.sorted {
            let a = sizes[$0.dumpId] ?? 0, b = sizes[$1.dumpId] ?? 0
            return a != b ? a > b : $0.dumpId < $1.dumpId
        }
    }

    /// Dumps every data entry with `workers` connections made by `connect` (each already in
    /// the dump's snapshot); throws the first failure once all workers have stopped.
    static func run(entries: [TocEntry], jobs: [Int32: ConnectionDataDumper], sizes: [Int32: Int], workers: Int,
                    writer: DirectoryArchiveWriter, quoter: SQLQuoter, connect: @escaping @Sendable () throws -> Connection) throws {
        let p = ParallelDump(queue: schedule(entries, jobs: jobs, sizes: sizes), jobs: jobs, writer: writer,
                             quoter: quoter, connect: connect)
        let done = DispatchSemaphore(value: 0)
        let count = min(workers, max(p.queue.count, 1))
        for _ in 0..<count {
            let t = Thread { p.work(); done.signal() }
            t.stackSize = 8 << 20
            t.start()
        }
        for _ in 0..<count { done.wait() }
        if let f = p.failure { throw f }
    }

    private func take() -> TocEntry? {
        lock.lock(); defer { lock.unlock() }
        guard failure == nil, next < queue.count else { return nil }
        next += 1
        return queue[next - 1]
    }

    private func fail(_ e: Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil { failure = e }
    }

    private func work() {
        do {
            let conn = try connect()
            defer { try? conn.executeSqlStatement("COMMIT"); conn.close() }
            while let te = take() {
                guard let job = jobs[te.dumpId] else { continue }
                if te.desc != "BLOBS" {
                    // Fail at once rather than queue behind a lock someone requested after
                    // the leader's: waiting could deadlock against the leader's own lock.
                    let name = String(decoding: quoter.qualified(te.namespace, te.tag), as: UTF8.self)
                    do { try conn.executeSqlStatement("LOCK TABLE \(name) IN ACCESS SHARE MODE NOWAIT") } catch {
                        throw WorkerError(description: "could not obtain lock on relation \"\(name)\"\n"
                            + "This usually means that someone requested an ACCESS EXCLUSIVE lock on the table "
                            + "after the cbdump parent process had gotten the initial ACCESS SHARE lock on the table.")
                    }
                }
                try writer.writeData(te) { stream in try job(conn, stream) }
            }
        } catch {
            fail(error)
        }
    }

    struct WorkerError: Error, CustomStringConvertible { let description: String }
}
