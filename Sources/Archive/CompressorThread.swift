import Foundation

/// Compresses one entry's data and writes it to the archive as the custom format's
/// length-prefixed chunks (one zlib stream, LZ4 frame or zstd frame per table, as pg_dump).
/// The same object does the work on the writer's thread or on the compressor thread, so the
/// bytes cannot differ.
///
/// The encoder's output is gathered and written as chunks of up to `outputSize` bytes, as
/// pg_dump gathers its own: an encoder hands over output in pieces (zlib's two header bytes
/// first, a parallel stream's header, blocks and trailer), and a chunk per piece costs five
/// bytes of framing each, which for 100,000 small large objects made the archive 12% larger.
final class ChunkCompressor {
    static let outputSize = 64 * 1024

    let out: FileSink
    let spec: CompressionSpec
    private var encoder: StreamEncoder?
    private let pending: UnsafeMutableRawBufferPointer
    private var used = 0

    init(out: FileSink, spec: CompressionSpec) {
        self.out = out
        self.spec = spec
        pending = .allocate(byteCount: Self.outputSize, alignment: 16)
    }

    deinit { pending.deallocate() }

    func compress(_ bytes: UnsafeRawBufferPointer) throws {
        if encoder == nil { encoder = try makeEncoder(spec) }
        try encoder!.feed(bytes) { try gather($0) }
    }

    /// Ends the stream (pg_dump always ends one, even an empty one).
    func finish() throws {
        if encoder == nil { encoder = try makeEncoder(spec) }
        try encoder!.finish { try gather($0) }
        encoder = nil
        try writeChunk()
    }

    private func gather(_ piece: UnsafeRawBufferPointer) throws {
        var rest = piece
        while !rest.isEmpty {
            let n = min(rest.count, Self.outputSize - used)
            (pending.baseAddress! + used).copyMemory(from: rest.baseAddress!, byteCount: n)
            used += n
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            if used == Self.outputSize { try writeChunk() }
        }
    }

    private func writeChunk() throws {
        guard used > 0 else { return }
        try out.int(Int32(used))
        try out.raw(UnsafeRawBufferPointer(rebasing: pending[0..<used]))
        used = 0
    }
}

/// The second thread of the data path (docs/architecture.md, "Compression threads"): the writer's thread
/// reads COPY data and hands full input chunks to this thread, which deflates them and writes
/// the result, so that reading from the server and compressing overlap. The queue holds at
/// most `capacity` chunks: a slow disk or compressor holds the reader back instead of
/// filling memory.
///
/// `@unchecked Sendable`: the queue and the counters are only touched under `cond`'s lock.
/// The `ChunkCompressor` (and the archive's `FileSink` it writes to) belong to this thread
/// from the first `send` of a stream until `finish` returns, and to the writer's thread
/// otherwise; the lock taken on both sides of each hand-over orders their accesses.
// @unchecked Sendable: see the paragraph above (queue and counters under `cond`; the compressor handed over under it).
final class CompressorThread: @unchecked Sendable {
    private enum Message { case data([UInt8]), end, stop }

    private let compressor: ChunkCompressor
    private let capacity: Int
    private let cond = NSCondition()
    private var queue: [Message] = []
    private var endsRequested = 0
    private var endsDone = 0
    private var failure: Error?
    private var exited = false

    init(compressor: ChunkCompressor, capacity: Int = 4) {
        self.compressor = compressor
        self.capacity = capacity
        let thread = Thread { [self] in run() }
        thread.name = "cbdump compressor"
        thread.start()
    }

    /// Queues a chunk, waiting while the queue is full. Throws the compressor's error (a
    /// failed write), so that the reader stops at once.
    func send(_ chunk: [UInt8]) throws {
        cond.lock()
        defer { cond.unlock() }
        while queue.count >= capacity && failure == nil { cond.wait() }
        if let failure { throw failure }
        queue.append(.data(chunk))
        cond.broadcast()
    }

    /// Ends the current stream and waits until all of it is written; the compressor is the
    /// caller's again when this returns.
    func finish() throws {
        cond.lock()
        defer { cond.unlock() }
        queue.append(.end)
        endsRequested += 1
        cond.broadcast()
        while endsDone < endsRequested { cond.wait() }
        if let failure { throw failure }
    }

    /// Ends the thread (after what is queued) and waits for it.
    func stop() {
        cond.lock()
        defer { cond.unlock() }
        queue.append(.stop)
        cond.broadcast()
        while !exited { cond.wait() }
    }

    private func run() {
        cond.lock()
        while true {
            while queue.isEmpty { cond.wait() }
            let message = queue.removeFirst()
            let failed = failure != nil
            cond.broadcast()  // room in the queue
            cond.unlock()
            var error: Error?
            switch message {
            case .data(let chunk):
                if !failed {
                    do { try chunk.withUnsafeBytes { try compressor.compress($0) } } catch let e { error = e }
                }
            case .end:
                if !failed {
                    do { try compressor.finish() } catch let e { error = e }
                }
            case .stop:
                cond.lock()
                exited = true
                cond.broadcast()
                cond.unlock()
                return
            }
            cond.lock()
            if let error, failure == nil { failure = error }
            if case .end = message { endsDone += 1 }
            cond.broadcast()
        }
    }
}
