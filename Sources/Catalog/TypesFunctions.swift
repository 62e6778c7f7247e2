import PostgresClient

// Types, functions, aggregates, operators, access methods, operator classes and families,
// collations, conversions, casts, transforms, procedural languages: the Info classes
// (pg_dump.h) and their catalog readers (pg_dump.c's getTypes, getFuncs ...).

/// A type (pg_type). Table row types and automatically made array and multirange types are
/// read too (objType .dummyType), because other objects refer to them by OID.
public final class TypeInfo: DumpableObjectWithAcl, SortableType {
    public var ownerName = ""
    /// format_type() of the type, cached once asked for (pg_dump's ftypname).
    public var ftypname: String? = nil
    public var typelem: UInt32 = 0
    public var typrelid: UInt32 = 0
    /// relkind of typrelid, " " when there is none.
    public var typrelkind: Character = " "
    /// b (base), c (composite), d (domain), e (enum), m (multirange), p (pseudo), r (range).
    public var typtype: Character = "b"
    public var isArray = false
    public var isMultirange = false
    public var isDefined = true
    public var typarray: UInt32 = 0
    /// The shell type made for a base or range type, dumped only when needed by a loop.
    public var shell: ShellTypeInfo? = nil
    /// The sorter's view of `shell`.
    public var shellType: DumpableObject? { shell }
    /// A domain's CHECK constraints, by name.
    public var domChecks: [ConstraintInfo] = []
    /// A domain's NOT NULL constraint (servers 17 and later only).
    public var notnull: ConstraintInfo? = nil

    public override init(_ type: ObjectType = .type, catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(type, catId: catId, name: name, namespace: namespace)
    }
}

/// The shell definition (`CREATE TYPE name;`) of a base or range type; no catalog ID.
public final class ShellTypeInfo: DumpableObject {
    public unowned let baseType: TypeInfo
    public init(baseType: TypeInfo) {
        self.baseType = baseType
        super.init(.shellType, catId: .none, name: baseType.name, namespace: baseType.namespace)
    }
}

/// A function or procedure (pg_proc); AggInfo extends it for aggregates.
public class FuncInfo: DumpableObjectWithAcl, SortableFunction {
    public var ownerName = ""
    public var lang: UInt32 = 0
    public var argtypes: [UInt32] = []
    public var nargs: Int { argtypes.count }
    public var prorettype: UInt32 = 0
    /// Set by the sorter when the definition must move to post-data.
    public var postponedDef = false

    public override init(_ type: ObjectType = .function, catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(type, catId: catId, name: name, namespace: namespace)
    }
}

/// An aggregate (pg_proc with prokind 'a').
public final class AggInfo: FuncInfo {
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.aggregate, catId: catId, name: name, namespace: namespace)
    }
}

/// An operator (pg_operator).
public final class OprInfo: DumpableObject {
    public var ownerName = ""
    /// b (infix), l (prefix), r (postfix, old servers).
    public var oprkind: Character = "b"
    public var oprleft: UInt32 = 0
    public var oprright: UInt32 = 0
    public var oprcode: UInt32 = 0
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.operator, catId: catId, name: name, namespace: namespace)
    }
}

/// An access method (pg_am); no namespace.
public final class AccessMethodInfo: DumpableObject {
    /// i (index) or t (table).
    public var amtype: Character = "i"
    /// amhandler as regproc text.
    public var amhandler = ""
    public init(catId: CatalogId, name: String) {
        super.init(.accessMethod, catId: catId, name: name)
    }
}

/// An operator class (pg_opclass).
public final class OpclassInfo: DumpableObject {
    public var ownerName = ""
    public var opcmethod: UInt32 = 0
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.opclass, catId: catId, name: name, namespace: namespace)
    }
}

/// An operator family (pg_opfamily).
public final class OpfamilyInfo: DumpableObject {
    public var ownerName = ""
    public var opfmethod: UInt32 = 0
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.opfamily, catId: catId, name: name, namespace: namespace)
    }
}

/// A collation (pg_collation).
public final class CollInfo: DumpableObject {
    public var ownerName = ""
    public var collencoding = 0
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.collation, catId: catId, name: name, namespace: namespace)
    }
}

/// A conversion (pg_conversion).
public final class ConvInfo: DumpableObject {
    public var ownerName = ""
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.conversion, catId: catId, name: name, namespace: namespace)
    }
}

/// A cast (pg_cast); its name ("source target" type names) only orders it.
public final class CastInfo: DumpableObject, SortableCast {
    public var castsource: UInt32 = 0
    public var casttarget: UInt32 = 0
    public var castfunc: UInt32 = 0
    /// e (explicit), a (assignment), i (implicit).
    public var castcontext: Character = "e"
    /// f (function), i (inout), b (binary).
    public var castmethod: Character = "f"
    public init(catId: CatalogId, name: String) {
        super.init(.cast, catId: catId, name: name)
    }
}

/// A transform (pg_transform); its name ("type language") only orders it.
public final class TransformInfo: DumpableObject, SortableTransform {
    public var trftype: UInt32 = 0
    public var trflang: UInt32 = 0
    public var trffromsql: UInt32 = 0
    public var trftosql: UInt32 = 0
    public init(catId: CatalogId, name: String) {
        super.init(.transform, catId: catId, name: name)
    }
}

/// A procedural language (pg_language with lanispl).
public final class ProcLangInfo: DumpableObjectWithAcl {
    public var lanpltrusted = false
    public var lanplcallfoid: UInt32 = 0
    public var laninline: UInt32 = 0
    public var lanvalidator: UInt32 = 0
    public var ownerName = ""
    public init(catId: CatalogId, name: String) {
        super.init(.procLang, catId: catId, name: name)
    }
}

/// Parses an oidvector / int2vector text ("23 25") as pg_dump's parseOidArray does.
public func parseOidArray(_ s: String) -> [UInt32] {
    s.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { UInt32($0) }
}

extension DumpCatalog {
    public func type(oid: UInt32) -> TypeInfo? { object(table: CatalogTable.pgType, oid: oid) as? TypeInfo }
    public func function(oid: UInt32) -> FuncInfo? { object(table: CatalogTable.pgProc, oid: oid) as? FuncInfo }
    public func `operator`(oid: UInt32) -> OprInfo? { object(table: CatalogTable.pgOperator, oid: oid) as? OprInfo }
    public func collation(oid: UInt32) -> CollInfo? { object(table: CatalogTable.pgCollation, oid: oid) as? CollInfo }
    public func accessMethod(oid: UInt32) -> AccessMethodInfo? { object(table: CatalogTable.pgAm, oid: oid) as? AccessMethodInfo }
}

extension CatalogContext {
    /// pg_dump's getFuncs: every function that is not an aggregate, not internally
    /// dependent on another object (range constructors), and either outside pg_catalog,
    /// used by a user-defined cast or transform, or with changed privileges.
    func getFuncs() throws {
        let notAgg = remoteVersion >= 110000 ? "p.prokind <> 'a'" : "NOT p.proisagg"
        let sql = "SELECT p.tableoid, p.oid, p.proname, p.prolang, "
            + "p.pronargs, p.proargtypes, p.prorettype, "
            + "p.proacl, "
            + "acldefault('f', p.proowner) AS acldefault, "
            + "p.pronamespace, "
            + "p.proowner "
            + "FROM pg_proc p "
            + "LEFT JOIN pg_init_privs pip ON "
            + "(p.oid = pip.objoid "
            + "AND pip.classoid = 'pg_proc'::regclass "
            + "AND pip.objsubid = 0) "
            + "WHERE \(notAgg)"
            + "\n  AND NOT EXISTS (SELECT 1 FROM pg_depend "
            + "WHERE classid = 'pg_proc'::regclass AND "
            + "objid = p.oid AND deptype = 'i')"
            + "\n  AND ("
            + "\n  pronamespace != "
            + "(SELECT oid FROM pg_namespace "
            + "WHERE nspname = 'pg_catalog')"
            + "\n  OR EXISTS (SELECT 1 FROM pg_cast"
            + "\n  WHERE pg_cast.oid > \(lastBuiltinOid) "
            + "\n  AND p.oid = pg_cast.castfunc)"
            + "\n  OR EXISTS (SELECT 1 FROM pg_transform"
            + "\n  WHERE pg_transform.oid > \(lastBuiltinOid) AND "
            + "\n  (p.oid = pg_transform.trffromsql"
            + "\n  OR p.oid = pg_transform.trftosql))"
            + "\n  OR p.proacl IS DISTINCT FROM pip.initprivs)"
        for r in try query(sql) {
            let f = FuncInfo(catId: r.catId(), name: r.str("proname"),
                             namespace: catalog.namespace(oid: r.oid("pronamespace")))
            catalog.assignDumpId(f)
            f.dacl = DumpableAcl(acl: r.opt("proacl"), acldefault: r.opt("acldefault"))
            f.ownerName = catalog.roleName(r.oid("proowner"))
            f.lang = r.oid("prolang")
            f.prorettype = r.oid("prorettype")
            f.argtypes = Array(parseOidArray(r.str("proargtypes")).prefix(r.int("pronargs")))
            f.sortKey = .function(argTypes: f.argtypes)
            selectDumpableObject(f)
            if !r.isNull("proacl") { f.components.insert(.acl) }
        }
    }

    /// pg_dump's getAggregates.
    func getAggregates() throws {
        let aggCheck = remoteVersion >= 110000 ? "p.prokind = 'a'" : "p.proisagg"
        let sql = "SELECT p.tableoid, p.oid, "
            + "p.proname AS aggname, "
            + "p.pronamespace AS aggnamespace, "
            + "p.pronargs, p.proargtypes, "
            + "p.proowner, "
            + "p.proacl AS aggacl, "
            + "acldefault('f', p.proowner) AS acldefault "
            + "FROM pg_proc p "
            + "LEFT JOIN pg_init_privs pip ON "
            + "(p.oid = pip.objoid "
            + "AND pip.classoid = 'pg_proc'::regclass "
            + "AND pip.objsubid = 0) "
            + "WHERE \(aggCheck) AND ("
            + "p.pronamespace != "
            + "(SELECT oid FROM pg_namespace "
            + "WHERE nspname = 'pg_catalog') OR "
            + "p.proacl IS DISTINCT FROM pip.initprivs)"
        for r in try query(sql) {
            let a = AggInfo(catId: r.catId(), name: r.str("aggname"),
                            namespace: catalog.namespace(oid: r.oid("aggnamespace")))
            catalog.assignDumpId(a)
            a.dacl = DumpableAcl(acl: r.opt("aggacl"), acldefault: r.opt("acldefault"))
            a.ownerName = catalog.roleName(r.oid("proowner"))
            a.argtypes = Array(parseOidArray(r.str("proargtypes")).prefix(r.int("pronargs")))
            a.sortKey = .function(argTypes: a.argtypes)
            selectDumpableObject(a)
            if !r.isNull("aggacl") { a.components.insert(.acl) }
        }
    }

    /// pg_dump's getTypes: all types, built-in ones included (array element types and the
    /// sorter need them); domains get their constraints, base and range types a shell type.
    func getTypes() throws {
        let sql = "SELECT tableoid, oid, typname, "
            + "typnamespace, typacl, "
            + "acldefault('T', typowner) AS acldefault, "
            + "typowner, "
            + "typelem, typrelid, typarray, "
            + "CASE WHEN typrelid = 0 THEN ' '::\"char\" "
            + "ELSE (SELECT relkind FROM pg_class WHERE oid = typrelid) END AS typrelkind, "
            + "typtype, typisdefined, "
            + "typname[0] = '_' AND typelem != 0 AND "
            + "(SELECT typarray FROM pg_type te WHERE oid = pg_type.typelem) = oid AS isarray "
            + "FROM pg_type"
        let typeRows = try query(sql)
        let domainConstraints = typeRows.contains(where: { $0.char("typtype") == "d" })
            ? try readDomainConstraints() : [:]
        for r in typeRows {
            let typrelid = r.oid("typrelid")
            let typrelkind = r.char("typrelkind") ?? " "
            let typtype = r.char("typtype") ?? "b"
            let isArray = r.bool("isarray")
            let isMultirange = typtype == "m"
            // pg_dump's selectDumpableType turns table row types and automatic array and
            // multirange types into DO_DUMMY_TYPE; the kind is fixed at creation here.
            let dummy = CatalogContext.isDummyType(typrelid: typrelid, typrelkind: typrelkind,
                                                   isArray: isArray, isMultirange: isMultirange)
            let t = TypeInfo(dummy ? .dummyType : .type, catId: r.catId(), name: r.str("typname"),
                             namespace: catalog.namespace(oid: r.oid("typnamespace")))
            catalog.assignDumpId(t)
            t.dacl = DumpableAcl(acl: r.opt("typacl"), acldefault: r.opt("acldefault"))
            t.ownerName = catalog.roleName(r.oid("typowner"))
            t.typelem = r.oid("typelem")
            t.typrelid = typrelid
            t.typrelkind = typrelkind
            t.typtype = typtype
            t.isDefined = r.bool("typisdefined")
            t.isArray = isArray
            t.typarray = r.oid("typarray")
            t.isMultirange = isMultirange
            selectDumpableType(t, typrelid: typrelid, typrelkind: typrelkind, isArray: isArray,
                               isMultirange: isMultirange)
            if !r.isNull("typacl") { t.components.insert(.acl) }

            if t.dump.contains(.definition) && typtype == "d" {
                getDomainConstraints(t, domainConstraints[t.catId.oid] ?? [])
            }
            if t.dump.contains(.definition) && (typtype == "b" || typtype == "r") {
                let st = ShellTypeInfo(baseType: t)
                catalog.assignDumpId(st)
                t.shell = st
                // Dumped only if the I/O or canonicalize functions need it (sorter).
                st.dump = .none
            }
        }
    }

    /// The CHECK (and, from server 17, NOT NULL) constraints of every domain, by domain OID,
    /// each list ordered by name: one query for what pg_dump's getDomainConstraints asks per
    /// domain.
    func readDomainConstraints() throws -> [UInt32: [Row]] {
        let types = remoteVersion < 170000 ? "'c'" : "'c', 'n'"
        let sql = "SELECT contypid, tableoid, oid, conname, "
            + "pg_catalog.pg_get_constraintdef(oid) AS consrc, "
            + "convalidated, contype "
            + "FROM pg_catalog.pg_constraint "
            + "WHERE contypid <> 0 AND contype IN (\(types)) "
            + "ORDER BY contypid, conname"
        var byDomain: [UInt32: [Row]] = [:]
        for r in try query(sql) { byDomain[r.oid("contypid"), default: []].append(r) }
        return byDomain
    }

    /// pg_dump's getDomainConstraints: the domain's constraints become ConstraintInfo
    /// objects; validated ones are printed inside CREATE DOMAIN.
    func getDomainConstraints(_ t: TypeInfo, _ rows: [Row]) {
        for r in rows {
            let validated = r.bool("convalidated")
            let contype = r.char("contype") ?? "c"
            let c = ConstraintInfo(catId: r.catId(), name: r.str("conname"), namespace: t.namespace)
            catalog.assignDumpId(c)
            c.condomain = t
            c.contype = contype
            c.condef = r.str("consrc")
            c.sortKey = .constraint(domain: t.name, table: nil)
            c.separate = !validated
            if contype == "c" { t.domChecks.append(c) } else { t.notnull = c }
            // The domain waits for its constraints' dependencies; a NOT VALID one is
            // dumped after the domain anyway.
            if validated { t.addDependency(c.dumpId) }
        }
    }

    /// pg_dump's getProcLangs.
    func getProcLangs() throws {
        let sql = "SELECT tableoid, oid, "
            + "lanname, lanpltrusted, lanplcallfoid, "
            + "laninline, lanvalidator, "
            + "lanacl, "
            + "acldefault('l', lanowner) AS acldefault, "
            + "lanowner "
            + "FROM pg_language "
            + "WHERE lanispl "
            + "ORDER BY oid"
        for r in try query(sql) {
            let l = ProcLangInfo(catId: r.catId(), name: r.str("lanname"))
            catalog.assignDumpId(l)
            l.dacl = DumpableAcl(acl: r.opt("lanacl"), acldefault: r.opt("acldefault"))
            l.lanpltrusted = r.bool("lanpltrusted")
            l.lanplcallfoid = r.oid("lanplcallfoid")
            l.laninline = r.oid("laninline")
            l.lanvalidator = r.oid("lanvalidator")
            l.ownerName = catalog.roleName(r.oid("lanowner"))
            selectDumpableProcLang(l)
            if !r.isNull("lanacl") { l.components.insert(.acl) }
        }
    }

    /// pg_dump's getOperators: all operators; built-in ones are filtered by selection.
    func getOperators() throws {
        let sql = "SELECT tableoid, oid, oprname, "
            + "oprnamespace, "
            + "oprowner, "
            + "oprkind, "
            + "oprleft, "
            + "oprright, "
            + "oprcode::oid AS oprcode "
            + "FROM pg_operator"
        for r in try query(sql) {
            let o = OprInfo(catId: r.catId(), name: r.str("oprname"),
                            namespace: catalog.namespace(oid: r.oid("oprnamespace")))
            catalog.assignDumpId(o)
            o.ownerName = catalog.roleName(r.oid("oprowner"))
            o.oprkind = r.char("oprkind") ?? "b"
            o.oprleft = r.oid("oprleft")
            o.oprright = r.oid("oprright")
            o.oprcode = r.oid("oprcode")
            o.sortKey = .operator(kind: o.oprkind, left: o.oprleft, right: o.oprright)
            selectDumpableObject(o)
        }
    }

    /// pg_dump's getAccessMethods: all of pg_am (opclasses name theirs by OID).
    func getAccessMethods() throws {
        var sql = "SELECT tableoid, oid, amname, "
        if remoteVersion >= 90600 {
            sql += "amtype, amhandler::pg_catalog.regproc AS amhandler "
        } else {
            sql += "'i'::pg_catalog.\"char\" AS amtype, '-'::pg_catalog.regproc AS amhandler "
        }
        sql += "FROM pg_am"
        for r in try query(sql) {
            let a = AccessMethodInfo(catId: r.catId(), name: r.str("amname"))
            catalog.assignDumpId(a)
            a.amhandler = r.str("amhandler")
            a.amtype = r.char("amtype") ?? "i"
            a.sortKey = .accessMethod(a.catId.oid)
            selectDumpableAccessMethod(a)
        }
    }

    /// pg_dump's getOpclasses.
    func getOpclasses() throws {
        let sql = "SELECT tableoid, oid, opcmethod, opcname, "
            + "opcnamespace, "
            + "opcowner "
            + "FROM pg_opclass"
        for r in try query(sql) {
            let o = OpclassInfo(catId: r.catId(), name: r.str("opcname"),
                                namespace: catalog.namespace(oid: r.oid("opcnamespace")))
            catalog.assignDumpId(o)
            o.opcmethod = r.oid("opcmethod")
            o.ownerName = catalog.roleName(r.oid("opcowner"))
            o.sortKey = .accessMethod(o.opcmethod)
            selectDumpableObject(o)
        }
    }

    /// pg_dump's getOpfamilies.
    func getOpfamilies() throws {
        let sql = "SELECT tableoid, oid, opfmethod, opfname, "
            + "opfnamespace, "
            + "opfowner "
            + "FROM pg_opfamily"
        for r in try query(sql) {
            let o = OpfamilyInfo(catId: r.catId(), name: r.str("opfname"),
                                 namespace: catalog.namespace(oid: r.oid("opfnamespace")))
            catalog.assignDumpId(o)
            o.opfmethod = r.oid("opfmethod")
            o.ownerName = catalog.roleName(r.oid("opfowner"))
            o.sortKey = .accessMethod(o.opfmethod)
            selectDumpableObject(o)
        }
    }

    /// pg_dump's getCollations.
    func getCollations() throws {
        let sql = "SELECT tableoid, oid, collname, "
            + "collnamespace, "
            + "collowner, "
            + "collencoding "
            + "FROM pg_collation"
        for r in try query(sql) {
            let c = CollInfo(catId: r.catId(), name: r.str("collname"),
                             namespace: catalog.namespace(oid: r.oid("collnamespace")))
            catalog.assignDumpId(c)
            c.ownerName = catalog.roleName(r.oid("collowner"))
            c.collencoding = r.int("collencoding")
            c.sortKey = .collation(encoding: c.collencoding)
            selectDumpableObject(c)
        }
    }

    /// pg_dump's getConversions.
    func getConversions() throws {
        let sql = "SELECT tableoid, oid, conname, "
            + "connamespace, "
            + "conowner "
            + "FROM pg_conversion"
        for r in try query(sql) {
            let c = ConvInfo(catId: r.catId(), name: r.str("conname"),
                             namespace: catalog.namespace(oid: r.oid("connamespace")))
            catalog.assignDumpId(c)
            c.ownerName = catalog.roleName(r.oid("conowner"))
            selectDumpableObject(c)
        }
    }

    /// pg_dump's getCasts: all casts but those from a range to its multirange (made
    /// automatically with the range type).
    func getCasts() throws {
        var sql = "SELECT tableoid, oid, "
            + "castsource, casttarget, castfunc, castcontext, "
            + "castmethod "
        if remoteVersion >= 140000 {
            sql += "FROM pg_cast c "
                + "WHERE NOT EXISTS ( "
                + "SELECT 1 FROM pg_range r "
                + "WHERE c.castsource = r.rngtypid "
                + "AND c.casttarget = r.rngmultitypid "
                + ") "
                + "ORDER BY 3,4"
        } else {
            sql += "FROM pg_cast ORDER BY 3,4"
        }
        for r in try query(sql) {
            let source = r.oid("castsource"), target = r.oid("casttarget")
            // Named after its types for sorting only; empty if either is unknown.
            var name = ""
            if let s = catalog.type(oid: source), let t = catalog.type(oid: target) {
                name = s.name + " " + t.name
            }
            let c = CastInfo(catId: r.catId(), name: name)
            catalog.assignDumpId(c)
            c.castsource = source
            c.casttarget = target
            c.castfunc = r.oid("castfunc")
            c.castcontext = r.char("castcontext") ?? "e"
            c.castmethod = r.char("castmethod") ?? "f"
            selectDumpableCast(c)
        }
    }

    /// pg_dump's get_language_name: the language's quoted name.
    public func languageName(_ oid: UInt32) throws -> String? {
        guard let r = try query("SELECT lanname FROM pg_language WHERE oid = \(oid)").first else { return nil }
        return fmtId(r.str("lanname"))
    }

    /// pg_dump's getTransforms.
    func getTransforms() throws {
        if remoteVersion < 90500 { return }
        let sql = "SELECT tableoid, oid, "
            + "trftype, trflang, trffromsql::oid, trftosql::oid "
            + "FROM pg_transform "
            + "ORDER BY 3,4"
        for r in try query(sql) {
            let trftype = r.oid("trftype"), trflang = r.oid("trflang")
            // Named "type language" for sorting only.
            var name = ""
            let lanname = try languageName(trflang)
            if let t = catalog.type(oid: trftype), let lanname { name = t.name + " " + lanname }
            let t = TransformInfo(catId: r.catId(), name: name)
            catalog.assignDumpId(t)
            t.trftype = trftype
            t.trflang = trflang
            t.trffromsql = r.oid("trffromsql")
            t.trftosql = r.oid("trftosql")
            selectDumpableObject(t)
        }
    }
}
