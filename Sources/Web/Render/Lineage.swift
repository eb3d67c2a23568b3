import Foundation

/// A left-to-right layered layout of the DAG, computed on the server.
///
/// Columns are longest-path ranks (a node sits one column right of its furthest parent); within a
/// column nodes are ordered by the mean row of their parents (the barycenter heuristic, a few
/// sweeps), which keeps most edges short and uncrossed on dbt-sized graphs.
struct LineageLayout: Sendable {
    struct Placed: Sendable {
        var id: String
        var rank: Int
        var row: Int
        var x: Double
        var y: Double
    }
    var placed: [String: Placed]
    var edges: [(from: String, to: String)]
    /// Per edge (same order), the top-left corners of the virtual slots it passes through.
    var waypoints: [[(x: Double, y: Double)]]
    var width: Double
    var height: Double

    static let nodeW = 190.0, nodeH = 26.0, colGap = 70.0, rowGap = 10.0, margin = 12.0

    /// - Parameter includeTests: false leaves data tests out (a project has many; the models'
    ///   shape is easier to read without them).
    init(catalog: Catalog, includeTests: Bool = true) {
        let ids = catalog.lineageIDs.filter { includeTests || catalog.nodes[$0]?.resourceType != "test" }
        let inGraph = Set(ids)
        var parents: [String: [String]] = [:]
        var edges: [(String, String)] = []
        for id in ids {
            let ps = (catalog.nodes[id]?.dependsOn ?? []).filter { inGraph.contains($0) }
            parents[id] = ps
            for p in ps { edges.append((p, id)) }
        }
        // Longest-path rank, iteratively (the manifest's graph is acyclic; a cycle just stops at ids.count rounds).
        var rank = [String: Int]()
        for id in ids { rank[id] = 0 }
        var changed = true, rounds = 0
        while changed && rounds < ids.count {
            changed = false; rounds += 1
            for id in ids {
                let r = (parents[id] ?? []).map { (rank[$0] ?? 0) + 1 }.max() ?? 0
                if r != rank[id] { rank[id] = r; changed = true }
            }
        }
        let maxRank = rank.values.max() ?? 0
        var columns = [[String]](repeating: [], count: maxRank + 1)
        for id in ids { columns[rank[id] ?? 0].append(id) }
        // Initial order: resource type then name, so sources and seeds group together.
        for i in columns.indices {
            columns[i].sort { (catalog.nodes[$0]?.resourceType ?? "", catalog.nodes[$0]?.name ?? "") < (catalog.nodes[$1]?.resourceType ?? "", catalog.nodes[$1]?.name ?? "") }
        }
        // An edge that skips columns gets a virtual node in each column it crosses (Sugiyama's
        // dummy nodes): they take part in the ordering and the edge is drawn through them, so it
        // never runs across a node box.
        var orderParents = parents
        var chains: [[String]] = []
        for (index, e) in edges.enumerated() {
            let from = rank[e.0] ?? 0, to = rank[e.1] ?? 0
            guard to - from > 1 else { chains.append([]); continue }
            var previous = e.0
            var chain: [String] = []
            for r in (from + 1)..<to {
                let virtual = "~\(index)~\(r)"
                columns[r].append(virtual)
                orderParents[virtual] = [previous]
                chain.append(virtual)
                previous = virtual
            }
            orderParents[e.1] = (orderParents[e.1] ?? []).map { $0 == e.0 ? previous : $0 }
            chains.append(chain)
        }
        var row = [String: Double]()
        for col in columns { for (i, id) in col.enumerated() { row[id] = Double(i) } }
        for _ in 0..<4 {
            for c in columns.indices.dropFirst() {
                columns[c].sort { a, b in
                    let ma = Self.mean((orderParents[a] ?? []).compactMap { row[$0] }) ?? row[a] ?? 0
                    let mb = Self.mean((orderParents[b] ?? []).compactMap { row[$0] }) ?? row[b] ?? 0
                    return ma == mb ? (catalog.nodes[a]?.name ?? a) < (catalog.nodes[b]?.name ?? b) : ma < mb
                }
                for (i, id) in columns[c].enumerated() { row[id] = Double(i) }
            }
        }
        let tallest = columns.map(\.count).max() ?? 0
        var placed: [String: Placed] = [:]
        var virtualAt: [String: (x: Double, y: Double)] = [:]
        for (c, col) in columns.enumerated() {
            // Centre short columns vertically against the tallest.
            let offset = Double(tallest - col.count) / 2
            for (r, id) in col.enumerated() {
                let x = Self.margin + Double(c) * (Self.nodeW + Self.colGap)
                let y = Self.margin + (Double(r) + offset) * (Self.nodeH + Self.rowGap)
                if id.hasPrefix("~") { virtualAt[id] = (x, y) } else { placed[id] = Placed(id: id, rank: c, row: r, x: x, y: y) }
            }
        }
        self.placed = placed
        self.edges = edges
        self.waypoints = chains.map { $0.compactMap { virtualAt[$0] } }
        self.width = Self.margin * 2 + Double(columns.count) * (Self.nodeW + Self.colGap) - Self.colGap
        self.height = Self.margin * 2 + Double(max(tallest, 1)) * (Self.nodeH + Self.rowGap)
    }

    static func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }

    /// The SVG. `focus` highlights a node with its upstream and downstream; `query` marks the
    /// nodes whose name contains it and dims the rest.
    func svg(catalog: Catalog, links: Links, focus: String?, query: String?) -> String {
        let up = focus.map { catalog.upstream(of: $0) } ?? []
        let down = focus.map { catalog.downstream(of: $0) } ?? []
        let q = query?.lowercased().trimmingCharacters(in: .whitespaces) ?? ""
        func f(_ d: Double) -> String { String(format: "%.1f", d) }
        var out = "<svg id=\"lineage\" class=\"lineage\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
        for (index, e) in edges.enumerated() {
            guard let a = placed[e.from], let b = placed[e.to] else { continue }
            // Curves between columns, straight runs through the virtual slots.
            var points = [(a.x + Self.nodeW, a.y + Self.nodeH / 2)]
            for w in index < waypoints.count ? waypoints[index] : [] {
                points.append((w.x, w.y + Self.nodeH / 2))
                points.append((w.x + Self.nodeW, w.y + Self.nodeH / 2))
            }
            points.append((b.x, b.y + Self.nodeH / 2))
            var d = "M\(f(points[0].0)),\(f(points[0].1))"
            for i in stride(from: 1, to: points.count, by: 2) {
                let (x1, y1) = points[i - 1], (x2, y2) = points[i]
                let mid = (x1 + x2) / 2
                d += " C\(f(mid)),\(f(y1)) \(f(mid)),\(f(y2)) \(f(x2)),\(f(y2))"
                if i + 1 < points.count { d += " L\(f(points[i + 1].0)),\(f(points[i + 1].1))" }
            }
            var cls = "edge"
            if let focus {
                let onPath = (e.to == focus || down.contains(e.to)) && (e.from == focus || down.contains(e.from))
                    || (e.from == focus || up.contains(e.from)) && (e.to == focus || up.contains(e.to))
                cls += onPath ? " hl" : " dim"
            }
            out += "<path class=\"\(cls)\" data-from=\"\(HTML.escape(e.from))\" data-to=\"\(HTML.escape(e.to))\" d=\"\(d)\"/>"
        }
        for p in placed.values.sorted(by: { ($0.rank, $0.row) < ($1.rank, $1.row) }) {
            guard let n = catalog.nodes[p.id] else { continue }
            var cls = "node n-\(n.resourceType)"
            if let focus {
                if p.id == focus { cls += " focus" } else if up.contains(p.id) { cls += " up" } else if down.contains(p.id) { cls += " down" } else { cls += " dim" }
            }
            if !q.isEmpty { cls += n.name.lowercased().contains(q) ? " match" : " dim" }
            let label = n.name.count > 26 ? String(n.name.prefix(25)) + "…" : n.name
            out += "<a class=\"\(cls)\" href=\"\(HTML.escape(links.node(p.id)))\" data-id=\"\(HTML.escape(p.id))\" data-name=\"\(HTML.escape(n.name.lowercased()))\">"
            out += "<title>\(HTML.escape("\(n.resourceType): \(n.name)"))</title>"
            out += "<rect x=\"\(f(p.x))\" y=\"\(f(p.y))\" width=\"\(f(Self.nodeW))\" height=\"\(f(Self.nodeH))\" rx=\"5\"/>"
            out += "<text x=\"\(f(p.x + 8))\" y=\"\(f(p.y + 17))\">\(HTML.escape(label))</text></a>"
        }
        return out + "</svg>"
    }
}
