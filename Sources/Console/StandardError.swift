#if canImport(Glibc)
import Glibc
#endif

/// Writes a message to standard error, whole (partial writes are continued), unbuffered and
/// free of the shared C FILE, which Swift 6 does not let us touch from any thread.
public func printError(_ s: String) {
    var bytes = Array(s.utf8)
    bytes.withUnsafeMutableBytes { b in
        var off = 0
        while off < b.count {
            let n = write(2, b.baseAddress! + off, b.count - off)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            off += n
        }
    }
}
