/// The one error type of cbdump, cbrestore and cbdumpall: what pg_dump, pg_restore and
/// pg_dumpall report before they exit 1. `message` is pg_log_error's line, `details` the
/// pg_log_error_detail lines after it, and `hint` whether the "Try "TOOL --help"" line
/// follows (a mistake in the options). Library modules throw it; the executables print it
/// (`exitWithError(tool:_:)`).
public struct ToolError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let details: [String]
    public let hint: Bool

    public init(_ message: String, detail: String? = nil, hint: Bool = false) {
        self.init(message, details: detail.map { [$0] } ?? [], hint: hint)
    }

    public init(_ message: String, details: [String], hint: Bool = false) {
        self.message = message
        self.details = details
        self.hint = hint
    }

    public var description: String { message }
}
