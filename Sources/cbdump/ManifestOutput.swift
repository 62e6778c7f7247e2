import Archive
import Restore

/// cbdump --manifest: the finished archive read back (every data entry decompressed and
/// checked, as cbrestore --verify does) and ARCHIVE.manifest written beside it, with each
/// entry's byte count and SHA-256 and the archive's own, for formats that carry no checksum.
enum ManifestOutput {
    static func write(archivePath: String, format: ArchiveFormat) throws {
        let reader = try ArchiveOpener.open(path: archivePath, format: format)
        let results = ArchiveVerifier(reader: reader).run()
        if let bad = results.first(where: { !$0.isSound }) {
            throw RestoreError("the archive just written does not verify: \(bad.name): \(bad.problems.joined(separator: "; "))")
        }
        try ArchiveManifest(reader: reader, results: results).write(to: ArchiveManifest.path(forArchive: archivePath))
    }
}
