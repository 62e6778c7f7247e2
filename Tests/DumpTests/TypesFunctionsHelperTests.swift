import XCTest
@testable import Catalog
@testable import Dump

/// The string helpers dumpFunc, dumpOpr and dumpAgg rely on, pinned to what pg_dump's C
/// originals (fe_utils/string_utils.c, dumputils.c, pg_dump.c) produce.
final class TypesFunctionsHelperTests: XCTestCase {
    func testDollarQuotingPicksAnUnusedDelimiter() {
        XCTAssertEqual(dollarQuoted("SELECT 1"), "$$SELECT 1$$")
        // "$" is found, then "$_", then "$_X": the first absent one wins.
        XCTAssertEqual(dollarQuoted("a $$ b"), "$_$a $$ b$_$")
        XCTAssertEqual(dollarQuoted("$_$ and $$"), "$_X$$_$ and $$$_X$")
        // Only the delimiter without its closing $ is searched for.
        XCTAssertEqual(dollarQuoted("ends with $"), "$_$ends with $$_$")
        XCTAssertEqual(dollarQuoted("x", prefix: "fn"), "$fn$x$fn$")
    }

    func testGUCListSplitting() {
        XCTAssertEqual(splitGUCList("\"We ird\", s2, \"$user\""), ["We ird", "s2", "$user"])
        XCTAssertEqual(splitGUCList("a,b"), ["a", "b"])
        XCTAssertEqual(splitGUCList("\"q\"\"uote\""), ["q\"uote"])
        XCTAssertEqual(splitGUCList("  "), [])
        XCTAssertEqual(splitGUCList("\"\""), [""])
        XCTAssertNil(splitGUCList("a,"))
        XCTAssertNil(splitGUCList("\"open"))
        XCTAssertTrue(variableIsGucListQuote("Search_Path"))
        XCTAssertFalse(variableIsGucListQuote("work_mem"))
    }

    func testOidArrays() {
        XCTAssertEqual(parseOidArray("23 25 1043"), [23, 25, 1043])
        XCTAssertEqual(parseOidArray(""), [])
    }
}
