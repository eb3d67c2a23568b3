import Foundation
import OpsFlowTestSupport
import Testing
import Warehouse
@testable import WarehouseBigQuery

/// The whole OpsFlow Analytics example built by the `opsflow` binary with `--target` set to the
/// emulator (service-account key, token endpoint and API behind the test proxy), compared with
/// the same build on the embedded warehouse.
@Suite struct BigQueryExampleTests {
    /// `opsflow demo` loads the raw extracts (load jobs), builds 11 models and runs 63 tests on
    /// the emulator; the forecast it prints equals the embedded warehouse's.
    @Test func exampleBuildsOnTheEmulator() throws {
        let env = try BigQueryTestEnvironment.get()
        let dir = env.directory + "/example-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/bq", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/lite", withIntermediateDirectories: true)
        let bqProject = try ExampleBuild.copyExample(into: dir + "/bq")
        let liteProject = try ExampleBuild.copyExample(into: dir + "/lite")
        let dataset = BigQueryTestEnvironment.dataset("example")
        let profiles = """
            opsflow_analytics:
              target: dev
              outputs:
                dev:
                  type: sqlite
                  dialect: bigquery
                  path: opsflow.sqlite
                  schema: dev
                  threads: 4
                emulator:
                  type: bigquery
                  method: service-account
                  keyfile: \(env.keyfile)
                  project: \(env.project)
                  dataset: \(dataset)
                  location: US
                  threads: 4
                  job_retries: 2
                  api_endpoint: \(env.endpoint)
                  token_endpoint: \(env.tokenEndpoint)
            """
        try profiles.write(toFile: bqProject + "/profiles.yml", atomically: true, encoding: .utf8)
        let demo = ["demo", "--days", "90", "--orders-per-day", "150", "--end-date", "2026-11-29"]
        let bq = try ExampleBuild.opsflow(demo + ["--project-dir", bqProject, "--target", "emulator"], home: dir + "/bq")
        #expect(bq.status == 0, "\(bq.output.suffix(3000))\n\(bq.errors.suffix(2000))")
        let lite = try ExampleBuild.opsflow(demo + ["--project-dir", liteProject], home: dir + "/lite")
        #expect(lite.status == 0)
        // The same nodes pass, warn and fail on both warehouses (PASS=72 WARN=2 ERROR=0 today).
        #expect(ExampleBuild.summary(bq.output)?.contains("ERROR=0 SKIP=0") == true)
        #expect(ExampleBuild.summary(bq.output) == ExampleBuild.summary(lite.output))
        #expect(!ExampleBuild.forecast(bq.output).isEmpty)
        #expect(ExampleBuild.forecast(bq.output) == ExampleBuild.forecast(lite.output))

        // run_results.json carries dbt-bigquery's adapter_response for the models.
        let data = try Data(contentsOf: URL(fileURLWithPath: bqProject + "/target/run_results.json"))
        let results = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["results"] as? [[String: Any]] ?? []
        let model = try #require(results.first { $0["unique_id"] as? String == "model.opsflow_analytics.mart_volume_forecast" })
        let response = try #require(model["adapter_response"] as? [String: Any])
        #expect(response["code"] as? String == "CREATE TABLE")
        #expect(response["location"] as? String == "US")
        #expect(response["project_id"] as? String == env.project)
        #expect((response["job_id"] as? String)?.hasPrefix("opsflow_") == true)
        #expect(response["bytes_processed"] != nil && response["bytes_billed"] != nil && response["slot_ms"] != nil)

        // The raw extracts arrived through load jobs, and the model's job carried its labels.
        let loads = try env.requests(path: "/upload/bigquery/v2/", mentioning: "im_global_collect_rate")
        #expect(!loads.isEmpty)
        let labelled = try env.requests(path: "/jobs", mentioning: "model_opsflow_analytics_mart_volume_forecast")
        #expect(!labelled.isEmpty)

        // `build --dry-run` sends each model as a dry run and prints what it would process. The
        // emulator estimates 0 bytes, so the forecast's dry run is answered as BigQuery answers
        // (totalBytesProcessed as a string); 1,468,006 bytes is 1.4 MiB in dbt-bigquery's
        // format_bytes, and at US$6.25 per TiB costs 1468006 / 2^40 × 6.25 = US$0.000008.
        let answer: [String: Any] = [
            "jobReference": ["projectId": env.project, "location": "US"], "configuration": ["dryRun": true],
            "status": ["state": "DONE"],
            "statistics": ["totalBytesProcessed": "1468006", "query": ["totalBytesProcessed": "1468006", "statementType": "SELECT"]],
        ]
        // Count 3: a retried dry run (an answer slow under load) gets the same answer.
        try env.control("/__reply", ["path": "/jobs", "body_match": "model_opsflow_analytics_mart_volume_forecast", "body": answer,
                                     "count": 3])
        // Other suites share the emulator and run in parallel: count only this project's jobs.
        let before = try env.requests(path: "/jobs", mentioning: dataset).count
        let dry = try ExampleBuild.opsflow(["build", "--dry-run", "--select", "marts", "--project-dir", bqProject, "--target", "emulator"],
                              home: dir + "/bq")
        #expect(dry.status == 0, "\(dry.output.suffix(3000))\n\(dry.errors)")
        let line = dry.output.split(separator: "\n").first { $0.contains(" mart_volume_forecast ") }.map(String.init) ?? ""
        let forecastJobs = (try? env.requests(path: "/jobs", mentioning: "model_opsflow_analytics_mart_volume_forecast")) ?? []
        #expect(line.contains("1.4 MiB") && line.contains("$0.000008"), "\(dry.output)\nforecast jobs seen: \(forecastJobs)")
        #expect(dry.output.contains("Total"))
        // Every job the dry run sent was a dry run: nothing was built or spent.
        let sent = try env.requests(path: "/jobs", mentioning: dataset).dropFirst(before).compactMap { $0["body"] as? [String: Any] }
        #expect(!sent.isEmpty)
        #expect(sent.allSatisfy { ($0["configuration"] as? [String: Any])?["dryRun"] as? Bool == true })
    }

    /// A model's `config()` reaches the adapter: seeds load through load jobs, an incremental
    /// model is built partitioned, clustered, labelled and described, then merged on its key
    /// by the second `opsflow build`.
    @Test func configFlowsFromModelToDDL() throws {
        let env = try BigQueryTestEnvironment.get()
        let dir = env.directory + "/configured-\(UUID().uuidString.prefix(8))"
        let dataset = BigQueryTestEnvironment.dataset("cfg")
        let files: [String: String] = [
            "dbt_project.yml": "name: configured\nversion: '1.0'\nconfig-version: 2\nprofile: configured\n",
            "profiles.yml": """
                configured:
                  target: emulator
                  outputs:
                    emulator:
                      type: bigquery
                      method: service-account
                      keyfile: \(env.keyfile)
                      project: \(env.project)
                      dataset: \(dataset)
                      location: US
                      api_endpoint: \(env.endpoint)
                      token_endpoint: \(env.tokenEndpoint)
                """,
            "seeds/kinds.csv": "kind,label\npickup,Pick-up\nscan,Hub scan\n",
            "models/events.sql": """
                {{ config(materialized='incremental', unique_key='id',
                          partition_by={'field': 'day', 'data_type': 'date'}, cluster_by=['kind'],
                          labels={'team': 'ops'}, persist_docs={'relation': true}) }}
                select id, day, kind, {{ var('batch') }} as batch
                from unnest([
                  struct({{ var('batch') }} as id, date '2024-01-0{{ var('batch') }}' as day, 'scan' as kind),
                  struct(1 as id, date '2024-01-01' as day, 'pickup' as kind)
                ])
                """,
            "models/schema.yml": """
                version: 2
                models:
                  - name: events
                    description: One row per event.
                    columns:
                      - name: id
                        tests: [unique, not_null]
                """,
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: dir + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        for batch in [2, 3] {
            let run = try ExampleBuild.opsflow(["build", "--project-dir", dir, "--vars", "{batch: \(batch)}"], home: dir)
            #expect(run.status == 0, "\(run.output.suffix(3000))\n\(run.errors.suffix(1000))")
        }
        let target = "`\(env.project)`.`\(dataset)`.`events`"
        let creates = try env.requests(path: "/jobs", mentioning: "create or replace table \(target)")
        let create = ((creates.first?["body"] as? [String: Any])?["configuration"] as? [String: Any]).flatMap { ($0["query"] as? [String: Any])?["query"] as? String } ?? ""
        #expect(create.contains("partition by day\ncluster by kind\nOPTIONS(\n      description='One row per event.', labels=[('team', 'ops')]\n    )"))
        #expect(try !env.requests(path: "/jobs", mentioning: "merge into \(target) as DBT_INTERNAL_DEST").isEmpty)
        #expect(try !env.requests(path: "/upload/bigquery/v2/", mentioning: "\"tableId\":\"kinds__opsflow_seed\"").isEmpty)
        let adapter = try env.adapter(dataset: dataset)
        let rows = try adapter.query("select id, batch from \(target) order by id", limit: nil).rows
        #expect(rows == [[.integer(1), .integer(3)], [.integer(2), .integer(2)], [.integer(3), .integer(3)]])
        #expect(try adapter.scalar("select count(*) from `\(env.project)`.`\(dataset)`.`kinds`") == .integer(2))
    }
}
