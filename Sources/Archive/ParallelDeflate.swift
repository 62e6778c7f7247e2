import CZlib
import Foundation

// One table's zlib stream (or gzip file) compressed on several cores, as pigz does: the input
// is cut into blocks, each block is deflated on its own with the previous block's last 32 kB
// as its dictionary and ends with a sync flush (the last with the final block), and the
// pieces are joined in order between the format's header and its trailer (the checksum
// combined from the blocks'). The result is one ordinary stream: pg_restore's inflate reads
// it as it reads zlib's own, the data decompress to the same bytes. A stream shorter than one
// block is deflated in one piece, which gives exactly the bytes zlib gives.

/// Input bytes per block: large enough that the sync-flush markers and the lost matches
/// across block boundaries cost little (about 0.1%), small enough to spread a table.
let parallelDeflateBlockSize = 1024 * 1024
private let dictionarySize = 32 * 1024

/// A fixed set of compression threads shared by every stream of the process.
// @unchecked Sendable: `queue` is only touched under `cond`, `pools` under `poolsLock`, the rest is `let`.
final class DeflatePool: @unchecked Sendable {
    // @unchecked Sendable: a worker fills `output`/`error` before setting `done` under `cond`; the submitter reads them after `wait`/`isDone` took `cond`.
    final class Job: @unchecked Sendable {
        let input: [UInt8]
        let dictionary: [UInt8]
        let last: Bool
        let level: Int32
        var output: [UInt8] = []
        var error: String?
        var done = false
        init(input: [UInt8], dictionary: [UInt8], last: Bool, level: Int32) {
            self.input = input; self.dictionary = dictionary; self.last = last; self.level = level
        }
    }

    private let cond = NSCondition()
    private var queue: [Job] = []
    let threads: Int

    private nonisolated(unsafe) static var pools: [Int: DeflatePool] = [:]
    private static let poolsLock = NSLock()

    /// The pool of `threads` threads (made on first use, kept for the process).
    static func shared(threads: Int) -> DeflatePool {
        poolsLock.lock()
        defer { poolsLock.unlock() }
        if let p = pools[threads] { return p }
        let p = DeflatePool(threads: threads)
        pools[threads] = p
        return p
    }

    private init(threads: Int) {
        self.threads = threads
        for i in 0..<threads {
            let t = Thread { [self] in work() }
            t.name = "cbdump deflate \(i + 1)"
            t.start()
        }
    }

    func submit(_ job: Job) {
        cond.lock()
        queue.append(job)
        cond.broadcast()
        cond.unlock()
    }

    func isDone(_ job: Job) -> Bool {
        cond.lock()
        defer { cond.unlock() }
        return job.done
    }

    /// Waits until `job` is done.
    func wait(_ job: Job) {
        cond.lock()
        while !job.done { cond.wait() }
        cond.unlock()
    }

    private func work() {
        let deflater = BlockDeflater()
        while true {
            cond.lock()
            while queue.isEmpty { cond.wait() }
            let job = queue.removeFirst()
            cond.unlock()
            deflater.run(job)
            cond.lock()
            job.done = true
            cond.broadcast()
            cond.unlock()
        }
    }
}

/// A raw deflate stream reused block after block (deflateReset keeps its memory).
final class BlockDeflater {
    private var stream = z_stream()
    private var level: Int32?

    deinit { if level != nil { deflateEnd(&stream) } }

    /// Deflates one block; the result (or the error) goes into the job.
    func run(_ job: DeflatePool.Job) {
        if level != job.level {
            if level != nil { deflateEnd(&stream) }
            let rc = deflateInit2_(&stream, job.level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            if rc != Z_OK { level = nil; job.error = "could not initialize compression library: \(rc)"; return }
            level = job.level
        } else if deflateReset(&stream) != Z_OK {
            job.error = "could not reset compression library"
            return
        }
        if !job.dictionary.isEmpty {
            let rc = job.dictionary.withUnsafeBufferPointer { deflateSetDictionary(&stream, $0.baseAddress, uInt($0.count)) }
            if rc != Z_OK { job.error = "could not set compression dictionary: \(rc)"; return }
        }
        // Room for the worst case (deflateBound, plus the sync flush's empty block), not
        // zero-filled: deflate writes every byte that is kept.
        let capacity = Int(deflateBound(&stream, uLong(job.input.count))) + 1024
        let flush = job.last ? Z_FINISH : Z_SYNC_FLUSH
        var failure: String?
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { buf, count in
            job.input.withUnsafeBufferPointer { inp in
                stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
                stream.avail_in = uInt(inp.count)
                stream.next_out = buf.baseAddress
                stream.avail_out = uInt(capacity)
                while true {
                    let rc = deflate(&stream, flush)
                    if rc == Z_STREAM_END { break }
                    if rc != Z_OK && rc != Z_BUF_ERROR { failure = "could not compress data: \(rc)"; break }
                    // A sync flush is complete when deflate left room in the output.
                    if !job.last && stream.avail_in == 0 && stream.avail_out > 0 { break }
                    if stream.avail_out == 0 { failure = "could not compress data: a block outgrew its bound"; break }
                }
            }
            count = capacity - Int(stream.avail_out)
        }
        if let failure { job.error = failure; return }
        job.output = out
    }
}

/// One zlib stream (custom format) or gzip file (directory format), compressed by a
/// `DeflatePool`. Up to twice the pool's threads of blocks are in flight; `feed` waits for the
/// oldest before it queues more, so memory stays bounded.
final class ParallelZlibEncoder: StreamEncoder {
    private let level: Int32
    private let gzipFile: Bool
    private let pool: DeflatePool
    private var block: [UInt8] = []
    private var dictionary: [UInt8] = []
    private var inFlight: [DeflatePool.Job] = []
    private var headerWritten = false
    /// adler32 (zlib) or crc32 (gzip) of the input so far, and its length.
    private var check: uLong
    private var length: UInt64 = 0

    init(level: Int, threads: Int, gzipFile: Bool) {
        self.level = Int32(level)
        self.gzipFile = gzipFile
        pool = DeflatePool.shared(threads: threads)
        check = gzipFile ? crc32(0, nil, 0) : adler32(0, nil, 0)
        block.reserveCapacity(parallelDeflateBlockSize)
    }

    func feed(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let streamer {
            fold(input)
            try streamer.feed(input, emit)
            return
        }
        var rest = input
        while !rest.isEmpty {
            let take = min(rest.count, parallelDeflateBlockSize - block.count)
            block.append(contentsOf: rest.prefix(take))
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(take))
            if block.count == parallelDeflateBlockSize {
                try submitBlock(last: false, emit)
                // The rest of this input goes on in the stream it switched to.
                if streamer != nil { try feed(rest, emit); return }
            }
        }
    }

    func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if streamer != nil {
            // Already going on here.
        } else if inFlight.isEmpty && dictionary.isEmpty {
            // Shorter than a block: one piece, on this thread, as zlib itself would make it.
            let job = DeflatePool.Job(input: block, dictionary: [], last: true, level: level)
            BlockDeflater().run(job)
            block = []
            try complete(job, emit)
        } else {
            // (The second block may be where the stream switches: then it goes on here.)
            try submitBlock(last: true, emit)
            while !inFlight.isEmpty { try emitOldest(emit) }
        }
        if let streamer {
            try streamer.finish(emit)
            self.streamer = nil
        }
        var trailer: [UInt8] = []
        if gzipFile {
            for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: check >> uLong(shift))) }
            for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        } else {
            for shift in stride(from: 24, through: 0, by: -8) { trailer.append(UInt8(truncatingIfNeeded: check >> uLong(shift))) }
        }
        try trailer.withUnsafeBytes { try emit($0) }
    }

    /// A table whose first block deflates to less than 1/`inlineRatio` of its input deflates
    /// several times faster than the server sends it (pgbench's tables compress 35:1): helper
    /// threads would only add hand-overs and take the core the server needs, and whole blocks
    /// make the reader wait for each. Then, from the second block on, the stream is deflated
    /// here as it arrives, one raw deflate stream that follows on from the first block (which
    /// ended with a sync flush; its last 32 kB are the dictionary), so that the stream is still
    /// one valid zlib stream or gzip file. The choice is made once, on the first block, which
    /// is waited for when the second is full: it depends on the data alone, never on how the
    /// threads ran, so the same data always gives the same bytes.
    static let inlineRatio = 8
    private var decided = false
    private var lastBlockFast = false
    private var streamer: ZlibEncoder?
    /// Whether the stream went on on this thread (for the tests).
    private(set) var streamed = false

    /// Folds input into the trailer's checksum and length.
    private func fold(_ input: UnsafeRawBufferPointer) {
        guard let base = input.baseAddress, input.count > 0 else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        check = gzipFile ? crc32(check, p, uInt(input.count)) : adler32(check, p, uInt(input.count))
        length &+= UInt64(input.count)
    }

    private func submitBlock(last: Bool, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if !decided && !dictionary.isEmpty {
            // The second block: the first one's outcome decides.
            decided = true
            while !inFlight.isEmpty { try emitOldest(emit) }
            if lastBlockFast {
                let s = try ZlibEncoder(level: Int(level), windowBits: -15, dictionary: dictionary)
                streamer = s
                streamed = true
                let input = block
                block = []
                try input.withUnsafeBytes { fold($0); try s.feed($0, emit) }
                return
            }
        }
        let job = DeflatePool.Job(input: block, dictionary: dictionary, last: last, level: level)
        dictionary = Array(block.suffix(dictionarySize))
        block.removeAll(keepingCapacity: true)
        pool.submit(job)
        inFlight.append(job)
        while inFlight.count > 2 * pool.threads { try emitOldest(emit) }
        // Emit what is ready without waiting, to keep the output flowing.
        while let first = inFlight.first, pool.isDone(first) { try emitOldest(emit) }
    }

    private func emitOldest(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let job = inFlight.removeFirst()
        pool.wait(job)
        try complete(job, emit)
    }

    /// Writes a finished block (after the header, before its successors) and folds its
    /// checksum in.
    private func complete(_ job: DeflatePool.Job, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let error = job.error { throw ArchiveWriteError(error) }
        if !headerWritten {
            try header().withUnsafeBytes { try emit($0) }
            headerWritten = true
        }
        job.input.withUnsafeBytes { fold($0) }
        lastBlockFast = job.output.count * Self.inlineRatio < job.input.count
        if !job.output.isEmpty { try job.output.withUnsafeBytes { try emit($0) } }
    }

    /// The header zlib writes for this level (deflate.c: FLEVEL from the level), or a
    /// gzip header as zlib's gzip wrapper writes it (no name, no time, OS Unix).
    private func header() -> [UInt8] {
        let effective = level == -1 ? 6 : level
        if gzipFile {
            let xfl: UInt8 = effective == 9 ? 2 : (effective == 1 ? 4 : 0)
            return [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3]
        }
        let flevel: UInt16 = effective < 2 ? 0 : (effective < 6 ? 1 : (effective == 6 ? 2 : 3))
        var h: UInt16 = (0x78 << 8) | (flevel << 6)
        h += 31 - (h % 31)
        return [UInt8(h >> 8), UInt8(h & 0xff)]
    }
}
