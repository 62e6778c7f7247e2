import ArgumentParser
import Console
import DumpAll
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

/// Short options that take a value: pg_dumpall (getopt) accepts them attached, as in -fout.sql.
let shortWithValue: Set<Character> = ["d", "E", "f", "F", "h", "l", "p", "S", "U"]
/// Long options that take a value: the next word is theirs, whatever it looks like.
let longWithValue: Set<String> = ["file", "format", "lock-wait-timeout", "encoding", "exclude-database",
                                  "restrict-key", "dbname", "host", "database", "port", "username", "role",
                                  "superuser", "extra-float-digits", "rows-per-insert"]

func fail(_ message: String, detail: String? = nil, hint: Bool = false) -> Never {
    exitWithError(tool: "cbdumpall", message, details: detail.map { [$0] } ?? [], hint: hint)
}

let args = splitAttachedValues(Array(CommandLine.arguments.dropFirst()), shortWithValue: shortWithValue,
                               longWithValue: longWithValue)
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
    try Runner(command).run()
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
