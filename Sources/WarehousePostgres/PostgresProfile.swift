import Foundation
import Warehouse

/// The `postgres` target of `profiles.yml`, with dbt-postgres's keys and defaults
/// (docs.getdbt.com/docs/core/connect-data-platform/postgres-setup, `PostgresCredentials` in
/// dbt-postgres `connections.py`).
///
/// ```yaml
/// pg:
///   type: postgres
///   host: 127.0.0.1
///   port: 5432
///   user: analytics
///   password: "{{ env_var('PGPASSWORD') }}"
///   dbname: analytics
///   schema: dev
///   threads: 4
///   dialect: bigquery   # optional: the models are BigQuery SQL (translated before they run)
/// ```
///
/// The password is rendered by the profile loader (`env_var`) before it reaches here and is never
/// printed: ``description`` redacts it.
public struct PostgresProfile: Sendable, CustomStringConvertible {
    public var host: String
    /// TCP port; 5432 by default.
    public var port: Int
    public var user: String
    /// Revealed only to libpq when connecting.
    public var password: String?
    /// The database (`dbname`, or its alias `database`).
    public var dbname: String
    /// The target's default schema.
    public var schema: String
    /// `--threads` default; 1 when absent.
    public var threads: Int
    /// Seconds libpq waits for the server when connecting; 10 by default (as dbt-postgres).
    public var connectTimeout: Int
    /// libpq `sslmode` (`disable`, `prefer`, `require`, …); libpq's default when absent.
    public var sslmode: String?
    /// Sent as `-c search_path=…` when given (dbt-postgres does the same).
    public var searchPath: String?
    /// TCP keepalive idle seconds; 0 (dbt's default) leaves the system setting.
    public var keepalivesIdle: Int
    /// How many times opening a connection is retried after a connection error; 1 by default.
    public var retries: Int
    /// `role` to `set role` to after connecting, when given.
    public var role: String?
    /// Reported to the server as `application_name`.
    public var applicationName: String
    /// The SQL the models are written in: `postgres` (the default) or `bigquery` (translated to
    /// PostgreSQL before it runs; see ``PostgresAdapter/translatesBigQuery``). Such connections
    /// run with `TimeZone=UTC`, BigQuery's zone for TIMESTAMP arithmetic and printing.
    public var dialect: String

    /// Reads the target's settings (every value as text, as the runner hands them over).
    /// - Throws: ``WarehouseError`` (`connection`) naming the missing or malformed key.
    public init(settings: [String: String]) throws {
        func required(_ key: String, alias: String? = nil) throws -> String {
            if let value = settings[key] ?? alias.flatMap({ settings[$0] }), !value.isEmpty { return value }
            throw WarehouseError(.connection, "the postgres target needs '\(key)' in profiles.yml")
        }
        func integer(_ key: String, default value: Int) throws -> Int {
            guard let text = settings[key], !text.isEmpty else { return value }
            guard let number = Int(text) else {
                throw WarehouseError(.connection, "the postgres target's '\(key)' must be an integer, not '\(text)'")
            }
            return number
        }
        host = try required("host")
        port = try integer("port", default: 5432)
        user = try required("user")
        password = settings["password"] ?? settings["pass"]
        dbname = try required("dbname", alias: "database")
        schema = try required("schema")
        threads = try integer("threads", default: 1)
        connectTimeout = try integer("connect_timeout", default: 10)
        sslmode = settings["sslmode"].flatMap { $0.isEmpty || $0 == "None" ? nil : $0 }
        searchPath = settings["search_path"].flatMap { $0.isEmpty || $0 == "None" ? nil : $0 }
        keepalivesIdle = try integer("keepalives_idle", default: 0)
        retries = max(0, try integer("retries", default: 1))
        role = settings["role"].flatMap { $0.isEmpty || $0 == "None" ? nil : $0 }
        applicationName = settings["application_name"] ?? "opsflow"
        switch (settings["dialect"] ?? "").lowercased() {
        case "", "postgres", "postgresql", "none": dialect = "postgres"
        case "bigquery": dialect = "bigquery"
        case let other:
            throw WarehouseError(.connection, "the postgres target's 'dialect' must be postgres or bigquery, not '\(other)'")
        }
    }

    /// libpq connection keywords and values (`PQconnectdbParams`), password included.
    var connectionParameters: [(String, String)] {
        var parameters: [(String, String)] = [
            ("host", host), ("port", String(port)), ("user", user), ("dbname", dbname),
            ("connect_timeout", String(connectTimeout)), ("application_name", applicationName),
        ]
        if let password, !password.isEmpty { parameters.append(("password", password)) }
        if let sslmode { parameters.append(("sslmode", sslmode)) }
        if keepalivesIdle > 0 { parameters.append(("keepalives_idle", String(keepalivesIdle))) }
        var options: [String] = []
        if let searchPath {
            // libpq `options`: spaces separate options, so escape the ones in the value.
            let escaped = searchPath.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: " ", with: "\\ ")
            options.append("-c search_path=\(escaped)")
        }
        // BigQuery SQL assumes UTC (TIMESTAMP literals, DATE(ts), EXTRACT); set at connect time,
        // so every pooled connection has it without a round trip.
        if dialect == "bigquery" { options.append("-c TimeZone=UTC") }
        if !options.isEmpty { parameters.append(("options", options.joined(separator: " "))) }
        return parameters
    }

    /// `postgres://user@host:port/dbname` — never the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(dbname)" }
}
