// The globals Greenplum 7 and Cloudberry's pg_dumpall add (docs/mpp.md, "Globals"): resource
// queues, resource groups and the roles' RESOURCE QUEUE / RESOURCE GROUP clauses, as pure
// functions of catalog facts. Names arrive unquoted and are quoted here through SQLQuoter.
import PostgresClient

/// A row of pg_resqueue with its capabilities (pg_resqueuecapability joined to
/// pg_resourcetype), in restypid order.
public struct ResourceQueueFacts: Sendable {
    public let name: String
    public let activeLimit: Double
    public let costLimit: Double
    public let overcommit: Bool
    public let ignoreCostLimit: Double
    /// (resname, ressetting): priority, memory_limit, ...
    public let capabilities: [(name: String, value: String)]
    public init(name: String, activeLimit: Double, costLimit: Double, overcommit: Bool, ignoreCostLimit: Double,
                capabilities: [(name: String, value: String)]) {
        self.name = name; self.activeLimit = activeLimit; self.costLimit = costLimit
        self.overcommit = overcommit; self.ignoreCostLimit = ignoreCostLimit; self.capabilities = capabilities
    }
}

/// A resource group and its limits, as the server's gp_toolkit.gp_resgroup_config names them
/// (its columns after groupid and groupname, in its order); a nil value is unset.
public struct ResourceGroupFacts: Sendable {
    public let name: String
    public let limits: [(name: String, value: String?)]
    public init(name: String, limits: [(name: String, value: String?)]) { self.name = name; self.limits = limits }
}

public enum MPPGlobalsDDL {
    /// The queue's statement: `pg_default` is ALTERed (it always exists), others created.
    /// `ACTIVE THRESHOLD n` unless -1, `COST THRESHOLD x.xx` unless -1, `IGNORE THRESHOLD
    /// x.xx` unless -1 or 0, `[NO]OVERCOMMIT`, then ` WITH ( a=b,\n c=d) ;` over the
    /// capabilities (memory_limit quoted unless -1), or just `;` when there are none.
    public static func resourceQueue(_ q: ResourceQueueFacts, quoter: SQLQuoter) -> String {
        var s = (q.name == "pg_default" ? "ALTER" : "CREATE") + " RESOURCE QUEUE " + quoter.identifier(q.name)
        if q.activeLimit != -1 { s += " ACTIVE THRESHOLD \(Int(q.activeLimit))" }
        if q.costLimit != -1 { s += " COST THRESHOLD " + twoDecimals(q.costLimit) }
        if q.ignoreCostLimit != -1 && q.ignoreCostLimit != 0 { s += " IGNORE THRESHOLD " + twoDecimals(q.ignoreCostLimit) }
        s += q.overcommit ? " OVERCOMMIT" : " NOOVERCOMMIT"
        if !q.capabilities.isEmpty {
            let items = q.capabilities.map { c -> String in
                let quote = c.name == "memory_limit" && c.value != "-1"
                return c.name + "=" + (quote ? lit(c.value) : c.value)
            }
            // pg_dumpall closes a WITH list with ") " before the semicolon.
            return s + "\n WITH ( " + items.joined(separator: ",\n ") + ") ;\n"
        }
        return s + ";\n"
    }

    /// The built-in groups, which always exist and are ALTERed setting by setting.
    public static let builtinResourceGroups: Set<String> = ["default_group", "admin_group", "system_group"]

    /// The Resource Group section's statements (without its heading), from each group's
    /// limits as the server names them. The names are not one release's list: they differ
    /// between releases (Greenplum 6 and 7.0-dev: concurrency, cpu_rate_limit, memory_limit,
    /// memory_shared_quota, memory_spill_ratio, memory_auditor, cpuset; Greenplum 7 and
    /// Cloudberry: concurrency, cpu_max_percent, cpu_weight, cpuset, ...), so they are read
    /// from the server, in its order (reslimittype's).
    ///
    /// As the forks' pg_dumpall: a limit of -1 (or none) is unset and left out, which keeps
    /// either the CPU limit or the cpuset; built-in groups are ALTERed one limit at a time
    /// (CPU limits last, memory_auditor never: it cannot be altered), others CREATEd with
    /// all their limits. Where the CPU limit is cpu_rate_limit, the groups' cpu_rate_limit
    /// and memory_limit are shares that must not add up to more than 100, so the built-ins'
    /// are first lowered to 1 (then set to their values), to make room for the others.
    /// For Greenplum 7.0-dev this is its pg_dumpall's text byte for byte (Fixtures/mpp).
    public static func resourceGroups(_ groups: [ResourceGroupFacts], quoter: SQLQuoter) -> String {
        var out = ""
        let names = Set(groups.flatMap { $0.limits.map(\.name) })
        if names.contains("cpu_rate_limit") {
            for limit in ["cpu_rate_limit", "memory_limit"] where names.contains(limit) {
                for g in ["admin_group", "default_group"] { out += "ALTER RESOURCE GROUP \(g) SET \(limit) 1;\n" }
            }
        }
        for g in groups { out += resourceGroup(g, quoter: quoter) }
        return out
    }

    /// One group's statements (see `resourceGroups`).
    public static func resourceGroup(_ group: ResourceGroupFacts, quoter: SQLQuoter) -> String {
        let set = group.limits.compactMap { l -> (name: String, value: String)? in
            guard let v = l.value, !v.isEmpty, v != "-1" else { return nil }
            return (l.name, v)
        }
        let g = quoter.identifier(group.name)
        if builtinResourceGroups.contains(group.name) {
            let alterable = set.filter { $0.name != "memory_auditor" }
            let ordered = alterable.filter { !$0.name.hasPrefix("cpu") } + alterable.filter { $0.name.hasPrefix("cpu") }
            return ordered.map { "ALTER RESOURCE GROUP \(g) SET \($0.name) \(groupLimitValue($0.name, $0.value));\n" }.joined()
        }
        return "CREATE RESOURCE GROUP \(g) WITH ("
            + set.map { "\($0.name)=\(groupLimitValue($0.name, $0.value))" }.joined(separator: ", ") + ");\n"
    }

    /// A limit's value in a statement: the CPU set and the I/O limits are strings ('0-3');
    /// numbers and words (memory_auditor's vmtracker) are bare; anything else is quoted.
    static func groupLimitValue(_ name: String, _ value: String) -> String {
        if name == "cpuset" || name == "io_limit" { return lit(value) }
        func digit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        func lower(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLowercase) }
        let unsigned = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let number = !parts[0].isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(digit) }
        let word = value.first.map(lower) == true && value.allSatisfy { lower($0) || digit($0) }
        return number || word ? value : lit(value)
    }

    /// The role's ` RESOURCE QUEUE q` / ` RESOURCE GROUP g` clauses for its ALTER ROLE, each
    /// only when asked for (pg_dumpall --resource-queues / --resource-groups).
    public static func roleResourceClauses(queue: String?, group: String?, quoter: SQLQuoter) -> String {
        var s = ""
        if let queue, !queue.isEmpty { s += " RESOURCE QUEUE " + quoter.identifier(queue) }
        if let group, !group.isEmpty { s += " RESOURCE GROUP " + quoter.identifier(group) }
        return s
    }

    /// The role's CREATEEXTTABLE clauses (rolcreaterextgpfd, rolcreatewextgpfd, rolcreaterexthttp).
    public static func roleExternalTableClauses(readableGpfdist: Bool, writableGpfdist: Bool, http: Bool) -> String {
        var s = ""
        if readableGpfdist { s += " CREATEEXTTABLE (protocol='gpfdist', type='readable')" }
        if writableGpfdist { s += " CREATEEXTTABLE (protocol='gpfdist', type='writable')" }
        if http { s += " CREATEEXTTABLE (protocol='http')" }
        return s
    }

    /// printf's %.2f for the thresholds (no Foundation here).
    static func twoDecimals(_ x: Double) -> String {
        let cents = Int((abs(x) * 100).rounded())
        let frac = cents % 100
        return (x < 0 ? "-" : "") + "\(cents / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
    }

    static func lit(_ s: String) -> String { String(decoding: SQLQuoter.literal(Array(s.utf8)), as: UTF8.self) }
}
