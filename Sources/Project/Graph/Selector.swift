/// The result of a selection: the selected unique ids in graph order.
public struct SelectionResult: Sendable, Hashable {
    /// Selected ids (nodes and sources) in topological order.
    public var selected: [String]
    /// Selected ids that are not sources (what a command can run).
    public var selectedNodes: [String]
}

/// Evaluates dbt's node selection over a graph and manifest.
///
/// Rules (https://docs.getdbt.com/reference/node-selection/methods): `fqn` (the default) matches
/// a node's name or a prefix of its fqn with or without the package (sources excluded), `*`/`?`/`[]` wildcards as
/// Python's `fnmatch`; `path:` a file or folder relative to the project root; `file:` a file name
/// or stem; `tag:`, `package:` (`this` = the root project), `config.<key>:`, `source:`
/// (`source`, `source.table`, `package.source.table`), `resource_type:`, `test_type:`
/// (`generic`/`singular`, also `schema`/`data`), `test_name:`.
/// Tests are then selected indirectly ("eager"): a test is selected when any node it depends on
/// is. `--exclude` removes its own (indirectly expanded) selection.
public struct Selector: Sendable {
    public let manifest: Manifest
    public let graph: Graph
    /// YAML selectors by name (selectors.yml), for `selector:` and `--selector`.
    public let yamlSelectors: [String: SelectionExpression]

    /// - Throws: `.invalidSelector` when selectors.yml has a malformed definition.
    public init(manifest: Manifest, graph: Graph) throws {
        self.manifest = manifest
        self.graph = graph
        self.yamlSelectors = try YAMLSelectors.parse(manifest.selectors)
    }

    /// Selects with CLI arguments.
    /// - Parameters:
    ///   - select: `--select` values (empty: every node).
    ///   - exclude: `--exclude` values.
    ///   - selector: `--selector` name (overrides `select`/`exclude`, as in dbt).
    ///   - resourceTypes: keep only these types (a command's scope: `run` → `[.model]`); nil keeps all.
    /// - Throws: `.invalidSelector`, `.selectorNotFound`.
    public func select(select: [String] = [], exclude: [String] = [], selector: String? = nil,
                       resourceTypes: Set<ResourceType>? = nil) throws -> SelectionResult {
        let expr: SelectionExpression
        if let selector {
            guard let e = yamlSelectors[selector] else {
                throw ProjectError(.selectorNotFound, "could not find selector named '\(selector)'",
                                   location: SourceLocation(file: "selectors.yml"),
                                   hint: yamlSelectors.isEmpty ? "the project has no selectors.yml"
                                       : "selectors defined: \(yamlSelectors.keys.sorted().joined(separator: ", "))")
            }
            expr = e
        } else if select.isEmpty, exclude.isEmpty, let def = YAMLSelectors.defaultSelector(manifest.selectors),
                  let e = yamlSelectors[def] {
            expr = e
        } else {
            expr = try SelectionExpression.fromCLI(select: select, exclude: exclude)
        }
        return try evaluate(expr, resourceTypes: resourceTypes)
    }

    /// Evaluates a parsed expression.
    public func evaluate(_ expr: SelectionExpression, resourceTypes: Set<ResourceType>? = nil) throws -> SelectionResult {
        var ids = try set(expr, depth: 0)
        if let resourceTypes {
            ids = ids.filter { id in
                if let n = manifest.nodes[id] { return resourceTypes.contains(n.resourceType) }
                return resourceTypes.contains(.source) && manifest.sources[id] != nil
            }
        }
        let ordered = graph.sorted(ids)
        return SelectionResult(selected: ordered, selectedNodes: ordered.filter { manifest.nodes[$0] != nil })
    }

    // MARK: - Evaluation

    func set(_ expr: SelectionExpression, depth: Int) throws -> Set<String> {
        guard depth < 64 else { throw ProjectError(.invalidSelector, "selectors refer to each other in a loop") }
        switch expr {
        case .all:
            return withIndirectTests(Set(graph.order), mode: .eager)
        case .criterion(let c):
            return try criterion(c, depth: depth)
        case .union(let parts):
            var out = Set<String>()
            for p in parts { out.formUnion(try set(p, depth: depth)) }
            return out
        case .intersection(let parts):
            guard let first = parts.first else { return [] }
            var out = try set(first, depth: depth)
            for p in parts.dropFirst() { out.formIntersection(try set(p, depth: depth)) }
            return out
        case .difference(let a, let b):
            return try set(a, depth: depth).subtracting(try set(b, depth: depth))
        }
    }

    func criterion(_ c: SelectionCriterion, depth: Int) throws -> Set<String> {
        var base: Set<String>
        if c.method == .selector {
            guard let e = yamlSelectors[c.value] else {
                throw ProjectError(.selectorNotFound, "could not find selector named '\(c.value)'",
                                   location: SourceLocation(file: "selectors.yml"))
            }
            base = try set(e, depth: depth + 1)
        } else {
            base = try matches(c)
        }
        var out = base
        for id in base {
            if c.parents { out.formUnion(graph.ancestors(of: id, depth: c.parentsDepth)) }
            if c.children { out.formUnion(graph.descendants(of: id, depth: c.childrenDepth)) }
            if c.childrensParents {
                let down = graph.descendants(of: id)
                out.formUnion(down)
                for d in down { out.formUnion(graph.ancestors(of: d)) }
                out.formUnion(graph.ancestors(of: id))
            }
        }
        return withIndirectTests(out, mode: c.indirectSelection)
    }

    /// Adds tests whose parents are selected: any parent (eager), all parents (cautious), all
    /// parents or their ancestors (buildable); none (empty).
    func withIndirectTests(_ ids: Set<String>, mode: SelectionCriterion.IndirectSelection) -> Set<String> {
        guard mode != .empty else { return ids }
        var out = ids
        for id in ids {
            for child in graph.children(of: id) {
                guard let n = manifest.nodes[child], n.resourceType == .test, !out.contains(child) else { continue }
                let parents = n.dependsOn.nodes
                switch mode {
                case .eager: out.insert(child)
                case .cautious, .buildable:
                    if parents.allSatisfy({ ids.contains($0) }) { out.insert(child) }
                case .empty: break
                }
            }
        }
        return out
    }

    /// Ids matched by one method (before graph operators).
    func matches(_ c: SelectionCriterion) throws -> Set<String> {
        var out = Set<String>()
        let v = c.value
        switch c.method {
        case .fqn:
            // Sources are not matched by fqn (checked against `dbt ls`); use `source:`.
            for (id, n) in manifest.nodes where Self.fqnMatches(v, fqn: n.fqn) { out.insert(id) }
        case .tag:
            for (id, n) in manifest.nodes where n.tags.contains(where: { Glob.match(v, $0) }) { out.insert(id) }
            for (id, s) in manifest.sources where s.tags.contains(where: { Glob.match(v, $0) }) { out.insert(id) }
        case .package:
            let pkg = v == "this" ? manifest.projectName : v
            for (id, n) in manifest.nodes where Glob.match(pkg, n.packageName) { out.insert(id) }
            for (id, s) in manifest.sources where Glob.match(pkg, s.packageName) { out.insert(id) }
        case .path:
            var p = v.hasPrefix("./") ? String(v.dropFirst(2)) : v
            while p.hasSuffix("/") { p.removeLast() }
            let glob = p.contains("*") || p.contains("?") || p.contains("[")
            func hit(_ file: String) -> Bool {
                if glob { return Glob.match(p, file) || Glob.match(p + "/*", file) }
                return file == p || file.hasPrefix(p + "/") || p == "."
            }
            for (id, n) in manifest.nodes where n.resourceType != .operation && hit(n.originalFilePath) { out.insert(id) }
            for (id, s) in manifest.sources where hit(s.originalFilePath) { out.insert(id) }
        case .file:
            for (id, n) in manifest.nodes where n.resourceType != .operation {
                let base = n.originalFilePath.split(separator: "/").last.map(String.init) ?? ""
                let stem = base.split(separator: ".").first.map(String.init) ?? base
                if Glob.match(v, base) || Glob.match(v, stem) { out.insert(id) }
            }
        case .config:
            for (id, n) in manifest.nodes {
                var value: ConfigValue? = n.config[c.methodArguments[0]]
                for k in c.methodArguments.dropFirst() { value = value?[k] }
                if let value, Self.configMatches(v, value) { out.insert(id) }
            }
        case .source:
            let parts = v.split(separator: ".").map(String.init)
            for (id, s) in manifest.sources {
                let ok: Bool
                switch parts.count {
                case 1: ok = Glob.match(parts[0], s.sourceName)
                case 2: ok = Glob.match(parts[0], s.sourceName) && Glob.match(parts[1], s.name)
                case 3: ok = Glob.match(parts[0], s.packageName) && Glob.match(parts[1], s.sourceName) && Glob.match(parts[2], s.name)
                default:
                    throw ProjectError(.invalidSelector, "'source:\(v)': expected source, source.table or package.source.table")
                }
                if ok { out.insert(id) }
            }
        case .resourceType:
            guard let t = ResourceType(rawValue: v) else {
                throw ProjectError(.invalidSelector, "'\(v)' is not a resource type",
                                   hint: "one of: model, seed, test, snapshot, analysis, source, operation")
            }
            if t == .source { out.formUnion(manifest.sources.keys) }
            for (id, n) in manifest.nodes where n.resourceType == t { out.insert(id) }
        case .testType:
            let generic: Bool
            switch v {
            case "generic", "schema": generic = true
            case "singular", "data": generic = false
            case "unit": return []
            default:
                throw ProjectError(.invalidSelector, "'\(v)' is not a test type", hint: "one of: generic, singular, unit")
            }
            for (id, n) in manifest.nodes where n.resourceType == .test && n.isGenericTest == generic { out.insert(id) }
        case .testName:
            for (id, n) in manifest.nodes where n.resourceType == .test {
                if let t = n.testMetadata, Glob.match(v, t.name) { out.insert(id) }
            }
        case .selector:
            break
        }
        return out
    }

    /// dbt's `is_selected_node`, tried with the package (`pkg.staging.x`) and without (`staging.x`).
    static func fqnMatches(_ selector: String, fqn: [String]) -> Bool {
        func selected(_ fqn: [String]) -> Bool {
            if fqn.last == selector { return true }
            let flat = fqn.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
            let parts = selector.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if flat.count < parts.count { return false }
            for (i, part) in parts.enumerated() {
                if part.contains(where: { "*?[]".contains($0) }) {
                    return Glob.match(parts[i...].joined(separator: "."), flat[i...].joined(separator: "."))
                }
                if flat[i] != part { return false }
            }
            return true
        }
        return selected(fqn) || (fqn.count > 1 && selected(Array(fqn.dropFirst())))
    }

    /// A config value matches when it equals the selector (booleans and numbers as text,
    /// case-insensitive for booleans) or, for a list, when an element does.
    static func configMatches(_ selector: String, _ value: ConfigValue) -> Bool {
        switch value {
        case .string(let s): return Glob.match(selector, s)
        case .bool(let b): return selector.lowercased() == (b ? "true" : "false")
        case .int, .double: return selector == value.pythonStr
        case .array(let a): return a.contains { configMatches(selector, $0) }
        case .null: return selector.lowercased() == "none" || selector.lowercased() == "null"
        case .dict: return false
        }
    }
}

/// Python's `fnmatch.fnmatchcase`: `*`, `?`, `[seq]`, `[!seq]`.
enum Glob {
    static func match(_ pattern: String, _ text: String) -> Bool {
        if !pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) { return pattern == text }
        return matchChars(Array(pattern), 0, Array(text), 0)
    }

    private static func matchChars(_ p: [Character], _ pi: Int, _ t: [Character], _ ti: Int) -> Bool {
        var pi = pi, ti = ti
        var starP = -1, starT = -1
        while ti < t.count {
            if pi < p.count, p[pi] == "*" {
                starP = pi; starT = ti; pi += 1; continue
            }
            if pi < p.count, let (ok, next) = single(p, pi, t[ti]), ok {
                pi = next; ti += 1; continue
            }
            if starP >= 0 { pi = starP + 1; starT += 1; ti = starT; continue }
            return false
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches one pattern element at `pi` against `c`; returns the next pattern index.
    private static func single(_ p: [Character], _ pi: Int, _ c: Character) -> (Bool, Int)? {
        switch p[pi] {
        case "?": return (true, pi + 1)
        case "[":
            var i = pi + 1
            var negate = false
            if i < p.count, p[i] == "!" { negate = true; i += 1 }
            var matched = false
            var first = true
            while i < p.count, p[i] != "]" || first {
                first = false
                if i + 2 < p.count, p[i + 1] == "-", p[i + 2] != "]" {
                    if p[i] <= c && c <= p[i + 2] { matched = true }
                    i += 3
                } else {
                    if p[i] == c { matched = true }
                    i += 1
                }
            }
            guard i < p.count else { return (p[pi] == c, pi + 1) }   // no closing `]`: literal `[`
            return (matched != negate, i + 1)
        default:
            return (p[pi] == c, pi + 1)
        }
    }
}
