import Foundation
#if canImport(XCTest)
import XCTest
#endif

/// A PostgreSQL 15 cluster and a scratch folder shared by the tests of one class: made in
/// the class's `setUp()`, stopped and removed in its `tearDown()`. A set-up failure is kept
/// and reported by `require()` in every test: as a skip when no cluster could be started
/// (or `prepare` threw a skip), as a failure when `prepare` failed or when the pure tier
/// (`PureTier`) is on.
public final class ClassCluster: Sendable {
    /// The scratch folder, `/tmp/cbdump-<label>-<pid>`, made empty before `prepare` runs.
    public let workDir: String
    /// The cluster, or nil when it could not be made ready.
    public let cluster: TestCluster?
    /// Why the cluster is unavailable (nil when it is ready).
    public let setupError: String?
    /// True when the cluster started but `prepare` failed with an error that is not a skip.
    private let preparationFailed: Bool

    /// Starts the cluster, makes the scratch folder and runs `prepare(cluster, workDir)` to
    /// load the class's databases.
    public init(label: String, prepare: (TestCluster, String) throws -> Void) {
        workDir = "/tmp/cbdump-\(label)-\(getpid())"
        var made: TestCluster?
        var failure: String?
        var failed = false
        do {
            let c = try TestCluster(major: 15)
            made = c
            try? FileManager.default.removeItem(atPath: workDir)
            try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
            try prepare(c, workDir)
        } catch {
            failure = "\(error)"
            #if canImport(XCTest)
            failed = made != nil && !(error is XCTSkip)
            #else
            failed = made != nil
            #endif
            // In the pure tier no cluster may be wanted: a failure in every test, not a skip.
            if PureTier.isOn { failed = true }
            print("\(label) fixture set-up failed: \(error)")
        }
        cluster = failure == nil ? made : nil
        setupError = failure
        preparationFailed = failed
        if failure != nil { made?.stop() }
    }

    /// The cluster and PostgreSQL 15's binaries, or a thrown skip or error that says why not.
    public func require() throws -> (TestCluster, PGBinaries) {
        if preparationFailed { throw TestSupportError.other("fixture set-up failed: \(setupError ?? "?")") }
        guard let c = cluster, let bin = PGBinaries.major(15) else {
            let reason = "no PostgreSQL 15 cluster: \(setupError ?? "PostgreSQL 15 not installed")"
            #if canImport(XCTest)
            throw XCTSkip(reason)
            #else
            throw TestSupportError.other(reason)
            #endif
        }
        return (c, bin)
    }

    /// Stops the cluster and removes the scratch folder.
    public func stop() {
        cluster?.stop()
        try? FileManager.default.removeItem(atPath: workDir)
    }
}
