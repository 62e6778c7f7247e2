/// Everything that can go wrong while reading an archive, with the context a user needs:
/// which file, at which byte, in which TOC entry or data block.
public struct ArchiveError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        case notAnArchive, plainTextDump, unsupportedVersion, truncated, corrupt
        case io, missingFile, outOfOrder, unsupported
    }

    public var kind: Kind
    public var file: String
    public var message: String
    public var offset: Int64?
    public var context: String?

    public init(_ kind: Kind, file: String, _ message: String, offset: Int64? = nil, context: String? = nil) {
        self.kind = kind
        self.file = file
        self.message = message
        self.offset = offset
        self.context = context
    }

    /// One line: `could not read archive "x.dump": truncated at byte 123 in data block for ...`.
    public var description: String {
        var s = "could not read archive \"\(file)\": \(message)"
        if let offset { s += " at byte \(offset)" }
        if let context { s += " \(context)" }
        return s
    }

    /// The same error with an enclosing context added after the more precise one.
    func within(_ ctx: @autoclosure () -> String) -> ArchiveError {
        var e = self
        e.context = e.context.map { $0 + " " + ctx() } ?? ctx()
        return e
    }
}

/// Runs `body`, attaching `context` to any ArchiveError it throws.
@inline(__always)
func withContext<T>(_ context: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ArchiveError { throw e.within(context()) }
}
