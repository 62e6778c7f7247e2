import Dispatch

/// `body(i)` for every `i` in `0..<count`, run on as many threads as there are cores; the
/// results in the order of `i`. For tests whose cases are independent: the caller makes its
/// assertions afterwards, on the test's own thread.
public func concurrentMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let results = Locked([T?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { i in
        let value = body(i)
        results.withLock { $0[i] = value }
    }
    return results.withLock { $0 }.map { $0! }
}
