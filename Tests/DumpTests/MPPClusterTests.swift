import Foundation
import PostgresClient
import TestSupport
import XCTest

/// Against a real Greenplum 7 / Cloudberry coordinator, named by CBDUMP_TEST_MPP (a libpq
/// conninfo, e.g. "host=127.0.0.1 port=7000 user=postgres"): each kind of MPP table is
/// created (Fixtures/mpp's schema among them), dumped with cbdump, restored into a second
/// database with cbrestore (and into PostgreSQL 15 with --no-gp-syntax), and its policy,
/// storage, objects and rows compared; the globals with queues and groups are replayed.
/// Skipped when CBDUMP_TEST_MPP is unset; once it is set, anything wrong fails (a missing
/// PostgreSQL 15 too). CBDUMP_TEST_MPP_BINDIR (optional) names the server's own client
/// programs, for byte comparisons with them.
final class MPPClusterTests: XCTestCase {
    func testDumpAndRestoreMPPTables() throws {
        let conninfo = try Self.coordinator()
        let admin = try Connection(dbname: conninfo)
        for db in ["cbdump_mpp_src", "cbdump_mpp_dst"] {
            try admin.execute("DROP DATABASE IF EXISTS \(db)")
            try admin.execute("CREATE DATABASE \(db)")
        }
        let src = try Connection(dbname: conninfo, database: "cbdump_mpp_src")
        try src.execute("""
            CREATE TABLE orders (id bigint NOT NULL, customer_id integer, note text) DISTRIBUTED BY (id);
            CREATE TABLE multi (a int, b int) DISTRIBUTED BY (a, b);
            CREATE TABLE rnd (a int) DISTRIBUTED RANDOMLY;
            CREATE TABLE dims (code text, label text) DISTRIBUTED REPLICATED;
            CREATE TABLE events_ao (id int, ts timestamp, payload text) WITH (appendoptimized=true, compresstype=zlib, compresslevel=5) DISTRIBUTED BY (id);
            CREATE TABLE metrics_co (id int, v float8 ENCODING (compresstype=zlib, compresslevel=1), tag text)
                WITH (appendoptimized=true, orientation=column, compresstype=zlib, compresslevel=3) DISTRIBUTED BY (id);
            CREATE TABLE sales (id int, sold date, amt numeric(10,2)) DISTRIBUTED BY (id) PARTITION BY RANGE (sold)
                (START (date '2024-01-01') INCLUSIVE END (date '2024-04-01') EXCLUSIVE EVERY (interval '1 month'));
            INSERT INTO orders SELECT g, g % 7, 'n' || g FROM generate_series(1, 100) g;
            INSERT INTO multi SELECT g, g FROM generate_series(1, 50) g;
            INSERT INTO rnd SELECT g FROM generate_series(1, 50) g;
            INSERT INTO dims VALUES ('a', 'A'), ('b', 'B');
            INSERT INTO events_ao SELECT g, now(), 'p' FROM generate_series(1, 100) g;
            INSERT INTO metrics_co SELECT g, g / 3.0, 't' FROM generate_series(1, 100) g;
            INSERT INTO sales SELECT g, date '2024-01-01' + (g % 90), g FROM generate_series(1, 300) g;
            """)
        let archive = NSTemporaryDirectory() + "cbdump-mpp-\(getpid()).dump"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let dump = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fc", "-f", archive, "-d", conninfo + " dbname=cbdump_mpp_src"])
        XCTAssertEqual(dump.status, 0, dump.stderrString)
        let restore = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--exit-on-error", "-d", conninfo + " dbname=cbdump_mpp_dst", archive])
        XCTAssertEqual(restore.status, 0, restore.stderrString)
        let facts = """
            SELECT c.relname, pg_catalog.pg_get_table_distributedby(c.oid), a.amname, coalesce(array_to_string(c.reloptions, ','), ''),
                   (SELECT coalesce(string_agg(e.attnum || ':' || array_to_string(e.attoptions, ','), ';' ORDER BY e.attnum), '')
                    FROM pg_catalog.pg_attribute_encoding e WHERE e.attrelid = c.oid)
            FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1
            """
        let dst = try Connection(dbname: conninfo, database: "cbdump_mpp_dst")
        XCTAssertEqual(try dst.execute(facts).rows, try src.execute(facts).rows)
        for t in ["orders", "multi", "rnd", "dims", "events_ao", "metrics_co", "sales"] {
            let q = "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM public.\(t) t"
            XCTAssertEqual(try dst.execute(q).rows, try src.execute(q).rows, t)
        }
    }
    /// External tables (readable with error logging, writable, web) and functions with
    /// EXECUTE ON: dumped, restored, and their catalog rows compared.
    func testExternalTablesAndFunctions() throws {
        let conninfo = try Self.coordinator()
        let admin = try Connection(dbname: conninfo)
        for db in ["cbdump_mpp_ext_src", "cbdump_mpp_ext_dst"] {
            try admin.execute("DROP DATABASE IF EXISTS \(db)")
            try admin.execute("CREATE DATABASE \(db)")
        }
        let src = try Connection(dbname: conninfo, database: "cbdump_mpp_ext_src")
        // The coordinator as the server's grammar names it (Greenplum 7.0-dev: MASTER).
        let coordinator = try src.execute("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_get_keywords() WHERE word = 'coordinator')").rows.first?.first == "t"
            ? "COORDINATOR" : "MASTER"
        try src.execute("CREATE FUNCTION f_coordinator() RETURNS SETOF int AS 'SELECT 1' LANGUAGE sql EXECUTE ON \(coordinator)")
        try src.execute("""
            CREATE EXTERNAL TABLE ext_r (a int, b text) LOCATION ('gpfdist://localhost:8080/in.txt')
                FORMAT 'TEXT' (DELIMITER '|') LOG ERRORS SEGMENT REJECT LIMIT 5 ROWS;
            CREATE WRITABLE EXTERNAL TABLE ext_w (a int, b text) LOCATION ('gpfdist://localhost:8080/out.txt')
                FORMAT 'CSV' DISTRIBUTED BY (a);
            CREATE EXTERNAL WEB TABLE ext_web (line text) EXECUTE 'echo hello' FORMAT 'TEXT';
            CREATE FUNCTION f_all_segments() RETURNS SETOF int AS 'SELECT 1' LANGUAGE sql EXECUTE ON ALL SEGMENTS;
            CREATE FUNCTION f_initplan() RETURNS SETOF int AS 'SELECT 1' LANGUAGE sql EXECUTE ON INITPLAN;
            """)
        let archive = NSTemporaryDirectory() + "cbdump-mpp-ext-\(getpid()).dump"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let dump = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fc", "-f", archive, "-d", conninfo + " dbname=cbdump_mpp_ext_src"])
        XCTAssertEqual(dump.status, 0, dump.stderrString)
        let restore = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--exit-on-error", "-d", conninfo + " dbname=cbdump_mpp_ext_dst", archive])
        XCTAssertEqual(restore.status, 0, restore.stderrString)
        let dst = try Connection(dbname: conninfo, database: "cbdump_mpp_ext_dst")
        for facts in [Self.externalTableFacts("public"),
            "SELECT proname, proexeclocation, prodataaccess FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
            "SELECT c.relname, pg_catalog.pg_get_table_distributedby(c.oid) FROM pg_class c WHERE c.relname = 'ext_w'",
        ] {
            XCTAssertEqual(try dst.execute(facts).rows, try src.execute(facts).rows, facts)
        }
        try assertSameFormatOptions(src, dst, schema: "public")
    }

    /// An external table's catalog row (pg_exttable) and its options, but for the order of
    /// its format options: pg_exttable.fmtopts prints the foreign table's options in the order
    /// they were stored, which is the grammar's (delimiter, null, escape) after CREATE
    /// EXTERNAL TABLE and the name order (delimiter, escape, null) after the CREATE FOREIGN
    /// TABLE ... OPTIONS that the server's own pg_dump writes (sorted by option_name) and
    /// cbdump with it. A restore with the server's own pg_dump and pg_restore reorders them
    /// just the same; the options are compared as sets (assertSameFormatOptions).
    static func externalTableFacts(_ schema: String) -> String {
        """
        SELECT c.relname, x.urilocation, x.execlocation, x.fmttype, x.command, x.rejectlimit, x.rejectlimittype, \
        x.logerrors, x.encoding, x.writable, (SELECT pg_catalog.array_agg(o ORDER BY o) FROM pg_catalog.unnest(ft.ftoptions) o) \
        FROM pg_catalog.pg_exttable x JOIN pg_catalog.pg_class c ON c.oid = x.reloid \
        JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = x.reloid \
        WHERE c.relnamespace = '\(schema)'::regnamespace ORDER BY 1
        """
    }

    /// pg_exttable.fmtopts of every external table of `schema`, as sets of (name, value).
    func assertSameFormatOptions(_ src: Connection, _ dst: Connection, schema: String,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let q = """
            SELECT c.relname, x.fmtopts FROM pg_catalog.pg_exttable x JOIN pg_catalog.pg_class c ON c.oid = x.reloid \
            WHERE c.relnamespace = '\(schema)'::regnamespace ORDER BY 1
            """
        func sets(_ c: Connection) throws -> [String: [String]] {
            var out: [String: [String]] = [:]
            for row in try c.execute(q).rows { out[row[0] ?? ""] = Self.formatOptionPairs(row[1] ?? "") }
            return out
        }
        let want = try sets(src)
        XCTAssertFalse(want.isEmpty, "no external tables in \(schema)", file: file, line: line)
        XCTAssertEqual(try sets(dst), want, "format options", file: file, line: line)
    }

    /// `delimiter '|' null '\N' escape '\'` as sorted `name=value` items (quotes doubled
    /// inside a value, as the server prints them).
    static func formatOptionPairs(_ s: String) -> [String] {
        var out: [String] = []
        var chars = Array(s)[...]
        while true {
            while chars.first == " " { chars.removeFirst() }
            guard !chars.isEmpty else { break }
            var name = ""
            while let ch = chars.first, ch != " " { name.append(ch); chars.removeFirst() }
            while chars.first == " " { chars.removeFirst() }
            var value = ""
            if chars.first == "'" {
                chars.removeFirst()
                while let ch = chars.first {
                    chars.removeFirst()
                    if ch == "'" {
                        if chars.first == "'" { value.append("'"); chars.removeFirst(); continue }
                        break
                    }
                    value.append(ch)
                }
            } else {
                while let ch = chars.first, ch != " " { value.append(ch); chars.removeFirst() }
            }
            out.append(name + "=" + value)
        }
        return out.sorted()
    }

    /// cbdumpall on the coordinator: resource queues and groups, the roles' clauses and time
    /// constraints are in the globals script with --gp-syntax and not without it; each group
    /// with the limits this server has (gp_toolkit.gp_resgroup_config's names: Greenplum
    /// 7.0-dev's cpu_rate_limit, memory_limit, ... or Cloudberry's cpu_max_percent, ...).
    /// The objects dropped and the script replayed with psql, no queue or group statement
    /// fails and a second script equals the first. With CBDUMP_TEST_MPP_BINDIR, the queue
    /// and group sections equal the server's own pg_dumpall's byte for byte.
    func testDumpAllResourceQueuesAndGroups() throws {
        let conninfo = try Self.coordinator()
        let admin = try Connection(dbname: conninfo)
        func drop() throws {
            try admin.execute("DROP ROLE IF EXISTS cbdump_mpp_role")
            if try !admin.execute("SELECT 1 FROM pg_catalog.pg_resqueue WHERE rsqname = 'cbdump_mpp_q'").rows.isEmpty {
                try admin.execute("DROP RESOURCE QUEUE cbdump_mpp_q")
            }
            if try !admin.execute("SELECT 1 FROM pg_catalog.pg_resgroup WHERE rsgname = 'cbdump_mpp_g'").rows.isEmpty {
                try admin.execute("DROP RESOURCE GROUP cbdump_mpp_g")
            }
        }
        try drop()
        defer { try? drop() }
        let limits = try admin.execute("SELECT * FROM gp_toolkit.gp_resgroup_config LIMIT 0").columns.filter { !["groupid", "groupname"].contains($0) }
        // A CPU-limited group, in this server's own terms.
        let cpuLimit = limits.contains("cpu_rate_limit") ? "cpu_rate_limit" : "cpu_max_percent"
        try admin.execute("CREATE RESOURCE QUEUE cbdump_mpp_q WITH (ACTIVE_STATEMENTS=3, PRIORITY=HIGH)")
        try admin.execute("CREATE RESOURCE GROUP cbdump_mpp_g WITH (CONCURRENCY=2, \(cpuLimit)=10\(limits.contains("memory_limit") ? ", MEMORY_LIMIT=5" : ""))")
        try admin.execute("CREATE ROLE cbdump_mpp_role LOGIN RESOURCE QUEUE cbdump_mpp_q CREATEEXTTABLE (type='readable', protocol='gpfdist')")
        try admin.execute("ALTER ROLE cbdump_mpp_role RESOURCE GROUP cbdump_mpp_g")
        try admin.execute("ALTER ROLE cbdump_mpp_role DENY BETWEEN DAY 'Monday' TIME '01:00' AND DAY 'Monday' TIME '02:00'")

        func globals(_ extra: [String]) throws -> String {
            let r = try ProcessRunner.run(ProcessRunner.product("cbdumpall"), ["-g", "--restrict-key", "k", "-d", conninfo] + extra)
            XCTAssertEqual(r.status, 0, r.stderrString)
            return r.stdoutString
        }
        let withGp = try globals(["--gp-syntax"])
        XCTAssertTrue(withGp.contains("CREATE RESOURCE QUEUE cbdump_mpp_q ACTIVE THRESHOLD 3"), withGp)
        XCTAssertTrue(withGp.contains("ALTER RESOURCE QUEUE pg_default"), withGp)
        XCTAssertTrue(withGp.contains(" RESOURCE QUEUE cbdump_mpp_q"), withGp)
        XCTAssertTrue(withGp.contains(" RESOURCE GROUP cbdump_mpp_g"), withGp)
        XCTAssertTrue(withGp.contains(" CREATEEXTTABLE (protocol='gpfdist', type='readable')"), withGp)
        XCTAssertTrue(withGp.contains("ALTER ROLE cbdump_mpp_role DENY BETWEEN DAY 1 TIME '01:00:00'"), withGp)
        XCTAssertTrue(withGp.contains("CREATE RESOURCE GROUP cbdump_mpp_g WITH (concurrency=2, \(cpuLimit)=10"), withGp)
        // Every limit the script sets is one this server has.
        for line in withGp.split(separator: "\n") where line.hasPrefix("ALTER RESOURCE GROUP ") || line.hasPrefix("CREATE RESOURCE GROUP ") {
            let named = line.hasPrefix("ALTER")
                ? [String(line.split(separator: " ")[5])]
                : line[line.firstIndex(of: "(")!...].dropFirst().dropLast(2).components(separatedBy: ", ").map { String($0.prefix { $0 != "=" }) }
            for limit in named { XCTAssertTrue(limits.contains(limit), "\(limit) in \(line), not among \(limits)") }
        }
        let plain = try globals([])
        XCTAssertFalse(plain.contains("RESOURCE QUEUE"), plain)
        XCTAssertTrue(plain.contains(" CREATEEXTTABLE (protocol='gpfdist', type='readable')"), plain)

        if let pgDumpall = Self.serverTool("pg_dumpall") {
            let theirs = try ProcessRunner.run(pgDumpall.path, ["-g", "--resource-queues", "--resource-groups", "-d", conninfo],
                                               environment: pgDumpall.environment).check().stdoutString
            for heading in ["Resource Queues", "Resource Group"] {
                XCTAssertEqual(Self.section(heading, of: withGp), Self.section(heading, of: theirs), heading)
                XCTAssertNotNil(Self.section(heading, of: theirs), heading)
            }
        }

        try drop()
        let script = NSTemporaryDirectory() + "cbdumpall-mpp-\(getpid()).sql"
        defer { try? FileManager.default.removeItem(atPath: script) }
        try Data(withGp.utf8).write(to: URL(fileURLWithPath: script))
        // Existing roles and pg_default make some statements fail, as with pg_dumpall's output;
        // no queue or group statement may.
        let replay = try ProcessRunner.run("psql", ["-X", "-q", "-d", conninfo, "-f", script])
        let lines = withGp.components(separatedBy: "\n")
        for error in replay.stderrString.split(separator: "\n") where error.contains("ERROR:") {
            // psql:<file>:<line>: ERROR: ...
            let parts = error.split(separator: ":")
            guard parts.count > 2, let n = Int(parts[2]), n >= 1, n <= lines.count else { continue }
            XCTAssertFalse(lines[n - 1].contains("RESOURCE"), "\(lines[n - 1]): \(error)")
        }
        XCTAssertEqual(try globals(["--gp-syntax"]), withGp)
    }

    /// Fixtures/mpp's schema (every table kind of issue 17: hash on one and two keys,
    /// random, replicated, AO row zlib, AOCO zstd with per-column ENCODING, range partitions
    /// with a default, list partitions, a subpartition template, AOCO partitions, external
    /// web/readable/writable tables, EXECUTE ON functions, a view, an index, an enum, a
    /// sequence, a comment, a grant) through cbdump -Fc and cbrestore -d: every relation's
    /// distribution, storage, encodings and partition bound, every table's rows (once: no
    /// partitioned root's rows twice), and the other objects equal the source's.
    func testFixtureSchemaRoundTrip() throws {
        let conninfo = try Self.coordinator()
        let src = try Self.loadFixture(conninfo, into: "cbdump_mpp_fix_src")
        let dst = try Self.freshDatabase(conninfo, "cbdump_mpp_fix_dst")
        let archive = NSTemporaryDirectory() + "cbdump-mpp-fix-\(getpid()).dump"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let dump = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fc", "-f", archive, "-d", conninfo + " dbname=cbdump_mpp_fix_src"])
        XCTAssertEqual(dump.status, 0, dump.stderrString)
        XCTAssertEqual(dump.stderrString, "")
        let restore = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--exit-on-error", "-d", conninfo + " dbname=cbdump_mpp_fix_dst", archive])
        XCTAssertEqual(restore.status, 0, restore.stderrString)

        let relations = """
            SELECT c.relname, c.relkind, pg_catalog.pg_get_table_distributedby(c.oid), coalesce(a.amname, ''),
                   coalesce(pg_catalog.array_to_string(c.reloptions, ','), ''),
                   (SELECT coalesce(pg_catalog.string_agg(e.attnum || ':' || pg_catalog.array_to_string(e.attoptions, ','), ';' ORDER BY e.attnum), '')
                    FROM pg_catalog.pg_attribute_encoding e WHERE e.attrelid = c.oid),
                   coalesce(pg_catalog.pg_get_expr(c.relpartbound, c.oid), ''),
                   (SELECT count(*) FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid),
                   coalesce((SELECT pg_catalog.pg_get_partkeydef(c.oid) WHERE c.relkind = 'p'), ''),
                   coalesce(pg_catalog.array_to_string(c.relacl, ','), ''), coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '')
            FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_am a ON a.oid = c.relam
            WHERE c.relnamespace = 'sales'::regnamespace ORDER BY 1
            """
        let want = try src.execute(relations).rows
        XCTAssertEqual(try dst.execute(relations).rows, want)
        XCTAssertGreaterThanOrEqual(want.count, 30, "relations of the fixture")
        try assertSameRows(src, dst, tables: try Self.tables(src))
        for q in [Self.externalTableFacts("sales"),
                  "SELECT proname, proexeclocation, prodataaccess, prosrc FROM pg_catalog.pg_proc WHERE pronamespace = 'sales'::regnamespace ORDER BY 1",
                  "SELECT pg_catalog.pg_get_viewdef('sales.v_totals'::regclass)",
                  "SELECT indexrelid::regclass::text, pg_catalog.pg_get_indexdef(indexrelid) FROM pg_catalog.pg_index WHERE indrelid = 'sales.orders'::regclass ORDER BY 1",
                  "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = 'sales.mood'::regtype ORDER BY enumsortorder",
                  "SELECT last_value, is_called FROM sales.s1"] {
            XCTAssertEqual(try dst.execute(q).rows, try src.execute(q).rows, q)
        }
        try assertSameFormatOptions(src, dst, schema: "sales")
    }

    /// cbdump's plain script of Fixtures/mpp's schema against the one the fixture's server
    /// wrote with its own pg_dump (mpp_fixture.gp7.plain.sql), entry by entry: external
    /// tables, functions (EXECUTE ON as that grammar spells it), views, indexes, types,
    /// sequences, ACLs equal; tables too but for cloudberry.md's two differences (cbdump
    /// writes AO storage out, and each ATTACH PARTITION as a TABLE ATTACH entry of its own,
    /// as upstream pg_dump 14+ does); table data is left out (rows come in segment order).
    /// Only on a server that spells things as the fixture's did (Greenplum 7.0-dev).
    func testFixtureSchemaAsTheServersPgDumpWritesIt() throws {
        let conninfo = try Self.coordinator()
        let src = try Self.loadFixture(conninfo, into: "cbdump_mpp_fix_plain")
        guard try !Self.coordinatorIsKeyword(src) else {
            throw XCTSkip("this server says COORDINATOR: the fixture's script is Greenplum 7.0-dev's")
        }
        let user = try src.execute("SELECT current_user").rows[0][0] ?? ""
        guard let root = ProcessRunner.repositoryRoot else { throw TestSupportError.other("repository root not found") }
        let recorded = try String(contentsOfFile: root + "/Fixtures/mpp/mpp_fixture.gp7.plain.sql", encoding: .utf8)
            .replacingOccurrences(of: "; Owner: root\n", with: "; Owner: \(user)\n")
            .replacingOccurrences(of: " OWNER TO root;\n", with: " OWNER TO \(user);\n")
        let r = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fp", "-d", conninfo + " dbname=cbdump_mpp_fix_plain"])
        XCTAssertEqual(r.status, 0, r.stderrString)
        var theirs = Self.scriptEntries(recorded)
        var ours = Self.scriptEntries(r.stdoutString)
        // Partitions: ALTER TABLE ONLY ... ATTACH PARTITION inside the table's entry there,
        // a TABLE ATTACH entry of its own here.
        var theirAttach: [String] = []
        for (key, body) in theirs where key.contains("; Type: TABLE;") {
            let lines = body.components(separatedBy: "\n")
            theirAttach += lines.filter { $0.contains(" ATTACH PARTITION ") }
            theirs[key] = lines.filter { !$0.contains(" ATTACH PARTITION ") }.joined(separator: "\n")
        }
        let ourAttach = ours.filter { $0.key.contains("; Type: TABLE ATTACH;") }
            .flatMap { $0.value.components(separatedBy: "\n") }.filter { !$0.isEmpty }
        XCTAssertEqual(ourAttach.sorted(), theirAttach.sorted(), "ATTACH PARTITION statements")
        XCTAssertEqual(theirAttach.count, 14)
        // Comments: Greenplum 7's pg_dump names the entry "TABLE sales.orders " (compared by text).
        let comments = { (e: [String: String]) in e.filter { $0.key.contains("; Type: COMMENT;") }.map(\.value).sorted() }
        XCTAssertEqual(comments(ours), comments(theirs))
        XCTAssertEqual(comments(ours).count, 1)
        for (key, body) in ours where key.contains("; Type: TABLE;") {
            ours[key] = body.replacingOccurrences(of: "\nWITH (appendonly = true, orientation = column)", with: "")
                .replacingOccurrences(of: "\nWITH (appendonly = true)", with: "")
                .replacingOccurrences(of: "WITH (appendonly = true, orientation = column, ", with: "WITH (")
                .replacingOccurrences(of: "WITH (appendonly = true, ", with: "WITH (")
        }
        func compared(_ e: [String: String]) -> [String: String] {
            e.filter { ($0.key.contains("; Schema: sales;") || $0.key.hasPrefix("Name: sales; Type: SCHEMA;") || $0.key.contains("; Schema: pg_catalog;"))
                && !$0.key.contains("; Type: COMMENT;") && !$0.key.contains("; Type: TABLE ATTACH;") }
        }
        let mine = compared(ours), recordedEntries = compared(theirs)
        XCTAssertEqual(mine.keys.sorted(), recordedEntries.keys.sorted())
        for key in recordedEntries.keys.sorted() where mine[key] != nil {
            XCTAssertEqual(mine[key], recordedEntries[key], key)
        }
        for kind in ["FOREIGN TABLE", "FUNCTION", "TABLE", "VIEW", "INDEX", "TYPE", "SEQUENCE", "ACL"] {
            XCTAssertTrue(recordedEntries.keys.contains { $0.contains("; Type: \(kind);") }, "no \(kind) compared")
        }
    }

    /// Fixtures/mpp's schema from the coordinator into PostgreSQL 15: cbdump -Fc, then
    /// cbrestore --no-gp-syntax -d with no error (no MPP clause, no external table, no
    /// GRANT on a pg_catalog.gp_* view left), and every table's rows equal the source's.
    func testFixtureSchemaIntoPostgreSQL15WithNoGpSyntax() throws {
        let conninfo = try Self.coordinator()
        let src = try Self.loadFixture(conninfo, into: "cbdump_mpp_fix_pg")
        let archive = NSTemporaryDirectory() + "cbdump-mpp-fix-pg-\(getpid()).dump"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let dump = try ProcessRunner.run(ProcessRunner.product("cbdump"), ["-Fc", "-f", archive, "-d", conninfo + " dbname=cbdump_mpp_fix_pg"])
        XCTAssertEqual(dump.status, 0, dump.stderrString)
        // CBDUMP_TEST_MPP is set: a PostgreSQL 15 that cannot start is a failure here.
        let cluster = try TestCluster(major: 15)
        defer { cluster.stop() }
        try cluster.createDatabase("mpp_fixture")
        let user = try src.execute("SELECT current_user").rows[0][0] ?? ""
        if user != "postgres" { try cluster.psql("CREATE ROLE \(TestCluster.quoteIdent(user))") }
        let restore = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--no-gp-syntax"] + cluster.connectionArgs(db: "mpp_fixture") + [archive])
        XCTAssertEqual(restore.status, 0, restore.stderrString)
        XCTAssertFalse(restore.stderrString.contains("error"), restore.stderrString)
        for ext in ["ext_r", "ext_w", "ext_web"] {
            XCTAssertTrue(restore.stderrString.contains("skipping FOREIGN TABLE \(ext): it exists only on Greenplum and Cloudberry"), restore.stderrString)
        }
        let dst = try Connection(dbname: cluster.conninfo(db: "mpp_fixture"))
        let tables = try Self.tables(src)
        XCTAssertEqual(tables.count, 26)
        try assertSameRows(src, dst, tables: tables)
        for q in ["SELECT proname FROM pg_catalog.pg_proc WHERE pronamespace = 'sales'::regnamespace ORDER BY 1",
                  "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = 'sales.mood'::regtype ORDER BY enumsortorder",
                  "SELECT count(*) FROM sales.v_totals",
                  "SELECT indexrelid::regclass::text FROM pg_catalog.pg_index WHERE indrelid = 'sales.orders'::regclass ORDER BY 1",
                  "SELECT last_value, is_called FROM sales.s1"] {
            XCTAssertEqual(try dst.execute(q).rows, try src.execute(q).rows, q)
        }
    }

    /// Per table: the number of rows and an md5 of them all, in text order.
    func assertSameRows(_ src: Connection, _ dst: Connection, tables: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        for c in [src, dst] { try c.execute("SET TimeZone = 'UTC'") }
        var rows = 0
        for t in tables {
            let q = "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM sales.\(t) t"
            let want = try src.execute(q).rows
            rows += Int(want.first?.first.flatMap { $0 } ?? "") ?? 0
            XCTAssertEqual(try dst.execute(q).rows, want, t, file: file, line: line)
        }
        XCTAssertGreaterThan(rows, 0, "no rows compared", file: file, line: line)
    }

    // MARK: - Helpers

    /// CBDUMP_TEST_MPP (a libpq conninfo of an MPP coordinator), or a skip. Once it is set,
    /// anything wrong is a failure, not a skip.
    static func coordinator() throws -> String {
        guard let conninfo = ProcessInfo.processInfo.environment["CBDUMP_TEST_MPP"], !conninfo.isEmpty else {
            print("MPPClusterTests: CBDUMP_TEST_MPP is not set (a conninfo of an MPP coordinator): skipped")
            throw XCTSkip("CBDUMP_TEST_MPP is not set: no MPP coordinator to test against")
        }
        let info = try Connection(dbname: conninfo).detectServer()
        guard info.isMPP else { throw TestSupportError.other("CBDUMP_TEST_MPP does not name a Greenplum/Cloudberry server") }
        return conninfo
    }

    /// One of the server's own client programs, from CBDUMP_TEST_MPP_BINDIR (optional: the
    /// comparisons with them are left out without it), with its libraries beside it.
    static func serverTool(_ name: String) -> (path: String, environment: [String: String])? {
        guard let dir = ProcessInfo.processInfo.environment["CBDUMP_TEST_MPP_BINDIR"], !dir.isEmpty else { return nil }
        let lib = (dir as NSString).deletingLastPathComponent + "/lib"
        let old = ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"].map { ":" + $0 } ?? ""
        return (dir + "/" + name, ["LD_LIBRARY_PATH": lib + old])
    }

    /// A database made afresh on the coordinator.
    static func freshDatabase(_ conninfo: String, _ name: String) throws -> Connection {
        let admin = try Connection(dbname: conninfo)
        try admin.execute("DROP DATABASE IF EXISTS \(name)")
        try admin.execute("CREATE DATABASE \(name)")
        return try Connection(dbname: conninfo, database: name)
    }

    /// Whether the server's grammar has the keyword coordinator (else: master).
    static func coordinatorIsKeyword(_ c: Connection) throws -> Bool {
        try c.execute("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_get_keywords() WHERE word = 'coordinator')").rows.first?.first == "t"
    }

    /// A fresh database loaded with Fixtures/mpp/mpp_fixture.create.sql, its `on master`
    /// spelled `on coordinator` where the grammar wants that.
    static func loadFixture(_ conninfo: String, into name: String) throws -> Connection {
        guard let root = ProcessRunner.repositoryRoot else { throw TestSupportError.other("repository root not found") }
        var sql = try String(contentsOfFile: root + "/Fixtures/mpp/mpp_fixture.create.sql", encoding: .utf8)
        let db = try freshDatabase(conninfo, name)
        if try coordinatorIsKeyword(db) { sql = sql.replacingOccurrences(of: " on master", with: " on coordinator") }
        try db.execute(sql)
        return db
    }

    /// The tables of schema sales (partitioned ones and partitions too; no external table).
    static func tables(_ c: Connection) throws -> [String] {
        try c.execute("SELECT relname FROM pg_catalog.pg_class WHERE relnamespace = 'sales'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1")
            .rows.map { $0[0] ?? "" }
    }

    /// A plain script's entries, by their header (`Name: ...; Type: ...; Schema: ...; Owner:
    /// ...`): the text after it up to the next entry, without blank lines, the SET
    /// default_table_access_method lines between entries and the closing `\unrestrict`.
    /// Table data entries ("Data for Name: ...") are left out.
    static func scriptEntries(_ script: String) -> [String: String] {
        var out: [String: String] = [:]
        for chunk in script.components(separatedBy: "\n--\n-- ").dropFirst() {
            guard chunk.hasPrefix("Name: "), let end = chunk.range(of: "\n--\n") else { continue }
            let body = chunk[end.upperBound...].components(separatedBy: "\n")
                .filter { !$0.isEmpty && !$0.hasPrefix("SET default_table_access_method = ") && !$0.hasPrefix("\\unrestrict ") }
            out[String(chunk[..<end.lowerBound])] = body.joined(separator: "\n")
        }
        return out
    }

    /// A globals script's section: its statements after `--\n-- heading\n--\n\n`, to the
    /// first blank line.
    static func section(_ heading: String, of script: String) -> String? {
        guard let start = script.range(of: "--\n-- \(heading)\n--\n\n") else { return nil }
        let rest = script[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n\n")?.upperBound ?? rest.endIndex)])
    }
}
