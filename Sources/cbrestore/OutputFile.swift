import Restore
#if canImport(Glibc)
import Glibc
#endif

/// The output file: written under a temporary name beside the target and renamed into
/// place only when complete, so a failed or interrupted run never leaves a file that looks
/// whole. Standard output and existing non-regular files (/dev/null, a FIFO) are written
/// directly.
enum OutputFile {
    nonisolated(unsafe) static var tempPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var finalPath: String?
    nonisolated(unsafe) static var fd: Int32 = -1

    /// Opens the output; `nil` or "-" is standard output.
    static func open(_ path: String?) throws -> ScriptOutput {
        guard let path, path != "-" else { return ScriptOutput(fileDescriptor: 1, path: "-") }
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw RestoreError("could not open output file \"\(path)\": \(String(cString: strerror(errno)))") }
            self.fd = fd
            return ScriptOutput(fileDescriptor: fd, path: path)
        }
        let temp = "\(path).cbrestore-tmp-\(getpid())"
        installSignalHandlers()
        tempPath = strdup(temp)
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            free(tempPath); tempPath = nil
            throw RestoreError("could not open output file \"\(path)\": \(reason)")
        }
        self.fd = fd
        finalPath = path
        return ScriptOutput(fileDescriptor: fd, path: path)
    }

    /// Makes the output visible under its real name.
    static func commit() {
        guard let temp = tempPath, let final = finalPath else {
            if fd >= 0 { close(fd) }
            return
        }
        if fsync(fd) != 0 || close(fd) != 0 || rename(temp, final) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            printError("cbrestore: error: could not write output file \"\(final)\": \(reason)\n")
            exit(1)
        }
        free(temp)
        tempPath = nil
    }

    /// Removes a partial output (on error).
    static func abandon() {
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
