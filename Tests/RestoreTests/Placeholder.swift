import XCTest
final class RestorePlaceholderTests: XCTestCase { func testNothing() {} }
