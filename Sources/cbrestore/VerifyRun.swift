import Archive
import Console
import Foundation
import Restore

/// cbrestore --verify: every data entry read, decompressed and checked (ArchiveVerifier),
/// then compared with ARCHIVE.manifest when there is one. One line per entry on standard
/// output, a summary; an unsound archive is an error (exit 1).
enum VerifyRun {
    static func run(_ reader: ArchiveReader, archivePath: String?) throws {
        let out = ScriptOutput(fileDescriptor: 1, path: "-")
        func say(_ s: String) throws { try out.write(Array((s + "\n").utf8)) }
        var results = ArchiveVerifier(reader: reader).run()
        var archiveProblems: [String] = []
        var manifestNote = "no manifest"
        if let path = archivePath, path != "-" {
            let mpath = ArchiveManifest.path(forArchive: path)
            if FileManager.default.fileExists(atPath: mpath) {
                let manifest = try ArchiveManifest.load(path: mpath)
                archiveProblems = manifest.check(&results, reader: reader)
                manifestNote = "checked against \(mpath)"
            }
        }
        var bad = 0
        var bytes: Int64 = 0, rows: Int64 = 0
        for r in results {
            bytes += r.bytes
            rows += r.rows ?? 0
            let what = r.rows.map { "\($0) rows, " } ?? (r.largeObjects > 0 ? "\(r.largeObjects) large objects, " : "")
            if r.isSound {
                try say("ok      \(r.name): \(what)\(r.bytes) bytes")
            } else {
                bad += 1
                for p in r.problems { try say("FAILED  \(r.name): \(p)") }
            }
        }
        for p in archiveProblems { try say("FAILED  archive: \(p)") }
        try say("\(results.count) data entries, \(bad) unsound; \(rows) rows, \(bytes) bytes of data; \(manifestNote)")
        try out.finish()
        if bad > 0 || !archiveProblems.isEmpty {
            throw RestoreError("archive \"\(archivePath ?? "-")\" is not sound: \(bad + archiveProblems.count) problem(s)")
        }
    }
}
