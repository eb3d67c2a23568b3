import Foundation
import Warehouse

/// The `bigquery` target of `profiles.yml`, with dbt-bigquery's keys and defaults
/// (docs.getdbt.com/docs/core/connect-data-platform/bigquery-setup, `BigQueryCredentials` in
/// dbt-bigquery `credentials.py`), plus `api_endpoint` and `token_endpoint` so a team can point
/// the adapter at a local emulator.
///
/// ```yaml
/// prod:
///   type: bigquery
///   method: service-account
///   keyfile: /secrets/opsflow-sa.json
///   project: acme-analytics
///   dataset: analytics
///   location: EU
///   threads: 8
///   job_retries: 2
///   maximum_bytes_billed: 50000000000
/// ```
///
/// Keys and tokens are never printed: ``description`` shows the method and project only.
public struct BigQueryProfile: Sendable, CustomStringConvertible {
    /// How the adapter gets its access tokens.
    public enum Method: Sendable, Equatable {
        /// A service-account key file (`keyfile`): a JWT signed with RS256, exchanged for a token.
        case serviceAccount(keyfile: String)
        /// The same key inline (`keyfile_json`).
        case serviceAccountJSON
        /// Application-default credentials: `GOOGLE_APPLICATION_CREDENTIALS`, or gcloud's
        /// `application_default_credentials.json`.
        case oauth
        /// A user's `token`, or a `refresh_token` with `client_id` and `client_secret`.
        case oauthSecrets
    }

    public var method: Method
    /// The project relations live in (`project`, or its alias `database`).
    public var project: String
    /// The project jobs run and are billed in (`execution_project`); `project` by default.
    public var executionProject: String
    /// The target's default dataset (`dataset`, or its alias `schema`).
    public var dataset: String
    /// The location of new datasets and of jobs (`US`, `EU`, `europe-west3`…); BigQuery's default when nil.
    public var location: String?
    public var threads: Int
    /// `INTERACTIVE` (default) or `BATCH`.
    public var priority: String
    /// Seconds a query job may run before it is cancelled (`job_execution_timeout_seconds`,
    /// alias `timeout_seconds`); sent as `jobTimeoutMs` and enforced while polling. None by default.
    public var jobExecutionTimeoutSeconds: Double?
    /// Seconds one API request may take (`job_creation_timeout_seconds`); 60 by default.
    public var requestTimeoutSeconds: Double
    /// Extra attempts after a retryable error (dbt-bigquery's `job_retries`, default 1).
    public var jobRetries: Int
    /// No retry starts after this many seconds from the first attempt (`job_retry_deadline_seconds`).
    public var jobRetryDeadlineSeconds: Double?
    /// Sent on every query job as `maximumBytesBilled`: BigQuery fails a job that would bill more.
    public var maximumBytesBilled: Int64?
    /// The API root, `https://bigquery.googleapis.com` by default (no trailing slash).
    public var apiEndpoint: String
    /// Where tokens are obtained; the key's `token_uri`, else `https://oauth2.googleapis.com/token`.
    public var tokenEndpoint: String?
    /// The service account whose short-lived tokens the credentials obtain and use
    /// (IAM Credentials `generateAccessToken`), as dbt-bigquery's `impersonate_service_account`.
    public var impersonateServiceAccount: String?
    /// The IAM Credentials API root (`iam_endpoint`), `https://iamcredentials.googleapis.com` by default.
    public var iamEndpoint: String
    /// OAuth scopes requested (dbt-bigquery's defaults).
    public var scopes: [String]
    /// Secrets, revealed only to the token exchange.
    var keyfileJSON: String?
    var token: String?
    var refreshToken: String?
    var clientId: String?
    var clientSecret: String?
    var tokenURI: String?
    /// The first retry waits this long (seconds), doubling up to ``maximumRetryDelaySeconds``.
    public var initialRetryDelaySeconds: Double = 1
    public var maximumRetryDelaySeconds: Double = 32
    /// Rows asked for per `getQueryResults` page.
    public var pageSize: Int = 10_000

    public static let defaultScopes = [
        "https://www.googleapis.com/auth/bigquery",
        "https://www.googleapis.com/auth/cloud-platform",
        "https://www.googleapis.com/auth/drive",
    ]

    /// Reads the target's settings (every value as text, as the runner hands them over; a
    /// `keyfile_json` mapping arrives as Python's `repr` of the dict, or as JSON).
    /// - Throws: ``WarehouseError`` (`connection`) naming the missing, malformed or unsupported key.
    public init(settings: [String: String]) throws {
        func value(_ key: String) -> String? {
            guard let text = settings[key], !text.isEmpty, text != "None" else { return nil }
            return text
        }
        func number(_ key: String) throws -> Double? {
            guard let text = value(key) else { return nil }
            guard let number = Double(text), number >= 0 else {
                throw WarehouseError(.connection, "the bigquery target's '\(key)' must be a non-negative number, not '\(text.prefix(40))'")
            }
            return number
        }
        guard let project = value("project") ?? value("database") else {
            throw WarehouseError(.connection, "the bigquery target needs 'project' in profiles.yml")
        }
        guard let dataset = value("dataset") ?? value("schema") else {
            throw WarehouseError(.connection, "the bigquery target needs 'dataset' in profiles.yml")
        }
        self.project = project
        self.dataset = dataset
        executionProject = value("execution_project") ?? project
        location = value("location")
        threads = try number("threads").map { max(1, Int($0)) } ?? 1
        let priority = (value("priority") ?? "interactive").uppercased()
        guard priority == "INTERACTIVE" || priority == "BATCH" else {
            throw WarehouseError(.connection, "the bigquery target's 'priority' must be interactive or batch, not '\(priority.lowercased())'")
        }
        self.priority = priority
        jobExecutionTimeoutSeconds = try number("job_execution_timeout_seconds") ?? number("timeout_seconds")
        requestTimeoutSeconds = try number("job_creation_timeout_seconds") ?? 60
        jobRetries = try number("job_retries").map { Int($0) } ?? 1
        jobRetryDeadlineSeconds = try number("job_retry_deadline_seconds")
        if let text = value("maximum_bytes_billed") {
            guard let bytes = Int64(text), bytes > 0 else {
                throw WarehouseError(.connection, "the bigquery target's 'maximum_bytes_billed' must be a positive integer, not '\(text.prefix(40))'")
            }
            maximumBytesBilled = bytes
        }
        var endpoint = value("api_endpoint") ?? "https://bigquery.googleapis.com"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        apiEndpoint = endpoint
        tokenEndpoint = value("token_endpoint")
        if let text = value("scopes") {
            scopes = PythonLiteral.stringList(text) ?? [text]
        } else {
            scopes = Self.defaultScopes
        }
        impersonateServiceAccount = value("impersonate_service_account")
        var iam = value("iam_endpoint") ?? "https://iamcredentials.googleapis.com"
        while iam.hasSuffix("/") { iam.removeLast() }
        iamEndpoint = iam
        token = value("token")
        refreshToken = value("refresh_token")
        clientId = value("client_id")
        clientSecret = value("client_secret")
        tokenURI = value("token_uri")
        switch value("method") ?? "oauth" {
        case "service-account":
            guard let keyfile = value("keyfile") else {
                throw WarehouseError(.connection, "method service-account needs 'keyfile' (the path of the service-account key JSON)")
            }
            method = .serviceAccount(keyfile: keyfile)
        case "service-account-json":
            guard let text = value("keyfile_json") else {
                throw WarehouseError(.connection, "method service-account-json needs 'keyfile_json' (the key's fields)")
            }
            keyfileJSON = text
            method = .serviceAccountJSON
        case "oauth":
            method = .oauth
        case "oauth-secrets":
            guard token != nil || (refreshToken != nil && clientId != nil && clientSecret != nil) else {
                throw WarehouseError(.connection, "method oauth-secrets needs 'token', or 'refresh_token' with 'client_id' and 'client_secret'")
            }
            method = .oauthSecrets
        case let other:
            throw WarehouseError(.connection, "the bigquery target's method '\(other)' is not one of service-account, "
                                 + "service-account-json, oauth, oauth-secrets")
        }
    }

    /// `bigquery://project/dataset (method)` — never a key or a token.
    public var description: String {
        let name: String
        switch method {
        case .serviceAccount: name = "service-account"
        case .serviceAccountJSON: name = "service-account-json"
        case .oauth: name = "oauth"
        case .oauthSecrets: name = "oauth-secrets"
        }
        return "bigquery://\(project)/\(dataset) (\(name))"
    }
}
