// pg_dump's selectDumpable* rules: which objects, and which of their components, to dump.
// Functions whose pg_dump counterpart takes a class defined elsewhere (TypeInfo, CastInfo,
// ProcLangInfo, AccessMethodInfo, StatsExtInfo) take a DumpableObject plus the few values the
// rule needs, so that they do not wait on those classes.

/// Built-in objects have OIDs below FirstNormalObjectId (pg_dump's g_last_builtin_oid).
public let lastBuiltinOid: UInt32 = 16383

/// The OID of the pg_database_owner role (ROLE_PG_DATABASE_OWNER), owner of `public` since 15.
public let rolePgDatabaseOwner: UInt32 = 6171

extension CatalogContext {
    /// True for pg_catalog, information_schema and pg_toast/pg_temp schemas.
    func isSystemSchemaName(_ name: String) -> Bool {
        name.hasPrefix("pg_") || name == "information_schema"
    }

    /// -t/--table was given (pg_dump's `table_include_oids.head != NULL`; pg_dump fails when a
    /// pattern matches nothing, so "given" and "non-empty" are the same there).
    var tableIncludeGiven: Bool { options.haveTablePatterns || !options.includedTables.isEmpty }
    /// -n/--schema was given.
    var schemaIncludeGiven: Bool { options.haveSchemaPatterns || !options.includedSchemas.isEmpty }
    /// -e/--extension was given.
    var extensionIncludeGiven: Bool { options.haveExtensionPatterns || !options.includedExtensions.isEmpty }

    /// pg_dump's checkExtensionMembership: if `obj` is a member of an extension, marks it
    /// (extMember), makes it depend on the extension and dumps only what the extension's
    /// dumpContains allows of ACLs (pg_init_privs deltas). Returns true when it is a member.
    /// Call for every object that could be an extension member, after getExtensionMembership.
    @discardableResult
    public func checkExtensionMembership(_ obj: DumpableObject) -> Bool {
        guard let ext = catalog.extensionMembers[obj.catId] else { return false }
        obj.extMember = true
        obj.addDependency(ext.dumpId)
        // Servers 9.6+: members keep their non-initial ACLs (binary upgrade is not supported).
        obj.dump = remoteVersion < 90600 ? .none : ext.dumpContains.intersection(.acl)
        return true
    }

    /// pg_dump's selectDumpableNamespace. `nspowner` is the schema owner's OID (the `public`
    /// schema's definition is dumped only when pg_database_owner does not own it). Sets
    /// `createdByInitdb` for `public` (pg_dump's `create = false`).
    public func selectDumpableNamespace(_ ns: NamespaceInfo, nspowner: UInt32) {
        ns.createdByInitdb = false
        if tableIncludeGiven {
            ns.dump = .none; ns.dumpContains = .none
        } else if schemaIncludeGiven {
            let d: DumpComponents = options.includedSchemas.contains(ns.catId.oid) ? .all : .none
            ns.dump = d; ns.dumpContains = d
        } else if remoteVersion >= 90600 && ns.name == "pg_catalog" {
            // Only ACLs changed from the initdb ones (see pg_init_privs).
            ns.dump = .acl; ns.dumpContains = .acl
        } else if isSystemSchemaName(ns.name) {
            ns.dump = .none; ns.dumpContains = .none
        } else if flavour != .postgres && (ns.name == "gp_toolkit" || ns.catId.oid == 7012) {
            // Made by the MPP server itself (gp_toolkit; 7012 is pg_bitmapindex).
            ns.dump = .none; ns.dumpContains = .none
        } else if ns.name == "public" {
            // CREATE SCHEMA would fail; the definition is a comment plus the owner, omitted
            // when the owner is the default.
            ns.createdByInitdb = true
            ns.dump = .all
            if nspowner == rolePgDatabaseOwner { ns.dump.remove(.definition) }
            ns.dumpContains = .all
            // As if it had a comment, so that a removed initdb comment is dumped too.
            ns.components.insert(.comment)
        } else {
            ns.dump = .all; ns.dumpContains = .all
        }
        if !ns.dumpContains.isEmpty && options.excludedSchemas.contains(ns.catId.oid) {
            ns.dump = .none; ns.dumpContains = .none
        }
        // Membership may override the schema's own dump flag, not what it contains.
        checkExtensionMembership(ns)
    }

    /// pg_dump's selectDumpableTable.
    public func selectDumpableTable(_ tbl: TableInfo) {
        if checkExtensionMembership(tbl) { return }
        if tableIncludeGiven {
            tbl.dump = options.includedTables.contains(tbl.catId.oid) ? .all : .none
        } else {
            tbl.dump = tbl.namespace?.dumpContains ?? .none
        }
        if !tbl.dump.isEmpty && options.excludedTables.contains(tbl.catId.oid) {
            tbl.dump = .none
        }
    }

    /// pg_dump's test for a DO_DUMMY_TYPE: a table's row type (not a standalone composite
    /// type), or an auto-generated array or multirange type. The types reader should give such
    /// types the `.dummyType` object type.
    public static func isDummyType(typrelid: UInt32, typrelkind: Character?, isArray: Bool,
                                   isMultirange: Bool) -> Bool {
        (typrelid != 0 && typrelkind != "c") || isArray || isMultirange
    }

    /// pg_dump's selectDumpableType, for a type already given its object type (see
    /// isDummyType). `typrelid`/`typrelkind` are pg_type.typrelid and the relkind of that
    /// relation; a table's row type follows its table (looked up by OID, so call after
    /// getTables), everything else follows extension membership, then its schema.
    public func selectDumpableType(_ obj: DumpableObject, typrelid: UInt32, typrelkind: Character?,
                                   isArray: Bool, isMultirange: Bool) {
        if typrelid != 0 && typrelkind != "c" {
            let table = catalog.object(table: CatalogTable.pgClass, oid: typrelid)
            obj.dump = table?.dump ?? .none
            return
        }
        // Arrays and multiranges fall through: the rules below give them what their base
        // type gets.
        if checkExtensionMembership(obj) { return }
        obj.dump = obj.namespace?.dumpContains ?? .none
    }

    /// pg_dump's selectDumpableDefaultACL: per-schema default privileges follow the schema,
    /// global ones are dumped when dumping everything. (Never extension members.)
    public func selectDumpableDefaultACL(_ obj: DumpableObject) {
        if let ns = obj.namespace {
            obj.dump = ns.dumpContains
        } else {
            obj.dump = options.includeEverything ? .all : .none
        }
    }

    /// pg_dump's selectDumpableCast: casts have no schema or owner; built-in ones (OID in the
    /// initdb range) are never dumped, the others when dumping everything.
    public func selectDumpableCast(_ obj: DumpableObject) {
        if checkExtensionMembership(obj) { return }
        if obj.catId.oid <= lastBuiltinOid {
            obj.dump = .none
        } else {
            obj.dump = options.includeEverything ? .all : .none
        }
    }

    /// pg_dump's selectDumpableProcLang: languages only when dumping everything; built-in
    /// ones only for their (changed) ACLs.
    public func selectDumpableProcLang(_ obj: DumpableObject) {
        if checkExtensionMembership(obj) { return }
        if !options.includeEverything {
            obj.dump = .none
        } else if obj.catId.oid <= lastBuiltinOid {
            obj.dump = remoteVersion < 90600 ? .none : .acl
        } else {
            obj.dump = .all
        }
    }

    /// pg_dump's selectDumpableAccessMethod: built-in access methods are never dumped, the
    /// others when dumping everything.
    public func selectDumpableAccessMethod(_ obj: DumpableObject) {
        if remoteVersion < 90600 { obj.dump = .none; return }
        if checkExtensionMembership(obj) { return }
        if obj.catId.oid <= lastBuiltinOid {
            obj.dump = .none
        } else {
            obj.dump = options.includeEverything ? .all : .none
        }
    }

    /// pg_dump's selectDumpableExtension: built-in extensions (plpgsql) only for changed ACLs
    /// of their members; others unless -n/-t restrict the dump, or as -e/--exclude-extension say.
    public func selectDumpableExtension(_ ext: ExtensionInfo) {
        if ext.catId.oid <= lastBuiltinOid {
            ext.dump = .acl; ext.dumpContains = .acl
            return
        }
        let d: DumpComponents
        if extensionIncludeGiven {
            d = options.includedExtensions.contains(ext.catId.oid) ? .all : .none
        } else {
            d = options.includeEverything ? .all : .none
        }
        ext.dump = d; ext.dumpContains = d
        if !ext.dump.isEmpty && options.excludedExtensions.contains(ext.catId.oid) {
            ext.dump = .none; ext.dumpContains = .none
        }
    }

    /// pg_dump's selectDumpablePublicationObject: publications, their tables and schemas are
    /// dumped only when dumping everything.
    public func selectDumpablePublicationObject(_ obj: DumpableObject) {
        if checkExtensionMembership(obj) { return }
        obj.dump = options.includeEverything ? .all : .none
    }

    /// pg_dump's selectDumpableStatisticsObject: follows its schema, but only if its table's
    /// definition is dumped (`stattable` nil when the table is unknown).
    public func selectDumpableStatisticsObject(_ obj: DumpableObject, stattable: TableInfo?) {
        if checkExtensionMembership(obj) { return }
        obj.dump = obj.namespace?.dumpContains ?? .none
        if stattable == nil || !stattable!.dump.contains(.definition) {
            obj.dump = .none
        }
    }

    /// pg_dump's selectDumpableObject: generic rule for the kinds without a special one.
    public func selectDumpableObject(_ obj: DumpableObject) {
        if checkExtensionMembership(obj) { return }
        if let ns = obj.namespace {
            obj.dump = ns.dumpContains
        } else {
            obj.dump = options.includeEverything ? .all : .none
        }
    }
}
