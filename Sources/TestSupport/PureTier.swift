import Foundation

/// The pure tier (`scripts/test.sh --pure`) runs with `CBDUMP_TEST_PURE=1`: its classes must
/// start no server and run no PostgreSQL program. With it set, looking up PostgreSQL's
/// programs (`PGBinaries`) and starting a cluster (`TestCluster`, `ClassCluster`) fail
/// instead of running or skipping, and print a line starting with `PureTier.marker` on
/// standard error, which `scripts/test.sh --pure` also checks for.
public enum PureTier {
    public static let marker = "CBDUMP_TEST_PURE violation"

    /// True when `CBDUMP_TEST_PURE` is set to anything but empty, `0` or `false`.
    public static var isOn: Bool {
        let value = (ProcessInfo.processInfo.environment["CBDUMP_TEST_PURE"] ?? "").lowercased()
        return !value.isEmpty && value != "0" && value != "false"
    }

    /// nil outside the pure tier; in it, reports `what` on standard error and returns the
    /// message for the error the caller throws.
    static func refusal(_ what: String) -> String? {
        guard isOn else { return nil }
        let message = "\(marker): \(what); the pure tier starts no server and runs no PostgreSQL program"
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return message
    }
}
