import XCTest
@testable import Catalog
@testable import Dump

/// Stand-ins for the kinds other files own, conforming to the sorter's protocols.
private final class TestType: DumpableObject, SortableType {
    var shellType: DumpableObject?
    init(_ name: String, oid: UInt32, ns: NamespaceInfo?) {
        super.init(.type, catId: CatalogId(tableoid: CatalogTable.pgType, oid: oid), name: name, namespace: ns)
    }
}

private final class TestFunc: DumpableObject, SortableFunction {
    var postponedDef = false
    init(_ name: String, oid: UInt32, ns: NamespaceInfo?, args: [UInt32] = []) {
        super.init(.function, catId: CatalogId(tableoid: CatalogTable.pgProc, oid: oid), name: name, namespace: ns)
        sortKey = .function(argTypes: args)
    }
}

private final class TestRule: DumpableObject, SortableRule {
    var evType: Character = "1"
    var isInstead = true
    var ruleTable: TableInfo?
    var separate = false
    init(_ name: String, oid: UInt32, table: TableInfo) {
        ruleTable = table
        super.init(.rule, catId: CatalogId(tableoid: 2618, oid: oid), name: name, namespace: table.namespace)
        sortKey = .table(table.name)
    }
}

final class SorterTests: XCTestCase {
    private var cat = DumpCatalog()
    private var ns: NamespaceInfo!

    override func setUp() {
        cat = DumpCatalog()
        ns = NamespaceInfo(catId: CatalogId(tableoid: CatalogTable.pgNamespace, oid: 2200), name: "public")
        cat.assignDumpId(ns)
    }

    private func add<T: DumpableObject>(_ o: T) -> T { cat.assignDumpId(o); return o }

    private func table(_ name: String, oid: UInt32, relkind: Character = "r") -> TableInfo {
        let t = add(TableInfo(catId: CatalogId(tableoid: CatalogTable.pgClass, oid: oid), name: name, namespace: ns))
        t.relkind = relkind
        return t
    }

    private func check(_ name: String, oid: UInt32, on t: TableInfo) -> ConstraintInfo {
        let c = add(ConstraintInfo(catId: CatalogId(tableoid: CatalogTable.pgConstraint, oid: oid), name: name, namespace: ns))
        c.contable = t
        c.contype = "c"
        return c
    }

    /// Sorts as the dumper does: boundaries, type/name order, then dependencies.
    private func sortAll(major: Int = 15, groupedLargeObjects: Bool = false) throws -> (order: [DumpableObject], sorter: DumpSorter, pre: DumpableObject, post: DumpableObject) {
        let pre = add(BoundaryObject(.preDataBoundary, catId: .none, name: "PRE-DATA BOUNDARY"))
        let post = add(BoundaryObject(.postDataBoundary, catId: .none, name: "POST-DATA BOUNDARY"))
        var objs = cat.allObjects
        DumpSorter.addBoundaryDependencies(objs, pre: pre, post: post, groupedLargeObjects: groupedLargeObjects)
        var sorter = DumpSorter(catalog: cat, dumperMajor: major, groupedLargeObjects: groupedLargeObjects)
        sorter.sortByTypeName(&objs)
        try sorter.sort(&objs, preBoundary: pre.dumpId, postBoundary: post.dumpId)
        return (objs, sorter, pre, post)
    }

    private func assertRespectsDependencies(_ order: [DumpableObject], file: StaticString = #filePath, line: UInt = #line) {
        var position: [DumpId: Int] = [:]
        for (i, o) in order.enumerated() { position[o.dumpId] = i }
        for o in order {
            for d in o.dependencies {
                guard let p = position[d] else { continue }
                XCTAssertLessThan(p, position[o.dumpId]!, "\(o.name) is placed before its dependency \(d)", file: file, line: line)
            }
        }
    }

    // MARK: TopoSort

    func testTopoSortKeepsInputOrderWhereDependenciesAllow() throws {
        let a = table("a", oid: 100), b = table("b", oid: 101), c = table("c", oid: 102), d = table("d", oid: 103)
        let sorter = DumpSorter(catalog: cat, dumperMajor: 15, groupedLargeObjects: false)

        let (ok0, unchanged) = try sorter.topoSort([a, b, c, d])
        XCTAssertTrue(ok0)
        XCTAssertEqual(unchanged.map(\.name), ["a", "b", "c", "d"])

        // b needs d: d moves up just before b; a and c stay where they were.
        b.addDependency(d.dumpId)
        let (ok, order) = try sorter.topoSort([a, b, c, d])
        XCTAssertTrue(ok)
        XCTAssertEqual(order.map(\.name), ["a", "d", "b", "c"])

        // A dependency the other way round costs nothing.
        let (ok2, order2) = try sorter.topoSort([d, a, b, c])
        XCTAssertTrue(ok2)
        XCTAssertEqual(order2.map(\.name), ["d", "a", "b", "c"])
    }

    func testTopoSortReportsObjectsItCannotPlace() throws {
        let a = table("a", oid: 100), b = table("b", oid: 101), c = table("c", oid: 102)
        a.addDependency(b.dumpId); b.addDependency(a.dumpId)
        let (ok, left) = try DumpSorter(catalog: cat, dumperMajor: 15, groupedLargeObjects: false).topoSort([a, b, c])
        XCTAssertFalse(ok)
        XCTAssertEqual(Set(left.map(\.name)), ["a", "b"])
    }

    func testInvalidDependencyIsAnError() {
        let a = table("a", oid: 100)
        a.addDependency(9999)
        XCTAssertThrowsError(try DumpSorter(catalog: cat, dumperMajor: 15, groupedLargeObjects: false).topoSort([a]))
    }

    // MARK: Type/name order

    func testTypeNameOrder() {
        let int4 = add(TestType("int4", oid: 23, ns: ns))
        let text = add(TestType("text", oid: 25, ns: ns))
        let fText = add(TestFunc("f", oid: 500, ns: ns, args: [text.catId.oid]))
        let fInt = add(TestFunc("f", oid: 501, ns: ns, args: [int4.catId.oid]))
        let fNone = add(TestFunc("f", oid: 502, ns: ns, args: []))
        let upper = table("Zed", oid: 200), lower = table("abc", oid: 201)
        let schema2 = add(NamespaceInfo(catId: CatalogId(tableoid: CatalogTable.pgNamespace, oid: 3000), name: "Other"))
        var objs: [DumpableObject] = [lower, fText, upper, fInt, text, fNone, int4, schema2, ns]
        DumpSorter(catalog: cat, dumperMajor: 15, groupedLargeObjects: false).sortByTypeName(&objs)
        // Schemas first (by bytes: "Other" < "public"), types, functions by argument count then
        // argument type names, then tables with names compared bytewise ("Zed" < "abc").
        XCTAssertEqual(objs.map { $0.dumpId },
                       [schema2, ns, int4, text, fNone, fInt, fText, upper, lower].map { $0.dumpId })
        // Bytewise, as strcmp: canonically equivalent spellings are still different names.
        XCTAssertLessThan(byteCompare("e\u{301}", "\u{e9}"), 0)
    }

    /// Where large objects sort follows the archive's large-object style, not the release
    /// being emulated: per-LO BLOB entries are pre-data even for pg_dump 18 (as pg_dump 16
    /// sorts them); grouped BLOB METADATA entries go between the boundaries.
    func testLargeObjectSectionFollowsGrouping() throws {
        for major in [15, 18] {
            setUp()
            let lo = add(DumpableObject(.largeObject, catId: CatalogId(tableoid: CatalogTable.pgLargeObject, oid: 16400), name: "16400"))
            let t = table("t", oid: 100)
            let data = add(DumpableObject(.tableData, catId: CatalogId(tableoid: 0, oid: 100), name: "t"))
            data.addDependency(t.dumpId)
            let (order, _, pre, _) = try sortAll(major: major)
            let idx = { (o: DumpableObject) in order.firstIndex { $0 === o }! }
            XCTAssertLessThan(idx(lo), idx(pre), "per-LO entries are pre-data (dumper \(major))")
            XCTAssertTrue(pre.dependencies.contains(lo.dumpId))
        }

        setUp()
        let lo18 = add(DumpableObject(.largeObject, catId: CatalogId(tableoid: CatalogTable.pgLargeObject, oid: 16400), name: "16400"))
        let (order18, _, pre18, post18) = try sortAll(major: 18, groupedLargeObjects: true)
        let idx18 = { (o: DumpableObject) in order18.firstIndex { $0 === o }! }
        XCTAssertGreaterThan(idx18(lo18), idx18(pre18))
        XCTAssertLessThan(idx18(lo18), idx18(post18))
        XCTAssertFalse(pre18.dependencies.contains(lo18.dumpId))
    }

    // MARK: Loop repair

    func testTypeFunctionLoopUsesShellType() throws {
        let type = add(TestType("mytype", oid: 16500, ns: ns))
        let shell = add(DumpableObject(.shellType, catId: .none, name: "mytype", namespace: ns))
        shell.dump = .none
        type.shellType = shell
        let input = add(TestFunc("mytype_in", oid: 16501, ns: ns, args: [2275]))
        // pg_depend: the function returns the type, the type uses the function.
        input.addDependency(type.dumpId)
        type.addDependency(input.dumpId)

        let (order, sorter, _, _) = try sortAll()
        XCTAssertTrue(sorter.messages.isEmpty)
        XCTAssertFalse(input.dependencies.contains(type.dumpId))
        XCTAssertTrue(input.dependencies.contains(shell.dumpId))
        XCTAssertTrue(shell.dump.contains(.definition), "the shell type must be dumped for the function")
        let names = order.filter { $0.namespace != nil && $0.objType != .namespace }.map { "\($0.objType) \($0.name)" }
        XCTAssertEqual(names, ["shellType mytype", "function mytype_in", "type mytype"])
        assertRespectsDependencies(order)
    }

    func testTableCheckConstraintTwoObjectLoopKeepsConstraintInline() throws {
        let t = table("t", oid: 100)
        let c = check("t_check", oid: 300, on: t)
        t.addDependency(c.dumpId)   // pg_dump: a table depends on its inline CHECK constraints
        c.addDependency(t.dumpId)   // pg_depend: the constraint depends on its table

        let (order, sorter, _, post) = try sortAll()
        XCTAssertTrue(sorter.messages.isEmpty)
        XCTAssertFalse(c.separate)
        XCTAssertEqual(c.dependencies, [])
        XCTAssertEqual(t.dependencies, [c.dumpId])
        let pos = { (o: DumpableObject) in order.firstIndex { $0 === o }! }
        XCTAssertLessThan(pos(c), pos(t))
        XCTAssertLessThan(pos(t), pos(post))
    }

    func testTableCheckConstraintLongerLoopMakesConstraintSeparate() throws {
        let t = table("t", oid: 100)
        let c = check("t_check", oid: 300, on: t)
        let f = add(TestFunc("check_fn", oid: 400, ns: ns, args: []))
        t.addDependency(c.dumpId)
        c.addDependency(t.dumpId)
        c.addDependency(f.dumpId)   // the CHECK calls a function ...
        f.addDependency(t.dumpId)   // ... that uses the table's row type

        let (order, sorter, _, post) = try sortAll()
        XCTAssertTrue(sorter.messages.isEmpty, "\(sorter.messages)")
        XCTAssertTrue(c.separate)
        XCTAssertFalse(t.dependencies.contains(c.dumpId))
        XCTAssertTrue(c.dependencies.contains(t.dumpId))
        XCTAssertTrue(c.dependencies.contains(post.dumpId))
        let pos = { (o: DumpableObject) in order.firstIndex { $0 === o }! }
        XCTAssertLessThan(pos(t), pos(f))
        XCTAssertLessThan(pos(post), pos(c), "a separate constraint is post-data")
        assertRespectsDependencies(order)
    }

    func testViewRuleLoopThroughAnotherObjectMakesDummyView() throws {
        let v = table("v", oid: 100, relkind: "v")
        let rule = add(TestRule("_RETURN", oid: 600, table: v))
        let f = add(TestFunc("vf", oid: 601, ns: ns, args: []))
        v.addDependency(rule.dumpId)   // pg_dump: a view depends on its ON SELECT rule
        rule.addDependency(v.dumpId)   // pg_depend: the rule depends on its view
        rule.addDependency(f.dumpId)   // the view's query calls f ...
        f.addDependency(v.dumpId)      // ... which returns the view's row type

        let (order, sorter, _, post) = try sortAll()
        XCTAssertTrue(sorter.messages.isEmpty, "\(sorter.messages)")
        XCTAssertTrue(v.dummyView)
        XCTAssertTrue(rule.separate)
        let pos = { (o: DumpableObject) in order.firstIndex { $0 === o }! }
        XCTAssertLessThan(pos(v), pos(f))
        XCTAssertLessThan(pos(post), pos(rule))
        assertRespectsDependencies(order)
    }

    func testUnresolvableThreeObjectLoopIsReportedAndBroken() throws {
        let a = table("a", oid: 100), b = table("b", oid: 101), c = table("c", oid: 102)
        a.addDependency(b.dumpId); b.addDependency(c.dumpId); c.addDependency(a.dumpId)

        let (order, sorter, _, _) = try sortAll()
        XCTAssertEqual(sorter.messages.first, .init(level: .warning, text: "could not resolve dependency loop among these items:"))
        let details = sorter.messages.filter { $0.level == .detail }.map(\.text)
        XCTAssertEqual(details.count, 3)
        XCTAssertTrue(details.contains("TABLE b  (ID \(b.dumpId) OID 101)"), "\(details)")
        // Exactly one link of the loop was cut, and the result honours the rest.
        XCTAssertEqual(a.dependencies.count + b.dependencies.count + c.dependencies.count, 2)
        assertRespectsDependencies(order)
    }

    func testCircularForeignKeysInDataOnlyDumpWarn() throws {
        let d1 = add(DumpableObject(.tableData, catId: CatalogId(tableoid: 0, oid: 100), name: "parent", namespace: ns))
        let d2 = add(DumpableObject(.tableData, catId: CatalogId(tableoid: 0, oid: 101), name: "child", namespace: ns))
        d1.addDependency(d2.dumpId); d2.addDependency(d1.dumpId)
        let (order, sorter, _, _) = try sortAll()
        XCTAssertEqual(sorter.messages.first?.text, "there are circular foreign-key constraints among these tables:")
        XCTAssertEqual(sorter.messages.filter { $0.level == .hint }.count, 2)
        XCTAssertEqual(order.count, cat.allObjects.count)
        assertRespectsDependencies(order)
    }
}
