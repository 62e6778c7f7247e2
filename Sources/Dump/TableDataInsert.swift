import Archive
import Catalog
import PostgresClient

// Table data as INSERT statements (pg_dump's dumpTableData_insert, for --inserts,
// --column-inserts and --rows-per-insert): rows read through a cursor 100 at a time and
// written as they come, never the whole table; each value formatted by its type as pg_dump
// formats it.

/// How the INSERT dumper of one table is set up.
struct InsertPlan {
    /// `DECLARE _pg_dump_cursor CURSOR FOR SELECT ...`.
    let declare: String
    /// `INSERT INTO target [(columns)] [OVERRIDING SYSTEM VALUE] VALUES`, or the whole
    /// `... DEFAULT VALUES;\n` statement for a table with no columns to insert.
    let insertHead: [UInt8]
    /// Per selected column: a generated column, written as DEFAULT.
    let generated: [Bool]
    let rowsPerStatement: Int
    let onConflictDoNothing: Bool
    let tableName: String
    let foreign: Bool
}

extension DumpContext {
    /// The INSERT dumper for `td`, loading into `target` (the table, or its partition root).
    func insertDumper(_ td: TableDataInfo, target: String, condition: String?) -> ConnectionDataDumper {
        let t = td.tdtable
        var select: [String] = [], names: [String] = [], generated: [Bool] = []
        for i in 0..<t.attnames.count where !t.attisdropped[i] {
            let isGenerated = t.attgenerated[i] != "\0"
            // With column names a generated column is simply left out; without, it takes
            // DEFAULT (and NULL is fetched instead of its value).
            if isGenerated && options.columnInserts { continue }
            select.append(isGenerated ? "NULL" : fmtId(t.attnames[i]))
            names.append(fmtId(t.attnames[i]))
            generated.append(isGenerated)
        }
        var declare = "DECLARE _pg_dump_cursor CURSOR FOR SELECT "
        // A SELECT with no columns at all is refused by old servers: one NULL then.
        declare += select.isEmpty ? "NULL" : select.joined(separator: ", ")
        declare += " FROM ONLY \(qualified(t))"
        if let condition { declare += " \(condition)" }

        var head = "INSERT INTO \(target) "
        if select.isEmpty {
            head += "DEFAULT VALUES;\n"
        } else {
            if options.columnInserts { head += "(" + names.joined(separator: ", ") + ") " }
            // pg_dump's needs_override: an identity column GENERATED ALWAYS.
            if t.attidentity.contains("a") { head += "OVERRIDING SYSTEM VALUE " }
            head += "VALUES"
        }
        let plan = InsertPlan(declare: declare, insertHead: conn.outputBytes(head), generated: generated,
                              rowsPerStatement: options.dumpInserts, onConflictDoNothing: options.onConflictDoNothing,
                              tableName: t.name, foreign: t.relkind == "f")
        let stdStrings = self.stdStrings
        // The connection is the caller's: the dump's own, or a parallel worker's.
        return { conn, stream in try Self.writeInserts(plan, conn: conn, stdStrings: stdStrings, to: stream) }
    }

    // Type OIDs (pg_type_d.h) that pg_dump writes other than as string literals.
    private static let int2 = 21, int4 = 23, int8 = 20, oid = 26, float4 = 700, float8 = 701, numeric = 1700
    private static let bit = 1560, varbit = 1562, bool = 16

    /// Bytes that a number may hold and still be written unquoted (strspn's set in pg_dump).
    private static let plainNumberBytes: [Bool] = {
        var set = [Bool](repeating: false, count: 256)
        for b in "0123456789 +-eE.".utf8 { set[Int(b)] = true }
        return set
    }()

    /// Runs the cursor and writes the statements (dumpTableData_insert).
    static func writeInserts(_ plan: InsertPlan, conn: Connection, stdStrings: Bool,
                             to stream: ArchiveDataStream) throws {
        func run(_ sql: String) throws -> RawResult { try conn.executeSqlQuery(sql) }
        // Reading a foreign table needs foreign tables let through for the while.
        if plan.foreign { _ = try run(restrictRelationKindQuery("view")) }
        let encoding = ClientEncoding(name: conn.parameter("client_encoding") ?? "UTF8")
        _ = try run(plan.declare)
        let nfields = plan.generated.count
        var out: [UInt8] = []
        out.reserveCapacity(80 * 1024)
        func flush() throws {
            guard !out.isEmpty else { return }
            try out.withUnsafeBytes { try stream.write($0) }
            out.removeAll(keepingCapacity: true)
        }
        func put(_ s: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }
        let endStatement: StaticString = plan.onConflictDoNothing ? " ON CONFLICT DO NOTHING;\n" : ";\n"
        var rowsThisStatement = 0
        while true {
            let res = try run("FETCH 100 FROM _pg_dump_cursor")
            if res.columnCount != nfields && !(nfields == 0 && res.columnCount == 1) {
                throw InsertDumpError(description: "wrong number of fields retrieved from table \"\(plan.tableName)\"")
            }
            let types = (0..<res.columnCount).map { Int(res.columnType($0)) }
            for row in 0..<res.rowCount {
                if rowsThisStatement == 0 { out.append(contentsOf: plan.insertHead) }
                // No columns: the head is the whole statement (one per row, whatever
                // --rows-per-insert says).
                if nfields == 0 { continue }
                if plan.rowsPerStatement == 1 { put(" (") } else if rowsThisStatement > 0 { put(",\n\t(") } else { put("\n\t(") }
                for field in 0..<nfields {
                    if field > 0 { put(", ") }
                    if plan.generated[field] { put("DEFAULT"); continue }
                    if res.isNull(row, field) { put("NULL"); continue }
                    let v = res.value(row, field)
                    switch types[field] {
                    case int2, int4, int8, oid, float4, float8, numeric:
                        // Unquoted unless it holds something the scanner would not take
                        // as a number (NaN, Infinity).
                        if v.allSatisfy({ plainNumberBytes[Int($0)] }) {
                            out.append(contentsOf: v)
                        } else {
                            put("'"); out.append(contentsOf: v); put("'")
                        }
                    case bit, varbit:
                        put("B'"); out.append(contentsOf: v); put("'")
                    case bool:
                        if v.count == 1 && v[0] == UInt8(ascii: "t") { put("true") } else { put("false") }
                    default:
                        SQLQuoter.appendLiteral(v, encoding: encoding, standardConformingStrings: stdStrings, to: &out)
                    }
                }
                put(")")
                rowsThisStatement += 1
                if rowsThisStatement >= plan.rowsPerStatement {
                    put(endStatement)
                    rowsThisStatement = 0
                }
            }
            if out.count >= 64 * 1024 { try flush() }
            if res.rowCount <= 0 { break }
        }
        // A statement short of its row count is ended too.
        if rowsThisStatement > 0 { put(endStatement) }
        put("\n\n")
        try flush()
        _ = try run("CLOSE _pg_dump_cursor")
        if plan.foreign { _ = try run(restrictRelationKindQuery("view, foreign-table")) }
    }

    /// pg_dump's set_restrict_relation_kind: restrict_nonsystem_relation_kind set to `value`
    /// where the server has that setting (a no-op elsewhere).
    static func restrictRelationKindQuery(_ value: String) -> String {
        "SELECT set_config(name, '\(value)', false) FROM pg_settings WHERE name = 'restrict_nonsystem_relation_kind'"
    }
}

/// The cursor returned another number of columns than asked for (pg_dump's message).
public struct InsertDumpError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
