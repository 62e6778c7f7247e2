import Foundation
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

    func testDistributedHeapTable() {
        var s = upstreamCreate("public.orders", ["id bigint NOT NULL", "customer_id integer", "note text"])
        XCTAssertNil(MPPDDL.storageClause(amname: "heap", reloptions: "", toastOptions: ""))
        MPPDDL.appendDistribution("DISTRIBUTED BY (id)", to: &s)  // pg_get_table_distributedby()'s text
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
        MPPDDL.appendDistribution("DISTRIBUTED REPLICATED", to: &s)
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

    /// Fixtures/mpp: every table and partition of the Greenplum 7 coordinator, its CREATE
    /// TABLE rebuilt from its catalog facts (mpp_fixture.facts.txt: access method,
    /// pg_attribute_encoding rows, pg_get_table_distributedby) with the clauses cbdump
    /// assembles, against the statement that server's pg_dump wrote. The one difference is
    /// cloudberry.md's: cbdump writes append-optimized storage out (`appendonly = true[,
    /// orientation = column]`) where Greenplum 7's pg_dump relies on the table access method.
    /// Column definitions, the partition key and the reloptions' text are the upstream part,
    /// taken as recorded.
    func testFixtureTablesFromTheirCatalogFacts() throws {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let recorded = try String(contentsOfFile: root + "/Fixtures/mpp/mpp_fixture.gp7.sql", encoding: .utf8)
        let facts = try String(contentsOfFile: root + "/Fixtures/mpp/mpp_fixture.facts.txt", encoding: .utf8)
        var checked = 0
        for line in facts.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(f.count, 8, String(line))
            guard f.count == 8, f[1] == "r" || f[1] == "p" else { continue }
            let (name, dist, am) = (f[0], f[2], f[3])
            let encodings: [Int: [String]] = Dictionary(uniqueKeysWithValues: f[5].split(separator: ";").map { e in
                let parts = e.split(separator: ":", maxSplits: 1)
                return (Int(parts[0])!, parts[1].split(separator: ",").map(String.init))
            })
            guard let start = recorded.range(of: "CREATE TABLE sales.\(name) (\n"),
                  let end = recorded.range(of: ";\n", range: start.upperBound..<recorded.endIndex) else {
                XCTFail("no CREATE TABLE for \(name) in the recorded script"); continue
            }
            let statement = String(recorded[start.lowerBound..<end.upperBound])
            let body = recorded[start.upperBound..<end.lowerBound].components(separatedBy: "\n")
            let columns = body.prefix { $0.hasPrefix("    ") && !$0.hasPrefix("    COLUMN ") }
                .map { String($0.dropFirst(4)).trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
            let partitionKey = body.first { $0.hasPrefix("PARTITION BY ") }
                .map { $0.components(separatedBy: " DISTRIBUTED").first! }
            let withLine = body.first { $0.hasPrefix("WITH (") }
            let reloptions = withLine.map { String($0.dropFirst(6).prefix { $0 != ")" }) } ?? ""
            XCTAssertEqual(reloptions.isEmpty, f[4].isEmpty, "\(name): reloptions")

            var q = "CREATE TABLE sales.\(name) (\n    " + columns.joined(separator: ",\n    ")
            let items = columns.indices.compactMap { i in encodings[i + 1].map { (column: columns[i].components(separatedBy: " ")[0], attoptions: $0) } }
            XCTAssertEqual(MPPDDL.appendColumnEncodings(items, itemsBefore: columns.count, to: &q), columns.count + items.count)
            q += "\n)"
            if let partitionKey { q += "\n" + partitionKey }
            if let with = MPPDDL.storageClause(amname: am.isEmpty ? nil : am, reloptions: reloptions, toastOptions: "") { q += "\n" + with }
            MPPDDL.appendDistribution(dist, to: &q)
            q += ";\n"

            var expected = statement
            let aoPrefix = am == "ao_row" ? "appendonly = true" : am == "ao_column" ? "appendonly = true, orientation = column" : nil
            if let aoPrefix {
                if withLine != nil {
                    expected = expected.replacingOccurrences(of: "\nWITH (", with: "\nWITH (\(aoPrefix), ")
                } else {
                    expected = expected.replacingOccurrences(of: "\n)" + (dist.isEmpty ? ";" : " " + dist + ";"),
                                                             with: "\n)\nWITH (\(aoPrefix))" + (dist.isEmpty ? ";" : " " + dist + ";"))
                }
            }
            XCTAssertEqual(q, expected, name)
            checked += 1
        }
        XCTAssertEqual(checked, 26, "tables and partitions in the facts")
    }
}
