import Archive
import Catalog

// Schemas, extensions, default privileges (pg_dump's dumpNamespace, dumpExtension,
// dumpDefaultACL).
extension DumpContext {
    /// pg_dump's dumpNamespace: SCHEMA entry (for `public` only a note and the owner), then
    /// its comment, security labels and ACL.
    func dumpNamespace(_ ns: NamespaceInfo) throws {
        guard options.dumpSchema else { return }
        let qname = fmtId(ns.name)
        let q: String, delq: String
        if !ns.createdByInitdb {
            delq = "DROP SCHEMA \(qname);\n"
            q = "CREATE SCHEMA \(qname);\n"
        } else {
            delq = "-- *not* dropping schema, since initdb creates it\n"
            q = "-- *not* creating schema, since initdb creates it\n"
        }
        if ns.dump.contains(.definition) {
            archiveEntry(catId: ns.catId, dumpId: ns.dumpId, EntryOptions(
                tag: ns.name, owner: ns.ownerName, description: "SCHEMA", section: .preData,
                createStmt: q, dropStmt: delq))
        }
        if ns.dump.contains(.comment) {
            let initdbComment = ns.createdByInitdb && qname == "public" ? "standard public schema" : nil
            try dumpCommentExtended(type: "SCHEMA", name: qname, namespace: nil, owner: ns.ownerName,
                                    catId: ns.catId, subid: 0, dumpId: ns.dumpId, initdbComment: initdbComment)
        }
        if ns.dump.contains(.secLabel) {
            try dumpSecLabel(type: "SCHEMA", name: qname, namespace: nil, owner: ns.ownerName,
                             catId: ns.catId, dumpId: ns.dumpId)
        }
        if ns.dump.contains(.acl) {
            try dumpACL(objDumpId: ns.dumpId, type: "SCHEMA", name: qname, nspname: nil,
                        owner: ns.ownerName, dacl: ns.dacl)
        }
    }

    /// pg_dump's dumpExtension: CREATE EXTENSION IF NOT EXISTS ... WITH SCHEMA, without a
    /// version (the target's default is used); no owner. Comment and labels have owner "".
    func dumpExtension(_ ext: ExtensionInfo) throws {
        guard options.dumpSchema else { return }
        let qname = fmtId(ext.name)
        let q = "CREATE EXTENSION IF NOT EXISTS \(qname) WITH SCHEMA \(fmtId(ext.extNamespace));\n"
        if ext.dump.contains(.definition) {
            archiveEntry(catId: ext.catId, dumpId: ext.dumpId, EntryOptions(
                tag: ext.name, description: "EXTENSION", section: .preData,
                createStmt: q, dropStmt: "DROP EXTENSION \(qname);\n"))
        }
        if ext.dump.contains(.comment) {
            try dumpComment(type: "EXTENSION", name: qname, namespace: nil, owner: "",
                            catId: ext.catId, dumpId: ext.dumpId)
        }
        if ext.dump.contains(.secLabel) {
            try dumpSecLabel(type: "EXTENSION", name: qname, namespace: nil, owner: "",
                             catId: ext.catId, dumpId: ext.dumpId)
        }
    }

    /// pg_dump's dumpDefaultACL: a DEFAULT ACL entry of ALTER DEFAULT PRIVILEGES commands.
    func dumpDefaultACL(_ d: DefaultACLInfo) throws {
        guard options.dumpSchema, !options.aclsSkip else { return }
        let type: String
        switch d.defaclobjtype {
        case "r": type = "TABLES"
        case "S": type = "SEQUENCES"
        case "f": type = "FUNCTIONS"
        case "T": type = "TYPES"
        case "n": type = "SCHEMAS"
        case "L": type = "LARGE OBJECTS"
        default: throw ACLError(description: "unrecognized object type in default privileges: \(d.defaclobjtype)")
        }
        guard let q = buildDefaultACLCommands(type: type, nspname: d.namespace?.name, acls: d.dacl.acl,
                                              acldefault: d.dacl.acldefault ?? "", owner: d.defaclrole) else {
            throw ACLError(description: "could not parse default ACL list (\(d.dacl.acl ?? ""))")
        }
        if d.dump.contains(.acl) {
            archiveEntry(catId: d.catId, dumpId: d.dumpId, EntryOptions(
                tag: "DEFAULT PRIVILEGES FOR \(type)", namespace: d.namespace?.name, owner: d.defaclrole,
                description: "DEFAULT ACL", section: .postData, createStmt: q))
        }
    }
}
