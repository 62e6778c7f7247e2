import XCTest
import TestSupport

final class NormalizeRestrictKeyTests: XCTestCase {
    let p = Oracle.restrictKeyPlaceholder

    func testReplacesKeysAtLineStarts() {
        let input = "--\n\\restrict aB3xYz09\n\nSET x = 1;\n\\unrestrict aB3xYz09\n"
        XCTAssertEqual(Oracle.normalizeRestrictKey(input), "--\n\\restrict \(p)\n\nSET x = 1;\n\\unrestrict \(p)\n")
    }

    func testFirstLineAndNoTrailingNewline() {
        XCTAssertEqual(Oracle.normalizeRestrictKey("\\restrict k"), "\\restrict \(p)")
        XCTAssertEqual(Oracle.normalizeRestrictKey("\\unrestrict Q1"), "\\unrestrict \(p)")
    }

    func testKeepsRestOfLineAndLineEndings() {
        XCTAssertEqual(Oracle.normalizeRestrictKey("\\restrict abc def\r\nx"), "\\restrict \(p) def\r\nx")
        XCTAssertEqual(Oracle.normalizeRestrictKey("\\restrict abc-def\n"), "\\restrict \(p)-def\n")
    }

    func testLeavesEverythingElseAlone() {
        let untouched = [
            "",
            "select 1;\n",
            " \\restrict abc\n",             // not at line start
            "-- \\restrict abc\n",           // in a comment
            "x \\unrestrict abc",
            "\\restrict \n",                 // no key
            "\\restrict -abc\n",             // key must start with an alphanumeric
            "\\restrictabc\n",               // no space
            "\\restrict  abc\n",             // two spaces: no key after the single space
            "\\Restrict abc\n",
            "naïve ünïcödé \\restrict\n€\n",
        ]
        for s in untouched {
            XCTAssertEqual(Oracle.normalizeRestrictKey(s), s, "changed: \(s.debugDescription)")
        }
    }

    func testIdempotent() {
        let s = "\\restrict abc\nfoo\n\\unrestrict abc\n"
        let once = Oracle.normalizeRestrictKey(s)
        XCTAssertEqual(Oracle.normalizeRestrictKey(once), once)
    }
}
