import Catalog

// pg_dump's dumpDumpableObject by the object's class: each kind that makes entries conforms
// to DumpDispatch here and calls its DDL maker (pg_dump's function name) with the object as
// its own class. Boundaries, dummy types and subscription relations make none, and do not
// conform (dummy types are TypeInfo objects, checked by objType).

/// An object kind dumpDumpableObject hands to its DDL maker.
protocol DumpDispatch: DumpableObject {
    /// Makes the object's entries (its kind's case of pg_dump's dumpDumpableObject).
    func dumpObject(in ctx: DumpContext) throws
}

extension NamespaceInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpNamespace(self) }
}
extension ExtensionInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpExtension(self) }
}
extension TypeInfo: DumpDispatch {
    /// Dummy types (objType .dummyType) only give other objects' types their names.
    func dumpObject(in ctx: DumpContext) throws { if objType == .type { try ctx.dumpType(self) } }
}
extension ShellTypeInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpShellType(self) }
}
extension FuncInfo: DumpDispatch {
    /// Aggregates are FuncInfo's subclass AggInfo, which cannot override a conformance made
    /// in an extension: they are told apart here.
    func dumpObject(in ctx: DumpContext) throws {
        if let agg = self as? AggInfo { try ctx.dumpAgg(agg) } else { try ctx.dumpFunc(self) }
    }
}
extension OprInfo: DumpDispatch { func dumpObject(in ctx: DumpContext) throws { try ctx.dumpOpr(self) } }
extension AccessMethodInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpAccessMethod(self) }
}
extension OpclassInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpOpclass(self) }
}
extension OpfamilyInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpOpfamily(self) }
}
extension CollInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpCollation(self) }
}
extension ConvInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpConversion(self) }
}
extension TableInfo: DumpDispatch { func dumpObject(in ctx: DumpContext) throws { try ctx.dumpTable(self) } }
extension TableAttachInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpTableAttach(self) }
}
extension AttrDefInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpAttrDef(self) }
}
extension IndxInfo: DumpDispatch { func dumpObject(in ctx: DumpContext) throws { try ctx.dumpIndex(self) } }
extension IndexAttachInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpIndexAttach(self) }
}
extension StatsExtInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpStatisticsExt(self) }
}
extension RuleInfo: DumpDispatch { func dumpObject(in ctx: DumpContext) throws { try ctx.dumpRule(self) } }
extension TriggerInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpTrigger(self) }
}
extension EventTriggerInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpEventTrigger(self) }
}
/// Check, index-backed and foreign key constraints (objType .constraint and .fkConstraint).
extension ConstraintInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpConstraint(self) }
}
extension ProcLangInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpProcLang(self) }
}
extension CastInfo: DumpDispatch { func dumpObject(in ctx: DumpContext) throws { try ctx.dumpCast(self) } }
extension TransformInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpTransform(self) }
}
extension TableDataInfo: DumpDispatch {
    /// One class for three kinds of data object.
    func dumpObject(in ctx: DumpContext) throws {
        switch objType {
        case .tableData: try ctx.dumpTableData(self)
        case .sequenceSet: try ctx.dumpSequenceData(self)
        case .refreshMatView: try ctx.refreshMatViewData(self)
        default: break
        }
    }
}
extension TSParserInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpTSParser(self) }
}
extension TSDictInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpTSDictionary(self) }
}
extension TSTemplateInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpTSTemplate(self) }
}
extension TSConfigInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpTSConfig(self) }
}
extension FdwInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpForeignDataWrapper(self) }
}
extension ForeignServerInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpForeignServer(self) }
}
extension PublicationInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpPublication(self) }
}
extension PublicationRelInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpPublicationTable(self) }
}
extension PublicationSchemaInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpPublicationNamespace(self) }
}
extension SubscriptionInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpSubscription(self) }
}
extension DefaultACLInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpDefaultACL(self) }
}
extension LargeObjectInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpLO(self) }
}
extension LargeObjectDataInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpLOData(self) }
}
extension PolicyInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpPolicy(self) }
}
extension RelStatsInfo: DumpDispatch {
    func dumpObject(in ctx: DumpContext) throws { try ctx.dumpRelationStats(self, cache: ctx.statsCache) }
}
