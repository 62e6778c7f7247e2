import ArgumentParser
import Console
import DumpAll
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, detail: String? = nil, hint: Bool = false) -> Never {
    exitWithError(tool: "cbdumpall", message, details: detail.map { [$0] } ?? [], hint: hint)
}

// Read as getopt_long reads pg_dump's command line (clusters, unique prefixes, -V, -?).
let args: [String]
do {
    args = try Getopt(dumpHelp: CBDumpallCommand._dumpHelp()).normalize(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error)", hint: true)
}
let command: CBDumpallCommand
do {
    command = try CBDumpallCommand.parse(args)
} catch {
    if CBDumpallCommand.exitCode(for: error) == .success {
        print(CBDumpallCommand.fullMessage(for: error))
        exit(0)
    }
    fail(CBDumpallCommand.message(for: error), hint: true)
}

do {
    try Runner(command, arguments: args).run()
    try OutputFile.commit(sync: !command.noSync)
} catch let e as UsageError {
    fail(e.description, hint: e.hint)
} catch let e as DumpAllError {
    fail(e.message, detail: e.detail)
} catch let e as PostgresError {
    fail(e.description)
} catch {
    fail("\(error)")
}
exit(0)
