#if canImport(Glibc)
import Glibc
#endif

/// A tool's output file, written under a temporary name beside the target and renamed into
/// place only when complete, so that a failed or interrupted run never leaves a file that
/// looks whole. Standard output and existing non-regular files (/dev/null, a FIFO) are
/// written directly. One per process: the signal handlers remove the temporary file.
public enum OutputFile {
    nonisolated(unsafe) static var tempPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var finalPath: String?
    nonisolated(unsafe) static var fd: Int32 = -1
    /// "TOOL: terminated by user\n", once `exitOnTermination(tool:)` was called.
    nonisolated(unsafe) static var terminatedMessage: UnsafeMutablePointer<CChar>?

    public struct OpenError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Opens the output and returns its descriptor; `nil` or "-" is standard output.
    /// `tool` names the temporary file (`FILE.<tool>-tmp-PID`), `mode` is the new file's.
    public static func open(_ path: String?, tool: String, mode: mode_t) throws -> Int32 {
        // Past a file size limit (ulimit -f), write() should fail with EFBIG and be reported
        // like any write error, instead of SIGXFSZ killing the tool with the file half made.
        signal(SIGXFSZ, SIG_IGN)
        guard let path, path != "-" else { fd = 1; return 1 }
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw OpenError(description: "could not open output file \"\(path)\": \(String(cString: strerror(errno)))") }
            self.fd = fd
            return fd
        }
        let temp = "\(path).\(tool)-tmp-\(getpid())"
        tempPath = strdup(temp)
        installSignalHandlers([SIGINT, SIGTERM, SIGHUP, SIGPIPE])
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            let p = tempPath
            tempPath = nil
            free(p)
            throw OpenError(description: "could not open output file \"\(path)\": \(reason)")
        }
        self.fd = fd
        finalPath = path
        return fd
    }

    /// From now on SIGINT, SIGTERM and SIGQUIT end the tool as pg_dump's handler does once
    /// it is connected: "TOOL: terminated by user" on standard error, exit status 1 (and
    /// the partial output removed).
    public static func exitOnTermination(tool: String) {
        if terminatedMessage == nil { terminatedMessage = strdup("\(tool): terminated by user\n") }
        installSignalHandlers([SIGINT, SIGTERM, SIGQUIT])
    }

    /// Makes the output visible under its real name (after fsync unless `sync` is false, as
    /// with pg_dump's --no-sync); closes what was opened.
    public static func commit(sync: Bool = true) throws {
        guard let temp = tempPath, let final = finalPath else {
            if fd > 1 { close(fd) }
            return
        }
        if (sync && fsync(fd) != 0) || close(fd) != 0 || rename(temp, final) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw OpenError(description: "could not write output file \"\(final)\": \(reason)")
        }
        tempPath = nil
        free(temp)
    }

    /// Removes a partial output (on error).
    public static func abandon() {
        if let temp = tempPath { unlink(temp) }
    }

    /// One handler for every signal that ends the tool: only async-signal-safe calls (and
    /// the removal of an output directory's few files).
    static func installSignalHandlers(_ signals: [Int32]) {
        for sig in signals {
            signal(sig) { s in
                if let p = OutputFile.tempPath { unlink(p) }
                if let d = OutputDirectory.tempPath { OutputDirectory.removeTree(d) }
                if s == SIGINT || s == SIGTERM || s == SIGQUIT, let m = OutputFile.terminatedMessage {
                    _ = write(2, m, strlen(m))
                    _exit(1)
                }
                _exit(128 + s)
            }
        }
    }
}
