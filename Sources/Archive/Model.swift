/// Archive format, as pg_restore names it in `-l` output.
public enum ArchiveFormat: String, Sendable {
    case custom = "CUSTOM"
    case directory = "DIRECTORY"
    case tar = "TAR"
    /// A gpbackup backup set (Greenplum/Cloudberry's parallel backup), read through its TOC.
    case gpbackup = "GPBACKUP"
}

/// Compression of an archive's data streams.
public enum CompressionAlgorithm: UInt8, Sendable {
    case none = 0, gzip = 1, lz4 = 2, zstd = 3

    public var name: String {
        switch self {
        case .none: return "none"
        case .gzip: return "gzip"
        case .lz4: return "lz4"
        case .zstd: return "zstd"
        }
    }
}

/// An archive version triple; compares as pg_dump's packed integer does.
public struct ArchiveVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: UInt8, minor: UInt8, rev: UInt8
    public init(_ major: UInt8, _ minor: UInt8, _ rev: UInt8 = 0) {
        self.major = major; self.minor = minor; self.rev = rev
    }
    var packed: Int { (Int(major) * 256 + Int(minor)) * 256 + Int(rev) }
    public static func < (a: Self, b: Self) -> Bool { a.packed < b.packed }
    public var description: String { "\(major).\(minor)-\(rev)" }

    public static let v1_0 = ArchiveVersion(1, 0)
    public static let v1_2 = ArchiveVersion(1, 2)
    public static let v1_3 = ArchiveVersion(1, 3)
    public static let v1_4 = ArchiveVersion(1, 4)
    public static let v1_5 = ArchiveVersion(1, 5)
    public static let v1_6 = ArchiveVersion(1, 6)
    public static let v1_7 = ArchiveVersion(1, 7)
    public static let v1_8 = ArchiveVersion(1, 8)
    public static let v1_9 = ArchiveVersion(1, 9)
    public static let v1_10 = ArchiveVersion(1, 10)
    public static let v1_11 = ArchiveVersion(1, 11)
    public static let v1_12 = ArchiveVersion(1, 12)
    public static let v1_13 = ArchiveVersion(1, 13)
    public static let v1_14 = ArchiveVersion(1, 14)
    public static let v1_15 = ArchiveVersion(1, 15)
    public static let v1_16 = ArchiveVersion(1, 16)
    /// The newest version this reader understands (any revision of it).
    public static let newestKnown = ArchiveVersion(1, 16, 255)

    /// The versions the writers can produce.
    public static let writable: [ArchiveVersion] = [.v1_14, .v1_15, .v1_16]
    /// "1.14": how --archive-version names a version.
    public var shortName: String { "\(major).\(minor)" }

    /// The version the server's own pg_dump writes: 1.14 up to 15 and on Greenplum or
    /// Cloudberry (whose pg_restore reads up to 1.14), 1.15 on 16, 1.16 (grouped large
    /// objects, relkind) on 17 and later. lz4 and zstd need 1.15 at least.
    public static func written(byDumperMajor major: Int, mpp: Bool, compression: CompressionAlgorithm) -> ArchiveVersion {
        let v: ArchiveVersion = mpp || major <= 15 ? .v1_14 : major == 16 ? .v1_15 : .v1_16
        return v < .v1_15 && (compression == .lz4 || compression == .zstd) ? .v1_15 : v
    }
}

/// The archive header (docs/archive-format.md, "Header").
public struct ArchiveHeader: Sendable {
    public var version: ArchiveVersion
    public var intSize: Int
    public var offSize: Int
    public var formatCode: UInt8
    /// The stored gzip level for archives before 1.15 (-1 default, 0 none, 1-9).
    public var compressionLevel: Int?
    public var compression: CompressionAlgorithm
    /// Broken-down local creation time: sec, min, hour, mday, mon, year, isdst.
    public var createdTM: [Int32]?
    public var dbname: [UInt8]?
    public var serverVersion: [UInt8]?
    public var dumpVersion: [UInt8]?
}

/// TOC sections.
public enum Section: Int32, Sendable {
    case none = 1, preData = 2, data = 3, postData = 4
}

/// Where a custom-format entry's data block is.
public enum DataState: UInt8, Sendable {
    case posNotSet = 1, posSet = 2, noData = 3
}

/// One TOC entry. Strings are raw bytes in the archive's encoding; nil means NULL.
/// A class because format readers learn data positions while scanning, as pg_restore does.
public final class TocEntry {
    public var dumpId: Int32
    public var hadDumper: Bool
    public var tableOid: UInt32
    public var oid: UInt32
    public var tag: [UInt8]
    public var desc: String
    public var section: Section
    public var defn: [UInt8]?
    public var dropStmt: [UInt8]?
    public var copyStmt: [UInt8]?
    public var namespace: [UInt8]?
    public var tablespace: [UInt8]?
    public var tableam: [UInt8]?
    public var relkind: Int32
    public var owner: [UInt8]?
    public var withOids: Bool
    public var dependencies: [Int32]
    /// Custom format: data state and position. Directory/tar: data file name.
    public var dataState: DataState = .noData
    public var dataPos: Int64 = 0
    public var filename: [UInt8]?

    public init(dumpId: Int32) {
        self.dumpId = dumpId
        hadDumper = false; tableOid = 0; oid = 0; tag = []; desc = ""; section = .none
        relkind = 0; withOids = false; dependencies = []
    }

    /// Display name for messages: `TABLE DATA app.t1 (dumpId 3411)`.
    public var label: String {
        var s = desc + " "
        if let ns = namespace, !ns.isEmpty { s += String(decoding: ns, as: UTF8.self) + "." }
        s += String(decoding: tag, as: UTF8.self)
        return s + " (dumpId \(dumpId))"
    }
}

/// What a format reader hands over while decoding an entry's data.
public protocol DataReceiver: AnyObject {
    /// Decoded table bytes, or large-object bytes between begin/end calls.
    func data(_ bytes: UnsafeRawBufferPointer) throws
    /// Brackets a set of large objects (a BLOBS entry's data).
    func beginLargeObjects() throws
    func endLargeObjects() throws
    func beginLargeObject(_ oid: UInt32) throws
    func endLargeObject(_ oid: UInt32) throws
}
