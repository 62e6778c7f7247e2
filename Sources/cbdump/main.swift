import Archive
import Console
import ArgumentParser
import Catalog
import Dump
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, hint: Bool = false) -> Never {
    exitWithError(tool: "cbdump", message, hint: hint)
}

// Read as getopt_long reads pg_dump's command line (clusters, unique prefixes, -V, -?).
let args: [String]
do {
    args = try CBDumpCommand.getopt.normalize(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error)", hint: true)
}
let command: CBDumpCommand
do {
    command = try CBDumpCommand.parse(args)
} catch {
    if CBDumpCommand.exitCode(for: error) == .success {
        print(CBDumpCommand.fullMessage(for: error))
        exit(0)
    }
    fail(CBDumpCommand.message(for: error), hint: true)
}

do {
    let runner = DumpRunner(command, args: args)
    try runner.checkManifestOption()
    try runner.run()
    try OutputFile.commit(sync: !command.noSync)
    if command.manifest, let path = command.file {
        try ManifestOutput.write(archivePath: path, format: try runner.archiveFormat())
    }
} catch let e as QueryFailed {
    exitWithError(tool: "cbdump", e.message, details: [e.detail])
} catch let e as TableDataFailed {
    exitWithError(tool: "cbdump", e.message, details: e.details)
} catch {
    exitWithError(tool: "cbdump", error)
}
exit(0)
