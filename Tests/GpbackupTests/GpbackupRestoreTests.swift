import Archive
import Foundation
import Restore
import TestSupport
import XCTest

/// cbrestore on gpbackup sets made at test time from a live database (GpbackupSetMaker):
/// -l, --verify, -f and -d (into PostgreSQL with --no-gp-syntax) in the gathered and the
/// --backup-dir layouts, gzip, zstd and none, one file per table and --single-data-file,
/// with tables whose rows are hard to carry (quotes, newlines, NULL against the empty string,
/// bytea, arrays, generated columns, hostile names); then the bad sets.
final class GpbackupRestoreTests: XCTestCase {
    static let fixture = ClassCluster(label: "gpbackup") { cluster, _ in
        try cluster.createDatabase("src")
        _ = try cluster.psql(#"""
            CREATE SCHEMA app;
            CREATE SCHEMA "Odd ""Schema"", x";
            CREATE TABLE app.plain (id int PRIMARY KEY, v text);
            CREATE INDEX plain_v_idx ON app.plain (v);
            INSERT INTO app.plain SELECT g, 'row ' || g FROM generate_series(1, 3000) g;
            CREATE TABLE app.tricky (id int, t text, b bytea, a int[], ta text[], j jsonb,
                g int GENERATED ALWAYS AS (id * 2) STORED);
            INSERT INTO app.tricky (id, t, b, a, ta, j) VALUES
                (1, 'say "hi", ok', '\x00ff0a22', '{1,2,3}', '{"a,b","c\"d",NULL}', '{"k": "v,\"w\""}'),
                (2, E'line1\nline2\n\\.\nline4', '', '{}', '{}', 'null'),
                (3, '', NULL, NULL, '{""}', NULL),
                (4, NULL, '\x', '{NULL}', NULL, '[]'),
                (5, E'tab\there\r\ncrlf', '\x5c2e', '{-1}', '{" "}', '{}'),
                (6, '\.', '\x2c', '{0}', '{","}', '"x"');
            CREATE TABLE "Odd ""Schema"", x"."odd, ""name"" (1)" ("col ""q""" text, "select" int, "Mixed Case" date);
            INSERT INTO "Odd ""Schema"", x"."odd, ""name"" (1)" SELECT 'v' || g, g, date '2020-01-01' + g FROM generate_series(1, 50) g;
            CREATE TABLE app.empty (x int);
            CREATE TABLE app.parted (id int, v text) PARTITION BY RANGE (id);
            CREATE TABLE app.parted_1 PARTITION OF app.parted FOR VALUES FROM (1) TO (100);
            CREATE TABLE app.parted_2 PARTITION OF app.parted FOR VALUES FROM (100) TO (200);
            INSERT INTO app.parted SELECT g, 'p' || g FROM generate_series(1, 199) g;
            CREATE TABLE app.rep (id int, v text);
            INSERT INTO app.rep SELECT g, 'r' || g FROM generate_series(1, 40) g;
            """#, db: "src")
    }
    override class func tearDown() { fixture.stop() }

    static let tableDDL: [GpbackupSetMaker.Table] = [
        .init(schema: "app", name: "plain", ddl: "CREATE TABLE app.plain (\n\tid integer NOT NULL,\n\tv text\n) DISTRIBUTED BY (id);"),
        .init(schema: "app", name: "tricky", ddl: """
            CREATE TABLE app.tricky (
            \tid integer,
            \tt text,
            \tb bytea,
            \ta integer[],
            \tta text[],
            \tj jsonb,
            \tg integer GENERATED ALWAYS AS ((id * 2)) STORED
            ) WITH (appendonly=true, orientation=column, compresstype=zlib) DISTRIBUTED RANDOMLY;
            """),
        .init(schema: "Odd \"Schema\", x", name: "odd, \"name\" (1)",
              ddl: "CREATE TABLE \"Odd \"\"Schema\"\", x\".\"odd, \"\"name\"\" (1)\" (\n\t\"col \"\"q\"\"\" text,\n\t\"select\" integer,\n\t\"Mixed Case\" date\n) DISTRIBUTED BY (\"select\");"),
        .init(schema: "app", name: "empty", ddl: "CREATE TABLE app.empty (\n\tx integer\n) DISTRIBUTED BY (x);"),
        .init(schema: "app", name: "parted", ddl: "CREATE TABLE app.parted (\n\tid integer,\n\tv text\n) PARTITION BY RANGE (id) DISTRIBUTED BY (id);",
              partitioned: true),
        .init(schema: "app", name: "parted_1", ddl: "CREATE TABLE app.parted_1 PARTITION OF app.parted FOR VALUES FROM (1) TO (100);",
              partitionRoot: "parted"),
        .init(schema: "app", name: "parted_2", ddl: "CREATE TABLE app.parted_2 PARTITION OF app.parted FOR VALUES FROM (100) TO (200);",
              partitionRoot: "parted"),
        .init(schema: "app", name: "rep", ddl: "CREATE TABLE app.rep (\n\tid integer,\n\tv text\n) DISTRIBUTED REPLICATED;", replicated: true),
    ]

    func maker(segments: Int, compression: CompressionAlgorithm, single: Bool = false,
               layout: GpbackupSetMaker.Layout = .gathered) -> GpbackupSetMaker {
        var m = GpbackupSetMaker()
        m.segments = segments
        m.compression = compression
        m.singleDataFile = single
        m.layout = layout
        m.schemas = ["app", "Odd \"Schema\", x"]
        m.tables = Self.tableDDL
        m.postData = [(schema: "app", name: "plain_v_idx", type: "INDEX", reference: "app.plain",
                       sql: "CREATE INDEX plain_v_idx ON app.plain USING btree (v);")]
        return m
    }

    func cbrestore(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbrestore"), args, environment: ["LC_ALL": "C"].merging(env) { $1 })
    }

    /// Every table's rows, in a canonical order, as one text per table.
    func contents(_ cluster: TestCluster, db: String) throws -> [String] {
        let queries = [
            "SELECT string_agg(p::text, '|' ORDER BY id) FROM app.plain p",
            "SELECT string_agg(t::text, '|' ORDER BY id) FROM app.tricky t",
            #"SELECT string_agg(o::text, '|' ORDER BY "select") FROM "Odd ""Schema"", x"."odd, ""name"" (1)" o"#,
            "SELECT count(*)::text FROM app.empty",
            "SELECT string_agg(r::text, '|' ORDER BY id) FROM app.rep r",
            "SELECT string_agg(p::text || tableoid::regclass::text, '|' ORDER BY id) FROM app.parted p",
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'plain_v_idx'",
        ]
        // Short digests, so that a difference is legible; the row count beside each.
        return try queries.map { q in
            try cluster.psql("SELECT length(x)::text || ' ' || md5(x) FROM (\(q)) s(x)", db: db)
        }
    }

    func testGeneratedSetsListVerifyScriptAndRestore() throws {
        let (cluster, bin) = try Self.fixture.require()
        let expected = try contents(cluster, db: "src")
        XCTAssertFalse(expected.contains { $0.hasPrefix(" ") || $0.isEmpty }, "\(expected)")
        let variants: [(String, GpbackupSetMaker)] = [
            ("gz2", maker(segments: 2, compression: .gzip)),
            ("zst3-backupdir", maker(segments: 3, compression: .zstd, layout: .backupDir)),
            ("none2-single", maker(segments: 2, compression: .none, single: true)),
            ("gz3-single-backupdir", maker(segments: 3, compression: .gzip, single: true, layout: .backupDir)),
        ]
        let env = cluster.libpqEnvironment()
        for (n, (label, m)) in variants.enumerated() {
            let root = Self.fixture.workDir + "/" + label
            let coord = try m.make(cluster: cluster, db: "src", root: root)
            // The set is named by its directory, the backup-dir root or its _toc.yaml.
            let arg = n % 2 == 0 ? root : coord + "/gpbackup_\(m.timestamp)_toc.yaml"

            let list = try cbrestore(["-l", arg])
            XCTAssertEqual(list.status, 0, "\(label): \(list.stderrString)")
            XCTAssertTrue(list.stdoutString.contains(";     Format: GPBACKUP"), list.stdoutString)
            XCTAssertTrue(list.stdoutString.contains("TABLE DATA app tricky"), list.stdoutString)
            XCTAssertTrue(list.stdoutString.contains("INDEX app plain_v_idx"), list.stdoutString)
            XCTAssertFalse(list.stdoutString.contains("DATABASE"), "globals only with --globals")
            XCTAssertTrue(try cbrestore(["-l", "--globals", "-C", arg]).stdoutString.contains("DATABASE - src"))

            let verify = try cbrestore(["--verify", arg])
            XCTAssertEqual(verify.status, 0, "\(label): \(verify.stdoutString) \(verify.stderrString)")
            XCTAssertTrue(verify.stdoutString.contains("TABLE DATA app plain: 3000 rows (rowscopied 3000)"), verify.stdoutString)
            XCTAssertTrue(verify.stdoutString.contains("TABLE DATA app tricky: 6 rows (rowscopied 6)"), verify.stdoutString)
            XCTAssertTrue(verify.stdoutString.contains("TABLE DATA app rep: \(40 * m.segments) rows"), verify.stdoutString)
            XCTAssertTrue(verify.stdoutString.contains("0 unsound"), verify.stdoutString)

            // -f: the script, loaded by psql into a fresh database.
            let script = Self.fixture.workDir + "/\(label).sql"
            let f = try cbrestore(["--no-gp-syntax", "-O", "-f", script, arg])
            XCTAssertEqual(f.status, 0, "\(label): \(f.stderrString)")
            let sdb = "script_\(n)"
            try cluster.createDatabase(sdb)
            let psql = try ProcessRunner.run(bin.path("psql"), ["-X", "-v", "ON_ERROR_STOP=1", "-q", "-f", script] + cluster.connectionArgs(db: sdb))
            XCTAssertEqual(psql.status, 0, "\(label): \(psql.stderrString)")
            XCTAssertEqual(try contents(cluster, db: sdb), expected, "\(label) via -f")

            // -d: one connection, all or nothing, into PostgreSQL.
            let ddb = "live_\(n)"
            try cluster.createDatabase(ddb)
            let d = try cbrestore(["--no-gp-syntax", "-O", "-1", "-d", ddb, arg], env: env)
            XCTAssertEqual(d.status, 0, "\(label): \(d.stderrString)")
            XCTAssertTrue(d.stderrString.contains("--no-gp-syntax") || !d.stderrString.contains("error"), d.stderrString)
            XCTAssertEqual(try contents(cluster, db: ddb), expected, "\(label) via -d")
            XCTAssertEqual(try cluster.psql("SELECT obj_description('app.plain'::regclass)", db: ddb), "made by GpbackupSetMaker")

            // -j 2: the tables' data on two workers, post-data after all of it.
            let jdb = "parallel_\(n)"
            try cluster.createDatabase(jdb)
            let j = try cbrestore(["--no-gp-syntax", "-O", "-j", "2", "-d", jdb, arg], env: env)
            XCTAssertEqual(j.status, 0, "\(label): \(j.stderrString)")
            XCTAssertEqual(try contents(cluster, db: jdb), expected, "\(label) via -j 2")
        }
    }

    /// The same set into PostgreSQL 16, 17 and 18 (those whose binaries are here; the
    /// scripts fetch them): rows equal to the source's, also the CSV value holding a `\.` line.
    func testRestoresIntoNewerMajors() throws {
        let (cluster, _) = try Self.fixture.require()
        let expected = try contents(cluster, db: "src")
        let root = Self.fixture.workDir + "/majors"
        try maker(segments: 3, compression: .gzip, single: true).make(cluster: cluster, db: "src", root: root)
        var tried = 0
        for major in [16, 17, 18] {
            guard let bin = PGBinaries.major(major) else { continue }
            tried += 1
            let target = try TestCluster(binaries: bin)
            defer { target.stop() }
            try target.createDatabase("live")
            let d = try cbrestore(["--no-gp-syntax", "-O", "-1", "-d", "live", root], env: target.libpqEnvironment())
            XCTAssertEqual(d.status, 0, "\(major): \(d.stderrString)")
            XCTAssertEqual(try contents(target, db: "live"), expected, "PostgreSQL \(major)")
            // The script, through that major's psql.
            let script = Self.fixture.workDir + "/majors-\(major).sql"
            XCTAssertEqual(try cbrestore(["--no-gp-syntax", "-O", "-f", script, root]).status, 0)
            try target.createDatabase("script")
            let psql = try ProcessRunner.run(bin.path("psql"), ["-X", "-v", "ON_ERROR_STOP=1", "-q", "-f", script] + target.connectionArgs(db: "script"))
            XCTAssertEqual(psql.status, 0, "\(major): \(psql.stderrString)")
            XCTAssertEqual(try contents(target, db: "script"), expected, "PostgreSQL \(major) via -f")
        }
        if tried == 0 { throw XCTSkip("no PostgreSQL 16, 17 or 18 binaries (scripts/fetch-pg-binaries.sh)") }
    }

    /// An incremental backup whose restore plan puts a table's data in the full backup before
    /// it: the chain is read, each table from the backup that holds its rows.
    func testIncrementalChain() throws {
        let (cluster, _) = try Self.fixture.require()
        let expected = try contents(cluster, db: "src")
        let env = cluster.libpqEnvironment()
        for (n, layout) in [GpbackupSetMaker.Layout.gathered, .backupDir].enumerated() {
            let root = Self.fixture.workDir + "/chain\(n)"
            var full = maker(segments: 2, compression: .zstd, single: n == 1, layout: layout)
            full.timestamp = "20240101000000"
            try full.make(cluster: cluster, db: "src", root: root)
            var incr = maker(segments: 2, compression: .zstd, layout: layout)
            incr.timestamp = "20240102000000"
            incr.configOverrides["incremental"] = "true"
            let fqn = { (t: GpbackupSetMaker.Table) in GpbackupSetMaker.ident(t.schema) + "." + GpbackupSetMaker.ident(t.name) }
            let later = incr.tables.filter { !$0.partitioned && $0.name != "plain" }
            incr.restorePlan = [(full.timestamp, ["app.plain"]), (incr.timestamp, later.map(fqn))]
            incr.dataTables = Set(later.map { $0.schema + "." + $0.name })
            let coord = try incr.make(cluster: cluster, db: "src", root: root)
            let toc = coord + "/gpbackup_\(incr.timestamp)_toc.yaml"
            let v = try cbrestore(["--verify", toc])
            XCTAssertEqual(v.status, 0, v.stdoutString + v.stderrString)
            XCTAssertTrue(v.stdoutString.contains("TABLE DATA app plain: 3000 rows"), v.stdoutString)
            let db = "chain_\(n)"
            try cluster.createDatabase(db)
            let d = try cbrestore(["--no-gp-syntax", "-1", "-d", db, toc], env: env)
            XCTAssertEqual(d.status, 0, d.stderrString)
            XCTAssertEqual(try contents(cluster, db: db), expected, "chain, layout \(layout)")
            // Without the full backup the chain cannot be restored: said before anything runs.
            let fullTOC = (coord as NSString).deletingLastPathComponent.replacingOccurrences(of: "20240102", with: "20240101")
                + "/20240101000000/gpbackup_20240101000000_toc.yaml"
            try FileManager.default.removeItem(atPath: n == 0 ? root + "/gpbackup_20240101000000_toc.yaml" : fullTOC)
            let gone = try cbrestore(["-l", toc])
            XCTAssertEqual(gone.status, 1)
            XCTAssertTrue(gone.stderrString.contains("the earlier backup 20240101000000"), gone.stderrString)
        }
    }

    func testSelectionSectionsAndGPSyntax() throws {
        let (cluster, _) = try Self.fixture.require()
        let root = Self.fixture.workDir + "/select"
        try maker(segments: 2, compression: .zstd).make(cluster: cluster, db: "src", root: root)
        let env = cluster.libpqEnvironment()
        // -n: one schema's entries only; -t: one table, its data with it.
        let n = try cbrestore(["-l", "-n", "Odd \"Schema\", x", root])
        XCTAssertTrue(n.stdoutString.contains("TABLE DATA Odd \"Schema\", x odd, \"name\" (1)"), n.stdoutString)
        XCTAssertFalse(n.stdoutString.contains("app"), n.stdoutString)
        let excluded = try cbrestore(["-l", "-N", "app", root]).stdoutString
        XCTAssertFalse(excluded.contains(" app "), excluded)
        XCTAssertTrue(excluded.contains("TABLE DATA Odd"), excluded)
        try cluster.createDatabase("sel")
        _ = try cluster.psql("CREATE SCHEMA app", db: "sel")
        let t = try cbrestore(["--no-gp-syntax", "-d", "sel", "-t", "plain", root], env: env)
        XCTAssertEqual(t.status, 0, t.stderrString)
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM app.plain", db: "sel"), "3000")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'app'", db: "sel"), "1")
        // -t on a partitioned table: its leaf partitions and their data come along.
        let part = try cbrestore(["--no-gp-syntax", "-d", "sel", "-t", "parted", root], env: env)
        XCTAssertEqual(part.status, 0, part.stderrString)
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM app.parted", db: "sel"), "199")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM app.parted_2", db: "sel"), "100")
        // -s then -a: schema, then data only; post-data by section.
        try cluster.createDatabase("sec")
        XCTAssertEqual(try cbrestore(["--no-gp-syntax", "-O", "-d", "sec", "-s", root], env: env).status, 0)
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM app.plain", db: "sec"), "0")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM pg_indexes WHERE indexname = 'plain_v_idx'", db: "sec"), "1")
        XCTAssertEqual(try cbrestore(["-d", "sec", "-a", root], env: env).status, 0)
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM app.tricky", db: "sec"), "6")
        let pre = try cbrestore(["-f", "-", "--section", "pre-data", root])
        XCTAssertFalse(pre.stdoutString.contains("COPY app.plain"), "no data in pre-data")
        XCTAssertFalse(pre.stdoutString.contains("CREATE INDEX"), "no post-data in pre-data")
        // Without --no-gp-syntax the script keeps gpbackup's DISTRIBUTED and storage clauses;
        // with it, they are gone and PostgreSQL takes the table.
        let gp = try cbrestore(["-f", "-", root]).stdoutString
        XCTAssertTrue(gp.contains("DISTRIBUTED BY (id)") && gp.contains("appendonly=true"), gp)
        let pg = try cbrestore(["-f", "-", "--no-gp-syntax", root]).stdoutString
        XCTAssertFalse(pg.contains("DISTRIBUTED") || pg.contains("appendonly"), pg)
        XCTAssertTrue(pg.contains("COPY app.tricky (id,t,b,a,ta,j) FROM stdin;"), "the generated column is left out")
    }

    /// The statistics of the tables of `db` in app and the odd schema: pg_class's relpages
    /// and reltuples, and every pg_statistic row (stanullfrac and stadistinct to the six
    /// decimals gpbackup's %f keeps).
    func statistics(_ cluster: TestCluster, db: String) throws -> (tuples: String, columns: String) {
        // app.tricky is left out of the statistics test's set.
        let schemas = "n.nspname IN ('app', 'Odd \"Schema\", x') AND c.relname <> 'tricky'"
        let tuples = try cluster.psql("""
            SELECT string_agg(format('%s %s %s', c.oid::regclass, c.relpages, c.reltuples), E'\\n' ORDER BY c.oid::regclass::text)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND \(schemas)
            """, db: db)
        let columns = try cluster.psql("""
            SELECT count(*) || E'\\n' || coalesce(string_agg(format('%s %s', s.starelid::regclass, row(s.staattnum, s.stainherit,
                round(s.stanullfrac::numeric, 6), s.stawidth, round(s.stadistinct::numeric, 6),
                s.stakind1, s.stakind2, s.stakind3, s.stakind4, s.stakind5, s.staop1, s.staop2, s.staop3, s.staop4, s.staop5,
                s.stacoll1, s.stacoll2, s.stacoll3, s.stacoll4, s.stacoll5,
                s.stanumbers1, s.stanumbers2, s.stanumbers3, s.stanumbers4, s.stanumbers5,
                s.stavalues1::text, s.stavalues2::text, s.stavalues3::text, s.stavalues4::text, s.stavalues5::text)),
                E'\\n' ORDER BY s.starelid::regclass::text, s.staattnum, s.stainherit), '')
            FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(schemas)
            """, db: db)
        return (tuples, columns)
    }

    /// gpbackup --with-stats: the statistics are listed by -l and selected with their
    /// tables, restored only with --statistics (then pg_statistic and pg_class's counts equal
    /// the source's), and otherwise left alone with one warning.
    func testStatisticsOnlyWhenAsked() throws {
        let (cluster, _) = try Self.fixture.require()
        let env = cluster.libpqEnvironment()
        _ = try cluster.psql("ANALYZE", db: "src")
        var m = maker(segments: 2, compression: .gzip)
        // app.tricky's text values hold newlines, which gpbackup's %#v quoting does not carry
        // through array_in: its statistics would differ by gpbackup's own doing.
        m.tables = Self.tableDDL.filter { $0.name != "tricky" }
        m.withStatistics = true
        let root = Self.fixture.workDir + "/stats"
        try m.make(cluster: cluster, db: "src", root: root)
        let source = try statistics(cluster, db: "src")
        XCTAssertTrue(source.columns.hasPrefix("1") || source.columns.hasPrefix("2"), "the source has statistics: \(source.columns)")

        let list = try cbrestore(["-l", root])
        XCTAssertEqual(list.status, 0, list.stderrString)
        XCTAssertTrue(list.stdoutString.contains("STATISTICS DATA app plain"), list.stdoutString)
        XCTAssertTrue(list.stdoutString.contains("STATISTICS DATA Odd \"Schema\", x odd, \"name\" (1)"), list.stdoutString)
        XCTAssertFalse(list.stderrString.contains("warning"), list.stderrString)
        // After the post-data, and selected with their tables and schemas.
        let lines = list.stdoutString.split(separator: "\n")
        XCTAssertLessThan(lines.firstIndex { $0.contains("INDEX app plain_v_idx") }!, lines.firstIndex { $0.contains("STATISTICS DATA") }!)
        let t = try cbrestore(["-l", "-t", "plain", root]).stdoutString
        XCTAssertTrue(t.contains("STATISTICS DATA app plain") && !t.contains("STATISTICS DATA app rep"), t)
        let n = try cbrestore(["-l", "-n", "app", root]).stdoutString
        XCTAssertTrue(n.contains("STATISTICS DATA app rep") && !n.contains("STATISTICS DATA Odd"), n)
        XCTAssertFalse(try cbrestore(["-l", "--section", "pre-data", root]).stdoutString.contains("STATISTICS"))
        XCTAssertFalse(try cbrestore(["-l", "--no-statistics", root]).stdoutString.contains("STATISTICS"))

        // Not asked: not restored, one warning that says how to ask.
        try cluster.createDatabase("nostats")
        let plain = try cbrestore(["--no-gp-syntax", "-O", "-d", "nostats", root], env: env)
        XCTAssertEqual(plain.status, 0, plain.stderrString)
        XCTAssertEqual(plain.stderrString.components(separatedBy: "add --statistics").count - 1, 1, plain.stderrString)
        XCTAssertTrue(plain.stderrString.contains("statistics for 7 table(s)"), plain.stderrString)
        XCTAssertTrue(try statistics(cluster, db: "nostats").columns.hasPrefix("0"))
        XCTAssertEqual(try cluster.psql("SELECT reltuples FROM pg_class WHERE oid = 'app.rep'::regclass", db: "nostats"), "-1")
        XCTAssertFalse(try cbrestore(["-f", "-", root]).stdoutString.contains("pg_statistic"))
        // No warning where statistics are not wanted anyway.
        for quiet in [["-s"], ["-a"], ["--no-statistics"]] {
            let r = try cbrestore(quiet + ["-f", "/dev/null", root])
            XCTAssertEqual(r.status, 0, r.stderrString)
            XCTAssertFalse(r.stderrString.contains("statistics"), "\(quiet): \(r.stderrString)")
        }

        // Asked: the target's statistics are the source's, also with -j 2 and as a script.
        for (db, extra) in [("withstats", ["-1"]), ("withstats_j", ["-j", "2"])] {
            try cluster.createDatabase(db)
            let d = try cbrestore(["--no-gp-syntax", "-O", "--statistics", "-d", db] + extra + [root], env: env)
            XCTAssertEqual(d.status, 0, d.stderrString)
            XCTAssertFalse(d.stderrString.contains("statistics"), d.stderrString)
            let target = try statistics(cluster, db: db)
            XCTAssertEqual(target.tuples, source.tuples, db)
            XCTAssertEqual(target.columns, source.columns, db)
        }
        let script = try cbrestore(["--statistics", "-f", "-", "-t", "rep", root]).stdoutString
        XCTAssertTrue(script.contains("-- Statistics for Name: rep; Type: STATISTICS DATA; Schema: app"), script)
        XCTAssertTrue(script.contains("INSERT INTO pg_statistic VALUES") && !script.contains("app.plain"), script)
        // --statistics-only: into the tables a schema-and-data restore left without them.
        let only = try cbrestore(["--statistics-only", "-d", "nostats", root], env: env)
        XCTAssertEqual(only.status, 0, only.stderrString)
        XCTAssertEqual(try statistics(cluster, db: "nostats").columns, source.columns)
    }

    /// --globals --no-gp-syntax: resource queues and groups skipped, one warning per kind;
    /// roles restored without their Greenplum options; no error on PostgreSQL.
    func testGlobalsWithoutGPSyntax() throws {
        let (cluster, _) = try Self.fixture.require()
        let env = cluster.libpqEnvironment()
        var m = maker(segments: 2, compression: .none)
        m.globalEntries = [
            ("gpb_queue", "RESOURCE QUEUE", "CREATE RESOURCE QUEUE gpb_queue WITH (ACTIVE_STATEMENTS=5, PRIORITY=HIGH);"),
            ("gpb_queue", "RESOURCE QUEUE", "COMMENT ON RESOURCE QUEUE gpb_queue IS 'a queue';"),
            ("pg_default", "RESOURCE QUEUE", "ALTER RESOURCE QUEUE pg_default WITH (ACTIVE_STATEMENTS=20);"),
            ("admin_group", "RESOURCE GROUP", "ALTER RESOURCE GROUP admin_group SET CPU_RATE_LIMIT 1;"),
            ("default_group", "RESOURCE GROUP", "ALTER RESOURCE GROUP default_group SET MEMORY_LIMIT 1;"),
            ("admin_group", "RESOURCE GROUP", "ALTER RESOURCE GROUP admin_group SET CONCURRENCY 10;"),
            ("gpb_group", "RESOURCE GROUP", "CREATE RESOURCE GROUP gpb_group WITH (CPU_RATE_LIMIT=10, MEMORY_AUDITOR=vmtracker, MEMORY_LIMIT=10, MEMORY_SHARED_QUOTA=80, MEMORY_SPILL_RATIO=0, CONCURRENCY=5);"),
            ("gpb_role", "ROLE", "CREATE ROLE gpb_role;\nALTER ROLE gpb_role WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN CONNECTION LIMIT 4 RESOURCE QUEUE gpb_queue RESOURCE GROUP gpb_group CREATEEXTTABLE (protocol='http') CREATEEXTTABLE (protocol='gpfdist', type='readable');"),
            ("gpb_role", "ROLE", "ALTER ROLE gpb_role DENY BETWEEN DAY 0 TIME '00:00:00' AND DAY 1 TIME '00:00:00';"),
            ("gpb_role", "ROLE", "COMMENT ON ROLE gpb_role IS 'a gp role';"),
            ("\"Gpb Role\"", "ROLE", "CREATE ROLE \"Gpb Role\";\nALTER ROLE \"Gpb Role\" WITH NOSUPERUSER NOINHERIT NOCREATEROLE NOCREATEDB NOLOGIN RESOURCE QUEUE pg_default RESOURCE GROUP default_group;"),
            ("\"Gpb Role\"", "ROLE GRANT", "GRANT gpb_role TO \"Gpb Role\";"),
            ("gpb_role", "ROLE GUCS", "ALTER ROLE gpb_role SET search_path TO app, public;"),
            // The database's own: only with -C.
            ("src", "DATABASE METADATA", "ALTER DATABASE src OWNER TO gpb_role;"),
        ]
        let root = Self.fixture.workDir + "/globals"
        try m.make(cluster: cluster, db: "src", root: root)
        let drop = "DROP ROLE IF EXISTS \"Gpb Role\"; DROP ROLE IF EXISTS gpb_role;"
        _ = try cluster.psql(drop)
        defer { _ = try? cluster.psql(drop) }

        // The script keeps them without --no-gp-syntax, has none of them with it.
        XCTAssertTrue(try cbrestore(["--globals", "-f", "-", root]).stdoutString.contains("RESOURCE QUEUE gpb_queue"))
        let pg = try cbrestore(["--globals", "--no-gp-syntax", "-f", "-", root])
        for gpOnly in ["RESOURCE", "CREATEEXTTABLE", "DENY"] { XCTAssertFalse(pg.stdoutString.contains(gpOnly), pg.stdoutString) }
        XCTAssertTrue(pg.stdoutString.contains("ALTER ROLE gpb_role WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN CONNECTION LIMIT 4;"), pg.stdoutString)

        try cluster.createDatabase("globs")
        XCTAssertTrue(try cbrestore(["--globals", "-l", root]).stdoutString.contains("ROLE - gpb_role"))
        XCTAssertFalse(try cbrestore(["--globals", "-l", root]).stdoutString.contains("DATABASE PROPERTIES"))
        XCTAssertTrue(try cbrestore(["--globals", "-C", "-l", root]).stdoutString.contains("DATABASE PROPERTIES - src"))
        let d = try cbrestore(["--globals", "--no-gp-syntax", "-d", "globs", root], env: env)
        XCTAssertEqual(d.status, 0, d.stderrString)
        XCTAssertFalse(d.stderrString.contains("error"), d.stderrString)
        let warnings = d.stderrString.split(separator: "\n")
        XCTAssertEqual(warnings.filter { $0.contains("skipping RESOURCE QUEUE") },
                       ["cbrestore: warning: skipping RESOURCE QUEUE gpb_queue, pg_default: they exist only on Greenplum and Cloudberry (--no-gp-syntax)"], d.stderrString)
        XCTAssertEqual(warnings.filter { $0.contains("skipping RESOURCE GROUP") },
                       ["cbrestore: warning: skipping RESOURCE GROUP admin_group, default_group, gpb_group: they exist only on Greenplum and Cloudberry (--no-gp-syntax)"], d.stderrString)
        XCTAssertEqual(warnings.filter { $0.contains("role options") }.count, 1, d.stderrString)
        XCTAssertTrue(d.stderrString.contains("of ROLE gpb_role, Gpb Role"), d.stderrString)
        XCTAssertEqual(try cluster.psql("SELECT rolcanlogin::text || ' ' || rolconnlimit || ' ' || array_to_string(rolconfig, ',') FROM pg_roles WHERE rolname = 'gpb_role'"),
                       "true 4 search_path=app, public")
        XCTAssertEqual(try cluster.psql("SELECT shobj_description('gpb_role'::regrole, 'pg_authid')"), "a gp role")
        XCTAssertEqual(try cluster.psql("SELECT pg_has_role('Gpb Role', 'gpb_role', 'MEMBER')::text"), "true")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM app.plain", db: "globs"), "3000")
        XCTAssertEqual(try cluster.psql("SELECT datdba::regrole::text FROM pg_database WHERE datname = 'globs'"), "postgres")
    }

    /// Each bad set: one line on standard error, exit 1, and a target left as it was.
    func testBadSets() throws {
        let (cluster, _) = try Self.fixture.require()
        let env = cluster.libpqEnvironment()
        let fm = FileManager.default
        var k = 0
        func fresh(_ m: GpbackupSetMaker) throws -> String {
            k += 1
            let root = Self.fixture.workDir + "/bad\(k)"
            try m.make(cluster: cluster, db: "src", root: root)
            return root
        }
        func expectFailure(_ root: String, _ phrase: String, verifyToo: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
            let db = "bad_\(k)"
            try cluster.createDatabase(db)
            let d = try cbrestore(["--no-gp-syntax", "-O", "-1", "-d", db, root], env: env)
            XCTAssertEqual(d.status, 1, d.stderrString, file: file, line: line)
            let lines = d.stderrString.split(separator: "\n")
            XCTAssertTrue(d.stderrString.contains(phrase), "\(phrase) not in: \(d.stderrString)", file: file, line: line)
            XCTAssertTrue(lines.count <= 3, "one error: \(d.stderrString)", file: file, line: line)
            XCTAssertEqual(try cluster.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'app'", db: db), "0",
                           "nothing half-restored", file: file, line: line)
            if verifyToo {
                let v = try cbrestore(["--verify", root])
                XCTAssertEqual(v.status, 1, file: file, line: line)
                XCTAssertTrue((v.stdoutString + v.stderrString).contains(phrase), v.stdoutString + v.stderrString, file: file, line: line)
            }
        }
        let ts = GpbackupSetMaker().timestamp

        // A segment's data file missing: content id, table and expected path named.
        var root = try fresh(maker(segments: 3, compression: .gzip))
        let gone = root + "/gpbackup_1_\(ts)_16387.gz"
        try fm.removeItem(atPath: gone)
        try expectFailure(root, "data file of content 1 for table app.plain is missing: expected \(gone)")

        // Truncated and corrupt compressed files.
        for (algorithm, ext) in [(CompressionAlgorithm.gzip, "gz"), (.zstd, "zst")] {
            let name = "gpbackup_0_\(ts)_16387.\(ext)"
            root = try fresh(maker(segments: 2, compression: algorithm))
            let bytes = try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: root + "/" + name))
            try expectFailure(root, name)
            root = try fresh(maker(segments: 2, compression: algorithm))
            var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)))
            for i in stride(from: 20, to: b.count - 8, by: 7) { b[i] ^= 0x5a }
            try Data(b).write(to: URL(fileURLWithPath: root + "/" + name))
            try expectFailure(root, name)
        }

        // config.yaml's segment count against the files present.
        var m = maker(segments: 2, compression: .gzip)
        m.configOverrides["segmentcount"] = "3"
        try expectFailure(try fresh(m), "config.yaml says the backup has 3 segment(s), but data files are present for content(s) 0, 1")

        // Plugin and encrypted sets.
        m = maker(segments: 2, compression: .gzip)
        m.configOverrides["plugin"] = "/usr/local/bin/gpbackup_s3_plugin"
        try expectFailure(try fresh(m), "not supported, copy the files out with the plugin first")
        m = maker(segments: 2, compression: .gzip)
        m.configOverrides["encrypted"] = "true"
        try expectFailure(try fresh(m), "not supported, copy the files out with the plugin first")

        // An incremental backup whose data is partly in an earlier backup of the chain.
        m = maker(segments: 2, compression: .gzip)
        m.configOverrides["incremental"] = "true"
        m.restorePlan = [("20240101000000", ["app.plain"]), (ts, ["app.tricky", "\"Odd \"\"Schema\"\", x\".\"odd, \"\"name\"\" (1)\"", "app.empty", "app.rep"])]
        try expectFailure(try fresh(m), "incremental backup: the earlier backup 20240101000000 holding the data of 1 table(s) (first app.plain) is missing")
        // One whose restore plan gives it all its tables' data loads alone.
        m.restorePlan = [("20240101000000", []), (ts, m.tables.map { GpbackupSetMaker.ident($0.schema) + "." + GpbackupSetMaker.ident($0.name) })]
        XCTAssertEqual(try cbrestore(["--verify", try fresh(m)]).status, 0)

        // --single-data-file: a segment TOC missing.
        root = try fresh(maker(segments: 2, compression: .gzip, single: true))
        try fm.removeItem(atPath: root + "/gpbackup_1_\(ts)_toc.yaml")
        try expectFailure(root, "segment TOC of content 1 is missing")

        // A rowscopied the files do not hold: --verify says so.
        root = try fresh(maker(segments: 2, compression: .none))
        let tocPath = root + "/gpbackup_\(ts)_toc.yaml"
        let toc = try String(contentsOfFile: tocPath, encoding: .utf8).replacingOccurrences(of: "rowscopied: 3000", with: "rowscopied: 3001")
        try toc.write(toFile: tocPath, atomically: true, encoding: .utf8)
        let v = try cbrestore(["--verify", root])
        XCTAssertEqual(v.status, 1)
        XCTAssertTrue(v.stdoutString.contains("3000 rows in the data files, the TOC says 3001"), v.stdoutString)

        // A TOC whose names are not identifiers (they would go into the COPY statement).
        root = try fresh(maker(segments: 2, compression: .none))
        let hostileTOC = try String(contentsOfFile: root + "/gpbackup_\(ts)_toc.yaml", encoding: .utf8)
        let hostile = hostileTOC.replacingOccurrences(of: "attributestring: '(id,v)'", with: "attributestring: '(id,v) FROM PROGRAM ''true''; --'")
        XCTAssertNotEqual(hostile, hostileTOC)
        try hostile.write(toFile: root + "/gpbackup_\(ts)_toc.yaml", atomically: true, encoding: .utf8)
        try expectFailure(root, "attributestring \"(id,v) FROM PROGRAM 'true'; --\" is not a list of identifiers")

        // Not a set at all; several sets in one directory.
        let empty = Self.fixture.workDir + "/not-a-set"
        try fm.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertEqual(try cbrestore(["-l", empty]).status, 1)
        var two = maker(segments: 2, compression: .gzip)
        root = try fresh(two)
        two.timestamp = "20240102030406"
        try two.make(cluster: cluster, db: "src", root: root)
        let several = try cbrestore(["-l", root])
        XCTAssertEqual(several.status, 1)
        XCTAssertTrue(several.stderrString.contains("holds several gpbackup sets"), several.stderrString)
    }
}
