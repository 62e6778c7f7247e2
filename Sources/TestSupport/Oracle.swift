import Foundation

/// Runs the real pg_dump, pg_dumpall and pg_restore (the oracle our tools must agree with)
/// and normalises the parts of their output that differ from run to run.
public enum Oracle {
    /// What `normalizeRestrictKey(_:)` puts in place of a `\restrict` key.
    public static let restrictKeyPlaceholder = "RESTRICTKEY"

    /// Runs `pg_dump` of `bin` against database `db` of `cluster`: `pg_dump <args>
    /// -h … -p … -U postgres -d <db>`. Standard output is captured, so `-f -` or no `-f`
    /// gives the dump in `stdout`.
    /// - Parameter allowFailure: when false (the default) a non-zero exit status throws
    ///   `TestSupportError.processFailed` with pg_dump's standard error.
    public static func pgDump(
        _ bin: PGBinaries, cluster: TestCluster, db: String, args: [String], allowFailure: Bool = false
    ) throws -> ProcessResult {
        try run(bin.path("pg_dump"), args + cluster.connectionArgs(db: db), allowFailure: allowFailure)
    }

    /// Runs `pg_dumpall` of `bin` against `cluster`: `pg_dumpall <args> -h … -p … -U postgres`.
    public static func pgDumpall(
        _ bin: PGBinaries, cluster: TestCluster, args: [String], allowFailure: Bool = false
    ) throws -> ProcessResult {
        try run(bin.path("pg_dumpall"), args + cluster.connectionArgs(), allowFailure: allowFailure)
    }

    /// Runs `pg_restore` of `bin` with `args` (which name the archive, or read it from
    /// `stdin` / `stdinFile`). To restore into a cluster, include
    /// `cluster.connectionArgs(db:)` in `args`; without `-d`, the script goes to `stdout`
    /// (or to the `-f` file).
    /// - Parameter allowFailure: when false (the default) a non-zero exit status throws
    ///   `TestSupportError.processFailed` with pg_restore's standard error.
    public static func pgRestore(
        _ bin: PGBinaries, args: [String], stdin: Data? = nil, stdinFile: String? = nil, allowFailure: Bool = false
    ) throws -> ProcessResult {
        try run(bin.path("pg_restore"), args, stdin: stdin, stdinFile: stdinFile, allowFailure: allowFailure)
    }

    /// Replaces the random key of psql's `\restrict KEY` and `\unrestrict KEY`
    /// meta-commands (emitted by pg_dump and pg_restore since the August 2025 minor
    /// releases) with `restrictKeyPlaceholder`, so two scripts can be compared.
    ///
    /// Only lines that start with `\restrict ` or `\unrestrict ` followed by one or more
    /// ASCII letters or digits are changed, and only the key itself; everything else,
    /// including the rest of such a line and any line ending, is left untouched.
    public static func normalizeRestrictKey(_ s: String) -> String {
        // Work on bytes: the markers and keys are ASCII, and this keeps any other byte as is.
        let prefixes: [[UInt8]] = [Array("\\restrict ".utf8), Array("\\unrestrict ".utf8)]
        let placeholder = Array(restrictKeyPlaceholder.utf8)
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var atLineStart = true
        while i < bytes.count {
            if atLineStart {
                atLineStart = false
                for prefix in prefixes where bytes[i...].starts(with: prefix) {
                    let keyStart = i + prefix.count
                    var keyEnd = keyStart
                    while keyEnd < bytes.count, isASCIIAlphanumeric(bytes[keyEnd]) { keyEnd += 1 }
                    if keyEnd > keyStart {
                        out.append(contentsOf: bytes[i..<keyStart])
                        out.append(contentsOf: placeholder)
                        i = keyEnd
                    }
                    break
                }
                continue
            }
            let byte = bytes[i]
            out.append(byte)
            if byte == UInt8(ascii: "\n") { atLineStart = true }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where two texts first differ, by line, for a test failure message.
    public static func firstDifference(ours a: String, theirs b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "<end>", y = i < lb.count ? String(lb[i]) : "<end>"
            if x != y { return "  line \(i + 1):\n    ours:   \(x.debugDescription)\n    theirs: \(y.debugDescription)" }
        }
        return "  (same lines, different bytes)"
    }

    private static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
            || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    private static func run(
        _ tool: String, _ args: [String], stdin: Data? = nil, stdinFile: String? = nil, allowFailure: Bool
    ) throws -> ProcessResult {
        let result = try ProcessRunner.run(
            tool, args, environment: PGBinaries.toolEnvironment, stdin: stdin, stdinFile: stdinFile)
        return allowFailure ? result : try result.check()
    }
}
