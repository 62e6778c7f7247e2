@testable import Console
import XCTest

/// fe_utils' option_parse_int (option_utils.c), dumputils.c's restrict keys, and getopt_long's
/// reading of a command line (Getopt) with a small option table. No server, no PostgreSQL
/// programs; the rules are the C code's, cited per test.
final class OptionParseIntTests: XCTestCase {
    func parse(_ s: String, _ min: Int = 1, _ max: Int = Int(Int32.max)) -> String {
        do { return String(try optionParseInt(s, "-j/--jobs", min, max)) } catch { return "\(error)" }
    }

    /// strtoint(optarg, &endptr, 10): leading white space and a sign are taken, then only
    /// trailing white space may follow.
    func testNumbers() {
        XCTAssertEqual(parse("4"), "4")
        XCTAssertEqual(parse(" \t+12"), "12")
        XCTAssertEqual(parse("7 \n"), "7")
        XCTAssertEqual(parse("-3", -5, 5), "-3")
        XCTAssertEqual(parse("0010"), "10")
        XCTAssertEqual(parse("2147483647"), "2147483647")
    }

    /// Anything but white space after the number: "invalid value \"%s\" for option %s".
    func testInvalidValues() {
        XCTAssertEqual(parse("4x"), "invalid value \"4x\" for option -j/--jobs")
        XCTAssertEqual(parse("1.5"), "invalid value \"1.5\" for option -j/--jobs")
        XCTAssertEqual(parse("0x10"), "invalid value \"0x10\" for option -j/--jobs")
        XCTAssertEqual(parse("4 4"), "invalid value \"4 4\" for option -j/--jobs")
        // No digits: strtol leaves endptr at the start, so the sign is left over.
        XCTAssertEqual(parse("-"), "invalid value \"-\" for option -j/--jobs")
        XCTAssertEqual(parse(" + "), "invalid value \" + \" for option -j/--jobs")
    }

    /// No digits and nothing else (empty, or blanks only): strtol gives 0 and endptr at the
    /// start, which is all white space, so 0 meets the range check.
    func testEmptyReadsAsZero() {
        XCTAssertEqual(parse(""), "-j/--jobs must be in range 1..2147483647")
        XCTAssertEqual(parse("   "), "-j/--jobs must be in range 1..2147483647")
        XCTAssertEqual(parse("", 0, 9), "0")
    }

    /// Out of min..max, or ERANGE beyond an int: "%s must be in range %d..%d".
    func testRange() {
        XCTAssertEqual(parse("0"), "-j/--jobs must be in range 1..2147483647")
        XCTAssertEqual(parse("2147483648"), "-j/--jobs must be in range 1..2147483647")
        XCTAssertEqual(parse("99999999999999999999999"), "-j/--jobs must be in range 1..2147483647")
        XCTAssertEqual(parse("4", -15, 3), "-j/--jobs must be in range -15..3")
        XCTAssertEqual(parse("-16", -15, 3), "-j/--jobs must be in range -15..3")
    }
}

final class RestrictKeyTests: XCTestCase {
    /// generate_restrict_key: 63 characters from restrict_chars (letters and digits), from
    /// pg_strong_random, so two keys differ.
    func testGeneratedKeys() {
        let a = generateRestrictKey(), b = generateRestrictKey()
        XCTAssertEqual(a.count, 63)
        XCTAssertTrue(a.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }, a)
        XCTAssertTrue(validRestrictKey(a))
        XCTAssertNotEqual(a, b)
    }

    /// valid_restrict_key: non-empty and strspn(key, restrict_chars) == strlen(key).
    func testValidation() {
        XCTAssertTrue(validRestrictKey("FIXTUREKEY"))
        XCTAssertTrue(validRestrictKey("a1Z9"))
        XCTAssertFalse(validRestrictKey(""))
        for bad in ["ab-c", "ab c", "ab_c", "key\n", "é", "ａ", "a;b", "\\x"] {
            XCTAssertFalse(validRestrictKey(bad), bad.debugDescription)
        }
    }
}

/// Getopt with a small table shaped like pg_dump's: getopt_long's clusters, attached
/// values, unique prefixes and its "is ambiguous" message.
final class GetoptTests: XCTestCase {
    let getopt = Getopt(options: [
        .init(shorts: ["f"], longs: ["file"], takesValue: true),
        .init(shorts: ["F"], longs: ["format"], takesValue: true),
        .init(shorts: ["v"], longs: ["verbose"], takesValue: false),
        .init(shorts: ["c"], longs: ["clean"], takesValue: false),
        .init(shorts: ["n"], longs: ["schema"], takesValue: true),
        .init(shorts: ["s"], longs: ["schema-only"], takesValue: false),
        .init(shorts: ["x"], longs: ["no-privileges", "no-acl"], takesValue: false),
        .init(shorts: [], longs: ["no-tablespaces"], takesValue: false),
        .init(shorts: [], longs: ["no-toast-compression"], takesValue: false),
        .init(shorts: [], longs: ["progress"], takesValue: true),
    ], optionalValues: ["progress": ["bar", "json"]])

    func n(_ words: [String]) throws -> [String] { try getopt.normalize(words) }

    /// A cluster of flags with at most one valued option, which takes the rest of the word
    /// or the next word (getopt's optstring "f:F:vcn:sx").
    func testClustersAndAttachedValues() throws {
        XCTAssertEqual(try n(["-vFp"]), ["--verbose", "--format=p"])
        XCTAssertEqual(try n(["-vf", "out.sql"]), ["--verbose", "--file=out.sql"])
        XCTAssertEqual(try n(["-cvfout"]), ["--clean", "--verbose", "--file=out"])
        XCTAssertEqual(try n(["-Fc", "-n", "-s"]), ["--format=c", "--schema=-s"])  // a value may start with "-"
        XCTAssertEqual(try n(["-f", ""]), ["--file", ""])
        XCTAssertEqual(try n(["-f"]), ["-f"])                                      // left for the parser's error
        XCTAssertEqual(try n(["-vq"]), ["-vq"])                                    // unknown letter: left whole
        XCTAssertEqual(try n(["-V", "-?"]), ["--version", "--help"])
    }

    /// getopt_long: an exact name wins; a unique prefix stands for its option; aliases of
    /// one option are one possibility; "--name=value" and "--name value".
    func testLongPrefixes() throws {
        XCTAssertEqual(try n(["--schema", "s1"]), ["--schema=s1"])
        XCTAssertEqual(try n(["--schema-o"]), ["--schema-only"])
        XCTAssertEqual(try n(["--fo=d"]), ["--format=d"])
        XCTAssertEqual(try n(["--no-a"]), ["--no-privileges"])
        XCTAssertEqual(try n(["--no-p"]), ["--no-privileges"])
        XCTAssertEqual(try n(["--no-tables"]), ["--no-tablespaces"])
        XCTAssertEqual(try n(["--nope"]), ["--nope"])                              // unknown: left as it is
    }

    /// Two options starting with the prefix: glibc's "option '--%s' is ambiguous;
    /// possibilities: '--a' '--b'".
    func testAmbiguousPrefix() {
        XCTAssertThrowsError(try n(["--no-t"])) {
            XCTAssertEqual("\($0)", "option '--no-t' is ambiguous; possibilities: '--no-tablespaces' '--no-toast-compression'")
        }
        XCTAssertThrowsError(try n(["--sch"])) {
            XCTAssertEqual("\($0)", "option '--sch' is ambiguous; possibilities: '--schema' '--schema-only'")
        }
    }

    /// An optional value is taken only when the next word is one it knows; alone it is the
    /// default; everything after "--" is left alone.
    func testOptionalValuesAndDoubleDash() throws {
        XCTAssertEqual(try n(["--progress", "json"]), ["--progress=json"])
        XCTAssertEqual(try n(["--progress", "db"]), ["--progress=bar", "db"])
        XCTAssertEqual(try n(["--prog"]), ["--progress=bar"])
        XCTAssertEqual(try n(["-v", "--", "-Fc", "--sch"]), ["--verbose", "--", "-Fc", "--sch"])
    }
}
