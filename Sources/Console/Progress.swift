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
}

/// A bad --progress value.
public struct ProgressOptionError: Error, CustomStringConvertible {
    public let description: String
}

/// Counts the bytes and rows of the items of one run (the tables of a dump, the data
/// entries of a restore) against the catalog's or the archive's estimates, and shows the
/// state once a second: a one-line bar, or one JSON object per line for tools. Thread-safe:
/// parallel workers report into the same object.
// @unchecked Sendable: the mutable state is only touched with `lock` held, by the callers and by the ticker thread.
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
    /// Standard error is a terminal: the bar is redrawn in place; otherwise (a log file)
    /// it is written as a line every `logInterval` seconds.
    private let onTerminal = isatty(2) != 0
    static let logInterval = 10.0
    private var lastLogged = 0.0
    /// What runs outside the items (a restore's post-data entries), shown when no item does.
    private var note: String?
    /// A bar frame is on the terminal's last line (the termination handler ends it first).
    nonisolated(unsafe) static var barOnScreen = false

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

    /// What the run is doing outside its items, shown while no item runs (nil: nothing).
    public func note(_ text: String?) {
        lock.lock(); defer { lock.unlock() }
        note = text
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
        // Never 100% while an item runs or waits: an item of unknown size (0 estimated
        // bytes) or a post-data phase may still take long.
        min(itemsDone < items.count || !stopped ? 0.99 : 1, estimatedFraction())
    }

    private func estimatedFraction() -> Double {
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
            .flatMap { items[$0.key]?.name } ?? note
    }

    /// The terminal's width in columns (TIOCGWINSZ on standard error), 80 when unknown.
    static func terminalColumns() -> Int {
        var ws = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        return 80
    }

    /// The bar's text in at most `columns - 1` characters: the less important parts (what is
    /// left to go, the rate, the current item) go first, then the bar itself shrinks.
    static func fit(tool: String, fraction f: Double, parts: [String], optional: [String], current: String?, columns: Int) -> String {
        let limit = max(20, columns - 1)
        var opt = optional
        var name = current
        func compose(_ barWidth: Int) -> String {
            let filled = Int(f * Double(barWidth))
            var line = "\(tool): "
            if barWidth > 0 { line += "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: barWidth - filled) + "] " }
            line += (parts + opt).joined(separator: "; ")
            if let name { line += "; " + name }
            return line
        }
        var barWidth = 20
        while true {
            let line = compose(barWidth)
            if line.count <= limit { return line }
            if let n = name, n.count > 12 {
                let room = n.count - (line.count - limit)
                name = room >= 12 ? "..." + n.suffix(room - 3) : nil
            } else if name != nil {
                name = nil
            } else if !opt.isEmpty {
                opt.removeLast()
            } else if barWidth > 0 {
                barWidth = max(0, barWidth - (line.count - limit))
            } else {
                return String(line.prefix(limit))
            }
        }
    }

    /// Called with the lock held.
    private func emit(final: Bool, succeeded: Bool = false) {
        let elapsed = max(0.001, Self.now() - startTime)
        let f = final && succeeded ? 1 : fraction()
        let rate = Double(doneBytes) / elapsed
        let eta: Double? = f > 0.001 && !final ? elapsed * (1 - f) / f : nil
        // Bytes to go only once the estimate's kind of size is known (a restore's compressed
        // blocks against the bytes they hold: after its first finished item).
        let ratioKnown = initialRatio == 1 || finishedCounted > 0
        let bytesToGo: Int64? = f > 0.001 && ratioKnown ? max(0, Int64(Double(doneBytes) / f) - doneBytes) : nil
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
            // Nothing to show for a run without items (a schema-only dump).
            if items.isEmpty { return }
            let now = Self.now()
            if !onTerminal && !final && now - lastLogged < Self.logInterval { return }
            lastLogged = now
            var parts = ["\(Int(f * 100))%", "\(Self.size(doneBytes)), \(doneRows) rows"]
            var optional: [String] = []
            if let eta { parts.append("ETA \(Self.clock(eta))") } else if final { parts.append(Self.clock(elapsed)) }
            optional.append("\(Self.size(Int64(rate)))/s")
            if !final, let b = bytesToGo {
                optional.append("~\(Self.size(b))\(rowsToGo.map { ", ~\($0) rows" } ?? "") to go")
            }
            let text = Self.fit(tool: tool, fraction: f, parts: parts, optional: optional,
                                current: final ? nil : currentName(), columns: onTerminal ? Self.terminalColumns() : 1000)
            if onTerminal {
                // Redrawn in place: to the line's start, the text, the rest of the line erased.
                line = "\r" + text + "\u{1B}[K" + (final ? "\n" : "")
                Self.barOnScreen = !final
            } else {
                line = text + "\n"
            }
        }
        printError(line)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

    /// Sizes in binary units, named as such (KiB, MiB, ...).
    static func size(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var x = Double(n), u = 0
        while x >= 1024 && u < units.count - 1 { x /= 1024; u += 1 }
        return u == 0 ? "\(n) B" : fixed(x, 1) + " " + units[u]
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
