import Archive
import Console
import ArgumentParser
import Catalog
import Dump
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

/// Short options that take a value: pg_dump (getopt) accepts them attached, as in -Fc, -Z9.
let shortWithValue: Set<Character> = ["d", "f", "F", "Z", "E", "n", "N", "t", "T", "h", "p", "U", "j", "e", "S"]

func fail(_ message: String, hint: Bool = false) -> Never {
    exitWithError(tool: "cbdump", message, hint: hint)
}

/// Long options that take a value: the next word is theirs, whatever it looks like.
let longWithValue: Set<String> = ["file", "format", "compress", "lock-wait-timeout", "encoding", "schema",
                                  "exclude-schema", "table", "exclude-table", "exclude-table-data", "extension",
                                  "exclude-extension", "section", "snapshot", "dbname", "host", "port",
                                  "username", "role", "jobs", "superuser", "restrict-key", "compress-jobs"]

let args = splitAttachedValues(ProgressMode.normalizeArguments(Array(CommandLine.arguments.dropFirst())), shortWithValue: shortWithValue,
                               longWithValue: longWithValue.union(pgDumpLongWithValue))
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
} catch let e as PostgresError {
    fail(e.description)
} catch {
    fail("\(error)")
}
exit(0)
