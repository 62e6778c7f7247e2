import Archive
import Catalog

// CREATE FOREIGN DATA WRAPPER, SERVER and USER MAPPING entries (pg_dump's
// dumpForeignDataWrapper, dumpForeignServer, dumpUserMappings). Foreign tables are tables.
extension DumpContext {
    /// pg_dump's dumpForeignDataWrapper.
    func dumpForeignDataWrapper(_ f: FdwInfo) throws {
        guard options.dumpSchema else { return }
        let qfdwname = fmtId(f.name)
        var q = "CREATE FOREIGN DATA WRAPPER \(qfdwname)"
        if f.fdwhandler != "-" { q += " HANDLER \(f.fdwhandler)" }
        if f.fdwvalidator != "-" { q += " VALIDATOR \(f.fdwvalidator)" }
        if !f.fdwoptions.isEmpty { q += " OPTIONS (\n    \(f.fdwoptions)\n)" }
        q += ";\n"
        if f.dump.contains(.definition) {
            archiveEntry(catId: f.catId, dumpId: f.dumpId, EntryOptions(
                tag: f.name, owner: f.ownerName, description: "FOREIGN DATA WRAPPER", section: .preData,
                createStmt: q, dropStmt: "DROP FOREIGN DATA WRAPPER \(qfdwname);\n"))
        }
        if f.dump.contains(.comment) {
            try dumpComment(type: "FOREIGN DATA WRAPPER", name: qfdwname, namespace: nil, owner: f.ownerName,
                            catId: f.catId, dumpId: f.dumpId)
        }
        if f.dump.contains(.acl) {
            try dumpACL(objDumpId: f.dumpId, type: "FOREIGN DATA WRAPPER", name: qfdwname, nspname: nil,
                        owner: f.ownerName, dacl: f.dacl)
        }
    }

    /// pg_dump's dumpForeignServer, with the server's user mappings after it.
    func dumpForeignServer(_ s: ForeignServerInfo) throws {
        guard options.dumpSchema else { return }
        let qsrvname = fmtId(s.name)
        let fdwname = try cat.foreignDataWrapperName(oid: s.srvfdw)
        var q = "CREATE SERVER \(qsrvname)"
        if !s.srvtype.isEmpty { q += " TYPE " + literal(s.srvtype) }
        if !s.srvversion.isEmpty { q += " VERSION " + literal(s.srvversion) }
        q += " FOREIGN DATA WRAPPER " + fmtId(fdwname)
        if !s.srvoptions.isEmpty { q += " OPTIONS (\n    \(s.srvoptions)\n)" }
        q += ";\n"
        if s.dump.contains(.definition) {
            archiveEntry(catId: s.catId, dumpId: s.dumpId, EntryOptions(
                tag: s.name, owner: s.ownerName, description: "SERVER", section: .preData,
                createStmt: q, dropStmt: "DROP SERVER \(qsrvname);\n"))
        }
        if s.dump.contains(.comment) {
            try dumpComment(type: "SERVER", name: qsrvname, namespace: nil, owner: s.ownerName,
                            catId: s.catId, dumpId: s.dumpId)
        }
        if s.dump.contains(.acl) {
            try dumpACL(objDumpId: s.dumpId, type: "FOREIGN SERVER", name: qsrvname, nspname: nil,
                        owner: s.ownerName, dacl: s.dacl)
        }
        if s.dump.contains(.userMap) {
            try dumpUserMappings(server: s)
        }
    }

    /// pg_dump's dumpUserMappings: one entry per mapping of the server, read from the
    /// pg_user_mappings view so that a non-superuser can dump too (the options of servers
    /// the user may not use read as NULL: such mappings have no OPTIONS clause). The entries
    /// carry the server's owner and no dependencies, as pg_dump's.
    func dumpUserMappings(server s: ForeignServerInfo) throws {
        let maps = try cat.userMappings(server: s)
        let qsrvname = fmtId(s.name)
        for m in maps {
            let usename = m.usename, umoptions = m.umoptions
            var q = "CREATE USER MAPPING FOR \(fmtId(usename)) SERVER \(qsrvname)"
            if !umoptions.isEmpty { q += " OPTIONS (\n    \(umoptions)\n)" }
            q += ";\n"
            archiveEntry(catId: .none, dumpId: catalog.createDumpId(), EntryOptions(
                tag: "USER MAPPING \(usename) SERVER \(s.name)", owner: s.ownerName, description: "USER MAPPING",
                section: .preData, createStmt: q,
                dropStmt: "DROP USER MAPPING FOR \(fmtId(usename)) SERVER \(qsrvname);\n"))
        }
    }
}
