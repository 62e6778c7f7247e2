import XCTest
@testable import DumpAll

/// The directory dump's index: written and read back, with names that need escaping.
final class ClusterIndexTests: XCTestCase {
    func testRoundTripWithHostileNames() {
        var index = ClusterIndex(serverVersion: "18.6")
        index.databases = [
            IndexedDatabase(file: "1.dump", mode: .existing, name: "template1"),
            IndexedDatabase(file: "2.dump", mode: .create, name: "tab\there"),
            IndexedDatabase(file: "3.dump", mode: .create, name: "line\nbreak\r\\ back"),
            IndexedDatabase(file: "4.dump", mode: .cleanCreate, name: "postgres"),
        ]
        let text = index.text
        XCTAssertEqual(text.split(separator: "\n").count, 3 + 4, "one line per record: \(text)")
        XCTAssertTrue(text.contains("database\t3.dump\tcreate\tline\\nbreak\\r\\\\ back\n"))
        XCTAssertEqual(ClusterIndex(text: text), index)
    }

    func testRejectsOtherFiles() {
        XCTAssertNil(ClusterIndex(text: "toc.dat\n"))
        XCTAssertNil(ClusterIndex(text: "cbdumpall-index\t1\ndatabase\t1.dump\tsideways\tx\n"))
    }
}
