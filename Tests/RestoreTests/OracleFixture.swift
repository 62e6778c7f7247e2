import Archive
import Foundation
import TestSupport
import XCTest

/// One archive made by a real pg_dump from the fixture database.
struct OracleArchive: Sendable {
    /// e.g. "pg16-custom-lz4".
    let name: String
    let path: String
    /// The pg_dump major that wrote it.
    let producer: Int
    /// Whether it can also be fed through a pipe (custom and tar; not directory).
    let streamable: Bool
}

/// The shared source of truth for the comparison tests: one PostgreSQL 15 cluster with the
/// fixture database, dumped by every available pg_dump in every format and compression.
/// Built once per test process, torn down at exit by TestSupport's cluster registry.
final class OracleFixture: @unchecked Sendable {
    // @unchecked: all state is written once under `lock` in `shared()` and read-only after.
    let cluster: TestCluster
    let workDir: String
    let database = "fixturedb"
    private(set) var archives: [OracleArchive] = []

    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: Result<OracleFixture, Error>?

    static func shared() throws -> OracleFixture {
        lock.lock()
        defer { lock.unlock() }
        if let instance { return try instance.get() }
        let result = Result { try OracleFixture() }
        instance = result
        return try result.get()
    }

    private init() throws {
        cluster = try TestCluster(major: 15)
        workDir = NSTemporaryDirectory() + "cbrestore-oracle-\(getpid())"
        try? FileManager.default.removeItem(atPath: workDir)
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        try cluster.createDatabase(database)
        for file in try Self.schemaFiles() {
            try cluster.psqlFile(file, db: database)
        }
        for major in PGBinaries.knownMajors {
            guard let bin = PGBinaries.major(major) else {
                print("note: pg_dump \(major) not available (\(PGBinaries.unavailableReason(major) ?? "?")); its archives are not compared")
                continue
            }
            try makeArchives(bin)
        }
    }

    static func schemaFiles() throws -> [String] {
        guard let root = ProcessRunner.repositoryRoot else { throw XCTSkip("repository root not found") }
        let dir = root + "/Fixtures/schemas"
        return try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".sql") }.sorted().map { dir + "/" + $0 }
    }

    private func makeArchives(_ bin: PGBinaries) throws {
        let m = bin.major
        var variants: [(String, [String], Bool)] = [
            ("custom", ["-Fc"], true),
            ("custom-Z0", ["-Fc", "-Z0"], true),
            ("custom-Z9", ["-Fc", "-Z9"], true),
            ("dir", ["-Fd"], false),
            ("dir-Z0", ["-Fd", "-Z0"], false),
            ("tar", ["-Ft"], true),
            // Table data as SQL statements instead of COPY.
            ("custom-inserts", ["-Fc", "--inserts"], true),
            ("custom-column-inserts", ["-Fc", "-Z0", "--column-inserts", "--rows-per-insert=7"], true),
        ]
        if m >= 16 {
            variants += [
                ("custom-lz4", ["-Fc", "-Z", "lz4"], true),
                ("custom-zstd", ["-Fc", "-Z", "zstd"], true),
                ("dir-lz4", ["-Fd", "-Z", "lz4"], false),
                ("dir-zstd", ["-Fd", "-Z", "zstd"], false),
            ]
        }
        for (suffix, args, streamable) in variants {
            let name = "pg\(m)-\(suffix)"
            let path = workDir + "/" + name + (suffix.hasPrefix("dir") ? "" : ".dump")
            _ = try Oracle.pgDump(bin, cluster: cluster, db: database, args: args + ["-f", path])
            archives.append(OracleArchive(name: name, path: path, producer: m, streamable: streamable))
        }
        // Written through a pipe: no data offsets, so readers must scan.
        let piped = try Oracle.pgDump(bin, cluster: cluster, db: database, args: ["-Fc"])
        let path = workDir + "/pg\(m)-custom-piped.dump"
        try piped.stdout.write(to: URL(fileURLWithPath: path))
        archives.append(OracleArchive(name: "pg\(m)-custom-piped", path: path, producer: m, streamable: true))
    }
}

/// Names picked from an archive to drive -n/-t/-I/-P/-T, so the selections hit something.
struct ArchiveNames {
    var schema = "public", table = "", index = "", function = "", trigger = "", hostileTable: String?

    init(_ path: String) throws {
        let reader = try ArchiveOpener.open(path: path)
        func s(_ b: [UInt8]?) -> String { String(decoding: b ?? [], as: UTF8.self) }
        let tables = reader.entries.filter { $0.desc == "TABLE" }
        if let t = tables.first(where: { $0.namespace != Array("public".utf8) }) ?? tables.first {
            schema = s(t.namespace)
            table = s(t.tag)
        }
        hostileTable = tables.map { s($0.tag) }.first { $0.contains("\"") || $0.contains("\n") || $0.contains(" ") }
        index = s(reader.entries.first { $0.desc == "INDEX" }?.tag)
        function = s(reader.entries.first { $0.desc == "FUNCTION" }?.tag)
        trigger = s(reader.entries.first { $0.desc == "TRIGGER" }?.tag)
    }
}
