import Foundation
import Testing
import WarehouseSQLite
import Warehouse
@testable import Web

/// Pages and JSON endpoints through the app (no socket): content against the artifacts and Python.
@Suite struct PageTests {
    static func get(_ app: WebApp, _ target: String, headers: [String: String] = [:]) -> WebResponse {
        app.handle(WebRequest(target: target, headers: headers))
    }

    @Test func lineageShowsEveryNodeLeftToRightAndSearchMarksMatches() throws {
        let example = try Example.get()
        let app = try example.app()
        let page = Self.get(app, "/").text
        let catalog = try Catalog.load(manifestPath: example.targetDir + "/manifest.json")
        #expect(attributeValues(page, "data-id").count == catalog.lineageIDs.count)
        #expect(page.contains("href=\"/node/model.opsflow_analytics.mart_volume_forecast\""))
        // Left to right: a source sits left of staging, which sits left of the mart.
        let layout = LineageLayout(catalog: catalog)
        let x = { (id: String) in layout.placed[id]?.x ?? -1 }
        #expect(x("source.opsflow_analytics.raw_source.im_global_collect_rate") < x("model.opsflow_analytics.stg_orders"))
        #expect(x("model.opsflow_analytics.stg_orders") < x("model.opsflow_analytics.int_orders_daily"))
        #expect(x("model.opsflow_analytics.int_orders_daily") < x("model.opsflow_analytics.mart_volume_forecast"))
        // An edge that skips columns runs through free slots, never across a node box.
        for (index, edge) in layout.edges.enumerated() {
            let from = layout.placed[edge.from]?.rank ?? 0, to = layout.placed[edge.to]?.rank ?? 0
            #expect(layout.waypoints[index].count == max(0, to - from - 1))
            for w in layout.waypoints[index] {
                #expect(!layout.placed.values.contains { $0.x == w.x && $0.y == w.y }, "\(edge)")
            }
        }
        // Without tests: every non-test node, and the toggle links back.
        let noTests = Self.get(app, "/?tests=0").text
        let nonTests = catalog.lineageIDs.filter { catalog.nodes[$0]?.resourceType != "test" }
        #expect(Set(attributeValues(noTests, "data-id")) == Set(nonTests))
        #expect(noTests.contains("<a class=\"toggle\" href=\"/\">Show tests</a>"))
        let search = Self.get(app, "/?q=forecast").text
        #expect(search.contains("match for “forecast”") || search.contains("matches for “forecast”"))
        #expect(search.components(separatedBy: "class=\"node n-model match\"").count - 1 == 1)
        let focus = Self.get(app, "/?focus=model.opsflow_analytics.int_orders_daily").text
        #expect(focus.contains("class=\"node n-model focus\" href=\"/node/model.opsflow_analytics.int_orders_daily\""))
        #expect(focus.contains("class=\"node n-model up\" href=\"/node/model.opsflow_analytics.stg_orders\""))
        #expect(focus.contains("class=\"node n-model down\" href=\"/node/model.opsflow_analytics.mart_volume_forecast\""))
        #expect(focus.contains("class=\"node n-model dim\" href=\"/node/model.opsflow_analytics.stg_arrival_scans\""))
    }

    @Test func modelPageHasDocsTestsStatusRowCountAndSQL() throws {
        let example = try Example.get()
        let page = Self.get(try example.app(), "/node/model.opsflow_analytics.mart_natural_growth_daily").text
        #expect(page.contains("Daily natural growth per client type and business type"))
        #expect(page.contains("<code>growth_key</code>"))
        #expect(page.contains("Surrogate key `order_date|client_type|business_type`."))
        #expect(page.contains("<dt>Materialization</dt><dd>table</dd>"))
        // Column types as the engine's adapter reports them: CTAS columns have no declared type,
        // so the logical type of the first non-null value (Python's typeof is the oracle).
        // A table built from BigQuery SQL declares its columns' BigQuery types, which win.
        let info = try pythonQuery(example.warehousePath, "select name, type from pragma_table_info('dev_marts.mart_natural_growth_daily') order by cid")
        #expect(info.count == 11)
        let logical = ["integer": "INT64", "real": "FLOAT64", "text": "STRING"]
        var lastIndex = page.startIndex
        for row in info {
            let name = row[0] as? String ?? "?"
            let declared = row.count > 1 ? (row[1] as? String ?? "") : ""
            let sample = try pythonQuery(example.warehousePath, "select typeof(\"\(name)\") from \"dev_marts.mart_natural_growth_daily\" where \"\(name)\" is not null limit 1")
            let type = declared.isEmpty ? (logical[sample.first?.first as? String ?? ""] ?? "?") : SQLiteTypes.logicalType(forDeclared: declared)
            let cell = "<td><code>\(name)</code></td><td>\(type)</td>"
            let found = try #require(page.range(of: cell), "\(cell)")
            // In the table's column order.
            #expect(found.lowerBound > lastIndex)
            lastIndex = found.lowerBound
        }
        let count = try pythonQuery(example.warehousePath, "select count(*) from \"dev_marts.mart_natural_growth_daily\"")
        let expected = SVGCharts.groupThousands(Int64(count.first?.first as? Int ?? -1))
        #expect(page.contains("<dd class=\"row-count\">\(expected)</dd>"))
        // Tests with their latest status from run_results.json, including the warning.
        #expect(page.contains("unique_mart_natural_growth_daily_growth_key"))
        #expect(page.contains("<span class=\"status s-warn\">warn</span>"))
        #expect(page.contains("<span class=\"status s-success\">success</span>"))
        #expect(page.contains("<h2>SQL</h2>") && page.contains("{{ ref(&#39;int_natural_growth&#39;) }}"))
        #expect(page.contains("<h2>Compiled SQL</h2>") && page.contains("`dev_intermediate.int_natural_growth`"))
    }

    @Test func runsShowEveryNodeOnATimelineAndTheFailingRows() throws {
        let example = try Example.get()
        let app = try example.app()
        let root = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: example.targetDir + "/run_results.json"))) as? [String: Any])
        let id = try #require((root["metadata"] as? [String: Any])?["invocation_id"] as? String)
        let results = try #require(root["results"] as? [[String: Any]])
        let list = Self.get(app, "/runs").text
        #expect(list.contains("href=\"/runs/\(id)\""))
        let page = Self.get(app, "/runs/\(id)").text
        #expect(page.components(separatedBy: "<rect class=\"bar").count - 1 == results.count)
        #expect(page.contains("<h2>Failing tests</h2>"))
        // Every warning in run_results.json has its section with the count the test reported.
        let warnings = results.filter { $0["status"] as? String == "warn" }.compactMap { $0["failures"] as? Int }
        #expect(!warnings.isEmpty)
        for failures in warnings { #expect(page.contains("\(failures) failing rows")) }
        // A section's failing rows are the test query's rows: as many as that test counted
        // (sections follow start order, which threads make differ from run_results' order).
        for section in page.components(separatedBy: "<section class=\"failing\">").dropFirst() {
            let counted = try #require(section.firstMatch(of: /(\d+) failing rows/).flatMap { Int($0.1) })
            #expect(warnings.contains(counted))
            #expect(section.components(separatedBy: "<tr>").count - 2 == counted)
        }
        #expect(Self.get(app, "/runs/nope").status == 404)
    }

    @Test func textIsEscapedEverywhere() throws {
        let example = try Example.get()
        // A copy of the manifest whose model description and column hold markup.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-web-xss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var root = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: example.targetDir + "/manifest.json"))) as? [String: Any])
        var nodes = try #require(root["nodes"] as? [String: Any])
        var node = try #require(nodes["model.opsflow_analytics.stg_orders"] as? [String: Any])
        node["description"] = "<script>alert('x')</script> & \"more\""
        nodes["model.opsflow_analytics.stg_orders"] = node
        root["nodes"] = nodes
        try JSONSerialization.data(withJSONObject: root).write(to: dir.appendingPathComponent("manifest.json"))
        let app = WebApp(config: WebConfig(projectDir: example.projectDir.path, targetDir: dir.path))
        let page = Self.get(app, "/node/model.opsflow_analytics.stg_orders").text
        // markupsafe's escaping of the same text (Jinja2's `|e`) is the oracle.
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;more&#34;"))
        #expect(!page.contains("<script>alert"))
        let search = Self.get(app, "/?q=%3Cimg%20src%3Dx%3E").text
        #expect(search.contains("&lt;img src=x&gt;") && !search.contains("<img src=x>"))
    }

    @Test func accessTokenProtectsEveryRoute() throws {
        let example = try Example.get()
        let app = try example.app(token: "s3cret")
        #expect(Self.get(app, "/").status == 401)
        #expect(Self.get(app, "/api/runs").status == 401)
        #expect(Self.get(app, "/?token=wrong").status == 401)
        let first = Self.get(app, "/?token=s3cret")
        #expect(first.status == 200)
        #expect(first.headers["Set-Cookie"]?.hasPrefix("opsflow_token=s3cret;") == true)
        #expect(Self.get(app, "/runs", headers: ["cookie": "a=b; opsflow_token=s3cret"]).status == 200)
        #expect(Self.get(app, "/api/runs", headers: ["authorization": "Bearer s3cret"]).status == 200)
    }

    @Test func jsonEndpointsMatchTheirDocumentedShape() throws {
        let example = try Example.get()
        let app = try example.app()
        func json(_ target: String) throws -> Any { try JSONSerialization.jsonObject(with: Self.get(app, target).body) }
        let lineage = try #require(try json("/api/lineage") as? [String: Any])
        let catalog = try Catalog.load(manifestPath: example.targetDir + "/manifest.json")
        #expect((lineage["nodes"] as? [Any])?.count == catalog.lineageIDs.count)
        let node = try #require(try json("/api/nodes/model.opsflow_analytics.mart_volume_forecast") as? [String: Any])
        #expect(node["materialized"] as? String == "table")
        #expect((node["last_run"] as? [String: Any])?["status"] as? String == "success")
        let runs = try #require(try json("/api/runs") as? [[String: Any]])
        #expect(runs.first?["command"] as? String == "build")
        let dashboard = try #require(try json("/api/dashboards/opsflow_executive?client_type=Client_C") as? [String: Any])
        #expect((dashboard["filters"] as? [String: String]) == ["client_type": "Client_C"])
        let cards = try #require(dashboard["cards"] as? [[String: Any]])
        #expect(cards.count == 7 && cards.allSatisfy { $0["error"] is NSNull })
        let table = try #require(cards.first { $0["chart"] as? String == "table" })
        #expect((table["rows"] as? [[Any]])?.first?.first as? String == "Client_C")
        #expect(Self.get(app, "/api/dashboards/opsflow_executive?client_type=" + String(repeating: "y", count: 300)).status == 400)
        #expect(Self.get(app, "/api/nope").status == 404)
    }

    @Test func docsGenerateWritesALinkedStaticSite() throws {
        let example = try Example.get()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-docs-\(UUID().uuidString)")
        let count = try example.app().writeStaticSite(to: out.path)
        let catalog = try Catalog.load(manifestPath: example.targetDir + "/manifest.json")
        // index, a page per node, runs + one run, dashboards + one, two assets.
        #expect(count == 1 + catalog.nodes.count + 2 + 2 + 2)
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"node-model.opsflow_analytics.stg_orders.html\""))
        #expect(index.contains("href=\"assets/app.css\""))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("node-model.opsflow_analytics.stg_orders.html").path))
        let dashboard = try String(contentsOf: out.appendingPathComponent("dashboard-opsflow_executive.html"), encoding: .utf8)
        #expect(dashboard.contains("static snapshot"))
        #expect(cardSignatures(dashboard).count == 7)
    }
}
