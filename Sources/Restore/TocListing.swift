import Archive

/// pg_restore -l (PrintTOCSummary): the archive summary and one line per selected entry.
public enum TocListing {
    public static func write(_ plan: RestorePlan, to out: ScriptOutput) throws {
        let a = plan.archive
        let h = a.header
        let stamp = ArchiveTime.format(archiveTM: h.createdTM) ?? "[unknown]"
        let compression: String
        if plan.options.compatMajor >= 16 {
            compression = h.compression.name
        } else {
            compression = String(h.compressionLevel ?? (h.compression == .none ? 0 : -1))
        }
        try out.write(";\n; Archive created at \(stamp)\n")
        try out.write(";     dbname: "); try out.write(sanitize(h.dbname ?? [])); try out.write("\n")
        try out.write(";     TOC Entries: \(a.entries.count)\n")
        try out.write(";     Compression: \(compression)\n")
        try out.write(";     Dump Version: \(h.version)\n")
        try out.write(";     Format: \(a.format.rawValue)\n")
        try out.write(";     Integer: \(h.intSize) bytes\n")
        try out.write(";     Offset: \(h.offSize) bytes\n")
        if let v = h.serverVersion { try out.write(";     Dumped from database version: "); try out.write(v); try out.write("\n") }
        if let v = h.dumpVersion { try out.write(";     Dumped by pg_dump version: "); try out.write(v); try out.write("\n") }
        try out.write(";\n;\n; Selected TOC Entries:\n;\n")
        let verbose = plan.options.verbose
        for te in plan.order {
            if verbose || !plan.reqs(of: te).intersection([.schema, .data, .stats]).isEmpty {
                try out.write("\(te.dumpId); \(te.tableOid) \(te.oid) \(te.desc) ")
                try out.write(sanitize(te.namespace, hyphen: true)); try out.write(" ")
                try out.write(sanitize(te.tag)); try out.write(" ")
                try out.write(sanitize(te.owner)); try out.write("\n")
            }
            if verbose && !te.dependencies.isEmpty {
                try out.write(";\tdepends on:" + te.dependencies.map { " \($0)" }.joined() + "\n")
            }
        }
        try out.flush()
    }
}

/// pg_dump's sanitize_line: CR and LF become spaces, so a name cannot break a comment line;
/// NULL becomes "-" where a hyphen is wanted, else "".
func sanitize(_ s: [UInt8]?, hyphen: Bool = false) -> [UInt8] {
    guard let s else { return hyphen ? [0x2d] : [] }
    return s.map { $0 == 0x0a || $0 == 0x0d ? 0x20 : $0 }
}
