import Foundation
import GRDB
import HTTPClient
@testable import Ops
import Testing

/// Alerts through a real local HTTP server (Slack's incoming-webhook shape and a JSON webhook).
@Suite(.serialized) struct AlertTests {
    let hookSecret = "/services/T000/B000/XXXXsecretXXXX"

    func runResults(_ dir: TempDir) throws -> String {
        // The shape of dbt's run_results.json v6 (schemas.getdbt.com/dbt/run-results/v6.json).
        try dir.write("target/run_results.json", """
            {"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json", "invocation_id": "run-42"},
             "elapsed_time": 12.5,
             "results": [
               {"unique_id": "model.opsflow_analytics.stg_orders", "status": "success", "message": "OK", "failures": null},
               {"unique_id": "test.opsflow_analytics.assert_operational_ratios_sum_to_one", "status": "fail",
                "message": "Got 3 results, configured to fail if != 0", "failures": 3},
               {"unique_id": "model.opsflow_analytics.mart_volume_forecast", "status": "error", "message": "Database Error: no such column", "failures": null},
               {"unique_id": "test.opsflow_analytics.growth_between_0_and_5", "status": "warn", "message": "Got 1 result", "failures": 1}
             ]}
            """)
    }

    @Test func aFailedRunAlertsOnceWithAReadableMessage() throws {
        let dir = try TempDir()
        let server = try TestHTTPServer()
        let state = try StateStore(path: dir.url.appendingPathComponent(".opsflow/state.sqlite").path)
        var alert = try #require(try BuildAlert.fromRunResults(path: try runResults(dir), project: "opsflow_analytics", target: "prod"))
        #expect(alert.nodes.map(\.uniqueId) == ["test.opsflow_analytics.assert_operational_ratios_sum_to_one",
                                                "model.opsflow_analytics.mart_volume_forecast"])
        alert.nodes[0].sampleRows = ["pickup_date=2026-11-29 client_type=Client_A total=0.97"]
        var config = AlertConfig()
        config.slackWebhookEnv = "TEST_SLACK_URL"
        config.webhookUrlEnv = "TEST_HOOK_URL"
        config.retry.initialDelaySeconds = 0.01
        config.retry.maxDelaySeconds = 0.02
        let environment = ["TEST_SLACK_URL": server.url(hookSecret), "TEST_HOOK_URL": server.url("/generic")]
        let (sinks, redactor) = try AlertDispatcher.sinks(config, environment: environment, transport: URLSessionTransport(), clock: SystemClock())
        let log = LogLines()
        let dispatcher = AlertDispatcher(sinks: sinks, state: state, redactor: redactor, log: { log.append($0) })
        try server.plan(["500", "ok", "ok"])
        #expect(dispatcher.dispatch(alert) == ["slack", "webhook"])
        #expect(dispatcher.dispatch(alert).isEmpty)
        let requests = try server.state().requests
        #expect(requests.count == 3)
        let slack = try #require(requests.last(where: { $0.path == hookSecret }))
        let text = try #require((try JSONSerialization.jsonObject(with: Data(slack.body.utf8)) as? [String: Any])?["text"] as? String)
        #expect(text == """
            OpsFlow run failed: opsflow_analytics on target prod
            • FAIL test.opsflow_analytics.assert_operational_ratios_sum_to_one — 3 failing rows: Got 3 results, configured to fail if != 0
                pickup_date=2026-11-29 client_type=Client_A total=0.97
            • ERROR model.opsflow_analytics.mart_volume_forecast: Database Error: no such column
            Duration 12.5s · run id run-42
            """)
        let generic = try #require(requests.last(where: { $0.path == "/generic" }))
        #expect(generic.headers["Idempotency-Key"] == "run-42")
        #expect(log.all.allSatisfy { !$0.contains(hookSecret) && !$0.contains("XXXXsecretXXXX") })
    }

    @Test func aDeliveryFailureIsLoggedAndNeverThrown() throws {
        let dir = try TempDir()
        let server = try TestHTTPServer()
        let state = try StateStore(path: dir.url.appendingPathComponent(".opsflow/state.sqlite").path)
        let alert = BuildAlert(project: "p", target: "t", runId: "run-7", durationSeconds: 1,
                               nodes: [.init(uniqueId: "model.p.m", status: "error")])
        var config = AlertConfig()
        config.slackWebhookEnv = "TEST_SLACK_URL"
        config.retry.maxAttempts = 3
        config.retry.initialDelaySeconds = 0.01
        let (sinks, redactor) = try AlertDispatcher.sinks(config, environment: ["TEST_SLACK_URL": server.url(hookSecret)],
                                                          transport: URLSessionTransport(), clock: SystemClock())
        let log = LogLines()
        try server.plan(["500", "500", "500", "ok"])
        let dispatcher = AlertDispatcher(sinks: sinks, state: state, redactor: redactor, log: { log.append($0) })
        #expect(dispatcher.dispatch(alert).isEmpty)
        #expect(try server.state().requests.count == 3)
        #expect(log.all.contains { $0.contains("could not be sent to slack: HTTP 500") })
        // The next attempt (e.g. the scheduler's next tick) delivers it, once.
        #expect(dispatcher.dispatch(alert) == ["slack"])
        var haystack = log.all.joined()
        let stateDir = (state.path as NSString).deletingLastPathComponent
        for file in try FileManager.default.contentsOfDirectory(atPath: stateDir) {
            haystack += String(decoding: try Data(contentsOf: URL(fileURLWithPath: stateDir).appendingPathComponent(file)), as: UTF8.self)
        }
        #expect(haystack.contains("run-7"))
        #expect(!haystack.contains("XXXXsecretXXXX"))
    }

    @Test func aCleanRunHasNoAlert() throws {
        let dir = try TempDir()
        let path = try dir.write("run_results.json", #"{"metadata": {"invocation_id": "x"}, "elapsed_time": 1, "results": [{"unique_id": "model.p.a", "status": "success"}]}"#)
        #expect(try BuildAlert.fromRunResults(path: path, project: "p", target: "t") == nil)
    }
}
