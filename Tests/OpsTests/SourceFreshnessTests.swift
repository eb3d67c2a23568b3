import Foundation
@testable import Ops
import Run
import Testing
import Warehouse
import WarehouseSQLite

/// `opsflow source freshness` on the example project's sources (warn after 26 h, error after
/// 50 h on the loaded_at_field), with rules from dbt's freshness documentation: error wins over
/// warn, and a source without rows is a runtime error.
@Suite struct SourceFreshnessTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/opsflow_analytics").standardizedFileURL

    @Test func warnAndErrorThresholdsAsDbt() throws {
        let dir = try TempDir()
        let project = dir.url.appendingPathComponent("project")
        try FileManager.default.copyItem(at: Self.example, to: project)
        for junk in ["target", ".opsflow", "opsflow.sqlite"] { try? FileManager.default.removeItem(at: project.appendingPathComponent(junk)) }
        var options = InvocationOptions()
        options.projectDir = project.path
        let factory = AdapterFactory(type: "sqlite") { settings, root in
            try SQLiteAdapter(path: URL(fileURLWithPath: root).appendingPathComponent(settings["path"] ?? "opsflow.sqlite").path, schema: settings["schema"])
        }
        let workspace = try OpsWorkspace(options: options, adapters: [factory])
        defer { workspace.close() }
        let now = ISO8601DateFormatter().date(from: "2026-11-30T07:00:00Z") ?? Date()
        #expect(SourceFreshness.check(manifest: workspace.manifest, adapter: workspace.adapter, now: now).map(\.status)
                == ["runtime error", "runtime error"])
        let loader = SourceLoader(adapter: workspace.adapter, state: workspace.state, targetName: "dev")
        // Orders last created 27 h before now (past warn_after 26 h); scans 51 h before (past error_after 50 h).
        let orders = try dir.write("orders.csv", "waybillNo,createDate,pickupTime,clientName,businessType\nW1,2026-11-29 04:00:00,,Client_B,D2D\nW0,2026-11-28 04:00:00,,Client_B,D2D\n")
        let scans = try dir.write("scans.csv", "waybillNo,scanDate,scanStation,clientName\nW1,2026-11-28 04:00:00,CDC-SP,Client_B\n")
        _ = try loader.load(SourceContract(source: try workspace.source("raw_source.im_global_collect_rate")), files: [orders])
        _ = try loader.load(SourceContract(source: try workspace.source("raw_source.im_arrival_scan")), files: [scans])
        let results = SourceFreshness.check(manifest: workspace.manifest, adapter: workspace.adapter, now: now)
        #expect(results.map(\.uniqueId) == ["source.opsflow_analytics.raw_source.im_global_collect_rate",
                                            "source.opsflow_analytics.raw_source.im_arrival_scan"])
        #expect(results.map(\.status) == ["warn", "error"])
        #expect(results.map(\.ageSeconds) == [27 * 3600, 51 * 3600])
        #expect(results.map(\.maxLoadedAt) == ["2026-11-29 04:00:00", "2026-11-28 04:00:00"])
        // Two hours later than the orders' warn threshold is still short of error_after.
        let fresh = SourceFreshness.check(manifest: workspace.manifest, adapter: workspace.adapter, now: now.addingTimeInterval(-2 * 3600))
        #expect(fresh.first?.status == "pass")
    }
}
