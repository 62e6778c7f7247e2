import ArgumentParser
import Console
import DumpAll
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, hint: Bool = false) -> Never {
    exitWithError(tool: "cbdumpall", message, hint: hint)
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
} catch {
    exitWithError(tool: "cbdumpall", error)
}
exit(0)
