import Foundation
import Warehouse

/// The JSON endpoints (documented with example responses in `Sources/Web/API.md`).
extension WebApp {
    func api(_ segments: [String], query: [String: String]) throws -> WebResponse {
        switch (segments.first, segments.count) {
        case ("lineage", 1):
            let catalog = try catalog()
            let layout = LineageLayout(catalog: catalog)
            let nodes: [[String: Any]] = layout.placed.values.sorted { ($0.rank, $0.row) < ($1.rank, $1.row) }.map { p in
                let n = catalog.nodes[p.id]
                return ["unique_id": p.id, "name": n?.name ?? p.id, "resource_type": n?.resourceType ?? "",
                        "rank": p.rank, "x": p.x, "y": p.y]
            }
            return .json(["nodes": nodes, "edges": layout.edges.map { ["from": $0.from, "to": $0.to] }])
        case ("nodes", 2):
            let catalog = try catalog()
            guard let n = catalog.nodes[segments[1]] else { return .json(["error": "no node \(segments[1])"], status: 404) }
            let latest = latestResults()
            var object: [String: Any] = [
                "unique_id": n.uniqueID, "name": n.name, "resource_type": n.resourceType, "description": n.description,
                "materialized": n.materialized, "relation_name": n.relationName as Any? ?? NSNull(),
                "columns": n.columns.map { ["name": $0.name, "data_type": $0.dataType, "description": $0.description] },
                "depends_on": n.dependsOn, "children": catalog.children[n.uniqueID] ?? [],
                "raw_code": n.rawCode, "compiled_code": n.compiledCode as Any? ?? NSNull(),
                "tests": catalog.tests(on: n.uniqueID).map { t -> [String: Any] in
                    ["unique_id": t.uniqueID, "name": t.name, "column_name": t.columnName as Any? ?? NSNull(),
                     "status": latest[t.uniqueID]?.0.status as Any? ?? NSNull()]
                },
            ]
            if let (r, _) = latest[n.uniqueID] {
                object["last_run"] = ["status": r.status, "execution_time": r.executionTime,
                                      "completed_at": r.completedAt.map(Self.timestamp) as Any? ?? NSNull()]
            } else {
                object["last_run"] = NSNull()
            }
            return .json(object)
        case ("runs", 1):
            return .json(try runs().map { runJSON($0, withResults: false) })
        case ("runs", 2):
            guard let run = try run(id: segments[1]) else { return .json(["error": "no run \(segments[1])"], status: 404) }
            return .json(runJSON(run, withResults: true))
        case ("dashboards", 1):
            return .json(try dashboardSpecs().map { spec -> [String: Any] in
                ["name": spec.name, "title": spec.title, "filters": spec.filters.map(\.name),
                 "cards": spec.cards.map { ["id": $0.id, "title": $0.title, "chart": $0.chart.rawValue] }]
            })
        case ("dashboards", 2):
            guard let spec = try dashboardSpec(segments[1]) else { return .json(["error": "no dashboard \(segments[1])"], status: 404) }
            guard let warehouse = config.warehouse else { return .json(["error": "no readable warehouse"], status: 503) }
            let filters: [String: String]
            do { filters = try DashboardRunner.filterValues(spec, query: query) } catch {
                return .json(["error": "\(error)"], status: 400)
            }
            let runner = DashboardRunner(catalog: try catalog(), warehouse: warehouse, limits: config.limits)
            let cards = runner.run(spec, filters: filters).map { c -> [String: Any] in
                [
                    "id": c.card.id, "title": c.card.title, "chart": c.card.chart.rawValue,
                    "columns": c.result?.columns.map(\.name) ?? [],
                    "rows": (c.result?.rows ?? []).map { $0.map(Self.jsonCell) },
                    "truncated": c.truncated, "error": c.error as Any? ?? NSNull(),
                    "milliseconds": (c.milliseconds * 10).rounded() / 10,
                ]
            }
            return .json(["name": spec.name, "filters": filters, "cards": cards])
        default:
            return .json(["error": "no endpoint /api/\(segments.joined(separator: "/"))"], status: 404)
        }
    }

    func runJSON(_ run: RunRecord, withResults: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "id": run.id, "command": run.command, "elapsed_time": run.elapsedTime, "failed": run.failed,
            "started_at": run.startedAt.map(Self.timestamp) as Any? ?? NSNull(), "status_counts": run.statusCounts,
            "status": run.status as Any? ?? NSNull(), "source": run.source,
        ]
        if withResults {
            object["results"] = run.results.map { r -> [String: Any] in
                ["unique_id": r.uniqueID, "status": r.status, "execution_time": r.executionTime,
                 "started_at": r.startedAt.map(Self.timestamp) as Any? ?? NSNull(),
                 "completed_at": r.completedAt.map(Self.timestamp) as Any? ?? NSNull(),
                 "failures": r.failures as Any? ?? NSNull(), "message": r.message as Any? ?? NSNull()]
            }
        }
        return object
    }

    static func jsonCell(_ cell: Cell) -> Any {
        switch cell {
        case .null: return NSNull()
        case .integer(let i): return i
        case .real(let d): return d.isFinite ? d : NSNull()
        case .text(let s): return s
        case .bool(let b): return b
        case .blob(let b): return b.map { String(format: "%02x", $0) }.joined()
        }
    }
}
