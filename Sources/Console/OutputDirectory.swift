#if canImport(Glibc)
import Glibc
#endif

/// A tool's output directory (pg_dump -Fd). As pg_dump, the target may be absent or an
/// empty directory. An absent one is written under a temporary name beside the target and
/// renamed into place only when complete; an existing empty one (a mount point, a link to a
/// directory, one whose mode or owner the user chose) is written in place, as pg_dump does.
/// When the run fails or is interrupted, what was written is removed: the temporary
/// directory with its files, or the files of the directory written in place.
public enum OutputDirectory {
    /// The directory being written: the temporary one, or the target itself when `inPlace`.
    nonisolated(unsafe) static var tempPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var finalPath: String?
    /// Whether the target existed and is written in place (it is kept on failure, emptied).
    nonisolated(unsafe) static var inPlace = false

    public struct OpenError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Checks `path`; returns it when it is an existing empty directory, else creates the
    /// temporary directory (mode 0700) and returns that one's path.
    public static func create(_ path: String, tool: String) throws -> String {
        var target = path
        while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
        var st = stat()
        if stat(target, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw OpenError(description: "could not open directory \"\(path)\": \(String(cString: strerror(ENOTDIR)))")
            }
            guard let dir = opendir(target) else {
                throw OpenError(description: "could not open directory \"\(path)\": \(String(cString: strerror(errno)))")
            }
            defer { closedir(dir) }
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { throw OpenError(description: "directory \"\(path)\" is not empty") }
            }
            tempPath = strdup(target)
            finalPath = target
            inPlace = true
            OutputFile.installSignalHandlers([SIGINT, SIGTERM, SIGHUP, SIGPIPE])
            return target
        }
        let temp = "\(target).\(tool)-tmp-\(getpid())"
        if mkdir(temp, 0o700) != 0 {
            throw OpenError(description: "could not create directory \"\(path)\": \(String(cString: strerror(errno)))")
        }
        tempPath = strdup(temp)
        finalPath = target
        OutputFile.installSignalHandlers([SIGINT, SIGTERM, SIGHUP, SIGPIPE])
        return temp
    }

    /// Puts the directory in place (unless it was written there) and syncs its parent.
    public static func commit(sync: Bool) throws {
        guard let temp = tempPath, let final = finalPath else { return }
        if !inPlace && rename(temp, final) != 0 {
            // The message is made before abandon() frees `temp`.
            let message = "could not rename directory \"\(String(cString: temp))\" to \"\(final)\": \(String(cString: strerror(errno)))"
            abandon()
            throw OpenError(description: message)
        }
        tempPath = nil
        free(temp)
        if sync {
            let parent = final.contains("/") ? String(final[..<final.lastIndex(of: "/")!]) : "."
            let fd = open(parent.isEmpty ? "/" : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { _ = fsync(fd); close(fd) }
        }
    }

    /// Removes a partial output (on error).
    public static func abandon() {
        if let temp = tempPath {
            tempPath = nil
            removeTree(temp, keepDirectory: inPlace)
            free(temp)
        }
    }

    /// Removes a directory of plain files (what an archive directory holds), or only its
    /// files when `keepDirectory`.
    static func removeTree(_ path: UnsafePointer<CChar>, keepDirectory: Bool = false) {
        if let dir = opendir(path) {
            let dfd = dirfd(dir)
            while let e = readdir(dir) {
                withUnsafeBytes(of: e.pointee.d_name) { raw in
                    let p = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
                    if strcmp(p, ".") != 0 && strcmp(p, "..") != 0 { unlinkat(dfd, p, 0) }
                }
            }
            closedir(dir)
        }
        if !keepDirectory { rmdir(path) }
    }
}
