import Archive
import Console
import ArgumentParser
import Restore
#if canImport(Glibc)
import Glibc
#endif

/// Short options that take a value: pg_restore (getopt) accepts them attached, as in -Fc.
let shortWithValue: Set<Character> = ["d", "f", "F", "I", "j", "L", "n", "N", "P", "S", "t", "T", "h", "p", "U"]

func fail(_ message: String, hint: Bool = false) -> Never {
    exitWithError(tool: "cbrestore", message, hint: hint)
}

let args = splitAttachedValues(ProgressMode.normalizeArguments(Array(CommandLine.arguments.dropFirst())), shortWithValue: shortWithValue)
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
} catch let e as ArchiveError {
    fail(e.description)
} catch let e as RestoreError {
    fail(e.description)
} catch let e as ScriptOutput.OutputError {
    fail(e.description)
} catch {
    fail("\(error)")
}
do {
    try OutputFile.commit()
} catch {
    fail("\(error)")
}
exit(0)
