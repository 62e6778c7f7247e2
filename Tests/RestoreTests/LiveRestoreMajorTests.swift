import Foundation
import TestSupport
import XCTest

/// cbrestore -d against pg_restore -d on every server major available (15; 16, 17 and 18
/// from the fetched binaries): the fixture schemas are loaded into a source database on that
/// major's server and dumped by that major's pg_dump; each option set restores the archive
/// once with that major's pg_restore and once with cbrestore into two fresh databases, and
/// the two must end with the same exit status, the same number of ignored errors, and
/// databases whose complete pg_dump output (schema and every row) is identical.
/// One cluster per major, reused by all its option sets and stopped at the end.
final class LiveRestoreMajorTests: XCTestCase {
    static let env = ["LC_ALL": "C"]

    func testMajor15() throws { try runMajor(15) }
    func testMajor16() throws { try runMajor(16) }
    func testMajor17() throws { try runMajor(17) }
    func testMajor18() throws { try runMajor(18) }

    /// One major's server, its programs and the archives of its fixture database.
    struct Setup {
        let major: Int
        let bin: PGBinaries
        let cluster: TestCluster
        let dir: String
        /// `pg_dump -Fc -f`: seekable, with data offsets.
        let archive: String
        /// `pg_dump -Fc` through a pipe: no data offsets, read by scanning.
        let pipedArchive: String
        /// `pg_dump -Fd`.
        let directory: String
        let trimmedList: String
        /// As `trimmedList`, but no large object's metadata is left out.
        let parallelTrimmedList: String
        let reorderedList: String
        var pairs = 0

        mutating func freshPair() throws -> (String, String) {
            pairs += 1
            let dbs = ("pg_\(pairs)", "cb_\(pairs)")
            try cluster.createDatabase(dbs.0)
            try cluster.createDatabase(dbs.1)
            return dbs
        }
    }

    func runMajor(_ major: Int) throws {
        guard let bin = PGBinaries.major(major) else {
            let reason = PGBinaries.unavailableReason(major) ?? "not found"
            print("note: PostgreSQL \(major) is not available (\(reason)); its live restores are not compared")
            throw XCTSkip("PostgreSQL \(major) is not available: \(reason)")
        }
        let cluster = try TestCluster(major: major)
        defer { cluster.stop() }
        var s = try prepare(bin, cluster)
        defer { try? FileManager.default.removeItem(atPath: s.dir) }
        var compared = 0

        var optionSets: [[String]] = [[], ["-1"], ["-O", "-x"], ["-L", s.trimmedList], ["-L", s.reorderedList]]
        if major >= 17 { optionSets += [["--transaction-size=10"], ["--transaction-size=1", "-O"]] }
        // Parallel restore (the leader does pre-data, workers the rest, by dependencies).
        optionSets += [["-j", "2"], ["-j", "4", "-O", "-x"]]
        if major >= 17 { optionSets += [["-j", "3", "--transaction-size=20"]] }
        for opts in optionSets {
            let dbs = try s.freshPair()
            try restoreBoth(s, dbs, opts, archive: s.archive, label: opts.joined(separator: " "))
            compared += 1
        }
        for opts in [["-j", "3"], ["-j", "2", "-L", s.parallelTrimmedList]] {
            let dbs = try s.freshPair()
            try restoreBoth(s, dbs, opts, archive: s.directory, label: "directory archive " + opts.joined(separator: " "))
            compared += 1
        }

        // Standard input that is a pipe, from an archive without data offsets.
        let piped = try s.freshPair()
        try restoreBoth(s, piped, [], archive: s.pipedArchive, throughPipe: true, label: "piped archive on stdin")
        compared += 1

        // Section by section into the same pair, then -c --if-exists over the populated target.
        let sections = try s.freshPair()
        for section in ["pre-data", "data", "post-data"] {
            try restoreBoth(s, sections, ["--section=\(section)"], archive: s.archive, label: "--section=\(section)", compare: false)
        }
        try assertSameDatabases(s, sections, "--section pre-data, data, post-data")
        try restoreBoth(s, sections, ["-c", "--if-exists"], archive: s.archive, label: "-c --if-exists on a populated target")
        compared += 2

        // Data only into a schema-only copy: circular foreign keys load with triggers disabled.
        let dataOnly = try s.freshPair()
        for db in [dataOnly.0, dataOnly.1] {
            _ = try Oracle.pgRestore(bin, args: cluster.connectionArgs(db: db) + ["-s", s.archive])
        }
        try restoreBoth(s, dataOnly, ["-a", "--disable-triggers", "-S", "postgres"], archive: s.archive,
                        label: "-a --disable-triggers")
        compared += 1

        try createDatabaseBoth(s)
        compared += 1
        print("PostgreSQL \(major): compared \(compared) live restores with pg_restore \(bin.version) -d")
    }

    // MARK: - Setup

    func prepare(_ bin: PGBinaries, _ cluster: TestCluster) throws -> Setup {
        let dir = NSTemporaryDirectory() + "cbrestore-major\(bin.major)-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try cluster.createDatabase("src")
        // 12_subscription.sql makes a subscription the restores would try to connect.
        for file in try OracleFixture.schemaFiles() where !file.hasSuffix("/12_subscription.sql") {
            try cluster.psqlFile(file, db: "src")
        }
        let archive = dir + "/src.dump", piped = dir + "/src-piped.dump", directory = dir + "/src.dir"
        _ = try Oracle.pgDump(bin, cluster: cluster, db: "src", args: ["-Fc", "-f", archive])
        _ = try Oracle.pgDump(bin, cluster: cluster, db: "src", args: ["-Fd", "-f", directory])
        try Oracle.pgDump(bin, cluster: cluster, db: "src", args: ["-Fc"]).stdout.write(to: URL(fileURLWithPath: piped))

        // A use-list with every third entry commented out, junk and repeated lines; and the
        // listing reversed, which restores objects before what they need (errors on both sides).
        let listing = try Oracle.pgRestore(bin, args: ["-l", archive]).stdoutString
        let entries = listing.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(";") }
        var trimmed = ["; trimmed"]
        for (i, line) in entries.enumerated() { trimmed.append(i % 3 == 1 ? ";" + line : line) }
        trimmed += ["garbage", entries.first ?? "", "0; zero"]
        let trimmedList = dir + "/trimmed.list", reorderedList = dir + "/reordered.list"
        try (trimmed.joined(separator: "\n") + "\n").write(toFile: trimmedList, atomically: true, encoding: .utf8)
        // A BLOBS entry whose objects were not created is fatal to the worker restoring it, and
        // pg_restore -j then stops with whatever the other worker had finished by then: the
        // outcome is timing, not behaviour. The parallel run keeps every large object's metadata.
        // (BLOB METADATA in 1.16 archives, one BLOB entry per object in older ones.)
        let parallelTrimmed = trimmed.map { $0.hasPrefix(";") && ($0.contains(" BLOB METADATA ") || $0.contains(" BLOB ")) ? String($0.dropFirst()) : $0 }
        let parallelTrimmedList = dir + "/parallel-trimmed.list"
        try (parallelTrimmed.joined(separator: "\n") + "\n").write(toFile: parallelTrimmedList, atomically: true, encoding: .utf8)
        try (entries.reversed().joined(separator: "\n") + "\n").write(toFile: reorderedList, atomically: true, encoding: .utf8)
        return Setup(major: bin.major, bin: bin, cluster: cluster, dir: dir, archive: archive, pipedArchive: piped, directory: directory,
                     trimmedList: trimmedList, parallelTrimmedList: parallelTrimmedList, reorderedList: reorderedList)
    }

    // MARK: - Running and comparing

    /// Restores with pg_restore into `dbs.0` and with cbrestore into `dbs.1`; the exit status and
    /// the count of ignored errors must agree, then (with `compare`) the databases.
    func restoreBoth(_ s: Setup, _ dbs: (String, String), _ opts: [String], archive: String, throughPipe: Bool = false,
                     label: String, compare: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let theirs = try run(s.bin.path("pg_restore"), s.cluster.connectionArgs(db: dbs.0) + opts, archive, throughPipe)
        let ours = try run(ProcessRunner.product("cbrestore"), s.cluster.connectionArgs(db: dbs.1) + opts, archive, throughPipe)
        let what = "PG\(s.major) \(label)"
        XCTAssertEqual(ours.status, theirs.status,
                       "\(what): exit status\n ours: \(ours.stderrString.prefix(800))\n theirs: \(theirs.stderrString.prefix(800))",
                       file: file, line: line)
        XCTAssertEqual(Self.ignoredErrors(ours.stderrString), Self.ignoredErrors(theirs.stderrString),
                       "\(what): errors ignored\n ours: \(ours.stderrString.prefix(1500))\n theirs: \(theirs.stderrString.prefix(1500))",
                       file: file, line: line)
        if compare { try assertSameDatabases(s, dbs, what, file: file, line: line) }
    }

    func run(_ tool: String, _ args: [String], _ archive: String, _ throughPipe: Bool) throws -> ProcessResult {
        guard throughPipe else { return try ProcessRunner.run(tool, args + [archive], environment: Self.env) }
        // A real pipe (a file on standard input would be seekable).
        return try ProcessRunner.run("/bin/sh", ["-c", "cat \"$0\" | \"$@\"", archive, tool] + args,
                                     environment: Self.env)
    }

    /// The N of "errors ignored on restore: N", or nil.
    static func ignoredErrors(_ stderr: String) -> Int? {
        guard let r = stderr.range(of: "errors ignored on restore: ") else { return nil }
        return Int(stderr[r.upperBound...].prefix(while: { $0.isNumber }))
    }

    func assertSameDatabases(_ s: Setup, _ dbs: (String, String), _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        func dump(_ db: String) throws -> String {
            try Oracle.pgDump(s.bin, cluster: s.cluster, db: db, args: ["--restrict-key=K"]).stdoutString
        }
        let a = try dump(dbs.0), b = try dump(dbs.1)
        XCTAssertGreaterThan(a.count, 1000, "\(label): pg_restore's database is empty", file: file, line: line)
        if a != b {
            XCTFail("\(label): databases differ\n" + CompareReport().firstDifference(b, a), file: file, line: line)
        }
    }

    /// -C: connected to `postgres`, both create the archived database and reconnect to it;
    /// database-level properties (comment, settings, grants) must match as well.
    func createDatabaseBoth(_ s: Setup) throws {
        try s.cluster.psql("DROP DATABASE src")
        let theirs = try ProcessRunner.run(s.bin.path("pg_restore"), s.cluster.connectionArgs(db: "postgres") + ["-C", s.archive],
                                           environment: Self.env)
        try s.cluster.psql("ALTER DATABASE src RENAME TO src_pg")
        let ours = try ProcessRunner.run(ProcessRunner.product("cbrestore"), s.cluster.connectionArgs(db: "postgres") + ["-C", s.archive],
                                         environment: Self.env)
        XCTAssertEqual(ours.status, theirs.status, "PG\(s.major) -C: exit status\n ours: \(ours.stderrString.prefix(800))\n theirs: \(theirs.stderrString.prefix(800))")
        XCTAssertEqual(Self.ignoredErrors(ours.stderrString), Self.ignoredErrors(theirs.stderrString), "PG\(s.major) -C: errors ignored")
        try assertSameDatabases(s, ("src_pg", "src"), "PG\(s.major) -C")
        func properties(_ db: String) throws -> String {
            try s.cluster.psql("""
                SELECT shobj_description(d.oid, 'pg_database'), d.datacl::text, d.encoding, d.datcollate, d.datctype,
                       (SELECT string_agg(coalesce(r.rolname, '-') || ':' || st.setconfig::text, ',' ORDER BY 1)
                        FROM pg_db_role_setting st LEFT JOIN pg_roles r ON r.oid = st.setrole WHERE st.setdatabase = d.oid)
                FROM pg_database d WHERE d.datname = '\(db)'
                """)
        }
        let theirProperties = try properties("src_pg")
        XCTAssertTrue(theirProperties.contains("cbdump fixture database"), "pg_restore -C lost the comment: \(theirProperties)")
        XCTAssertEqual(try properties("src"), theirProperties, "PG\(s.major) -C: database properties")
    }
}
