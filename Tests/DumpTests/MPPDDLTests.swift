import XCTest
import PostgresClient
import TestSupport
@testable import Dump

/// The MPP clauses, from the catalog facts of cloudberry.md §3 and §7 (no server): each
/// expected text is the document's example, byte for byte.
final class MPPDDLTests: XCTestCase {
    let q = SQLQuoter(major: 15)

    /// What the upstream part of dumpTableSchema writes for these columns (the part the
    /// PostgreSQL path already tests), so that the examples can be compared whole.
    func upstreamCreate(_ name: String, _ cols: [String]) -> String {
        "CREATE TABLE \(name) (\n    " + cols.joined(separator: ",\n    ") + "\n)"
    }

    func testDistributionClauses() {
        XCTAssertEqual(MPPDDL.distributedClause(.hashed([DistributionKey(column: "id")])), "DISTRIBUTED BY (id)")
        XCTAssertEqual(MPPDDL.distributedClause(.hashed([DistributionKey(column: "a"), DistributionKey(column: "b")])), "DISTRIBUTED BY (a, b)")
        XCTAssertEqual(MPPDDL.distributedClause(.hashed([DistributionKey(column: "\"Key\"", opclass: "public.my_hash_ops")])),
                       "DISTRIBUTED BY (\"Key\" public.my_hash_ops)")
        XCTAssertEqual(MPPDDL.distributedClause(.randomly), "DISTRIBUTED RANDOMLY")
        XCTAssertEqual(MPPDDL.distributedClause(.replicated), "DISTRIBUTED REPLICATED")
        // gp_distribution_policy rows: 'p' with keys, 'p' without, 'r'; MatrixDB's 'm' has none.
        XCTAssertEqual(DistributionPolicy(policyType: "p", keys: []), .randomly)
        XCTAssertEqual(DistributionPolicy(policyType: "r", keys: []), .replicated)
        XCTAssertEqual(DistributionPolicy(policyType: "p", keys: [DistributionKey(column: "id")]), .hashed([DistributionKey(column: "id")]))
        XCTAssertNil(DistributionPolicy(policyType: "m", keys: []))
    }

    func testDistributedHeapTable() {
        var s = upstreamCreate("public.orders", ["id bigint NOT NULL", "customer_id integer", "note text"])
        XCTAssertNil(MPPDDL.storageClause(amname: "heap", reloptions: "", toastOptions: ""))
        MPPDDL.appendDistribution(MPPDDL.distributedClause(.hashed([DistributionKey(column: "id")])), to: &s)
        XCTAssertEqual(s + ";\n", """
            CREATE TABLE public.orders (
                id bigint NOT NULL,
                customer_id integer,
                note text
            ) DISTRIBUTED BY (id);

            """)
    }

    func testReplicatedTable() {
        var s = upstreamCreate("public.dims", ["code text", "label text"])
        MPPDDL.appendDistribution(MPPDDL.distributedClause(.replicated), to: &s)
        XCTAssertEqual(s + ";\n", "CREATE TABLE public.dims (\n    code text,\n    label text\n) DISTRIBUTED REPLICATED;\n")
    }

    func testNoPolicyNoClause() {
        var s = "CREATE VIEW v"
        MPPDDL.appendDistribution(nil, to: &s)
        MPPDDL.appendDistribution("", to: &s)
        XCTAssertEqual(s, "CREATE VIEW v")
    }

    func testAppendOptimizedRowTable() {
        var s = upstreamCreate("public.events_ao", ["id integer", "ts timestamp without time zone", "payload text"])
        let with = MPPDDL.storageClause(amname: "ao_row", reloptions: "compresstype=zlib, compresslevel='5'", toastOptions: "")
        s += "\n" + with!
        MPPDDL.appendDistribution("DISTRIBUTED BY (id)", to: &s)
        XCTAssertEqual(s + ";\n", """
            CREATE TABLE public.events_ao (
                id integer,
                ts timestamp without time zone,
                payload text
            )
            WITH (appendonly = true, compresstype=zlib, compresslevel='5') DISTRIBUTED BY (id);

            """)
    }

    func testStorageClauseVariants() {
        // AO with no options still says so; heap with options is upstream's WITH.
        XCTAssertEqual(MPPDDL.storageClause(amname: "ao_row", reloptions: "", toastOptions: ""), "WITH (appendonly = true)")
        XCTAssertEqual(MPPDDL.storageClause(amname: "ao_column", reloptions: "", toastOptions: ""), "WITH (appendonly = true, orientation = column)")
        XCTAssertEqual(MPPDDL.storageClause(amname: "heap", reloptions: "fillfactor='70'", toastOptions: "toast.autovacuum_enabled=false"),
                       "WITH (fillfactor='70', toast.autovacuum_enabled=false)")
        XCTAssertNil(MPPDDL.storageClause(amname: nil, reloptions: "", toastOptions: ""))
    }

    func testAOCOTableWithColumnEncodings() {
        var s = "CREATE TABLE public.metrics_co (\n    id integer,\n    v double precision,\n    tag text"
        let n = MPPDDL.appendColumnEncodings([
            ("id", ["compresstype=zlib", "compresslevel=3", "blocksize=32768"]),
            ("v", ["compresstype=zlib", "compresslevel=1", "blocksize=32768"]),
            ("tag", ["compresstype=zlib", "compresslevel=3", "blocksize=32768"]),
        ], itemsBefore: 3, to: &s)
        XCTAssertEqual(n, 6)
        s += "\n)\n" + MPPDDL.storageClause(amname: "ao_column", reloptions: "compresstype=zlib, compresslevel='3'", toastOptions: "")!
        MPPDDL.appendDistribution("DISTRIBUTED BY (id)", to: &s)
        XCTAssertEqual(s + ";\n", """
            CREATE TABLE public.metrics_co (
                id integer,
                v double precision,
                tag text,
                COLUMN id ENCODING (compresstype=zlib,compresslevel=3,blocksize=32768),
                COLUMN v ENCODING (compresstype=zlib,compresslevel=1,blocksize=32768),
                COLUMN tag ENCODING (compresstype=zlib,compresslevel=3,blocksize=32768)
            )
            WITH (appendonly = true, orientation = column, compresstype=zlib, compresslevel='3') DISTRIBUTED BY (id);

            """)
        // A table with no columns: the encoding opens the list.
        var e = "CREATE TABLE t"
        XCTAssertEqual(MPPDDL.appendColumnEncodings([("\"Odd\"", ["compresstype=none"])], itemsBefore: 0, to: &e), 1)
        XCTAssertEqual(e, "CREATE TABLE t (\n    COLUMN \"Odd\" ENCODING (compresstype=none)")
    }

    func testPartitionedRootAndLeaf() {
        var root = upstreamCreate("public.sales", ["id integer", "sold date", "amt numeric(10,2)"]) + "\nPARTITION BY RANGE (sold)"
        MPPDDL.appendDistribution("DISTRIBUTED BY (id)", to: &root)
        XCTAssertEqual(root + ";\n", "CREATE TABLE public.sales (\n    id integer,\n    sold date,\n    amt numeric(10,2)\n)\nPARTITION BY RANGE (sold) DISTRIBUTED BY (id);\n")
        var leaf = upstreamCreate("public.sales_1_prt_1", ["id integer", "sold date", "amt numeric(10,2)"])
        MPPDDL.appendDistribution("DISTRIBUTED BY (id)", to: &leaf)
        XCTAssertEqual(leaf + ";\n", "CREATE TABLE public.sales_1_prt_1 (\n    id integer,\n    sold date,\n    amt numeric(10,2)\n) DISTRIBUTED BY (id);\n")
    }

    func testReadableExternalTable() {
        let ddl = MPPDDL.externalTable(qualifiedName: "public.ext_r", columns: [("a", "integer"), ("b", "text")], options: [
            ("format", "csv"), ("delimiter", ","), ("header", "true"), ("quote", "\""), ("escape", "\""),
            ("null", ""), ("encoding", "6"), ("execute_on", "ALL_SEGMENTS"), ("format_type", "c"),
            ("is_writable", "false"), ("location_uris", "gpfdist://localhost:8081/data.csv"), ("log_errors", "t"),
            ("reject_limit", "10"), ("reject_limit_type", "r"),
        ], distribution: nil, quoter: q)
        XCTAssertEqual(ddl, """
            CREATE FOREIGN TABLE public.ext_r (
                a integer,
                b text
            )
            SERVER gp_exttable_server
            OPTIONS (
                delimiter ',',
                encoding '6',
                escape '"',
                execute_on 'ALL_SEGMENTS',
                format 'csv',
                format_type 'c',
                header 'true',
                is_writable 'false',
                location_uris 'gpfdist://localhost:8081/data.csv',
                log_errors 't',
                "null" '',
                quote '"',
                reject_limit '10',
                reject_limit_type 'r'
            );

            """)
    }

    func testWebExternalTable() {
        let ddl = MPPDDL.externalTable(qualifiedName: "public.ext_web", columns: [("line", "text")], options: [
            ("command", "echo hello"), ("delimiter", "\t"), ("encoding", "6"), ("escape", "\\"),
            ("execute_on", "MASTER_ONLY"), ("format", "text"), ("format_type", "t"), ("is_writable", "false"),
            ("log_errors", "f"), ("null", "\\N"),
        ], distribution: nil, quoter: q)
        XCTAssertEqual(ddl, "CREATE FOREIGN TABLE public.ext_web (\n    line text\n)\nSERVER gp_exttable_server\nOPTIONS (\n"
            + "    command 'echo hello',\n    delimiter '\t',\n    encoding '6',\n    escape E'\\\\',\n    execute_on 'MASTER_ONLY',\n"
            + "    format 'text',\n    format_type 't',\n    is_writable 'false',\n    log_errors 'f',\n    \"null\" E'\\\\N'\n);\n")
    }

    func testWritableExternalTableIsDistributed() {
        let ddl = MPPDDL.externalTable(qualifiedName: "public.ext_w", columns: [("a", "integer"), ("b", "text")], options: [
            ("location_uris", "gpfdist://etl1:8081/out.txt"), ("delimiter", "|"), ("log_errors", "f"), ("null", "\\N"),
        ], distribution: "DISTRIBUTED BY (a)", quoter: q)
        XCTAssertEqual(ddl, "CREATE FOREIGN TABLE public.ext_w (\n    a integer,\n    b text\n)\nSERVER gp_exttable_server\nOPTIONS (\n"
            + "    delimiter '|',\n    location_uris 'gpfdist://etl1:8081/out.txt',\n    log_errors 'f',\n    \"null\" E'\\\\N'\n) DISTRIBUTED BY (a);\n")
    }

    func testFunctionClauses() throws {
        func clauses(_ access: Character?, _ location: Character?) throws -> String {
            try MPPDDL.functionClauses(dataAccess: access, execLocation: location, coordinatorKeyword: true)
        }
        XCTAssertEqual(try clauses("c", "s"), " CONTAINS SQL EXECUTE ON ALL SEGMENTS")
        XCTAssertEqual(try clauses("n", "a"), " NO SQL")
        XCTAssertEqual(try clauses("r", "c"), " READS SQL DATA EXECUTE ON COORDINATOR")
        XCTAssertEqual(try clauses("m", "m"), " MODIFIES SQL DATA EXECUTE ON COORDINATOR")
        XCTAssertEqual(try clauses("c", "i"), " CONTAINS SQL EXECUTE ON INITPLAN")
        XCTAssertThrowsError(try clauses("x", nil))
        XCTAssertThrowsError(try clauses("c", "z"))
        // The §3.5 example, assembled as dumpFunc does.
        let f = "CREATE FUNCTION public.f_seg() RETURNS SETOF integer\n    LANGUAGE sql"
            + (try clauses("c", "s")) + "\n    AS $$ SELECT 1 $$"
            + MPPDDL.describeCallback(nil) + ";\n"
        XCTAssertEqual(f, "CREATE FUNCTION public.f_seg() RETURNS SETOF integer\n    LANGUAGE sql CONTAINS SQL EXECUTE ON ALL SEGMENTS\n    AS $$ SELECT 1 $$;\n")
        XCTAssertEqual(MPPDDL.describeCallback("public.describe_fn"), " WITH (describe = public.describe_fn)")
        XCTAssertEqual(MPPDDL.describeCallback("-"), "")
    }

    /// Greenplum 7.0-dev (Fixtures/mpp): `coordinator` is no keyword there, its grammar and
    /// its pg_dump say EXECUTE ON MASTER (proexeclocation 'm'); COORDINATOR is a syntax error.
    func testExecuteOnMasterWhereCoordinatorIsNoKeyword() throws {
        XCTAssertEqual(try MPPDDL.functionClauses(dataAccess: "c", execLocation: "m", coordinatorKeyword: false), " CONTAINS SQL EXECUTE ON MASTER")
        XCTAssertEqual(try MPPDDL.functionClauses(dataAccess: "c", execLocation: "s", coordinatorKeyword: false), " CONTAINS SQL EXECUTE ON ALL SEGMENTS")
        // The server's own pg_dump of f_master(), as recorded.
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let recorded = try String(contentsOfFile: root + "/Fixtures/mpp/mpp_fixture.gp7.sql", encoding: .utf8)
        let f = "CREATE FUNCTION sales.f_master() RETURNS SETOF integer\n    LANGUAGE sql"
            + (try MPPDDL.functionClauses(dataAccess: "c", execLocation: "m", coordinatorKeyword: false))
            + "\n    AS $$select 1$$;\n"
        XCTAssertTrue(recorded.contains(f), "not in the recorded script: \(f)")
    }

    func testCreateProtocol() {
        let s = MPPDDL.createProtocol(name: "myprot", trusted: true, readFunc: ("ext", "read_from_s3"),
                                      writeFunc: ("ext", "write_to_s3"), validatorFunc: nil, quoter: q)
        XCTAssertEqual(s, "-- Set the search_path required to look up the functions\nSET search_path = ext, public;\n\n"
            + "CREATE TRUSTED PROTOCOL myprot ( readfunc = 'read_from_s3', writefunc = 'write_to_s3');\n")
        let t = MPPDDL.createProtocol(name: "Odd", trusted: false, readFunc: ("public", "it's"), writeFunc: nil,
                                      validatorFunc: ("My Schema", "v"), quoter: q)
        XCTAssertEqual(t, "-- Set the search_path required to look up the functions\nSET search_path = public, \"My Schema\";\n\n"
            + "CREATE PROTOCOL \"Odd\" ( readfunc = 'it''s', validatorfunc = 'v');\n")
    }

    func testTypeDefaultEncoding() {
        XCTAssertEqual(MPPDDL.typeDefaultEncoding(qualifiedType: "public.mytype", typoptions: ["compresstype=zlib", "compresslevel=2", "blocksize=32768"]),
                       "ALTER TYPE public.mytype SET DEFAULT ENCODING (compresstype=zlib, compresslevel=2, blocksize=32768);\n")
        XCTAssertNil(MPPDDL.typeDefaultEncoding(qualifiedType: "public.t", typoptions: []))
    }

    func testServerQuoteLiteralMatchesQuoteLiteral() {
        XCTAssertEqual(SQLQuoter.serverQuoteLiteral("\\N"), "E'\\\\N'")
        XCTAssertEqual(SQLQuoter.serverQuoteLiteral("it's"), "'it''s'")
        XCTAssertEqual(SQLQuoter.serverQuoteLiteral(""), "''")
    }
}
