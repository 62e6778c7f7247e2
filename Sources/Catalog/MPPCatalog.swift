// What Greenplum 7 and Cloudberry keep beyond PostgreSQL's catalogs (docs/mpp.md, "Catalog"): read
// only when the server is one of them, each family in one set-wise query inside the dump's
// snapshot, the first time it is needed. Nothing here runs against PostgreSQL.
import PostgresClient

/// A function's MPP attributes (pg_proc.prodataaccess, proexeclocation, pg_proc_callback).
public struct MPPFunctionFacts: Sendable {
    public let dataAccess: Character?
    public let execLocation: Character?
    /// The describe callback, as regproc prints it (quoted and qualified as needed).
    public let describeCallback: String?
}

/// A row of pg_extprotocol, with its functions' schemas and names.
public struct MPPProtocolFacts: Sendable {
    public let oid: UInt32
    public let name: String
    public let trusted: Bool
    public let owner: String
    public let acl: String
    public let readFunc: (oid: UInt32, schema: String, name: String)?
    public let writeFunc: (oid: UInt32, schema: String, name: String)?
    public let validatorFunc: (oid: UInt32, schema: String, name: String)?
}

/// The MPP catalog of one dump. `gpSyntax` is whether the MPP clauses are dumped at all
/// (off with --no-gp-syntax).
public final class MPPCatalog {
    public let server: ServerInfo
    public let gpSyntax: Bool
    unowned let cat: CatalogContext
    private var distribution: [UInt32: String]?
    private var encodings: [UInt32: [Int: [String]]]?
    private var functions: [UInt32: MPPFunctionFacts]?
    private var coordinatorKeyword: Bool?

    public init(cat: CatalogContext, server: ServerInfo, gpSyntax: Bool) {
        self.cat = cat
        self.server = server
        self.gpSyntax = gpSyntax
    }

    /// The finished DISTRIBUTED clause of a relation, from the server's own
    /// pg_get_table_distributedby() (which knows which opclasses are defaults); nil when the
    /// relation has no policy row.
    public func distributedBy(_ oid: UInt32) throws -> String? {
        if distribution == nil {
            var d: [UInt32: String] = [:]
            for r in try cat.query("""
                SELECT p.localoid AS oid, pg_catalog.pg_get_table_distributedby(p.localoid) AS d \
                FROM pg_catalog.gp_distribution_policy p
                """) {
                let clause = r.str("d")
                if !clause.isEmpty { d[r.oid("oid")] = clause }
            }
            distribution = d
        }
        return distribution?[oid]
    }

    /// pg_attribute_encoding's options of a relation's columns, by attnum.
    public func columnEncodings(_ oid: UInt32) throws -> [Int: [String]] {
        if encodings == nil {
            var e: [UInt32: [Int: [String]]] = [:]
            for r in try cat.query("""
                SELECT e.attrelid, e.attnum, e.attoptions FROM pg_catalog.pg_attribute_encoding e \
                WHERE e.attoptions IS NOT NULL
                """) {
                guard let items = parsePGArray(r.str("attoptions")), !items.isEmpty else { continue }
                e[r.oid("attrelid"), default: [:]][r.int("attnum")] = items
            }
            encodings = e
        }
        return encodings?[oid] ?? [:]
    }

    /// A user function's MPP attributes.
    public func function(_ oid: UInt32) throws -> MPPFunctionFacts? {
        if functions == nil {
            var f: [UInt32: MPPFunctionFacts] = [:]
            for r in try cat.query("""
                SELECT p.oid, p.prodataaccess, p.proexeclocation, cb.procallback::pg_catalog.regproc AS cb \
                FROM pg_catalog.pg_proc p LEFT JOIN pg_catalog.pg_proc_callback cb ON cb.profnoid = p.oid \
                WHERE p.oid >= 16384
                """) {
                f[r.oid("oid")] = MPPFunctionFacts(dataAccess: r.char("prodataaccess"), execLocation: r.char("proexeclocation"),
                                                   describeCallback: r.opt("cb"))
            }
            functions = f
        }
        return functions?[oid]
    }

    /// Whether `coordinator` is a keyword of the server's grammar (EXECUTE ON COORDINATOR);
    /// where it is not, the grammar says EXECUTE ON MASTER (Greenplum 7.0-dev and older).
    public func coordinatorIsKeyword() throws -> Bool {
        if let k = coordinatorKeyword { return k }
        let r = try cat.query("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_get_keywords() WHERE word = 'coordinator') AS k")
        let k = r.first?.bool("k") ?? false
        coordinatorKeyword = k
        return k
    }

    /// The protocols to dump: those with at least one user-defined function (a protocol made
    /// of built-ins only comes with the server).
    public func protocols() throws -> [MPPProtocolFacts] {
        let rows = try cat.query("""
            SELECT x.oid, x.ptcname, x.ptctrusted, pg_catalog.pg_get_userbyid(x.ptcowner) AS owner, \
            pg_catalog.array_to_string(x.ptcacl, ',') AS acl, \
            x.ptcreadfn AS rf, rn.nspname AS rfs, r.proname AS rfn, \
            x.ptcwritefn AS wf, wn.nspname AS wfs, w.proname AS wfn, \
            x.ptcvalidatorfn AS vf, vn.nspname AS vfs, v.proname AS vfn \
            FROM pg_catalog.pg_extprotocol x \
            LEFT JOIN pg_catalog.pg_proc r ON r.oid = x.ptcreadfn LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.pronamespace \
            LEFT JOIN pg_catalog.pg_proc w ON w.oid = x.ptcwritefn LEFT JOIN pg_catalog.pg_namespace wn ON wn.oid = w.pronamespace \
            LEFT JOIN pg_catalog.pg_proc v ON v.oid = x.ptcvalidatorfn LEFT JOIN pg_catalog.pg_namespace vn ON vn.oid = v.pronamespace \
            ORDER BY x.ptcname
            """)
        var out: [MPPProtocolFacts] = []
        for r in rows {
            func fn(_ p: String) -> (oid: UInt32, schema: String, name: String)? {
                let oid = r.oid(p)
                guard oid != 0, let n = r.opt(p + "n") else { return nil }
                return (oid, r.str(p + "s"), n)
            }
            let f = MPPProtocolFacts(oid: r.oid("oid"), name: r.str("ptcname"), trusted: r.bool("ptctrusted"),
                                     owner: r.str("owner"), acl: r.str("acl"),
                                     readFunc: fn("rf"), writeFunc: fn("wf"), validatorFunc: fn("vf"))
            let userFunctions = [f.readFunc, f.writeFunc, f.validatorFunc].compactMap { $0 }.filter { $0.oid >= 16384 }
            if !userFunctions.isEmpty { out.append(f) }
        }
        return out
    }

    /// pg_type_encoding: a type's default column encoding, by type OID.
    public func typeEncodings() throws -> [UInt32: [String]] {
        var out: [UInt32: [String]] = [:]
        for r in try cat.query("SELECT e.typid, e.typoptions FROM pg_catalog.pg_type_encoding e WHERE e.typoptions IS NOT NULL") {
            if let items = parsePGArray(r.str("typoptions")), !items.isEmpty { out[r.oid("typid")] = items }
        }
        return out
    }
}
