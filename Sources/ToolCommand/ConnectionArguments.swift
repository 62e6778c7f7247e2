import ArgumentParser
import PostgresClient

/// The connection options cbdump, cbrestore and cbdumpall share, spelled as pg_dump,
/// pg_restore and pg_dumpall spell them (each tool's -d, --role, and cbdumpall's -l stay
/// with the tool: their help differs). Declared where each tool lists its connection
/// options, so --help and getopt_long's order are the tool's own.
public struct ConnectionArguments: ParsableArguments {
    @Option(name: [.customShort("h"), .customLong("host")], help: "Database server host or socket directory.")
    public var host: String?
    @Option(name: [.customShort("p"), .customLong("port")], help: "Database server port number.")
    public var port: String?
    @Option(name: [.customShort("U"), .customLong("username")], help: "Connect as specified database user.")
    public var username: String?
    @Flag(name: [.customShort("w"), .customLong("no-password")], help: "Never prompt for password.")
    public var noPassword = false
    @Flag(name: [.customShort("W"), .customLong("password")], help: "Force password prompt (should happen automatically).")
    public var password = false

    public init() {}

    /// -W, -w or neither; -W wins when both are given.
    public var prompt: PasswordPrompt { password ? .always : noPassword ? .never : .ifNeeded }
}
