// Which server family a connection talks to, and whether a dump from it would see the whole
// cluster. The parsing and the decision are pure functions (tested with the version() strings
// in ServerFlavourTests; docs/mpp.md, "Detection"); `Connection.detectServer()` only fetches their inputs.

/// A fork's own release, as printed inside version()'s parentheses ("2.0.0-incubating").
public struct ForkRelease: Sendable, Equatable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int
    /// The release word as the server printed it, suffix included.
    public let text: String
    public init(major: Int, minor: Int, patch: Int, text: String) {
        self.major = major; self.minor = minor; self.patch = patch; self.text = text
    }
    public var description: String { text }
}

/// What a server is: PostgreSQL, or an MPP fork with its release and the session's role.
public struct ServerInfo: Sendable, Equatable {
    public let flavour: ServerFlavour
    /// The fork's release (nil for PostgreSQL, or when version() names none).
    public let release: ForkRelease?
    /// The session's gp_role (`dispatch`, `execute`, `utility`); nil on PostgreSQL.
    public let gpRole: String?

    public init(flavour: ServerFlavour, release: ForkRelease?, gpRole: String?) {
        self.flavour = flavour; self.release = release; self.gpRole = gpRole
    }

    /// True for Greenplum and Cloudberry.
    public var isMPP: Bool { flavour != .postgres }

    /// Classifies a server from `SELECT version()` and `current_setting('gp_role', true)`.
    ///
    /// The gp_role setting decides MPP-ness (as Cloudberry's pg_dump turns on its GP syntax
    /// with it); version() is then searched for the fork's name anywhere, not just in the
    /// first parentheses, because forks of forks print two ("(MatrixDB 5.0.0) (Greenplum
    /// Database 7.0.0 build dev)").
    public static func parse(version: String, gpRole: String?) -> ServerInfo {
        guard let role = gpRole, !role.isEmpty else {
            return ServerInfo(flavour: .postgres, release: nil, gpRole: nil)
        }
        let names: [(String, ServerFlavour)] = [
            ("Apache Cloudberry ", .cloudberry),
            ("Cloudberry Database ", .cloudberry),
            ("Greenplum Database ", .greenplum),
        ]
        for (name, flavour) in names {
            if let end = endOfFirstMatch(name, in: version) {
                return ServerInfo(flavour: flavour, release: parseRelease(version[end...]), gpRole: role)
            }
        }
        // gp_role without a known name: some other Greenplum descendant; treat it as Greenplum.
        return ServerInfo(flavour: .greenplum, release: nil, gpRole: role)
    }

    /// Where the first occurrence of `needle` in `s` ends (no Foundation here).
    static func endOfFirstMatch(_ needle: String, in s: String) -> String.Index? {
        var i = s.startIndex
        while i < s.endIndex {
            if s[i...].hasPrefix(needle) { return s.index(i, offsetBy: needle.count) }
            i = s.index(after: i)
        }
        return nil
    }

    /// "N.M.P[suffix]" at the start of `s`, up to the next space or ')'.
    static func parseRelease(_ s: Substring) -> ForkRelease? {
        let word = s.prefix { $0 != " " && $0 != ")" }
        var nums: [Int] = []
        var digits = ""
        for ch in word {
            if ch.isASCII && ch.isNumber { digits.append(ch); continue }
            guard !digits.isEmpty, let n = Int(digits) else { break }
            nums.append(n); digits = ""
            if ch != "." || nums.count == 3 { break }
        }
        if !digits.isEmpty, let n = Int(digits), nums.count < 3 { nums.append(n) }
        guard let major = nums.first else { return nil }
        return ForkRelease(major: major, minor: nums.count > 1 ? nums[1] : 0,
                           patch: nums.count > 2 ? nums[2] : 0, text: String(word))
    }
}

/// Why a dump from this session would be wrong, or nil when it may go ahead.
///
/// On a segment (`gp_role = execute`, or any session whose `gp_contentid` is a segment's) and in
/// utility mode on a coordinator that has segments, the session sees one node's rows only: a
/// dump would silently lose the rest. Cloudberry's single-node mode is utility mode with no
/// segments and is fine.
public struct MPPSessionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    /// The decision, from the session's facts. `primarySegments` is the number of primary
    /// segments in gp_segment_configuration (content >= 0), nil when it could not be read.
    public static func check(gpRole: String, contentId: Int?, singleNode: Bool, primarySegments: Int?) -> MPPSessionRefusal? {
        if let c = contentId, c >= 0 {
            return MPPSessionRefusal(description: "connected to segment \(c) (gp_role=\(gpRole)): a dump would contain that segment's rows only; connect to the coordinator")
        }
        switch gpRole {
        case "dispatch":
            return nil
        case "execute":
            return MPPSessionRefusal(description: "connected to a segment (gp_role=execute): a dump would contain that segment's rows only; connect to the coordinator")
        case "utility":
            if singleNode { return nil }
            if let n = primarySegments, n == 0 { return nil }
            let count = primarySegments.map { "\($0) segments" } ?? "segments"
            return MPPSessionRefusal(description: "utility-mode connection to a cluster with \(count) (gp_role=utility): a dump would contain the coordinator's rows only; connect without gp_role=utility")
        default:
            return MPPSessionRefusal(description: "unknown gp_role \"\(gpRole)\": refusing to dump from a session that may see part of the cluster only")
        }
    }
}

extension Connection {
    /// Reads what `ServerInfo.parse` needs (two settings, no error on PostgreSQL).
    public func detectServer() throws -> ServerInfo {
        let r = try execute("SELECT pg_catalog.version() AS v, pg_catalog.current_setting('gp_role', true) AS r")
        return ServerInfo.parse(version: r.value(0, "v") ?? "", gpRole: r.value(0, "r"))
    }

    /// For an MPP session: why it must not be dumped from, or nil.
    public func mppSessionRefusal(_ info: ServerInfo) throws -> MPPSessionRefusal? {
        guard info.isMPP, let role = info.gpRole else { return nil }
        let r = try execute("""
            SELECT pg_catalog.current_setting('gp_contentid', true) AS c, \
            pg_catalog.current_setting('gp_internal_is_singlenode', true) AS s
            """)
        let contentId = r.value(0, "c").flatMap { Int($0) }
        let singleNode = r.value(0, "s") == "on"
        var primaries: Int? = nil
        if role == "utility" && !singleNode {
            // In utility mode the coordinator's catalog still lists the segments.
            primaries = (try? execute("SELECT count(*) AS n FROM pg_catalog.gp_segment_configuration WHERE content >= 0 AND role = 'p'"))
                .flatMap { $0.value(0, "n") }.flatMap { Int($0) }
        }
        return MPPSessionRefusal.check(gpRole: role, contentId: contentId, singleNode: singleNode, primarySegments: primaries)
    }
}
