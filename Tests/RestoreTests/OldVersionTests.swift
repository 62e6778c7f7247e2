import Archive
import Foundation
import TestSupport
import XCTest

/// Archive versions 1.12 and 1.13 (PostgreSQL 9.x to 11) cannot be written by any pg_dump
/// installed here, but pg_restore 15 still reads them. So these tests rewrite a real 1.14
/// archive into the older layouts (no `tableam` field; for 1.12 also no SEARCHPATH entry,
/// which makes pg_restore set search_path per entry) and compare with pg_restore 15.
final class OldVersionTests: XCTestCase {
    func testVersions112And113MatchPgRestore15() throws {
        let fx = try OracleFixture.shared()
        guard let bin = PGBinaries.major(15) else { throw XCTSkip("pg_restore 15 not available") }
        var cases: [CompareCase] = []
        for source in fx.archives where source.producer == 15 && (source.name.hasSuffix("-custom") || source.name.hasSuffix("-custom-Z0")) {
            for minor: UInt8 in [12, 13] {
                let path = fx.workDir + "/\(source.name)-as-1.\(minor).dump"
                try Self.downgrade(source.path, to: minor, output: path)
                let old = OracleArchive(name: "\(source.name) as 1.\(minor)", path: path, producer: 15, streamable: true)
                let names = try ArchiveNames(path)
                for opts in [[], ["-l"], ["-v"], ["-c", "--if-exists"], ["-C", "-c"], ["-n", names.schema], ["-O", "-x"],
                             ["--use-set-session-authorization"], ["-a", "--disable-triggers"], ["-s"], ["-t", names.table]] {
                    cases.append(CompareCase(archive: old, bin: bin, opts: opts, stdin: false))
                }
                cases.append(CompareCase(archive: old, bin: bin, opts: [], stdin: true))
            }
        }
        var report = CompareReport()
        report.run(cases)
        report.finish(self)
    }

    /// Re-encodes a custom-format 1.14 archive as 1.12 or 1.13. Data blocks are copied as
    /// they are; their TOC offsets become "not set", so readers find them by scanning.
    static func downgrade(_ path: String, to minor: UInt8, output: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try CustomArchiveReader(input: ByteInput(bytes: bytes, name: path))
        let h = reader.header
        guard h.version == ArchiveVersion(1, 14), h.intSize == 4 else { throw XCTSkip("not a 1.14 archive") }
        let dataStart = Int(reader.entries.filter { $0.dataState == .posSet }.map(\.dataPos).min() ?? Int64(bytes.count))

        var out: [UInt8] = Array("PGDMP".utf8) + [1, minor, 0, 4, UInt8(h.offSize), 1]
        func int(_ v: Int32) {
            out.append(v < 0 ? 1 : 0)
            let m = UInt32(v.magnitude)
            out += [UInt8(m & 0xff), UInt8((m >> 8) & 0xff), UInt8((m >> 16) & 0xff), UInt8(m >> 24)]
        }
        func str(_ s: [UInt8]?) {
            guard let s else { return int(-1) }
            int(Int32(s.count)); out += s
        }
        int(Int32(h.compressionLevel ?? -1))
        h.createdTM!.forEach(int)
        str(h.dbname); str(h.serverVersion); str(h.dumpVersion)
        let entries = reader.entries.filter { minor >= 13 || $0.desc != "SEARCHPATH" }
        int(Int32(entries.count))
        for te in entries {
            int(te.dumpId); int(te.hadDumper ? 1 : 0)
            str(Array(String(te.tableOid).utf8)); str(Array(String(te.oid).utf8))
            str(te.tag); str(Array(te.desc.utf8)); int(te.section.rawValue)
            str(te.defn); str(te.dropStmt); str(te.copyStmt); str(te.namespace); str(te.tablespace)
            str(te.owner); str(Array((te.withOids ? "true" : "false").utf8))
            te.dependencies.forEach { str(Array(String($0).utf8)) }
            str(nil)
            out.append(te.dataState == .noData ? 3 : 1)
            out += [UInt8](repeating: 0, count: h.offSize)
        }
        out += bytes[dataStart...]
        try Data(out).write(to: URL(fileURLWithPath: output))
    }
}
