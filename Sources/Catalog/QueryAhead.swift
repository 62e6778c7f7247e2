import Dispatch
import PostgresClient

/// Catalog queries run in turn on a helper connection of their own while the dump's
/// connection goes on with other queries; each result is picked up where its query would
/// have run.
///
/// Any failure of the helper (no connection allowed, a query error) only means no result:
/// the caller then runs the query itself, and reports its errors as it always would.
// @unchecked Sendable: each `values[i]` is written once, by the worker, before `done[i]` is signalled, and read only after waiting on it.
final class QueryAhead: @unchecked Sendable {
    let queries: [String]
    private let done: [DispatchSemaphore]
    private var values: [(any Sendable)?]

    /// `compact[i]`, when given, turns query `i`'s result into what the caller keeps, on the
    /// helper's thread, so that the result itself (libpq's memory, several times larger) is
    /// freed as soon as it arrives instead of waiting to be read.
    init(_ queries: [String], compact: [Int: @Sendable (RawResult) -> any Sendable] = [:],
         connect: @escaping @Sendable () throws -> Connection) {
        self.queries = queries
        done = queries.map { _ in DispatchSemaphore(value: 0) }
        values = Array(repeating: nil, count: queries.count)
        DispatchQueue.global().async { [self] in
            var next = 0
            defer { for i in next..<done.count { done[i].signal() } }
            guard let conn = try? connect() else { return }
            defer { conn.close() }
            while next < queries.count {
                if let result = try? conn.executeRaw(queries[next]) {
                    values[next] = compact[next].map { $0(result) } ?? result
                }
                done[next].signal()
                next += 1
            }
        }
    }

    /// Waits for query `i`; its result, or nil when the helper has none.
    func result(_ i: Int) -> RawResult? { value(i) as? RawResult }

    /// Waits for query `i`; its result as `compact` made it (or the result), or nil when the
    /// helper has none.
    func value(_ i: Int) -> (any Sendable)? {
        done[i].wait()
        done[i].signal()
        return values[i]
    }
}
