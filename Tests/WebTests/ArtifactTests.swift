import Foundation
import Testing
import Warehouse
@testable import Web

/// The Web module reads the artifacts as they are; dbt's own fields are the oracle.
@Suite struct ArtifactTests {
    @Test func lineageEdgesAreTheManifestsParentMap() throws {
        let example = try Example.get()
        let path = example.targetDir + "/manifest.json"
        let catalog = try Catalog.load(manifestPath: path)
        // dbt's parent_map (written by the engine beside the nodes) is the oracle for the edges.
        let root = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let parentMap = try #require(root["parent_map"] as? [String: [String]])
        for id in catalog.lineageIDs where !id.hasPrefix("source.") {
            #expect(Set(catalog.nodes[id]?.dependsOn ?? []) == Set(parentMap[id] ?? []), "\(id)")
        }
        let models = catalog.nodes.values.filter { $0.resourceType == "model" }.map(\.name).sorted()
        #expect(models == ["int_cdc_ratios", "int_natural_growth", "int_operational_ratios", "int_orders_daily",
                           "int_pickup_shift_split", "mart_cdc_ratios", "mart_natural_growth_daily",
                           "mart_operational_ratios", "mart_volume_forecast", "stg_arrival_scans", "stg_orders"])
        #expect(catalog.upstream(of: "model.opsflow_analytics.mart_volume_forecast").contains("source.opsflow_analytics.raw_source.im_global_collect_rate"))
        #expect(!catalog.downstream(of: "model.opsflow_analytics.stg_arrival_scans").contains("model.opsflow_analytics.mart_volume_forecast"))
    }

    @Test func runHistoryCountsMatchRunResultsJSON() throws {
        let example = try Example.get()
        let path = example.targetDir + "/run_results.json"
        let runs = try RunResultsFileHistory(path: path).runs()
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        let root = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let results = try #require(root["results"] as? [[String: Any]])
        var expected: [String: Int] = [:]
        for r in results { expected[r["status"] as? String ?? "", default: 0] += 1 }
        #expect(run.statusCounts == expected)
        #expect(run.command == "build")
        #expect(run.id == (root["metadata"] as? [String: Any])?["invocation_id"] as? String)
        // The example's known warning: day-over-day growth outside 0–5 on promotion days.
        let warn = try #require(run.results.first { $0.status == "warn" })
        #expect(warn.uniqueID.contains("_growth__5__0"))
        #expect((warn.failures ?? 0) > 0)
    }

    @Test func microsecondTimestampsParseToTheSameInstantAsCalendarComponents() throws {
        let parsed = try #require(RunResultsFileHistory.parseTimestamp("2026-11-30T05:33:20.562150Z"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let expected = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 30, hour: 5, minute: 33, second: 20, nanosecond: 562_000_000)))
        #expect(abs(parsed.timeIntervalSince(expected)) < 0.001)
        #expect(RunResultsFileHistory.parseTimestamp("yesterday") == nil)
    }

    @Test func missingRunResultsIsNoHistoryAndAMissingManifestIsAnError() throws {
        #expect(try RunResultsFileHistory(path: "/nonexistent/run_results.json").runs().isEmpty)
        #expect(throws: WebError.artifactMissing("/nonexistent/manifest.json")) {
            try Catalog.load(manifestPath: "/nonexistent/manifest.json")
        }
    }
}

/// The read-only connection: bound parameters, no writes, a row limit and a timeout.
@Suite struct ReadOnlyWarehouseTests {
    static let orders = "\"dev_staging.stg_orders\""

    @Test func writesAreRefusedAndTheFileIsUnchanged() throws {
        let example = try Example.get()
        let warehouse = try SQLiteReadOnlyWarehouse(path: example.warehousePath)
        let before = try pythonQuery(example.warehousePath, "select count(*) from \"raw.im_global_collect_rate\"")
        for sql in ["delete from \"raw.im_global_collect_rate\"", "drop table \"raw.im_global_collect_rate\"",
                    "create table evil (x)", "insert into \"raw.im_global_collect_rate\" (waybillNo) values ('x')",
                    "select 1; delete from \"raw.im_global_collect_rate\""] {
            #expect(throws: WebError.self, "\(sql)") { try warehouse.query(sql, parameters: [:], limits: QueryLimits()) }
        }
        let after = try pythonQuery(example.warehousePath, "select count(*) from \"raw.im_global_collect_rate\"")
        #expect(before.first?.first as? Int == after.first?.first as? Int)
        #expect((after.first?.first as? Int ?? 0) > 10_000)
    }

    @Test func boundValuesSelectExactlyWhatPythonSelects() throws {
        let example = try Example.get()
        let warehouse = try SQLiteReadOnlyWarehouse(path: example.warehousePath)
        let sql = "select count(*) from \(Self.orders) where (:client_type is null or client_type = :client_type)"
        for value in ["Client_B", "Regional_Sales"] {
            let ours = try warehouse.query(sql, parameters: ["client_type": .text(value)], limits: QueryLimits())
            let oracle = try pythonQuery(example.warehousePath, sql, ["client_type": value])
            #expect(ours.result.rows.first?.first == .integer(Int64(oracle.first?.first as? Int ?? -1)))
        }
        // Injection attempts are values, so they match nothing.
        for attack in ["Client_B' or '1'='1", "x' union select waybill_no from \(Self.orders) --", "Client_B; drop table x"] {
            let out = try warehouse.query(sql, parameters: ["client_type": .text(attack)], limits: QueryLimits())
            #expect(out.result.rows.first?.first == .integer(0), "\(attack)")
        }
        let all = try warehouse.query(sql, parameters: ["client_type": .null], limits: QueryLimits())
        let oracleAll = try pythonQuery(example.warehousePath, "select count(*) from \(Self.orders)")
        #expect(all.result.rows.first?.first == .integer(Int64(oracleAll.first?.first as? Int ?? -1)))
    }

    @Test func rowLimitCutsAndSaysSo() throws {
        let example = try Example.get()
        let warehouse = try SQLiteReadOnlyWarehouse(path: example.warehousePath)
        let out = try warehouse.query("select waybill_no from \(Self.orders)", parameters: [:], limits: QueryLimits(maxRows: 25, timeout: 5))
        #expect(out.result.rows.count == 25)
        #expect(out.truncated)
        let small = try warehouse.query("select 1 union all select 2", parameters: [:], limits: QueryLimits(maxRows: 25, timeout: 5))
        #expect(small.result.rows == [[.integer(1)], [.integer(2)]])
        #expect(!small.truncated)
    }

    @Test func aRunawayQueryStopsAtTheTimeout() throws {
        let example = try Example.get()
        let warehouse = try SQLiteReadOnlyWarehouse(path: example.warehousePath)
        let start = Date()
        #expect(throws: WebError.timeout(0.3)) {
            try warehouse.query("with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r",
                                parameters: [:], limits: QueryLimits(maxRows: 10, timeout: 0.3))
        }
        #expect(Date().timeIntervalSince(start) < 3)
    }
}
