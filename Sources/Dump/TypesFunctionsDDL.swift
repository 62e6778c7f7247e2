import Archive
import Catalog

// Types, functions, aggregates, operators, access methods, operator classes and families,
// collations, conversions, casts, transforms, procedural languages.
extension DumpContext {
    func dumpType(_ obj: DumpableObject) throws {}
    func dumpShellType(_ obj: DumpableObject) throws {}
    func dumpFunc(_ obj: DumpableObject) throws {}
    func dumpAgg(_ obj: DumpableObject) throws {}
    func dumpOpr(_ obj: DumpableObject) throws {}
    func dumpAccessMethod(_ obj: DumpableObject) throws {}
    func dumpOpclass(_ obj: DumpableObject) throws {}
    func dumpOpfamily(_ obj: DumpableObject) throws {}
    func dumpCollation(_ obj: DumpableObject) throws {}
    func dumpConversion(_ obj: DumpableObject) throws {}
    func dumpProcLang(_ obj: DumpableObject) throws {}
    func dumpCast(_ obj: DumpableObject) throws {}
    func dumpTransform(_ obj: DumpableObject) throws {}
}
