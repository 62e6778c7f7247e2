import CLibPQ
import Console
#if canImport(Glibc)
import Glibc
#endif

/// The connections whose running statement is cancelled when the tool is terminated by a
/// signal (pg_dump's and pg_restore's handlers send PQcancel for each of theirs before they
/// exit, so that the server stops at once instead of finishing a COPY or an index).
/// A fixed table of libpq cancel objects, read by the signal handler (PQcancel is safe
/// there): written under a lock by the threads that connect, read without one by the
/// handler, which at worst misses a connection being registered at that instant.
enum TerminationCancel {
    static let capacity = 256
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<OpaquePointer?> = {
        let p = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    nonisolated(unsafe) static let errbuf = UnsafeMutablePointer<CChar>.allocate(capacity: 256)
    nonisolated(unsafe) static var lock = pthread_mutex_t()
    nonisolated(unsafe) static var lockReady: Bool = {
        pthread_mutex_init(&lock, nil)
        return true
    }()

    /// Adds a connection's cancel object; returns its slot, or nil when the table is full.
    static func register(_ conn: OpaquePointer) -> Int? {
        guard lockReady, let cancel = PQgetCancel(conn) else { return nil }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard let i = (0..<capacity).first(where: { slots[$0] == nil }) else { PQfreeCancel(cancel); return nil }
        slots[i] = cancel
        OutputFile.terminationHook = cancelAll
        return i
    }

    static func unregister(_ slot: Int) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if let c = slots[slot] { slots[slot] = nil; PQfreeCancel(c) }
    }

    static let cancelAll: @convention(c) () -> Void = {
        for i in 0..<TerminationCancel.capacity {
            if let c = TerminationCancel.slots[i] { _ = PQcancel(c, TerminationCancel.errbuf, 256) }
        }
    }
}
