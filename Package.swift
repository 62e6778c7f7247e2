// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cbdump",
    // No `platforms`: the package is built and tested on Linux (Debian) only. Several files
    // import Glibc without a Darwin branch and DumpAll reads /proc/self/exe, so no macOS
    // build has been made or is claimed.
    products: [
        .executable(name: "cbrestore", targets: ["cbrestore"]),
        .executable(name: "cbdump", targets: ["cbdump"]),
        .executable(name: "cbdumpall", targets: ["cbdumpall"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries: nothing but module maps.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // What the tools share on the console: standard error, getopt_long-style option
        // splitting, --filter files, option_parse_int, restrict keys, progress, and the
        // output file that appears only when complete.
        .target(name: "Console"),
        // The only libpq caller.
        .target(name: "PostgresClient", dependencies: ["CLibPQ", "Console"]),
        // Archive model, the formats' readers and writers, codecs, compression threads. No
        // database.
        .target(name: "Archive", dependencies: ["CZlib", "CLZ4", "CZstd", "Console"]),
        // Restore engine: selection and ordering, -l, the script renderer (also behind
        // cbdump's plain output), live and parallel restore, --verify.
        .target(name: "Restore", dependencies: ["Archive", "PostgresClient", "Console"]),
        // Catalog reading on the source side: the dumpable objects and their dependencies.
        .target(name: "Catalog", dependencies: ["PostgresClient"]),
        // DDL per object kind, the sorter, and the dumper that makes TOC entries and data.
        .target(name: "Dump", dependencies: ["Catalog", "Archive", "PostgresClient", "Console"]),
        // pg_dumpall's part: roles, memberships, tablespaces and their settings; the whole
        // cluster one database at a time (a script through the cbdump binary, as pg_dumpall
        // runs pg_dump; -F d/-F c through Dump in process).
        .target(name: "DumpAll", dependencies: ["Dump", "Catalog", "Archive", "PostgresClient", "Console"]),
        // What the three tools' command lines share on top of swift-argument-parser: the
        // connection options.
        .target(name: "ToolCommand", dependencies: [
            "PostgresClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "cbdumpall", dependencies: [
            "DumpAll", "Console", "PostgresClient", "ToolCommand",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "cbdump", dependencies: [
            "Archive", "Catalog", "Dump", "PostgresClient", "Console", "Restore", "ToolCommand",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Development tool: compares two archives entry by entry.
        .executableTarget(name: "archive-diff", dependencies: ["Archive"]),
        .executableTarget(name: "cbrestore", dependencies: [
            "Archive", "Restore", "Console", "ToolCommand",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The archive fuzz target's body: one input through open, data, script and verifier.
        .target(name: "ArchiveFuzzHarness", dependencies: ["Archive", "Restore"]),

        // Test-only support: throwaway clusters and the pg_dump/pg_restore oracle.
        .target(name: "TestSupport"),

        // Pure tests of what the three tools share: filter files, option_parse_int, restrict
        // keys, getopt_long-style splitting.
        .testTarget(name: "ConsoleTests", dependencies: ["Console"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "TestSupport"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "ArchiveFuzzHarness", "TestSupport"]),
        .testTarget(name: "RestoreTests", dependencies: ["Archive", "Restore", "TestSupport", "cbrestore"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        // gpbackup sets made at test time from a live database, read by cbrestore.
        .testTarget(name: "GpbackupTests", dependencies: ["Archive", "Restore", "PostgresClient", "TestSupport", "cbrestore"]),
        .testTarget(name: "DumpTests", dependencies: ["Dump", "Catalog", "Archive", "TestSupport", "cbdump", "cbrestore"]),
        .testTarget(name: "DumpAllTests", dependencies: ["DumpAll", "Archive", "TestSupport", "cbdumpall", "cbrestore"]),
    ]
)

// libFuzzer target for the archive reader, declared only for scripts/fuzz-archive.sh
// (CBDUMP_FUZZ=1 swift build -Xswiftc -sanitize=fuzzer --product archive-fuzz): libFuzzer
// supplies its main, so an ordinary build could not link it.
if Context.environment["CBDUMP_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "archive-fuzz", dependencies: ["ArchiveFuzzHarness"],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}

// Release builds leave out Swift's run-time exclusivity checks: on a 10,000-table schema they
// were 14% of cbdump's instructions (swift_beginAccess and its thread-local access set, on
// every class property read). The compile-time checks stay, and debug builds, which the test
// suite runs (also under the sanitizers), keep the run-time ones, so a violation still fails
// the tests.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? [])
        + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
