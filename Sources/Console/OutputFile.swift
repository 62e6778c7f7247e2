#if canImport(Glibc)
import Glibc
#endif

/// A tool's output file. A new file is written under a temporary name beside the target and
/// renamed into place only when complete (mode as given: 0600 for archives). An existing
/// file, or a symbolic link, is rewritten in place as pg_dump rewrites it, so that what the
/// user set up stays: the link, the file's mode, owner and other links, a directory we may
/// not write to, and no room needed for a second copy; if the run fails or is interrupted it
/// is truncated to nothing, so that it never looks whole. Standard output and existing
/// non-regular files (/dev/null, a FIFO) are written directly. One per process: the signal
/// handlers remove the temporary file or truncate the file written in place.
public enum OutputFile {
    nonisolated(unsafe) static var tempPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var finalPath: String?
    nonisolated(unsafe) static var fd: Int32 = -1
    /// The descriptor of a file rewritten in place (truncated on failure), or -1.
    nonisolated(unsafe) static var inPlaceFD: Int32 = -1
    /// Called by the termination handler before it exits (PostgresClient's: a cancel request
    /// for each registered connection's running statement, as pg_dump's and pg_restore's
    /// handlers send). Only async-signal-safe work.
    nonisolated(unsafe) public static var terminationHook: (@convention(c) () -> Void)?
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
        var st = stat(), lst = stat()
        let isLink = lstat(path, &lst) == 0 && (lst.st_mode & S_IFMT) == S_IFLNK
        let exists = stat(path, &st) == 0
        if exists && (st.st_mode & S_IFMT) != S_IFREG {
            let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw OpenError(description: "could not open output file \"\(path)\": \(String(cString: strerror(errno)))") }
            self.fd = fd
            return fd
        }
        if exists || isLink {
            // Through the link, into the existing file: as pg_dump's fopen(path, "w").
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
            if fd < 0 { throw OpenError(description: "could not open output file \"\(path)\": \(String(cString: strerror(errno)))") }
            self.fd = fd
            inPlaceFD = fd
            finalPath = path
            installSignalHandlers([SIGINT, SIGTERM, SIGHUP, SIGPIPE])
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

    /// From now on SIGINT, SIGTERM and SIGQUIT end the tool as pg_dump's and pg_restore's
    /// handlers do once connected: the registered connections' statements cancelled, "TOOL:
    /// terminated by user" on standard error, exit status 1 (and the partial output removed),
    /// also where the signal was ignored when the tool started (a script's background job).
    public static func exitOnTermination(tool: String) {
        if terminatedMessage == nil { terminatedMessage = strdup("\(tool): terminated by user\n") }
        installSignalHandlers([SIGINT, SIGTERM, SIGQUIT])
    }

    /// Makes the output visible under its real name (after fsync unless `sync` is false, as
    /// with pg_dump's --no-sync); closes what was opened.
    public static func commit(sync: Bool = true) throws {
        if inPlaceFD >= 0 {
            let fd = inPlaceFD, path = finalPath ?? ""
            inPlaceFD = -1
            if sync && fsync(fd) != 0 {
                let reason = String(cString: strerror(errno))
                _ = ftruncate(fd, 0)
                close(fd)
                throw OpenError(description: "could not write output file \"\(path)\": \(reason)")
            }
            if close(fd) != 0 {
                let reason = String(cString: strerror(errno))
                _ = truncate(path, 0)
                throw OpenError(description: "could not write output file \"\(path)\": \(reason)")
            }
            return
        }
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

    /// Removes a partial output, or empties a file being rewritten in place (on error).
    public static func abandon() {
        if let temp = tempPath { unlink(temp) }
        if inPlaceFD >= 0 { _ = ftruncate(inPlaceFD, 0) }
    }

    /// One handler for every signal that ends the tool: only async-signal-safe calls (and
    /// the removal of an output directory's few files).
    static func installSignalHandlers(_ signals: [Int32]) {
        for sig in signals {
            signal(sig) { s in
                if let p = OutputFile.tempPath { unlink(p) }
                if OutputFile.inPlaceFD >= 0 { _ = ftruncate(OutputFile.inPlaceFD, 0) }
                if let d = OutputDirectory.tempPath { OutputDirectory.removeTree(d, keepDirectory: OutputDirectory.inPlace) }
                if s == SIGINT || s == SIGTERM || s == SIGQUIT, let m = OutputFile.terminatedMessage {
                    OutputFile.terminationHook?()
                    // End the progress bar's line, so that the message gets its own.
                    if ProgressReporter.barOnScreen { _ = write(2, "\n", 1) }
                    _ = write(2, m, strlen(m))
                    _exit(1)
                }
                _exit(128 + s)
            }
        }
    }
}
