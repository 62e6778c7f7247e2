/// The tools' version, in one place.
public enum ToolVersion {
    /// cbdump, cbrestore and cbdumpall's own release.
    public static let release = "0.1"
    /// The newest PostgreSQL major whose tools they reproduce, and the oldest.
    public static let newestMajor = 18
    public static let oldestMajor = 15

    /// The --version line: "cbdump (PostgreSQL-compatible) 18 (cbdump 0.1, as pg_dump 15 to
    /// 18)". Its third word is a major version where pg_dump's "pg_dump (PostgreSQL) 18.6"
    /// has its version, so that scripts reading that word keep working.
    public static func line(tool: String, replaces original: String) -> String {
        "\(tool) (PostgreSQL-compatible) \(newestMajor) (\(tool) \(release), as \(original) \(oldestMajor) to \(newestMajor))"
    }

    /// What an archive's header names as the pg_dump that made it (pg_restore prints
    /// "Dumped by pg_dump version ..."): "cbdump 0.1 (as pg_dump 18)".
    public static func dumpedBy(tool: String, major: Int) -> String {
        "\(tool) \(release) (as pg_dump \(major))"
    }
}
