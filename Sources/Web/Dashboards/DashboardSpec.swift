import Foundation
import Yams

/// How a card draws its rows.
public enum ChartKind: String, Sendable, CaseIterable {
    case line, bar, stackedBar = "stacked_bar", table, number
}

/// A dashboard filter: one value chosen by the viewer, bound as `:name` in every card's SQL.
public struct DashboardFilter: Sendable, Hashable {
    /// The parameter name (`:client_type` in SQL, `?client_type=` in URLs).
    public var name: String
    public var label: String
    /// Model cards filter this column with the value (defaults to `name`).
    public var column: String
    /// Fixed choices, or
    public var values: [String]
    /// SQL whose first column lists the choices (Jinja: `ref()`/`source()`).
    public var valuesSQL: String?
}

/// One card: a SQL query or a model, drawn as a chart.
public struct DashboardCard: Sendable, Hashable {
    public var id: String
    public var title: String
    public var description: String
    public var chart: ChartKind
    /// SQL with `:filter` placeholders and Jinja `ref()`/`source()`; or
    public var sql: String?
    /// a model name: the card reads it, filtered by every filter whose column the model has.
    public var model: String?
    /// The x (category) column; the y columns (one series each), or one y plus a `series` column.
    public var x: String?
    public var y: [String]
    public var series: String?
    /// Number cards: the value column and an optional column it is compared with.
    public var value: String?
    public var compare: String?
    /// Display format of numbers: `int`, `percent`, `decimal` (default: as stored).
    public var format: String?
}

/// A dashboard declared in YAML under the project's `dashboards/` folder:
///
/// ```yaml
/// dashboard:
///   name: opsflow_executive
///   title: OpsFlow Executive
///   filters:
///     - {name: client_type, label: Client type, values_sql: "select distinct client_type from {{ ref('m') }}"}
///   cards:
///     - {title: Orders, chart: line, model: m, x: order_date, y: orders_count}
/// ```
public struct DashboardSpec: Sendable, Hashable {
    public var name: String
    public var title: String
    public var description: String
    public var filters: [DashboardFilter]
    public var cards: [DashboardCard]
    public var path: String

    /// Parses one dashboard file.
    /// - Throws: ``WebError/dashboardInvalid`` naming the file and the problem.
    public static func parse(yaml text: String, path: String) throws -> DashboardSpec {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch { throw WebError.dashboardInvalid(path, "not YAML: \(error)") }
        guard let root = loaded as? [String: Any], let d = root["dashboard"] as? [String: Any] else {
            throw WebError.dashboardInvalid(path, "expected a top-level `dashboard:` mapping")
        }
        guard let name = d["name"] as? String, isIdentifier(name) else {
            throw WebError.dashboardInvalid(path, "`name` must be letters, digits and underscores")
        }
        var filters: [DashboardFilter] = []
        for (i, f) in (d["filters"] as? [[String: Any]] ?? []).enumerated() {
            guard let fname = f["name"] as? String, isIdentifier(fname) else {
                throw WebError.dashboardInvalid(path, "filter \(i + 1): `name` must be letters, digits and underscores")
            }
            filters.append(DashboardFilter(
                name: fname, label: f["label"] as? String ?? fname, column: f["column"] as? String ?? fname,
                values: (f["values"] as? [Any] ?? []).map { "\($0)" }, valuesSQL: f["values_sql"] as? String))
        }
        var cards: [DashboardCard] = []
        for (i, c) in (d["cards"] as? [[String: Any]] ?? []).enumerated() {
            let title = c["title"] as? String ?? "Card \(i + 1)"
            guard let chartText = c["chart"] as? String, let chart = ChartKind(rawValue: chartText) else {
                throw WebError.dashboardInvalid(path, "card '\(title)': `chart` must be one of \(ChartKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let sql = c["sql"] as? String, model = c["model"] as? String
            guard (sql == nil) != (model == nil) else {
                throw WebError.dashboardInvalid(path, "card '\(title)': give exactly one of `sql` and `model`")
            }
            let y: [String]
            if let list = c["y"] as? [String] { y = list } else if let one = c["y"] as? String { y = [one] } else { y = [] }
            if chart != .table && chart != .number && (c["x"] == nil || y.isEmpty) {
                throw WebError.dashboardInvalid(path, "card '\(title)': a \(chart.rawValue) chart needs `x` and `y`")
            }
            if chart == .number && c["value"] == nil {
                throw WebError.dashboardInvalid(path, "card '\(title)': a number card needs `value`")
            }
            cards.append(DashboardCard(
                id: "card-\(i + 1)", title: title, description: c["description"] as? String ?? "", chart: chart,
                sql: sql, model: model, x: c["x"] as? String, y: y, series: c["series"] as? String,
                value: c["value"] as? String, compare: c["compare"] as? String, format: c["format"] as? String))
        }
        return DashboardSpec(name: name, title: d["title"] as? String ?? name, description: d["description"] as? String ?? "",
                             filters: filters, cards: cards, path: path)
    }

    /// Every `*.yml`/`*.yaml` under `<projectDir>/dashboards`, sorted by name.
    /// - Throws: the first invalid file's error.
    public static func loadAll(projectDir: String) throws -> [DashboardSpec] {
        let dir = URL(fileURLWithPath: projectDir).appendingPathComponent("dashboards")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return try names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { file in
            let path = dir.appendingPathComponent(file).path
            guard let data = FileManager.default.contents(atPath: path) else { throw WebError.io("cannot read \(path)") }
            return try parse(yaml: String(decoding: data, as: UTF8.self), path: path)
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "_" }
    }
}
