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

    public struct OpenError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Opens the output and returns its descriptor; `nil` or "-" is standard output.
    /// `tool` names the temporary file (`FILE.<tool>-tmp-PID`), `mode` is the new file's.
    public static func open(_ path: String?, tool: String, mode: mode_t) throws -> Int32 {
        guard let path, path != "-" else { fd = 1; return 1 }
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw OpenError(description: "could not open output file \"\(path)\": \(String(cString: strerror(errno)))") }
            self.fd = fd
            return fd
        }
        let temp = "\(path).\(tool)-tmp-\(getpid())"
        installSignalHandlers()
        tempPath = strdup(temp)
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            free(tempPath); tempPath = nil
            throw OpenError(description: "could not open output file \"\(path)\": \(reason)")
        }
        self.fd = fd
        finalPath = path
        return fd
    }

    /// Makes the output visible under its real name (after fsync); closes what was opened.
    public static func commit() throws {
        guard let temp = tempPath, let final = finalPath else {
            if fd > 1 { close(fd) }
            return
        }
        if fsync(fd) != 0 || close(fd) != 0 || rename(temp, final) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw OpenError(description: "could not write output file \"\(final)\": \(reason)")
        }
        free(temp)
        tempPath = nil
    }

    /// Removes a partial output (on error).
    public static func abandon() {
        if let temp = tempPath { unlink(temp) }
    }

    private static func installSignalHandlers() {
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            signal(sig) { s in
                if let p = OutputFile.tempPath { unlink(p) }
                _exit(128 + s)
            }
        }
    }
}
