import XCTest
@testable import Catalog

/// The array and aclitem helpers behind buildACLCommands, against what the server writes.
final class ACLHelpersTests: XCTestCase {
    func testParsePGArray() {
        XCTAssertEqual(parsePGArray("{}"), [])
        XCTAssertEqual(parsePGArray("{a,b}"), ["a", "b"])
        // aclitemout quotes names with specials; array_out then quotes and escapes the item.
        XCTAssertEqual(parsePGArray(#"{"\"cbd \"\"quoted\"\" role\"=U/postgres",=UC/postgres}"#),
                       [#""cbd ""quoted"" role"=U/postgres"#, "=UC/postgres"])
        XCTAssertEqual(parsePGArray(#"{"a,b","c\\d",""}"#), ["a,b", #"c\d"#, ""])
        XCTAssertNil(parsePGArray(""))
        XCTAssertNil(parsePGArray("{a"))
        XCTAssertNil(parsePGArray("{a}b}"))
    }

    func testQuoteAclUserNameAndAppendPGArray() {
        XCTAssertEqual(quoteAclUserName("pg_database_owner"), "pg_database_owner")
        XCTAssertEqual(quoteAclUserName("Cbd_MixedCase"), "Cbd_MixedCase")
        XCTAssertEqual(quoteAclUserName(#"cbd "quoted" role"#), #""cbd ""quoted"" role""#)
        var arr = "{"
        appendPGArray(&arr, "owner=UC/owner")
        appendPGArray(&arr, #""a b"=U/owner"#)
        appendPGArray(&arr, "")
        arr += "}"
        XCTAssertEqual(arr, #"{owner=UC/owner,"\"a b\"=U/owner",""}"#)
        XCTAssertEqual(parsePGArray(arr), ["owner=UC/owner", #""a b"=U/owner"#, ""])
    }
}
