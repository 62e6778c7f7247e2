import Catalog

// The kinds dumpDumpableObject (Dumper.swift) hands on by their Info class.
extension DumpContext {
    func dumpType(_ obj: DumpableObject) throws {
        guard let t = obj as? TypeInfo else { return }
        try dumpTypeInfo(t)
    }
    func dumpShellType(_ obj: DumpableObject) throws {
        guard let st = obj as? ShellTypeInfo else { return }
        try dumpShellTypeInfo(st)
    }
    func dumpFunc(_ obj: DumpableObject) throws {
        guard let f = obj as? FuncInfo else { return }
        try dumpFuncInfo(f)
    }
    func dumpAgg(_ obj: DumpableObject) throws {
        guard let a = obj as? AggInfo else { return }
        try dumpAggInfo(a)
    }
    func dumpOpr(_ obj: DumpableObject) throws {
        guard let o = obj as? OprInfo else { return }
        try dumpOprInfo(o)
    }
    func dumpAccessMethod(_ obj: DumpableObject) throws {
        guard let a = obj as? AccessMethodInfo else { return }
        try dumpAccessMethodInfo(a)
    }
    func dumpOpclass(_ obj: DumpableObject) throws {
        guard let o = obj as? OpclassInfo else { return }
        try dumpOpclassInfo(o)
    }
    func dumpOpfamily(_ obj: DumpableObject) throws {
        guard let o = obj as? OpfamilyInfo else { return }
        try dumpOpfamilyInfo(o)
    }
    func dumpCollation(_ obj: DumpableObject) throws {
        guard let c = obj as? CollInfo else { return }
        try dumpCollationInfo(c)
    }
    func dumpConversion(_ obj: DumpableObject) throws {
        guard let c = obj as? ConvInfo else { return }
        try dumpConversionInfo(c)
    }
    func dumpProcLang(_ obj: DumpableObject) throws {
        guard let l = obj as? ProcLangInfo else { return }
        try dumpProcLangInfo(l)
    }
    func dumpCast(_ obj: DumpableObject) throws {
        guard let c = obj as? CastInfo else { return }
        try dumpCastInfo(c)
    }
    func dumpTransform(_ obj: DumpableObject) throws {
        guard let t = obj as? TransformInfo else { return }
        try dumpTransformInfo(t)
    }
}
