import Foundation
import PostgresClient
import TestSupport
import XCTest

final class ConnectionTests: XCTestCase {
    nonisolated(unsafe) static var cluster: TestCluster?

    override class func setUp() {
        cluster = try? TestCluster(major: 15)
    }

    override class func tearDown() {
        cluster?.stop()
        cluster = nil
    }

    func connect(_ db: String = "postgres") throws -> Connection {
        guard let c = Self.cluster else { throw XCTSkip("no PostgreSQL 15 cluster") }
        return try Connection(dbname: db, host: c.socketDir, port: String(c.port), user: "postgres")
    }

    func testConnectByConninfoAndByParts() throws {
        guard let c = Self.cluster else { throw XCTSkip("no cluster") }
        let a = try Connection(dbname: c.conninfo(db: "postgres"))
        XCTAssertEqual(try a.execute("select current_database()").rows, [["postgres"]])
        let b = try connect()
        XCTAssertEqual(b.serverVersion / 10000, 15)
        XCTAssertEqual(b.parameter("server_encoding"), "UTF8")
        XCTAssertThrowsError(try Connection(dbname: "no_such_db", host: c.socketDir, port: String(c.port), user: "postgres")) {
            XCTAssertTrue("\($0)".contains("no_such_db"), "\($0)")
        }
    }

    /// A PostgreSQL server is PostgreSQL: no gp_role, no refusal (the path cbdump takes for it).
    func testDetectServerOnPostgres() throws {
        let a = try connect()
        let info = try a.detectServer()
        XCTAssertEqual(info.flavour, .postgres)
        XCTAssertNil(info.gpRole)
        XCTAssertNil(try a.mppSessionRefusal(info))
    }

    /// `database` names the database whatever the connection string in `dbname` says, and a
    /// name holding "=" is not taken for a connection string.
    func testDatabaseOverridesTheConnectionString() throws {
        guard let c = Self.cluster else { throw XCTSkip("no cluster") }
        try c.psql("CREATE DATABASE \"odd=name\"")
        defer { _ = try? c.psql("DROP DATABASE \"odd=name\"") }
        let a = try Connection(dbname: c.conninfo(db: "postgres"), database: "template1")
        XCTAssertEqual(try a.execute("select current_database()").rows, [["template1"]])
        let b = try Connection(host: c.socketDir, port: String(c.port), user: "postgres", database: "odd=name")
        XCTAssertEqual(try b.execute("select current_database()").rows, [["odd=name"]])
    }

    /// Byte-transparent text: a LATIN1 session's bytes come back one character per byte, and
    /// go out the same way.
    func testByteTransparentText() throws {
        let conn = try connect()
        try conn.execute("SET client_encoding = 'LATIN1'")
        conn.byteTransparent = true
        let v = try conn.execute("select 'é' || chr(252) as v").value(0, "v")!
        XCTAssertEqual(latin1Bytes(v), [0xe9, 0xfc])
        XCTAssertEqual(try conn.execute("select $1::text = 'é' as same", parameters: [latin1Text([0xe9])]).value(0, "same"), "t")
        conn.byteTransparent = false
        try conn.execute("SET client_encoding = 'UTF8'")
        XCTAssertEqual(try conn.execute("select chr(252) as v").value(0, "v"), "ü")
    }

    func testErrorsCarrySQLState() throws {
        let conn = try connect()
        XCTAssertThrowsError(try conn.execute("select * from no_such_table")) { e in
            XCTAssertEqual((e as? PostgresError)?.sqlState, "42P01")
        }
        // The connection stays usable after an error.
        XCTAssertEqual(try conn.execute("select 1 as x").value(0, "x"), "1")
    }

    func testParametersAreNotInterpolated() throws {
        let conn = try connect()
        let hostile = "'); drop table x; --\\ \"q\" \n 表"
        XCTAssertEqual(try conn.execute("select $1::text as v, $2::text as n", parameters: [hostile, nil]).rows, [[hostile, nil]])
    }

    /// The server's quote_ident applies fmtId's rule; our quoter must agree for its major.
    func testIdentifierQuotingAgreesWithServer() throws {
        let conn = try connect()
        let q = SQLQuoter(major: 15)
        let names = ["abc", "Abc", "a b", "select", "user", "order", "json", "system_user", "_x1", "1x", "a\"b", "ünï", "between",
                     "int", "authorization", "xmltable", "a$b", "", "merge_action", "verbose", "cross"]
        for n in names {
            let server = try conn.execute("select quote_ident($1) as q", parameters: [n]).value(0, "q")
            XCTAssertEqual(q.identifier(n), server, "identifier \(n.debugDescription)")
        }
        // Every keyword of the server, of each category, and names like them with a digit
        // or a capital (never keywords), through both the text and the byte forms.
        let rows = try conn.execute("""
            SELECT v, quote_ident(v) FROM pg_get_keywords() k,
              LATERAL (VALUES (word), (word || '1'), ('x' || word), (upper(word)), (word || '_9x')) AS n(v)
            """).rows
        XCTAssertGreaterThan(rows.count, 2000)
        for r in rows {
            let n = r[0]!, server = r[1]!
            XCTAssertEqual(q.identifier(n), server, "identifier \(n.debugDescription)")
            XCTAssertEqual(String(decoding: q.identifier(Array(n.utf8)), as: UTF8.self), server, "identifier bytes \(n.debugDescription)")
        }
    }

    func testLiteralRoundTrips() throws {
        let conn = try connect()
        for s in ["plain", "it's", "back\\slash", "new\nline", "tab\t", "表"] {
            let lit = String(decoding: SQLQuoter.literal(Array(s.utf8)), as: UTF8.self)
            XCTAssertEqual(try conn.execute("select \(lit) as v").value(0, "v"), s)
        }
    }

    func testCopyOutStreamsExactlyWhatTheServerSends() throws {
        let conn = try connect()
        try conn.execute("drop table if exists t; create table t (a int, b text); insert into t select g, case when g % 3 = 0 then null else E'x\\ty\\\\' || g end from generate_series(1, 5000) g")
        var bytes: [UInt8] = []
        var chunks = 0
        try conn.copyOut("copy t to stdout") { bytes += $0; chunks += 1 }
        XCTAssertEqual(chunks, 5000, "one chunk per row, nothing buffered")
        guard let c = Self.cluster else { return }
        let psql = try ProcessRunner.run(c.binaries.path("psql"), c.connectionArgs(db: "postgres") + ["-X", "-c", "copy t to stdout"])
        XCTAssertEqual(Data(bytes), psql.stdout)
    }

    func testCopyInAndAbort() throws {
        let conn = try connect()
        try conn.execute("drop table if exists t2; create table t2 (a int, b text)")
        try conn.copyIn("copy t2 from stdin") { send in
            for i in 1...1000 { try Array("\(i)\trow \(i)\n".utf8).withUnsafeBytes(send) }
        }
        XCTAssertEqual(try conn.execute("select count(*) as n from t2").value(0, "n"), "1000")
        struct Stop: Error {}
        XCTAssertThrowsError(try conn.copyIn("copy t2 from stdin") { send in
            try Array("9999\tpartial\n".utf8).withUnsafeBytes(send)
            throw Stop()
        })
        XCTAssertEqual(try conn.execute("select count(*) as n from t2").value(0, "n"), "1000", "aborted COPY left rows")
        XCTAssertThrowsError(try conn.copyIn("copy t2 from stdin") { send in
            try Array("not a number\tx\n".utf8).withUnsafeBytes(send)
        }) { e in XCTAssertEqual((e as? PostgresError)?.sqlState, "22P02") }
    }

    func testNoticesAreCollected() throws {
        let conn = try connect()
        try conn.execute("do $$ begin raise notice 'hello %', 42; end $$")
        XCTAssertTrue(conn.notices.contains { $0.contains("hello 42") }, "\(conn.notices)")
    }
}
