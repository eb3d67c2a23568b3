import Foundation
import HTTPClient
import Warehouse

/// A BigQuery warehouse (the `bigquery` profile type) over the REST API v2.
///
/// ```swift
/// let warehouse = try BigQueryAdapter(settings: ["project": "acme", "dataset": "analytics",
///                                                "method": "service-account", "keyfile": "/secrets/sa.json"])
/// try warehouse.execute("create or replace table `acme`.`analytics`.`orders` as select 1 as id")
/// let rows = try warehouse.query("select * from `acme`.`analytics`.`orders`", limit: 10)
/// ```
///
/// Every statement is a query job (jobs.insert, polled with jobs.get, rows paged with
/// jobs.getQueryResults), carrying the profile's location, priority, `maximumBytesBilled`,
/// `jobTimeoutMs` and the labels of the node being built (``withContext(_:_:)``). Relations are
/// written as dbt-bigquery writes them: `` `project`.`dataset`.`identifier` ``.
///
/// BigQuery has no transactions across jobs (dbt-bigquery's are no-ops too):
/// ``transaction(_:)`` runs its body and rolls nothing back. Tables are replaced atomically by
/// `CREATE OR REPLACE TABLE` instead.
///
/// Threads: every method may be called from any thread; the HTTP session and the token cache
/// are shared, the statement context is per thread.
public final class BigQueryAdapter: Adapter, @unchecked Sendable {
    public let type = "bigquery"
    public let dialect = "bigquery"
    /// The target (never printed with a key or a token).
    public let profile: BigQueryProfile
    let client: BigQueryClient

    private let datasetLock = NSLock()
    private var knownDatasets: Set<String> = []
    private var closed = false

    /// Resolves the credentials and obtains a first access token, so that a wrong key, a
    /// refused token exchange or an unreachable token endpoint fails here (as `dbt debug` does).
    /// - Parameters:
    ///   - transport: how HTTP requests are sent (tests record them).
    ///   - now: the clock the token cache uses.
    /// - Throws: ``WarehouseError`` (`connection`).
    public init(profile: BigQueryProfile, transport: any HTTPTransport = URLSessionTransport(reusesConnections: true),
                environment: [String: String] = ProcessInfo.processInfo.environment,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.profile = profile
        let source = try CredentialSource.resolve(profile, environment: environment)
        let tokens = TokenProvider(source: source, endpoint: profile.tokenEndpoint, scopes: profile.scopes,
                                   transport: transport, timeoutSeconds: profile.requestTimeoutSeconds,
                                   impersonate: profile.impersonateServiceAccount, iamEndpoint: profile.iamEndpoint, now: now)
        client = BigQueryClient(profile: profile, transport: transport, tokens: tokens)
        _ = try tokens.token()
    }

    /// Opens the adapter for a target's settings from `profiles.yml` (see ``BigQueryProfile``).
    public convenience init(settings: [String: String]) throws {
        try self.init(profile: BigQueryProfile(settings: settings))
    }

    /// Replaces the pause between retries and polls (tests: no real waiting).
    public func setSleep(_ sleep: @escaping @Sendable (Double) -> Void) { client.sleep = sleep }

    /// How many access tokens were obtained so far.
    public var tokenExchanges: Int { client.tokens.exchanges }

    // MARK: - Statement context (job labels)

    private static let contextKey = "opsflow.bigquery.statement-context"

    private final class ContextBox { let context: StatementContext?; init(_ c: StatementContext?) { context = c } }

    /// The context of the node this thread is running, if any.
    var currentContext: StatementContext? {
        (Thread.current.threadDictionary[Self.contextKey] as? ContextBox)?.context
    }

    /// Runs `body` with `context` on this thread: every job it starts carries the labels
    /// `dbt_invocation_id` and `dbt_node_id` (sanitized as BigQuery requires), and errors name the node.
    public func withContext<T>(_ context: StatementContext, _ body: () throws -> T) throws -> T {
        let previous = Thread.current.threadDictionary[Self.contextKey]
        Thread.current.threadDictionary[Self.contextKey] = ContextBox(context)
        defer { Thread.current.threadDictionary[Self.contextKey] = previous }
        return try body()
    }

    /// The job labels for the current thread's context.
    var labels: [String: String] {
        guard let context = currentContext else { return [:] }
        var labels = ["dbt_invocation_id": BigQueryValues.labelValue(context.invocationId)]
        if let node = context.nodeId { labels["dbt_node_id"] = BigQueryValues.labelValue(node) }
        return labels
    }

    // MARK: - Statements

    /// The query job configuration for `sql` (cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationQuery).
    func jobConfiguration(_ sql: String, dryRun: Bool = false) -> [String: Any] {
        var query: [String: Any] = ["query": sql, "useLegacySql": false, "priority": profile.priority]
        if let bytes = profile.maximumBytesBilled { query["maximumBytesBilled"] = String(bytes) }
        var configuration: [String: Any] = ["query": query]
        let labels = labels
        if !labels.isEmpty { configuration["labels"] = labels }
        if let timeout = profile.jobExecutionTimeoutSeconds { configuration["jobTimeoutMs"] = String(Int64(timeout * 1000)) }
        if dryRun { configuration["dryRun"] = true }
        return configuration
    }

    /// Runs `sql` as one query job (several `;`-separated statements run as a BigQuery script)
    /// and returns dbt-bigquery's adapter response: `CREATE TABLE (25.0 rows, 1.2 KiB processed)`,
    /// with `bytes_processed`, `bytes_billed`, `slot_ms`, `job_id`, `location` and `project_id` in `details`.
    /// - Throws: ``WarehouseError`` quoting BigQuery's reason and message, the node and the job.
    @discardableResult
    public func execute(_ sql: String) throws -> AdapterResponse {
        try translating(sql) {
            let job = try client.runJob(configuration: jobConfiguration(sql))
            return Self.response(job, profile: profile, tableRows: try destinationRows(job))
        }
    }

    /// Runs a query and returns its columns (standard SQL type names) and at most `limit` rows,
    /// fetched page by page.
    public func query(_ sql: String, limit: Int?) throws -> QueryResult {
        try translating(sql) {
            let job = try client.runJob(configuration: jobConfiguration(sql))
            let (fields, rows) = try client.results(of: job, limit: limit)
            let columns = fields.map { Column(name: $0["name"] as? String ?? "", dataType: BigQueryValues.typeName($0)) }
            let cells = rows.map { row in
                zip(row, fields).map { BigQueryValues.cell($0, field: $1) }
            }
            return QueryResult(columns: columns, rows: limit.map { Array(cells.prefix(max(0, $0))) } ?? cells)
        }
    }

    /// A dry run (`dryRun: true`): what `sql` would process, nothing billed, nothing run.
    /// BigQuery bills at least 10 MiB per table referenced on demand, which a dry run does not
    /// say, so `bytesBilled` is nil.
    public func estimate(_ sql: String) throws -> QueryEstimate {
        try translating(sql) {
            let job = try client.runJob(configuration: jobConfiguration(sql, dryRun: true))
            let statistics = job["statistics"] as? [String: Any]
            let processed = Self.int64(statistics?["totalBytesProcessed"])
                ?? Self.int64((statistics?["query"] as? [String: Any])?["totalBytesProcessed"]) ?? 0
            return QueryEstimate(bytesProcessed: processed)
        }
    }

    /// BigQuery has no transactions across jobs: the body runs and nothing is rolled back
    /// (dbt-bigquery's `begin`/`commit` are no-ops as well).
    public func transaction<T>(_ body: () throws -> T) throws -> T { try body() }

    /// Marks the adapter closed: further calls fail. HTTP connections belong to the session.
    public func close() {
        datasetLock.lock()
        closed = true
        datasetLock.unlock()
    }

    /// Records that a dataset exists, returning false when it already was recorded.
    func rememberDataset(_ dataset: String) -> Bool {
        datasetLock.lock()
        defer { datasetLock.unlock() }
        return knownDatasets.insert(dataset).inserted
    }

    func forgetDataset(_ dataset: String) {
        datasetLock.lock()
        knownDatasets.remove(dataset)
        datasetLock.unlock()
    }

    // MARK: - Errors and responses

    /// Runs `work`, turning BigQuery's errors into ``WarehouseError``s that quote its reason and
    /// message and name the node being built and the job.
    func translating<T>(_ sql: String?, _ work: () throws -> T) throws -> T {
        datasetLock.lock()
        let isClosed = closed
        datasetLock.unlock()
        if isClosed { throw WarehouseError(.connection, "the BigQuery adapter was closed", sql: sql) }
        do {
            return try work()
        } catch let error as BigQueryAPIError {
            throw warehouseError(error, sql: sql)
        }
    }

    func warehouseError(_ error: BigQueryAPIError, sql: String?) -> WarehouseError {
        var message = "BigQuery error"
        if let node = currentContext?.nodeId { message += " in \(node)" }
        message += ": \(error.reason.isEmpty ? "error" : error.reason): \(error.message)"
        if let job = error.jobId { message += " (job \(job)" + (profile.location.map { ", location \($0)" } ?? "") + ")" }
        let kind: WarehouseError.Kind
        switch error.reason {
        case "notFound" where sql == nil: kind = .notFound
        case "jobTimeout", "timeout": kind = .timeout
        case "accessDenied" where error.httpStatus == 401: kind = .connection
        default: kind = error.httpStatus == 401 ? .connection : .query
        }
        return WarehouseError(kind, message, sql: sql)
    }

    /// The row count of a `CREATE TABLE … AS SELECT` job's table (tables.get on the job's
    /// destination, as dbt-bigquery reads `num_rows`); nil for other statements.
    func destinationRows(_ job: [String: Any]) throws -> Int64? {
        let query = (job["statistics"] as? [String: Any])?["query"] as? [String: Any]
        guard query?["statementType"] as? String == "CREATE_TABLE_AS_SELECT",
              let destination = ((job["configuration"] as? [String: Any])?["query"] as? [String: Any])?["destinationTable"] as? [String: Any],
              let project = destination["projectId"] as? String, let dataset = destination["datasetId"] as? String,
              let table = destination["tableId"] as? String else { return nil }
        let resource = try client.call("GET", tableURL(project: project, dataset: dataset, table: table), tolerated: [404])?.object
        return Self.int64(resource?["numRows"])
    }

    static func int64(_ value: Any?) -> Int64? {
        if let text = value as? String { return Int64(text) }
        if let number = value as? NSNumber { return number.int64Value }
        return nil
    }

    /// dbt-bigquery's `BigQueryAdapterResponse` for a finished job (dbt-bigquery
    /// `connections.py` `execute`): the code (`CREATE TABLE`, `CREATE VIEW`, `SCRIPT`, `MERGE`,
    /// …), the rows (the new table's `num_rows` for CTAS, `numDmlAffectedRows` for DML, the
    /// result's rows for SELECT) and `{code} ({rows} rows, {bytes} processed)`.
    static func response(_ job: [String: Any], profile: BigQueryProfile, tableRows: Int64? = nil) -> AdapterResponse {
        let statistics = job["statistics"] as? [String: Any] ?? [:]
        let query = statistics["query"] as? [String: Any] ?? [:]
        let load = statistics["load"] as? [String: Any]
        let reference = job["jobReference"] as? [String: Any] ?? [:]
        let processed = int64(query["totalBytesProcessed"]) ?? int64(statistics["totalBytesProcessed"]) ?? 0
        let billed = int64(query["totalBytesBilled"]) ?? 0
        let slotMs = int64(query["totalSlotMs"]) ?? int64(statistics["totalSlotMs"]) ?? 0
        let statement = query["statementType"] as? String ?? (load != nil ? "LOAD" : "")
        var code: String
        var rows: Int64?
        switch statement {
        case "CREATE_VIEW": code = "CREATE VIEW"
        case "CREATE_TABLE_AS_SELECT": code = "CREATE TABLE"; rows = tableRows
        case "SCRIPT": code = "SCRIPT"
        case "INSERT", "DELETE", "MERGE", "UPDATE": code = statement; rows = int64(query["numDmlAffectedRows"])
        case "SELECT": code = "SELECT"; rows = int64(query["totalRows"])
        case "LOAD": code = "LOAD"; rows = int64(load?["outputRows"])
        default: code = statement.replacingOccurrences(of: "_", with: " ")
        }
        let bytes = BigQueryValues.formatBytes(processed) + " processed"
        let message: String
        if code.isEmpty {
            message = "OK"
        } else if let rows {
            message = "\(code) (\(BigQueryValues.formatRows(rows)) rows, \(bytes))"
        } else {
            message = "\(code) (\(bytes))"
        }
        var details: [String: Cell] = [
            "bytes_processed": .integer(processed), "bytes_billed": .integer(billed), "slot_ms": .integer(slotMs),
            "project_id": .text(reference["projectId"] as? String ?? profile.executionProject),
        ]
        let jobId = reference["jobId"] as? String
        if let jobId { details["job_id"] = .text(jobId) }
        if let location = reference["location"] as? String ?? profile.location { details["location"] = .text(location) }
        return AdapterResponse(message: message, code: code.isEmpty ? nil : code, rowsAffected: rows.map { Int($0) },
                               queryId: jobId, details: details)
    }
}

