extension Manifest {
    /// Resolves the manifest, as dbt does at the end of parsing:
    ///
    /// 1. nodes with `enabled: false` move to `disabled`;
    /// 2. two enabled models/seeds/snapshots with one name → `.duplicateResource` naming both files;
    /// 3. every `ref()` and `source()` becomes a unique id in `dependsOn.nodes` (refs first, then
    ///    sources, call order, no repeats); a ref to nothing → `.refNotFound` naming the file, the
    ///    ref and close matches; a ref to a disabled node says so; an unknown source →
    ///    `.sourceNotFound`. A data test whose target is missing or disabled is dropped (disabled
    ///    with its target, or with a warning when the target does not exist), as dbt does;
    /// 4. `parentMap`/`childMap` are built (values sorted).
    ///
    /// - Throws: `ProjectError` `.duplicateResource`, `.refNotFound`, `.sourceNotFound`.
    public mutating func resolve() throws {
        // Work on one copy of the node table, changed in place (nodes are large values).
        var enabled = nodes
        var order: [String] = []
        order.reserveCapacity(nodeIDs.count)
        var disabled = self.disabled
        for key in nodeIDs {
            guard let idx = enabled.index(forKey: key) else { continue }
            let id = enabled.values[idx].uniqueID
            let isEnabled = enabled.values[idx].config.enabled
            if key == id && isEnabled { order.append(id); continue }
            let n = enabled.remove(at: idx).value
            guard isEnabled else { disabled[id, default: []].append(n); continue }
            if let prior = enabled[id] {
                throw ProjectError(
                    .duplicateResource,
                    "dbt found two \(n.resourceType.rawValue)s with the name \"\(n.name)\": \(prior.originalFilePath) and \(n.originalFilePath)",
                    location: SourceLocation(file: n.originalFilePath),
                    hint: "rename one of the files, or disable one with `enabled: false`")
            }
            enabled[id] = n
            order.append(id)
        }
        var sourceMap = sources
        var sourceOrder: [String] = []
        for id in sourceIDs {
            guard let s = sourceMap[id] else { continue }
            if s.enabled { sourceOrder.append(id) } else { sourceMap[id] = nil }
        }

        // Name lookups: (name) → ids of refable nodes, and the same for disabled ones.
        var byName: [String: [(id: String, package: String)]] = [:]
        for id in order {
            guard let idx = enabled.index(forKey: id), enabled.values[idx].resourceType.isRefable else { continue }
            let name = enabled.values[idx].name
            let package = enabled.values[idx].packageName
            if let priorID = byName[name]?.first(where: { $0.package == package })?.id,
               let prior = enabled[priorID] {
                let n = enabled.values[idx]
                throw ProjectError(
                    .duplicateResource,
                    "dbt found two resources with the name \"\(n.name)\": \(prior.uniqueID) (\(prior.originalFilePath)) and \(n.uniqueID) (\(n.originalFilePath))",
                    location: SourceLocation(file: n.originalFilePath),
                    hint: "rename one of them, or disable one with `enabled: false`")
            }
            byName[name, default: []].append((id, package))
        }
        var disabledByName: [String: String] = [:]
        for (id, list) in disabled { if let n = list.first, n.resourceType.isRefable { disabledByName[n.name] = id } }
        var sourceByKey: [String: String] = [:]
        for id in sourceOrder { if let s = sourceMap[id] { sourceByKey[s.sourceName + "\u{0}" + s.name] = id } }
        var disabledSources = Set<String>()
        for (id, s) in sources where !s.enabled { disabledSources.insert(s.sourceName + "\u{0}" + s.name); _ = id }

        var dropped: [String] = []
        var warnings = self.warnings
        idLoop: for id in order {
            guard let idx = enabled.index(forKey: id) else { continue }
            // Read the fields needed (not the whole node); copy the node only on error paths.
            var n: Node { enabled.values[idx] }
            let (refs, nodeSources, package) = (enabled.values[idx].refs, enabled.values[idx].sources, enabled.values[idx].packageName)
            var deps: [String] = []
            var seen = Set<String>()
            for r in refs {
                let candidates = byName[r.name] ?? []
                let target = candidates.first { $0.package == (r.package ?? package) }?.id
                    ?? (r.package == nil ? candidates.first?.id : nil)
                guard let target else {
                    if n.resourceType == .test {
                        if disabledByName[r.name] != nil {
                            disabled[id, default: []].append(n)
                        } else {
                            warnings.append(ProjectWarning(
                                "test '\(n.name)' depends on a node named '\(r.name)' which was not found; the test is skipped",
                                location: SourceLocation(file: n.originalFilePath)))
                        }
                        dropped.append(id)
                        continue idLoop
                    }
                    if disabledByName[r.name] != nil {
                        throw ProjectError(.refNotFound,
                                           "\(n.resourceType.rawValue) '\(n.name)' depends on a node named '\(r.name)' which is disabled",
                                           location: SourceLocation(file: n.originalFilePath),
                                           hint: "enable '\(r.name)' or remove the ref")
                    }
                    let close = closeMatches(r.name, among: Array(byName.keys))
                    throw ProjectError(.refNotFound,
                                       "\(n.resourceType.rawValue) '\(n.name)' depends on a node named '\(r.package.map { "\($0)." } ?? "")\(r.name)' which was not found",
                                       location: SourceLocation(file: n.originalFilePath),
                                       hint: close.isEmpty ? "check the name in ref('\(r.name)')"
                                           : "did you mean: \(close.map { "ref('\($0)')" }.joined(separator: ", "))?")
                }
                if seen.insert(target).inserted { deps.append(target) }
            }
            for s in nodeSources where s.count == 2 {
                guard let target = sourceByKey[s[0] + "\u{0}" + s[1]] else {
                    if n.resourceType == .test {
                        if !disabledSources.contains(s[0] + "\u{0}" + s[1]) {
                            warnings.append(ProjectWarning("test '\(n.name)' depends on a source named '\(s[0]).\(s[1])' which was not found",
                                                           location: SourceLocation(file: n.originalFilePath)))
                        } else {
                            disabled[id, default: []].append(n)
                        }
                        dropped.append(id)
                        continue idLoop
                    }
                    let known = sourceMap.values.map { "\($0.sourceName).\($0.name)" }
                    let close = closeMatches("\(s[0]).\(s[1])", among: known)
                    throw ProjectError(.sourceNotFound,
                                       "\(n.resourceType.rawValue) '\(n.name)' depends on a source named '\(s[0]).\(s[1])' which was not found",
                                       location: SourceLocation(file: n.originalFilePath),
                                       hint: close.isEmpty ? "declare it under `sources:` in a property file"
                                           : "did you mean: \(close.map { "source('\($0.replacingOccurrences(of: ".", with: "', '"))')" }.joined(separator: ", "))?")
                }
                if seen.insert(target).inserted { deps.append(target) }
            }
            enabled.values[idx].dependsOn.nodes = deps
            if enabled.values[idx].isGenericTest, enabled.values[idx].attachedNode == nil, let first = deps.first(where: { !$0.hasPrefix("source.") }) {
                enabled.values[idx].attachedNode = first
            }
        }
        if !dropped.isEmpty {
            let gone = Set(dropped)
            for id in dropped { enabled[id] = nil }
            order.removeAll { gone.contains($0) }
        }
        // A generic test's attached node is dropped when that node is not enabled.
        for id in order {
            guard let idx = enabled.index(forKey: id), let a = enabled.values[idx].attachedNode else { continue }
            if enabled.index(forKey: a) == nil { enabled.values[idx].attachedNode = nil }
        }

        Self.inferPrimaryKeys(&enabled, order: order, disabled: disabled)

        var parents: [String: [String]] = [:]
        var children: [String: [String]] = [:]
        parents.reserveCapacity(order.count + sourceOrder.count)
        children.reserveCapacity(order.count + sourceOrder.count)
        for id in sourceOrder { parents[id] = []; children[id] = [] }
        for id in order { children[id] = [] }
        for id in order {
            guard let idx = enabled.index(forKey: id) else { continue }
            let deps = enabled.values[idx].dependsOn.nodes
            parents[id] = deps.sorted()
            for d in deps { children[d, default: []].append(id) }
        }
        for k in Array(children.keys) { children[k]?.sort() }
        self.warnings = warnings
        setSourcesResolved(sourceMap, ids: sourceOrder)
        setResolved(nodes: enabled, nodeIDs: order, disabled: disabled, parentMap: parents, childMap: children)
    }

    /// dbt's `infer_primary_key`: primary-key constraints, else columns with unique and not_null
    /// tests, else columns with unique tests (enabled, then disabled).
    static func inferPrimaryKeys(_ nodes: inout [String: Node], order: [String], disabled: [String: [Node]]) {
        // Keep only the test calls (not whole nodes): nodes are large values.
        var testsByModel: [String: [(TestMetadata, Bool)]] = [:]
        for id in order {
            guard let idx = nodes.index(forKey: id), let meta = nodes.values[idx].testMetadata,
                  let a = nodes.values[idx].attachedNode else { continue }
            testsByModel[a, default: []].append((meta, true))
        }
        for list in disabled.values {
            for t in list { if let meta = t.testMetadata, let a = t.attachedNode { testsByModel[a, default: []].append((meta, false)) } }
        }
        for id in order {
            guard let idx = nodes.index(forKey: id), nodes.values[idx].resourceType == .model else { continue }
            var key: [String]?
            for c in nodes.values[idx].constraints where c["type"]?.asString == "primary_key" { key = c["columns"]?.asStringList ?? []; break }
            if key == nil {
                for col in nodes.values[idx].columns where col.constraints.contains(where: { $0["type"]?.asString == "primary_key" }) {
                    key = [col.name]; break
                }
            }
            if key == nil {
                var uniqueOn = Set<String>(), uniqueOff = Set<String>(), notNull = Set<String>()
                for (meta, on) in testsByModel[id] ?? [] {
                    var cols: [String] = []
                    if let c = meta.kwargs["column_name"]?.asString { cols = [c] } else if let cs = meta.kwargs["combination_of_columns"]?.asArray {
                        cols = cs.compactMap(\.asString)
                    }
                    for c in cols {
                        if meta.name == "unique" || meta.name == "unique_combination_of_columns" {
                            if on { uniqueOn.insert(c) } else { uniqueOff.insert(c) }
                        } else if meta.name == "not_null" {
                            notNull.insert(c)
                        }
                    }
                }
                let both = notNull.filter { uniqueOn.contains($0) || uniqueOff.contains($0) }
                key = !both.isEmpty ? both.sorted() : (!uniqueOn.isEmpty ? uniqueOn.sorted() : uniqueOff.sorted())
            }
            nodes.values[idx].primaryKey = key ?? []
        }
    }

    /// Up to three names within a small edit distance (or sharing a prefix), closest first.
    func closeMatches(_ name: String, among names: [String]) -> [String] {
        let limit = max(2, name.count / 3)
        var scored: [(String, Int)] = []
        for cand in names {
            if abs(cand.count - name.count) > limit { continue }
            let d = editDistance(name, cand, limit: limit)
            if d <= limit { scored.append((cand, d)) }
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
    }

    private func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...y.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                rowMin = Swift.min(rowMin, cur[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}
