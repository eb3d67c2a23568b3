import Foundation
import Jinja
import Warehouse

extension WebApp {
    func catalog() throws -> Catalog {
        try cache.value(manifestPath) { try Catalog.load(manifestPath: manifestPath) }
    }

    /// The run history; `run_results.json` is parsed again only when it changed.
    func runs() throws -> [RunRecord] {
        guard let file = config.history as? RunResultsFileHistory else { return try config.history.runs() }
        return try cache.value(file.path) { try file.runs() }
    }

    func run(id: String) throws -> RunRecord? {
        if config.history is RunResultsFileHistory { return try runs().first { $0.id == id } }
        return try config.history.run(id: id)
    }

    /// The dashboards under `<projectDir>/dashboards` (re-read on every request: they are small).
    func dashboardSpecs() throws -> [DashboardSpec] { try DashboardSpec.loadAll(projectDir: config.projectDir) }

    /// The latest result of each node over the run history (newest run first).
    func latestResults() -> [String: (NodeRunRecord, RunRecord)] {
        var out: [String: (NodeRunRecord, RunRecord)] = [:]
        for run in (try? runs()) ?? [] {
            for r in run.results where out[r.uniqueID] == nil { out[r.uniqueID] = (r, run) }
        }
        return out
    }

    // MARK: Lineage

    func lineagePage(_ links: Links, focus: String?, q: String?, tests: Bool = true) throws -> String {
        let catalog = try catalog()
        let graph = LineageLayout(catalog: catalog, includeTests: tests)
        let focusID = focus.flatMap { catalog.nodes[$0] != nil ? $0 : nil }
        let query = (q ?? "").trimmingCharacters(in: .whitespaces)
        let matches = query.isEmpty ? [] : graph.placed.keys.sorted().compactMap { catalog.nodes[$0] }
            .filter { $0.name.lowercased().contains(query.lowercased()) }
            .map { HTML.dict([("name", HTML.text($0.name)), ("href", HTML.text(links.node($0.uniqueID)))]) }
        let kinds = Set(catalog.lineageIDs.compactMap { catalog.nodes[$0]?.resourceType }).sorted()
        let body = try env.renderTemplate(named: "lineage.html", context: [
            "links": HTML.dict([("home", HTML.text(links.home))]),
            "svg_html": HTML.safe(graph.svg(catalog: catalog, links: links, focus: focusID, query: query)),
            "q": HTML.text(query), "focus": focusID.map { HTML.text($0) } ?? .none,
            "focus_name": HTML.text(focusID.flatMap { catalog.nodes[$0]?.name }),
            "matches": HTML.list(matches), "kinds": HTML.list(kinds.map { HTML.text($0) }),
            "count": .int(graph.placed.count), "tests": .bool(tests), "static": .bool(links.isStatic),
            "toggle_href": HTML.text(Self.lineageHref(links, focus: focusID, q: query, tests: !tests)),
        ])
        return try layout(links, title: "Lineage", page: "lineage", body: body, catalog: catalog)
    }

    static func lineageHref(_ links: Links, focus: String?, q: String, tests: Bool) -> String {
        var query: [String] = []
        if !q.isEmpty { query.append("q=" + HTML.urlComponent(q)) }
        if let focus { query.append("focus=" + HTML.urlComponent(focus)) }
        if !tests { query.append("tests=0") }
        return links.home + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    // MARK: Node

    func nodePage(_ links: Links, id: String) throws -> String? {
        let catalog = try catalog()
        guard let n = catalog.nodes[id] else { return nil }
        let latest = latestResults()
        let tests = catalog.tests(on: id)
        func statusClass(_ s: String) -> String { s.replacingOccurrences(of: " ", with: "-") }
        func ref(_ other: String) -> Value {
            let node = catalog.nodes[other]
            return HTML.dict([("name", HTML.text(node?.name ?? other)), ("type", HTML.text(node?.resourceType)),
                              ("href", HTML.text(links.node(other)))])
        }
        var rowCount: String?
        // Tables only (as dbt's catalog stats): counting a view computes it.
        if let relation = n.relationName, ["table", "incremental", "seed", "snapshot", "source"].contains(n.materialized),
           let warehouse = config.warehouse,
           let out = try? warehouse.query("select count(*) from \(relation)", parameters: [:], limits: QueryLimits(maxRows: 1, timeout: 2)),
           let cell = out.result.rows.first?.first {
            rowCount = SVGCharts.formatNumber(cell.number ?? 0, "int")
        }
        var lastRun: Value = .none
        if let (r, run) = latest[id] {
            let when = r.completedAt ?? run.generatedAt
            lastRun = HTML.dict([("status", HTML.text(r.status)), ("status_class", HTML.text(statusClass(r.status))),
                                 ("when", HTML.text(when.map(Self.timestamp) ?? "")),
                                 ("duration", HTML.text(String(format: "%.2f s", r.executionTime)))])
        }
        let testValues = tests.map { t -> Value in
            let r = latest[t.uniqueID]?.0
            return HTML.dict([
                ("name", HTML.text(t.name)), ("href", HTML.text(links.node(t.uniqueID))), ("column", HTML.text(t.columnName)),
                ("severity", HTML.text(t.severity ?? "error")), ("status", HTML.text(r?.status ?? "not run")),
                ("status_class", HTML.text(statusClass(r?.status ?? "none"))),
                ("failures", r?.failures.flatMap { $0 > 0 ? .int($0) : nil } ?? .none),
            ])
        }
        let columns = Self.mergedColumns(n, stored: n.relationName.map { config.warehouse?.columns(ofRelation: $0) ?? [] } ?? [])
            .map { c -> Value in
                let names = tests.filter { $0.columnName == c.name }.map { $0.testName ?? $0.name }
                return HTML.dict([("name", HTML.text(c.name)), ("type", HTML.text(c.dataType)),
                                  ("description", HTML.text(c.description)), ("tests", HTML.text(names.joined(separator: ", ")))])
            }
        let node = HTML.dict([
            ("id", HTML.text(n.uniqueID)), ("name", HTML.text(n.name)), ("type", HTML.text(n.resourceType)),
            ("description", HTML.text(n.description)), ("materialized", HTML.text(n.materialized)),
            ("relation", HTML.text(n.relationName)), ("row_count", rowCount.map { HTML.text($0) } ?? .none),
            ("last_run", lastRun), ("path", HTML.text(n.originalFilePath)),
            ("focus_href", HTML.text(links.isStatic ? links.home : "/?focus=\(HTML.urlComponent(n.uniqueID))")),
            ("columns", HTML.list(columns)), ("tests", HTML.list(testValues)),
            ("parents", HTML.list(n.dependsOn.map(ref))), ("children", HTML.list((catalog.children[id] ?? []).map(ref))),
            ("raw_code", HTML.text(n.rawCode)),
            // The manifest is written at parse, before compilation: the latest run has the compiled SQL.
            ("compiled_code", HTML.text(n.compiledCode ?? latest[id]?.0.compiledCode)),
        ])
        let body = try env.renderTemplate(named: "node.html", context: ["n": node, "links": HTML.dict([("home", HTML.text(links.home))])])
        return try layout(links, title: n.name, page: "node", body: body, catalog: catalog)
    }

    /// The warehouse's columns in table order, with the property file's descriptions (and its
    /// declared type when given), then documented columns the table lacks (dbt docs merge the
    /// catalog with the manifest the same way).
    static func mergedColumns(_ n: DocsNode, stored: [Column]) -> [DocsColumn] {
        let documented = Dictionary(n.columns.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var out = stored.map { c -> DocsColumn in
            let doc = documented[c.name.lowercased()]
            return DocsColumn(name: c.name, dataType: (doc?.dataType).flatMap { $0.isEmpty ? nil : $0 } ?? c.dataType,
                              description: doc?.description ?? "")
        }
        let seen = Set(stored.map { $0.name.lowercased() })
        out += n.columns.filter { !seen.contains($0.name.lowercased()) }
        return out
    }

    // MARK: Runs

    func runSummary(_ run: RunRecord, _ links: Links) -> [(String, Value)] {
        let counts = run.statusCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        // run_results.json records no status of its own: the nodes' outcome stands for it.
        let status = run.status ?? (run.failed ? "error" : "success")
        return [("status", HTML.text(status)), ("status_class", HTML.text(status.replacingOccurrences(of: " ", with: "-"))),
                ("source", HTML.text(run.source)), ("id", HTML.text(run.id)), ("short_id", HTML.text(String(run.id.prefix(8)))), ("href", HTML.text(links.run(run.id))),
                ("command", HTML.text(run.command)), ("started", HTML.text(run.startedAt.map(Self.timestamp) ?? "")),
                ("elapsed", HTML.text(String(format: "%.2f s", run.elapsedTime))), ("counts", HTML.text(counts)),
                ("failed", .bool(run.failed))]
    }

    func runsPage(_ links: Links) throws -> String {
        let catalog = try? catalog()
        let runs = try runs()
        let body = try env.renderTemplate(named: "runs.html", context: [
            "runs": HTML.list(runs.map { HTML.dict(runSummary($0, links)) }),
            "source": HTML.text(String(describing: type(of: config.history))),
        ])
        return try layout(links, title: "Runs", page: "runs", body: body, catalog: catalog)
    }

    func runPage(_ links: Links, id: String) throws -> String? {
        guard let run = try run(id: id) else { return nil }
        let catalog = try? catalog()
        func name(_ id: String) -> String { catalog?.nodes[id]?.name ?? id }
        let ordered = run.results.sorted { ($0.startedAt ?? .distantFuture, $0.uniqueID) < ($1.startedAt ?? .distantFuture, $1.uniqueID) }
        let nodes = ordered.map { r in
            HTML.dict([("id", HTML.text(r.uniqueID)), ("name", HTML.text(name(r.uniqueID))), ("href", HTML.text(links.node(r.uniqueID))),
                       ("status", HTML.text(r.status)), ("status_class", HTML.text(r.status.replacingOccurrences(of: " ", with: "-"))),
                       ("duration", HTML.text(String(format: "%.3f s", r.executionTime))), ("message", HTML.text(r.message))])
        }
        var failing: [Value] = []
        for r in ordered where ["fail", "warn", "error"].contains(r.status) && r.uniqueID.hasPrefix("test.") {
            var rows = "<p class=\"muted\">No warehouse connection to read the failing rows.</p>"
            if let sql = r.compiledCode, let warehouse = config.warehouse {
                do {
                    let out = try warehouse.query(sql, parameters: [:], limits: QueryLimits(maxRows: 20, timeout: 3))
                    rows = CardHTML.table(out.result, format: nil)
                } catch { rows = "<p class=\"error\">\(HTML.escape("\(error)"))</p>" }
            }
            failing.append(HTML.dict([("name", HTML.text(name(r.uniqueID))), ("href", HTML.text(links.node(r.uniqueID))),
                                      ("status", HTML.text(r.status)), ("status_class", HTML.text(r.status)),
                                      ("failures", .int(r.failures ?? 0)), ("rows_html", HTML.safe(rows))]))
        }
        var summary = runSummary(run, links)
        summary.append(("nodes", HTML.list(nodes)))
        let body = try env.renderTemplate(named: "run.html", context: [
            "r": HTML.dict(summary), "timeline_html": HTML.safe(Self.timeline(run, ordered, name: name)),
            "failing": HTML.list(failing), "links": HTML.dict([("runs", HTML.text(links.runs))]),
        ])
        return try layout(links, title: "Run \(run.id.prefix(8))", page: "run", body: body, catalog: catalog)
    }

    /// Every node as a bar from its start to its end, relative to the run's first start.
    static func timeline(_ run: RunRecord, _ results: [NodeRunRecord], name: (String) -> String) -> String {
        let starts = results.compactMap(\.startedAt)
        guard let t0 = starts.min() else { return "<p class=\"muted\">No timing in this run.</p>" }
        let t1 = results.compactMap { $0.completedAt ?? $0.startedAt }.max() ?? t0
        let span = max(t1.timeIntervalSince(t0), 0.001)
        let labelW = 280.0, plotW = 620.0, rowH = 16.0
        let height = Double(results.count) * rowH + 24
        var svg = "<svg class=\"timeline\" viewBox=\"0 0 \(Int(labelW + plotW + 80)) \(Int(height))\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">"
        for (i, r) in results.enumerated() {
            let y = Double(i) * rowH + 4
            let start = r.startedAt.map { $0.timeIntervalSince(t0) } ?? 0
            let end = r.completedAt.map { $0.timeIntervalSince(t0) } ?? start + r.executionTime
            let x = labelW + start / span * plotW, w = max((end - start) / span * plotW, 1.5)
            let label = name(r.uniqueID)
            svg += "<text x=\"0\" y=\"\(String(format: "%.1f", y + 11))\">\(HTML.escape(label.count > 42 ? String(label.prefix(41)) + "…" : label))</text>"
            svg += "<rect class=\"bar s-\(HTML.escape(r.status.replacingOccurrences(of: " ", with: "-")))\" x=\"\(String(format: "%.1f", x))\" y=\"\(String(format: "%.1f", y + 2))\" width=\"\(String(format: "%.1f", w))\" height=\"\(Int(rowH - 4))\"><title>\(HTML.escape("\(label): \(r.status), \(String(format: "%.3f", r.executionTime)) s"))</title></rect>"
            svg += "<text x=\"\(String(format: "%.1f", x + w + 4))\" y=\"\(String(format: "%.1f", y + 11))\">\(String(format: "%.2f s", r.executionTime))</text>"
        }
        svg += "<text x=\"\(Int(labelW))\" y=\"\(Int(height - 2))\">0 s</text><text x=\"\(Int(labelW + plotW))\" y=\"\(Int(height - 2))\" text-anchor=\"end\">\(String(format: "%.2f s", span))</text>"
        return svg + "</svg>"
    }

    static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return f.string(from: date)
    }
}
