/// Reads the archive primitives (Int, Str, Offset), the header and the TOC from a ByteInput.
/// Shared by the custom format and by the `toc.dat` of directory and tar archives.
struct TocParser {
    let input: ByteInput
    var version = ArchiveVersion.v1_0
    var intSize = 4
    var offSize = 8

    init(_ input: ByteInput) { self.input = input }

    var file: String { input.name }

    func corrupt(_ message: String, at offset: Int64? = nil) -> ArchiveError {
        ArchiveError(.corrupt, file: file, message, offset: offset ?? input.position)
    }

    /// An archive Int: sign byte, then `intSize` bytes least significant first.
    func readInt() throws -> Int32 {
        let at = input.position
        let sign: UInt8 = version > .v1_0 ? try input.readByte() : 0
        var magnitude: UInt64 = 0
        for i in 0..<intSize {
            let b = UInt64(try input.readByte())
            if i < 8 { magnitude |= b << (8 * UInt64(i)) } else if b != 0 {
                throw corrupt("integer too large", at: at)
            }
        }
        if sign != 0 {
            guard magnitude <= 0x8000_0000 else { throw corrupt("integer out of range", at: at) }
            return Int32(truncatingIfNeeded: -Int64(magnitude))
        }
        guard magnitude <= 0x7fff_ffff else { throw corrupt("integer out of range", at: at) }
        return Int32(magnitude)
    }

    /// An archive Str; nil for a negative length (NULL).
    func readStr() throws -> [UInt8]? {
        let at = input.position
        let len = try readInt()
        if len < 0 { return nil }
        if let size = input.fileSize, Int64(len) > size - input.position {
            throw ArchiveError(.truncated, file: file, "truncated (string of \(len) bytes runs past the end of the file)", offset: at)
        }
        return try input.readBytes(Int(len))
    }

    /// Reads the header after the 5-byte magic. `expectedFormat` is 1 (custom) or 3 (tar/dir).
    mutating func readHeader(expectedFormat: UInt8) throws -> ArchiveHeader {
        let vmaj = try input.readByte()
        let vmin = try input.readByte()
        let vrev: UInt8 = (vmaj > 1 || (vmaj == 1 && vmin > 0)) ? try input.readByte() : 0
        version = ArchiveVersion(vmaj, vmin, vrev)
        if version < .v1_0 || version > .newestKnown {
            throw ArchiveError(.unsupportedVersion, file: file,
                               "unsupported version (\(vmaj).\(vmin)) in file header; this cbrestore reads archive versions 1.0 to 1.16")
        }
        intSize = Int(try input.readByte())
        if intSize > 32 || intSize == 0 {
            throw corrupt("sanity check on integer size (\(intSize)) failed", at: input.position - 1)
        }
        offSize = version >= .v1_7 ? Int(try input.readByte()) : intSize
        if offSize == 0 || offSize > 32 { throw corrupt("sanity check on offset size (\(offSize)) failed", at: input.position - 1) }
        let fmt = try input.readByte()
        if fmt != expectedFormat {
            throw corrupt("expected format (\(expectedFormat)) differs from format found in file (\(fmt))", at: input.position - 1)
        }
        var level: Int? = nil
        var algorithm = CompressionAlgorithm.gzip
        if version >= .v1_15 {
            let code = try input.readByte()
            guard let alg = CompressionAlgorithm(rawValue: code) else {
                throw ArchiveError(.unsupported, file: file, "unsupported compression algorithm code \(code) in file header", offset: input.position - 1)
            }
            algorithm = alg
        } else if version >= .v1_2 {
            let l = version < .v1_4 ? Int(try input.readByte()) : Int(try readInt())
            level = l
            algorithm = l != 0 ? .gzip : .none
        }
        var tm: [Int32]? = nil
        var dbname: [UInt8]? = nil
        if version >= .v1_4 {
            tm = try (0..<7).map { _ in try readInt() }
            dbname = try readStr()
        }
        var server: [UInt8]? = nil, dumper: [UInt8]? = nil
        if version >= .v1_10 {
            server = try readStr()
            dumper = try readStr()
        }
        return ArchiveHeader(version: version, intSize: intSize, offSize: offSize, formatCode: fmt,
                             compressionLevel: level, compression: algorithm, createdTM: tm,
                             dbname: dbname, serverVersion: server, dumpVersion: dumper)
    }

    /// Custom format per-entry extra: the data offset.
    func readOffset() throws -> (DataState, Int64) {
        if version < .v1_7 {
            let i = try readInt()
            _ = try readInt()  // obsolete data length
            if i < 0 { return (.posNotSet, 0) }
            if i == 0 { return (.noData, 0) }
            return (.posSet, Int64(i))
        }
        let at = input.position
        let flag = try input.readByte()
        guard let state = DataState(rawValue: flag) else {
            throw corrupt("unexpected data offset flag \(flag)", at: at)
        }
        var pos: UInt64 = 0
        for i in 0..<offSize {
            let b = UInt64(try input.readByte())
            if i < 8 { pos |= b << (8 * UInt64(i)) } else if b != 0 {
                throw corrupt("file offset in dump file is too large", at: at)
            }
        }
        guard pos <= UInt64(Int64.max) else { throw corrupt("file offset in dump file is too large", at: at) }
        return (state, Int64(pos))
    }

    /// Reads the TOC. `customExtra` selects the Offset extra (custom) or a file name (dir/tar).
    func readToc(customExtra: Bool) throws -> [TocEntry] {
        let countAt = input.position
        let count = try readInt()
        if count < 0 { throw corrupt("negative TOC entry count \(count)", at: countAt) }
        var entries: [TocEntry] = []
        entries.reserveCapacity(Int(min(count, 100_000)))
        var seen = Set<Int32>()
        for i in 0..<Int(count) {
            let entryAt = input.position
            try withContext("in TOC entry \(i + 1) of \(count) (starting at byte \(entryAt))") {
                let id = try readInt()
                if id <= 0 { throw corrupt("entry ID \(id) out of range -- perhaps a corrupt TOC", at: entryAt) }
                if !seen.insert(id).inserted { throw corrupt("duplicate entry ID \(id) -- perhaps a corrupt TOC", at: entryAt) }
                let te = TocEntry(dumpId: id)
                te.hadDumper = try readInt() != 0
                if version >= .v1_8 { te.tableOid = parseOid(try readStr()) }
                te.oid = parseOid(try readStr())
                te.tag = try readStr() ?? []
                let descAt = input.position
                guard let desc = try readStr() else { throw corrupt("TOC entry \(id) has no type", at: descAt) }
                te.desc = String(decoding: desc, as: UTF8.self)
                if version >= .v1_11 {
                    let secAt = input.position
                    let s = try readInt()
                    guard let sec = Section(rawValue: s) else { throw corrupt("unexpected section code \(s)", at: secAt) }
                    te.section = sec
                } else {
                    te.section = inferredSection(te.desc)
                }
                te.defn = try readStr()
                te.dropStmt = try readStr()
                if version >= .v1_3 { te.copyStmt = try readStr() }
                if version >= .v1_6 { te.namespace = try readStr() }
                if version >= .v1_10 { te.tablespace = try readStr() }
                if version >= .v1_14 { te.tableam = try readStr() }
                if version >= .v1_16 { te.relkind = try readInt() }
                te.owner = try readStr()
                if version >= .v1_9 {
                    te.withOids = (try readStr()).map { $0 == Array("true".utf8) } ?? false
                } else {
                    te.withOids = true
                }
                if version >= .v1_5 {
                    while let dep = try readStr() {
                        te.dependencies.append(Int32(parseInt(dep)))
                    }
                }
                if customExtra {
                    (te.dataState, te.dataPos) = try readOffset()
                } else {
                    let name = try readStr()
                    te.filename = (name?.isEmpty ?? true) ? nil : name
                }
                entries.append(te)
            }
        }
        return entries
    }

    private func inferredSection(_ desc: String) -> Section {
        switch desc {
        case "COMMENT", "ACL", "ACL LANGUAGE": return .none
        case "TABLE DATA", "BLOBS", "BLOB COMMENTS": return .data
        case "CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT", "INDEX", "RULE", "TRIGGER": return .postData
        default: return .preData
        }
    }
}

/// `sscanf("%u")`-like: leading digits, 0 when there are none.
func parseOid(_ s: [UInt8]?) -> UInt32 {
    guard let s else { return 0 }
    var v: UInt64 = 0
    for b in s.drop(while: { $0 == 0x20 }) {
        guard b >= 0x30 && b <= 0x39 else { break }
        v = min(v * 10 + UInt64(b - 0x30), UInt64(UInt32.max))
    }
    return UInt32(v)
}

/// `sscanf("%d")`-like, clamped to Int32.
func parseInt(_ s: [UInt8]) -> Int64 {
    var v: Int64 = 0
    var neg = false
    var it = s.drop(while: { $0 == 0x20 })
    if it.first == 0x2d { neg = true; it = it.dropFirst() } else if it.first == 0x2b { it = it.dropFirst() }
    for b in it {
        guard b >= 0x30 && b <= 0x39 else { break }
        v = min(v * 10 + Int64(b - 0x30), Int64(Int32.max))
    }
    return neg ? -v : v
}
