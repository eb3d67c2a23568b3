import Foundation
@testable import Ops
import Run
import Testing
import Warehouse
import WarehouseSQLite

/// "Secrets stay secret" (DESIGN.md): the Ops verbs run on a copy of the example project with a
/// WMS token, a WMS URL and a Slack webhook URL in the environment; then every byte they wrote —
/// console output, target/ artifacts, the state database (and its WAL), the warehouse file — is
/// searched for those values.
@Suite(.serialized) struct SecretsTests {
    @Test func noSecretInAnyLogArtifactOrStateRow() throws {
        let dir = try TempDir()
        let server = try TestHTTPServer()
        let project = dir.url.appendingPathComponent("project")
        try FileManager.default.copyItem(at: SourceFreshnessTests.example, to: project)
        for junk in ["target", ".opsflow", "opsflow.sqlite"] { try? FileManager.default.removeItem(at: project.appendingPathComponent(junk)) }
        let token = "wms-token-7b2f0c9e1d"
        let wmsURL = server.url("/wms/key-4411aa99")
        let slackURL = server.url("/services/T1/B2/slacksecret5566")
        setenv("WMS_URL", wmsURL, 1)
        setenv("WMS_TOKEN", token, 1)
        setenv("SLACK_WEBHOOK_URL", slackURL, 1)
        defer { unsetenv("WMS_URL"); unsetenv("WMS_TOKEN"); unsetenv("SLACK_WEBHOOK_URL") }
        let factory = AdapterFactory(type: "sqlite") { settings, root in
            try SQLiteAdapter(path: URL(fileURLWithPath: root).appendingPathComponent(settings["path"] ?? "opsflow.sqlite").path, schema: settings["schema"])
        }
        var options = InvocationOptions()
        options.projectDir = project.path
        // The forecast mart, as a build would leave it (only the synced columns matter here).
        do {
            let workspace = try OpsWorkspace(options: options, adapters: [factory])
            defer { workspace.close() }
            let node = try #require(workspace.manifest.nodes.values.first { $0.name == "mart_volume_forecast" })
            let relation = Relation(schema: node.schema ?? "dev", identifier: node.alias ?? node.name, kind: .table)
            try workspace.adapter.createSchema(relation.schema)
            try workspace.adapter.createTable(relation, columns: ["forecast_key", "forecast_date", "client_type", "business_type", "shift"]
                .map { Column(name: $0, dataType: "STRING") } + [Column(name: "forecast_orders", dataType: "FLOAT64")])
            _ = try workspace.adapter.insert(into: relation, columns: ["forecast_key", "forecast_date", "client_type", "business_type", "shift", "forecast_orders"],
                                             rows: [[.text("k1"), .text("2026-12-01"), .text("Client_A"), .text("D2D"), .text("T1"), .real(12.5)]])
        }
        try FileManager.default.createDirectory(at: project.appendingPathComponent("target"), withIntermediateDirectories: true)
        try Data(#"{"metadata": {"invocation_id": "inv-1"}, "elapsed_time": 2.0, "results": [{"unique_id": "model.opsflow_analytics.mart_volume_forecast", "status": "error", "message": "boom"}]}"#.utf8)
            .write(to: project.appendingPathComponent("target/run_results.json"))
        // Capture the console (file descriptor 1) while the verbs run.
        let consolePath = dir.url.appendingPathComponent("console.log").path
        FileManager.default.createFile(atPath: consolePath, contents: nil)
        let saved = dup(1)
        let file = open(consolePath, O_WRONLY)
        dup2(file, 1)
        try server.plan(["500", "drop", "ok", "500", "ok"])
        let syncCode = OpsCommands.sync(options: options, adapters: [factory], name: "wms_forecast", dryRun: false)
        let alertCode = OpsCommands.alert(options: options, adapters: [factory])
        unsetenv("WMS_TOKEN")
        let failingCode = OpsCommands.sync(options: options, adapters: [factory], name: nil, dryRun: false)
        let runsCode = OpsCommands.runs(projectDir: project.path, limit: 10, job: nil, json: true)
        // `say` writes through FileHandle (unbuffered), so nothing waits in a stdio buffer.
        dup2(saved, 1)
        close(file)
        close(saved)
        #expect([syncCode, alertCode, failingCode, runsCode] == [0, 0, 2, 0])
        let requests = try server.state().requests
        #expect(requests.contains { $0.headers["Authorization"] == "Bearer \(token)" })
        #expect(requests.contains { $0.path == "/services/T1/B2/slacksecret5566" })
        var haystack = ""
        let enumerator = FileManager.default.enumerator(atPath: dir.path)
        var files = 0
        while let relative = enumerator?.nextObject() as? String {
            let url = dir.url.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  relative.hasPrefix("project/target") || relative.hasPrefix("project/.opsflow") || relative.hasSuffix(".sqlite")
                    || relative.hasSuffix("-wal") || relative == "console.log" else { continue }
            files += 1
            haystack += String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        #expect(files >= 4)
        #expect(haystack.contains("wms_forecast"))
        for secret in [token, "key-4411aa99", "slacksecret5566", wmsURL, slackURL] {
            #expect(!haystack.contains(secret), "\(secret) leaked")
        }
    }
}
