import Foundation

/// Errors thrown by the test-support harness. The description is meant to be read in a
/// test log: it carries the command, its exit status and its standard error.
public enum TestSupportError: Error, CustomStringConvertible, Sendable {
    /// The executable could not be found or started.
    case launchFailed(command: [String], reason: String)
    /// A process exited with a non-zero status (or was killed by a signal).
    case processFailed(command: [String], status: Int32, stderr: String)
    /// No usable binaries for this PostgreSQL major version.
    case majorUnavailable(major: Int, reason: String)
    /// A throwaway cluster could not be created or started; `detail` holds the tool output
    /// and the tail of the server log.
    case clusterStartFailed(major: Int, detail: String)
    /// Anything else (file system, missing OS user, ...).
    case other(String)

    public var description: String {
        switch self {
        case let .launchFailed(command, reason):
            return "could not run \(command.joined(separator: " ")): \(reason)"
        case let .processFailed(command, status, stderr):
            return "\(command.joined(separator: " ")) exited with status \(status)\n\(stderr)"
        case let .majorUnavailable(major, reason):
            return "PostgreSQL \(major) binaries unavailable: \(reason)"
        case let .clusterStartFailed(major, detail):
            return "could not start a PostgreSQL \(major) test cluster:\n\(detail)"
        case let .other(message):
            return message
        }
    }
}

extension TestSupportError: LocalizedError {
    public var errorDescription: String? { description }
}
