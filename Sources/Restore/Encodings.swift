/// PostgreSQL's encoding names: the archive's ENCODING entry may use any alias, pg_restore
/// prints the canonical name (pg_char_to_encoding, then pg_encoding_to_char).
enum Encodings {
    static let canonical: [String] = [
        "SQL_ASCII", "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW", "EUC_JIS_2004", "UTF8", "MULE_INTERNAL",
        "LATIN1", "LATIN2", "LATIN3", "LATIN4", "LATIN5", "LATIN6", "LATIN7", "LATIN8", "LATIN9", "LATIN10",
        "WIN1256", "WIN1258", "WIN866", "WIN874", "KOI8R", "WIN1251", "WIN1252", "ISO_8859_5", "ISO_8859_6",
        "ISO_8859_7", "ISO_8859_8", "WIN1250", "WIN1253", "WIN1254", "WIN1255", "WIN1257", "KOI8U",
        "SJIS", "BIG5", "GBK", "UHC", "GB18030", "JOHAB", "SHIFT_JIS_2004",
    ]

    static let aliases: [String: String] = [
        "abc": "WIN1258", "alt": "WIN866", "iso88591": "LATIN1", "iso88592": "LATIN2", "iso88593": "LATIN3",
        "iso88594": "LATIN4", "iso88599": "LATIN5", "iso885910": "LATIN6", "iso885913": "LATIN7",
        "iso885914": "LATIN8", "iso885915": "LATIN9", "iso885916": "LATIN10", "iso88595": "ISO_8859_5",
        "iso88596": "ISO_8859_6", "iso88597": "ISO_8859_7", "iso88598": "ISO_8859_8", "koi8": "KOI8R",
        "mskanji": "SJIS", "shiftjis": "SJIS", "tcvn": "WIN1258", "tcvn5712": "WIN1258", "unicode": "UTF8",
        "vscii": "WIN1258", "win": "WIN1251", "win932": "SJIS", "win936": "GBK", "win949": "UHC",
        "win950": "BIG5", "windows932": "SJIS", "windows936": "GBK", "windows949": "UHC", "windows950": "BIG5",
        "windows1250": "WIN1250", "windows1251": "WIN1251", "windows1252": "WIN1252", "windows1253": "WIN1253",
        "windows1254": "WIN1254", "windows1255": "WIN1255", "windows1256": "WIN1256", "windows1257": "WIN1257",
        "windows1258": "WIN1258", "windows866": "WIN866", "windows874": "WIN874",
    ]

    /// Lower-cased with everything but letters and digits removed, as clean_encoding_name.
    private static func clean(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { CharacterSet_isAlnum($0) })
    }

    private static func CharacterSet_isAlnum(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "0" && c <= "9")
    }

    /// The canonical name, or nil if PostgreSQL knows no such encoding.
    static func canonicalName(_ name: String) -> String? {
        let key = clean(name)
        if let a = aliases[key] { return a }
        return canonical.first { clean($0) == key }
    }
}
