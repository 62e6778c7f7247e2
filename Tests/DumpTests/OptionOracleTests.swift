import Archive
import Foundation
import PostgresClient
import TestSupport
import XCTest

/// cbdump's remaining pg_dump options against the same major's pg_dump, on a PostgreSQL 15
/// and (for options pg_dump 16 and 17 added) an 18 server of their own: the fixture database
/// plus a small one with what the fixture lacks (a partitioning that forces loading through
/// the root, inheritance, a table without columns, foreign tables on loopback servers, Latin-1
/// text). Each option set is dumped by both tools and the TOC entries (fields, dependencies,
/// data) and `pg_restore -f -` scripts must be identical; INSERT dumps are also restored
/// into fresh databases, which must come out the same. Bad options must fail as pg_dump
/// fails. --where, which pg_dump lacks, is checked against the rows the server selects.
final class OptionOracleTests: XCTestCase {
    final class Env {
        let major: Int, cluster: TestCluster, bin: PGBinaries, dir: String
        init(major: Int, cluster: TestCluster, bin: PGBinaries, dir: String) {
            self.major = major; self.cluster = cluster; self.bin = bin; self.dir = dir
        }
    }
    nonisolated(unsafe) static var envs: [Int: Env] = [:]
    static let small = "opt_small"

    /// The small database: `socket` and `port` are the cluster's, for the loopback servers.
    static func smallSQL(socket: String, port: Int) -> String {
        """
        SET client_min_messages = warning;
        CREATE EXTENSION postgres_fdw;
        CREATE SERVER loop1 FOREIGN DATA WRAPPER postgres_fdw
            OPTIONS (host '\(socket)', port '\(port)', dbname '\(small)');
        CREATE SERVER "Loop 2" FOREIGN DATA WRAPPER postgres_fdw
            OPTIONS (host '\(socket)', port '\(port)', dbname '\(small)');
        CREATE USER MAPPING FOR postgres SERVER loop1 OPTIONS (user 'postgres');
        CREATE USER MAPPING FOR postgres SERVER "Loop 2" OPTIONS (user 'postgres');
        CREATE TABLE src (id integer PRIMARY KEY, t text, g integer GENERATED ALWAYS AS (id * 2) STORED);
        INSERT INTO src SELECT i, 'row ' || i FROM generate_series(1, 250) AS i;
        CREATE FOREIGN TABLE f1 (id integer, t text) SERVER loop1 OPTIONS (table_name 'src');
        CREATE FOREIGN TABLE f2 (id integer, t text) SERVER "Loop 2" OPTIONS (table_name 'src');
        -- A hash on an enum: pg_dump loads these partitions through the root, asked or not.
        CREATE TYPE color AS ENUM ('red', 'green', 'blue');
        CREATE TABLE paint (c color, n integer) PARTITION BY HASH (c);
        CREATE TABLE paint_0 PARTITION OF paint FOR VALUES WITH (MODULUS 2, REMAINDER 0);
        CREATE TABLE paint_1 PARTITION OF paint FOR VALUES WITH (MODULUS 2, REMAINDER 1) PARTITION BY RANGE (n);
        CREATE TABLE paint_1_lo PARTITION OF paint_1 FOR VALUES FROM (MINVALUE) TO (10);
        CREATE TABLE paint_1_hi PARTITION OF paint_1 FOR VALUES FROM (10) TO (MAXVALUE);
        INSERT INTO paint SELECT (ARRAY['red', 'green', 'blue'])[1 + i % 3]::color, i FROM generate_series(1, 30) AS i;
        CREATE TABLE byrange (k integer, v text) PARTITION BY RANGE (k);
        CREATE TABLE byrange_a PARTITION OF byrange FOR VALUES FROM (0) TO (100);
        CREATE TABLE byrange_b PARTITION OF byrange FOR VALUES FROM (100) TO (200);
        INSERT INTO byrange SELECT i, 'v' || i FROM generate_series(0, 199, 7) AS i;
        CREATE TABLE parent (a integer, b text);
        CREATE TABLE child (c integer) INHERITS (parent);
        INSERT INTO parent VALUES (1, 'p1'), (2, 'p2'), (3, 'p3');
        INSERT INTO child VALUES (4, 'c4', 40), (5, 'c5', 50);
        CREATE TABLE nocols ();
        INSERT INTO nocols DEFAULT VALUES;
        INSERT INTO nocols DEFAULT VALUES;
        CREATE TABLE idt (id integer GENERATED ALWAYS AS IDENTITY, v text);
        INSERT INTO idt (v) VALUES ('a'), ('b');
        CREATE SCHEMA "Mixed Case";
        CREATE TABLE "Mixed Case"."Odd Table" (id integer, "Val" text);
        INSERT INTO "Mixed Case"."Odd Table" VALUES (1, 'x'), (2, 'y'), (3, NULL);
        CREATE TABLE latin (id integer, t text);
        INSERT INTO latin VALUES (1, 'café'), (2, 'Straße ½'), (3, E'tab\\there'), (4, 'it''s \\ back');
        CREATE TABLE misc (b bit(4), vb varbit, ok boolean, o oid, r real, d double precision, n numeric, arr integer[]);
        INSERT INTO misc VALUES (B'1010', B'1', true, 4294967295, 'NaN', '-Infinity', 'NaN', '{1,NULL}'),
            (B'0000', B'', false, 0, 1e-45, 4.9e-324, '-0.000', '{}'), (NULL, NULL, NULL, NULL, '-0', 0.1, 1e100, NULL);
        CREATE FUNCTION quoted() RETURNS text LANGUAGE sql AS $$ SELECT 'it''s \\ here'::text $$;
        """
    }

    static func env(_ major: Int) throws -> Env {
        if let e = envs[major] { return e }
        guard let bin = PGBinaries.major(major) else {
            throw XCTSkip("PostgreSQL \(major) is not available: \(PGBinaries.unavailableReason(major) ?? "not found")")
        }
        let c = try TestCluster(major: major)
        let dir = NSTemporaryDirectory() + "cbdump-options-\(getpid())-\(major)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let e = Env(major: major, cluster: c, bin: bin, dir: dir)
        envs[major] = e
        try c.createDatabase("fx")
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let schemas = root + "/Fixtures/schemas"
        for f in try FileManager.default.contentsOfDirectory(atPath: schemas).sorted() where f.hasSuffix(".sql") {
            try c.psqlFile(schemas + "/" + f, db: "fx")
        }
        try c.createDatabase(small)
        try c.psql(smallSQL(socket: c.socketDir, port: c.port), db: small)
        return e
    }

    override class func tearDown() {
        for e in envs.values {
            e.cluster.stop()
            try? FileManager.default.removeItem(atPath: e.dir)
        }
        envs = [:]
        super.tearDown()
    }

    // MARK: - Helpers

    func cbdump(_ e: Env, _ args: [String], db: String, stdin: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbdump"), args + e.cluster.connectionArgs(db: db), stdin: stdin)
    }

    func pgDump(_ e: Env, _ args: [String], db: String, stdin: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(e.bin.path("pg_dump"), args + e.cluster.connectionArgs(db: db),
                              environment: ["LC_ALL": "C"], stdin: stdin)
    }

    static func lines(_ s: String, _ tool: String) -> [String] {
        s.split(separator: "\n").map { $0.hasPrefix(tool + ": ") ? String($0.dropFirst(tool.count + 2)) : String($0) }
    }

    /// Dumps `db` with pg_dump -Fc and cbdump, both with `opts`; both must succeed with the
    /// same warnings. Returns the two archives' paths.
    func dumpBoth(_ e: Env, _ opts: [String], db: String = "fx", stdin: Data? = nil,
                  file: StaticString = #filePath, line: UInt = #line) throws -> (ref: String, ours: String)? {
        let n = UUID().uuidString.prefix(8)
        let ref = e.dir + "/ref-\(n).dump", ours = e.dir + "/ours-\(n).dump"
        let theirs = try pgDump(e, ["-Fc", "-f", ref] + opts, db: db, stdin: stdin)
        XCTAssertEqual(theirs.status, 0, "pg_dump \(e.major) \(opts): \(theirs.stderrString)", file: file, line: line)
        let mine = try cbdump(e, ["-f", ours] + opts, db: db, stdin: stdin)
        XCTAssertEqual(mine.status, 0, "cbdump \(opts) on PG\(e.major): \(mine.stderrString)", file: file, line: line)
        guard theirs.status == 0, mine.status == 0 else { return nil }
        XCTAssertEqual(Self.lines(mine.stderrString, "cbdump"), Self.lines(theirs.stderrString, "pg_dump"),
                       "PG\(e.major) \(opts): warnings", file: file, line: line)
        return (ref, ours)
    }

    /// `pg_restore -f -` of both archives (entries of kinds cbdump does not write left out
    /// on both sides) must be the same script.
    func checkScripts(_ e: Env, _ ref: String, _ ours: String, label: String,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let excluded = try DumpOracleTests.laterClosure(ref, major: e.major).union(DumpOracleTests.laterClosure(ours, major: e.major))
        let a = try DumpOracleTests.script(bin: e.bin, ref, excluding: excluded)
        let b = try DumpOracleTests.script(bin: e.bin, ours, excluding: excluded)
        if a != b {
            XCTFail("PG\(e.major) \(label): pg_restore scripts differ\n" + Oracle.firstDifference(ours: b, theirs: a), file: file, line: line)
        }
    }

    /// Both tools with `opts`, then entries and scripts compared.
    @discardableResult
    func compare(_ e: Env, _ opts: [String], db: String = "fx", minimum: Int = 100, stdin: Data? = nil,
                 file: StaticString = #filePath, line: UInt = #line) throws -> (ref: String, ours: String)? {
        guard let (ref, ours) = try dumpBoth(e, opts, db: db, stdin: stdin, file: file, line: line) else { return nil }
        let label = " [\(db)] " + opts.joined(separator: " ")
        try DumpOracleTests.checkEntries(major: e.major, ref: ref, ours: ours, label: label, minimum: minimum, file: file, line: line)
        try checkScripts(e, ref, ours, label: label, file: file, line: line)
        return (ref, ours)
    }

    /// Restores both archives with pg_restore into fresh databases; pg_dump of the two must
    /// then print the same script (schema and data). `byRoot`: partitioned tables whose rows
    /// are compared as a whole (a hash on an enum routes rows by the enum's OIDs, which each
    /// restore assigns anew), rather than partition by partition.
    func checkRestores(_ e: Env, _ ref: String, _ ours: String, label: String, byRoot: [String: [String]] = [:],
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let excluded = try DumpOracleTests.laterClosure(ref, major: e.major).union(DumpOracleTests.laterClosure(ours, major: e.major))
        var scripts: [String] = [], digests: [String] = []
        let partitionData = Set(byRoot.values.flatMap { $0 })
        for (archive, side) in [(ref, "ref"), (ours, "ours")] {
            let db = "opt_back_\(side)_\(UUID().uuidString.prefix(6).lowercased())"
            try e.cluster.createDatabase(db)
            let list = DumpOracleTests.keyed(try ArchiveOpener.open(path: archive).entries).filter { !excluded.contains($0.0) }
                .map { "\($0.1.dumpId); x\n" }.joined()
            try list.write(toFile: archive + ".restore.list", atomically: true, encoding: .utf8)
            let restore = try Oracle.pgRestore(e.bin, args: ["-L", archive + ".restore.list", "--exit-on-error"]
                                               + e.cluster.connectionArgs(db: db) + [archive], allowFailure: true)
            XCTAssertEqual(restore.status, 0, "PG\(e.major) \(label): pg_restore of \(side) failed: \(restore.stderrString.prefix(2000))",
                           file: file, line: line)
            let again = e.dir + "/\(db).dump"
            _ = try Oracle.pgDump(e.bin, cluster: e.cluster, db: db, args: ["-Fc", "-f", again])
            scripts.append(try DumpOracleTests.script(bin: e.bin, again, excluding: excluded.union(partitionData)))
            digests.append(try byRoot.keys.sorted().map { try rowDigest(e, db: db, "\($0) AS x") }.joined(separator: "; "))
        }
        XCTAssertEqual(digests[0], digests[1], "PG\(e.major) \(label): rows of \(byRoot.keys.sorted())", file: file, line: line)
        if scripts[0] != scripts[1] {
            XCTFail("PG\(e.major) \(label): restoring cbdump's archive gives another database than restoring pg_dump's\n"
                    + Oracle.firstDifference(ours: scripts[1], theirs: scripts[0]), file: file, line: line)
        }
        XCTAssertGreaterThan(scripts[0].utf8.count, 1000, file: file, line: line)
    }

    /// Both must exit 1 with the same message (after "TOOL: ") and leave no file.
    func expectSameError(_ e: Env, _ args: [String], db: String = "fx", stdin: Data? = nil,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let label = args.joined(separator: " ")
        let refOut = e.dir + "/err-ref-\(UUID().uuidString.prefix(8)).dump"
        let out = e.dir + "/err-\(UUID().uuidString.prefix(8)).dump"
        let r = try pgDump(e, ["-Fc", "-f", refOut] + args, db: db, stdin: stdin)
        let o = try cbdump(e, ["-f", out] + args, db: db, stdin: stdin)
        XCTAssertEqual(r.status, 1, "[\(label)] pg_dump \(e.major) should fail: \(r.stderrString)", file: file, line: line)
        XCTAssertEqual(o.status, r.status, "[\(label)] exit status: \(o.stderrString)", file: file, line: line)
        XCTAssertEqual(Self.lines(o.stderrString, "cbdump"), Self.lines(r.stderrString, "pg_dump"),
                       "[\(label)] message on PG\(e.major)", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "[\(label)] an output file was left behind", file: file, line: line)
    }

    // MARK: - INSERT data

    func checkInserts(_ major: Int) throws {
        let e = try Self.env(major)
        for opts in [["--inserts"], ["--column-inserts"], ["--rows-per-insert=3"],
                     ["--inserts", "--rows-per-insert", "1000", "--on-conflict-do-nothing"],
                     ["--rows-per-insert", "2", "--inserts", "--column-inserts"],
                     ["--attribute-inserts", "-a", "--on-conflict-do-nothing"]] {
            try compare(e, opts, minimum: opts.contains("-a") ? 50 : 500)
        }
        for opts in [["--inserts"], ["--column-inserts", "--rows-per-insert=4"], ["--inserts", "--load-via-partition-root"],
                     ["--column-inserts", "-a", "--rows-per-insert=100"]] {
            try compare(e, opts, db: Self.small, minimum: 10)
        }
        // The archives hold INSERT statements and no COPY statement.
        if let (ref, ours) = try compare(e, ["--column-inserts", "--rows-per-insert=7", "--on-conflict-do-nothing"]) {
            let data = try ArchiveOpener.open(path: ours).entries.filter { $0.desc == "TABLE DATA" }
            XCTAssertFalse(data.isEmpty)
            XCTAssertTrue(data.allSatisfy { $0.copyStmt == nil }, "PG\(major): a TABLE DATA entry has a COPY statement")
            try checkRestores(e, ref, ours, label: "fx --column-inserts --rows-per-insert=7 --on-conflict-do-nothing")
        }
        if let (ref, ours) = try compare(e, ["--inserts"], db: Self.small, minimum: 10) {
            try checkRestores(e, ref, ours, label: "small --inserts",
                              byRoot: ["public.paint": ["TABLE DATA public.paint_0", "TABLE DATA public.paint_1_lo", "TABLE DATA public.paint_1_hi"]])
        }
    }

    func testInsertsPostgreSQL15() throws { try checkInserts(15) }
    func testInsertsPostgreSQL18() throws { try checkInserts(18) }

    // MARK: - Other content options

    func checkContentOptions(_ major: Int) throws {
        let e = try Self.env(major)
        for opts in [["--disable-dollar-quoting"], ["--disable-triggers"], ["--disable-triggers", "-a"],
                     ["--no-security-labels"], ["--extra-float-digits=0"], ["--extra-float-digits", "-15"],
                     ["--serializable-deferrable"], ["-E", "UTF8"], ["--encoding=SQL_ASCII"],
                     ["--load-via-partition-root"], ["--load-via-partition-root", "--inserts", "-a"]] {
            try compare(e, opts, minimum: opts.contains("-a") ? 50 : 500)
        }
        // The partitions of the enum-hashed table are loaded through the root without the
        // option too; Latin-1 output (data, string literals of INSERTs).
        for opts in [[], ["--load-via-partition-root"], ["-E", "LATIN1"], ["--encoding", "latin1", "--inserts"],
                     ["--disable-dollar-quoting", "--extra-float-digits=1"]] {
            try compare(e, opts, db: Self.small, minimum: 10)
        }
        // Those options are not no-ops: the archives differ from a plain dump's.
        let plain = e.dir + "/plain-small.dump", latin = e.dir + "/latin-small.dump"
        XCTAssertEqual(try cbdump(e, ["-f", plain], db: Self.small).status, 0)
        XCTAssertEqual(try cbdump(e, ["-f", latin, "-E", "LATIN1"], db: Self.small).status, 0)
        let enc = try ArchiveOpener.open(path: latin).entries.first { $0.desc == "ENCODING" }
        XCTAssertEqual(enc.flatMap { $0.defn }.map { String(decoding: $0, as: UTF8.self) }, "SET client_encoding = 'LATIN1';\n")
        let forced = try ArchiveOpener.open(path: plain).entries.filter {
            $0.desc == "TABLE DATA" && ($0.defn.map { String(decoding: $0, as: UTF8.self) } ?? "").hasPrefix("-- load via partition root")
        }
        XCTAssertEqual(forced.map { DumpOracleTests.s($0.tag) }.sorted(), ["paint_0", "paint_1_hi", "paint_1_lo"])
    }

    func testContentOptionsPostgreSQL15() throws { try checkContentOptions(15) }
    func testContentOptionsPostgreSQL18() throws { try checkContentOptions(18) }

    // MARK: - Patterns with children (pg_dump 16+) and filter files (pg_dump 17+)

    func testTableAndChildrenPostgreSQL18() throws {
        let e = try Self.env(18)
        try compare(e, ["--table-and-children=tbl.measurements"], minimum: 20)
        try compare(e, ["--table-and-children", "con.events", "-t", "tbl.car"], minimum: 10)
        try compare(e, ["--exclude-table-and-children=tbl.by_country", "-B"], minimum: 500)
        try compare(e, ["--exclude-table-data-and-children=tbl.by_country"], minimum: 500)
        try compare(e, ["--exclude-table-data-and-children", "con.events", "--exclude-table-data=tbl.car", "-a"], minimum: 50)
        try compare(e, ["--strict-names", "--table-and-children=tbl.by_*"], minimum: 10)
        try compare(e, ["--table-and-children=parent"], db: Self.small, minimum: 3)
        try compare(e, ["--table-and-children=paint", "-T", "paint_1_hi"], db: Self.small, minimum: 5)
        try compare(e, ["--exclude-table-and-children=paint"], db: Self.small, minimum: 10)
        try compare(e, ["--exclude-table-data-and-children=paint_1"], db: Self.small, minimum: 10)
        try expectSameError(e, ["--table-and-children=nope"])
        try expectSameError(e, ["--strict-names", "--table-and-children=tbl.car", "--table-and-children=nope"])
        try expectSameError(e, ["--exclude-table-and-children=a.b.c.d"])
        try expectSameError(e, ["--exclude-table-data-and-children=other.tbl.car"])
        try expectSameError(e, ["--table-and-children=nope", "-n", "nope"])
    }

    func writeFilter(_ e: Env, _ text: String) throws -> String {
        let path = e.dir + "/filter-\(UUID().uuidString.prefix(8)).txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testFilterPostgreSQL18() throws {
        let e = try Self.env(18)
        // Comments, blank lines, keywords in any case, quoted names over two lines are not
        // here (no such table), spaces squeezed out of names, wildcards, every object type
        // pg_dump takes.
        let f1 = try writeFilter(e, """
            # tables and their children
              INCLUDE Table_And_Children  tbl.measurements   # the partitioned one

            include table "tbl" . car
            include table tbl.by_hash_?
            exclude table_data tbl.measurements_2024*
            exclude TABLE tbl.by_hash_1
            """)
        try compare(e, ["--filter", f1], minimum: 20)
        let f2 = try writeFilter(e, """
            exclude schema app
            exclude schema "select"
            exclude table_and_children tbl.by_country
            exclude table_data_and_children con.events
            exclude extension hstore
            include extension plpgsql
            include extension citext
            include extension hstore
            """)
        try compare(e, ["--filter=\(f2)", "-B"], minimum: 100)
        let f3 = try writeFilter(e, "include schema \"UPPER\"\ninclude schema vw\nexclude table vw.*view*\n")
        try compare(e, ["--filter", f3, "-n", "con"], minimum: 20)
        // Quoted names: "" is a quote, and a name may hold a newline.
        let f4 = try writeFilter(e, "include table \"Mixed Case\".\"Odd Table\"\ninclude foreign_data \"Loop 2\"\ninclude table f2\n")
        try compare(e, ["--filter", f4], db: Self.small, minimum: 3)
        // From standard input, and two files.
        let stdinFilter = Data("include table_and_children paint\nexclude table_data paint_1_lo\n".utf8)
        try compare(e, ["--filter", "-"], db: Self.small, minimum: 5, stdin: stdinFilter)
        try compare(e, ["--filter", f4, "--filter=-"], db: Self.small, minimum: 5, stdin: stdinFilter)

        // Errors, each on its line.
        for text in ["foo table x\n", "include\n", "include tablex x\n", "include table\n", "include table   # no name\n",
                     "include table \"abc\n", "include table x\ninclude index y\n", "include table_data x\n",
                     "include table_data_and_children x\n", "include database x\n", "include function f\n",
                     "include trigger t\n", "exclude foreign_data s\n", "exclude database d\n", "exclude index i\n",
                     "# ok\n\ninclude table tbl.car\nexclude function f\n",
                     "include \(String(repeating: "x", count: 300)) y\n"] {
            try expectSameError(e, ["--filter", try writeFilter(e, text)])
        }
        try expectSameError(e, ["--filter", "-"], stdin: Data("include table x\nbad line\n".utf8))
        try expectSameError(e, ["--filter", e.dir + "/no-such-filter"])
        try expectSameError(e, ["--filter", e.dir])
        // The patterns of a filter file act as the options would.
        try expectSameError(e, ["--filter", try writeFilter(e, "include table nope\n")])
        try expectSameError(e, ["--strict-names", "--filter", try writeFilter(e, "include schema app\ninclude schema nope\n")])
        try expectSameError(e, ["--filter", try writeFilter(e, "include foreign_data nope\n")])
        // Errors come in command-line order.
        try expectSameError(e, ["--filter", try writeFilter(e, "bad\n"), "--rows-per-insert=0"])
        try expectSameError(e, ["--rows-per-insert=0", "--filter", try writeFilter(e, "bad\n")])
        try expectSameError(e, ["--filter", try writeFilter(e, "include table x\n"), "-s", "-a"])
    }

    // MARK: - Foreign data

    func checkIncludeForeignData(_ major: Int) throws {
        let e = try Self.env(major)
        try compare(e, ["--include-foreign-data=loop1"], db: Self.small, minimum: 10)
        try compare(e, ["--include-foreign-data=loop*", "--inserts"], db: Self.small, minimum: 10)
        try compare(e, ["--include-foreign-data", "\"Loop 2\"", "--column-inserts", "--rows-per-insert=50"], db: Self.small, minimum: 10)
        try compare(e, ["--include-foreign-data=*", "-a"], db: Self.small, minimum: 5)
        try compare(e, ["--include-foreign-data=*", "-t", "f1"], db: Self.small, minimum: 1)
        // The foreign table's data is there, with all its rows.
        if let (_, ours) = try dumpBoth(e, ["--include-foreign-data=loop1"], db: Self.small) {
            let a = try ArchiveOpener.open(path: ours)
            guard let te = a.entries.first(where: { $0.desc == "TABLE DATA" && DumpOracleTests.s($0.tag) == "f1" }) else {
                return XCTFail("PG\(major): no TABLE DATA for the foreign table")
            }
            let c = DumpOracleTests.Collector()
            try a.readData(te, into: c, isDataRequired: { _ in false })
            XCTAssertEqual(c.bytes.filter { $0 == 0x0a }.count, 250 + 3, "PG\(major): rows of f1 and the terminator's lines")
        }
        try expectSameError(e, ["--include-foreign-data=nope"], db: Self.small)
        try expectSameError(e, ["--include-foreign-data=a.b"], db: Self.small)
        try expectSameError(e, ["-s", "--include-foreign-data=loop1"], db: Self.small)
        // Table patterns are resolved first.
        try expectSameError(e, ["--include-foreign-data=nope", "-t", "nope"], db: Self.small)
    }

    func testIncludeForeignDataPostgreSQL15() throws { try checkIncludeForeignData(15) }
    func testIncludeForeignDataPostgreSQL18() throws { try checkIncludeForeignData(18) }

    // MARK: - Snapshots

    func testSnapshotPostgreSQL15() throws {
        let e = try Self.env(15)
        let holder = try Connection(dbname: Self.small, host: e.cluster.socketDir, port: String(e.cluster.port), user: "postgres")
        defer { holder.close() }
        try holder.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        guard let snapshot = try holder.execute("SELECT pg_catalog.pg_export_snapshot()").rows.first?.first ?? nil else {
            return XCTFail("no snapshot exported")
        }
        // Rows added after the snapshot: a dump in that snapshot does not see them.
        try e.cluster.psql("INSERT INTO parent VALUES (100, 'after'), (101, 'after')", db: Self.small)
        defer { _ = try? e.cluster.psql("DELETE FROM parent WHERE a >= 100", db: Self.small) }
        guard let (_, ours) = try compare(e, ["--snapshot", snapshot], db: Self.small, minimum: 10) else { return }
        let now = e.dir + "/now.dump"
        XCTAssertEqual(try cbdump(e, ["-f", now], db: Self.small).status, 0)
        func parentRows(_ path: String) throws -> Int {
            let a = try ArchiveOpener.open(path: path)
            guard let te = a.entries.first(where: { $0.desc == "TABLE DATA" && DumpOracleTests.s($0.tag) == "parent" }) else { return -1 }
            let c = DumpOracleTests.Collector()
            try a.readData(te, into: c, isDataRequired: { _ in false })
            return c.bytes.filter { $0 == 0x0a }.count - 3
        }
        XCTAssertEqual(try parentRows(ours), 3)
        XCTAssertEqual(try parentRows(now), 5)
        try expectSameError(e, ["--snapshot=bad"], db: Self.small)
        try expectSameError(e, ["--serializable-deferrable", "--snapshot", snapshot], db: Self.small)
    }

    // MARK: - Bad options

    func checkOptionErrors(_ major: Int) throws {
        let e = try Self.env(major)
        for args in [["--on-conflict-do-nothing"], ["--on-conflict-do-nothing", "-a"],
                     ["--rows-per-insert=0"], ["--rows-per-insert", "abc"], ["--rows-per-insert="], ["--rows-per-insert= 5x"],
                     ["--rows-per-insert=99999999999"], ["--rows-per-insert=2147483648"], ["--rows-per-insert", "-1"],
                     ["--extra-float-digits=4"], ["--extra-float-digits", "-16"], ["--extra-float-digits=x"],
                     ["--extra-float-digits=1.5"], ["--rows-per-insert=0", "--extra-float-digits=9"],
                     ["--extra-float-digits=9", "--rows-per-insert=0"], ["--rows-per-insert=5", "--rows-per-insert=0"],
                     ["-E", "nope"], ["--encoding=WIN1252x"], ["-s", "--include-foreign-data=x", "-a"],
                     ["-s", "--include-foreign-data=x"], ["--on-conflict-do-nothing", "-c", "-a"],
                     ["--inserts", "--on-conflict-do-nothing", "-t", "nope"]] {
            try expectSameError(e, args)
        }
        if major >= 16 {
            // pg_dump 16's message (15 also allowed tar); cbdump writes custom archives.
            try expectSameError(e, ["--restrict-key", "abc"])
        }
        // Accepted with blanks around the number, as strtol and option_parse_int take it.
        try compare(e, ["--rows-per-insert", " 3 ", "--extra-float-digits= -2"], db: Self.small, minimum: 10)
    }

    func testOptionErrorsPostgreSQL15() throws { try checkOptionErrors(15) }
    func testOptionErrorsPostgreSQL18() throws { try checkOptionErrors(18) }

    // MARK: - Row subsets (--where)

    /// `SELECT count(*), md5 of the rows in order` of `from` (a FROM clause) in `db`.
    func rowDigest(_ e: Env, db: String, _ from: String) throws -> String {
        try e.cluster.psql("SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM \(from)", db: db)
    }

    /// cbdump with `wheres` (table, condition, the FROM clause of that table's own rows) and
    /// `extra` options; pg_dump without the --where options. Every entry but the filtered
    /// tables' data must be pg_dump's; restored by pg_restore, each filtered table must hold
    /// exactly the rows the condition selects, and the others all their rows.
    func checkWhere(_ e: Env, db: String, _ wheres: [(spec: String, from: String, condition: String)],
                    extra: [String] = [], unfiltered: [String] = [], skip: Set<String>, prepare: String? = nil,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let n = UUID().uuidString.prefix(8)
        let ref = e.dir + "/where-ref-\(n).dump", ours = e.dir + "/where-ours-\(n).dump"
        _ = try Oracle.pgDump(e.bin, cluster: e.cluster, db: db, args: ["-Fc", "-f", ref] + extra)
        let o = try cbdump(e, ["-f", ours] + extra + wheres.flatMap { ["--where", $0.spec] }, db: db)
        XCTAssertEqual(o.status, 0, "cbdump --where: \(o.stderrString)", file: file, line: line)
        guard o.status == 0 else { return }
        try DumpOracleTests.checkEntries(major: e.major, ref: ref, ours: ours, label: " --where \(wheres.map(\.spec))",
                                         minimum: 3, skipData: skip, file: file, line: line)
        let back = "opt_where_\(n.lowercased())"
        try e.cluster.createDatabase(back)
        if let prepare { try e.cluster.psql(prepare, db: back) }
        let list = try DumpOracleTests.laterClosure(ours, major: e.major)
        let keep = DumpOracleTests.keyed(try ArchiveOpener.open(path: ours).entries).filter { !list.contains($0.0) }
            .map { "\($0.1.dumpId); x\n" }.joined()
        try keep.write(toFile: ours + ".list", atomically: true, encoding: .utf8)
        let r = try Oracle.pgRestore(e.bin, args: ["-L", ours + ".list", "--exit-on-error"] + e.cluster.connectionArgs(db: back) + [ours],
                                     allowFailure: true)
        XCTAssertEqual(r.status, 0, "pg_restore of the --where archive: \(r.stderrString.prefix(2000))", file: file, line: line)
        // An empty FROM: a further condition on a table already checked.
        for w in wheres where !w.from.isEmpty {
            let expected = try rowDigest(e, db: db, "(SELECT * FROM \(w.from) WHERE \(w.condition)) AS x")
            let all = try rowDigest(e, db: db, "\(w.from) AS x")
            let got = try rowDigest(e, db: back, "\(w.from) AS x")
            XCTAssertEqual(got, expected, "PG\(e.major) --where \(w.spec): restored rows", file: file, line: line)
            XCTAssertNotEqual(got, all, "PG\(e.major) --where \(w.spec): the condition selected every row", file: file, line: line)
            XCTAssertFalse(got.hasPrefix("0 "), "PG\(e.major) --where \(w.spec): no row at all", file: file, line: line)
        }
        for from in unfiltered {
            XCTAssertEqual(try rowDigest(e, db: back, "\(from) AS x"), try rowDigest(e, db: db, "\(from) AS x"),
                           "PG\(e.major): \(from) lost rows", file: file, line: line)
        }
    }

    func checkWhereOptions(_ major: Int) throws {
        let e = try Self.env(major)
        let s = Self.small
        try checkWhere(e, db: s, [("public.src:id % 7 = 0", "ONLY public.src", "id % 7 = 0")],
                       unfiltered: ["ONLY public.parent", "public.paint"], skip: ["TABLE DATA public.src"])
        // Unqualified (the search path's), twice on one table (both hold), a comment at the end.
        try checkWhere(e, db: s, [("src:id > 100", "ONLY public.src", "id > 100 AND t LIKE 'row 1%'"),
                                  ("SRC: t LIKE 'row 1%' -- the tens", "", "")],
                       skip: ["TABLE DATA public.src"])
        // A partitioned table: its partitions' rows, at every level; the other tables whole.
        try checkWhere(e, db: s, [("paint:n > 20 OR c = 'red'", "public.paint", "n > 20 OR c = 'red'")],
                       unfiltered: ["public.byrange", "ONLY public.src"],
                       skip: ["TABLE DATA public.paint_0", "TABLE DATA public.paint_1_lo", "TABLE DATA public.paint_1_hi"])
        // An inheritance parent: its own rows only, the child keeps all of its own.
        try checkWhere(e, db: s, [("public.parent:a <> 2", "ONLY public.parent", "a <> 2")],
                       unfiltered: ["ONLY public.child"], skip: ["TABLE DATA public.parent"])
        // Quoted names, with INSERT data; a partition named itself.
        try checkWhere(e, db: s, [("\"Mixed Case\".\"Odd Table\":\"Val\" IS NOT NULL", "ONLY \"Mixed Case\".\"Odd Table\"", "\"Val\" IS NOT NULL"),
                                  ("byrange_b:k < 150", "ONLY public.byrange_b", "k < 150")],
                       extra: ["--inserts"], unfiltered: ["ONLY public.byrange_a"],
                       skip: ["TABLE DATA Mixed Case.Odd Table", "TABLE DATA public.byrange_b"])
        // With -t, and in the fixture database.
        try checkWhere(e, db: s, [("src:id <= 10", "ONLY public.src", "id <= 10")], extra: ["-t", "src"],
                       skip: ["TABLE DATA public.src"])
        try checkWhere(e, db: "fx", [("data.big:id % 3 = 1", "ONLY data.big", "id % 3 = 1"),
                                     ("data.texts:id < 10", "ONLY data.texts", "id < 10")],
                       extra: ["-t", "data.big", "-t", "data.texts", "-t", "data.binary"], unfiltered: ["ONLY data.binary"],
                       skip: ["TABLE DATA data.big", "TABLE DATA data.texts"], prepare: "CREATE SCHEMA data")

        // Errors: exit status 1, a message that says what is wrong, no file left.
        func expectError(_ args: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let out = e.dir + "/where-err-\(UUID().uuidString.prefix(8)).dump"
            let o = try cbdump(e, ["-f", out] + args, db: s)
            XCTAssertEqual(o.status, 1, "\(args): \(o.stderrString)", file: file, line: line)
            XCTAssertEqual(o.stderrString, "cbdump: error: \(message)\n", "\(args)", file: file, line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(args): an output file was left behind", file: file, line: line)
        }
        try expectError(["--where", "nope:true"], "table \"nope\" given to --where was not found")
        try expectError(["--where", "public.nope:true"], "table \"public.nope\" given to --where was not found")
        try expectError(["--where", "\"SRC\":true"], "table \"SRC\" given to --where was not found")
        try expectError(["--where", "f1:true"], "\"f1\" given to --where is not a table")
        try expectError(["--where", "src"], "invalid --where specification \"src\": expected TABLE:CONDITION")
        try expectError(["--where", "src:  "], "invalid --where specification \"src:  \": missing condition")
        try expectError(["--where", ":id > 1"], "invalid --where specification \":id > 1\": missing table name")
        try expectError(["--where", "a.b.c:x"], "invalid --where specification \"a.b.c:x\": improper table name (too many dotted names)")
        try expectError(["--where", "\"src:x"], "invalid --where specification \"\"src:x\": unterminated quoted name")
        // A condition the server rejects: its own message.
        for condition in ["nocol = 1", "id = 'x'", "1; DROP TABLE src", "id > 1) OR (true"] {
            let server = try ProcessRunner.run(e.bin.path("psql"), ["-X", "-At", "-c", "SELECT 1 FROM ONLY public.src WHERE (\(condition)\n) LIMIT 0"]
                                               + e.cluster.connectionArgs(db: s), environment: ["LC_ALL": "C"])
            if condition.contains(") OR (") {
                // Balanced by the user: a valid condition, and the rows it selects.
                XCTAssertEqual(server.status, 0)
                continue
            }
            let primary = server.stderrString.split(separator: "\n").first.map { String($0) } ?? ""
            XCTAssertTrue(primary.hasPrefix("ERROR:  "), "psql: \(server.stderrString)")
            let expected = "invalid --where condition for table \"src\": " + primary.dropFirst("ERROR:  ".count)
            try expectError(["--where", "src:\(condition)"], String(expected))
        }
        XCTAssertEqual(try e.cluster.psql("SELECT count(*) FROM src", db: s), "250", "the table must still be there")
    }

    func testWherePostgreSQL15() throws { try checkWhereOptions(15) }
    func testWherePostgreSQL18() throws { try checkWhereOptions(18) }
}
