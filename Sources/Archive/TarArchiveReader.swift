/// ustar header fields as pg_dump writes and pg_restore checks them (docs/archive-format.md, "Tar format").
enum TarHeader {
    static func checksum(_ h: [UInt8]) -> Int {
        var sum = 8 * 0x20
        for i in 0..<512 where i < 148 || i >= 156 { sum += Int(h[i]) }
        return sum
    }

    /// Octal (NUL/space terminated) or GNU base-256 when the first byte has its high bit set;
    /// -1 for a base-256 value that is negative or does not fit in an Int64.
    static func number(_ h: [UInt8], _ offset: Int, _ len: Int) -> Int64 {
        if h[offset] & 0x80 != 0 {
            if h[offset] & 0x40 != 0 { return -1 }  // negative (two's complement)
            var v: Int64 = Int64(h[offset] & 0x3f)
            for i in (offset + 1)..<(offset + len) {
                if v > Int64.max >> 8 { return -1 }
                v = (v << 8) | Int64(h[i])
            }
            return v
        }
        var v: Int64 = 0
        for i in offset..<(offset + len) {
            let b = h[i]
            if b >= 0x30 && b <= 0x37 { v = v * 8 + Int64(b - 0x30) } else if b == 0x20 && v == 0 { continue } else { break }
        }
        return v
    }

    static func isValid(_ h: [UInt8]) -> Bool {
        guard h.count >= 512, checksum(h) == Int(number(h, 148, 8)) else { return false }
        let magic = Array(h[257..<265])
        if Array(magic[0..<6]) == Array("ustar\0".utf8) && Array(magic[6..<8]) == Array("00".utf8) { return true }
        if magic == Array("ustar  \0".utf8) || magic == Array("ustar00\0".utf8) { return true }
        return false
    }
}

/// The tar format (-Ft). pg_restore reads it strictly forward, even from a seekable file,
/// so this reader does the same: the results (and the out-of-order failures) match.
public final class TarArchiveReader: ArchiveReader {
    public let file: String
    public let format = ArchiveFormat.tar
    public private(set) var header: ArchiveHeader
    public private(set) var entries: [TocEntry] = []
    private let input: ByteInput
    /// Position where the current member's content ends (padding included).
    private var nextMember: Int64 = 0

    struct Member { let name: String; let size: Int64; let headerAt: Int64 }

    init(input: ByteInput) throws {
        self.input = input
        self.file = input.name
        header = ArchiveHeader(version: .v1_0, intSize: 4, offSize: 8, formatCode: 3, compressionLevel: 0,
                               compression: .none, createdTM: nil, dbname: nil, serverVersion: nil, dumpVersion: nil)
        guard let toc = try position(to: "toc.dat", isDataRequired: { _ in false }) else {
            throw ArchiveError(.corrupt, file: file, "could not find header for file \"toc.dat\" in tar archive")
        }
        let bytes = try readMember(toc)
        let tocInput = ByteInput(bytes: bytes, name: file)
        let magic = try tocInput.readBytes(5)
        guard magic == Array("PGDMP".utf8) else {
            throw ArchiveError(.corrupt, file: file, "did not find magic string in file header", offset: toc.headerAt + 512)
        }
        var p = TocParser(tocInput)
        do {
            header = try withContext("in the file header of toc.dat") { try p.readHeader(expectedFormat: 3) }
            entries = try p.readToc(customExtra: false)
        } catch var e as ArchiveError {
            // Offsets inside toc.dat become file offsets.
            if let o = e.offset { e.offset = o + toc.headerAt + 512 }
            throw e
        }
    }

    public func verboseExtraLine(_ te: TocEntry) -> String? {
        te.filename.map { "-- File: " + String(decoding: $0, as: UTF8.self) }
    }

    public func readData(_ te: TocEntry, into receiver: DataReceiver, isDataRequired: (Int32) -> Bool) throws {
        guard let filename = te.filename else { return }
        let context = "in data member for \(te.label)"
        if te.desc == "BLOBS" {
            // pg_backup_tar.c's _LoadLOs: from 1.16 (one BLOBS entry per group, its tag the
            // OID range "first..last" or one OID) move forward to the group's first
            // blob_<oid>.dat; before, take the next member. Then restore every blob_ member up
            // to the first other member (the group's blobs[_N].toc).
            var pending: Member? = nil
            if header.version >= .v1_16 {
                let tag = te.tag
                let dots = tag.indices.first { $0 + 1 < tag.count && tag[$0] == 0x2e && tag[$0 + 1] == 0x2e }
                let name = "blob_\(parseOid(Array(tag[..<(dots ?? tag.count)]))).dat"
                guard let m = try withContext(context, { try position(to: name, isDataRequired: isDataRequired) }) else {
                    throw ArchiveError(.corrupt, file: file, "could not find header for file \"\(name)\" in tar archive", context: context)
                }
                pending = m
            }
            var found = false
            try receiver.beginLargeObjects()
            while let m = try pending ?? nextHeader() {
                pending = nil
                if m.name.hasPrefix("blob_") {
                    let oid = parseOid(Array(m.name.utf8.dropFirst(5)))
                    if oid != 0 {
                        try receiver.beginLargeObject(oid)
                        try withContext("in large object \(oid) of \(te.label)") { try streamMember(m, receiver.data) }
                        try receiver.endLargeObject(oid)
                        found = true
                    }
                } else if found {
                    break
                }
            }
            try receiver.endLargeObjects()
            return
        }
        let name = String(decoding: filename, as: UTF8.self)
        guard let m = try withContext(context, { try position(to: name, isDataRequired: isDataRequired) }) else {
            throw ArchiveError(.corrupt, file: file, "could not find header for file \"\(name)\" in tar archive", context: context)
        }
        try withContext(context) { try streamMember(m, receiver.data) }
    }

    /// Moves to the next member header; nil at the end of the archive.
    private func nextHeader() throws -> Member? {
        if input.position < nextMember { try input.skip(nextMember - input.position) }
        while true {
            let at = input.position
            let block = try input.peek(512)
            if block.isEmpty { return nil }
            if block.count < 512 {
                throw ArchiveError(.truncated, file: file, "incomplete tar header found (\(block.count) bytes)", offset: at)
            }
            _ = try input.readBytes(512)
            let sum = TarHeader.checksum(block)
            if sum != Int(TarHeader.number(block, 148, 8)) {
                if block.allSatisfy({ $0 == 0 }) { continue }
                throw ArchiveError(.corrupt, file: file, "corrupt tar header (expected checksum \(TarHeader.number(block, 148, 8)), computed \(sum))", offset: at)
            }
            let nameBytes = block[0..<100].prefix(while: { $0 != 0 })
            let size = TarHeader.number(block, 124, 12)
            // A size no file could have (or past the end of the file) cannot be skipped over,
            // and rounding it up to whole blocks must not overflow.
            let room = (input.fileSize.map { $0 - input.position }) ?? (Int64.max - input.position - 511)
            guard size >= 0, size <= room else {
                let name = String(decoding: nameBytes, as: UTF8.self)
                let why = size < 0 ? "has a size out of range" : "claims \(size) bytes, past the end of the file"
                throw ArchiveError(size < 0 ? .corrupt : .truncated, file: file, "tar member \"\(name)\" \(why)", offset: at + 124)
            }
            let padded = (size + 511) / 512 * 512
            nextMember = input.position + padded
            return Member(name: String(decoding: nameBytes, as: UTF8.self), size: size, headerAt: at)
        }
    }

    /// Scans forward to `name`, refusing to pass over data that is still required.
    private func position(to name: String, isDataRequired: (Int32) -> Bool) throws -> Member? {
        while let m = try nextHeader() {
            if m.name == name { return m }
            let id = Int32(parseInt(Array(m.name.utf8)))
            if id > 0 && isDataRequired(id) {
                throw ArchiveError(.outOfOrder, file: file,
                                   "restoring data out of order is not supported in this archive format: \"\(m.name)\" is required, but comes before \"\(name)\" in the archive file.")
            }
        }
        return nil
    }

    private func readMember(_ m: Member) throws -> [UInt8] {
        var out: [UInt8] = []
        try streamMember(m) { out.append(contentsOf: $0) }
        return out
    }

    private func streamMember(_ m: Member, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        do { try input.stream(m.size, emit) } catch let e as ArchiveError where e.kind == .truncated {
            throw ArchiveError(.truncated, file: file, "truncated in tar member \"\(m.name)\"", offset: input.position)
        }
    }
}
