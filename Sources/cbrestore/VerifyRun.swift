import Archive
import Console
import Foundation
import Restore

/// cbrestore --verify: every data entry read, decompressed and checked (ArchiveVerifier),
/// then compared with ARCHIVE.manifest when there is one. One line per entry on standard
/// output, a summary; an unsound archive is an error (exit 1).
enum VerifyRun {
    /// A gpbackup set: one line per data entry (rows counted in every segment's file
    /// against the TOC's rowscopied), a summary; a problem is an error (exit 1).
    static func runGpbackup(_ reader: GpbackupArchiveReader) throws {
        let out = ScriptOutput(fileDescriptor: 1, path: "-")
        func say(_ s: String) throws { try out.write(Array((s + "\n").utf8)) }
        var bad = 0, rows: Int64 = 0, bytes: Int64 = 0, files = 0, count = 0
        for r in GpbackupVerifier.run(reader) {
            count += 1
            rows += r.rows; bytes += r.bytes; files += r.files
            if r.isSound {
                try say("ok      \(r.name): \(r.rows) rows (rowscopied \(r.expectedRows)), \(r.bytes) bytes in \(r.files) segment file(s)")
            } else {
                bad += 1
                for p in r.problems { try say("FAILED  \(r.name): \(p)") }
            }
        }
        let set = reader.set
        try say("\(count) data entries, \(bad) unsound; \(rows) rows, \(bytes) bytes of data in \(files) segment file(s); "
                + "gpbackup \(set.timestamp), \(set.segmentCount) segment(s), \(set.compression.name)\(set.config.singleDataFile ? ", single data file" : "")")
        try out.finish()
        if bad > 0 { throw RestoreError("gpbackup set \"\(set.tocPath)\" is not sound: \(bad) problem(s)") }
    }

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
