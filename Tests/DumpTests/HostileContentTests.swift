import Foundation
import TestSupport
import XCTest

/// Issue 9, "Trust": hostile content round-trips exactly, and no plain script we write can
/// be made to run a psql meta-command.
///
/// Fixtures/schemas/08_hostile_names.sql already covers hard identifiers (quotes, keywords,
/// CR/LF/tab, 63-byte names) across every object kind; this adds hostile *content*:
/// comments, string defaults, check constraints, view and function bodies and object
/// names holding quotes, backslashes, `\.` lines and newlines followed by `\! touch
/// <marker>`, `\connect`, `\i` and `\unrestrict <the script's own key>`; table data with
/// `\.` lines, tabs, CR, backslashes and every control character; invalid UTF-8 (in data,
/// names and comments) in a SQL_ASCII database; a 1,600-column table; and a 4 MB text and
/// a 4 MB bytea value (several COPY and compression chunks). scripts/hostile-big.sh does
/// the huge cases (500 MB text, 500 MB and 1 GB bytea, 10 million rows).
///
/// Every database is dumped by cbdump (-Fc; -Fp; -Fp --inserts) and restored (cbrestore -d;
/// psql -f of each plain script; psql -f of cbrestore -f), and each target must give
/// byte-identical `pg_dump -s` and `pg_dump -a` output to the source's. cbdump's plain
/// scripts and cbrestore's -f script must be byte-identical to pg_dump's and pg_restore's.
final class HostileContentTests: XCTestCase {
    /// The key given to every plain script, and written into the hostile content as well:
    /// even an attacker who knows the key cannot end the protection, because the content is
    /// quoted (a literal, an identifier, a dollar-quoted body or a COPY row), never a line.
    static let key = "HostileKey42"

    final class Fixture {
        let cluster: TestCluster, bin: PGBinaries, dir: String, marker: String
        var counter = 0
        init(cluster: TestCluster, bin: PGBinaries, dir: String, marker: String) {
            self.cluster = cluster; self.bin = bin; self.dir = dir; self.marker = marker
        }
        func path(_ name: String) -> String { dir + "/" + name }
    }
    nonisolated(unsafe) static var shared: Fixture?

    /// The hostile text, with `marker` as the file a `\!` would create.
    static func evil(_ marker: String, _ what: String) -> String {
        "\(what): it's \"q\" a \\ back\\\\slash\n\\! touch \(marker)\n\\connect postgres\n\\i /nonexistent/file\n"
            + "\\.\n\\unrestrict \(key)\n\\! touch \(marker)\n\\restrict other\n-- */ ; :'v' $$ $_$ end"
    }

    /// An E'' literal for any text (LF, CR, tab and other controls escaped, so the loading
    /// script itself stays on one line).
    static func lit(_ s: String) -> String {
        var out: [UInt8] = Array("E'".utf8)
        for u in s.utf8 {
            switch u {
            case 0x27: out += [0x27, 0x27]
            case 0x5c: out += [0x5c, 0x5c]
            case 0x00..<0x20, 0x7f: out += Array(String(format: "\\x%02x", u).utf8)
            default: out.append(u)
            }
        }
        return String(decoding: out + [0x27], as: UTF8.self)
    }

    /// A U&"" identifier for any text (ASCII only; controls and backslashes escaped).
    static func ident(_ s: String) -> String {
        var out = "U&\""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += "\"\""
            case 0x5c: out += "\\005C"
            case 0x00..<0x20, 0x7f: out += String(format: "\\%04X", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    static func fixture() throws -> Fixture {
        if let f = shared { return f }
        let bin = try requireMajor(15)
        let c = try TestCluster(major: 15)
        let dir = NSTemporaryDirectory() + "cbdump-hostile-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let marker = "/tmp/PWNED-\(UUID().uuidString.prefix(8))"
        let f = Fixture(cluster: c, bin: bin, dir: dir, marker: marker)
        shared = f
        try c.createDatabase("hx")
        try c.psql(utf8SQL(marker), db: "hx")
        try c.psql("CREATE DATABASE hx_ascii TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'")
        try c.psql(asciiSQL(marker), db: "hx_ascii")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "loading the fixture ran a meta-command")
        return f
    }

    override class func tearDown() {
        if let f = shared {
            f.cluster.stop()
            try? FileManager.default.removeItem(atPath: f.dir)
            try? FileManager.default.removeItem(atPath: f.marker)
        }
        shared = nil
        super.tearDown()
    }

    // MARK: - The hostile databases

    static func utf8SQL(_ m: String) -> String {
        let e = { (what: String) in lit(evil(m, what)) }
        let sch = ident("s \"q\" 'x' \\\n\\! touch \(m)\n\\connect postgres\n\\.")
        let tab = ident("tab \"q\"\n\\! touch \(m)\n\\unrestrict \(key)")
        let col = ident("col\n\\! touch \(m)\n\\.")
        let view = ident("view\n\\! touch \(m)")
        let fn = ident("fn\n\\! touch \(m)")
        let controls = String(decoding: (1...31).map { UInt8($0) } + [0x7f], as: UTF8.self)
        let rows: [String] = [
            evil(m, "row"),
            "\\.",
            "first line\n\\.\nafter the terminator",
            "\\.\n",
            "\n\\.",
            "tab\there\tand\rCR\r\nCRLF back\\slash \\\\ two \\N \\x41 \\011",
            controls,
            "\\N",
            "",
            "\\unrestrict \(key)\n\\! touch \(m)",
            "ünïcødé 表 😀 \u{2028} \u{feff}",
            "COPY x FROM stdin;\n\\.\nSELECT 1;",
        ]
        var sql = """
            SET client_min_messages = warning;
            SET standard_conforming_strings = on;
            CREATE SCHEMA \(sch);
            COMMENT ON SCHEMA \(sch) IS \(e("schema comment"));
            SET search_path = \(sch), public;
            CREATE TABLE \(tab) (
                id integer PRIMARY KEY,
                \(col) text DEFAULT \(e("default")),
                t text,
                b bytea DEFAULT '\\x5c2e0a5c21'::bytea,
                CONSTRAINT \(ident("chk\n\\! touch \(m)")) CHECK (t IS DISTINCT FROM \(e("check")))
            );
            COMMENT ON TABLE \(tab) IS \(e("table comment"));
            COMMENT ON COLUMN \(tab).\(col) IS \(e("column comment"));
            COMMENT ON CONSTRAINT \(ident("chk\n\\! touch \(m)")) ON \(tab) IS \(e("constraint comment"));
            CREATE VIEW \(view) AS SELECT id, \(e("view literal")) AS \(ident("vc\n\\! touch \(m)")) FROM \(tab) WHERE t <> \(e("view where"));
            COMMENT ON VIEW \(view) IS \(e("view comment"));
            CREATE FUNCTION \(fn)(a text DEFAULT \(e("arg default"))) RETURNS text LANGUAGE sql IMMUTABLE
                AS \(lit("SELECT " + lit(evil(m, "function body")) + " || a"));
            COMMENT ON FUNCTION \(fn)(text) IS \(e("function comment"));
            CREATE TYPE \(ident("enum\n\\! touch \(m)")) AS ENUM (\(lit("l'q\\\n\\! touch \(m)")), 'plain');
            CREATE INDEX \(ident("idx\n\\! touch \(m)")) ON \(tab) (t) WHERE t <> \(e("index predicate"));

            """
        for (i, r) in rows.enumerated() {
            sql += "INSERT INTO \(tab) (id, \(col), t, b) VALUES (\(i + 1), \(lit(r)), \(lit(r)), convert_to(\(lit(r)), 'UTF8'));\n"
        }
        sql += "INSERT INTO \(tab) (id, t) VALUES (100, NULL);\n"
        sql += """
            RESET search_path;
            -- A 1,600-column table (PostgreSQL's maximum), with a few rows.
            DO $$ BEGIN
              EXECUTE 'CREATE TABLE public.wide (' || (SELECT string_agg(format('%I integer', 'c' || g || CASE WHEN g % 400 = 0 THEN E' "\\\\\\n' ELSE '' END), ', ') FROM generate_series(1, 1600) g) || ')';
              EXECUTE 'INSERT INTO public.wide SELECT ' || (SELECT string_agg(CASE WHEN g % 3 = 0 THEN 'NULL' ELSE (g * 7)::text END, ', ') FROM generate_series(1, 1600) g);
              EXECUTE 'INSERT INTO public.wide SELECT ' || (SELECT string_agg((-g)::text, ', ') FROM generate_series(1, 1600) g);
            END $$;
            INSERT INTO public.wide (c1) VALUES (1);
            -- 4 MB values: many compression blocks and output chunks each (hostile-big.sh: 500 MB).
            CREATE TABLE public.big (id integer PRIMARY KEY, t text, b bytea);
            ALTER TABLE public.big ALTER t SET STORAGE EXTERNAL, ALTER b SET STORAGE EXTERNAL;
            INSERT INTO public.big VALUES (1, repeat(E'ab\\\\c\\td\\n\\\\.\\n\\r', 400000) || 'end',
                decode(repeat('00ff5c0a2e0d09', 600000), 'hex') || '\\x5c2e'::bytea);

            """
        return sql
    }

    /// Invalid UTF-8, as raw bytes (SQL_ASCII stores any byte but NUL).
    static let badBytes: [[UInt8]] = [
        [0xff, 0xfe], [0xc0, 0xaf], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc3, 0x28],
        Array("caf".utf8) + [0xe9], [0x81, 0x5c], [0x5c, 0xff, 0x0a, 0x5c, 0x2e, 0x0a, 0xfe, 0x27],
        (0x80...0xff).map { UInt8($0) },
    ]

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    static func asciiSQL(_ m: String) -> String {
        func bytes(_ b: [UInt8]) -> String { "convert_from('\\x\(hex(b))'::bytea, 'SQL_ASCII')" }
        var sql = """
            SET client_min_messages = warning;
            SET standard_conforming_strings = on;
            CREATE TABLE raw (id integer PRIMARY KEY, v text, via_literal text);

            """
        for (i, b) in badBytes.enumerated() {
            sql += "INSERT INTO raw (id, v) VALUES (\(i + 1), \(bytes(b)));\n"
        }
        // E'\xff' literals: the server takes the byte as it is in a SQL_ASCII database.
        sql += "INSERT INTO raw (id, via_literal) VALUES (100, E'\\xff\\xfe\\x80 \\\\ ''q'' \\xe9\\n\\\\.\\n\\\\! touch \(m)');\n"
        // Names and comments with invalid UTF-8.
        let name = [UInt8]("tab ".utf8) + [0xff, 0xe9, 0x22, 0x0a] + Array("\\! touch \(m)".utf8)
        let colName = [UInt8]("col ".utf8) + [0xc3, 0x28, 0x5c]
        let comment = [UInt8]("comment ".utf8) + [0xff, 0x27, 0x5c, 0x0a] + Array("\\! touch \(m)\n\\.\n".utf8) + [0x81, 0x5c]
        sql += """
            DO $$ BEGIN
              EXECUTE format('CREATE TABLE %I (%I text DEFAULT %L)', \(bytes(name)), \(bytes(colName)), \(bytes(comment)));
              EXECUTE format('INSERT INTO %I VALUES (%L)', \(bytes(name)), \(bytes(comment)));
              EXECUTE format('COMMENT ON TABLE %I IS %L', \(bytes(name)), \(bytes(comment)));
              EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', \(bytes(name)), \(bytes(colName)), \(bytes(comment)));
              EXECUTE format('CREATE VIEW %I AS SELECT %L::text AS %I', \(bytes(name + [0x76])), \(bytes(comment)), \(bytes(colName)));
            END $$;

            """
        return sql
    }

    // MARK: - Running things

    func cbdump(_ f: Fixture, _ args: [String], db: String) throws -> ProcessResult {
        let r = try ProcessRunner.run(ProcessRunner.product("cbdump"), args + f.cluster.connectionArgs(db: db))
        guard r.status == 0 else {
            XCTFail("cbdump \(args) \(db) failed: \(r.stderrString.prefix(2000))")
            throw XCTSkip("cbdump failed")
        }
        return r
    }

    func cbrestore(_ f: Fixture, _ args: [String]) throws -> ProcessResult {
        let r = try ProcessRunner.run(ProcessRunner.product("cbrestore"), args)
        guard r.status == 0 else {
            XCTFail("cbrestore \(args) failed: \(r.stderrString.prefix(2000))")
            throw XCTSkip("cbrestore failed")
        }
        return r
    }

    /// A fresh database with the source's encoding.
    func freshDatabase(_ f: Fixture, like source: String) throws -> String {
        f.counter += 1
        let name = "\(source)_t\(f.counter)"
        let enc = source == "hx_ascii" ? " ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'" : ""
        try f.cluster.psql("CREATE DATABASE \(name) TEMPLATE template0\(enc)")
        return name
    }

    /// psql -f of a script (ON_ERROR_STOP), into `db`; the marker must not appear.
    func runScript(_ f: Fixture, _ script: String, db: String, _ label: String,
                   file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try ProcessRunner.run(
            f.bin.path("psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", script] + f.cluster.connectionArgs(db: db),
            environment: ["LC_ALL": "C"])
        XCTAssertEqual(r.status, 0, "\(label): psql -f failed: \(r.stderrString.prefix(2000))", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.marker), "\(label): the script ran \\! touch", file: file, line: line)
        XCTAssertFalse(r.stderrString.contains("restricted"), "\(label): psql saw a meta-command: \(r.stderrString.prefix(2000))",
                       file: file, line: line)
    }

    /// pg_dump's plain output of `db` with `args` (fixed restrict key), as bytes.
    func pgDump(_ f: Fixture, db: String, _ args: [String]) throws -> Data {
        try Oracle.pgDump(f.bin, cluster: f.cluster, db: db, args: ["--restrict-key=\(Self.key)"] + args).stdout
    }

    /// The target gives the same `pg_dump -s` and `pg_dump -a` bytes as the source.
    func assertSameDatabase(_ f: Fixture, source: String, target: String, _ label: String,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        for args in [["-s"], ["-a"]] {
            let a = try pgDump(f, db: source, args), b = try pgDump(f, db: target, args)
            XCTAssertGreaterThan(a.count, 300, "\(label) \(args): source dump too short", file: file, line: line)
            if a != b {
                XCTFail("\(label) \(args): \(target) differs from \(source) (\(b.count) vs \(a.count) bytes)\n"
                        + Oracle.firstDifference(ours: Self.text(b), theirs: Self.text(a)).prefix(3000), file: file, line: line)
            }
        }
    }

    static func text(_ d: Data) -> String { String(decoding: d, as: UTF8.self) }

    /// Drops the "-- Dumped by pg_dump version" line (cbdump names itself there).
    static func normalized(_ d: Data) -> Data {
        let lines = d.split(separator: 0x0a, omittingEmptySubsequences: false)
        let kept = lines.filter { !$0.starts(with: Array("-- Dumped by pg_dump version".utf8)) }
        return Data(kept.joined(separator: [0x0a]))
    }

    func assertSameBytes(_ ours: Data, _ theirs: Data, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let a = Self.normalized(ours), b = Self.normalized(theirs)
        if a != b {
            XCTFail("\(label): differs from the oracle (\(a.count) vs \(b.count) bytes)\n"
                    + Oracle.firstDifference(ours: Self.text(a), theirs: Self.text(b)).prefix(3000), file: file, line: line)
        }
        XCTAssertGreaterThan(b.count, 1000, "\(label): the oracle's output is suspiciously short", file: file, line: line)
    }

    // MARK: - Tests

    /// Each database through every dump format and restore path, compared with the source;
    /// the plain scripts compared with the oracle's.
    func roundTrips(_ db: String) throws {
        let f = try Self.fixture()
        let archive = f.path("\(db).dump"), plain = f.path("\(db).sql"), inserts = f.path("\(db)-inserts.sql")
        let rendered = f.path("\(db)-rendered.sql")
        _ = try cbdump(f, ["-Fc", "-f", archive], db: db)
        _ = try cbdump(f, ["-Fp", "--restrict-key", Self.key, "-f", plain], db: db)
        _ = try cbdump(f, ["-Fp", "--inserts", "--restrict-key", Self.key, "-f", inserts], db: db)
        _ = try cbrestore(f, ["--restrict-key", Self.key, "-f", rendered, archive])

        // The oracle writes the same scripts.
        let read = { (p: String) in try Data(contentsOf: URL(fileURLWithPath: p)) }
        assertSameBytes(try read(plain), try pgDump(f, db: db, ["-Fp"]), "\(db) cbdump -Fp")
        assertSameBytes(try read(inserts), try pgDump(f, db: db, ["-Fp", "--inserts"]), "\(db) cbdump -Fp --inserts")
        let pgRendered = try Oracle.pgRestore(f.bin, args: ["--restrict-key=\(Self.key)", "-f", "-", archive]).stdout
        assertSameBytes(try read(rendered), pgRendered, "\(db) cbrestore -f")

        // Every restore path gives back the source.
        let t1 = try freshDatabase(f, like: db)
        _ = try cbrestore(f, f.cluster.connectionArgs(db: t1) + ["--exit-on-error", archive])
        try assertSameDatabase(f, source: db, target: t1, "\(db) -Fc | cbrestore -d")
        for (script, label) in [(plain, "cbdump -Fp"), (inserts, "cbdump -Fp --inserts"), (rendered, "cbrestore -f")] {
            let t = try freshDatabase(f, like: db)
            try runScript(f, script, db: t, "\(db) \(label)")
            try assertSameDatabase(f, source: db, target: t, "\(db) \(label) | psql")
        }
    }

    func testUTF8DatabaseRoundTrips() throws {
        let f = try Self.fixture()
        // The fixture holds what it claims to.
        XCTAssertEqual(try f.cluster.psql("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.wide'::regclass AND attnum > 0", db: "hx"), "1600")
        XCTAssertEqual(try f.cluster.psql("SELECT length(t) > 4000000, length(b) > 4000000 FROM public.big", db: "hx"), "t|t")
        XCTAssertEqual(try f.cluster.psql("SELECT count(*) FROM pg_description WHERE strpos(description, E'\\n\\\\! touch ') > 0", db: "hx"), "6")
        try roundTrips("hx")
    }

    func testSQLASCIIDatabaseRoundTrips() throws {
        let f = try Self.fixture()
        // The invalid sequences are stored byte for byte.
        for (i, b) in Self.badBytes.enumerated() {
            XCTAssertEqual(try f.cluster.psql("SELECT encode(convert_to(v, 'SQL_ASCII'), 'hex') FROM raw WHERE id = \(i + 1)", db: "hx_ascii"), Self.hex(b))
        }
        XCTAssertTrue(try f.cluster.psql("SELECT encode(convert_to(via_literal, 'SQL_ASCII'), 'hex') FROM raw WHERE id = 100", db: "hx_ascii")
                        .hasPrefix("fffe80205c2027712720e90a5c2e0a5c21"))
        XCTAssertEqual(try f.cluster.psql("SELECT count(*) FROM pg_class WHERE position('\\xff'::bytea IN convert_to(relname::text, 'SQL_ASCII')) > 0", db: "hx_ascii"), "2")
        try roundTrips("hx_ascii")
    }

    /// The plain scripts are protected by `\restrict` from their first line on, and are safe
    /// without it too: with the `\restrict` and `\unrestrict` lines taken out, psql still runs
    /// no meta-command from the content (our own quoting); and a meta-command line spliced
    /// into the protected script is refused (the protection covers the content).
    func testPlainScriptsCannotRunMetaCommands() throws {
        let f = try Self.fixture()
        for db in ["hx", "hx_ascii"] {
            for (opts, label) in [(["-Fp"], "-Fp"), (["-Fp", "--inserts"], "--inserts"), (["-Fp", "--column-inserts", "-c", "--if-exists"], "--column-inserts -c")] {
                // The key is our fixed one, which the content also holds as `\unrestrict KEY`.
                let script = try cbdump(f, opts + ["--restrict-key", Self.key], db: db).stdout
                let lines = script.split(separator: 0x0a, omittingEmptySubsequences: false).map { Data($0) }
                let restrict = Data("\\restrict \(Self.key)".utf8), unrestrict = Data("\\unrestrict \(Self.key)".utf8)
                // Exactly one \restrict, before any statement, and \unrestrict last. (The
                // content holds "\unrestrict KEY" lines too, inside literals and bodies, as
                // in pg_dump's script: psql reads them as part of the quoted text.)
                XCTAssertEqual(lines.filter { $0 == restrict }.count, 1, "\(db) \(label): \\restrict lines")
                let first = lines.firstIndex(of: restrict) ?? .max
                let firstSQL = lines.firstIndex { !$0.isEmpty && !$0.starts(with: Array("--".utf8)) && $0 != restrict } ?? -1
                XCTAssertLessThan(first, firstSQL, "\(db) \(label): \\restrict is not the first command")
                XCTAssertEqual(lines.lastIndex { !$0.isEmpty }.map { lines[$0] }, unrestrict, "\(db) \(label): \\unrestrict is not last")

                let path = f.path("\(db)-meta.sql")
                try script.write(to: URL(fileURLWithPath: path))
                try runScript(f, path, db: try freshDatabase(f, like: db), "\(db) \(label)")

                // Without the protection: our quoting alone keeps the content out of psql's way.
                let bare = Data(lines.filter { $0 != restrict && $0 != unrestrict }.joined(separator: [0x0a]))
                try bare.write(to: URL(fileURLWithPath: path))
                try runScript(f, path, db: try freshDatabase(f, like: db), "\(db) \(label) without \\restrict")

                // A real meta-command line after the first statement is refused under \restrict.
                var spliced = lines
                spliced.insert(Data("\\! touch \(f.marker)".utf8), at: firstSQL + 1)
                try Data(spliced.joined(separator: [0x0a])).write(to: URL(fileURLWithPath: path))
                let r = try ProcessRunner.run(
                    f.bin.path("psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", path] + f.cluster.connectionArgs(db: try freshDatabase(f, like: db)))
                XCTAssertNotEqual(r.status, 0, "\(db) \(label): psql ran a spliced meta-command")
                XCTAssertTrue(r.stderrString.contains("restricted"), "\(db) \(label): \(r.stderrString.prefix(500))")
                XCTAssertFalse(FileManager.default.fileExists(atPath: f.marker), "\(db) \(label): the spliced \\! ran")
            }
        }
        // A key of our own making is random, and cbrestore -f protects its script the same way.
        let a = try cbdump(f, ["-Fp", "-s"], db: "hx").stdout, b = try cbdump(f, ["-Fp", "-s"], db: "hx").stdout
        func keyLine(_ d: Data) -> String? {
            Self.text(d).split(separator: "\n").first { $0.hasPrefix("\\restrict ") }.map(String.init)
        }
        XCTAssertNotNil(keyLine(a))
        XCTAssertNotEqual(keyLine(a), keyLine(b), "two dumps got the same restrict key")
        XCTAssertEqual(keyLine(a).map { $0.count - "\\restrict ".count }, 63)
        let archive = f.path("hx-meta.dump")
        _ = try cbdump(f, ["-Fc", "-f", archive], db: "hx")
        let rendered = try cbrestore(f, ["-f", "-", archive]).stdout
        XCTAssertNotNil(keyLine(rendered), "cbrestore -f wrote no \\restrict line")
        XCTAssertNotEqual(keyLine(rendered), "\\restrict \(Self.key)")
    }
}
