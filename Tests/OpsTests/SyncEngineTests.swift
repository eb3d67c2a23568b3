import Foundation
import GRDB
import HTTPClient
@testable import Ops
import Testing
import Warehouse
import WarehouseSQLite

/// Reverse ETL against a real local HTTP server that injects failures. The right values come
/// from the server's own record of what it applied (deduplicated by idempotency key), not from
/// the engine's report.
@Suite(.serialized) struct SyncEngineTests {
    let token = "tok-9f8e7d6c5b4a-secret"
    let hookPath = "/wms/hook-Zq81xKEY"

    struct Setup {
        let fixture: LoadFixture
        let server: TestHTTPServer
        let log = LogLines()
        let relation = Relation(schema: "dev_marts", identifier: "forecast", kind: .table)
        var environment: [String: String]
        var config: SyncConfig

        init(rows: Int, token: String, hookPath: String) throws {
            fixture = try LoadFixture()
            server = try TestHTTPServer()
            try fixture.adapter.createSchema("dev_marts")
            try fixture.adapter.createTable(relation, columns: [
                Column(name: "forecast_key", dataType: "STRING"), Column(name: "forecast_date", dataType: "DATE"),
                Column(name: "forecast_orders", dataType: "FLOAT64"), Column(name: "shift", dataType: "STRING"),
            ])
            _ = try fixture.adapter.insert(into: relation, columns: ["forecast_key", "forecast_date", "forecast_orders", "shift"],
                                           rows: (1...rows).map { [.text("k\($0)"), .text("2026-12-0\($0 % 7 + 1)"), .real(Double($0) * 10.5), .text("T\($0 % 3 + 1)")] })
            environment = ["TEST_WMS_URL": server.url(hookPath), "TEST_WMS_TOKEN": token]
            config = SyncConfig(model: "forecast", urlEnv: "TEST_WMS_URL", primaryKey: ["forecast_key"])
            config.batchSize = 3
            config.timeoutSeconds = 1
            config.headers = ["Authorization": "Bearer ${TEST_WMS_TOKEN}", "X-Test-Key-Fields": "key"]
            config.fields = ["key": "forecast_key", "date": "forecast_date", "orders": "forecast_orders", "shift": "shift"]
            config.retry = RetryConfig()
            config.retry.initialDelaySeconds = 0.01
            config.retry.maxDelaySeconds = 0.05
            config.retry.maxAttempts = 4
        }

        func engine(pageRows: Int = 20_000) throws -> SyncEngine {
            let (destination, redactor) = try SyncEngine.httpDestination(config, environment: environment,
                                                                         transport: URLSessionTransport(), clock: SystemClock())
            let log = self.log
            return SyncEngine(name: "wms_forecast", config: config, relation: relation, adapter: fixture.adapter,
                              state: fixture.state, targetName: "dev", destination: destination, redactor: redactor,
                              pageRows: pageRows, log: { log.append($0) })
        }
    }

    @Test func everyRowArrivesExactlyOnceThroughInjectedFailures() throws {
        let setup = try Setup(rows: 10, token: token, hookPath: hookPath)
        // Batch 1: a 500 then fine; batch 2: a 429; batch 3: applied but answered too late;
        // batch 4: applied then the connection dropped.
        try setup.server.plan(["500", "ok", "429", "ok", "timeout", "ok", "drop", "ok"])
        let report = try setup.engine().run()
        #expect(report.sent == 10)
        #expect(report.failed == 0)
        let state = try setup.server.state()
        #expect(state.rows.count == 10)
        #expect(state.applied.values.allSatisfy { $0 == 1 })
        #expect(state.requests.count == 8)
        // Retries of a batch carry its key; four batches, four keys.
        let keys = state.requests.compactMap { $0.headers["Idempotency-Key"] }
        #expect(keys.count == 8)
        #expect(Set(keys).count == 4)
        #expect(keys[0] == keys[1] && keys[2] == keys[3] && keys[4] == keys[5] && keys[6] == keys[7])
        #expect(state.requests.allSatisfy { $0.headers["Authorization"] == "Bearer \(token)" })
        #expect(state.requests.allSatisfy { $0.path == hookPath })
        #expect(state.rows["[\"k4\"]"] == ["key": .string("k4"), "date": .string("2026-12-05"), "orders": .int(42), "shift": .string("T2")])
        // FLOAT64 goes out as a JSON float (Foundation's decoder above reads 42.0 back as integral).
        #expect(state.requests.contains { $0.body.contains(#"{"date":"2026-12-05","key":"k4","orders":42.0,"shift":"T2"}"#) })
    }

    @Test func aSecondRunSendsOnlyTheDifferenceAndMirrorDeletes() throws {
        var setup = try Setup(rows: 10, token: token, hookPath: hookPath)
        setup.config.mode = .mirror
        _ = try setup.engine().run()
        let adapter = setup.fixture.adapter
        try adapter.execute("update \"dev_marts.forecast\" set forecast_orders = 1 where forecast_key in ('k1', 'k2')")
        try adapter.execute("delete from \"dev_marts.forecast\" where forecast_key = 'k3'")
        _ = try adapter.insert(into: setup.relation, columns: ["forecast_key", "forecast_date", "forecast_orders", "shift"],
                               rows: [[.text("k11"), .text("2026-12-01"), .real(5), .text("T1")]])
        let report = try setup.engine().run()
        #expect(report.sent == 3)
        #expect(report.unchanged == 7)
        #expect(report.deleted == 1)
        let state = try setup.server.state()
        #expect(state.rows.count == 10)
        #expect(state.rows["[\"k3\"]"] == nil)
        #expect(state.deleted == ["[\"k3\"]"])
        #expect(state.rows["[\"k1\"]"]?["orders"] == .int(1))
        #expect(state.applied["[\"k1\"]"] == 2)
        #expect(state.applied["[\"k5\"]"] == 1)
        // A third run with nothing changed sends nothing at all.
        let requestsBefore = state.requests.count
        let third = try setup.engine().run()
        #expect(third.sent == 0 && third.deleted == 0 && third.unchanged == 10)
        #expect(try setup.server.state().requests.count == requestsBefore)
    }

    @Test func pagesSmallerThanTheModelGiveTheSameDifference() throws {
        // 10 rows read 3 at a time (4 pages, the last one short), batches of 3.
        var setup = try Setup(rows: 10, token: token, hookPath: hookPath)
        setup.config.mode = .mirror
        let first = try setup.engine(pageRows: 3).run()
        #expect(first.sent == 10 && first.unchanged == 0 && first.failed == 0)
        #expect(try setup.server.state().rows.count == 10)
        let adapter = setup.fixture.adapter
        try adapter.execute("update \"dev_marts.forecast\" set forecast_orders = 1 where forecast_key in ('k1', 'k9')")
        try adapter.execute("delete from \"dev_marts.forecast\" where forecast_key in ('k3', 'k10')")
        let report = try setup.engine(pageRows: 3).run()
        #expect(report.sent == 2)
        #expect(report.unchanged == 6)
        #expect(report.deleted == 2)
        let state = try setup.server.state()
        #expect(state.rows.count == 8)
        #expect(Set(state.deleted) == ["[\"k3\"]", "[\"k10\"]"])
        #expect(state.rows["[\"k9\"]"]?["orders"] == .int(1))
        #expect(state.applied.values.allSatisfy { $0 <= 2 })
        #expect(state.applied["[\"k9\"]"] == 2 && state.applied["[\"k5\"]"] == 1)
        // The last page is full (8 rows, pages of 4): an empty page ends the read.
        let third = try setup.engine(pageRows: 4).run()
        #expect(third.sent == 0 && third.deleted == 0 && third.unchanged == 8)
    }

    @Test func aKeyRepeatedAcrossPagesFailsBeforeAnythingIsSent() throws {
        let setup = try Setup(rows: 8, token: token, hookPath: hookPath)
        _ = try setup.fixture.adapter.insert(into: setup.relation, columns: ["forecast_key", "forecast_date", "forecast_orders", "shift"],
                                             rows: [[.text("k8"), .text("2026-12-01"), .real(5), .text("T1")]])
        // Ordered by key, the two k8 rows fall on pages 4 and 5 of 2 rows each; two batches of 3
        // were already staged by then.
        #expect(throws: OpsError.self) { _ = try setup.engine(pageRows: 2).run() }
        #expect(try setup.server.state().requests.isEmpty)
        #expect(try setup.fixture.state.read { db in try Int.fetchOne(db, sql: "select count(*) from sync_outbox") } == 0)
        #expect(try setup.fixture.state.read { db in try Int.fetchOne(db, sql: "select count(*) from sync_rows") } == 0)
    }

    /// Keyset pages over a two-column key whose text needs escaping, in both SQL dialects of the
    /// embedded warehouse (BigQuery SQL is translated, so its literal escapes must hold).
    @Test(arguments: ["sqlite", "bigquery"]) func compositeKeysWithQuotesPageExactlyOnce(dialect: String) throws {
        let dir = try TempDir()
        let adapter = try SQLiteAdapter(path: dir.url.appendingPathComponent("warehouse.sqlite").path, schema: "dev", dialect: dialect)
        let state = try StateStore(path: dir.url.appendingPathComponent(".opsflow/state.sqlite").path)
        let server = try TestHTTPServer()
        let relation = Relation(schema: "dev", identifier: "accounts", kind: .table)
        try adapter.createSchema("dev")
        try adapter.createTable(relation, columns: [Column(name: "region", dataType: "STRING"), Column(name: "id", dataType: "INT64"),
                                                    Column(name: "owner", dataType: "STRING")])
        let regions = ["O'Brien", "back\\slash", "new\nline", "plain", "tab\there"]
        var rows: [[Cell]] = []
        for region in regions { for id in 1...3 { rows.append([.text(region), .integer(Int64(id)), .text("\(region)#\(id)")]) } }
        _ = try adapter.insert(into: relation, columns: ["region", "id", "owner"], rows: rows)
        var config = SyncConfig(model: "accounts", urlEnv: "URL", primaryKey: ["region", "id"])
        config.batchSize = 4
        config.mode = .mirror
        config.headers = ["X-Test-Key-Fields": "region,id"]
        func engine() throws -> SyncEngine {
            let (destination, redactor) = try SyncEngine.httpDestination(config, environment: ["URL": server.url("/accounts")],
                                                                         transport: URLSessionTransport(), clock: SystemClock())
            return SyncEngine(name: "accounts", config: config, relation: relation, adapter: adapter, state: state, targetName: "dev",
                              destination: destination, redactor: redactor, pageRows: 2)
        }
        let first = try engine().run()
        #expect(first.sent == 15 && first.failed == 0)
        let applied = try server.state()
        #expect(applied.rows.count == 15)
        #expect(applied.applied.values.allSatisfy { $0 == 1 })
        // The server keys rows by the JSON of [region, id] (Python's json.dumps).
        #expect(applied.rows["[\"O'Brien\", 2]"]?["owner"] == .string("O'Brien#2"))
        #expect(applied.rows["[\"new\\nline\", 3]"]?["owner"] == .string("new\nline#3"))
        let second = try engine().run()
        #expect(second.sent == 0 && second.deleted == 0 && second.unchanged == 15)
    }

    @Test func aNullPrimaryKeyIsRefused() throws {
        let setup = try Setup(rows: 3, token: token, hookPath: hookPath)
        _ = try setup.fixture.adapter.insert(into: setup.relation, columns: ["forecast_key", "forecast_date", "forecast_orders", "shift"],
                                             rows: [[.null, .text("2026-12-01"), .real(5), .text("T1")], [.text("k9"), .null, .null, .null]])
        #expect(throws: OpsError.self) { _ = try setup.engine(pageRows: 2).run() }
        #expect(try setup.server.state().requests.isEmpty)
    }

    @Test func aBatchThatKeepsFailingIsKeptAndResentNextRunWithTheSameKey() throws {
        var setup = try Setup(rows: 2, token: token, hookPath: hookPath)
        setup.config.retry.maxAttempts = 3
        try setup.server.plan(["500", "500", "500"])
        let first = try setup.engine().run()
        #expect(first.failed == 2)
        #expect(first.sent == 0)
        let failedKey = try setup.fixture.state.read { db in
            try String.fetchOne(db, sql: "select idempotency_key from sync_outbox where status = 'failed'")
        }
        let afterFirst = try setup.server.state()
        #expect(afterFirst.requests.count == 3)
        #expect(afterFirst.rows.isEmpty)
        let second = try setup.engine().run()
        #expect(second.sent == 2)
        #expect(second.resent == 2)
        #expect(second.failed == 0)
        let state = try setup.server.state()
        #expect(state.requests.count == 4)
        #expect(state.requests.last?.headers["Idempotency-Key"] == failedKey)
        #expect(state.applied == ["[\"k1\"]": 1, "[\"k2\"]": 1])
        #expect(try setup.fixture.state.read { db in try Int.fetchOne(db, sql: "select count(*) from sync_outbox") } == 0)
    }

    @Test func aClientErrorIsNotRetried() throws {
        let setup = try Setup(rows: 2, token: token, hookPath: hookPath)
        try setup.server.plan(["400"])
        let report = try setup.engine().run()
        #expect(report.failed == 2)
        #expect(try setup.server.state().requests.count == 1)
    }

    @Test func dryRunSendsNothingAndChangesNoState() throws {
        let setup = try Setup(rows: 7, token: token, hookPath: hookPath)
        let report = try setup.engine().run(dryRun: true)
        #expect(report.sent == 7)
        #expect(try setup.server.state().requests.isEmpty)
        let rows = try setup.fixture.state.read { db in try Int.fetchOne(db, sql: "select count(*) from sync_rows") }
        #expect(rows == 0)
        #expect(setup.log.all.contains { $0.contains("would send 3 rows") })
    }

    @Test func noSecretInLogsStateOrErrors() throws {
        let setup = try Setup(rows: 4, token: token, hookPath: hookPath)
        try setup.server.plan(["500", "drop", "ok", "400"])
        _ = try setup.engine().run()
        // A missing variable names the variable, not a value.
        var missing = setup.config
        missing.headers = ["Authorization": "Bearer ${NOT_SET_VAR}"]
        #expect(throws: OpsError.self) {
            _ = try SyncEngine.httpDestination(missing, environment: setup.environment, transport: URLSessionTransport(), clock: SystemClock())
        }
        let secrets = [token, hookPath, "hook-Zq81xKEY"]
        var haystack = setup.log.all.joined(separator: "\n")
        let stateDir = (setup.fixture.state.path as NSString).deletingLastPathComponent
        for file in try FileManager.default.contentsOfDirectory(atPath: stateDir) {
            haystack += String(decoding: try Data(contentsOf: URL(fileURLWithPath: stateDir).appendingPathComponent(file)), as: UTF8.self)
        }
        #expect(!haystack.isEmpty)
        for secret in secrets { #expect(!haystack.contains(secret), "\(secret) leaked") }
        #expect(String(describing: Secret(token)) == "<redacted>")
        #expect("\(Secret(token))" == "<redacted>")
    }

    @Test func retryDelaysGrowExponentiallyWithinJitter() {
        let policy = RetryPolicy(maxAttempts: 6, initialDelaySeconds: 0.5, multiplier: 2, maxDelaySeconds: 3, jitterFraction: 0.5)
        #expect((1...5).map { policy.delaySeconds(beforeRetry: $0, random: 1) } == [0.5, 1, 2, 3, 3])
        #expect(policy.delaySeconds(beforeRetry: 3, random: 0) == 1)
        let clock = ManualClock(start: Date(timeIntervalSince1970: 0))
        var calls = 0
        #expect(throws: HTTPError.self) {
            try policy.run(clock: clock, isRetryable: { ($0 as? HTTPError)?.isRetryable ?? false }) { _ in
                calls += 1
                throw HTTPError(.status, status: 503, "HTTP 503")
            }
        }
        #expect(calls == 6)
        #expect(clock.sleeps.count == 5)
        #expect(zip(clock.sleeps, [0.5, 1, 2, 3, 3]).allSatisfy { $0 >= $1 / 2 && $0 <= $1 })
    }
}
