import Archive
import Catalog
import Console
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

// What the DDL makers of types, functions, aggregates, operators, operator classes,
// collations, casts and transforms share (pg_dump.c, dumputils.c, fe_utils/string_utils.c):
// getFormattedTypeName, format_function_arguments, format_function_signature,
// format_aggregate_signature, convertRegProcReference, getFormattedOperatorName,
// append_depends_on_extension, appendStringLiteralDQ, variable_is_guc_list_quote, SplitGUCList.

/// A fatal inconsistency found while making DDL (pg_dump's pg_fatal).
struct TypeFuncDumpError: Error, CustomStringConvertible {
    let description: String
}

/// How getFormattedTypeName treats OID 0 (pg_dump's OidOptions).
enum ZeroOidAs { case error, star, none }

extension DumpContext {
    /// The object's schema name (every object of these kinds but casts, transforms,
    /// languages and access methods has one).
    func nspName(_ obj: DumpableObject) -> String? { obj.namespace?.name }

    /// pg_dump's getFormattedTypeName: format_type() of a type OID, cached in its TypeInfo.
    func formattedTypeName(_ oid: UInt32, _ zero: ZeroOidAs) throws -> String {
        if oid == 0 {
            switch zero {
            case .star: return "*"
            case .none: return "NONE"
            case .error: break
            }
        }
        let t = catalog.type(oid: oid)
        if let cached = t?.ftypname { return cached }
        let name = try cat.formatType(oid: oid)
        t?.ftypname = name
        return name
    }

    /// pg_dump's format_function_arguments: name plus the given argument list; `(*)` for a
    /// zero-argument aggregate.
    func formatFunctionArguments(_ f: FuncInfo, _ funcargs: String, isAgg: Bool) -> String {
        if isAgg && f.nargs == 0 { return fmtId(f.name) + "(*)" }
        return fmtId(f.name) + "(" + funcargs + ")"
    }

    /// pg_dump's format_function_signature: name and input argument types; the name is
    /// quoted only when `honorQuotes` (TOC tags take it raw).
    func formatFunctionSignature(_ f: FuncInfo, honorQuotes: Bool) throws -> String {
        var s = (honorQuotes ? fmtId(f.name) : f.name) + "("
        for (j, t) in f.argtypes.enumerated() {
            if j > 0 { s += ", " }
            s += try formattedTypeName(t, .error)
        }
        return s + ")"
    }

    /// pg_dump's format_aggregate_signature.
    func formatAggregateSignature(_ a: AggInfo, honorQuotes: Bool) throws -> String {
        var s = honorQuotes ? fmtId(a.name) : a.name
        if a.nargs == 0 { return s + "(*)" }
        s += "("
        for (j, t) in a.argtypes.enumerated() {
            s += (j > 0 ? ", " : "") + (try formattedTypeName(t, .error))
        }
        return s + ")"
    }

    /// pg_dump's convertRegProcReference: a regprocedure's text without its argument list;
    /// nil for "-".
    func convertRegProcReference(_ proc: String) -> String? {
        if proc == "-" { return nil }
        var out: [UInt8] = []
        var inquote = false
        for b in proc.utf8 {
            if b == UInt8(ascii: "(") && !inquote { break }
            if b == UInt8(ascii: "\"") { inquote.toggle() }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// pg_dump's getFormattedOperatorName: `OPERATOR(schema.name)`, nil for OID 0.
    func formattedOperatorName(_ oid: UInt32) -> String? {
        if oid == 0 { return nil }
        guard let o = catalog.operator(oid: oid) else {
            typeFuncWarning("could not find operator with OID \(oid)")
            return nil
        }
        return "OPERATOR(" + fmtId(o.namespace?.name ?? "") + "." + o.name + ")"
    }

    /// pg_log_warning, for the few warnings these DDL makers give.
    func typeFuncWarning(_ message: String) {
        warning(message)
    }

    /// pg_dump's append_depends_on_extension: `ALTER ... DEPENDS ON EXTENSION` lines for an
    /// object marked as depending on extensions.
    func dependsOnExtensionSQL(_ obj: DumpableObject, catalogName: String, keyword: String,
                               objName: String) throws -> String {
        guard obj.dependsOnExt else { return "" }
        var out = ""
        for extname in try cat.dependedOnExtensions(catalogName: catalogName, oid: obj.catId.oid) {
            let line = "ALTER \(keyword) \(objName) DEPENDS ON EXTENSION \(fmtId(extname));"
            // pg_dump 17 moved the newline to the front (the statement it follows may lack one);
            // pg_dump 15 ends each line with it. (16 is taken to be as 15.)
            out += options.dumperMajor >= 17 ? "\n" + line : line + "\n"
        }
        return out
    }
}


/// fe_utils' appendStringLiteralDQ: `str` dollar-quoted with a delimiter (`$`, then
/// `$_`, `$_X` ...) that does not occur in it.
func dollarQuoted(_ str: String, prefix: String? = nil) -> String {
    let suffixes = Array("_XXXXXXX".utf8)
    let hay = Array(str.utf8)
    var delim: [UInt8] = [UInt8(ascii: "$")] + Array((prefix ?? "").utf8)
    var next = 0
    while containsBytes(hay, delim) {
        delim.append(suffixes[next])
        next = (next + 1) % suffixes.count
    }
    delim.append(UInt8(ascii: "$"))
    let d = String(decoding: delim, as: UTF8.self)
    return d + str + d
}

/// strstr on bytes.
func containsBytes(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
    if needle.isEmpty { return true }
    if hay.count < needle.count { return false }
    outer: for i in 0...(hay.count - needle.count) {
        for j in 0..<needle.count where hay[i + j] != needle[j] { continue outer }
        return true
    }
    return false
}

/// dumputils' variable_is_guc_list_quote: settings whose values are lists that
/// flatten_set_variable_args already quoted element by element.
func variableIsGucListQuote(_ name: String) -> Bool {
    let n = name.lowercased()
    return ["local_preload_libraries", "search_path", "session_preload_libraries",
            "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories"].contains(n)
}

/// dumputils' SplitGUCList: a GUC list value split at `separator` into its elements,
/// double-quoted ones unquoted (no case folding); nil on bad syntax.
func splitGUCList(_ raw: String, separator: UInt8 = UInt8(ascii: ",")) -> [String]? {
    let a = Array(raw.utf8)
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0d) }
    var i = 0
    var out: [String] = []
    while i < a.count && isSpace(a[i]) { i += 1 }
    if i == a.count { return [] }
    var done = false
    repeat {
        var cur: [UInt8] = []
        guard i < a.count else { return nil }
        if a[i] == UInt8(ascii: "\"") {
            i += 1
            while true {
                guard i < a.count else { return nil }
                if a[i] == UInt8(ascii: "\"") {
                    if i + 1 < a.count && a[i + 1] == UInt8(ascii: "\"") {
                        cur.append(a[i]); i += 2; continue
                    }
                    break
                }
                cur.append(a[i]); i += 1
            }
            i += 1
        } else {
            let start = i
            while i < a.count && a[i] != separator && !isSpace(a[i]) { cur.append(a[i]); i += 1 }
            if start == i { return nil }
        }
        while i < a.count && isSpace(a[i]) { i += 1 }
        if i < a.count && a[i] == separator {
            i += 1
            while i < a.count && isSpace(a[i]) { i += 1 }
        } else if i == a.count {
            done = true
        } else {
            return nil
        }
        out.append(String(decoding: cur, as: UTF8.self))
    } while !done
    return out
}
