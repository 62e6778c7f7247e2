// Schemas, extensions and their membership, default privileges, extension configuration
// tables (pg_dump's getNamespaces, getExtensions, getExtensionMembership, getDefaultACLs,
// processExtensionTables).

/// One ALTER DEFAULT PRIVILEGES entry (pg_default_acl; pg_dump's DefaultACLInfo). `name` is
/// defaclobjtype as text, as in pg_dump; `namespace` is nil for global entries.
public final class DefaultACLInfo: DumpableObjectWithAcl {
    /// The role whose default privileges these are (its name).
    public var defaclrole: String = ""
    /// r (tables), S (sequences), f (functions), T (types), n (schemas), L (large objects, 18+).
    public var defaclobjtype: Character = "r"
    public init(catId: CatalogId, name: String, namespace: NamespaceInfo?) {
        super.init(.defaultACL, catId: catId, name: name, namespace: namespace)
    }
}

/// One pg_description row (pg_dump's CommentItem).
public struct CommentItem: Sendable {
    public var descr: String
    public var objsubid: Int
    public init(descr: String, objsubid: Int) { self.descr = descr; self.objsubid = objsubid }
}

/// One pg_seclabels row (pg_dump's SecLabelItem).
public struct SecLabelItem: Sendable {
    public var provider: String
    public var label: String
    public var objsubid: Int
    public init(provider: String, label: String, objsubid: Int) {
        self.provider = provider; self.label = label; self.objsubid = objsubid
    }
}

extension CatalogContext {
    /// pg_dump's getExtensions: every extension, with its dump decision.
    func getExtensions() throws {
        let rows = try query("""
            SELECT x.tableoid, x.oid, x.extname, n.nspname, x.extrelocatable, x.extversion, \
            x.extconfig, x.extcondition FROM pg_extension x \
            JOIN pg_namespace n ON n.oid = x.extnamespace
            """)
        for r in rows {
            let ext = ExtensionInfo(catId: r.catId(), name: r.str("extname"))
            catalog.assignDumpId(ext)
            ext.extNamespace = r.str("nspname")
            ext.relocatable = r.bool("extrelocatable")
            ext.extversion = r.str("extversion")
            ext.extconfig = r.str("extconfig")
            ext.extcondition = r.str("extcondition")
            selectDumpableExtension(ext)
        }
    }

    /// All extensions read by getExtensions, in dump ID order.
    public var extensions: [ExtensionInfo] {
        catalog.allObjects.compactMap { $0 as? ExtensionInfo }
    }

    /// pg_dump's getExtensionMembership: records which extension owns each member object
    /// (pg_depend deptype 'e'), for checkExtensionMembership.
    func getExtensionMembership() throws {
        if extensions.isEmpty { return }
        let rows = try query("""
            SELECT classid, objid, refobjid FROM pg_depend \
            WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e' ORDER BY 3
            """)
        for r in rows {
            let objId = CatalogId(tableoid: r.oid("classid"), oid: r.oid("objid"))
            guard let ext = catalog.object(table: CatalogTable.pgExtension, oid: r.oid("refobjid")) as? ExtensionInfo
            else { continue } // pg_dump warns "could not find referenced extension"
            catalog.extensionMembers[objId] = ext
        }
    }

    /// The extension that owns the object, if it is a member of one (findOwningExtension).
    public func owningExtension(_ catId: CatalogId) -> ExtensionInfo? {
        catalog.extensionMembers[catId]
    }

    /// pg_dump's getNamespaces: every schema, system ones included, so that every object can
    /// find its schema.
    func getNamespaces() throws {
        let rows = try query("""
            SELECT n.tableoid, n.oid, n.nspname, n.nspowner, n.nspacl, \
            acldefault('n', n.nspowner) AS acldefault FROM pg_namespace n
            """)
        for r in rows {
            let ns = NamespaceInfo(catId: r.catId(), name: r.str("nspname"))
            catalog.assignDumpId(ns)
            ns.dacl = DumpableAcl(acl: r.opt("nspacl"), acldefault: r.opt("acldefault"))
            let owner = r.oid("nspowner")
            ns.ownerName = catalog.roleName(owner)
            selectDumpableNamespace(ns, nspowner: owner)
            if !r.isNull("nspacl") { ns.components.insert(.acl) }
            // pg_init_privs of `public` is ignored: its initial ACL is taken to be the v15
            // standard {owner=UC/owner,=U/owner} for its current owner.
            if ns.name == "public" {
                var arr = "{"
                let q = quoteAclUserName(ns.ownerName)
                appendPGArray(&arr, q + "=UC/" + q)
                appendPGArray(&arr, "=U/" + q)
                arr += "}"
                ns.dacl.privtype = "i"
                ns.dacl.initprivs = arr
                ns.components.insert(.acl)
            }
        }
    }

    /// pg_dump's getDefaultACLs. Global entries are deltas from the built-in default for the
    /// object type; per-schema entries are deltas from an empty ACL.
    func getDefaultACLs() throws {
        let rows = try query("""
            SELECT oid, tableoid, defaclrole, defaclnamespace, defaclobjtype, defaclacl, \
            CASE WHEN defaclnamespace = 0 THEN acldefault(CASE WHEN defaclobjtype = 'S' \
            THEN 's'::"char" ELSE defaclobjtype END, defaclrole) ELSE '{}' END AS acldefault \
            FROM pg_default_acl
            """)
        for r in rows {
            let nspid = r.oid("defaclnamespace")
            let ns = nspid != 0 ? catalog.namespace(oid: nspid) : nil
            let d = DefaultACLInfo(catId: r.catId(), name: r.str("defaclobjtype"), namespace: ns)
            catalog.assignDumpId(d)
            d.dacl = DumpableAcl(acl: r.opt("defaclacl"), acldefault: r.opt("acldefault"))
            d.defaclrole = catalog.roleName(r.oid("defaclrole"))
            d.defaclobjtype = r.char("defaclobjtype") ?? "r"
            d.sortKey = .defaultACL(role: d.defaclrole)
            d.components.insert(.acl)
            selectDumpableDefaultACL(d)
        }
    }

    /// pg_dump's processExtensionTables: the data of extension configuration tables is dumped
    /// (with the extension's filter condition) even though the tables are not, and the data
    /// of FK-linked configuration tables is ordered referenced-first. Call after getTables.
    func processExtensionTables() throws {
        let exts = extensions
        if exts.isEmpty { return }
        for ext in exts {
            if extensionIncludeGiven && !options.includedExtensions.contains(ext.catId.oid) { continue }
            if options.excludedExtensions.contains(ext.catId.oid) { continue }
            if ext.extconfig.isEmpty && ext.extcondition.isEmpty { continue }
            guard let configs = parsePGArray(ext.extconfig) else {
                throw CatalogError("could not parse extconfig array")
            }
            guard let conditions = parsePGArray(ext.extcondition) else {
                throw CatalogError("could not parse extcondition array")
            }
            guard configs.count == conditions.count else {
                throw CatalogError("mismatched number of configurations and conditions for extension")
            }
            for (j, oidText) in configs.enumerated() {
                let oid = UInt32(oidText) ?? 0
                guard let tbl = catalog.object(table: CatalogTable.pgClass, oid: oid) as? TableInfo else { continue }
                var dumpObj = ext.dump.contains(.definition)
                if !ext.dump.contains(.definition) {
                    if tableIncludeGiven && options.includedTables.contains(oid) { dumpObj = true }
                    if tbl.namespace?.dump.contains(.data) == true { dumpObj = true }
                }
                if options.excludedTables.contains(oid) { dumpObj = false }
                if let ns = tbl.namespace, options.excludedSchemas.contains(ns.catId.oid) { dumpObj = false }
                if dumpObj {
                    makeTableDataInfo(tbl)
                    if let td = tbl.dataObj as? TableDataInfo, !conditions[j].isEmpty {
                        td.filtercond = conditions[j]
                    }
                }
            }
        }
        let rows = try query("""
            SELECT conrelid, confrelid FROM pg_constraint JOIN pg_depend ON (objid = confrelid) \
            WHERE contype = 'f' AND refclassid = 'pg_extension'::regclass \
            AND classid = 'pg_class'::regclass;
            """)
        for r in rows {
            guard let contable = catalog.object(table: CatalogTable.pgClass, oid: r.oid("conrelid")) as? TableInfo,
                  let reftable = catalog.object(table: CatalogTable.pgClass, oid: r.oid("confrelid")) as? TableInfo,
                  let conData = contable.dataObj, let refData = reftable.dataObj
            else { continue }
            conData.addDependency(refData.dumpId)
        }
    }
}

/// A catalog reader's failure that is no server error (pg_dump's pg_fatal).
public struct CatalogError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

extension CatalogContext {
    /// append_depends_on_extension's query: the extensions object `oid` of catalog
    /// `catalogName` (e.g. pg_catalog.pg_proc) is marked as depending on (deptype 'x').
    public func dependedOnExtensions(catalogName: String, oid: UInt32) throws -> [String] {
        let sql = "SELECT e.extname "
            + "FROM pg_catalog.pg_depend d, pg_catalog.pg_extension e "
            + "WHERE d.refobjid = e.oid AND classid = '\(catalogName)'::pg_catalog.regclass "
            + "AND objid = '\(oid)'::pg_catalog.oid AND deptype = 'x' "
            + "AND refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass"
        return try query(sql).map { $0.str("extname") }
    }
}
