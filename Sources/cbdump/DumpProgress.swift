import Archive
import Console
import Dump

/// cbdump's progress: every data entry's bytes (and, for COPY data, rows) counted on their
/// way into the archive, against the catalog's estimates (relpages × 8 kB, reltuples).
enum DumpProgress {
    /// Wraps the dump's data dumpers and starts the display; nil when progress is off.
    static func attach(to ctx: DumpContext, mode: ProgressMode) -> ProgressReporter? {
        guard mode != .off else { return nil }
        var items: [Int: ProgressReporter.Item] = [:]
        var copyData: Set<Int> = []
        for te in ctx.entries where te.hadDumper {
            let id = Int(te.dumpId)
            let tag = String(decoding: te.tag, as: UTF8.self)
            let name = te.namespace.map { String(decoding: $0, as: UTF8.self) + "." + tag } ?? tag
            let rows = ctx.dataRowEstimates[te.dumpId].map { Int64($0) } ?? -1
            items[id] = .init(name: te.desc == "TABLE DATA" ? name : "\(te.desc) \(name)",
                              bytes: Int64(ctx.dataSizes[te.dumpId] ?? 0) * 8192, rows: rows)
            if te.copyStmt != nil { copyData.insert(id) }
        }
        let reporter = ProgressReporter(mode: mode, tool: "cbdump", items: items)
        ctx.wrapDataJobs { dumpId, job in
            let id = Int(dumpId)
            let countsRows = copyData.contains(id)
            return { conn, stream in
                let counting = CountingStream(stream, id: id, reporter: reporter, countsRows: countsRows)
                reporter.begin(id)
                try job(conn, counting)
                counting.flush()
                reporter.end(id)
            }
        }
        reporter.start()
        return reporter
    }
}

/// Passes a dumper's bytes on unchanged, counting them (and COPY rows: one newline each,
/// since COPY text escapes the newlines inside values) and reporting every 256 kB, so that
/// one-row writes do not each take the reporter's lock.
final class CountingStream: ArchiveDataStream {
    let inner: ArchiveDataStream
    let id: Int
    let reporter: ProgressReporter
    let countsRows: Bool
    private var bytes: Int64 = 0
    private var rows: Int64 = 0

    init(_ inner: ArchiveDataStream, id: Int, reporter: ProgressReporter, countsRows: Bool) {
        self.inner = inner; self.id = id; self.reporter = reporter; self.countsRows = countsRows
    }

    /// COPY's end marker, written by the dumper after the rows.
    static let terminator: [UInt8] = Array("\\.\n\n\n".utf8)

    func write(_ chunk: UnsafeRawBufferPointer) throws {
        try inner.write(chunk)
        bytes += Int64(chunk.count)
        if countsRows && !chunk.elementsEqual(Self.terminator) {
            var n: Int64 = 0
            for b in chunk where b == 0x0A { n += 1 }
            rows += n
        }
        if bytes >= 256 * 1024 { flush() }
    }

    func startLargeObject(_ oid: UInt32) throws { try inner.startLargeObject(oid) }
    func endLargeObject(_ oid: UInt32) throws { try inner.endLargeObject(oid) }

    func flush() {
        guard bytes > 0 || rows > 0 else { return }
        reporter.add(id, bytes: bytes, rows: rows)
        bytes = 0
        rows = 0
    }
}
