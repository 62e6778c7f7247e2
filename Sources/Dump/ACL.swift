import Archive
import Catalog

// GRANT/REVOKE entries (pg_dump's dumpACL with buildACLCommands).
extension DumpContext {
    func getAdditionalACLs() throws {}

    /// pg_dump's dumpACL: an ACL entry for the object when its privileges differ from the
    /// defaults. Returns the new entry's dump ID, or 0 when none was made.
    @discardableResult
    public func dumpACL(objDumpId: DumpId, altDumpId: DumpId = 0, type: String, name: String,
                        subname: String? = nil, nspname: String?, tag: String? = nil, owner: String?,
                        dacl: DumpableAcl) throws -> DumpId { 0 }
}
