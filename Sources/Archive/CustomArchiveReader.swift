/// The custom format (-Fc): header, TOC, then data blocks (docs/archive-format.md).
public final class CustomArchiveReader: ArchiveReader {
    public let file: String
    public let format = ArchiveFormat.custom
    public let header: ArchiveHeader
    public let entries: [TocEntry]
    private let input: ByteInput
    private let parser: TocParser
    private var byId: [Int32: TocEntry] = [:]
    /// Where the next forward scan starts (seekable input): after the last skipped block.
    private var lastFilePos: Int64

    private static let blkData: UInt8 = 1
    private static let blkBlobs: UInt8 = 3

    /// Reads the header and TOC from `input`, positioned at the magic string.
    public init(input: ByteInput) throws {
        self.input = input
        self.file = input.name
        var p = TocParser(input)
        _ = try input.readBytes(5)
        header = try withContext("in the file header") { try p.readHeader(expectedFormat: 1) }
        parser = p
        entries = try parser.readToc(customExtra: true)
        for e in entries { byId[e.dumpId] = e }
        lastFilePos = input.position
    }

    public func verboseExtraLine(_ te: TocEntry) -> String? { "-- Data Pos: \(te.dataPos)" }

    public func readData(_ te: TocEntry, into receiver: DataReceiver, isDataRequired: (Int32) -> Bool) throws {
        if te.dataState == .noData { return }
        let context = "in data block for \(te.label)"
        var blockType: UInt8?
        var blockStart: Int64 = 0
        if !input.isSeekable || te.dataState == .posNotSet {
            if input.isSeekable { try input.seek(to: lastFilePos) }
            while true {
                blockStart = input.position
                let (type, id) = try withContext("while searching for the data of \(te.label)") { try readBlockHeader() }
                guard let type else { blockType = nil; break }
                if id == te.dumpId { blockType = type; break }
                if input.isSeekable, let other = byId[id], other.dataState == .posNotSet {
                    other.dataPos = blockStart
                    other.dataState = .posSet
                }
                try withContext("while skipping the data block of dumpId \(id), searching for \(te.label)") {
                    try skipBlock(type: type, id: id)
                }
                if input.isSeekable { lastFilePos = input.position }
            }
        } else {
            if let size = input.fileSize, te.dataPos >= size {
                throw ArchiveError(.truncated, file: file, "data offset \(te.dataPos) is past the end of the file (\(size) bytes)", context: context)
            }
            try input.seek(to: te.dataPos)
            blockStart = te.dataPos
            let (type, id) = try withContext(context) { try readBlockHeader() }
            guard let type else {
                throw ArchiveError(.truncated, file: file, "truncated", offset: blockStart, context: context)
            }
            if id != te.dumpId {
                throw ArchiveError(.corrupt, file: file, "found unexpected block ID (\(id)) when reading data -- expected \(te.dumpId)", offset: blockStart, context: context)
            }
            blockType = type
        }
        guard let blockType else {
            let why = input.isSeekable
                ? "could not find block ID \(te.dumpId) in archive -- possibly corrupt archive"
                : "could not find block ID \(te.dumpId) in archive -- possibly due to out-of-order restore request, which cannot be handled due to non-seekable input file"
            throw ArchiveError(input.isSeekable ? .corrupt : .outOfOrder, file: file, why, context: context)
        }
        try withContext(context) {
            switch blockType {
            case Self.blkData:
                try decodeChunks(receiver.data)
            case Self.blkBlobs:
                try receiver.beginLargeObjects()
                while true {
                    let oid = UInt32(bitPattern: try parser.readInt())
                    if oid == 0 { break }
                    try receiver.beginLargeObject(oid)
                    try withContext("in large object \(oid)") { try decodeChunks(receiver.data) }
                    try receiver.endLargeObject(oid)
                }
                try receiver.endLargeObjects()
            default:
                throw ArchiveError(.corrupt, file: file, "unrecognized data block type \(blockType) while restoring archive", offset: blockStart)
            }
        }
    }

    /// (type, dumpId), or (nil, 0) at end of file.
    private func readBlockHeader() throws -> (UInt8?, Int32) {
        let type: UInt8
        if header.version < .v1_3 {
            if try input.atEOF() { return (nil, 0) }
            type = Self.blkData
        } else {
            guard let b = try input.readByteOrEOF() else { return (nil, 0) }
            type = b
        }
        return (type, try parser.readInt())
    }

    private func skipBlock(type: UInt8, id: Int32) throws {
        switch type {
        case Self.blkData:
            try skipChunks()
        case Self.blkBlobs:
            while try parser.readInt() != 0 { try skipChunks() }
        default:
            throw ArchiveError(.corrupt, file: file, "unrecognized data block type (\(type)) while searching archive", offset: input.position - Int64(1 + header.intSize + 1))
        }
    }

    private func readChunkLength() throws -> Int32 {
        let at = input.position
        let n = try parser.readInt()
        if n < 0 { throw ArchiveError(.corrupt, file: file, "negative data chunk length \(n)", offset: at) }
        if let size = input.fileSize, Int64(n) > size - input.position {
            throw ArchiveError(.truncated, file: file, "truncated (a chunk of \(n) bytes runs past the end of the file)", offset: at)
        }
        return n
    }

    private func skipChunks() throws {
        while true {
            let n = try readChunkLength()
            if n == 0 { return }
            try input.skip(Int64(n))
        }
    }

    private func decodeChunks(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let decoder = makeDecoder(header.compression)
        while true {
            let n = try readChunkLength()
            if n == 0 { break }
            let at = input.position
            do {
                try input.stream(Int64(n)) { try decoder.feed($0, emit) }
            } catch let e as DecodeError {
                throw decodeError(e, file: file, offset: at)
            }
        }
        do { try decoder.finish(emit) } catch let e as DecodeError { throw decodeError(e, file: file, offset: input.position) }
    }
}
