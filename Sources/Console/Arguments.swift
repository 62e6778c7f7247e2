import Foundation

/// getopt_long's reading of a command line, as pg_dump, pg_restore and pg_dumpall read
/// theirs, turned into words swift-argument-parser takes unambiguously:
/// - clustered short options, a valued one last ("-vFp", "-vf out.sql", "-cCfout");
/// - a long option's unique prefix ("--schema-o" for --schema-only; an exact name wins);
/// - `-V` and `-?` for --version and --help;
/// - an option with an optional value (`optionalValues`: --progress, with the values it
///   knows, the first its default) takes the next word as its value when that word is one
///   of them (`--progress json`), and its default when given alone.
/// A valued option comes out as "--long=value" (its value whole, whatever it starts with),
/// or "--long" and "" for an empty one; anything unknown or ambiguous is left as it was, for
/// the parser's own error. Everything after "--" is left alone.
public struct Getopt: Sendable {
    public struct Option: Sendable {
        public let shorts: [Character]
        public let longs: [String]
        public let takesValue: Bool
    }

    public let options: [Option]
    /// Options whose value is optional, with the values they know (the first: the default).
    public let optionalValues: [String: [String]]

    public init(options: [Option], optionalValues: [String: [String]] = [:]) {
        self.options = options
        self.optionalValues = optionalValues
    }

    /// From swift-argument-parser's JSON description of a command (`_dumpHelp()`).
    public init(dumpHelp json: String, optionalValues: [String: [String]] = [:]) {
        var opts: [Option] = []
        if let data = json.data(using: .utf8),
           let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let command = root["command"] as? [String: Any],
           let arguments = command["arguments"] as? [[String: Any]] {
            for a in arguments {
                guard let kind = a["kind"] as? String, kind != "positional", let names = a["names"] as? [[String: Any]] else { continue }
                var shorts: [Character] = [], longs: [String] = []
                for n in names {
                    guard let name = n["name"] as? String else { continue }
                    if n["kind"] as? String == "short", let c = name.first { shorts.append(c) } else { longs.append(name) }
                }
                opts.append(Option(shorts: shorts, longs: longs, takesValue: kind == "option"))
            }
        }
        self.init(options: opts, optionalValues: optionalValues)
    }

    func option(short c: Character) -> Option? { options.first { $0.shorts.contains(c) } }

    /// A long option's prefix that more than one option starts with (getopt_long's words).
    public struct Ambiguous: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The option a long name stands for: the exact name, or the one option whose names
    /// start with it; nil when none does.
    func option(long name: String) throws -> (Option, String)? {
        if let o = options.first(where: { $0.longs.contains(name) }) { return (o, name) }
        var found: [(Option, String)] = []
        for o in options {
            if let l = o.longs.first(where: { $0.hasPrefix(name) }) { found.append((o, l)) }
        }
        if found.count > 1 {
            throw Ambiguous(description: "option '--\(name)' is ambiguous; possibilities:" + found.map { " '--\($0.1)'" }.joined())
        }
        return found.first.map { ($0.0, $0.0.longs.first ?? $0.1) }
    }

    func valued(_ o: Option, _ value: String, as given: String) -> [String] {
        guard let long = o.longs.first else { return [given, value] }
        return value.isEmpty ? ["--" + long, ""] : ["--" + long + "=" + value]
    }

    public func normalize(_ args: [String]) throws -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--" { out.append(contentsOf: args[(i - 1)...]); break }
            if a == "-V" { out.append("--version"); continue }
            if a == "-?" { out.append("--help"); continue }
            if a.hasPrefix("--") && a.count > 2 {
                let body = a.dropFirst(2)
                let name = body.firstIndex(of: "=").map { String(body[..<$0]) } ?? String(body)
                let attached = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                guard let (o, long) = try option(long: name) else { out.append(a); continue }
                if let known = optionalValues[long] {
                    if let attached { out.append("--\(long)=\(attached)") }
                    else if i < args.count, known.contains(args[i]) { out.append("--\(long)=\(args[i])"); i += 1 }
                    else { out.append("--\(long)=\(known.first ?? "")") }
                } else if o.takesValue {
                    if let attached { out.append(contentsOf: valued(o, attached, as: "--" + long)) }
                    else if i < args.count { out.append(contentsOf: valued(o, args[i], as: "--" + long)); i += 1 }
                    else { out.append("--" + long) }
                } else {
                    out.append(attached == nil ? "--" + long : a)
                }
                continue
            }
            guard a.count > 1, a.hasPrefix("-"), a != "-" else { out.append(a); continue }
            // A cluster of short options: flags, then at most one valued option taking the
            // rest of the word or the next word.
            var chars = Array(a.dropFirst())
            var words: [String] = []
            var understood = true
            while let c = chars.first {
                chars.removeFirst()
                guard let o = option(short: c) else { understood = false; break }
                if o.takesValue {
                    if !chars.isEmpty { words += valued(o, String(chars), as: "-\(c)") }
                    else if i < args.count { words += valued(o, args[i], as: "-\(c)"); i += 1 }
                    else { words.append("-\(c)") }
                    chars = []
                } else {
                    words.append(o.longs.first.map { "--" + $0 } ?? "-\(c)")
                }
            }
            out.append(contentsOf: understood ? words : [a])
        }
        return out
    }
}
