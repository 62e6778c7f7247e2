/// fe_utils' option_parse_int, for every integer option the tools share with pg_dump,
/// pg_restore and pg_dumpall: strtoint's number (leading white space and a sign allowed,
/// base 10), then only white space. Anything else is "invalid value"; no digits at all
/// read as 0, and a number outside `min...max` or an int is the range error.
public func optionParseInt(_ optarg: String, _ optname: String, _ min: Int, _ max: Int) throws -> Int {
    let bytes = Array(optarg.utf8)
    // isspace in the C locale.
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0d) }
    var i = 0
    while i < bytes.count && isSpace(bytes[i]) { i += 1 }
    var negative = false
    if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
        negative = bytes[i] == UInt8(ascii: "-")
        i += 1
    }
    let digitsStart = i
    var value = 0
    var overflow = false
    while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int(bytes[i] - 0x30))
        if o1 || o2 { overflow = true } else { value = a }
        i += 1
    }
    // No digits: strtol leaves the end at the very start (blanks and sign included).
    var end = i == digitsStart ? 0 : i
    while end < bytes.count && isSpace(bytes[end]) { end += 1 }
    if end != bytes.count { throw ToolError("invalid value \"\(optarg)\" for option \(optname)") }
    if negative { value = -value }
    // strtoint's ERANGE: beyond a long, or beyond an int.
    if overflow || value < Int(Int32.min) || value > Int(Int32.max) || value < min || value > max {
        throw ToolError("\(optname) must be in range \(min)..\(max)")
    }
    return value
}
