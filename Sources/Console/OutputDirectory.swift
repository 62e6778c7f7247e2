#if canImport(Glibc)
import Glibc
#endif

/// A tool's output directory (pg_dump -Fd), written under a temporary name beside the
/// target and renamed into place only when complete; removed, with what is in it, when the
/// run fails or is interrupted. As pg_dump, the target may be absent or an empty directory.
public enum OutputDirectory {
    nonisolated(unsafe) static var tempPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var finalPath: String?

    public struct OpenError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Checks `path`, creates the temporary directory (mode 0700) and returns its path.
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

    /// Puts the directory in place (replacing the empty one, if any) and syncs its parent.
    public static func commit(sync: Bool) throws {
        guard let temp = tempPath, let final = finalPath else { return }
        if rename(temp, final) != 0 {
            let reason = String(cString: strerror(errno))
            abandon()
            throw OpenError(description: "could not rename directory \"\(String(cString: temp))\" to \"\(final)\": \(reason)")
        }
        free(temp)
        tempPath = nil
        if sync {
            let parent = final.contains("/") ? String(final[..<final.lastIndex(of: "/")!]) : "."
            let fd = open(parent.isEmpty ? "/" : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { _ = fsync(fd); close(fd) }
        }
    }

    /// Removes a partial output (on error).
    public static func abandon() {
        if let temp = tempPath {
            removeTree(temp)
            free(temp)
            tempPath = nil
        }
    }

    /// Removes a directory of plain files (what an archive directory holds).
    static func removeTree(_ path: UnsafePointer<CChar>) {
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
        rmdir(path)
    }
}
