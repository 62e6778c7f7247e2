import Console
import PostgresClient

/// What cbdumpall dumps and how: pg_dumpall's options, as its main() reads them.
public struct DumpAllOptions: Sendable {
    /// Which part of the cluster: everything, or only the globals (-g), roles (-r) or
    /// tablespaces (-t).
    public enum Scope: Sendable {
        case cluster, globals, roles, tablespaces
    }
    public var scope: Scope = .cluster

    /// How the output is laid out: pg_dumpall's one SQL script, or a directory with the
    /// globals script, one custom-format archive per database and an index (-F d / -F c).
    public enum Layout: Sendable {
        case script, directory
    }
    public var layout: Layout = .script

    public var clean = false              // -c
    public var ifExists = false           // --if-exists
    public var dataOnly = false           // -a: no globals at all
    public var schemaOnly = false         // -s: per database
    public var noOwner = false            // -O: per database
    public var skipACLs = false           // -x: tablespace and parameter ACLs, and per database
    public var noComments = false
    public var noSecurityLabels = false
    public var noTablespaces = false      // globals: no tablespaces; per database: no assignments
    public var noRolePasswords = false    // roles come from pg_roles, without passwords
    public var noPublications = false
    public var noSubscriptions = false
    public var noTableAccessMethod = false
    public var noToastCompression = false
    public var noUnloggedTableData = false
    public var quoteAllIdentifiers = false
    public var useSetSessionAuth = false
    public var verbose = false
    public var noSync = false
    public var lockWaitTimeout: String? = nil
    /// -E: the client encoding of the dump.
    public var encoding: String? = nil
    /// --role: SET ROLE after connecting.
    public var role: String? = nil
    /// --exclude-database patterns, in order.
    public var excludeDatabasePatterns: [String] = []
    /// Greenplum/Cloudberry: CREATE RESOURCE QUEUE / GROUP and the roles' RESOURCE QUEUE /
    /// GROUP clauses, only when asked for (as the fork's pg_dumpall; --gp-syntax implies both).
    public var resourceQueues = false
    public var resourceGroups = false
    /// --gp-syntax (true) / --no-gp-syntax (false); nil: the MPP clauses when the server is MPP.
    public var gpSyntax: Bool? = nil
    /// --restrict-key; a random one when nil.
    public var restrictKey: String? = nil

    public init() {}
}

/// Where to connect: pg_dumpall's connection options.
public struct ConnectionOptions: Sendable {
    /// -d: a connection string; its database name is not used (pg_dumpall's rule).
    public var connString: String? = nil
    public var host: String? = nil
    public var port: String? = nil
    public var user: String? = nil
    /// -l: the database to read the globals from; else "postgres", then "template1".
    public var database: String? = nil
    /// -W: ask for the password before connecting; -w: never ask (a connection that needs
    /// a password fails).
    public var prompt = PasswordPrompt.ifNeeded

    public init() {}
}

/// A failure with what the user needs to know (its detail printed on a line of its own):
/// the tools' one error type, under the module's name for it.
public typealias DumpAllError = ToolError
