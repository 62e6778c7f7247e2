import Archive
import Console
import Restore

/// pg_dump -Fp: RestoreArchive over the dump's own in-memory archive. The script renderer
/// is cbrestore's, so the text is exactly what pg_restore (and pg_dump) print; table data
/// streams from COPY into the script as the renderer reaches each entry.
enum PlainOutput {
    static func render(_ archive: ArchiveReader, options: RestoreOptions, to sink: RestoreSink) throws {
        let plan = try RestorePlan(archive: archive, options: options)
        let renderer = ScriptRenderer(plan: plan, output: sink)
        defer { renderer.warnings.forEach { printError("cbdump: warning: \($0)\n") } }
        try renderer.render()
    }
}
