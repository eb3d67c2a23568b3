import Foundation
import Warehouse

/// Rows pivoted for a chart: ordered categories (x) and named series of values.
struct ChartData: Sendable {
    var categories: [String]
    var series: [(name: String, values: [Double?])]

    /// Pivots a result: several `y` columns are several series; one `y` with a `series` column
    /// makes one series per distinct value of that column (in order of first appearance).
    static func pivot(_ result: QueryResult, x: String, y: [String], series: String?) -> ChartData? {
        let names = result.columns.map(\.name)
        guard let xi = names.firstIndex(of: x) else { return nil }
        let yi = y.compactMap { names.firstIndex(of: $0) }
        guard !yi.isEmpty else { return nil }
        var categories: [String] = [], catIndex: [String: Int] = [:]
        for row in result.rows where catIndex[row[xi].displayText] == nil {
            catIndex[row[xi].displayText] = categories.count
            categories.append(row[xi].displayText)
        }
        if let series, let si = names.firstIndex(of: series) {
            var order: [String] = [], values: [String: [Double?]] = [:]
            for row in result.rows {
                let key = row[si].displayText
                if values[key] == nil { order.append(key); values[key] = Array(repeating: nil, count: categories.count) }
                guard let c = catIndex[row[xi].displayText] else { continue }
                // Several rows for one (x, series) add up.
                let old: Double? = values[key]?[c] ?? nil
                if let v = row[yi[0]].number { values[key]?[c] = (old ?? 0) + v }
            }
            return ChartData(categories: categories, series: order.map { ($0, values[$0] ?? []) })
        }
        var out: [(String, [Double?])] = []
        for i in yi {
            var values = [Double?](repeating: nil, count: categories.count)
            for row in result.rows { if let c = catIndex[row[xi].displayText] { values[c] = row[i].number } }
            out.append((names[i], values))
        }
        return ChartData(categories: categories, series: out)
    }
}

/// Server-side SVG charts (no JavaScript needed to see them). Every mark carries a `<title>` so a
/// hover shows its value in any browser.
enum SVGCharts {
    static let palette = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0891b2", "#db2777", "#65a30d"]
    static let width = 600.0, height = 260.0
    static let left = 56.0, right = 12.0, top = 12.0, bottom = 40.0

    static func draw(_ kind: ChartKind, _ data: ChartData, format: String?) -> String {
        guard !data.categories.isEmpty else { return "<p class=\"empty\">No rows.</p>" }
        let stacked = kind == .stackedBar
        var maxValue = 0.0, minValue = 0.0
        for c in data.categories.indices {
            if stacked {
                maxValue = max(maxValue, data.series.reduce(0) { $0 + max(0, $1.values[c] ?? 0) })
            } else {
                for s in data.series { maxValue = max(maxValue, s.values[c] ?? 0); minValue = min(minValue, s.values[c] ?? 0) }
            }
        }
        let ticks = niceTicks(minValue, maxValue)
        let lo = ticks.first ?? 0, hi = max(ticks.last ?? 1, lo + 1e-9)
        let plotW = width - left - right, plotH = height - top - bottom
        func yPos(_ v: Double) -> Double { top + plotH - (v - lo) / (hi - lo) * plotH }
        let step = plotW / Double(data.categories.count)

        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
        for t in ticks {
            svg += "<line class=\"grid\" x1=\"\(fmt(left))\" x2=\"\(fmt(width - right))\" y1=\"\(fmt(yPos(t)))\" y2=\"\(fmt(yPos(t)))\"/>"
            svg += "<text class=\"tick\" x=\"\(fmt(left - 6))\" y=\"\(fmt(yPos(t) + 4))\" text-anchor=\"end\">\(HTML.escape(formatNumber(t, format)))</text>"
        }
        // At most ~10 x labels, so dates stay readable.
        let every = max(1, Int((Double(data.categories.count) / 10).rounded(.up)))
        for (i, c) in data.categories.enumerated() where i % every == 0 {
            let x = left + step * (Double(i) + 0.5)
            svg += "<text class=\"tick\" x=\"\(fmt(x))\" y=\"\(fmt(height - bottom + 16))\" text-anchor=\"middle\">\(HTML.escape(shortLabel(c)))</text>"
        }
        switch kind {
        case .line:
            for (si, s) in data.series.enumerated() {
                let color = palette[si % palette.count]
                var path = "", pen = false
                for (i, v) in s.values.enumerated() {
                    guard let v else { pen = false; continue }
                    path += (pen ? "L" : "M") + "\(fmt(left + step * (Double(i) + 0.5))),\(fmt(yPos(v)))"
                    pen = true
                }
                svg += "<path class=\"line\" d=\"\(path)\" stroke=\"\(color)\" fill=\"none\"/>"
                for (i, v) in s.values.enumerated() {
                    guard let v else { continue }
                    svg += "<circle cx=\"\(fmt(left + step * (Double(i) + 0.5)))\" cy=\"\(fmt(yPos(v)))\" r=\"2.5\" fill=\"\(color)\"><title>\(HTML.escape("\(s.name) · \(data.categories[i]): \(formatNumber(v, format))"))</title></circle>"
                }
            }
        case .bar, .stackedBar:
            let groupW = step * 0.8
            for i in data.categories.indices {
                var base = 0.0
                for (si, s) in data.series.enumerated() {
                    guard let v = s.values[i] else { continue }
                    let color = palette[si % palette.count]
                    let x: Double, w: Double, y0: Double, y1: Double
                    if stacked {
                        x = left + step * Double(i) + (step - groupW) / 2; w = groupW
                        y0 = yPos(base); y1 = yPos(base + v); base += v
                    } else {
                        w = groupW / Double(data.series.count)
                        x = left + step * Double(i) + (step - groupW) / 2 + w * Double(si)
                        y0 = yPos(0); y1 = yPos(v)
                    }
                    svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(min(y0, y1)))\" width=\"\(fmt(max(w - 1, 0.5)))\" height=\"\(fmt(abs(y0 - y1)))\" fill=\"\(color)\"><title>\(HTML.escape("\(s.name) · \(data.categories[i]): \(formatNumber(v, format))"))</title></rect>"
                }
            }
        case .table, .number:
            break
        }
        svg += "</svg>"
        if data.series.count > 1 || data.series.first.map({ $0.name != "" }) == true {
            svg += "<ul class=\"legend\">"
            for (si, s) in data.series.enumerated() {
                svg += "<li><span class=\"swatch\" style=\"background:\(palette[si % palette.count])\"></span>\(HTML.escape(s.name))</li>"
            }
            svg += "</ul>"
        }
        return svg
    }

    /// 4–6 round tick values covering [lo, hi].
    static func niceTicks(_ lo: Double, _ hi: Double) -> [Double] {
        let span = max(hi - lo, 1e-9)
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let start = floor(lo / step) * step
        var out: [Double] = []
        var v = start
        while v <= hi + step * 0.999 && out.count < 12 { out.append(v); v += step }
        return out
    }

    /// `2026-11-29` → `11-29`: the year repeats on every label.
    static func shortLabel(_ s: String) -> String {
        if s.count == 10, s.dropFirst(4).first == "-" { return String(s.dropFirst(5)) }
        return s.count > 14 ? String(s.prefix(13)) + "…" : s
    }

    static func formatNumber(_ v: Double, _ format: String?) -> String {
        switch format {
        case "percent": return String(format: "%.1f%%", v * 100)
        case "int": return groupThousands(Int64(v.rounded()))
        case "decimal": return String(format: "%.2f", v)
        default:
            if v == v.rounded() && abs(v) < 1e15 { return groupThousands(Int64(v)) }
            return abs(v) < 10 ? String(format: "%.3g", v) : String(format: "%.1f", v)
        }
    }

    static func groupThousands(_ i: Int64) -> String {
        let digits = String(i.magnitude)
        var out = ""
        for (n, ch) in digits.reversed().enumerated() {
            if n > 0 && n % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (i < 0 ? "-" : "") + String(out.reversed())
    }

    static func fmt(_ d: Double) -> String { String(format: "%.1f", d) }
}
