import Console

/// -W, -w or neither (pg_dump's prompt_password: TRI_YES, TRI_NO, TRI_DEFAULT): ask for the
/// password before connecting, never, or when the server wants one that libpq could not
/// find (PGPASSWORD, .pgpass, the connection string).
public enum PasswordPrompt: Sendable { case ifNeeded, never, always }

extension Connection {
    /// ConnectDatabase (pg_dump, pg_restore) and connectDatabase (pg_dumpall): with
    /// `.always` the password is asked for first, unless one is known; otherwise, unless
    /// `.never`, it is asked for when a connection without one fails for want of one, and the
    /// connection is tried again, once. `password` is the one known, and afterwards the one
    /// tried last (a typed one is kept even when the server did not use it).
    public static func connectDatabase(dbname: String?, host: String?, port: String?, user: String?,
                                       database: String? = nil, applicationName: String,
                                       prompt: PasswordPrompt, password: inout String?,
                                       askPassword: () -> String? = { promptPassword() }) throws -> Connection {
        if prompt == .always && password == nil { password = askPassword() }
        while true {
            do {
                return try Connection(dbname: dbname, host: host, port: port, user: user, password: password,
                                      database: database, applicationName: applicationName)
            } catch let e as PostgresError where e.connectionNeedsPassword && password == nil && prompt != .never {
                guard let typed = askPassword() else { throw e }
                password = typed
            }
        }
    }
}
