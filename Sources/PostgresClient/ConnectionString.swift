import CLibPQ

/// libpq connection strings and URIs, read by libpq itself.
public enum ConnectionString {
    /// The settings a connection string or URI makes, in libpq's keyword order; empty when
    /// libpq cannot parse it (the connection attempt then reports why).
    public static func settings(_ s: String) -> [(key: String, value: String)] {
        var err: UnsafeMutablePointer<CChar>? = nil
        guard let opts = PQconninfoParse(s, &err) else {
            if let err { PQfreemem(err) }
            return []
        }
        defer { PQconninfoFree(opts) }
        var out: [(key: String, value: String)] = []
        var p = opts
        while let k = p.pointee.keyword {
            if let v = p.pointee.val, v.pointee != 0 { out.append((String(cString: k), String(cString: v))) }
            p += 1
        }
        return out
    }
}
