// The DDL Greenplum 7 and Cloudberry add to a dump (docs/mpp.md, "DDL"), as pure functions of
// catalog facts. Names arrive already quoted (through SQLQuoter, the one audited quoting
// place); these functions only assemble clauses, so they are tested without a server.
import PostgresClient

public enum MPPDDL {
    /// Appends a distribution clause the way Cloudberry's pg_dump does: one space, on the
    /// same line as what precedes it (`) DISTRIBUTED BY (id)`); nothing for an empty clause
    /// (a relation with no policy row: views, readable external tables).
    public static func appendDistribution(_ clause: String?, to q: inout String) {
        guard let clause, !clause.isEmpty else { return }
        q += " " + clause
    }

    /// The storage clause of a table: `WITH (appendonly = true[, orientation = column], opts)`
    /// for append-optimized tables, even with no options (so a restore with
    /// --no-table-access-method keeps the storage); `WITH (opts)` for others with options;
    /// nil otherwise. `reloptions` and `toastOptions` are formatted as upstream's
    /// reloptions (`compresstype=zlib, compresslevel='5'`, `toast.` prefixed).
    public static func storageClause(amname: String?, reloptions: String, toastOptions: String) -> String? {
        var parts: [String] = []
        switch amname {
        case "ao_row": parts.append("appendonly = true")
        case "ao_column": parts.append("appendonly = true"); parts.append("orientation = column")
        default: break
        }
        if !reloptions.isEmpty { parts.append(reloptions) }
        if !toastOptions.isEmpty { parts.append(toastOptions) }
        return parts.isEmpty ? nil : "WITH (" + parts.joined(separator: ", ") + ")"
    }

    /// `COLUMN col ENCODING (compresstype=zlib,compresslevel=3,blocksize=32768)`: the
    /// attoptions of pg_attribute_encoding joined by ',' with no space, as the server keeps them.
    public static func columnEncoding(column: String, attoptions: [String]) -> String {
        "COLUMN \(column) ENCODING (" + attoptions.joined(separator: ",") + ")"
    }

    /// The lines a CREATE TABLE's column list gets for its encodings, after the CHECK
    /// constraints: each prefixed as the list's items are (`(\n    ` for the first item of
    /// the list, `,\n    ` after one). `itemsBefore` is how many items the list already has.
    public static func appendColumnEncodings(_ encodings: [(column: String, attoptions: [String])], itemsBefore: Int, to q: inout String) -> Int {
        var n = itemsBefore
        for e in encodings {
            q += n == 0 ? " (\n    " : ",\n    "
            q += columnEncoding(column: e.column, attoptions: e.attoptions)
            n += 1
        }
        return n
    }

    /// A function's data-access clause (always printed, from prodataaccess) and its EXECUTE ON
    /// clause (unless the default, from proexeclocation), each with its leading space. The
    /// coordinator is spelled as the source server's grammar spells it: `COORDINATOR` where
    /// `coordinator` is a keyword (Cloudberry, Greenplum 7 releases), `MASTER` where it is
    /// not (Greenplum 7.0-dev and older, whose pg_dump writes EXECUTE ON MASTER and whose
    /// parser rejects COORDINATOR).
    public static func functionClauses(dataAccess: Character?, execLocation: Character?, coordinatorKeyword: Bool) throws -> String {
        var s = ""
        switch dataAccess {
        case "n": s += " NO SQL"
        case "c": s += " CONTAINS SQL"
        case "r": s += " READS SQL DATA"
        case "m": s += " MODIFIES SQL DATA"
        case nil: break
        default: throw MPPDDLError(description: "unrecognized prodataaccess value \"\(dataAccess!)\"")
        }
        switch execLocation {
        case "a", nil: break
        case "c", "m": s += coordinatorKeyword ? " EXECUTE ON COORDINATOR" : " EXECUTE ON MASTER"
        case "s": s += " EXECUTE ON ALL SEGMENTS"
        case "i": s += " EXECUTE ON INITPLAN"
        default: throw MPPDDLError(description: "unrecognized proexeclocation value \"\(execLocation!)\"")
        }
        return s
    }

    /// ` WITH (describe = callback)` after a table function's body, when it has one.
    public static func describeCallback(_ callback: String?) -> String {
        guard let callback, !callback.isEmpty, callback != "-" else { return "" }
        return " WITH (describe = \(callback))"
    }

    /// A CREATE PROTOCOL entry's statement: the function names are single-quoted and
    /// unqualified, so a search_path naming their schemas comes first.
    /// `functions` are (schema, name) of readfunc, writefunc, validatorfunc (nil when unset).
    public static func createProtocol(name: String, trusted: Bool,
                                      readFunc: (schema: String, name: String)?,
                                      writeFunc: (schema: String, name: String)?,
                                      validatorFunc: (schema: String, name: String)?,
                                      quoter: SQLQuoter) -> String {
        var schemas: [String] = []
        for f in [readFunc, writeFunc, validatorFunc] {
            if let f, !schemas.contains(f.schema) { schemas.append(f.schema) }
        }
        var path = schemas.map { quoter.identifier($0) }
        if !schemas.contains("public") { path.append("public") }
        func lit(_ s: String) -> String { String(decoding: SQLQuoter.literal(Array(s.utf8)), as: UTF8.self) }
        var items: [String] = []
        if let f = readFunc { items.append("readfunc = " + lit(f.name)) }
        if let f = writeFunc { items.append("writefunc = " + lit(f.name)) }
        if let f = validatorFunc { items.append("validatorfunc = " + lit(f.name)) }
        return "-- Set the search_path required to look up the functions\n"
            + "SET search_path = " + path.joined(separator: ", ") + ";\n\n"
            + "CREATE " + (trusted ? "TRUSTED " : "") + "PROTOCOL " + quoter.identifier(name)
            + " ( " + items.joined(separator: ", ") + ");\n"
    }

    /// `ALTER TYPE s.t SET DEFAULT ENCODING (...)`, the TYPE STORAGE OPTIONS entry;
    /// `typoptions` joined with ", " as Cloudberry's type query does.
    public static func typeDefaultEncoding(qualifiedType: String, typoptions: [String]) -> String? {
        guard !typoptions.isEmpty else { return nil }
        return "ALTER TYPE \(qualifiedType) SET DEFAULT ENCODING (" + typoptions.joined(separator: ", ") + ");\n"
    }
}

/// An MPP catalog value no known server writes.
public struct MPPDDLError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
