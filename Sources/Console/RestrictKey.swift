/// psql `\restrict` keys, as pg_dump, pg_restore and pg_dumpall make and check them
/// (dumputils.c's generate_restrict_key and valid_restrict_key).
let restrictChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

/// generate_restrict_key: 63 random letters and digits.
public func generateRestrictKey() -> String {
    var rng = SystemRandomNumberGenerator()
    return String((0..<63).map { _ in restrictChars[Int(rng.next() % UInt64(restrictChars.count))] })
}

/// valid_restrict_key: non-empty, and only ASCII letters and digits.
public func validRestrictKey(_ key: String) -> Bool {
    !key.isEmpty && key.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") }
}
