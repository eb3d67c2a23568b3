/// The dependency graph of a resolved manifest: every enabled node and source, their parents and
/// children, and one topological order.
///
/// Order: nodes by depth (longest path from a root), ties in manifest order, so every node comes
/// after all its parents, and independent branches interleave the way dbt schedules them.
///
/// ```swift
/// let graph = try Graph(manifest)
/// graph.order                                   // ["seed.p.raw", "model.p.stg", …]
/// graph.ancestors(of: "model.p.mart")           // every upstream node id
/// ```
public struct Graph: Sendable {
    /// Every id in topological order.
    public let order: [String]
    /// Position of each id in `order`.
    public let position: [String: Int]
    /// Parents (upstream) and children (downstream), by index into `order`.
    let parentIdx: [[Int]]
    let childIdx: [[Int]]
    /// Depth of each node (roots are 0), by index.
    public let depth: [Int]

    /// Builds the graph.
    /// - Throws: `.dependencyCycle` printing the cycle (`model.p.a -> model.p.b -> model.p.a`).
    public init(_ manifest: Manifest) throws {
        var ids: [String] = manifest.sourceIDs + manifest.nodeIDs
        var index: [String: Int] = [:]
        index.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() { index[id] = i }
        var parents = [[Int]](repeating: [], count: ids.count)
        var children = [[Int]](repeating: [], count: ids.count)
        for (i, id) in ids.enumerated() {
            for p in manifest.nodes[id]?.dependsOn.nodes ?? [] {
                guard let pi = index[p] else { continue }
                parents[i].append(pi)
                children[pi].append(i)
            }
        }
        // Kahn's algorithm, computing each node's depth as we go.
        var indegree = parents.map(\.count)
        var depthOf = [Int](repeating: 0, count: ids.count)
        var queue: [Int] = []
        queue.reserveCapacity(ids.count)
        for i in 0..<ids.count where indegree[i] == 0 { queue.append(i) }
        var head = 0
        while head < queue.count {
            let i = queue[head]; head += 1
            for c in children[i] {
                depthOf[c] = max(depthOf[c], depthOf[i] + 1)
                indegree[c] -= 1
                if indegree[c] == 0 { queue.append(c) }
            }
        }
        if queue.count < ids.count {
            throw ProjectError(.dependencyCycle, "Found a cycle: " + Graph.findCycle(ids: ids, parents: parents, indegree: indegree),
                               hint: "a node may not depend, through refs, on itself; remove one ref of the cycle")
        }
        // Stable sort by depth: ties keep manifest order.
        let sorted = (0..<ids.count).sorted { depthOf[$0] != depthOf[$1] ? depthOf[$0] < depthOf[$1] : $0 < $1 }
        var newIndex = [Int](repeating: 0, count: ids.count)
        for (newI, oldI) in sorted.enumerated() { newIndex[oldI] = newI }
        order = sorted.map { ids[$0] }
        var pos: [String: Int] = [:]
        pos.reserveCapacity(order.count)
        for (i, id) in order.enumerated() { pos[id] = i }
        position = pos
        parentIdx = sorted.map { parents[$0].map { newIndex[$0] } }
        childIdx = sorted.map { children[$0].map { newIndex[$0] } }
        depth = sorted.map { depthOf[$0] }
        ids.removeAll()
    }

    /// One cycle among the nodes Kahn's algorithm could not order, as `a -> b -> a` (each node
    /// followed by one that depends on it).
    private static func findCycle(ids: [String], parents: [[Int]], indegree: [Int]) -> String {
        // Every remaining node has a remaining parent; walk parents until a node repeats.
        guard var current = indegree.firstIndex(where: { $0 > 0 }) else { return "(unknown)" }
        var seenAt: [Int: Int] = [:]
        var path: [Int] = []
        while seenAt[current] == nil {
            seenAt[current] = path.count
            path.append(current)
            guard let next = parents[current].first(where: { indegree[$0] > 0 }) else { break }
            current = next
        }
        let start = seenAt[current] ?? 0
        let cycle = Array(path[start...].reversed())   // upstream first
        return (cycle + [cycle[0]]).map { ids[$0] }.joined(separator: " -> ")
    }

    // MARK: - Queries

    /// Direct parents of a node.
    public func parents(of id: String) -> [String] {
        guard let i = position[id] else { return [] }
        return parentIdx[i].map { order[$0] }
    }

    /// Direct children of a node.
    public func children(of id: String) -> [String] {
        guard let i = position[id] else { return [] }
        return childIdx[i].map { order[$0] }
    }

    /// Every upstream node, up to `depth` edges away (nil: all).
    public func ancestors(of id: String, depth: Int? = nil) -> Set<String> {
        guard let i = position[id] else { return [] }
        return Set(walk(from: [i], edges: parentIdx, depth: depth).map { order[$0] })
    }

    /// Every downstream node, up to `depth` edges away (nil: all).
    public func descendants(of id: String, depth: Int? = nil) -> Set<String> {
        guard let i = position[id] else { return [] }
        return Set(walk(from: [i], edges: childIdx, depth: depth).map { order[$0] })
    }

    /// Breadth-first walk over `edges`, excluding the start nodes unless reached again.
    func walk(from start: [Int], edges: [[Int]], depth: Int?) -> Set<Int> {
        var seen = Set<Int>()
        var frontier = start
        var level = 0
        while !frontier.isEmpty, depth.map({ level < $0 }) ?? true {
            var next: [Int] = []
            for i in frontier {
                for j in edges[i] where seen.insert(j).inserted { next.append(j) }
            }
            frontier = next
            level += 1
        }
        return seen
    }

    /// The ids of `selection` in graph order (a subgraph keeping the topological order).
    public func sorted(_ selection: Set<String>) -> [String] {
        selection.compactMap { id in position[id].map { ($0, id) } }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
