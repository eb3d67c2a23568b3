import Foundation
import Warehouse

/// The HTML of one dashboard card (also served alone to the page's script, see `API.md`).
enum CardHTML {
    static func render(_ data: CardData) -> String {
        let card = data.card
        var sum = 0.0
        for row in data.result?.rows ?? [] { for c in row { sum += c.number ?? 0 } }
        var out = "<section class=\"card card-\(card.chart.rawValue)\" id=\"\(card.id)\" data-rows=\"\(data.result?.rows.count ?? 0)\" data-checksum=\"\(String(format: "%.4f", sum))\">"
        out += "<h2>\(HTML.escape(card.title))</h2>"
        if !card.description.isEmpty { out += "<p class=\"desc\">\(HTML.escape(card.description))</p>" }
        if let error = data.error {
            out += "<p class=\"error\">\(HTML.escape(error))</p></section>"
            return out
        }
        guard let result = data.result else { return out + "</section>" }
        switch card.chart {
        case .number:
            out += number(card, result)
        case .table:
            out += table(result, format: card.format)
        case .line, .bar, .stackedBar:
            if let x = card.x, let chart = ChartData.pivot(result, x: x, y: card.y, series: card.series) {
                out += SVGCharts.draw(card.chart, chart, format: card.format)
            } else {
                out += "<p class=\"error\">columns \(HTML.escape(([card.x ?? ""] + card.y).joined(separator: ", "))) not in the result (\(HTML.escape(result.columns.map(\.name).joined(separator: ", "))))</p>"
            }
        }
        if data.truncated { out += "<p class=\"note\">Showing the first \(result.rows.count) rows (row limit).</p>" }
        return out + "</section>"
    }

    static func number(_ card: DashboardCard, _ result: QueryResult) -> String {
        let names = result.columns.map(\.name)
        guard let row = result.rows.first, let vi = card.value.flatMap({ names.firstIndex(of: $0) }) else {
            return "<p class=\"big\">–</p>"
        }
        let value = row[vi].number
        var out = "<p class=\"big\">\(HTML.escape(value.map { SVGCharts.formatNumber($0, card.format) } ?? row[vi].displayText))</p>"
        // Any other columns are shown as labelled facts beneath (e.g. the day and the source count).
        var facts = ""
        for (i, name) in names.enumerated() where i != vi {
            let text: String
            switch row[i] {
            case .integer, .real: text = SVGCharts.formatNumber(row[i].number ?? 0, card.format)
            default: text = row[i].displayText
            }
            facts += "<dt>\(HTML.escape(name.replacingOccurrences(of: "_", with: " ")))</dt><dd>\(HTML.escape(text))</dd>"
        }
        if let ci = card.compare.flatMap({ names.firstIndex(of: $0) }), let v = value, let c = row[ci].number {
            let diff = v - c
            let cls = diff == 0 ? "ok" : "warn"
            let label = diff == 0 ? "matches \(card.compare ?? "")" : "differs from \(card.compare ?? "") by \(SVGCharts.formatNumber(diff, card.format))"
            out += "<p class=\"compare \(cls)\">\(HTML.escape(label))</p>"
        }
        return out + (facts.isEmpty ? "" : "<dl class=\"facts\">\(facts)</dl>")
    }

    static func table(_ result: QueryResult, format: String?, maxRows: Int = 200) -> String {
        var out = "<div class=\"table-wrap\"><table><thead><tr>"
        for c in result.columns { out += "<th>\(HTML.escape(c.name))</th>" }
        out += "</tr></thead><tbody>"
        for row in result.rows.prefix(maxRows) {
            out += "<tr>"
            for cell in row {
                switch cell {
                case .real(let d): out += "<td class=\"num\">\(HTML.escape(SVGCharts.formatNumber(d, format)))</td>"
                case .integer(let i): out += "<td class=\"num\">\(i)</td>"
                case .null: out += "<td class=\"null\">null</td>"
                default: out += "<td>\(HTML.escape(cell.displayText))</td>"
                }
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        if result.rows.count > maxRows { out += "<p class=\"note\">\(result.rows.count - maxRows) more rows not shown.</p>" }
        return out
    }
}
