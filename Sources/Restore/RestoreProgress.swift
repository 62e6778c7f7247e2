import Archive
import Console
#if canImport(Glibc)
import Glibc
#endif

/// cbrestore's progress: the data entries a restore will load, each estimated by the size
/// its data has in the archive (custom format: the distance to the next data block;
/// directory: the data file's size; tar and pipes: unknown, counted by entries).
public enum RestoreProgress {
    /// The reporter for `plan`'s data entries (nil when progress is off).
    public static func reporter(_ plan: RestorePlan, mode: ProgressMode) -> ProgressReporter? {
        guard mode != .off else { return nil }
        let sizes = storedSizes(plan.archive)
        var items: [Int: ProgressReporter.Item] = [:]
        for te in plan.order where te.hadDumper && plan.reqs(of: te).contains(.data) {
            var name = te.namespace.map { String(decoding: $0, as: UTF8.self) + "." } ?? ""
            name += String(decoding: te.tag, as: UTF8.self)
            items[Int(te.dumpId)] = .init(name: te.desc == "TABLE DATA" ? name : "\(te.desc) \(name)",
                                          bytes: te.desc == "TABLE DATA" ? sizes[te.dumpId] ?? 0 : 0, rows: -1)
        }
        // Compressed blocks hold roughly a third of their data's bytes, until one has been
        // seen whole.
        let compressed = plan.archive.header.compression != .none
        return ProgressReporter(mode: mode, tool: "cbrestore", items: items, initialRatio: compressed ? 0.3 : 1)
    }

    /// Each data entry's stored size, where the archive tells it.
    static func storedSizes(_ archive: ArchiveReader) -> [Int32: Int64] {
        var sizes: [Int32: Int64] = [:]
        switch archive.format {
        case .custom:
            var st = stat()
            guard archive.file != "-", stat(archive.file, &st) == 0 else { return [:] }
            let placed = archive.entries.filter { $0.dataState == .posSet }.sorted { $0.dataPos < $1.dataPos }
            for (i, te) in placed.enumerated() {
                let end = i + 1 < placed.count ? placed[i + 1].dataPos : Int64(st.st_size)
                sizes[te.dumpId] = max(0, end - te.dataPos)
            }
        case .directory:
            for te in archive.entries {
                guard let f = te.filename,
                      let (path, _) = DirectoryArchiveReader.discover(directory: archive.file, name: String(decoding: f, as: UTF8.self))
                else { continue }
                var st = stat()
                if stat(path, &st) == 0 { sizes[te.dumpId] = Int64(st.st_size) }
            }
        default:
            break
        }
        return sizes
    }
}
