import Foundation
import Jinja

extension WebApp {
    func dashboardsPage(_ links: Links) throws -> String {
        let catalog = try? catalog()
        let specs = try dashboardSpecs()
        let body = try env.renderTemplate(named: "dashboards.html", context: [
            "dashboards": HTML.list(specs.map {
                HTML.dict([("title", HTML.text($0.title)), ("description", HTML.text($0.description)),
                           ("href", HTML.text(links.dashboard($0.name)))])
            }),
        ])
        return try layout(links, title: "Dashboards", page: "dashboards", body: body, catalog: catalog)
    }

    func dashboardSpec(_ name: String) throws -> DashboardSpec? {
        try dashboardSpecs().first { $0.name == name }
    }

    /// `/dashboards/<name>` (the page) or `/dashboards/<name>/cards` (the cards alone, for the script).
    func dashboardResponse(_ links: Links, name: String, query: [String: String], fragmentOnly: Bool) throws -> WebResponse {
        guard let spec = try dashboardSpec(name) else { return notFound(links) }
        let rendered = try renderDashboard(links, spec: spec, query: query)
        if fragmentOnly { return .html(rendered.cards, status: rendered.status) }
        return .html(rendered.page, status: rendered.status)
    }

    /// Runs and draws a dashboard. A bad filter value gives status 400 and no card data at all.
    func renderDashboard(_ links: Links, spec: DashboardSpec, query: [String: String]) throws -> (page: String, cards: String, status: Int) {
        let catalog = try catalog()
        guard let warehouse = config.warehouse else {
            let message = "this target's warehouse cannot be read by the dashboard server (only the embedded SQLite warehouse for now)"
            let page = try layout(links, title: spec.title, page: "dashboard", body: "<h1>\(HTML.escape(spec.title))</h1><p class=\"error\">\(HTML.escape(message))</p>", catalog: catalog)
            return (page, "<p class=\"error\">\(HTML.escape(message))</p>", 503)
        }
        let runner = DashboardRunner(catalog: catalog, warehouse: warehouse, limits: config.limits)
        var status = 200
        var errorText: String?
        var filters: [String: String] = [:]
        do { filters = try DashboardRunner.filterValues(spec, query: query) } catch {
            errorText = "\(error)"
            status = 400
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let cards = errorText == nil ? runner.run(spec, filters: filters) : []
        let cardsHTML = errorText.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? cards.map(CardHTML.render).joined()
        let choices = runner.filterChoices(spec)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let filterValues = spec.filters.map { f in
            var options = choices[f.name] ?? []
            // Keep an unusual current value visible, so the form shows what is applied.
            if let current = filters[f.name], !options.contains(current) { options.append(current) }
            return HTML.dict([
                ("name", HTML.text(f.name)), ("label", HTML.text(f.label)),
                ("options", HTML.list(options.map { HTML.dict([("value", HTML.text($0)), ("selected", .bool(filters[f.name] == $0))]) })),
            ])
        }
        let summary = filters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let d = HTML.dict([
            ("name", HTML.text(spec.name)), ("title", HTML.text(spec.title)), ("description", HTML.text(spec.description)),
            ("action", HTML.text(links.dashboard(spec.name))), ("filters", HTML.list(links.isStatic ? [] : filterValues)),
            ("error", HTML.text(errorText)), ("filter_summary", HTML.text(summary)), ("ms", .int(Int(ms.rounded()))),
        ])
        let body = try env.renderTemplate(named: "dashboard.html", context: [
            "d": d, "cards_html": HTML.safe(cardsHTML), "static": .bool(links.isStatic),
        ])
        return (try layout(links, title: spec.title, page: "dashboard", body: body, catalog: catalog), cardsHTML, status)
    }
}
