import Foundation
@testable import Catalog
import XCTest

/// Pure: catalog helpers whose fast paths must give what their plain definitions give.
final class CatalogHelpersTests: XCTestCase {
    /// Debian 15's hidden pg_attver option is removed from a column's options, and nothing
    /// else changes: against the definition (split at ", ", drop "pg_attver=...", join).
    func testWithoutHiddenOptionsIsItsDefinition() {
        func definition(_ s: String) -> String {
            guard s.contains("pg_attver=") else { return s }
            return s.components(separatedBy: ", ").filter { !$0.hasPrefix("pg_attver=") }.joined(separator: ", ")
        }
        let cases = [
            "", "pg_attver=2106425208", "n_distinct=5", "n_distinct=5, pg_attver=1", "pg_attver=1, n_distinct=5",
            "a=1, pg_attver=2, b=3", "x=pg_attver=1", "a=1,pg_attver=2", "pg_attver=", ", ", "a=1, , b=2",
            "pg_attver=1, pg_attver=2", "ünï=1, pg_attver=3", "a=1, ", ", pg_attver=1", "pg_attverx=1",
        ]
        for c in cases {
            XCTAssertEqual(CatalogContext.withoutHiddenOptions(c), definition(c), c.debugDescription)
        }
        XCTAssertEqual(CatalogContext.withoutHiddenOptions("n_distinct=5, pg_attver=1"), "n_distinct=5")
    }
}
