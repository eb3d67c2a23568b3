import Foundation
import Testing
import Warehouse
@testable import WarehouseBigQuery

/// Statements against the emulator: types, paging, errors, retries, job settings, dry runs and
/// the adapter response.
@Suite struct BigQueryClientTests {
    /// Values come back as BigQuery's types say (the literals selected are the oracle);
    /// timestamps in BigQuery's `CAST(… AS STRING)` form.
    @Test func typesRoundTrip() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try env.adapter()
        let result = try adapter.query("""
            select 1 as i, 2.5 as f, 'x' as s, true as b, cast(null as string) as n, date '2024-02-29' as d,
                   timestamp '2024-01-02 03:04:05.25+00' as ts, numeric '1.25' as num, [1, 2] as arr,
                   struct(1 as a, 'x' as b) as rec
            """, limit: nil)
        #expect(result.columns.map(\.dataType) == ["INT64", "FLOAT64", "STRING", "BOOL", "STRING", "DATE", "TIMESTAMP", "NUMERIC", "ARRAY<INT64>",
                                                 "STRUCT<a INT64, b STRING>"])
        #expect(result.rows.count == 1)
        let row = result.rows[0]
        #expect(Array(row.prefix(8)) == [.integer(1), .real(2.5), .text("x"), .bool(true), .null, .text("2024-02-29"),
                                         .text("2024-01-02 03:04:05.25+00"), .real(1.25)])
        #expect(row[8] == .text("[1,2]"))
        #expect(row[9] == .text(#"{"a":1,"b":"x"}"#))
    }

    /// A result larger than one page is fetched page by page with `pageToken`; `limit` stops early.
    @Test func pagingThroughLargeResults() throws {
        let env = try BigQueryTestEnvironment.get()
        var profile = try BigQueryProfile(settings: env.settings())
        profile.pageSize = 100
        let adapter = try BigQueryAdapter(profile: profile)
        let marker = "paging_\(UUID().uuidString.prefix(8))"
        let result = try adapter.query("select x, '\(marker)' as m from unnest(generate_array(1, 250)) as x order by x", limit: nil)
        #expect(result.rows.count == 250)
        #expect(result.rows.map { $0[0] } == (1...250).map { Cell.integer(Int64($0)) })
        let inserted = try env.requests(path: "/jobs", mentioning: marker)
        let jobId = try #require(((inserted.first?["body"] as? [String: Any])?["jobReference"] as? [String: Any])?["jobId"] as? String)
        let pages = try env.requests(path: "/queries/\(jobId)")
        #expect(pages.count == 3)
        #expect(pages.dropFirst().allSatisfy { ($0["path"] as? String ?? "").contains("pageToken=") })
        #expect(try adapter.query("select x from unnest(generate_array(1, 250)) as x order by x", limit: 120).rows.count == 120)
    }

    /// A failing query quotes BigQuery's reason and message, the node (withContext) and the job.
    @Test func failingQueryMessage() throws {
        let env = try BigQueryTestEnvironment.get()
        let dataset = BigQueryTestEnvironment.dataset("errors")
        let adapter = try env.adapter(dataset: dataset)
        try adapter.createSchema(dataset)
        let context = StatementContext(invocationId: "inv-1", nodeId: "model.opsflow_analytics.stg_orders")
        do {
            try adapter.withContext(context) {
                try adapter.execute("select * from `\(env.project)`.`\(dataset)`.`no_such_table_xyz`")
            }
            Issue.record("the query did not fail")
        } catch let error as WarehouseError {
            #expect(error.kind == .query)
            #expect(error.message.hasPrefix("BigQuery error in model.opsflow_analytics.stg_orders: notFound: Not found: "))
            #expect(error.message.contains("no_such_table_xyz"))
            #expect(error.message.contains("(job opsflow_"))
            #expect(error.sql?.contains("no_such_table_xyz") == true)
        }
    }

    /// A transient error (HTTP 500 `backendError`, then 429 `rateLimitExceeded`) is retried with
    /// exponential back-off (1 s, 2 s) and the statement succeeds; a non-retryable error is not retried.
    @Test func transientErrorsAreRetried() throws {
        let env = try BigQueryTestEnvironment.get()
        let pauses = PauseLog()
        let adapter = try env.adapter(pauses: pauses)
        let marker = "retry_\(UUID().uuidString.prefix(8))"
        try env.control("/__inject", ["status": 500, "reason": "backendError", "message": "Backend error. Job aborted.", "path": "/jobs", "body": marker])
        try env.control("/__inject", ["status": 429, "reason": "rateLimitExceeded", "message": "Exceeded rate limits", "path": "/jobs", "body": marker])
        #expect(try adapter.scalar("select '\(marker)'") == .text(marker))
        #expect(try env.requests(path: "/jobs", mentioning: marker).count == 3)
        #expect(pauses.all == [1, 2])

        let fatal = "fatal_\(UUID().uuidString.prefix(8))"
        try env.control("/__inject", ["status": 400, "reason": "invalidQuery", "message": "Syntax error: Unexpected keyword", "path": "/jobs", "body": fatal])
        let error = #expect(throws: WarehouseError.self) { try adapter.execute("select '\(fatal)'") }
        #expect(error?.message == "BigQuery error: invalidQuery: Syntax error: Unexpected keyword")
        #expect(try env.requests(path: "/jobs", mentioning: fatal).count == 1)
    }

    /// An insert whose answer was lost (the job ran) is retried under the same job id; BigQuery's
    /// 409 `duplicate` makes the adapter fetch that job instead of running the statement twice.
    @Test func lostAnswerDoesNotRunTheJobTwice() throws {
        let env = try BigQueryTestEnvironment.get()
        let dataset = BigQueryTestEnvironment.dataset("lost")
        let adapter = try env.adapter(dataset: dataset)
        try adapter.createSchema(dataset)
        let table = "`\(env.project)`.`\(dataset)`.`t`"
        try adapter.execute("create table \(table) (id INT64)")
        let marker = "insert into \(table) values (1)"
        try env.control("/__inject", ["status": 503, "reason": "backendError", "message": "Service unavailable", "path": "/jobs",
                                      "body": marker, "forward": true])
        try env.control("/__inject", ["status": 409, "reason": "duplicate", "message": "Already Exists: Job", "path": "/jobs", "body": marker])
        let response = try adapter.execute(marker)
        #expect(response.code == "INSERT")
        #expect(try adapter.scalar("select count(*) from \(table)") == .integer(1))
        let ids = try env.requests(path: "/jobs", mentioning: marker)
            .compactMap { (($0["body"] as? [String: Any])?["jobReference"] as? [String: Any])?["jobId"] as? String }
        #expect(ids.count == 2 && Set(ids).count == 1)
    }

    /// With `job_retries: 0` a transient error fails at once.
    @Test func noRetriesWhenJobRetriesIsZero() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try env.adapter(extra: ["job_retries": "0"])
        let marker = "noretry_\(UUID().uuidString.prefix(8))"
        try env.control("/__inject", ["status": 503, "reason": "backendError", "message": "Service unavailable", "path": "/jobs", "body": marker])
        let error = #expect(throws: WarehouseError.self) { try adapter.execute("select '\(marker)'") }
        #expect(error?.message == "BigQuery error: backendError: Service unavailable")
    }

    /// A job that finished with a retryable `errorResult` is resubmitted under a new job id.
    @Test func failedJobWithRetryableReasonIsResubmitted() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try env.adapter()
        let marker = "jobretry_\(UUID().uuidString.prefix(8))"
        let failed: [String: Any] = [
            "kind": "bigquery#job", "jobReference": ["projectId": env.project, "jobId": "failed_job_1", "location": "US"],
            "status": ["state": "DONE", "errorResult": ["reason": "jobBackendError", "message": "The job encountered an internal error"]],
        ]
        try env.control("/__reply", ["path": "/jobs", "body_match": marker, "body": failed])
        #expect(try adapter.scalar("select '\(marker)'") == .text(marker))
        let inserts = try env.requests(path: "/jobs", mentioning: marker)
        let ids = inserts.compactMap { (($0["body"] as? [String: Any])?["jobReference"] as? [String: Any])?["jobId"] as? String }
        #expect(ids.count == 2 && Set(ids).count == 2)
    }

    /// Every job carries the profile's location, priority, maximum_bytes_billed, timeout and the
    /// node's labels (sanitized as BigQuery requires).
    @Test func jobSettingsAndLabels() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try env.adapter(extra: ["priority": "batch", "maximum_bytes_billed": "1000000000", "job_execution_timeout_seconds": "300"])
        let marker = "labels_\(UUID().uuidString.prefix(8))"
        let context = StatementContext(invocationId: "5E7A0C1D-aaaa", nodeId: "model.opsflow_analytics.mart_volume_forecast")
        try adapter.withContext(context) { _ = try adapter.execute("select '\(marker)'") }
        _ = try adapter.execute("select '\(marker)_outside'")
        let bodies = try env.requests(path: "/jobs", mentioning: marker).compactMap { $0["body"] as? [String: Any] }
        #expect(bodies.count == 2)
        let configuration = try #require(bodies.first?["configuration"] as? [String: Any])
        let query = try #require(configuration["query"] as? [String: Any])
        #expect(query["priority"] as? String == "BATCH")
        #expect(query["maximumBytesBilled"] as? String == "1000000000")
        #expect(query["useLegacySql"] as? Bool == false)
        #expect(configuration["jobTimeoutMs"] as? String == "300000")
        #expect(configuration["labels"] as? [String: String] == ["dbt_invocation_id": "5e7a0c1d-aaaa",
                                                                 "dbt_node_id": "model_opsflow_analytics_mart_volume_forecast"])
        #expect((bodies.first?["jobReference"] as? [String: Any])?["location"] as? String == "US")
        #expect((bodies.last?["configuration"] as? [String: Any])?["labels"] == nil)
    }

    /// maximum_bytes_billed is enforced by BigQuery: a job over it fails with
    /// `bytesBilledLimitExceeded` (replayed: the emulator does not bill), quoted in the message.
    @Test func bytesBilledLimitIsReported() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try env.adapter(extra: ["maximum_bytes_billed": "10485760"])
        let marker = "billing_\(UUID().uuidString.prefix(8))"
        let refused: [String: Any] = [
            "jobReference": ["projectId": env.project, "jobId": "job_over_limit", "location": "US"],
            "status": ["state": "DONE", "errorResult": ["reason": "bytesBilledLimitExceeded",
                                                        "message": "Query exceeded limit for bytes billed: 10485760. 20971520 or higher required."]],
        ]
        try env.control("/__reply", ["path": "/jobs", "body_match": marker, "body": refused])
        let error = #expect(throws: WarehouseError.self) { try adapter.execute("select '\(marker)'") }
        #expect(error?.message == "BigQuery error: bytesBilledLimitExceeded: Query exceeded limit for bytes billed: 10485760. 20971520 or higher required. (job job_over_limit, location US)")
    }

    /// estimate() sends a dry run and reads totalBytesProcessed (replayed as BigQuery answers:
    /// the emulator reports 0 bytes).
    @Test func dryRunEstimate() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try env.adapter()
        #expect(try adapter.estimate("select 1").bytesProcessed == 0)
        let marker = "dryrun_\(UUID().uuidString.prefix(8))"
        let answer: [String: Any] = [
            "jobReference": ["projectId": env.project, "location": "US"], "configuration": ["dryRun": true],
            "status": ["state": "DONE"],
            "statistics": ["totalBytesProcessed": "1468006", "query": ["totalBytesProcessed": "1468006", "statementType": "SELECT"]],
        ]
        try env.control("/__reply", ["path": "/jobs", "body_match": marker, "body": answer])
        #expect(try adapter.estimate("select '\(marker)'") == QueryEstimate(bytesProcessed: 1_468_006))
        let sent = try env.requests(path: "/jobs", mentioning: marker).first?["body"] as? [String: Any]
        #expect((sent?["configuration"] as? [String: Any])?["dryRun"] as? Bool == true)
        #expect(throws: WarehouseError.self) { try adapter.estimate("select * from `\(env.project)`.`dev`.`missing_for_dry_run`") }
    }

    /// run_results.json's adapter_response fields, from a job as BigQuery reports it (replayed,
    /// since the emulator reports no bytes or slots); messages formatted by dbt's format_bytes /
    /// format_rows_number (Python oracle below).
    @Test func adapterResponseDetails() throws {
        let env = try BigQueryTestEnvironment.get()
        let dataset = BigQueryTestEnvironment.dataset("resp")
        let adapter = try env.adapter(dataset: dataset)
        try adapter.createSchema(dataset)
        // The table the replayed CTAS job names as its destination really holds 1,534 rows.
        let built = try adapter.replaceTable(Relation(schema: dataset, identifier: "t"), withSelect: "select x from unnest(generate_array(1, 1534)) as x")
        #expect(built.response.message == "CREATE TABLE (1.5k rows, 0.0 Bytes processed)")
        let marker = "response_\(UUID().uuidString.prefix(8))"
        let job: [String: Any] = [
            "jobReference": ["projectId": env.project, "jobId": "job_ctas_1", "location": "EU"],
            "configuration": ["query": ["destinationTable": ["projectId": env.project, "datasetId": dataset, "tableId": "t"]]],
            "status": ["state": "DONE"],
            "statistics": ["totalSlotMs": "5321", "query": [
                "totalBytesProcessed": "1288490", "totalBytesBilled": "10485760", "totalSlotMs": "5321",
                "statementType": "CREATE_TABLE_AS_SELECT",
            ]],
        ]
        try env.control("/__reply", ["path": "/jobs", "body_match": marker, "body": job])
        let response = try adapter.execute("select '\(marker)'")
        let oracle = BigQueryTestEnvironment.shell("""
            python3 -c '
            def format_bytes(n):
                for unit in ["Bytes", "KiB", "MiB", "GiB", "TiB"]:
                    if abs(n) < 1024.0: return f"{n:3.1f} {unit}"
                    n /= 1024.0
                return f"{n:3.1f} PiB"
            def format_rows_number(r):
                for unit in ["", "k", "m", "b", "t"]:
                    if abs(r) < 1000.0: return f"{r:3.1f}{unit}".strip()
                    r /= 1000.0
                return f"{r:3.1f}q"
            print(f"CREATE TABLE ({format_rows_number(1534)} rows, {format_bytes(1288490)} processed)")'
            """)
        #expect(response.message == oracle.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(response.message == "CREATE TABLE (1.5k rows, 1.2 MiB processed)")
        #expect(response.code == "CREATE TABLE")
        #expect(response.rowsAffected == 1534)
        #expect(response.queryId == "job_ctas_1")
        #expect(response.details == ["bytes_processed": .integer(1_288_490), "bytes_billed": .integer(10_485_760), "slot_ms": .integer(5321),
                                     "job_id": .text("job_ctas_1"), "location": .text("EU"), "project_id": .text(env.project)])
    }

    /// A job still running after job_execution_timeout_seconds is cancelled (jobs.cancel) and
    /// reported as a timeout. The emulator finishes every job at once, so the running job is replayed.
    @Test func jobExecutionTimeoutCancelsTheJob() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try BigQueryAdapter(settings: env.settings(extra: ["job_execution_timeout_seconds": "0.3"]))
        adapter.setSleep { Thread.sleep(forTimeInterval: min($0, 0.02)) }
        let marker = "slow_\(UUID().uuidString.prefix(8))"
        let jobId = "slow_job_\(UUID().uuidString.prefix(8))"
        let running: [String: Any] = ["jobReference": ["projectId": env.project, "jobId": jobId, "location": "US"], "status": ["state": "RUNNING"]]
        try env.control("/__reply", ["path": "/jobs", "body_match": marker, "body": running])
        try env.control("/__reply", ["path": "/jobs/\(jobId)", "body": running, "count": 10_000])
        let error = #expect(throws: WarehouseError.self) { try adapter.execute("select '\(marker)'") }
        #expect(error?.kind == .timeout)
        #expect(error?.message.contains("did not finish within job_execution_timeout_seconds") == true)
        #expect(try env.requests(path: "/jobs/\(jobId)/cancel").count == 1)
        let sent = try env.requests(path: "/jobs", mentioning: marker).first?["body"] as? [String: Any]
        #expect((sent?["configuration"] as? [String: Any])?["jobTimeoutMs"] as? String == "300")
    }
}
