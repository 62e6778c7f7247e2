import XCTest
final class ArchivePlaceholderTests: XCTestCase { func testNothing() {} }
