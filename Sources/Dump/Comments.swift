import Archive
import Catalog

// COMMENT and SECURITY LABEL entries for every kind of object.
extension DumpContext {
    func collectComments() throws {}
    func collectSecLabels() throws {}

    /// pg_dump's dumpComment: a COMMENT entry for the object, if it has one. `type` is the
    /// SQL keyword(s) (e.g. "TABLE"), `name` already quoted/qualified as COMMENT ON needs it
    /// except for the namespace, which is passed separately.
    public func dumpComment(type: String, name: String, namespace: String?, owner: String?,
                            catId: CatalogId, subid: Int = 0, dumpId: DumpId) throws {}

    /// pg_dump's dumpSecLabel.
    public func dumpSecLabel(type: String, name: String, namespace: String?, owner: String?,
                             catId: CatalogId, subid: Int = 0, dumpId: DumpId) throws {}
}
