import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How cbdump and cbrestore show their progress on standard error.
public enum ProgressMode: String, Sendable, Equatable {
    case off, bar, json

    /// `--progress[=bar|json]` (a bare `--progress` arrives as "bar"), `--no-progress`;
    /// neither: a bar when standard error is a terminal.
    public static func resolve(_ value: String?, noProgress: Bool) throws -> ProgressMode {
        if noProgress {
            if value != nil { throw ProgressOptionError(description: "options --progress and --no-progress cannot be used together") }
            return .off
        }
        guard let value else { return isatty(2) != 0 ? .bar : .off }
        guard let mode = ProgressMode(rawValue: value), mode != .off else {
            throw ProgressOptionError(description: "invalid value \"\(value)\" for --progress: use bar or json")
        }
        return mode
    }

    /// The arguments with a bare `--progress` spelled `--progress=bar`, so that the option
    /// parser does not take the next word as its value.
    public static func normalizeArguments(_ args: [String]) -> [String] {
        var out: [String] = []
        var rest = false
        for a in args {
            if a == "--" { rest = true }
            out.append(!rest && a == "--progress" ? "--progress=bar" : a)
        }
        return out
    }
}

/// A bad --progress value.
public struct ProgressOptionError: Error, CustomStringConvertible {
    public let description: String
}

/// Counts the bytes and rows of the items of one run (the tables of a dump, the data
/// entries of a restore) against the catalog's or the archive's estimates, and shows the
/// state once a second: a one-line bar, or one JSON object per line for tools. Thread-safe:
/// parallel workers report into the same object.
public final class ProgressReporter: @unchecked Sendable {
    /// What is known of an item beforehand.
    public struct Item: Sendable {
        public let name: String
        /// Estimated bytes (relpages × 8 kB on dump; the stored data size on restore); 0 when
        /// unknown.
        public let bytes: Int64
        /// Estimated rows (reltuples); negative when unknown.
        public let rows: Int64
        public init(name: String, bytes: Int64, rows: Int64) { self.name = name; self.bytes = bytes; self.rows = rows }
    }

    private struct State {
        var bytes: Int64 = 0
        var rows: Int64 = 0
        var started = false
        var finished = false
        var startedAt = 0.0
    }

    public let mode: ProgressMode
    let tool: String
    private let items: [Int: Item]
    private let totalEstimateBytes: Int64
    private let totalEstimateRows: Int64
    private var states: [Int: State] = [:]
    private var doneBytes: Int64 = 0
    private var doneRows: Int64 = 0
    private var itemsDone = 0
    /// Estimated bytes per byte counted, learnt from the finished items (the estimate is of
    /// another size: heap pages on dump, compressed blocks on restore).
    private let initialRatio: Double
    private var finishedEstimate: Int64 = 0
    private var finishedCounted: Int64 = 0
    private let lock = NSCondition()
    private var stopped = false
    private var tickerDone = false
    private let startTime: Double
    private var lastLineWidth = 0

    /// `items` by id (a TOC dumpId); `initialRatio`: estimated bytes per counted byte
    /// until an item has finished (about 0.3 for compressed archive blocks against their
    /// decompressed data).
    public init(mode: ProgressMode, tool: String, items: [Int: Item], initialRatio: Double = 1) {
        self.mode = mode
        self.initialRatio = initialRatio
        self.tool = tool
        self.items = items
        totalEstimateBytes = items.values.reduce(0) { $0 + max(0, $1.bytes) }
        totalEstimateRows = items.values.reduce(0) { $0 + max(0, $1.rows) }
        startTime = Self.now()
    }

    /// Starts the once-a-second display (nothing when the mode is off).
    public func start() {
        guard mode != .off else { return }
        Thread.detachNewThread { [self] in
            lock.lock()
            while !stopped {
                _ = lock.wait(until: Date(timeIntervalSinceNow: 1))
                if !stopped { emit(final: false) }
            }
            tickerDone = true
            lock.broadcast()
            lock.unlock()
        }
    }

    public func begin(_ id: Int) {
        lock.lock(); defer { lock.unlock() }
        states[id, default: State()].started = true
        states[id]!.startedAt = Self.now()
    }

    /// Adds what an item has done since its last report.
    public func add(_ id: Int, bytes: Int64, rows: Int64) {
        lock.lock(); defer { lock.unlock() }
        states[id, default: State()].bytes += bytes
        states[id]!.rows += rows
        doneBytes += bytes
        doneRows += rows
    }

    public func end(_ id: Int) {
        lock.lock(); defer { lock.unlock() }
        guard states[id]?.finished != true else { return }
        itemsDone += 1
        states[id, default: State()].finished = true
        if let item = items[id], item.bytes > 0, let s = states[id], s.bytes > 0 {
            finishedEstimate += item.bytes
            finishedCounted += s.bytes
        }
    }

    /// Stops the display after a last report (`succeeded`: marked done in JSON; the bar
    /// line is ended either way).
    public func finish(succeeded: Bool) {
        guard mode != .off else { return }
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        lock.broadcast()
        while !tickerDone { lock.wait() }
        emit(final: true, succeeded: succeeded)
        lock.unlock()
    }

    /// The share of the estimated work done: finished items count whole, a running item
    /// by its bytes scaled to its estimate's kind of size (at most whole).
    private func fraction() -> Double {
        if totalEstimateBytes <= 0 { return items.isEmpty ? 1 : Double(itemsDone) / Double(items.count) }
        let ratio = finishedCounted > 0 ? Double(finishedEstimate) / Double(finishedCounted) : initialRatio
        var done = 0.0
        for (id, item) in items {
            guard let s = states[id] else { continue }
            let est = Double(max(0, item.bytes))
            done += s.finished ? est : min(est, Double(s.bytes) * ratio)
        }
        return min(1, done / Double(totalEstimateBytes))
    }

    /// The running item most recently started, for the display.
    private func currentName() -> String? {
        states.filter { $0.value.started && !$0.value.finished }
            .max { $0.value.startedAt < $1.value.startedAt }
            .flatMap { items[$0.key]?.name }
    }

    /// Called with the lock held.
    private func emit(final: Bool, succeeded: Bool = false) {
        let elapsed = max(0.001, Self.now() - startTime)
        let f = final && succeeded ? 1 : fraction()
        let rate = Double(doneBytes) / elapsed
        let eta: Double? = f > 0.001 && !final ? elapsed * (1 - f) / f : nil
        let bytesToGo: Int64? = f > 0.001 ? max(0, Int64(Double(doneBytes) / f) - doneBytes) : nil
        let rowsToGo: Int64? = totalEstimateRows > 0 ? max(0, totalEstimateRows - doneRows) : nil
        var line: String
        switch mode {
        case .off: return
        case .json:
            line = "{\"tool\":\"\(tool)\",\"elapsed_s\":\(Self.fixed(elapsed, 1)),\"bytes_done\":\(doneBytes)"
            line += ",\"rows_done\":\(doneRows),\"bytes_to_go\":\(bytesToGo.map(String.init) ?? "null")"
            line += ",\"rows_to_go\":\(final && succeeded ? "0" : rowsToGo.map(String.init) ?? "null")"
            line += ",\"fraction\":\(Self.fixed(f, 4)),\"rate_bytes_per_s\":\(Int64(rate))"
            line += ",\"eta_s\":\(eta.map { Self.fixed($0, 1) } ?? "null"),\"items_done\":\(itemsDone)"
            line += ",\"items_total\":\(items.count),\"current\":\(currentName().map(JSON.string) ?? "null")"
            line += ",\"done\":\(final && succeeded)}\n"
        case .bar:
            let width = 24
            let filled = Int(f * Double(width))
            line = "\r\(tool): \(String(repeating: "=", count: filled))\(String(repeating: " ", count: width - filled))| "
            line += "\(Int(f * 100))% \(Self.size(doneBytes)), \(doneRows) rows"
            if !final, let b = bytesToGo {
                line += "; ~\(Self.size(b))\(rowsToGo.map { ", ~\($0) rows" } ?? "") to go"
            }
            line += "; \(Self.size(Int64(rate)))/s"
            if let eta { line += "; ETA \(Self.clock(eta))" } else if final { line += "; \(Self.clock(elapsed))" }
            if !final, let name = currentName() { line += "; \(name)" }
            let visible = line.count
            if visible < lastLineWidth { line += String(repeating: " ", count: lastLineWidth - visible) }
            lastLineWidth = visible
            if final { line += "\n" }
        }
        printError(line)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

    static func size(_ n: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var x = Double(n), u = 0
        while x >= 1024 && u < units.count - 1 { x /= 1024; u += 1 }
        return u == 0 ? "\(n) B" : fixed(x, 1) + " " + units[u]
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
