// The globals Greenplum 7 and Cloudberry's pg_dumpall add (cloudberry.md §6): resource
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

    /// A resource group's statements from its (limit name, value) pairs, in limit-type order:
    /// built-ins `ALTER RESOURCE GROUP g SET name value;` per setting, others
    /// `CREATE RESOURCE GROUP g WITH (name=value, ...);`. cpuset values are strings
    /// ('0-3'); the other limits are numbers. A value of -1 means unset and is left out.
    public static func resourceGroup(name: String, settings: [(name: String, value: String)], quoter: SQLQuoter) -> String {
        let set = settings.filter { $0.value != "-1" && !($0.name == "cpuset" && $0.value.isEmpty) }
        func value(_ s: (name: String, value: String)) -> String { s.name == "cpuset" ? lit(s.value) : s.value }
        let g = quoter.identifier(name)
        if builtinResourceGroups.contains(name) {
            return set.map { "ALTER RESOURCE GROUP \(g) SET \($0.name) \(value($0));\n" }.joined()
        }
        return "CREATE RESOURCE GROUP \(g) WITH (" + set.map { "\($0.name)=\(value($0))" }.joined(separator: ", ") + ");\n"
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
