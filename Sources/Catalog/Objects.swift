import PostgresClient

/// pg_dump's DumpId: a small positive integer naming one dumpable object and, for most
/// objects, the TOC entry that holds its definition.
public typealias DumpId = Int32

/// A catalog row's identity: the OID of its catalog table and its own OID.
public struct CatalogId: Hashable, Sendable, Comparable {
    public var tableoid: UInt32
    public var oid: UInt32
    public init(tableoid: UInt32, oid: UInt32) { self.tableoid = tableoid; self.oid = oid }
    public static let none = CatalogId(tableoid: 0, oid: 0)
    public static func < (a: Self, b: Self) -> Bool {
        a.tableoid != b.tableoid ? a.tableoid < b.tableoid : a.oid < b.oid
    }
}

/// The kinds of dumpable object, as pg_dump's DumpableObjectType (PostgreSQL 18).
public enum ObjectType: Int, Sendable, CaseIterable {
    case namespace, `extension`, type, shellType, function, aggregate, `operator`, accessMethod,
         opclass, opfamily, collation, conversion, table, tableAttach, attrDef, index, indexAttach,
         statisticsExt, rule, trigger, constraint, fkConstraint, procLang, cast, tableData,
         sequenceSet, dummyType, tsParser, tsDict, tsTemplate, tsConfig, fdw, foreignServer,
         defaultACL, transform, largeObject, largeObjectData, preDataBoundary, postDataBoundary,
         eventTrigger, refreshMatView, policy, publication, publicationRel,
         publicationTableInSchema, relStats, subscription, subscriptionRel
}

/// Which parts of an object are to be dumped (pg_dump's DumpComponents bit set).
public struct DumpComponents: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let definition = DumpComponents(rawValue: 1 << 0)
    public static let data = DumpComponents(rawValue: 1 << 1)
    public static let comment = DumpComponents(rawValue: 1 << 2)
    public static let secLabel = DumpComponents(rawValue: 1 << 3)
    public static let acl = DumpComponents(rawValue: 1 << 4)
    public static let policy = DumpComponents(rawValue: 1 << 5)
    public static let userMap = DumpComponents(rawValue: 1 << 6)
    public static let statistics = DumpComponents(rawValue: 1 << 7)
    public static let all: DumpComponents = [.definition, .data, .comment, .secLabel, .acl, .policy, .userMap, .statistics]
    public static let none: DumpComponents = []
}

/// An object's privileges as pg_dump reads them: the ACL, the built-in default for the
/// object's kind and owner (acldefault), and pg_init_privs' initial privileges.
public struct DumpableAcl: Sendable {
    public var acl: String?
    public var acldefault: String?
    /// 'a' for a pg_init_privs entry from initdb, 'e' from CREATE EXTENSION, nil for none.
    public var privtype: Character?
    public var initprivs: String?
    public init(acl: String? = nil, acldefault: String? = nil, privtype: Character? = nil, initprivs: String? = nil) {
        self.acl = acl; self.acldefault = acldefault; self.privtype = privtype; self.initprivs = initprivs
    }
}

/// Base of every dumpable object (pg_dump's DumpableObject). A class, because the sorter and
/// the loop-breaking rules edit dependencies and flags in place, as pg_dump does.
public class DumpableObject {
    public let objType: ObjectType
    public var catId: CatalogId
    public var dumpId: DumpId = 0
    public var name: String
    public var namespace: NamespaceInfo?
    /// The components to dump.
    public var dump: DumpComponents = .all
    /// Components to dump for objects contained in this one (schemas, extensions).
    public var dumpContains: DumpComponents = .all
    /// Components that actually exist (ACL, comment ...), so that empty ones cost nothing.
    public var components: DumpComponents = .definition
    public var extMember = false
    public var dependsOnExt = false
    public private(set) var dependencies: [DumpId] = []
    /// The natural-key details the sorter's DOTypeNameCompare uses after namespace and name;
    /// set by each kind's reader.
    public var sortKey: SortKey = .none

    public init(_ type: ObjectType, catId: CatalogId, name: String, namespace: NamespaceInfo? = nil) {
        self.objType = type
        self.catId = catId
        self.name = name
        self.namespace = namespace
    }

    public func addDependency(_ id: DumpId) {
        dependencies.append(id)
    }

    public func removeDependency(_ id: DumpId) {
        dependencies.removeAll { $0 == id }
    }

    public func setDependencies(_ ids: [DumpId]) { dependencies = ids }
}

/// What DOTypeNameCompare (pg_dump_sort.c) compares after type priority, namespace, name and
/// object type, for the kinds whose natural key has more columns.
public enum SortKey: Sendable {
    case none
    /// DO_FUNC, DO_AGG: argument type OIDs (compared by type namespace, then type name).
    case function(argTypes: [UInt32])
    /// DO_OPERATOR: oprkind, then left and right operand type OIDs.
    case `operator`(kind: Character, left: UInt32, right: UInt32)
    /// DO_OPCLASS, DO_OPFAMILY: access method OID (compared by access method name).
    case accessMethod(UInt32)
    /// DO_COLLATION: collencoding.
    case collation(encoding: Int)
    /// DO_ATTRDEF: adnum.
    case attrDef(adnum: Int)
    /// DO_POLICY, DO_RULE, DO_TRIGGER: the table's name.
    case table(String)
    /// DO_CONSTRAINT, DO_FK_CONSTRAINT: the domain's name, or the table's name.
    case constraint(domain: String?, table: String?)
    /// DO_DEFAULT_ACL: defaclrole (the role's name).
    case defaultACL(role: String)
    /// DO_PUBLICATION_REL, DO_PUBLICATION_TABLE_IN_SCHEMA: the publication's name.
    case publication(String)
    /// DO_SUBSCRIPTION_REL: the subscription's name.
    case subscription(String)
}

/// An object with an ACL (pg_dump's DumpableObjectWithAcl).
public class DumpableObjectWithAcl: DumpableObject {
    public var dacl = DumpableAcl()
}

/// A schema (pg_namespace).
public final class NamespaceInfo: DumpableObjectWithAcl {
    public var ownerName: String = ""
    /// The schema is `public` created by initdb with its default ACL/owner.
    public var createdByInitdb = false
    public init(catId: CatalogId, name: String) { super.init(.namespace, catId: catId, name: name) }
}

/// Boundary objects between the pre-data, data and post-data sections.
public final class BoundaryObject: DumpableObject {}

/// An extension (pg_extension).
public final class ExtensionInfo: DumpableObject {
    public var extNamespace: String = ""
    public var relocatable = false
    public var extversion: String = ""
    /// extconfig: OIDs of configuration tables, as the array literal text.
    public var extconfig: String = ""
    public var extcondition: String = ""
    public init(catId: CatalogId, name: String) { super.init(.extension, catId: catId, name: name) }
}
