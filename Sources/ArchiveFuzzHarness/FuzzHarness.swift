import Archive
import Restore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the archive fuzz target (Sources/archive-fuzz, scripts/fuzz-archive.sh) does with
/// one input, shared with the regression test that replays Fixtures/fuzz-regressions: the
/// bytes are an archive (custom or tar, told apart by ArchiveOpener as pg_restore does).
/// Every error thrown is an acceptable outcome; a trap, crash, hang or huge allocation is
/// a finding.
public enum FuzzHarness {
    final class Discard: DataReceiver {
        var bytes = 0
        func data(_ b: UnsafeRawBufferPointer) throws { bytes += b.count }
        func beginLargeObjects() throws {}
        func endLargeObjects() throws {}
        func beginLargeObject(_ oid: UInt32) throws {}
        func endLargeObject(_ oid: UInt32) throws {}
    }

    /// How far one input got, for the tests.
    public struct Outcome: Sendable {
        /// Errors thrown, one per stage that failed (open from a file, read data, render, the stream path).
        public var errors: [String] = []
        public var dataBytes = 0
        public var verifiedEntries = 0
    }

    static let devNull: Int32 = open("/dev/null", O_WRONLY | O_CLOEXEC)

    /// Runs `bytes` through every reader path: open from a (seekable) file, read every data
    /// block through its codec, render the SQL script to /dev/null as cbrestore -f does,
    /// verify every entry as cbrestore --verify does, and for a custom archive read it
    /// again from memory (the non-seekable path). `scratchPath` is overwritten.
    @discardableResult
    public static func run(_ bytes: [UInt8], scratchPath: String) -> Outcome {
        let outcome = runOnce(bytes, scratchPath: scratchPath)
        // A mutated tar header almost never keeps its checksum, so the fuzzer would only
        // ever reach "corrupt tar header": also try the input with every checksum made right.
        if let fixed = withTarChecksumsFixed(bytes), fixed != bytes {
            var both = outcome
            both.errors += runOnce(fixed, scratchPath: scratchPath).errors.map { "checksums fixed: " + $0 }
            return both
        }
        return outcome
    }

    /// `bytes` with the checksum of every ustar header it can walk to recomputed; nil when
    /// it does not look like a tar archive.
    public static func withTarChecksumsFixed(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 512, Array(bytes[257..<262]) == Array("ustar".utf8) else { return nil }
        var out = bytes
        var at = 0
        while at + 512 <= out.count {
            let block = out[at..<(at + 512)]
            if block.allSatisfy({ $0 == 0 }) { at += 512; continue }
            guard Array(out[(at + 257)..<(at + 262)]) == Array("ustar".utf8) else { break }
            for i in (at + 148)..<(at + 156) { out[i] = 0x20 }
            let sum = out[at..<(at + 512)].reduce(0) { $0 + Int($1) }
            let digits = Array(String(sum, radix: 8).utf8)
            let field = [UInt8](repeating: 0x30, count: max(0, 6 - digits.count)) + digits.suffix(6) + [0, 0x20]
            out.replaceSubrange((at + 148)..<(at + 156), with: field)
            // Octal size only; anything else ends the walk.
            var size = 0
            for b in out[(at + 124)..<(at + 136)] {
                if b >= 0x30 && b <= 0x37 { size = size * 8 + Int(b - 0x30) } else if b == 0x20 && size == 0 { continue } else { break }
            }
            at += 512 + (size + 511) / 512 * 512
        }
        return out
    }

    static func runOnce(_ bytes: [UInt8], scratchPath: String) -> Outcome {
        var outcome = Outcome()
        guard writeFile(scratchPath, bytes) else {
            outcome.errors.append("could not write \(scratchPath)")
            return outcome
        }
        // 1. Header, TOC and every data block, from the file.
        do {
            let reader = try ArchiveOpener.open(path: scratchPath)
            let sink = Discard()
            for te in reader.entries { try reader.readData(te, into: sink, isDataRequired: { _ in false }) }
            outcome.dataBytes = sink.bytes
        } catch {
            outcome.errors.append("read: \(error)")
        }
        // 2. The listing (cbrestore -l) and the script, as cbrestore -f renders it; the
        //    options vary with the input's length, so every input always gets the same.
        do {
            let reader = try ArchiveOpener.open(path: scratchPath)
            let options = options(variant: bytes.count % 4)
            let plan = try RestorePlan(archive: reader, options: options)
            let out = ScriptOutput(fileDescriptor: devNull, path: "/dev/null")
            try TocListing.write(plan, to: out)
            let renderer = ScriptRenderer(plan: plan, output: out)
            try renderer.render()
            try out.flush()
        } catch {
            outcome.errors.append("render: \(error)")
        }
        // 3. The verifier (never throws once open: it reports problems per entry).
        do {
            let reader = try ArchiveOpener.open(path: scratchPath)
            outcome.verifiedEntries = ArchiveVerifier(reader: reader).run().count
        } catch {
            outcome.errors.append("verify: \(error)")
        }
        // 4. The stream path: a custom archive read from memory, forward only.
        if bytes.starts(with: Array("PGDMP".utf8)) {
            do {
                let reader = try CustomArchiveReader(input: ByteInput(bytes: bytes, name: "fuzz-input"))
                let sink = Discard()
                for te in reader.entries { try reader.readData(te, into: sink, isDataRequired: { _ in false }) }
            } catch {
                outcome.errors.append("stream: \(error)")
            }
        }
        return outcome
    }

    /// 0: the defaults; 1: -v --clean --if-exists; 2: -C -1 --no-owner, the pg_restore 17
    /// script; 3: --no-gp-syntax -x --quote-all-identifiers, the pg_restore 18 script.
    static func options(variant: Int) -> RestoreOptions {
        var o = RestoreOptions()
        o.restrictKey = "FUZZKEY"
        switch variant {
        case 1: o.verbose = true; o.dropSchema = true; o.ifExists = true
        case 2: o.createDB = true; o.singleTransaction = true; o.noOwner = true; o.compatMajor = 17
        case 3: o.noGpSyntax = true; o.aclsSkip = true; o.quoteAllIdentifiers = true; o.compatMajor = 18
        default: break
        }
        return o
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { return false }
        defer { close(fd) }
        return bytes.withUnsafeBytes { b -> Bool in
            var done = 0
            while done < b.count {
                let n = write(fd, b.baseAddress! + done, b.count - done)
                if n < 0 { if errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
    }
}
