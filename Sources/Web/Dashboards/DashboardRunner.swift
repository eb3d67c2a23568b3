import Foundation
import Jinja
import Warehouse

/// A card after its query ran: the rows, or the error the viewer sees in its place.
public struct CardData: Sendable {
    public var card: DashboardCard
    public var result: QueryResult?
    public var truncated: Bool
    public var error: String?
    /// Milliseconds the query took.
    public var milliseconds: Double
}

/// Runs a dashboard's cards against a read-only warehouse with the viewer's filter values bound.
///
/// Card SQL is project code: it is rendered with our Jinja engine (`ref('model')` and
/// `source('src', 'table')` give relation names from the manifest). Viewer input — the filter
/// values — never reaches the template or the SQL text; it is bound as `:name` parameters.
public struct DashboardRunner: Sendable {
    public var catalog: Catalog
    public var warehouse: any ReadOnlyWarehouse
    public var limits: QueryLimits
    /// Longest filter value accepted (longer values are refused, not cut).
    public static let maxFilterLength = 200

    public init(catalog: Catalog, warehouse: any ReadOnlyWarehouse, limits: QueryLimits = QueryLimits()) {
        self.catalog = catalog
        self.warehouse = warehouse
        self.limits = limits
    }

    /// The filter values from a request: only declared filters, empty means "all".
    /// - Throws: ``WebError/badFilter`` for a value that is too long or holds a NUL character.
    public static func filterValues(_ spec: DashboardSpec, query: [String: String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for f in spec.filters {
            guard let v = query[f.name], !v.isEmpty else { continue }
            guard v.count <= maxFilterLength, !v.contains("\0") else {
                throw WebError.badFilter(f.name, "values are at most \(maxFilterLength) characters of text")
            }
            out[f.name] = v
        }
        return out
    }

    /// The choices of each filter (fixed `values`, else the first column of `values_sql`).
    public func filterChoices(_ spec: DashboardSpec) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for f in spec.filters {
            if !f.values.isEmpty { out[f.name] = f.values; continue }
            guard let sql = f.valuesSQL, let rendered = try? render(sql),
                  let result = try? warehouse.query(rendered, parameters: [:], limits: QueryLimits(maxRows: 500, timeout: limits.timeout)) else {
                out[f.name] = []
                continue
            }
            out[f.name] = result.result.rows.compactMap { $0.first?.displayText }.filter { !$0.isEmpty }
        }
        return out
    }

    /// Runs every card; a failing card carries its error and the others still draw.
    public func run(_ spec: DashboardSpec, filters: [String: String]) -> [CardData] {
        var parameters: [String: Cell] = [:]
        for f in spec.filters { parameters[f.name] = filters[f.name].map(Cell.text) ?? .null }
        return spec.cards.map { card in
            let start = DispatchTime.now().uptimeNanoseconds
            var data = CardData(card: card, result: nil, truncated: false, error: nil, milliseconds: 0)
            do {
                let sql = try cardSQL(card, spec: spec)
                let out = try warehouse.query(sql, parameters: parameters, limits: limits)
                data.result = out.result
                data.truncated = out.truncated
            } catch {
                data.error = "\(error)"
            }
            data.milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            return data
        }
    }

    /// The SQL a card runs (still with `:name` placeholders).
    /// - Throws: ``WebError/dashboardInvalid`` for an unknown model, Jinja errors for bad templates.
    public func cardSQL(_ card: DashboardCard, spec: DashboardSpec) throws -> String {
        if let sql = card.sql { return try render(sql) }
        guard let name = card.model, let model = catalog.model(named: name), let relation = model.relationName else {
            throw WebError.dashboardInvalid(spec.path, "card '\(card.title)': no model '\(card.model ?? "")' with a relation in the manifest")
        }
        let known = Set(model.columns.map(\.name))
        // A model card filters by each dashboard filter whose column the model documents.
        let conditions = spec.filters.filter { known.contains($0.column) }
            .map { "(:\($0.name) is null or \(quote($0.column)) = :\($0.name))" }
        let whereClause = conditions.isEmpty ? "" : " where " + conditions.joined(separator: " and ")
        guard let x = card.x, !card.y.isEmpty, card.chart != .table else {
            return "select * from \(relation)\(whereClause)"
        }
        var groups = [quote(x)]
        if let series = card.series { groups.append(quote(series)) }
        let measures = card.y.map { "sum(\(quote($0))) as \(quote($0))" }
        return "select \((groups + measures).joined(separator: ", ")) from \(relation)\(whereClause)"
            + " group by \(groups.joined(separator: ", ")) order by \(groups.joined(separator: ", "))"
    }

    /// Renders card SQL with `ref` and `source` resolved from the manifest.
    func render(_ sql: String) throws -> String {
        let env = Environment()
        let catalog = self.catalog
        env.addFunction("ref") { args, _ in
            let name = args.positional.last?.asString ?? ""
            guard let node = catalog.model(named: name), let relation = node.relationName else {
                throw WebError.query("ref('\(name)'): no such model in the manifest")
            }
            return .string(relation)
        }
        env.addFunction("source") { args, _ in
            let parts = args.positional.compactMap(\.asString)
            let id = catalog.nodes.values.first { $0.resourceType == "source" && $0.name == parts.joined(separator: ".") }
            guard let relation = id?.relationName else {
                throw WebError.query("source(\(parts.map { "'\($0)'" }.joined(separator: ", "))): no such source in the manifest")
            }
            return .string(relation)
        }
        return try env.render(sql, name: "dashboard")
    }

    func quote(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
