#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Archive timestamps as pg_restore shows them: the header's broken-down local time goes
/// through mktime (retried with isdst unknown, as newer glibc rejects a mismatch) and comes
/// back through localtime and strftime("%Y-%m-%d %H:%M:%S %Z").
public enum ArchiveTime {
    public static func format(archiveTM tmFields: [Int32]?) -> String? {
        guard let t = creationTime(tmFields) else { return nil }
        return format(t)
    }

    public static func creationTime(_ f: [Int32]?) -> time_t? {
        guard let f, f.count == 7 else { return nil }
        var t = tm()
        t.tm_sec = f[0]; t.tm_min = f[1]; t.tm_hour = f[2]; t.tm_mday = f[3]
        t.tm_mon = f[4]; t.tm_year = f[5]; t.tm_isdst = f[6]
        var result = mktime(&t)
        if result == -1 {
            t = tm()
            t.tm_sec = f[0]; t.tm_min = f[1]; t.tm_hour = f[2]; t.tm_mday = f[3]
            t.tm_mon = f[4]; t.tm_year = f[5]; t.tm_isdst = -1
            result = mktime(&t)
            if result == -1 { return nil }
        }
        return result
    }

    public static func format(_ time: time_t) -> String? {
        var t = time
        var broken = tm()
        guard localtime_r(&t, &broken) != nil else { return nil }
        var buf = [CChar](repeating: 0, count: 64)
        let n = strftime(&buf, buf.count, "%Y-%m-%d %H:%M:%S %Z", &broken)
        if n == 0 { return nil }
        return String(cString: buf)
    }
}
