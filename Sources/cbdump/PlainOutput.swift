import Archive
import Console
import Restore

/// pg_dump -Fp: RestoreArchive over the dump's own in-memory archive. The script renderer
/// is cbrestore's, so the text is exactly what pg_restore (and pg_dump) print; table data
/// streams from COPY into the script as the renderer reaches each entry.
enum PlainOutput {
    static func render(_ archive: ArchiveReader, options: RestoreOptions, to sink: RestoreSink,
                       info: ((String) -> Void)? = nil) throws {
        let plan = try RestorePlan(archive: archive, options: options)
        let renderer = ScriptRenderer(plan: plan, output: sink)
        renderer.onInfo = info
        renderer.reportsLargeObjects = false
        defer { renderer.warnings.forEach { printError("cbdump: warning: \($0)\n") } }
        try renderer.render()
    }
}

/// The plain script compressed as pg_dump -Fp -Z writes it: the whole output one stream.
final class CompressedScriptOutput: RestoreSink {
    let file: CompressedFileWriter
    init(_ file: CompressedFileWriter) { self.file = file }
    var isScript: Bool { true }
    var serverVersion: Int? { nil }
    var errorCount: Int { 0 }
    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try file.write($0) } }
    func write(_ bytes: UnsafeRawBufferPointer) throws { try file.write(bytes) }
    func endCommand() throws {}
    func endFatalCommand(_ what: String) throws {}
    func beginCopy() throws {}
    func copyData(_ bytes: UnsafeRawBufferPointer) throws { try file.write(bytes) }
    func statementData(_ bytes: UnsafeRawBufferPointer) throws { try file.write(bytes) }
    func endCopy() throws {}
    func dataFailed(_ error: ArchiveError) throws { throw error }
    func reconnect(to dbname: [UInt8]) throws {}
    func setCurrentEntry(_ te: TocEntry?) {}
    func finish() throws { try file.finish() }
}
