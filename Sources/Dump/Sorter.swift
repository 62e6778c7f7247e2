import Catalog
import Console
#if canImport(Glibc)
import Glibc
#endif

// pg_dump_sort.c: type/name order, then the topological sort with loop repair; and
// pg_dump.c's createBoundaryObjects / addBoundaryDependencies.
extension DumpContext {
    public struct Boundaries { public let pre: DumpableObject; public let post: DumpableObject }

    func createBoundaryObjects() -> Boundaries {
        let pre = BoundaryObject(.preDataBoundary, catId: .none, name: "PRE-DATA BOUNDARY")
        let post = BoundaryObject(.postDataBoundary, catId: .none, name: "POST-DATA BOUNDARY")
        catalog.assignDumpId(pre)
        catalog.assignDumpId(post)
        return Boundaries(pre: pre, post: post)
    }

    func addBoundaryDependencies(_ objs: [DumpableObject], _ b: Boundaries) {
        DumpSorter.addBoundaryDependencies(objs, pre: b.pre, post: b.post,
                                           groupedLargeObjects: options.groupedLargeObjects)
    }

    func sortDumpableObjectsByTypeName(_ objs: inout [DumpableObject]) {
        DumpSorter(catalog: catalog, dumperMajor: options.dumperMajor,
                   groupedLargeObjects: options.groupedLargeObjects).sortByTypeName(&objs)
    }

    func sortDumpableObjects(_ objs: inout [DumpableObject], preBoundary: DumpId, postBoundary: DumpId) throws {
        var sorter = DumpSorter(catalog: catalog, dumperMajor: options.dumperMajor,
                                groupedLargeObjects: options.groupedLargeObjects)
        defer { sorter.messages.forEach { onMessage($0.level, $0.text) } }
        try sorter.sort(&objs, preBoundary: preBoundary, postBoundary: postBoundary)
    }
}

/// The levels of pg_dump's logging that the dump's messages use (DumpContext.onMessage).
public typealias DumpMessageLevel = DumpSorter.Message.Level

public enum SorterError: Error, CustomStringConvertible {
    case invalidDumpId(DumpId)
    case invalidDependency(DumpId)
    case couldNotIdentifyLoop

    public var description: String {
        switch self {
        case .invalidDumpId(let id): return "invalid dumpId \(id)"
        case .invalidDependency(let id): return "invalid dependency \(id)"
        case .couldNotIdentifyLoop: return "could not identify dependency loop"
        }
    }
}

/// pg_dump_sort.c. Behaviour that differs between pg_dump releases follows `dumperMajor`
/// (domain NOT NULL constraints take part in loop repair from 18; object descriptions in
/// loop warnings), except where large objects go: that follows `groupedLargeObjects` (the
/// archive's style), not the release. Per-LO BLOB entries (archive <= 1.15) are pre-data
/// objects sorted before the pre-data boundary, as pg_dump 16 sorts them; grouped BLOB
/// METADATA entries (1.16, pg_dump 17+) are data objects.
public struct DumpSorter {
    public struct Message: Equatable, Sendable {
        public enum Level: String, Sendable { case warning, detail, hint }
        public var level: Level
        public var text: String
    }

    public let catalog: DumpCatalog
    public let dumperMajor: Int
    /// Large objects are grouped as pg_dump 17 groups them (DumpOptions.groupedLargeObjects).
    public let groupedLargeObjects: Bool
    /// Warnings about loops that could only be broken arbitrarily, in pg_dump's wording.
    public private(set) var messages: [Message] = []
    private var preDataBoundId: DumpId = 0
    private var postDataBoundId: DumpId = 0

    public init(catalog: DumpCatalog, dumperMajor: Int, groupedLargeObjects: Bool) {
        self.catalog = catalog
        self.dumperMajor = dumperMajor
        self.groupedLargeObjects = groupedLargeObjects
    }

    // MARK: - Type/name order

    /// dbObjectTypePriorities, as numbers that keep each release's relative order.
    enum Prio: Int {
        case namespace = 1, procLang, collation, transform, `extension`, type, cast, function,
             aggregate, accessMethod, `operator`, opfamily, conversion, tsParser, tsTemplate,
             tsDict, tsConfig, fdw, foreignServer, table, tableAttach, dummyType, attrDef,
             largeObjectPre,   // per-LO entries (pg_dump <= 16): PRIO_BLOB, before the pre-data boundary
             preDataBoundary, tableData, sequenceSet,
             largeObject,      // grouped entries (pg_dump >= 17): PRIO_LARGE_OBJECT, in the data section
             largeObjectData, statisticsData, postDataBoundary, constraint, index, indexAttach,
             statsExt, rule, trigger, fkConstraint, policy, publication, publicationRel,
             publicationTableInSchema, subscription, subscriptionRel, defaultACL, eventTrigger,
             refreshMatView
    }

    func priority(_ t: ObjectType) -> Prio {
        switch t {
        case .namespace: return .namespace
        case .extension: return .extension
        case .type, .shellType: return .type
        case .function: return .function
        case .aggregate: return .aggregate
        case .operator: return .operator
        case .accessMethod: return .accessMethod
        case .opclass, .opfamily: return .opfamily
        case .collation: return .collation
        case .conversion: return .conversion
        case .table: return .table
        case .tableAttach: return .tableAttach
        case .attrDef: return .attrDef
        case .index: return .index
        case .indexAttach: return .indexAttach
        case .statisticsExt: return .statsExt
        case .rule: return .rule
        case .trigger: return .trigger
        case .constraint: return .constraint
        case .fkConstraint: return .fkConstraint
        case .procLang: return .procLang
        case .cast: return .cast
        case .tableData: return .tableData
        case .sequenceSet: return .sequenceSet
        case .dummyType: return .dummyType
        case .tsParser: return .tsParser
        case .tsDict: return .tsDict
        case .tsTemplate: return .tsTemplate
        case .tsConfig: return .tsConfig
        case .fdw: return .fdw
        case .foreignServer: return .foreignServer
        case .defaultACL: return .defaultACL
        case .transform: return .transform
        case .largeObject: return groupedLargeObjects ? .largeObject : .largeObjectPre
        case .largeObjectData: return .largeObjectData
        case .preDataBoundary: return .preDataBoundary
        case .postDataBoundary: return .postDataBoundary
        case .eventTrigger: return .eventTrigger
        case .refreshMatView: return .refreshMatView
        case .policy: return .policy
        case .publication: return .publication
        case .publicationRel: return .publicationRel
        case .publicationTableInSchema: return .publicationTableInSchema
        case .relStats: return .statisticsData
        case .subscription: return .subscription
        case .subscriptionRel: return .subscriptionRel
        }
    }

    /// sortDumpableObjectsByTypeName: the starting order for the dependency sort.
    ///
    /// `compare`'s leading parts (priority, namespace, name, type) are read once per object
    /// into a key, namespaces as their rank in byte order; only objects equal in all of them
    /// go to `compare` itself. The order is the one `compare` gives (the sort is stable), at
    /// a fraction of the cost: reading the objects' names inside each of the million
    /// comparisons of a 10,000-table schema was a seventh of its dump's instructions.
    public func sortByTypeName(_ objs: inout [DumpableObject]) {
        guard objs.count > 1 else { return }
        struct Key {
            let prio: Int, namespace: Int, name: String, type: Int, at: Int
        }
        let namespaceNames = Set(objs.compactMap { $0.namespace?.name }).sorted { byteCompare($0, $1) < 0 }
        var rank: [String: Int] = [:]
        for (i, n) in namespaceNames.enumerated() { rank[n] = i }
        var keys = objs.enumerated().map { i, o in
            Key(prio: priority(o.objType).rawValue, namespace: o.namespace.map { rank[$0.name]! } ?? Int.max,
                name: o.name, type: o.objType.rawValue, at: i)
        }
        let all = objs
        keys.sort { a, b in
            if a.prio != b.prio { return a.prio < b.prio }
            if a.namespace != b.namespace { return a.namespace < b.namespace }
            let c = byteCompare(a.name, b.name)
            if c != 0 { return c < 0 }
            if a.type != b.type { return a.type < b.type }
            return compare(all[a.at], all[b.at]) < 0
        }
        objs = keys.map { all[$0.at] }
    }

    /// DOTypeNameCompare.
    func compare(_ obj1: DumpableObject, _ obj2: DumpableObject) -> Int {
        // Type's priority.
        var cmp = priority(obj1.objType).rawValue - priority(obj2.objType).rawValue
        if cmp != 0 { return cmp }

        // Namespace; objects without one sort after those with one.
        if let ns1 = obj1.namespace {
            if let ns2 = obj2.namespace {
                cmp = byteCompare(ns1.name, ns2.name)
                if cmp != 0 { return cmp }
            } else {
                return -1
            }
        } else if obj2.namespace != nil {
            return 1
        }

        // Name, then object type (opclass vs opfamily, type vs shell type).
        cmp = byteCompare(obj1.name, obj2.name)
        if cmp != 0 { return cmp }
        cmp = obj1.objType.rawValue - obj2.objType.rawValue
        if cmp != 0 { return cmp }

        // The rest of each catalog's natural key.
        switch obj1.objType {
        case .function, .aggregate:
            let a1 = argTypes(obj1), a2 = argTypes(obj2)
            cmp = a1.count - a2.count
            if cmp != 0 { return cmp }
            for i in 0..<a1.count {
                cmp = pgTypeNameCompare(a1[i], a2[i])
                if cmp != 0 { return cmp }
            }
        case .operator:
            if case .operator(let k1, let l1, let r1) = obj1.sortKey,
               case .operator(let k2, let l2, let r2) = obj2.sortKey {
                // 'l', 'r', 'b': prefix, postfix, infix.
                cmp = charValue(k2) - charValue(k1)
                if cmp != 0 { return cmp }
                cmp = pgTypeNameCompare(l1, l2)
                if cmp != 0 { return cmp }
                cmp = pgTypeNameCompare(r1, r2)
                if cmp != 0 { return cmp }
            }
        case .opclass, .opfamily:
            if case .accessMethod(let am1) = obj1.sortKey, case .accessMethod(let am2) = obj2.sortKey {
                cmp = accessMethodNameCompare(am1, am2)
                if cmp != 0 { return cmp }
            }
        case .collation:
            if case .collation(let e1) = obj1.sortKey, case .collation(let e2) = obj2.sortKey {
                cmp = e1 - e2
                if cmp != 0 { return cmp }
            }
        case .attrDef:
            if case .attrDef(let n1) = obj1.sortKey, case .attrDef(let n2) = obj2.sortKey {
                cmp = n1 - n2
                if cmp != 0 { return cmp }
            }
        case .policy, .rule, .trigger:
            if let t1 = ownerTableName(obj1), let t2 = ownerTableName(obj2) {
                cmp = byteCompare(t1, t2)
                if cmp != 0 { return cmp }
            }
        case .constraint, .fkConstraint:
            // Domain constraints before table constraints, as CREATE DOMAIN sorts before
            // CREATE TABLE.
            let (d1, t1) = constraintOwner(obj1), (d2, t2) = constraintOwner(obj2)
            if let d1 {
                if let d2 {
                    cmp = byteCompare(d1, d2)
                    if cmp != 0 { return cmp }
                } else {
                    return Prio.type.rawValue - Prio.table.rawValue
                }
            } else if d2 != nil {
                return Prio.table.rawValue - Prio.type.rawValue
            } else {
                cmp = byteCompare(t1 ?? "", t2 ?? "")
                if cmp != 0 { return cmp }
            }
        case .defaultACL:
            if case .defaultACL(let r1) = obj1.sortKey, case .defaultACL(let r2) = obj2.sortKey {
                cmp = byteCompare(r1, r2)
                if cmp != 0 { return cmp }
            }
        case .publicationRel, .publicationTableInSchema:
            if case .publication(let p1) = obj1.sortKey, case .publication(let p2) = obj2.sortKey {
                cmp = byteCompare(p1, p2)
                if cmp != 0 { return cmp }
            }
        case .subscriptionRel:
            if case .subscription(let s1) = obj1.sortKey, case .subscription(let s2) = obj2.sortKey {
                cmp = byteCompare(s1, s2)
                if cmp != 0 { return cmp }
            }
        default:
            break
        }

        // Only after catalog corruption: by OID (unsigned).
        return obj1.catId.oid < obj2.catId.oid ? -1 : (obj1.catId.oid > obj2.catId.oid ? 1 : 0)
    }

    private func argTypes(_ obj: DumpableObject) -> [UInt32] {
        if case .function(let types) = obj.sortKey { return types }
        return []
    }

    private func charValue(_ c: Character) -> Int { Int(c.asciiValue ?? 0) }

    /// The table of a policy, rule or trigger: its sort key, else (rules) its ruleTable.
    private func ownerTableName(_ obj: DumpableObject) -> String? {
        if case .table(let t) = obj.sortKey { return t }
        return (obj as? SortableRule)?.ruleTable?.name
    }

    /// (domain name, table name) of a constraint: from ConstraintInfo, else its sort key.
    private func constraintOwner(_ obj: DumpableObject) -> (String?, String?) {
        if let c = obj as? ConstraintInfo, c.condomain != nil || c.contable != nil {
            return (c.condomain?.name, c.contable?.name)
        }
        if case .constraint(let d, let t) = obj.sortKey { return (d, t) }
        return (nil, nil)
    }

    /// pgTypeNameCompare: two pg_type OIDs by namespace name, then type name.
    func pgTypeNameCompare(_ typid1: UInt32, _ typid2: UInt32) -> Int {
        if typid1 == typid2 { return 0 }
        // An OID getTypes did not see means catalog corruption: report "equal" so that the
        // caller goes on to its next basis of comparison.
        guard let t1 = catalog.object(table: CatalogTable.pgType, oid: typid1),
              let t2 = catalog.object(table: CatalogTable.pgType, oid: typid2) else { return 0 }
        if let ns1 = t1.namespace, let ns2 = t2.namespace {
            let cmp = byteCompare(ns1.name, ns2.name)
            if cmp != 0 { return cmp }
        }
        return byteCompare(t1.name, t2.name)
    }

    /// accessMethodNameCompare: two pg_am OIDs by name.
    func accessMethodNameCompare(_ am1: UInt32, _ am2: UInt32) -> Int {
        if am1 == am2 { return 0 }
        guard let a1 = catalog.object(table: CatalogTable.pgAm, oid: am1),
              let a2 = catalog.object(table: CatalogTable.pgAm, oid: am2) else { return 0 }
        return byteCompare(a1.name, a2.name)
    }

    // MARK: - Section boundaries (pg_dump.c)

    /// addBoundaryDependencies: pre-data objects before the pre-data boundary, data objects
    /// between the boundaries, post-data objects after the post-data boundary. Must agree with
    /// the sections the DDL makers give their TOC entries.
    public static func addBoundaryDependencies(_ objs: [DumpableObject], pre: DumpableObject,
                                               post: DumpableObject, groupedLargeObjects: Bool) {
        for dobj in objs {
            switch dobj.objType {
            case .namespace, .extension, .type, .shellType, .function, .aggregate, .operator,
                 .accessMethod, .opclass, .opfamily, .collation, .conversion, .table,
                 .tableAttach, .attrDef, .procLang, .cast, .dummyType, .tsParser, .tsDict,
                 .tsTemplate, .tsConfig, .fdw, .foreignServer, .transform:
                pre.addDependency(dobj.dumpId)
            case .largeObject where !groupedLargeObjects:
                // Per-LO BLOB entries are pre-data (grouped BLOB METADATA, pg_dump 17+, is data).
                pre.addDependency(dobj.dumpId)
            case .tableData, .sequenceSet, .largeObject, .largeObjectData:
                dobj.addDependency(pre.dumpId)
                post.addDependency(dobj.dumpId)
            case .index, .indexAttach, .statisticsExt, .refreshMatView, .trigger, .eventTrigger,
                 .defaultACL, .policy, .publication, .publicationRel, .publicationTableInSchema,
                 .subscription, .subscriptionRel:
                dobj.addDependency(post.dumpId)
            case .rule:
                // Post-data only when dumped separately.
                if (dobj as? SortableRule)?.separate == true { dobj.addDependency(post.dumpId) }
            case .constraint, .fkConstraint:
                if (dobj as? ConstraintInfo)?.separate == true { dobj.addDependency(post.dumpId) }
            case .preDataBoundary:
                break
            case .postDataBoundary:
                dobj.addDependency(pre.dumpId)
            case .relStats:
                // Data or post-data, by the relation's kind.
                if (dobj as? SortableRelStats)?.postData == true {
                    dobj.addDependency(post.dumpId)
                } else {
                    dobj.addDependency(pre.dumpId)
                    post.addDependency(dobj.dumpId)
                }
            }
        }
    }

    // MARK: - Dependency order

    /// sortDumpableObjects: a safe order satisfying every dependency, breaking loops.
    public mutating func sort(_ objs: inout [DumpableObject], preBoundary: DumpId, postBoundary: DumpId) throws {
        guard !objs.isEmpty else { return }
        preDataBoundId = preBoundary
        postDataBoundId = postBoundary
        while true {
            let (ok, ordering) = try topoSort(objs)
            if ok { objs = ordering; return }
            try findDependencyLoops(ordering, totalObjects: objs.count)
        }
    }

    /// TopoSort: Knuth's topological sort, except that among the objects free to go next
    /// the one latest in the input goes last (the output is built from the back), so the
    /// input order survives wherever dependencies allow. On failure, returns the objects that
    /// could not be placed (in dump ID order): those in loops and those they depend on.
    func topoSort(_ objs: [DumpableObject]) throws -> (Bool, [DumpableObject]) {
        let maxDumpId = Int(catalog.maxDumpId)
        // beforeConstraints[id]: how many objects must come after the object with that ID.
        var beforeConstraints = [Int](repeating: 0, count: maxDumpId + 1)
        var idMap = [Int](repeating: -1, count: maxDumpId + 1)
        for (i, obj) in objs.enumerated() {
            let j = Int(obj.dumpId)
            guard j > 0 && j <= maxDumpId else { throw SorterError.invalidDumpId(obj.dumpId) }
            idMap[j] = i
            for k in obj.dependencies {
                guard k > 0 && Int(k) <= maxDumpId else { throw SorterError.invalidDependency(k) }
                beforeConstraints[Int(k)] += 1
            }
        }

        var heap = MaxHeap()
        for i in stride(from: objs.count - 1, through: 0, by: -1)
        where beforeConstraints[Int(objs[i].dumpId)] == 0 {
            heap.push(i)
        }

        var ordering = [DumpableObject?](repeating: nil, count: objs.count)
        var i = objs.count
        while let j = heap.pop() {
            let obj = objs[j]
            i -= 1
            ordering[i] = obj
            for id in obj.dependencies {
                let k = Int(id)
                beforeConstraints[k] -= 1
                // A dependency on an ID outside the list (no object) constrains nothing.
                if beforeConstraints[k] == 0 && idMap[k] >= 0 { heap.push(idMap[k]) }
            }
        }

        if i == 0 { return (true, ordering.map { $0! }) }
        var unsorted: [DumpableObject] = []
        for j in 1...maxDumpId where beforeConstraints[j] != 0 && idMap[j] >= 0 {
            unsorted.append(objs[idMap[j]])
        }
        return (false, unsorted)
    }

    /// findDependencyLoops: finds loops among the objects TopoSort could not place and
    /// repairs each; loops sharing members with one already repaired wait for the next round.
    mutating func findDependencyLoops(_ objs: [DumpableObject], totalObjects: Int) throws {
        let size = Int(catalog.maxDumpId) + 1
        var processed = [Bool](repeating: false, count: size)
        var searchFailed = [DumpId](repeating: 0, count: size)
        var workspace: [DumpableObject] = []
        workspace.reserveCapacity(totalObjects)
        var fixedLoop = false

        for obj in objs {
            workspace.removeAll(keepingCapacity: true)
            if findLoop(obj, startPoint: obj.dumpId, &processed, &searchFailed, &workspace) {
                repairDependencyLoop(workspace)
                fixedLoop = true
                for member in workspace { processed[Int(member.dumpId)] = true }
            } else {
                // No loop starts here; marking it saves later searches the trouble.
                processed[Int(obj.dumpId)] = true
            }
        }
        if !fixedLoop { throw SorterError.couldNotIdentifyLoop }
    }

    /// findLoop: depth-first search for a path from `obj` back to `startPoint` through
    /// objects not yet processed. On success `workspace` holds the loop's members in order.
    private func findLoop(_ obj: DumpableObject, startPoint: DumpId, _ processed: inout [Bool],
                          _ searchFailed: inout [DumpId], _ workspace: inout [DumpableObject]) -> Bool {
        let id = Int(obj.dumpId)
        if processed[id] { return false }
        // Already shown to have no path back to this start point.
        if searchFailed[id] == startPoint { return false }
        // Already on the path: a loop not through the start point.
        if workspace.contains(where: { $0 === obj }) { return false }

        workspace.append(obj)
        if obj.dependencies.contains(startPoint) { return true }
        for dep in obj.dependencies {
            // Dependencies on objects not dumped are ignored.
            guard let next = catalog.object(dumpId: dep) else { continue }
            if findLoop(next, startPoint: startPoint, &processed, &searchFailed, &workspace) { return true }
        }
        workspace.removeLast()
        searchFailed[id] = startPoint
        return false
    }

    // MARK: - Loop repair

    /// repairDependencyLoop: reduces the shapes a loop can take to the cases the fixers
    /// below handle; anything else is warned about and broken arbitrarily.
    mutating func repairDependencyLoop(_ loop: [DumpableObject]) {
        let n = loop.count

        // A type and one of its I/O or canonicalize functions.
        if n == 2 && loop[0].objType == .type && loop[1].objType == .function {
            repairTypeFuncLoop(type: loop[0], function: loop[1]); return
        }
        if n == 2 && loop[1].objType == .type && loop[0].objType == .function {
            repairTypeFuncLoop(type: loop[1], function: loop[0]); return
        }

        // A view (or matview) and its ON SELECT rule.
        if n == 2 && isViewOrMatview(loop[0]) && isSelectRule(loop[1], of: loop[0]) {
            repairViewRuleLoop(view: loop[0], rule: loop[1]); return
        }
        if n == 2 && isViewOrMatview(loop[1]) && isSelectRule(loop[0], of: loop[1]) {
            repairViewRuleLoop(view: loop[1], rule: loop[0]); return
        }

        // A longer loop through a view (not a matview) and its ON SELECT rule.
        if n > 2 {
            for v in loop where relkind(v) == "v" {
                for r in loop where isSelectRule(r, of: v) {
                    repairViewRuleMultiLoop(view: v, rule: r); return
                }
            }
        }

        // A longer loop through a matview (or its statistics) and a section boundary.
        if n > 2 {
            for obj in loop {
                if relkind(obj) == "m" {
                    if let j = loop.firstIndex(where: { $0.objType == .preDataBoundary }) {
                        repairMatViewBoundaryMultiLoop(boundary: loop[j], next: loop[(j + 1) % n]); return
                    }
                } else if obj.objType == .relStats, (obj as? SortableRelStats)?.relkind == "m" {
                    if let j = loop.firstIndex(where: { $0.objType == .postDataBoundary }) {
                        repairMatViewBoundaryMultiLoop(boundary: loop[j], next: loop[(j + 1) % n]); return
                    }
                }
            }
        }

        // A longer loop through a function and the pre-data boundary.
        if n > 2 && loop.contains(where: { $0.objType == .function }),
           let j = loop.firstIndex(where: { $0.objType == .preDataBoundary }) {
            repairFunctionBoundaryMultiLoop(boundary: loop[j], next: loop[(j + 1) % n]); return
        }

        // A table and one of its CHECK constraints.
        if n == 2 && loop[0].objType == .table && isCheckConstraint(loop[1], of: loop[0]) {
            repairTableConstraintLoop(table: loop[0], constraint: loop[1]); return
        }
        if n == 2 && loop[1].objType == .table && isCheckConstraint(loop[0], of: loop[1]) {
            repairTableConstraintLoop(table: loop[1], constraint: loop[0]); return
        }
        if n > 2 {
            for t in loop where t.objType == .table {
                for c in loop where isCheckConstraint(c, of: t) {
                    repairTableConstraintMultiLoop(table: t, constraint: c); return
                }
            }
        }

        // A table and one of its column defaults.
        if n == 2 && loop[0].objType == .table && isAttrDef(loop[1], of: loop[0]) {
            repairTableAttrDefLoop(table: loop[0], attrDef: loop[1]); return
        }
        if n == 2 && loop[1].objType == .table && isAttrDef(loop[0], of: loop[1]) {
            repairTableAttrDefLoop(table: loop[1], attrDef: loop[0]); return
        }

        // An index on a partitioned table and the matching index on a partition.
        if n == 2 && loop[0].objType == .index && loop[1].objType == .index {
            if (loop[0] as? SortableIndex)?.parentidx == loop[1].catId.oid {
                repairIndexLoop(partedIndex: loop[0], partIndex: loop[1]); return
            } else if (loop[1] as? SortableIndex)?.parentidx == loop[0].catId.oid {
                repairIndexLoop(partedIndex: loop[1], partIndex: loop[0]); return
            }
        }

        if n > 2 {
            for t in loop where t.objType == .table {
                for d in loop where isAttrDef(d, of: t) {
                    repairTableAttrDefMultiLoop(table: t, attrDef: d); return
                }
            }
        }

        // A domain and one of its CHECK (or, from pg_dump 18, NOT NULL) constraints.
        if n == 2 && loop[0].objType == .type && isDomainConstraint(loop[1], of: loop[0]) {
            repairDomainConstraintLoop(domain: loop[0], constraint: loop[1]); return
        }
        if n == 2 && loop[1].objType == .type && isDomainConstraint(loop[0], of: loop[1]) {
            repairDomainConstraintLoop(domain: loop[1], constraint: loop[0]); return
        }
        if n > 2 {
            for t in loop where t.objType == .type {
                for c in loop where isDomainConstraint(c, of: t) {
                    repairDomainConstraintMultiLoop(domain: t, constraint: c); return
                }
            }
        }

        // A table depending on itself (a column on another column or on the whole table,
        // since sub-object IDs were not kept): ignore it.
        if n == 1 && loop[0].objType == .table {
            loop[0].removeDependency(loop[0].dumpId); return
        }

        // Only TABLE DATA: circular foreign keys (a data-only dump); warn, break arbitrarily.
        if loop.allSatisfy({ $0.objType == .tableData }) {
            warn(n == 1 ? "there are circular foreign-key constraints on this table:"
                        : "there are circular foreign-key constraints among these tables:")
            for obj in loop { messages.append(Message(level: .detail, text: obj.name)) }
            messages.append(Message(level: .hint, text: "You might not be able to restore the dump without using --disable-triggers or temporarily dropping the constraints."))
            messages.append(Message(level: .hint, text: "Consider using a full dump instead of a --data-only dump to avoid this problem."))
            breakArbitrarily(loop)
            return
        }

        warn("could not resolve dependency loop among these items:")
        for obj in loop { messages.append(Message(level: .detail, text: describe(obj))) }
        breakArbitrarily(loop)
    }

    private mutating func warn(_ text: String) { messages.append(Message(level: .warning, text: text)) }

    private func breakArbitrarily(_ loop: [DumpableObject]) {
        if loop.count > 1 {
            loop[0].removeDependency(loop[1].dumpId)
        } else {
            loop[0].removeDependency(loop[0].dumpId)
        }
    }

    private func relkind(_ obj: DumpableObject) -> Character? {
        obj.objType == .table ? (obj as? TableInfo)?.relkind : nil
    }

    private func isViewOrMatview(_ obj: DumpableObject) -> Bool {
        relkind(obj) == "v" || relkind(obj) == "m"
    }

    /// `rule` is `table`'s ON SELECT DO INSTEAD rule.
    private func isSelectRule(_ rule: DumpableObject, of table: DumpableObject) -> Bool {
        guard rule.objType == .rule, let r = rule as? SortableRule else { return false }
        return r.evType == "1" && r.isInstead && r.ruleTable === table
    }

    private func isCheckConstraint(_ obj: DumpableObject, of table: DumpableObject) -> Bool {
        guard obj.objType == .constraint, let c = obj as? ConstraintInfo else { return false }
        return c.contype == "c" && c.contable === table
    }

    private func isAttrDef(_ obj: DumpableObject, of table: DumpableObject) -> Bool {
        guard obj.objType == .attrDef, let d = obj as? AttrDefInfo else { return false }
        return d.adtable === table
    }

    private func isDomainConstraint(_ obj: DumpableObject, of domain: DumpableObject) -> Bool {
        guard obj.objType == .constraint, let c = obj as? ConstraintInfo else { return false }
        let kindOK = c.contype == "c" || (dumperMajor >= 17 && c.contype == "n")
        return kindOK && c.condomain === domain
    }

    /// A type's loop with its I/O (or range canonicalize) function: the function depends on
    /// the shell type instead, and the shell type is dumped whenever the function is.
    private func repairTypeFuncLoop(type: DumpableObject, function: DumpableObject) {
        function.removeDependency(type.dumpId)
        if let shell = (type as? SortableType)?.shellType {
            function.addDependency(shell.dumpId)
            // The shell type's definition is needed to identify the function.
            if !function.dump.isEmpty { shell.dump = function.dump.union(.definition) }
        }
    }

    /// A view depends on its ON SELECT rule and the rule on the view: with nothing else in
    /// the loop, drop the rule's dependency; the rule stays part of the view's definition.
    private func repairViewRuleLoop(view: DumpableObject, rule: DumpableObject) {
        rule.removeDependency(view.dumpId)
    }

    /// With other objects in the loop, the rule is dumped separately (post-data) and the view
    /// first with a dummy definition. The rule's dependency on the view, likely dropped by
    /// repairViewRuleLoop in an earlier round, is put back.
    private func repairViewRuleMultiLoop(view: DumpableObject, rule: DumpableObject) {
        view.removeDependency(rule.dumpId)
        (view as? TableInfo)?.dummyView = true
        if let r = rule as? SortableRule { r.separate = true }
        rule.addDependency(view.dumpId)
        rule.addDependency(postDataBoundId)
    }

    /// A matview in a longer loop (e.g. through a unique index it depends on): drop the
    /// pre-data boundary's dependency on the next object and, when that is the matview (or
    /// its statistics), postpone it into post-data.
    private func repairMatViewBoundaryMultiLoop(boundary: DumpableObject, next: DumpableObject) {
        boundary.removeDependency(next.dumpId)
        if next.objType == .table, let t = next as? TableInfo, t.relkind == "m" {
            t.postponedDef = true
        } else if next.objType == .relStats, let s = next as? SortableRelStats, s.relkind == "m" {
            s.postData = true
        }
    }

    /// A function in a longer loop through the pre-data boundary: likewise postponed.
    private func repairFunctionBoundaryMultiLoop(boundary: DumpableObject, next: DumpableObject) {
        boundary.removeDependency(next.dumpId)
        if next.objType == .function, let f = next as? SortableFunction {
            f.postponedDef = true
        }
    }

    /// A table depends on its CHECK constraints and they on it: keep the constraint inside
    /// CREATE TABLE by dropping its dependency on the table.
    private func repairTableConstraintLoop(table: DumpableObject, constraint: DumpableObject) {
        constraint.removeDependency(table.dumpId)
    }

    /// In a longer loop the constraint is dumped separately, after the table, post-data.
    private func repairTableConstraintMultiLoop(table: DumpableObject, constraint: DumpableObject) {
        table.removeDependency(constraint.dumpId)
        (constraint as? ConstraintInfo)?.separate = true
        constraint.addDependency(table.dumpId)
        constraint.addDependency(postDataBoundId)
    }

    /// Column defaults behave as CHECK constraints do (but a separate one stays pre-data).
    private func repairTableAttrDefLoop(table: DumpableObject, attrDef: DumpableObject) {
        attrDef.removeDependency(table.dumpId)
    }

    private func repairTableAttrDefMultiLoop(table: DumpableObject, attrDef: DumpableObject) {
        table.removeDependency(attrDef.dumpId)
        (attrDef as? AttrDefInfo)?.separate = true
        attrDef.addDependency(table.dumpId)
    }

    /// Domain constraints behave as table CHECK constraints do.
    private func repairDomainConstraintLoop(domain: DumpableObject, constraint: DumpableObject) {
        constraint.removeDependency(domain.dumpId)
    }

    private func repairDomainConstraintMultiLoop(domain: DumpableObject, constraint: DumpableObject) {
        domain.removeDependency(constraint.dumpId)
        (constraint as? ConstraintInfo)?.separate = true
        constraint.addDependency(domain.dumpId)
        constraint.addDependency(postDataBoundId)
    }

    private func repairIndexLoop(partedIndex: DumpableObject, partIndex: DumpableObject) {
        partedIndex.removeDependency(partIndex.dumpId)
    }

    /// describeDumpableObject: how the loop warning names an object.
    func describe(_ obj: DumpableObject) -> String {
        let name = obj.name, id = obj.dumpId, oid = obj.catId.oid
        switch obj.objType {
        case .namespace: return "SCHEMA \(name)  (ID \(id) OID \(oid))"
        case .extension: return "EXTENSION \(name)  (ID \(id) OID \(oid))"
        case .type: return "TYPE \(name)  (ID \(id) OID \(oid))"
        case .shellType: return "SHELL TYPE \(name)  (ID \(id) OID \(oid))"
        case .function: return "FUNCTION \(name)  (ID \(id) OID \(oid))"
        case .aggregate: return "AGGREGATE \(name)  (ID \(id) OID \(oid))"
        case .operator: return "OPERATOR \(name)  (ID \(id) OID \(oid))"
        case .accessMethod: return "ACCESS METHOD \(name)  (ID \(id) OID \(oid))"
        case .opclass: return "OPERATOR CLASS \(name)  (ID \(id) OID \(oid))"
        case .opfamily: return "OPERATOR FAMILY \(name)  (ID \(id) OID \(oid))"
        case .collation: return "COLLATION \(name)  (ID \(id) OID \(oid))"
        case .conversion: return "CONVERSION \(name)  (ID \(id) OID \(oid))"
        case .table: return "TABLE \(name)  (ID \(id) OID \(oid))"
        case .tableAttach: return "TABLE ATTACH \(name)  (ID \(id))"
        case .attrDef:
            var table = "", column = ""
            if let d = obj as? AttrDefInfo {
                table = d.adtable.name
                if d.adnum >= 1 && d.adnum <= d.adtable.attnames.count { column = d.adtable.attnames[d.adnum - 1] }
            }
            return "ATTRDEF \(table).\(column)  (ID \(id) OID \(oid))"
        case .index: return "INDEX \(name)  (ID \(id) OID \(oid))"
        case .indexAttach: return "INDEX ATTACH \(name)  (ID \(id))"
        case .statisticsExt: return "STATISTICS \(name)  (ID \(id) OID \(oid))"
        case .refreshMatView: return "REFRESH MATERIALIZED VIEW \(name)  (ID \(id) OID \(oid))"
        case .rule: return "RULE \(name)  (ID \(id) OID \(oid))"
        case .trigger: return "TRIGGER \(name)  (ID \(id) OID \(oid))"
        case .eventTrigger: return "EVENT TRIGGER \(name) (ID \(id) OID \(oid))"
        case .constraint: return "CONSTRAINT \(name)  (ID \(id) OID \(oid))"
        case .fkConstraint: return "FK CONSTRAINT \(name)  (ID \(id) OID \(oid))"
        case .procLang: return "PROCEDURAL LANGUAGE \(name)  (ID \(id) OID \(oid))"
        case .cast:
            let c = obj as? SortableCast
            return "CAST \(c?.castsource ?? 0) to \(c?.casttarget ?? 0)  (ID \(id) OID \(oid))"
        case .transform:
            let t = obj as? SortableTransform
            return "TRANSFORM \(t?.trftype ?? 0) lang \(t?.trflang ?? 0)  (ID \(id) OID \(oid))"
        case .tableData: return "TABLE DATA \(name)  (ID \(id) OID \(oid))"
        case .sequenceSet: return "SEQUENCE SET \(name)  (ID \(id) OID \(oid))"
        case .dummyType: return "DUMMY TYPE \(name)  (ID \(id) OID \(oid))"
        case .tsParser: return "TEXT SEARCH PARSER \(name)  (ID \(id) OID \(oid))"
        case .tsDict: return "TEXT SEARCH DICTIONARY \(name)  (ID \(id) OID \(oid))"
        case .tsTemplate: return "TEXT SEARCH TEMPLATE \(name)  (ID \(id) OID \(oid))"
        case .tsConfig: return "TEXT SEARCH CONFIGURATION \(name)  (ID \(id) OID \(oid))"
        case .fdw: return "FOREIGN DATA WRAPPER \(name)  (ID \(id) OID \(oid))"
        case .foreignServer: return "FOREIGN SERVER \(name)  (ID \(id) OID \(oid))"
        case .defaultACL: return "DEFAULT ACL \(name)  (ID \(id) OID \(oid))"
        case .largeObject:
            // pg_dump 16 renamed its blob symbols and these descriptions with them.
            return dumperMajor >= 16 ? "LARGE OBJECT  (ID \(id) OID \(oid))" : "BLOB  (ID \(id) OID \(oid))"
        case .largeObjectData:
            return dumperMajor >= 16 ? "LARGE OBJECT DATA  (ID \(id))" : "BLOB DATA  (ID \(id))"
        case .policy: return "POLICY (ID \(id) OID \(oid))"
        case .publication: return "PUBLICATION (ID \(id) OID \(oid))"
        case .publicationRel: return "PUBLICATION TABLE (ID \(id) OID \(oid))"
        case .publicationTableInSchema: return "PUBLICATION TABLES IN SCHEMA (ID \(id) OID \(oid))"
        case .subscription: return "SUBSCRIPTION (ID \(id) OID \(oid))"
        case .subscriptionRel: return "SUBSCRIPTION TABLE (ID \(id) OID \(oid))"
        case .preDataBoundary: return "PRE-DATA BOUNDARY  (ID \(id))"
        case .postDataBoundary: return "POST-DATA BOUNDARY  (ID \(id))"
        case .relStats: return "RELATION STATISTICS FOR \(name)  (ID \(id) OID \(oid))"
        }
    }
}

/// C's strcmp on the UTF-8 bytes (pg_dump compares names bytewise, not by Unicode order):
/// negative, zero or positive. Names are native strings, so this is a memcmp of their
/// storage (the type/name sort calls it some 700,000 times for 10,000 tables).
func byteCompare(_ a: String, _ b: String) -> Int {
    // Native strings hand out their bytes without a copy; others (small or bridged) are
    // copied once.
    if let r = a.utf8.withContiguousStorageIfAvailable({ x in
        b.utf8.withContiguousStorageIfAvailable { y in byteCompare(x, y) }
    }), let r { return r }
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in byteCompare(x, y) } }
}

private func byteCompare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
    let n = min(x.count, y.count)
    if n > 0, let p = x.baseAddress, let q = y.baseAddress {
        let r = memcmp(p, q, n)
        if r != 0 { return r < 0 ? -1 : 1 }
    }
    return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
}

/// A max-heap of input positions: TopoSort's priority queue of objects ready to go.
struct MaxHeap {
    private var items: [Int] = []

    mutating func push(_ v: Int) {
        items.append(v)
        var j = items.count - 1
        while j > 0 {
            let parent = (j - 1) / 2
            if items[parent] >= v { break }
            items[j] = items[parent]
            j = parent
        }
        items[j] = v
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return top }
        var i = 0
        let n = items.count
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n && items[child] < items[child + 1] { child += 1 }
            if last >= items[child] { break }
            items[i] = items[child]
            i = child
        }
        items[i] = last
        return top
    }
}
