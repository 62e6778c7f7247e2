/// psql `\restrict` keys, as pg_dump and pg_restore make and check them (dumputils.c's
/// generate_restrict_key and valid_restrict_key).
public enum ScriptRestrictKey {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// 63 random alphanumeric characters.
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<63).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    /// Non-empty and only ASCII letters and digits.
    public static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") }
    }
}
