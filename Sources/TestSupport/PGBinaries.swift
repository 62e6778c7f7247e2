import Foundation
#if canImport(XCTest)
import XCTest
#endif

/// The PostgreSQL programs (initdb, pg_ctl, postgres, psql, pg_dump, pg_restore, ...) of
/// one major version.
///
/// Where they come from:
/// - `CBDUMP_PG<major>_BIN`, if set, names the `bin` folder for that major (any major);
/// - 14, 16, 17, 18: `$CBDUMP_PG_CACHE/<major>/bin` (default cache `/var/tmp/cbdump-pg`),
///   filled by `scripts/fetch-pg-binaries.sh`; when missing, that script is run once per
///   process (unless `CBDUMP_PG_NO_FETCH` is set) and the cache is checked again;
/// - any major, 15 in particular: `/usr/lib/postgresql/<major>/bin` (Debian packages).
///
/// A major counts as available only when its `pg_restore --version` runs and reports that
/// major, so missing shared libraries are caught here rather than in the middle of a test.
public struct PGBinaries: Sendable, Hashable, CustomStringConvertible {
    /// The major version, e.g. 17.
    public let major: Int
    /// The folder holding the programs.
    public let binDir: String
    /// The full version the programs report, e.g. "17.11" (from `pg_restore --version`).
    public let version: String

    /// The majors whose pg_dump and pg_restore the oracle tests loop over (each dumps a 15
    /// server, which pg_dump 14 refuses, so 14 is not among them).
    public static let knownMajors = [15, 16, 17, 18]
    /// The majors `scripts/fetch-pg-binaries.sh` provides. 14 is there for its server (the
    /// oracle for a 14 server is pg_dump 15, as cbdump claims); `major(14)` finds it.
    public static let fetchableMajors = [14, 16, 17, 18]

    /// The cache folder of fetched binaries: `$CBDUMP_PG_CACHE` or `/var/tmp/cbdump-pg`.
    public static var cacheDirectory: String {
        let env = ProcessInfo.processInfo.environment["CBDUMP_PG_CACHE"] ?? ""
        return env.isEmpty ? "/var/tmp/cbdump-pg" : env
    }

    /// The full path of one program of this version, e.g. `path("pg_restore")`.
    public func path(_ tool: String) -> String { binDir + "/" + tool }

    public var description: String { "PostgreSQL \(version) (\(binDir))" }

    /// The binaries of major `m`, or nil when they are not usable here (after one attempt
    /// per process to fetch them, for the fetchable majors). Thread-safe; results are cached.
    public static func major(_ m: Int) -> PGBinaries? {
        lookup(m).binaries
    }

    /// The known majors whose binaries are usable here, ascending. May fetch missing ones.
    public static var availableMajors: [Int] {
        knownMajors.filter { major($0) != nil }
    }

    /// Why major `m` is unavailable (nil when it is available).
    public static func unavailableReason(_ m: Int) -> String? {
        lookup(m).reason
    }

    /// The binaries of major `m`, or a thrown skip: `XCTSkip` when XCTest is available (the
    /// test is reported as skipped with the reason), `TestSupportError.majorUnavailable`
    /// otherwise.
    public static func require(_ m: Int) throws -> PGBinaries {
        let found = lookup(m)
        if let binaries = found.binaries { return binaries }
        let reason = found.reason ?? "not found"
        // In the pure tier a test that needs PostgreSQL fails rather than skips.
        if PureTier.isOn { throw TestSupportError.majorUnavailable(major: m, reason: reason) }
        #if canImport(XCTest)
        throw XCTSkip("PostgreSQL \(m) is not available: \(reason)")
        #else
        throw TestSupportError.majorUnavailable(major: m, reason: reason)
        #endif
    }

    /// True when the tests run in CI: `CI` is set to anything but empty, `0` or `false`
    /// (CI services set `CI=true`).
    public static var isCI: Bool {
        let value = (ProcessInfo.processInfo.environment["CI"] ?? "").lowercased()
        return !value.isEmpty && value != "0" && value != "false"
    }

    /// `require(_:)` for a test that must not be skipped in CI: when `failInCI` is true and
    /// `isCI`, a missing major throws `TestSupportError.majorUnavailable`, so the test fails
    /// with the reason instead of being reported as skipped; elsewhere it is a skip as usual.
    public static func require(_ m: Int, failInCI: Bool) throws -> PGBinaries {
        if failInCI && isCI, major(m) == nil {
            throw TestSupportError.majorUnavailable(
                major: m, reason: (unavailableReason(m) ?? "not found") + " (CI is set: a test that needs it fails, not skips)")
        }
        return try require(m)
    }

    // MARK: - Lookup

    private struct Lookup: Sendable {
        var binaries: PGBinaries?
        var reason: String?
    }

    private struct State {
        var cache: [Int: Lookup] = [:]
        var fetchAttempted = false
        var fetchLog = ""
    }

    /// Guards the cache and the one fetch attempt; held while fetching so that concurrent
    /// callers wait for the download rather than start their own.
    private static let state = Locked(State())

    private static func lookup(_ m: Int) -> Lookup {
        if let refusal = PureTier.refusal("PostgreSQL \(m) programs were looked up") {
            return Lookup(binaries: nil, reason: refusal)
        }
        return state.withLock { state in
            if let cached = state.cache[m] { return cached }
            var result = probe(m)
            if result.binaries == nil, fetchableMajors.contains(m) {
                if !state.fetchAttempted {
                    state.fetchAttempted = true
                    state.fetchLog = runFetchScript()
                    // Results cached before the fetch are stale now.
                    state.cache = state.cache.filter { $0.value.binaries != nil }
                    result = probe(m)
                }
                if result.binaries == nil, !state.fetchLog.isEmpty {
                    result.reason = (result.reason ?? "not found") + "; fetch: " + state.fetchLog
                }
            }
            state.cache[m] = result
            return result
        }
    }

    /// The folders where major `m` may live, best first.
    private static func candidateDirs(_ m: Int) -> [String] {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["CBDUMP_PG\(m)_BIN"], !env.isEmpty {
            dirs.append(env)
        }
        if fetchableMajors.contains(m) {
            dirs.append("\(cacheDirectory)/\(m)/bin")
        }
        dirs.append("/usr/lib/postgresql/\(m)/bin")
        return dirs
    }

    /// Checks the candidate folders without fetching anything.
    private static func probe(_ m: Int) -> Lookup {
        let fm = FileManager.default
        var reasons: [String] = []
        for dir in candidateDirs(m) {
            let needed = ["initdb", "pg_ctl", "postgres", "psql", "pg_dump", "pg_restore"]
            let missing = needed.filter { !fm.isExecutableFile(atPath: dir + "/" + $0) }
            if missing.count == needed.count {
                reasons.append("no \(dir)")
                continue
            }
            if !missing.isEmpty {
                reasons.append("\(dir) lacks \(missing.joined(separator: ", "))")
                continue
            }
            guard let result = try? ProcessRunner.run(dir + "/pg_restore", ["--version"]), result.succeeded else {
                reasons.append("\(dir)/pg_restore --version fails (missing shared libraries?)")
                continue
            }
            // "pg_restore (PostgreSQL) 17.11" or "... 15.20 (Debian 15.20-0+deb12u1)"
            let words = result.stdoutString.split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard let marker = words.firstIndex(of: "(PostgreSQL)"), marker + 1 < words.count else {
                reasons.append("\(dir)/pg_restore --version printed \(result.stdoutString)")
                continue
            }
            let version = String(words[marker + 1])
            guard version.split(separator: ".").first.flatMap({ Int($0) }) == m else {
                reasons.append("\(dir) holds PostgreSQL \(version), not \(m)")
                continue
            }
            return Lookup(binaries: PGBinaries(major: m, binDir: dir, version: version), reason: nil)
        }
        return Lookup(binaries: nil, reason: reasons.joined(separator: "; "))
    }

    /// Runs scripts/fetch-pg-binaries.sh, echoing its output to our standard error so the
    /// download shows in the test log. Returns a short note for failure messages.
    private static func runFetchScript() -> String {
        if let flag = ProcessInfo.processInfo.environment["CBDUMP_PG_NO_FETCH"], !flag.isEmpty {
            return "not attempted (CBDUMP_PG_NO_FETCH is set)"
        }
        guard let root = ProcessRunner.repositoryRoot else {
            return "repository root not found from \(#filePath)"
        }
        let script = root + "/scripts/fetch-pg-binaries.sh"
        guard FileManager.default.isExecutableFile(atPath: script) else {
            return "\(script) missing or not executable"
        }
        log("running \(script)")
        // CBDUMP_PG_CACHE is inherited, so the script fills the folder we look in.
        guard let result = try? ProcessRunner.run(script, [], cwd: root) else {
            return "could not run \(script)"
        }
        log(result.stdoutString + result.stderrString)
        if result.succeeded { return "" }
        let lastLine = result.stderrString.split(separator: "\n").last.map(String.init) ?? ""
        return "\(script) exited with status \(result.status): \(lastLine)"
    }
}

/// The binaries of major `m`, or a thrown `XCTSkip` (so a test needing a missing major is
/// reported as skipped, with the reason). Same as `PGBinaries.require(_:)`.
public func requireMajor(_ m: Int) throws -> PGBinaries {
    try PGBinaries.require(m)
}

/// Writes a harness message to standard error, prefixed so it stands out in test logs.
func log(_ message: String) {
    let text = message.hasSuffix("\n") ? message : message + "\n"
    let prefixed = text.split(separator: "\n", omittingEmptySubsequences: false)
        .dropLast()
        .map { "[TestSupport] \($0)\n" }
        .joined()
    FileHandle.standardError.write(Data(prefixed.utf8))
}
