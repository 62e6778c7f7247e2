import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of one finished process.
public struct ProcessResult: Sendable {
    /// The executable and its arguments, for messages.
    public let command: [String]
    /// The exit status; `128 + n` when the process was killed by signal `n`.
    public let status: Int32
    /// Everything the process wrote to standard output.
    public let stdout: Data
    /// Everything the process wrote to standard error.
    public let stderr: Data

    /// Creates a result (mostly useful for tests of code that consumes results).
    public init(command: [String], status: Int32, stdout: Data, stderr: Data) {
        self.command = command
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Standard output decoded as UTF-8 (invalid sequences become U+FFFD).
    public var stdoutString: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error decoded as UTF-8 (invalid sequences become U+FFFD).
    public var stderrString: String { String(decoding: stderr, as: UTF8.self) }
    /// True when the exit status is 0.
    public var succeeded: Bool { status == 0 }

    /// Returns `self` when the process succeeded, otherwise throws
    /// `TestSupportError.processFailed` with the command and its standard error.
    @discardableResult
    public func check() throws -> ProcessResult {
        guard succeeded else {
            throw TestSupportError.processFailed(command: command, status: status, stderr: stderrString)
        }
        return self
    }
}

/// Runs external programs to completion and captures their output.
///
/// Output goes to temporary files rather than pipes, so a child that writes a lot to both
/// streams cannot deadlock against us, and grandchildren that keep the streams open (such
/// as a postmaster started by `pg_ctl`) cannot make us wait for them.
public enum ProcessRunner {
    /// Runs `executable` with `args` and waits for it to finish.
    ///
    /// - Parameters:
    ///   - executable: an absolute or relative path, or a bare name looked up in `PATH`.
    ///   - args: the arguments (without the program name).
    ///   - environment: variables set for the child on top of this process's environment.
    ///     The inherited environment never carries libpq's variables (every name starting
    ///     with `PG`), so a developer's `PGHOST` or `PGDATABASE` cannot leak into tests; pass
    ///     them here when a test wants them.
    ///   - stdin: bytes fed to the child's standard input.
    ///   - stdinFile: a file connected to the child's standard input (ignored when `stdin`
    ///     is given). Without either, standard input is `/dev/null`.
    ///   - cwd: the child's working directory (default: ours).
    /// - Returns: the exit status and the captured output; a non-zero status is not an
    ///   error here (use `ProcessResult.check()`).
    /// - Throws: `TestSupportError.launchFailed` when the program cannot be started.
    public static func run(
        _ executable: String,
        _ args: [String],
        environment: [String: String]? = nil,
        stdin: Data? = nil,
        stdinFile: String? = nil,
        cwd: String? = nil
    ) throws -> ProcessResult {
        let command = [executable] + args
        guard let resolved = resolveExecutable(executable) else {
            throw TestSupportError.launchFailed(command: command, reason: "executable not found")
        }

        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("cbdump-run-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw TestSupportError.launchFailed(command: command, reason: "cannot create \(scratch.path): \(error)")
        }
        defer { try? FileManager.default.removeItem(at: scratch) }

        let outPath = scratch.appendingPathComponent("stdout").path
        let errPath = scratch.appendingPathComponent("stderr").path
        var inPath = "/dev/null"
        if let stdin {
            inPath = scratch.appendingPathComponent("stdin").path
            guard FileManager.default.createFile(atPath: inPath, contents: stdin) else {
                throw TestSupportError.launchFailed(command: command, reason: "cannot write standard input to \(inPath)")
            }
        } else if let stdinFile {
            inPath = stdinFile
        }

        // posix_spawn and waitpid rather than Foundation.Process, whose waitUntilExit was
        // seen to hang forever on a child (runuser) that had already exited.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Children start with default signal handling and an empty signal mask.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // A working directory goes through coreutils' `env -C` (Swift does not import
        // posix_spawn_file_actions_addchdir_np).
        let program = cwd == nil ? resolved : "/usr/bin/env"
        let fullArgs = cwd.map { ["/usr/bin/env", "-C", $0, resolved] } ?? [resolved]
        let argv = (fullArgs + args).map { strdup($0) } + [nil]
        let envp = childEnvironment(environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let rc = posix_spawn(&pid, program, &actions, &attr, argv, envp)
        guard rc == 0 else {
            throw TestSupportError.launchFailed(command: command, reason: String(cString: strerror(rc)))
        }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 {
            if errno != EINTR {
                throw TestSupportError.launchFailed(command: command, reason: "waitpid: \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let termSignal = raw & 0x7f
        let status: Int32 = termSignal == 0 ? (raw >> 8) & 0xff : 128 + termSignal
        let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return ProcessResult(command: command, status: status, stdout: out, stderr: err)
    }

    /// The environment a child gets: ours without libpq's `PG*` variables, plus `extra`.
    static func childEnvironment(_ extra: [String: String]?) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        for (key, value) in extra ?? [:] { env[key] = value }
        return env
    }

    /// Resolves a program name the way a shell would: a name containing `/` is taken as a
    /// path, a bare name is looked up in `PATH`. Returns nil when nothing executable is found.
    public static func resolveExecutable(_ name: String) -> String? {
        let fm = FileManager.default
        if name.contains("/") {
            return fm.isExecutableFile(atPath: name) ? name : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        for dir in path.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(dir)/\(name)"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The folder holding the test bundle and the built executables (for example
    /// `.build/x86_64-unknown-linux-gnu/debug`), so tests can run `cbrestore` as built.
    ///
    /// Found, in order, from `CBDUMP_PRODUCTS_DIR`, the loaded `.xctest` bundle (macOS),
    /// the running test executable (`/proc/self/exe`, then `CommandLine.arguments[0]`),
    /// and finally `<repository>/.build/debug`.
    public static var productsDirectory: String { cachedProductsDirectory }

    /// The path of a built product, e.g. `product("cbrestore")`.
    public static func product(_ name: String) -> String {
        (productsDirectory as NSString).appendingPathComponent(name)
    }

    private static let cachedProductsDirectory: String = {
        if let dir = ProcessInfo.processInfo.environment["CBDUMP_PRODUCTS_DIR"], !dir.isEmpty {
            return dir
        }
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().path
        }
        #endif
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(exe)
        }
        if let arg0 = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: arg0).standardizedFileURL.resolvingSymlinksInPath().path)
        }
        for path in candidates {
            // The folder that holds the `.xctest` (a file on Linux, a bundle on macOS).
            let components = path.split(separator: "/", omittingEmptySubsequences: false)
            if let index = components.firstIndex(where: { $0.hasSuffix(".xctest") }), index > 0 {
                return components[..<index].joined(separator: "/")
            }
        }
        if let root = repositoryRoot {
            return root + "/.build/debug"
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug"
    }()

    /// The root of this repository (the folder with `Package.swift`), found by walking up
    /// from this source file; nil if the sources are not where they were compiled.
    public static let repositoryRoot: String? = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let fm = FileManager.default
        while url.path != "/" && !url.path.isEmpty {
            if fm.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
               fm.fileExists(atPath: url.appendingPathComponent("scripts").path) {
                return url.path
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }()
}
