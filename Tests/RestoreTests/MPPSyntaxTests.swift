import Archive
import Foundation
import TestSupport
import XCTest
@testable import Restore

/// The MPP archive's examples (cloudberry.md §7) as an archive built by hand with our
/// writer, and restored with and without --no-gp-syntax.
enum MPPExampleArchive {
    struct Item { let desc: String; let tag: String; let defn: String; var tableam: String? = nil
                  var section: Section = .preData; var copy: String? = nil; var data: String? = nil; var deps: [Int32] = []
                  var drop: String = "" }

    static let ddl: [Item] = [
        Item(desc: "ENCODING", tag: "ENCODING", defn: "SET client_encoding = 'UTF8';\n"),
        Item(desc: "STDSTRINGS", tag: "STDSTRINGS", defn: "SET standard_conforming_strings = 'on';\n"),
        Item(desc: "SEARCHPATH", tag: "SEARCHPATH", defn: "SELECT pg_catalog.set_config('search_path', '', false);\n"),
        Item(desc: "TYPE", tag: "mood", defn: "CREATE TYPE public.mood AS ENUM (\n    'sad',\n    'ok'\n);\n"),
        Item(desc: "TYPE STORAGE OPTIONS", tag: "mood", defn: "ALTER TYPE public.mood SET DEFAULT ENCODING (compresstype=zlib, compresslevel=2, blocksize=32768);\n", deps: [4]),
        Item(desc: "FUNCTION", tag: "f_seg()", defn: "CREATE FUNCTION public.f_seg() RETURNS SETOF integer\n    LANGUAGE sql CONTAINS SQL EXECUTE ON ALL SEGMENTS\n    AS $$ SELECT 1 $$;\n"),
        Item(desc: "PROTOCOL", tag: "myprot", defn: "-- Set the search_path required to look up the functions\nSET search_path = public;\n\nCREATE TRUSTED PROTOCOL myprot ( readfunc = 'f_seg');\n", deps: [6]),
        Item(desc: "TABLE", tag: "orders", defn: "CREATE TABLE public.orders (\n    id bigint NOT NULL,\n    customer_id integer,\n    note text\n) DISTRIBUTED BY (id);\n", tableam: "heap"),
        Item(desc: "TABLE", tag: "dims", defn: "CREATE TABLE public.dims (\n    code text,\n    label text\n) DISTRIBUTED REPLICATED;\n", tableam: "heap"),
        Item(desc: "TABLE", tag: "events_ao", defn: "CREATE TABLE public.events_ao (\n    id integer,\n    ts timestamp without time zone,\n    payload text\n)\nWITH (appendonly = true, compresstype=zlib, compresslevel='5') DISTRIBUTED BY (id);\n", tableam: "ao_row"),
        Item(desc: "TABLE", tag: "metrics_co", defn: "CREATE TABLE public.metrics_co (\n    id integer,\n    v double precision,\n    tag text,\n    COLUMN id ENCODING (compresstype=zlib,compresslevel=3,blocksize=32768),\n    COLUMN v ENCODING (compresstype=zlib,compresslevel=1,blocksize=32768),\n    COLUMN tag ENCODING (compresstype=zlib,compresslevel=3,blocksize=32768)\n)\nWITH (appendonly = true, orientation = column, compresstype=zlib, compresslevel='3') DISTRIBUTED BY (id);\n", tableam: "ao_column"),
        Item(desc: "TABLE", tag: "sales", defn: "CREATE TABLE public.sales (\n    id integer,\n    sold date,\n    amt numeric(10,2)\n)\nPARTITION BY RANGE (sold) DISTRIBUTED BY (id);\n"),
        Item(desc: "TABLE", tag: "sales_1_prt_1", defn: "CREATE TABLE public.sales_1_prt_1 (\n    id integer,\n    sold date,\n    amt numeric(10,2)\n) DISTRIBUTED BY (id);\n", tableam: "heap"),
        Item(desc: "TABLE ATTACH", tag: "sales_1_prt_1", defn: "ALTER TABLE ONLY public.sales ATTACH PARTITION public.sales_1_prt_1 FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');\n", deps: [12, 13]),
        Item(desc: "FOREIGN TABLE", tag: "ext_r", defn: "CREATE FOREIGN TABLE public.ext_r (\n    a integer,\n    b text\n)\nSERVER gp_exttable_server\nOPTIONS (\n    delimiter ',',\n    format 'csv',\n    location_uris 'gpfdist://localhost:8081/data.csv'\n);\n"),
        Item(desc: "COMMENT", tag: "FOREIGN TABLE ext_r", defn: "COMMENT ON FOREIGN TABLE public.ext_r IS 'external';\n", section: .none, deps: [15]),
        Item(desc: "TABLE DATA", tag: "orders", defn: "", section: .data, copy: "COPY public.orders (id, customer_id, note) FROM stdin;\n", data: "1\t10\tfirst\n2\t20\t\\N\n3\t30\tthird\n\\.\n\n", deps: [8]),
        Item(desc: "TABLE DATA", tag: "events_ao", defn: "", section: .data, copy: "COPY public.events_ao (id, ts, payload) FROM stdin;\n", data: "1\t2024-01-02 03:04:05\tx\n2\t2024-01-03 00:00:00\ty\n\\.\n\n", deps: [10]),
        Item(desc: "TABLE DATA", tag: "metrics_co", defn: "", section: .data, copy: "COPY public.metrics_co (id, v, tag) FROM stdin;\n", data: "1\t1.5\ta\n\\.\n\n", deps: [11]),
        Item(desc: "TABLE DATA", tag: "sales_1_prt_1", defn: "", section: .data, copy: "COPY public.sales_1_prt_1 (id, sold, amt) FROM stdin;\n", data: "1\t2024-01-05\t9.99\n2\t2024-01-06\t1.00\n\\.\n\n", deps: [13]),
    ]

    /// Writes the custom-format archive, as Cloudberry's pg_dump would (PG 14.4 kernel).
    static func write(to path: String) throws {
        var o = ArchiveWriteOptions()
        o.compression = .none
        o.compressionLevel = 0
        o.dbname = "mpp"
        o.serverVersion = "14.4"
        o.dumpVersion = "14.4"
        var dumpers: [Int32: DataDumper] = [:]
        var entries: [TocEntry] = []
        for (i, it) in ddl.enumerated() {
            let te = TocEntry(dumpId: Int32(i + 1))
            te.tag = Array(it.tag.utf8); te.desc = it.desc; te.section = it.section
            te.defn = Array(it.defn.utf8); te.dropStmt = Array(it.drop.utf8)
            te.namespace = ["ENCODING", "STDSTRINGS", "SEARCHPATH", "PROTOCOL"].contains(it.desc) ? nil : Array("public".utf8)
            te.owner = ["ENCODING", "STDSTRINGS", "SEARCHPATH"].contains(it.desc) ? nil : Array("postgres".utf8)
            te.tableam = it.tableam.map { Array($0.utf8) }
            te.relkind = it.desc == "TABLE" ? Int32(it.tag == "sales" ? 0x70 : 0x72) : 0
            te.dependencies = it.deps
            if let copy = it.copy, let data = it.data {
                te.copyStmt = Array(copy.utf8)
                te.hadDumper = true
                te.dataState = .posNotSet
                dumpers[te.dumpId] = { stream in
                    try Array(data.utf8).withUnsafeBytes { try stream.write($0) }
                }
            }
            entries.append(te)
        }
        FileManager.default.createFile(atPath: path, contents: nil)
        let h = FileHandle(forWritingAtPath: path)!
        defer { h.closeFile() }
        try CustomArchiveWriter(fileDescriptor: h.fileDescriptor, options: o).write(entries: entries, dumpers: dumpers)
    }
}

final class MPPSyntaxTests: XCTestCase {
    func strip(_ s: String, _ desc: String = "TABLE") -> String {
        String(decoding: MPPSyntax.strip(Array(s.utf8), desc: desc), as: UTF8.self)
    }

    func testStripsTheExamplesToPostgreSQL() {
        let items = MPPExampleArchive.ddl
        XCTAssertEqual(strip(items[7].defn), "CREATE TABLE public.orders (\n    id bigint NOT NULL,\n    customer_id integer,\n    note text\n);\n")
        XCTAssertEqual(strip(items[8].defn), "CREATE TABLE public.dims (\n    code text,\n    label text\n);\n")
        XCTAssertEqual(strip(items[9].defn), "CREATE TABLE public.events_ao (\n    id integer,\n    ts timestamp without time zone,\n    payload text\n);\n")
        XCTAssertEqual(strip(items[10].defn), "CREATE TABLE public.metrics_co (\n    id integer,\n    v double precision,\n    tag text\n);\n")
        XCTAssertEqual(strip(items[11].defn), "CREATE TABLE public.sales (\n    id integer,\n    sold date,\n    amt numeric(10,2)\n)\nPARTITION BY RANGE (sold);\n")
        XCTAssertEqual(strip(items[5].defn, "FUNCTION"), "CREATE FUNCTION public.f_seg() RETURNS SETOF integer\n    LANGUAGE sql\n    AS $$ SELECT 1 $$;\n")
    }

    /// gpbackup's roles: the options PostgreSQL lacks go, the DENY statements whole; a role
    /// or queue whose name looks like a keyword, and quoted names, are left as they are.
    func testStripsRoleOptions() {
        XCTAssertEqual(strip("CREATE ROLE r;\nALTER ROLE r WITH NOSUPERUSER LOGIN CONNECTION LIMIT 4 RESOURCE QUEUE \"Q q\" RESOURCE GROUP g1 CREATEEXTTABLE (protocol='http') NOCREATEEXTTABLE (protocol='gpfdist', type='writable') CREATEEXTTABLE PASSWORD 'RESOURCE QUEUE x';\n", "ROLE"),
                       "CREATE ROLE r;\nALTER ROLE r WITH NOSUPERUSER LOGIN CONNECTION LIMIT 4 PASSWORD 'RESOURCE QUEUE x';\n")
        XCTAssertEqual(strip("ALTER ROLE \"resource queue\" DENY BETWEEN DAY 0 TIME '00:00:00' AND DAY 1 TIME '00:00:00';\nCOMMENT ON ROLE \"resource queue\" IS 'DENY';\n", "ROLE"),
                       "COMMENT ON ROLE \"resource queue\" IS 'DENY';\n")
        XCTAssertEqual(strip("ALTER ROLE r DENY DAY 'Monday';\n", "ROLE"), "")
        let keep = "CREATE ROLE resource;\nALTER ROLE resource WITH LOGIN;\n"
        XCTAssertEqual(strip(keep, "ROLE"), keep)
        // Only in ROLE entries: a table's text is not a role's.
        let table = "CREATE TABLE t (\n    a integer\n);\n"
        XCTAssertEqual(strip(table, "ROLE"), table)
    }

    func testKeepsWhatIsNotMPP() {
        // Heap options stay; only the MPP ones go.
        XCTAssertEqual(strip("CREATE TABLE t (\n    a integer\n)\nWITH (fillfactor='70', compresstype=zlib) DISTRIBUTED RANDOMLY;\n"),
                       "CREATE TABLE t (\n    a integer\n)\nWITH (fillfactor='70');\n")
        // Strings, quoted names, bodies and deeper parentheses are left alone.
        let tricky = "CREATE TABLE \"DISTRIBUTED BY (x)\" (\n    \"COLUMN a ENCODING (z)\" text DEFAULT ' DISTRIBUTED RANDOMLY',\n    CONSTRAINT c CHECK ((length(\"COLUMN a ENCODING (z)\") > 0))\n);\n"
        XCTAssertEqual(strip(tricky), tricky)
        let body = "CREATE FUNCTION f() RETURNS text\n    LANGUAGE sql\n    AS $_$ SELECT 'CONTAINS SQL EXECUTE ON ALL SEGMENTS' $_$;\n"
        XCTAssertEqual(strip(body, "FUNCTION"), body)
        XCTAssertEqual(strip("SET gp_default_storage_options = '';\nCREATE TABLE t (\n    a integer\n);\n"), "CREATE TABLE t (\n    a integer\n);\n")
        XCTAssertEqual(strip("CREATE TABLE t (\n    a integer,\n    COLUMN a ENCODING (compresstype=zlib)\n)\nWITH (appendonly = true);\n"),
                       "CREATE TABLE t (\n    a integer\n);\n")
        XCTAssertEqual(strip("CREATE INCREMENTAL MATERIALIZED VIEW public.mv AS\n SELECT 1 AS x\n  WITH NO DATA DISTRIBUTED BY (x);\n", "MATERIALIZED VIEW"),
                       "CREATE MATERIALIZED VIEW public.mv AS\n SELECT 1 AS x\n  WITH NO DATA;\n")
        XCTAssertEqual(strip("CREATE FUNCTION public.tf() RETURNS SETOF record\n    LANGUAGE c NO SQL EXECUTE ON COORDINATOR\n    AS 'lib', 'tf' WITH (describe = public.tf_describe);\n", "FUNCTION"),
                       "CREATE FUNCTION public.tf() RETURNS SETOF record\n    LANGUAGE c\n    AS 'lib', 'tf';\n")
        // Greenplum 7.0-dev's spelling (Fixtures/mpp), from its pg_dump and from cbdump.
        XCTAssertEqual(strip("CREATE FUNCTION sales.f_master() RETURNS SETOF integer\n    LANGUAGE sql CONTAINS SQL EXECUTE ON MASTER\n    AS $$select 1$$;\n", "FUNCTION"),
                       "CREATE FUNCTION sales.f_master() RETURNS SETOF integer\n    LANGUAGE sql\n    AS $$select 1$$;\n")
    }

    func testMPPArchiveDetection() {
        func te(_ desc: String, _ defn: String, am: String? = nil) -> TocEntry {
            let t = TocEntry(dumpId: 1); t.desc = desc; t.defn = Array(defn.utf8); t.tableam = am.map { Array($0.utf8) }; return t
        }
        XCTAssertTrue(MPPSyntax.isMPPArchive([te("TABLE", "CREATE TABLE t (\n    a integer\n) DISTRIBUTED BY (a);\n")]))
        XCTAssertTrue(MPPSyntax.isMPPArchive([te("TABLE", "CREATE TABLE t (\n    a integer\n);\n", am: "ao_row")]))
        XCTAssertTrue(MPPSyntax.isMPPArchive([te("PROTOCOL", "CREATE PROTOCOL p ( readfunc = 'f');\n")]))
        // A PostgreSQL table named "distributed" is not MPP.
        XCTAssertFalse(MPPSyntax.isMPPArchive([te("TABLE", "CREATE TABLE public.distributed (\n    randomly integer\n);\n", am: "heap")]))
        XCTAssertFalse(MPPSyntax.isMPPArchive([te("TABLE", "CREATE TABLE public.t (\n    note text DEFAULT 'DISTRIBUTED BY (x)'\n);\n")]))
    }

    /// The forks' own catalog views come with GRANTs in their pg_dump (Fixtures/mpp: four
    /// `GRANT SELECT ON TABLE pg_catalog.gp_* TO PUBLIC`); PostgreSQL has none of them.
    func testCatalogViewACLsAreMPPOnly() {
        func te(_ desc: String, _ namespace: String?, _ tag: String) -> TocEntry {
            let t = TocEntry(dumpId: 1); t.desc = desc; t.namespace = namespace.map { Array($0.utf8) }; t.tag = Array(tag.utf8); return t
        }
        XCTAssertTrue(MPPSyntax.isMPPOnly(te("ACL", "pg_catalog", "TABLE gp_pgdatabase")))
        XCTAssertTrue(MPPSyntax.isMPPOnly(te("ACL", "pg_catalog", "TABLE gp_distributed_log")))
        XCTAssertTrue(MPPSyntax.isMPPOnly(te("COMMENT", "pg_catalog", "VIEW gp_segment_configuration")))
        XCTAssertTrue(MPPSyntax.isMPPOnly(te("ACL", "pg_catalog", "FUNCTION gp_dist_random(text)")))
        XCTAssertTrue(MPPSyntax.isMPPOnly(te("ACL", "pg_catalog", "TABLE __gp_log_segment_ext")))
        // PostgreSQL's own catalog objects, and users' objects named gp_*, stay.
        XCTAssertFalse(MPPSyntax.isMPPOnly(te("ACL", "pg_catalog", "FUNCTION pg_sleep(double precision)")))
        XCTAssertFalse(MPPSyntax.isMPPOnly(te("ACL", "pg_catalog", "TABLE pg_class")))
        XCTAssertFalse(MPPSyntax.isMPPOnly(te("ACL", "public", "TABLE gp_mine")))
        XCTAssertFalse(MPPSyntax.isMPPOnly(te("COMMENT", "sales", "TABLE gp_notes")))
        XCTAssertFalse(MPPSyntax.isMPPOnly(te("ACL", nil, "SCHEMA gp_stuff")))
        XCTAssertFalse(MPPSyntax.isMPPOnly(te("TABLE", "pg_catalog", "gp_pgdatabase")))
    }

    /// The Greenplum 7 coordinator's own archive (Fixtures/mpp) as a script for PostgreSQL:
    /// no MPP clause, no external table, no GRANT on a pg_catalog.gp_* view is left.
    func testGreenplum7ArchiveScriptWithNoGpSyntax() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let path = root + "/Fixtures/mpp/mpp_fixture.gp7.dump"
        let r = try cbrestore(["--restrict-key=K", "--no-gp-syntax", "-f", "-", path])
        XCTAssertEqual(r.status, 0, r.stderrString)
        let s = r.stdoutString
        for clause in ["DISTRIBUTED", "ENCODING (", "compresstype", "gp_default_storage_options", "ao_row", "ao_column",
                       "EXECUTE ON", "CONTAINS SQL", "gp_exttable_server", "pg_catalog.gp_", "gp_pgdatabase"] {
            XCTAssertFalse(s.contains(clause), "left in: \(clause)")
        }
        for view in ["gp_pgdatabase", "gp_distributed_log", "gp_distributed_xacts", "gp_transaction_log"] {
            XCTAssertTrue(r.stderrString.contains("skipping ACL TABLE \(view): it exists only on Greenplum and Cloudberry"), r.stderrString)
        }
        XCTAssertTrue(s.contains("CREATE TABLE sales.m_co (\n    id integer,\n    v double precision,\n    tag text\n);\n"), s)
        XCTAssertTrue(s.contains("GRANT SELECT ON TABLE sales.orders TO PUBLIC;"))
    }

    /// That archive restored into PostgreSQL 15 with --no-gp-syntax: no error (the GRANTs on
    /// the gp_* views were four), every table there with its rows. The fork's pg_dump wrote
    /// a partitioned table's rows once per level (root, sub-partitions, leaves), so those
    /// have theirs twice (sub_part: three times), as with the fork's own pg_restore.
    func testGreenplum7ArchiveIntoPostgreSQL15WithNoGpSyntax() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let cluster: TestCluster
        do { cluster = try TestCluster(major: 15) } catch { throw XCTSkip("no PostgreSQL 15: \(error)") }
        defer { cluster.stop() }
        try cluster.createDatabase("gp7_plain")
        _ = try cluster.psql("CREATE ROLE root")  // the archive's owner
        let r = try cbrestore(["--no-gp-syntax"] + cluster.connectionArgs(db: "gp7_plain") + [root + "/Fixtures/mpp/mpp_fixture.gp7.dump"])
        XCTAssertEqual(r.status, 0, r.stderrString)
        XCTAssertFalse(r.stderrString.contains("error"), r.stderrString)
        let tables = ["ao_part", "co_enc", "dims", "ev_ao", "m_co", "multi", "orders", "part_l", "part_r", "rnd", "sub_part", "typed"]
        XCTAssertEqual(try cluster.psql("SELECT " + tables.map { "(SELECT count(*) FROM sales.\($0))" }.joined(separator: ", "), db: "gp7_plain"),
                       "24|12|2|12|12|12|12|24|24|12|6|2")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM pg_class WHERE relnamespace = 'sales'::regnamespace AND relkind IN ('r', 'p')", db: "gp7_plain"), "26")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM pg_class WHERE relnamespace = 'sales'::regnamespace AND relkind = 'f'", db: "gp7_plain"), "0")
        XCTAssertEqual(try cluster.psql("SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = 'sales'::regnamespace", db: "gp7_plain"), "f_master,f_seg")
    }

    func cbrestore(_ args: [String]) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("cbrestore"), args, environment: ["TZ": "UTC"])
    }

    /// Without the flag the script keeps every clause and starts with the forks' SET; with
    /// it none is left and the MPP-only entries are gone.
    func testScriptWithAndWithoutNoGpSyntax() throws {
        let dir = NSTemporaryDirectory() + "cbdump-mpp-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/mpp.dump"
        try MPPExampleArchive.write(to: path)

        let keep = try cbrestore(["--restrict-key=K", "-f", "-", path])
        XCTAssertEqual(keep.status, 0, keep.stderrString)
        let k = keep.stdoutString
        XCTAssertTrue(k.contains("SET gp_default_storage_options = '';\nSET statement_timeout = 0;\n"), String(k.prefix(400)))
        for clause in [") DISTRIBUTED BY (id);", ") DISTRIBUTED REPLICATED;", "COLUMN v ENCODING (compresstype=zlib,compresslevel=1,blocksize=32768)",
                       "WITH (appendonly = true, orientation = column", "SET default_table_access_method = ao_row;",
                       "CONTAINS SQL EXECUTE ON ALL SEGMENTS", "CREATE TRUSTED PROTOCOL myprot", "SERVER gp_exttable_server"] {
            XCTAssertTrue(k.contains(clause), "missing \(clause)")
        }

        let stripped = try cbrestore(["--restrict-key=K", "--no-gp-syntax", "-f", "-", path])
        XCTAssertEqual(stripped.status, 0, stripped.stderrString)
        let s = stripped.stdoutString
        for clause in ["DISTRIBUTED", "ENCODING (", "appendonly", "gp_default_storage_options", "ao_row", "ao_column",
                       "EXECUTE ON", "CONTAINS SQL", "PROTOCOL", "gp_exttable_server", "ext_r", "SET DEFAULT ENCODING"] {
            XCTAssertFalse(s.contains(clause), "left in: \(clause)")
        }
        XCTAssertTrue(s.contains("CREATE TABLE public.metrics_co (\n    id integer,\n    v double precision,\n    tag text\n);\n"))
        XCTAssertTrue(stripped.stderrString.contains("skipping PROTOCOL myprot"), stripped.stderrString)
        // The listing shows the archive as it is.
        let list = try cbrestore(["-l", path])
        XCTAssertTrue(list.stdoutString.contains("PROTOCOL - myprot postgres"), list.stdoutString)
    }

    /// The archive restores into PostgreSQL 15 with --no-gp-syntax: every table with its rows,
    /// no error; without the flag the same restore fails on the MPP clauses.
    func testRestoreIntoPostgreSQL15WithNoGpSyntax() throws {
        let cluster: TestCluster
        do { cluster = try TestCluster(major: 15) } catch { throw XCTSkip("no PostgreSQL 15: \(error)") }
        defer { cluster.stop() }
        let dir = NSTemporaryDirectory() + "cbdump-mpp-live-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/mpp.dump"
        try MPPExampleArchive.write(to: path)

        try cluster.createDatabase("mpp_plain")
        let r = try cbrestore(["--no-gp-syntax", "--exit-on-error"] + cluster.connectionArgs(db: "mpp_plain") + [path])
        XCTAssertEqual(r.status, 0, r.stderrString)
        XCTAssertEqual(try cluster.psql("""
            SELECT (SELECT count(*) FROM public.orders), (SELECT count(*) FROM public.events_ao),
                   (SELECT count(*) FROM public.metrics_co), (SELECT count(*) FROM public.sales),
                   (SELECT count(*) FROM public.dims), (SELECT sum(amt) FROM public.sales)
            """, db: "mpp_plain"), "3|2|1|2|0|10.99")
        XCTAssertEqual(try cluster.psql("SELECT string_agg(c.relname || ':' || a.amname, ',' ORDER BY c.relname) FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'", db: "mpp_plain"),
                       "dims:heap,events_ao:heap,metrics_co:heap,orders:heap,sales_1_prt_1:heap")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM pg_proc WHERE proname = 'f_seg'", db: "mpp_plain"), "1")
        XCTAssertEqual(try cluster.psql("SELECT count(*) FROM pg_class WHERE relname = 'ext_r'", db: "mpp_plain"), "0")

        try cluster.createDatabase("mpp_kept")
        let fails = try cbrestore(["--exit-on-error"] + cluster.connectionArgs(db: "mpp_kept") + [path])
        XCTAssertNotEqual(fails.status, 0)
        // Into PostgreSQL the forks' SET is not sent (the target has no gp_role); the first
        // failure is an MPP clause.
        XCTAssertFalse(fails.stderrString.contains("gp_default_storage_options"), fails.stderrString)
        XCTAssertTrue(fails.stderrString.contains("could not execute query"), fails.stderrString)
    }
}
