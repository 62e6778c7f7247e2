import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// cbrestore --verify and cbdump --manifest end to end, on archives cbdump and pg_dump wrote
/// from a real server: sound archives verify (exit 0), damaged ones do not (exit 1, the entry
/// named), and a change the format cannot see (uncompressed data) is caught by the manifest.
final class VerifyCommandTests: XCTestCase {
    func testVerifyAndManifest() throws {
        let cluster = try TestCluster(major: 15)
        defer { cluster.stop() }
        try cluster.createDatabase("src")
        _ = try cluster.psql("""
            CREATE TABLE t (id int PRIMARY KEY, v text, j jsonb);
            INSERT INTO t SELECT g, 'value ' || g, jsonb_build_object('g', g) FROM generate_series(1, 5000) g;
            CREATE TABLE "odd, name" ("a (b)" int, c text);
            INSERT INTO "odd, name" VALUES (1, E'tab\\there'), (2, NULL);
            SELECT lo_from_bytea(0, 'large object bytes');
            """, db: "src")
        let dir = NSTemporaryDirectory() + "cbverify-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["LC_ALL": "C"]
        func cbdump(_ args: [String]) throws -> ProcessResult {
            try ProcessRunner.run(ProcessRunner.product("cbdump"), args + cluster.connectionArgs(db: "src"), environment: env)
        }
        func verify(_ path: String) throws -> ProcessResult {
            try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["--verify", path], environment: env)
        }

        // Sound: cbdump's archives in every format, with and without a manifest; pg_dump's.
        let z0 = dir + "/z0.dump", gz = dir + "/gz.dump", zst = dir + "/zstd.dump", d = dir + "/d.dir", tar = dir + "/t.tar"
        for (path, args) in [(z0, ["-Fc", "-Z0", "--manifest"]), (gz, ["-Fc"]), (zst, ["-Fc", "-Z", "zstd", "--manifest"]),
                             (d, ["-Fd", "--manifest"]), (tar, ["-Ft", "--manifest"])] {
            let r = try cbdump(args + ["-f", path])
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderrString)")
            let v = try verify(path)
            XCTAssertEqual(v.status, 0, "\(path): \(v.stdoutString) \(v.stderrString)")
            XCTAssertTrue(v.stdoutString.contains("TABLE DATA public t") && v.stdoutString.contains("5000 rows"), v.stdoutString)
            XCTAssertTrue(v.stdoutString.contains("TABLE DATA public odd, name") && v.stdoutString.contains("2 rows"), v.stdoutString)
            XCTAssertEqual(FileManager.default.fileExists(atPath: path + ".manifest"), args.contains("--manifest"))
            // The archive is still pg_dump's: pg_restore lists it as cbrestore does (the
            // newest one here: zstd needs 16 or later).
            let newest = [18, 17, 16].lazy.compactMap { PGBinaries.major($0) }.first ?? cluster.binaries
            if args.contains("zstd") && newest.major < 16 { continue }
            let theirs = try Oracle.pgRestore(newest, args: ["-l", path])
            let ours = try ProcessRunner.run(ProcessRunner.product("cbrestore"), ["-l", "--compat-version", String(newest.major), path], environment: env)
            XCTAssertEqual(ours.stdoutString, theirs.stdoutString, path)
        }
        let pgd = dir + "/pg.dump"
        _ = try Oracle.pgDump(cluster.binaries, cluster: cluster, db: "src", args: ["-Fc", "-f", pgd])
        XCTAssertEqual(try verify(pgd).status, 0)
        XCTAssertEqual(try ProcessRunner.run(ProcessRunner.product("cbdump"), ["--manifest", "-Fp"] + cluster.connectionArgs(db: "src"),
                                             environment: env).status, 1, "--manifest needs an archive file")

        // Truncated compressed archives: the damaged entry is named.
        for path in [gz, zst] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let cut = dir + "/cut-" + (path as NSString).lastPathComponent
            try bytes.prefix(bytes.count - 40).write(to: URL(fileURLWithPath: cut))
            let v = try verify(cut)
            XCTAssertEqual(v.status, 1, "\(cut): \(v.stdoutString)")
            XCTAssertTrue(v.stdoutString.contains("FAILED"), v.stdoutString)
            XCTAssertTrue(v.stderrString.contains("is not sound"), v.stderrString)
        }

        // One digit changed inside the uncompressed data: the COPY framing is still right,
        // so only the manifest can tell; with it, the entry fails.
        var raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: z0)))
        let needle = Array("value 4321".utf8)
        let at = try XCTUnwrap((0...(raw.count - needle.count)).first { Array(raw[$0..<$0 + needle.count]) == needle })
        raw[at + needle.count - 1] = UInt8(ascii: "9")
        let bad = dir + "/bad.dump"
        try Data(raw).write(to: URL(fileURLWithPath: bad))
        XCTAssertEqual(try verify(bad).status, 0, "no manifest: the format cannot see it")
        try FileManager.default.copyItem(atPath: z0 + ".manifest", toPath: bad + ".manifest")
        let v = try verify(bad)
        XCTAssertEqual(v.status, 1, v.stdoutString)
        XCTAssertTrue(v.stdoutString.contains("FAILED  ") && v.stdoutString.contains("TABLE DATA public t"), v.stdoutString)
        XCTAssertTrue(v.stdoutString.contains("SHA-256"), v.stdoutString)
    }
}
