import Archive
import Console
import ArgumentParser
import Restore
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, hint: Bool = false) -> Never {
    exitWithError(tool: "cbrestore", message, hint: hint)
}

// Read as getopt_long reads pg_dump's command line (clusters, unique prefixes, -V, -?).
let args: [String]
do {
    args = try Getopt(dumpHelp: CBRestoreCommand._dumpHelp(), optionalValues: ["progress": ["bar", "json"]]).normalize(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error)", hint: true)
}
let command: CBRestoreCommand
do {
    command = try CBRestoreCommand.parse(args)
} catch {
    let code = CBRestoreCommand.exitCode(for: error)
    if code == .success {
        print(CBRestoreCommand.fullMessage(for: error))
        exit(0)
    }
    fail(CBRestoreCommand.message(for: error), hint: true)
}

do {
    try Runner(command).run()
} catch {
    exitWithError(tool: "cbrestore", error)
}
do {
    try OutputFile.commit()
} catch {
    fail("\(error)")
}
exit(0)
