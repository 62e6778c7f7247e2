import Console
import Foundation
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

// The whole cluster as one SQL script, as pg_dumpall writes it without -g/-r/-t: the globals
// script, then each database as pg_dump -Fp prints it (with --create, or a \connect line for
// template1 and postgres), then the trailer. As pg_dumpall runs pg_dump, cbdumpall runs the
// cbdump beside it for each database, with its standard output on the same file: the
// per-database text is cbdump's plain format, already identical to pg_dump's.

extension ClusterDump {
    /// Writes the whole-cluster script to `fd`. `dumpArguments` are the options passed on to
    /// every cbdump run (pg_dumpall's pgdumpopts); `cbdump` is its path.
    public func writeClusterScript(to fd: Int32, cbdump: String, dumpArguments: [String]) throws {
        let databases = try databasesToDump()
        // The password that worked for our own connection goes to each cbdump in its
        // environment, never on its command line (where -v would print it and ps show it);
        // then -W need not make each of them ask again.
        let password = savedPassword ?? conn.usedPassword
        let passOn = password == nil ? dumpArguments : dumpArguments.filter { $0 != "-W" }
        try write(fd, latin1Bytes(try globalsScript(dropDatabases: true)))
        if !databases.isEmpty { try write(fd, Array("--\n-- Databases\n--\n\n".utf8)) }
        for name in databases {
            info("dumping database \"\(name)\"")
            var header = Array("--\n-- Database \"\(name)\" dump\n--\n\n".utf8)
            // template1 and postgres exist in any target: with -c they are dropped and made
            // again by the dump itself; otherwise their contents go into the existing ones.
            var createOptions = ["--create"]
            if name == "template1" || name == "postgres" {
                if options.clean {
                    createOptions = ["--clean", "--create"]
                } else {
                    createOptions = []
                    header += Array("\\connect \(name)\n\n".utf8)
                }
            }
            try write(fd, header)
            let args = passOn + ["--restrict-key=\(restrictKey)"] + createOptions + ["-Fp", connectionString(for: name)]
            info("running \"\(cbdump)\" \(args.joined(separator: " "))")
            let status = try Self.runChild(cbdump, args, stdout: fd, environment: password.map { ["PGPASSWORD": $0] } ?? [:])
            guard status == 0 else { throw DumpAllError("cbdump failed on database \"\(name)\", exiting") }
        }
        conn.close()
        try write(fd, Array(scriptTrailer().utf8))
    }

    /// The connection string a cbdump run gets: -d's settings but its database name (as
    /// pg_dumpall's connstr), then the database, quoted as libpq reads it. Without the
    /// password, as pg_dumpall's constructConnStr: it is printed by -v and visible in ps.
    func connectionString(for database: String) -> String {
        var parts: [String] = []
        if let s = connection.connString, !s.isEmpty {
            parts += ConnectionString.settings(s).filter { $0.key != "dbname" && $0.key != "password" }.map {
                $0.key + "=" + String(decoding: SQLQuoter.connStringValue(Array($0.value.utf8)), as: UTF8.self)
            }
        }
        parts.append("dbname=" + String(decoding: SQLQuoter.connStringValue(Array(database.utf8)), as: UTF8.self))
        return parts.joined(separator: " ")
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        let err = bytes.withUnsafeBytes { writeFully(fd, $0) }
        if err != 0 { throw DumpAllError("could not write to output file: \(String(cString: strerror(err)))") }
    }

    /// Runs `path args` with standard output on `stdout` (standard input and error are ours)
    /// and returns its exit status; a signal's death is reported as 128 + the signal.
    /// `environment` is set on top of ours.
    static func runChild(_ path: String, _ args: [String], stdout: Int32, environment: [String: String] = [:]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdout != 1 { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envp: [UnsafeMutablePointer<CChar>?] = []
        var p = environ
        while let entry = p.pointee {
            let name = String(cString: entry).prefix { $0 != "=" }
            if environment[String(name)] == nil { envp.append(strdup(entry)) }
            p += 1
        }
        envp += environment.map { strdup($0.key + "=" + $0.value) }
        envp.append(nil)
        defer { envp.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw DumpAllError("could not run \"\(path)\": \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { throw DumpAllError("could not wait for \"\(path)\": \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }

    /// The cbdump beside this program (pg_dumpall's find_other_exec), or an error saying so.
    public static func siblingCBDump() throws -> String {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        let me = n > 0 ? String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let path = (me as NSString).deletingLastPathComponent + "/cbdump"
        guard access(path, X_OK) == 0 else {
            throw DumpAllError("program \"cbdump\" is needed by cbdumpall but was not found in the same directory as \"\(me)\"",
                               detail: "Check your installation.")
        }
        return path
    }
}
