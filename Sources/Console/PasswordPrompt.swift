#if canImport(Glibc)
import Glibc
#endif

/// simple_prompt("Password: ", false), for cbrestore, cbdump and cbdumpall: the prompt and the answer go through the terminal
/// (/dev/tty), with echo off; without a terminal, standard error and standard input.
public func promptPassword(_ prompt: String = "Password: ") -> String? {
    var input = fopen("/dev/tty", "r")
    var output = fopen("/dev/tty", "w")
    if input == nil || output == nil {
        if let input { fclose(input) }
        if let output { fclose(output) }
        input = fdopen(dup(0), "r")
        output = fdopen(dup(2), "w")
    }
    guard let input, let output else { return nil }
    defer { fclose(input); fclose(output) }

    let fd = fileno(input)
    var saved = termios()
    let isTerminal = tcgetattr(fd, &saved) == 0
    if isTerminal {
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSAFLUSH, &quiet)
    }
    fputs(prompt, output)
    fflush(output)
    var line: [UInt8] = []
    while true {
        let c = fgetc(input)
        if c == EOF || c == 0x0a { break }
        line.append(UInt8(truncatingIfNeeded: c))
    }
    if line.last == 0x0d { line.removeLast() }
    if isTerminal {
        tcsetattr(fd, TCSAFLUSH, &saved)
        fputs("\n", output)
        fflush(output)
    }
    return String(decoding: line, as: UTF8.self)
}
