import Archive
import Foundation
import TestSupport
import XCTest

/// cbdump's -n/-N/-t/-T/--exclude-table-data/-e selection against pg_dump 15's: for each
/// option set the fixture database is dumped by both, and the TOC entries (kind, schema, tag,
/// owner, definition, drop and COPY statements, section, dependencies, in order) and the
/// `pg_restore -f -` script of those entries (data included) must be identical. Entry kinds
/// cbdump does not make yet (DumpOracleTests.isLater) are left out on both sides. Bad
/// patterns must fail as pg_dump fails: exit status 1 and the same message.
final class PatternOracleTests: XCTestCase {
    nonisolated(unsafe) static var cluster: TestCluster?
    nonisolated(unsafe) static var workDir = ""
    nonisolated(unsafe) static var setupError: String?
    /// A database whose default search_path (ALTER DATABASE ... SET) makes a non-public
    /// schema visible: unqualified -t patterns follow it, as pg_dump RESETs search_path.
    static let searchPathDB = "pat_sp"

    override class func setUp() {
        super.setUp()
        do {
            let c = try TestCluster(major: 15)
            cluster = c
            workDir = NSTemporaryDirectory() + "cbdump-patterns-\(getpid())"
            try? FileManager.default.removeItem(atPath: workDir)
            try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
            try c.createDatabase("fx")
            guard let root = ProcessRunner.repositoryRoot else { setupError = "no repository root"; return }
            let dir = root + "/Fixtures/schemas"
            for f in try FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasSuffix(".sql") }).sorted() {
                try c.psqlFile(dir + "/" + f, db: "fx")
            }
            try c.createDatabase(searchPathDB)
            try c.psql("""
                CREATE SCHEMA s1; CREATE SCHEMA s2;
                CREATE TABLE s1.t1 (a int); INSERT INTO s1.t1 VALUES (1);
                CREATE TABLE s2.t1 (b text); INSERT INTO s2.t1 VALUES ('two');
                CREATE TABLE s2.t2 (c int);
                CREATE TABLE public.t3 (d int);
                ALTER DATABASE \(searchPathDB) SET search_path = s1, public;
                """, db: searchPathDB)
        } catch {
            setupError = "\(error)"
            print("PatternOracleTests setup failed: \(error)")
        }
    }

    override class func tearDown() {
        cluster?.stop()
        try? FileManager.default.removeItem(atPath: workDir)
        super.tearDown()
    }

    func ready() throws -> (TestCluster, PGBinaries) {
        if let e = Self.setupError { XCTFail("setup failed: \(e)") }
        guard let c = Self.cluster, let bin = PGBinaries.major(15) else { throw XCTSkip("no PostgreSQL 15 cluster") }
        return (c, bin)
    }

    // MARK: - Comparing two archives

    private static func s(_ b: [UInt8]?) -> String { b.map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// Each compared entry as one line of text (kind, schema, tag, then its fields), with its
    /// dependencies named by the entries they point at, in archive order.
    private static func describe(_ entries: [TocEntry]) -> [String] {
        var names: [Int32: String] = [:]
        var seen: [String: Int] = [:]
        let kept = entries.filter { !DumpOracleTests.isLater($0) }
        for te in kept {
            let k = te.desc + " " + s(te.namespace) + "." + s(te.tag)
            seen[k, default: 0] += 1
            names[te.dumpId] = seen[k]! > 1 ? "\(k) #\(seen[k]!)" : k
        }
        return kept.map { te in
            let deps = te.dependencies.compactMap { names[$0] }
            return [names[te.dumpId]!, "owner=" + s(te.owner), "section=\(te.section)",
                    "tablespace=" + s(te.tablespace), "tableam=" + s(te.tableam),
                    "defn=" + s(te.defn), "drop=" + s(te.dropStmt), "copy=" + s(te.copyStmt),
                    "deps=" + deps.joined(separator: ", ")].joined(separator: "\n  ")
        }
    }

    /// `pg_restore -L` of the compared entries (later kinds left out), as one script with the
    /// run-dependent lines normalised.
    private func script(_ bin: PGBinaries, _ archive: ArchiveReader, path: String) throws -> String {
        let list = archive.entries.filter { !DumpOracleTests.isLater($0) }.map { "\($0.dumpId)\n" }.joined()
        let listPath = path + ".list"
        try Data(list.utf8).write(to: URL(fileURLWithPath: listPath))
        let r = try Oracle.pgRestore(bin, args: ["-L", listPath, "-f", "-", path])
        return Oracle.normalizeRestrictKey(r.stdoutString).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("-- Dumped by pg_dump version ") ? "-- Dumped by pg_dump version (normalised)" : String($0) }
            .joined(separator: "\n")
    }

    /// Dumps `db` with pg_dump 15 and cbdump using `args`, and compares the two archives.
    /// Returns how many entries were compared.
    @discardableResult
    func compare(_ args: [String], db: String = "fx", minEntries: Int = 1,
                 file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let (c, bin) = try ready()
        let label = args.joined(separator: " ")
        let n = UUID().uuidString.prefix(8)
        let ref = Self.workDir + "/ref-\(n).dump", ours = Self.workDir + "/ours-\(n).dump"
        defer { for p in [ref, ours, ref + ".list", ours + ".list"] { try? FileManager.default.removeItem(atPath: p) } }
        let r = try Oracle.pgDump(bin, cluster: c, db: db, args: ["-Fc", "-f", ref] + args, allowFailure: true)
        XCTAssertEqual(r.status, 0, "[\(label)] pg_dump failed: \(r.stderrString)", file: file, line: line)
        let o = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-f", ours] + args + c.connectionArgs(db: db))
        XCTAssertEqual(o.status, 0, "[\(label)] cbdump failed: \(o.stderrString)", file: file, line: line)
        guard r.status == 0, o.status == 0 else { return 0 }
        let refArchive = try ArchiveOpener.open(path: ref), ourArchive = try ArchiveOpener.open(path: ours)
        let theirs = Self.describe(refArchive.entries), mine = Self.describe(ourArchive.entries)
        if theirs != mine {
            let firstDiff = zip(theirs, mine).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(theirs.count, mine.count)
            let a = firstDiff < theirs.count ? theirs[firstDiff] : "(none)"
            let b = firstDiff < mine.count ? mine[firstDiff] : "(none)"
            XCTFail("[\(label)] TOC differs at entry \(firstDiff) (pg_dump has \(theirs.count), cbdump \(mine.count)):\npg_dump: \(a)\ncbdump:  \(b)",
                    file: file, line: line)
        }
        XCTAssertGreaterThanOrEqual(theirs.count, minEntries, "[\(label)] too few entries to be a test", file: file, line: line)
        let refScript = try script(bin, refArchive, path: ref), ourScript = try script(bin, ourArchive, path: ours)
        if refScript != ourScript {
            let rl = refScript.split(separator: "\n", omittingEmptySubsequences: false)
            let ol = ourScript.split(separator: "\n", omittingEmptySubsequences: false)
            let i = zip(rl, ol).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(rl.count, ol.count)
            XCTFail("[\(label)] pg_restore scripts differ at line \(i + 1):\npg_dump: \(i < rl.count ? String(rl[i]) : "(end)")\ncbdump:  \(i < ol.count ? String(ol[i]) : "(end)")",
                    file: file, line: line)
        }
        return theirs.count
    }

    // MARK: - Selections that must match pg_dump's

    func testSchemaPatterns() throws {
        try compare(["-n", "app"], minEntries: 5)
        try compare(["-n", "a*"], minEntries: 5)
        try compare(["-n", "app", "-n", "sec"], minEntries: 10)
        try compare(["--schema=con"], minEntries: 20)
        try compare(["-nvw"], minEntries: 10)
        try compare(["-N", "app", "-N", "sec"], minEntries: 100)
        try compare(["--exclude-schema=tbl", "-N", "con", "-N", "does_not_exist"], minEntries: 100)
        try compare(["-n", "t?l"], minEntries: 20)
        try compare(["-n", "a*", "-n", "sec", "-N", "app"], minEntries: 5)
        // A unicode schema, quoted and with a wildcard; mixed case needs quotes.
        try compare(["-n", "\"Ünïcødé 表\""], minEntries: 3)
        try compare(["-n", "Ü*"], minEntries: 3)                  // non-ASCII is not folded
        try compare(["-n", "\"UPPER\""], minEntries: 3)
        try compare(["-n", "\"UPP\"*"], minEntries: 3)
        // The evil schema: quote, backslash and newline in its name, matched with ? and *.
        // Outside quotes a backslash is the regex's: "\\" matches one.
        try compare(["-n", "evil \"\"\"schema\"\"\" 'with' \\\\ back?newline"], minEntries: 10)
        try compare(["-n", "\"evil \"\"schema\"\" 'with' \\ back\nnewline\""], minEntries: 10)
        try compare(["-n", "evil*"], minEntries: 10)
        // Regular-expression syntax outside quotes passes through.
        try compare(["-n", "(app|sec)"], minEntries: 10)
        try compare(["-n", "s[aeiou]c"], minEntries: 5)
        // Schema-only and data-only with a schema selection.
        try compare(["-s", "-n", "con"], minEntries: 20)
        try compare(["-a", "-n", "data"], minEntries: 5)
        try compare(["--strict-names", "-n", "app", "-n", "sec"], minEntries: 10)
        // A value that starts with "-" is still the option's value, as getopt has it.
        try compare(["-N", "-foo", "-n", "app"], minEntries: 5)
        try compare(["--exclude-schema", "-Tx", "-n", "app"], minEntries: 5)
    }

    func testTablePatterns() throws {
        try compare(["-t", "tbl.measurements"], minEntries: 2)
        try compare(["-t", "tbl.measurements_20*"], minEntries: 10)
        try compare(["--table=tbl.car", "-t", "tbl.boat"], minEntries: 4)
        try compare(["-ttbl.items"], minEntries: 3)
        try compare(["-t", "tbl.(car|boat)"], minEntries: 4)
        try compare(["-t", "tbl.by_hash_[01]"], minEntries: 2)
        try compare(["-t", "*.*view*"], minEntries: 5)
        try compare(["-t", "vw.*"], minEntries: 10)
        try compare(["-t", "tbl.seq_*"], minEntries: 5)
        try compare(["-t", "ts.*"], minEntries: 5)
        try compare(["-t", "*.t1"], db: Self.searchPathDB, minEntries: 2)
        // Quoted names: case kept, wildcards and dots literal inside quotes.
        try compare(["-t", "\"UPPER\".*"], minEntries: 3)
        try compare(["-t", "\"UPPER\".\"MixedCase Table\""], minEntries: 2)
        try compare(["-t", "\"UPPER\".\"Mixed\"*"], minEntries: 2)
        try compare(["-t", "\"select\".\"select\""], minEntries: 2)
        try compare(["-t", "\"select\".*"], minEntries: 4)
        try compare(["-t", "evil*.\"seq \"\"q\"\" 'x' \\\""], minEntries: 1)
        try compare(["-t", "evil*.tab?name"], minEntries: 2)
        try compare(["-t", "evil*.t2345*"], minEntries: 2)
        try compare(["-t", "\"Ünïcødé 表\".\"Ünïcødé 表\""], minEntries: 2)
        try compare(["-t", "evil*.表*"], minEntries: 1)
        // The current database's name may qualify the pattern (case-folded like the rest).
        try compare(["-t", "fx.tbl.car"], minEntries: 2)
        try compare(["-t", "FX.tbl.car"], minEntries: 2)
        try compare(["-t", "\"fx\".tbl.car"], minEntries: 2)
        try compare(["-t", "fx.*.measurements"], minEntries: 2)
        // Unqualified: what the database's default search_path makes visible.
        try compare(["-t", "t1"], db: Self.searchPathDB, minEntries: 2)
        try compare(["-t", "t*"], db: Self.searchPathDB, minEntries: 3)
        // Tables with schemas, and -t with -n (-t wins).
        try compare(["-n", "app", "-t", "tbl.car"], minEntries: 2)
        try compare(["-t", "tbl.car", "-N", "tbl"], minEntries: 2)
        try compare(["-s", "-t", "con.*"], minEntries: 20)
        try compare(["--strict-names", "-t", "tbl.car", "-t", "tbl.boat"], minEntries: 4)
    }

    func testExclusions() throws {
        try compare(["-T", "tbl.measurements"], minEntries: 100)
        try compare(["-T", "tbl.measurements*", "-T", "con.events"], minEntries: 100)
        try compare(["--exclude-table=con.*", "-N", "tbl"], minEntries: 100)
        try compare(["-t", "tbl.*", "-T", "tbl.by_*"], minEntries: 20)
        try compare(["-n", "con", "-T", "con.events_2024"], minEntries: 20)
        try compare(["-T", "nothing.here"], minEntries: 100)
        try compare(["--exclude-table-data", "tbl.*"], minEntries: 100)
        try compare(["--exclude-table-data=data.*", "--exclude-table-data", "con.events"], minEntries: 100)
        try compare(["-n", "data", "--exclude-table-data", "data.big"], minEntries: 5)
        try compare(["-t", "t1", "--exclude-table-data", "t1"], db: Self.searchPathDB, minEntries: 1)
    }

    func testExtensionPatterns() throws {
        try compare(["-e", "plpgsql"], minEntries: 100)
        try compare(["-e", "h*"], minEntries: 100)
        try compare(["--extension=citext", "-e", "pg_trgm"], minEntries: 100)
        try compare(["-e", "citext", "-n", "types"], minEntries: 10)
        try compare(["-e", "hstore", "-t", "tbl.car"], minEntries: 2)
        try compare(["--strict-names", "-e", "citext", "-e", "btree_gist"], minEntries: 100)
    }

    /// pg_dump 15 has no --exclude-extension (17 added it): the extensions cbdump keeps must
    /// be those pg_dump 17 keeps, and pg_dump 15's with the rest named by -e.
    func testExcludeExtension() throws {
        let (c, bin15) = try ready()
        func extensions(_ path: String) throws -> [String] {
            try ArchiveOpener.open(path: path).entries.filter { $0.desc == "EXTENSION" }.map { Self.s($0.tag) }
        }
        let ours = Self.workDir + "/ours-exclude-ext.dump"
        let o = try ProcessRunner.run(ProcessRunner.product("cbdump"),
                                      ["-f", ours, "--exclude-extension", "h*", "--exclude-extension=citext"] + c.connectionArgs(db: "fx"))
        XCTAssertEqual(o.status, 0, o.stderrString)
        let mine = try extensions(ours)
        XCTAssertFalse(mine.isEmpty)
        XCTAssertFalse(mine.contains("hstore") || mine.contains("citext"), "\(mine)")
        // pg_dump 15 keeping the same ones by name.
        let ref15 = Self.workDir + "/ref15-ext.dump"
        let keep = try c.psql("SELECT extname FROM pg_extension WHERE extname NOT LIKE 'h%' AND extname <> 'citext' AND oid > 16383 ORDER BY 1", db: "fx")
            .split(separator: "\n").flatMap { ["-e", String($0)] }
        _ = try Oracle.pgDump(bin15, cluster: c, db: "fx", args: ["-Fc", "-s", "-f", ref15] + keep)
        XCTAssertEqual(mine, try extensions(ref15))
        if let bin17 = PGBinaries.major(17) {
            let ref17 = Self.workDir + "/ref17-ext.dump"
            _ = try Oracle.pgDump(bin17, cluster: c, db: "fx",
                                  args: ["-Fc", "-f", ref17, "--exclude-extension", "h*", "--exclude-extension=citext"])
            XCTAssertEqual(mine, try extensions(ref17))
        }
    }

    // MARK: - Errors, as pg_dump gives them

    /// Runs both with `args` on `db`; both must exit 1 with the same message after "TOOL: ".
    func expectSameError(_ args: [String], db: String = "fx", file: StaticString = #filePath, line: UInt = #line) throws {
        let (c, bin) = try ready()
        let label = args.joined(separator: " ")
        let r = try Oracle.pgDump(bin, cluster: c, db: db, args: ["-Fc", "-f", "/dev/null"] + args, allowFailure: true)
        let out = Self.workDir + "/err-\(UUID().uuidString.prefix(8)).dump"
        let o = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-f", out] + args + c.connectionArgs(db: db))
        XCTAssertEqual(r.status, 1, "[\(label)] pg_dump should fail", file: file, line: line)
        XCTAssertEqual(o.status, r.status, "[\(label)] exit status", file: file, line: line)
        func message(_ s: String, _ tool: String) -> String {
            s.split(separator: "\n").map { $0.hasPrefix(tool + ": ") ? String($0.dropFirst(tool.count + 2)) : String($0) }
                .joined(separator: "\n")
        }
        XCTAssertEqual(message(o.stderrString, "cbdump"), message(r.stderrString, "pg_dump"), "[\(label)] message", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "[\(label)] an output file was left behind", file: file, line: line)
    }

    func testPatternErrors() throws {
        // Include patterns that match nothing: an error with or without --strict-names.
        try expectSameError(["-t", "nope"])
        try expectSameError(["-n", "nope"])
        try expectSameError(["-e", "nope"])
        try expectSameError(["-n", ""])
        try expectSameError(["-n", "-foo"])
        try expectSameError(["-n-foo"])
        try expectSameError(["--schema", "-foo"])
        try expectSameError(["-n", "UPPER"])                      // folded to "upper"
        try expectSameError(["-t", "\"UPPER\".Mixed*"])
        try expectSameError(["-t", "evil*.\"t2345*\""])           // * is literal in quotes
        try expectSameError(["-t", "tbl.car[]"])                  // [] is literal
        try expectSameError(["-n", "evil \"\"\"schema\"\"\" 'with' \\ back?newline"]) // "\ " is a space
        try expectSameError(["-t", "settings"])                   // app is not in search_path
        try expectSameError(["-t", "t2"], db: Self.searchPathDB)  // s2 is not either
        // --strict-names: each include pattern must match.
        try expectSameError(["--strict-names", "-t", "tbl.car", "-t", "nope"])
        try expectSameError(["--strict-names", "-n", "nope", "-n", "app"])
        try expectSameError(["--strict-names", "-n", "app", "-t", "nope.x"])
        try expectSameError(["--strict-names", "-e", "nope"])
        // Database-qualified names and too many dots.
        try expectSameError(["-t", "other.tbl.car"])
        try expectSameError(["-t", "\"FX\".tbl.car"])
        try expectSameError(["-t", "f?.tbl.car"])
        try expectSameError(["-T", "other.tbl.car"])
        try expectSameError(["--exclude-table-data", "other.tbl.car"])
        try expectSameError(["-t", "a.b.c.d"])
        try expectSameError(["-n", "a.b.c"])
        try expectSameError(["-n", "fx.app"])                     // pg_dump never accepts db.schema
        try expectSameError(["-N", "x.y"])
        try expectSameError(["-e", "a.b"])
        // The first bad pattern in pg_dump's order (schemas, tables, extensions) is reported.
        try expectSameError(["-e", "a.b", "-t", "a.b.c.d", "-n", "nope"])
        try expectSameError(["-e", "a.b", "-t", "a.b.c.d"])
    }
}
