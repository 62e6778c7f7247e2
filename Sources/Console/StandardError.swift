#if canImport(Glibc)
import Glibc
#endif

/// Writes all of `bytes` to `fd`, continuing after partial writes and EINTR. Returns 0, or
/// the errno of the write that failed.
public func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    var off = 0
    while off < bytes.count {
        let n = write(fd, bytes.baseAddress! + off, bytes.count - off)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        off += n
    }
    return 0
}

/// Writes a message to standard error, unbuffered and free of the shared C FILE, which
/// Swift 6 does not let us touch from any thread.
public func printError(_ s: String) {
    var bytes = Array(s.utf8)
    _ = bytes.withUnsafeMutableBytes { writeFully(2, UnsafeRawBufferPointer($0)) }
}

/// Ends a tool after an error, as pg_dump and pg_restore do: "TOOL: error: MESSAGE", then
/// a "TOOL: detail: ..." line for each detail, with a pointer to --help for usage errors; a
/// partial output file is removed; exit status 1.
public func exitWithError(tool: String, _ message: String, details: [String] = [], hint: Bool = false) -> Never {
    var text = "\(tool): error: \(message)\n"
    for d in details { text += "\(tool): detail: \(d)\n" }
    if hint { text += "Try \"\(tool) --help\" for more information.\n" }
    printError(text)
    OutputFile.abandon()
    OutputDirectory.abandon()
    exit(1)
}

/// Ends a tool after `error`: a `ToolError` with its details and hint, anything else by its
/// description.
public func exitWithError(tool: String, _ error: Error) -> Never {
    if let e = error as? ToolError { exitWithError(tool: tool, e.message, details: e.details, hint: e.hint) }
    exitWithError(tool: tool, "\(error)")
}
