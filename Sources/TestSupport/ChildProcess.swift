import Foundation

/// A process that runs while the test does something else to it (signals it, kills its
/// server), spawned with posix_spawn so that its pid is known and waitpid is ours.
public final class ChildProcess {
    public let pid: pid_t
    let outPath: String, errPath: String

    /// Starts `executable` with stdin from /dev/null and stdout/stderr to files in `scratch`,
    /// every signal at its default and none blocked; PG* variables are not inherited.
    public init(_ executable: String, _ args: [String], environment: [String: String], scratch: String) throws {
        outPath = scratch + "/child-\(UUID().uuidString).out"
        errPath = scratch + "/child-\(UUID().uuidString).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var environ = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        for (k, v) in environment { environ[k] = v }
        let argv = ([executable] + args).map { strdup($0) } + [nil]
        let envp = environ.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, executable, &actions, &attr, argv, envp)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc)) }
        self.pid = pid
    }

    /// Waits for the end; the status is 128 + n when killed by signal n, as ProcessRunner's.
    public func wait() -> ProcessResult {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let sig = raw & 0x7f
        let status: Int32 = sig == 0 ? (raw >> 8) & 0xff : 128 + sig
        let out = FileManager.default.contents(atPath: outPath) ?? Data()
        let err = FileManager.default.contents(atPath: errPath) ?? Data()
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
        return ProcessResult(command: [], status: status, stdout: out, stderr: err)
    }
}
