import Archive
import Foundation
import TestSupport
import XCTest

/// cbdump's output formats against the oracle: the fixture database (Fixtures/schemas, as
/// DumpOracleTests loads it) dumped as plain SQL by cbdump and by that server major's
/// pg_dump must give the same script, once the random `\restrict` key and the "Dumped by"
/// line are normalised.
final class FormatOracleTests: XCTestCase {
    /// One server major with the fixture database loaded, and a scratch directory.
    final class Fixture {
        let major: Int, cluster: TestCluster, bin: PGBinaries, dir: String
        init(major: Int, cluster: TestCluster, bin: PGBinaries, dir: String) {
            self.major = major; self.cluster = cluster; self.bin = bin; self.dir = dir
        }
        func path(_ name: String) -> String { dir + "/" + name }
    }
    nonisolated(unsafe) static var fixtures: [Int: Fixture] = [:]

    static func fixture(_ major: Int) throws -> Fixture {
        if let f = fixtures[major] { return f }
        guard let bin = PGBinaries.major(major) else {
            throw XCTSkip("PostgreSQL \(major) is not available: \(PGBinaries.unavailableReason(major) ?? "not found")")
        }
        let c = try TestCluster(major: major)
        let dir = NSTemporaryDirectory() + "cbdump-formats-\(getpid())-\(major)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let f = Fixture(major: major, cluster: c, bin: bin, dir: dir)
        fixtures[major] = f
        try c.createDatabase("fx")
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let schemas = root + "/Fixtures/schemas"
        for name in try FileManager.default.contentsOfDirectory(atPath: schemas).sorted() where name.hasSuffix(".sql") {
            try c.psqlFile(schemas + "/" + name, db: "fx")
        }
        return f
    }

    override class func tearDown() {
        for f in fixtures.values {
            f.cluster.stop()
            try? FileManager.default.removeItem(atPath: f.dir)
        }
        fixtures = [:]
        super.tearDown()
    }

    /// Runs cbdump against the fixture database; fails the test (and throws) on an error exit.
    @discardableResult
    func cbdump(_ f: Fixture, _ args: [String], db: String = "fx") throws -> ProcessResult {
        let r = try ProcessRunner.run(ProcessRunner.product("cbdump"), args + f.cluster.connectionArgs(db: db))
        if r.status != 0 {
            XCTFail("cbdump \(args.joined(separator: " ")) failed: \(r.stderrString)")
            throw XCTSkip("cbdump failed")
        }
        return r
    }

    /// A script with the restrict key, the dumper's version line and the -v times normalised.
    static func normalized(_ script: String) -> String {
        Oracle.normalizeRestrictKey(script).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("-- Dumped by pg_dump version") && !$0.hasPrefix("-- Started on ")
                && !$0.hasPrefix("-- Completed on ") }.joined(separator: "\n")
    }

    func assertSameScript(ours: String, theirs: String, _ label: String, minimum: Int = 1000,
                          file: StaticString = #filePath, line: UInt = #line) {
        let a = Self.normalized(ours), b = Self.normalized(theirs)
        if a != b { XCTFail("\(label): scripts differ\n" + Oracle.firstDifference(ours: a, theirs: b), file: file, line: line) }
        XCTAssertGreaterThan(b.utf8.count, minimum, "\(label): the reference script is suspiciously short", file: file, line: line)
    }

    // MARK: - Plain format

    /// pg_dump -Fp and cbdump -Fp, to standard output, for option sets that shape plain
    /// output. On 17 and later pg_dump groups large objects (archive 1.16 style), which
    /// cbdump does not: `extra` leaves them out there.
    func checkPlain(_ major: Int, extra: [String] = []) throws {
        let f = try Self.fixture(major)
        let sets: [[String]] = [
            [], ["-c", "--if-exists"], ["-C"], ["-O", "-x"], ["-a", "--disable-triggers"], ["-s"],
            ["-C", "-c", "--use-set-session-authorization"], ["--section=pre-data", "--no-comments"],
            // -v: TOC entry comments with the dependencies pg_dump keeps for a script.
            ["-v", "-c"],
        ]
        for opts in sets {
            let args = ["-Fp"] + opts + extra
            let theirs = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: args)
            let ours = try cbdump(f, args)
            assertSameScript(ours: ours.stdoutString, theirs: theirs.stdoutString, "PG\(major) \(args.joined(separator: " "))")
            // Both generate a key of their own when none is given.
            XCTAssertTrue(ours.stdoutString.contains("\n\\restrict "), "PG\(major) \(args): no \\restrict line")
            XCTAssertFalse(ours.stdoutString.contains("\\restrict \(Oracle.restrictKeyPlaceholder)"))
        }
    }

    func testPlainPostgreSQL15() throws { try checkPlain(15) }
    func testPlainPostgreSQL18() throws { try checkPlain(18, extra: ["-B"]) }

    /// A given --restrict-key is used verbatim, -f writes the same script as standard
    /// output, and a bad key is refused as pg_dump refuses it.
    func testPlainRestrictKeyAndFile() throws {
        let f = try Self.fixture(15)
        let key = "Abc123xyz"
        let theirs = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: ["-Fp", "--restrict-key=\(key)"])
        try cbdump(f, ["-Fp", "--restrict-key", key, "-f", f.path("plain.sql")])
        let ours = try String(contentsOfFile: f.path("plain.sql"), encoding: .utf8)
        XCTAssertTrue(ours.contains("\\restrict \(key)\n") && ours.contains("\\unrestrict \(key)\n"))
        // Only the version line may differ: the key is the same on both sides.
        func dropVersion(_ s: String) -> String {
            s.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("-- Dumped by pg_dump version") }.joined(separator: "\n")
        }
        XCTAssertEqual(dropVersion(ours), dropVersion(theirs.stdoutString))

        for bad in ["a-b", "k\u{e9}y", ""] {
            let pg = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: ["-Fp", "--restrict-key=\(bad)"], allowFailure: true)
            let mine = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fp", "--restrict-key=\(bad)"] + f.cluster.connectionArgs(db: "fx"))
            XCTAssertEqual(mine.status, 1)
            XCTAssertEqual(mine.stderrString.replacingOccurrences(of: "cbdump:", with: "pg_dump:"), pg.stderrString, "key \"\(bad)\"")
        }
    }

    // MARK: - Archives read back

    /// `pg_restore -l` of an archive, without the lines that differ from run to run (creation
    /// time) or by design (the dumper's version; with `version`, the archive version, for
    /// majors whose pg_dump writes a newer one than cbdump).
    func listing(_ f: Fixture, _ archive: String, version: Bool = true) throws -> String {
        let out = try Oracle.pgRestore(f.bin, args: ["-l", archive]).stdoutString
        return out.split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.hasPrefix("; Archive created at") && !$0.hasPrefix(";     Dumped by pg_dump version")
                && (version || !$0.hasPrefix(";     Dump Version:"))
        }.joined(separator: "\n")
    }

    /// Ours and pg_dump's archive list the same entries and render the same script in that
    /// major's pg_restore; cbrestore renders ours as pg_restore does.
    func assertSameArchive(ours: String, theirs: String, _ f: Fixture, _ label: String, version: Bool = true,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let la = try listing(f, ours, version: version), lb = try listing(f, theirs, version: version)
        if la != lb { XCTFail("\(label): pg_restore -l differs\n" + Oracle.firstDifference(ours: la, theirs: lb), file: file, line: line) }
        XCTAssertGreaterThan(lb.split(separator: "\n").count, 100, "\(label): too few entries listed", file: file, line: line)
        let sa = try Oracle.pgRestore(f.bin, args: ["-f", "-", ours]).stdoutString
        let sb = try Oracle.pgRestore(f.bin, args: ["-f", "-", theirs]).stdoutString
        assertSameScript(ours: sa, theirs: sb, "\(label) (pg_restore -f -)", file: file, line: line)
        let cb = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--compat-version", "\(f.major)", "-f", "-", ours])
        XCTAssertEqual(cb.status, 0, "\(label): cbrestore: \(cb.stderrString)", file: file, line: line)
        assertSameScript(ours: cb.stdoutString, theirs: sa, "\(label) (cbrestore -f - of ours)", file: file, line: line)
    }

    static func files(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    // MARK: - Directory format

    /// -Fd by both tools, gzip (the default) and uncompressed: the same file names, the
    /// same listing and script; -j 2 gives the same archive as -j 1.
    func checkDirectory(_ major: Int, extra: [String] = []) throws {
        let f = try Self.fixture(major)
        for opts in [[], ["-Z0"]] {
            let label = "PG\(major) -Fd \((opts + extra).joined(separator: " "))"
            let ref = f.path("ref-dir\(opts.joined())"), ours = f.path("ours-dir\(opts.joined())")
            _ = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: ["-Fd", "-f", ref] + opts + extra)
            try cbdump(f, ["-Fd", "-f", ours] + opts + extra)
            if major < 17 { XCTAssertEqual(try Self.files(ours), try Self.files(ref), "\(label): files") }
            XCTAssertTrue(try Self.files(ours).contains("toc.dat"), "\(label): no toc.dat")
            XCTAssertEqual(try Self.files(ours).filter { $0.hasSuffix(".gz") }.isEmpty, !opts.isEmpty, "\(label): compression suffixes")
            try assertSameArchive(ours: ours, theirs: ref, f, label, version: major < 17)
        }
        // Parallel: two workers in the leader's snapshot write the same archive.
        let serial = f.path("ours-dir"), parallel = f.path("ours-dir-j2")
        try cbdump(f, ["-Fd", "-j", "2", "-f", parallel] + extra)
        XCTAssertEqual(try Self.files(parallel), try Self.files(serial))
        XCTAssertEqual(try listing(f, parallel), try listing(f, serial), "PG\(major): -j 2 listing")
        let a = try Oracle.pgRestore(f.bin, args: ["-f", "-", parallel]).stdoutString
        let b = try Oracle.pgRestore(f.bin, args: ["-f", "-", serial]).stdoutString
        assertSameScript(ours: a, theirs: b, "PG\(major) -Fd -j 2 against -j 1")
    }

    /// A worker that cannot connect (the role allows one connection, the leader's) fails the
    /// dump: exit 1, the server's reason, and no directory left behind.
    func testParallelWorkerFailure() throws {
        let f = try Self.fixture(15)
        let role = "cbd_one_conn", db = "fx_one_conn"
        try f.cluster.psql("CREATE ROLE \(role) LOGIN CONNECTION LIMIT 1; CREATE DATABASE \(db) OWNER \(role) TEMPLATE template0")
        try f.cluster.psql("CREATE TABLE t1 AS SELECT g FROM generate_series(1, 1000) g; CREATE TABLE t2 (a int); "
                           + "ALTER TABLE t1 OWNER TO \(role); ALTER TABLE t2 OWNER TO \(role)", db: db)
        var args = f.cluster.connectionArgs(db: db)
        guard let u = args.firstIndex(of: "-U") else { return XCTFail("no -U in the connection options") }
        args[u + 1] = role
        let target = f.path("one-conn-dir")
        let failed = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fd", "-j", "2", "-f", target] + args)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderrString.contains("too many connections"), failed.stderrString)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        XCTAssertEqual(try Self.files(f.dir).filter { $0.contains("-tmp-") }, [], "temporary directories left behind")
        // Serially, on the one connection, the same role dumps fine.
        let ok = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fd", "-f", target] + args)
        XCTAssertEqual(ok.status, 0, ok.stderrString)
    }

    func testDirectoryPostgreSQL15() throws { try checkDirectory(15) }
    func testDirectoryPostgreSQL18() throws { try checkDirectory(18, extra: ["-B"]) }

    /// The output directory may be absent or empty, nothing else, with pg_dump 18's
    /// messages; a failed dump leaves nothing behind.
    func testDirectoryTargets() throws {
        let f = try Self.fixture(15)
        let full = f.path("full-dir"), file = f.path("a-file"), empty = f.path("empty-dir")
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full + "/x", contents: Data())
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let pg18 = PGBinaries.major(18)
        for target in [full, file] {
            let mine = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fd", "-f", target] + f.cluster.connectionArgs(db: "fx"))
            XCTAssertEqual(mine.status, 1, target)
            if let pg18 {
                let theirs = try Oracle.pgDump(pg18, cluster: f.cluster, db: "fx", args: ["-Fd", "-f", target], allowFailure: true)
                XCTAssertEqual(mine.stderrString.replacingOccurrences(of: "cbdump:", with: "pg_dump:"), theirs.stderrString)
            }
        }
        XCTAssertEqual(try Self.files(full), ["x"])
        try cbdump(f, ["-Fd", "-Z0", "-f", empty])
        XCTAssertTrue(try Self.files(empty).contains("toc.dat"))
        // A failure after the directory was made (no such database) removes it.
        let gone = f.path("never-made")
        let failed = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fd", "-f", gone] + f.cluster.connectionArgs(db: "no_such_db"))
        XCTAssertEqual(failed.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: gone))
        XCTAssertEqual(try Self.files(f.dir).filter { $0.contains("-tmp-") }, [], "temporary directories left behind")
    }

    // MARK: - Tar format

    static func tarMember(_ archive: String, _ name: String) throws -> String {
        try ProcessRunner.run("tar", ["-xOf", archive, name]).check().stdoutString
    }

    /// -Ft by both tools: the same members in the same order, the same listing and script,
    /// and the same restore.sql; also through standard output (no seeking).
    func checkTar(_ major: Int, extra: [String] = []) throws {
        let f = try Self.fixture(major)
        let label = "PG\(major) -Ft \(extra.joined(separator: " "))"
        let ref = f.path("ref.tar"), ours = f.path("ours.tar")
        _ = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: ["-Ft", "-f", ref] + extra)
        try cbdump(f, ["-Ft", "-f", ours] + extra)
        let members = { (p: String) in try ProcessRunner.run("tar", ["-tf", p]).check().stdoutString }
        if major < 17 { XCTAssertEqual(try members(ours), try members(ref), "\(label): members") }
        XCTAssertTrue(try members(ours).hasPrefix("toc.dat\n") && members(ours).hasSuffix("restore.sql\n"), "\(label): member order")
        try assertSameArchive(ours: ours, theirs: ref, f, label, version: major < 17)
        let sa = try Self.tarMember(ours, "restore.sql"), sb = try Self.tarMember(ref, "restore.sql")
        assertSameScript(ours: sa, theirs: sb, "\(label) restore.sql")
        XCTAssertTrue(sa.contains("FROM '$$PATH$$/"), "\(label): restore.sql loads no data file")

        let piped = try cbdump(f, ["-Ft"] + extra)
        let pipedPath = f.path("ours-piped.tar")
        try piped.stdout.write(to: URL(fileURLWithPath: pipedPath))
        XCTAssertEqual(try listing(f, pipedPath), try listing(f, ours), "\(label): through standard output")
    }

    func testTarPostgreSQL15() throws { try checkTar(15) }
    func testTarPostgreSQL18() throws { try checkTar(18, extra: ["-B"]) }

    /// Compression and tar do not mix, with pg_dump's message.
    func testTarRefusesCompression() throws {
        let f = try Self.fixture(15)
        let theirs = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: ["-Ft", "-Z1", "-f", f.path("z.tar")], allowFailure: true)
        let mine = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Ft", "-Z1", "-f", f.path("z-ours.tar")] + f.cluster.connectionArgs(db: "fx"))
        XCTAssertEqual(mine.status, 1)
        XCTAssertEqual(mine.stderrString.replacingOccurrences(of: "cbdump:", with: "pg_dump:"), theirs.stderrString)
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.path("z-ours.tar")))
    }

    // MARK: - Compression

    /// lz4 and zstd in custom and directory archives, against pg_dump 18's: archive 1.16 as
    /// pg_dump 18 writes it, the same listing and script in pg_restore 18; with
    /// --archive-version 1.15, pg_restore 16 prints the same script for them as for our gzip
    /// archive of that version. lz4/zstd in 1.14 is refused.
    func testLZ4AndZstdPostgreSQL18() throws {
        let f = try Self.fixture(18)
        let pg16 = PGBinaries.major(16)
        // For pg_restore 16: archive 1.15 (--archive-version), gzip, its script the reference.
        let gzipRef = f.path("ours-gzip.dump")
        try cbdump(f, ["-Fc", "-B", "--archive-version", "1.15", "-f", gzipRef])
        XCTAssertEqual(try ArchiveOpener.open(path: gzipRef).header.version, .v1_15)
        let script16 = try pg16.map { try Oracle.pgRestore($0, args: ["-f", "-", gzipRef]).stdoutString }
        for spec in ["lz4", "zstd", "zstd:long", "lz4:level=9", "zstd:level=1,long=off"] {
            for format in ["c", "d"] {
                let label = "PG18 -F\(format) -Z \(spec)"
                let name = "\(format)-\(spec.replacingOccurrences(of: ":", with: "_"))"
                let ref = f.path("ref-" + name), ours = f.path("ours-" + name)
                _ = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: ["-F\(format)", "-B", "-Z", spec, "-f", ref])
                try cbdump(f, ["-F\(format)", "-B", "-Z", spec, "-f", ours])
                let header = try ArchiveOpener.open(path: ours).header
                // What pg_dump 18 writes: archive 1.16.
                XCTAssertEqual(header.version, try ArchiveOpener.open(path: ref).header.version, label)
                XCTAssertEqual(header.version, .v1_16, label)
                XCTAssertEqual(header.compression.name, String(spec.prefix { $0 != ":" }), label)
                if format == "d" {
                    let suffix = spec.hasPrefix("lz4") ? ".lz4" : ".zst"
                    XCTAssertTrue(try Self.files(ours).contains { $0.hasSuffix(".dat" + suffix) }, "\(label): data file names")
                }
                try assertSameArchive(ours: ours, theirs: ref, f, label, version: false)
                if let pg16, let script16 {
                    let older = f.path("ours15-" + name)
                    try cbdump(f, ["-F\(format)", "-B", "-Z", spec, "--archive-version", "1.15", "-f", older])
                    XCTAssertEqual(try ArchiveOpener.open(path: older).header.version, .v1_15, label)
                    let read = try Oracle.pgRestore(pg16, args: ["-f", "-", older]).stdoutString
                    assertSameScript(ours: read, theirs: script16, "\(label) --archive-version 1.15 read by pg_restore 16")
                }
            }
        }
        // What a version cannot hold is refused before anything is written.
        let refused = try ProcessRunner.run(ProcessRunner.product("cbdump"),
                                            ["-Fc", "-Z", "zstd", "--archive-version", "1.14", "-f", f.path("refused.dump")] + f.cluster.connectionArgs(db: "fx"))
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderrString, "cbdump: error: archive version 1.14 cannot hold zstd compression; use 1.15 or later\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.path("refused.dump")))
    }

    /// gzip levels in the 1.14 header ("Compression: 9" in pg_restore 15's listing) and
    /// uncompressed archives, against pg_dump 15.
    func testGzipLevelsPostgreSQL15() throws {
        let f = try Self.fixture(15)
        for (format, z) in [("c", "9"), ("c", "0"), ("d", "1")] {
            let ref = f.path("ref-z\(format)\(z)"), ours = f.path("ours-z\(format)\(z)")
            _ = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: ["-F\(format)", "-Z\(z)", "-f", ref])
            try cbdump(f, ["-F\(format)", "-Z\(z)", "-f", ours])
            XCTAssertTrue(try listing(f, ours).contains(";     Compression: \(z)\n"))
            try assertSameArchive(ours: ours, theirs: ref, f, "PG15 -F\(format) -Z\(z)")
        }
    }

    static func decompress(_ path: String, _ alg: CompressionAlgorithm) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var out: [UInt8] = []
        let decoder = makeDecoder(alg, gzipFile: true)
        try data.withUnsafeBytes { try decoder.feed($0) { out.append(contentsOf: $0) } }
        try decoder.finish { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A compressed plain script is the plain script as one gzip / zstd / lz4 file.
    func testCompressedPlain() throws {
        for (major, spec, alg) in [(15, "5", CompressionAlgorithm.gzip), (18, "zstd", .zstd), (18, "lz4", .lz4)] {
            let f = try Self.fixture(major)
            let ref = f.path("ref-plain-\(spec)"), ours = f.path("ours-plain-\(spec)")
            _ = try Oracle.pgDump(f.bin, cluster: f.cluster, db: "fx", args: ["-Fp", "-B", "-Z", spec, "-f", ref])
            try cbdump(f, ["-Fp", "-B", "-Z", spec, "-f", ours])
            assertSameScript(ours: try Self.decompress(ours, alg), theirs: try Self.decompress(ref, alg), "PG\(major) -Fp -Z \(spec)")
        }
    }

    /// -Z values are checked before connecting, with pg_dump 18's messages.
    func testCompressionSpecErrors() throws {
        let f = try Self.fixture(15)
        guard let pg18 = PGBinaries.major(18) else { throw XCTSkip("PostgreSQL 18 is not available") }
        for spec in ["gzip:long", "gzip:12", "foo", "lz4:level=x", "none:3", "10", "zstd:level=99", "lz4:long",
                     "gzip:level", ":3", "gzip:,", "zstd:long=maybe", "gzip:workers=3", "5x", "gzip:"] {
            let theirs = try Oracle.pgDump(pg18, cluster: f.cluster, db: "fx", args: ["-Fc", "-Z", spec, "-f", f.path("never")], allowFailure: true)
            let mine = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fc", "-Z", spec, "-f", f.path("never")] + f.cluster.connectionArgs(db: "fx"))
            XCTAssertEqual(theirs.status, 1, spec)
            XCTAssertEqual(mine.status, 1, spec)
            XCTAssertEqual(mine.stderrString.replacingOccurrences(of: "cbdump:", with: "pg_dump:"), theirs.stderrString, spec)
        }
    }
}

