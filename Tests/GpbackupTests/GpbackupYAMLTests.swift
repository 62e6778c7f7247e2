import Archive
import Foundation
import Restore
import TestSupport
import XCTest

/// The YAML subset gpbackup's go-yaml writes, and the real sets of gpbackup's end_to_end
/// resources when CBDUMP_TEST_GPBACKUP_SETS names a folder they were extracted into.
final class GpbackupYAMLTests: XCTestCase {
    func parse(_ s: String) throws -> GpYAML { try GpYAMLParser.parse(Array(s.utf8)) }

    func testGoYAMLSubset() throws {
        let y = try parse("""
            backupdir: /home/ajr/tests
            compressed: true
            databasename: '"corrupt-db"'
            datedeleted: ""
            excluderelations: []
            restoreplan:
            - timestamp: "20220908150145"
              tablefqns:
              - schemaone.tableone
              - '"Odd ""Schema"", x"."odd, ""name"" (1)"'
            - timestamp: "20220908150146"
              tablefqns: []
            long: 'a very long single quoted
              string folded by go-yaml'
            dq: "line1\\nline2 \\"q\\" \\u00e9 folded
              here"
            lit: |-
              first
                indented
              third
            incrementalmetadata:
              ao: {}
            dataentries:
              16388:
                startbyte: 0
                endbyte: 2
            # a comment
            plain: value with spaces # and a comment
            """)
        XCTAssertEqual(y["backupdir"]?.string, "/home/ajr/tests")
        XCTAssertEqual(y["compressed"]?.string, "true")
        XCTAssertEqual(y["databasename"]?.string, "\"corrupt-db\"")
        XCTAssertEqual(y["datedeleted"]?.string, "")
        XCTAssertEqual(y["excluderelations"]?.array?.count, 0)
        let plan = try XCTUnwrap(y["restoreplan"]?.array)
        XCTAssertEqual(plan.count, 2)
        XCTAssertEqual(plan[0]["timestamp"]?.string, "20220908150145")
        XCTAssertEqual(plan[0]["tablefqns"]?.array?.compactMap(\.string),
                       ["schemaone.tableone", "\"Odd \"\"Schema\"\", x\".\"odd, \"\"name\"\" (1)\""])
        XCTAssertEqual(plan[1]["tablefqns"]?.array?.count, 0)
        XCTAssertEqual(y["long"]?.string, "a very long single quoted string folded by go-yaml")
        XCTAssertEqual(y["dq"]?.string, "line1\nline2 \"q\" \u{e9} folded here")
        XCTAssertEqual(y["lit"]?.string, "first\n  indented\nthird")
        XCTAssertEqual(y["incrementalmetadata"]?["ao"], .mapping([]))
        XCTAssertEqual(y["dataentries"]?["16388"]?["endbyte"]?.string, "2")
        XCTAssertEqual(y["plain"]?.string, "value with spaces")
    }

    func testRejectsWhatGoYAMLDoesNotWrite() {
        for bad in ["a:\n\tb: 1\n", "a: 'open\n", "a: &anchor x\n", "a: [1, 2]\n", "a: 1\na: 2\n", "just text\n"] {
            XCTAssertThrowsError(try parse(bad), bad.debugDescription)
        }
    }

    /// gpbackup's own backup sets (its end_to_end/resources tarballs, extracted): every one
    /// found must list, verify (rows against rowscopied) and make a script.
    func testRealSetsWhenPresent() throws {
        guard let root = ProcessInfo.processInfo.environment["CBDUMP_TEST_GPBACKUP_SETS"] else {
            throw XCTSkip("CBDUMP_TEST_GPBACKUP_SETS is not set")
        }
        let fm = FileManager.default
        var tocs: [String] = []
        let walker = fm.enumerator(atPath: root)
        while let rel = walker?.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            if name.hasPrefix("gpbackup_"), name.hasSuffix("_toc.yaml"), name.split(separator: "_").count == 3 { tocs.append(root + "/" + rel) }
        }
        XCTAssertFalse(tocs.isEmpty, "no gpbackup_<ts>_toc.yaml under \(root)")
        for toc in tocs.sorted() {
            let reader = try GpbackupArchiveReader(path: toc)
            let results = GpbackupVerifier.run(reader)
            XCTAssertEqual(results.count, reader.set.dataEntries.count)
            for r in results { XCTAssertTrue(r.isSound, "\(toc): \(r.name): \(r.problems)") }
            for cmd in [["-l", toc], ["-f", "/dev/null", "--no-gp-syntax", toc]] {
                let p = try ProcessRunner.run(ProcessRunner.product("cbrestore"), cmd)
                XCTAssertEqual(p.status, 0, "\(cmd): \(p.stderrString)")
            }
        }
    }
}
