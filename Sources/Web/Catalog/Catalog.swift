import Foundation

/// One column of a node as `manifest.json` documents it.
public struct DocsColumn: Sendable, Hashable {
    public var name: String
    /// The declared `data_type` (empty when the property file gives none).
    public var dataType: String
    public var description: String
}

/// A node of the lineage graph: a model, seed, snapshot, data test or source, read from
/// `manifest.json` (dbt schema v12) as it is.
public struct DocsNode: Sendable, Hashable {
    /// dbt's `unique_id`, e.g. `model.opsflow_analytics.stg_orders`.
    public var uniqueID: String
    /// `model`, `seed`, `snapshot`, `test`, `source`, `analysis`, `operation`.
    public var resourceType: String
    public var name: String
    public var description: String
    public var columns: [DocsColumn]
    /// `config.materialized` (models, seeds, snapshots); sources report `source`.
    public var materialized: String
    public var schema: String
    /// The relation as the warehouse names it (`relation_name`), nil for ephemeral models and tests.
    public var relationName: String?
    public var rawCode: String
    public var compiledCode: String?
    public var originalFilePath: String
    /// `depends_on.nodes` (models, seeds, sources a node reads).
    public var dependsOn: [String]
    /// Tests: the node the test is attached to, and its column (generic tests only).
    public var attachedNode: String?
    public var columnName: String?
    /// Tests: the generic test's name (`unique`, `not_null` …), nil for singular tests.
    public var testName: String?
    /// Tests: `config.severity` (`error` or `warn`).
    public var severity: String?
}

/// The project as `target/manifest.json` describes it: every node and source, their edges and the
/// project name. Built only from the artifact, so it shows exactly what the last parse wrote.
public struct Catalog: Sendable {
    public var projectName: String
    public var generatedAt: String
    /// Nodes and sources by `unique_id`.
    public var nodes: [String: DocsNode]
    /// `unique_id` → the ids that depend on it (dbt's `child_map`, rebuilt from `depends_on`).
    public var children: [String: [String]]

    /// The node ids that appear on the lineage page: sources, seeds, snapshots, models and tests.
    public var lineageIDs: [String] {
        nodes.values.filter { ["source", "seed", "snapshot", "model", "test"].contains($0.resourceType) }
            .map(\.uniqueID).sorted()
    }

    /// Reads `manifest.json`.
    /// - Throws: ``WebError/artifactMissing`` when the file is absent (run `opsflow parse` or a
    ///   build first), ``WebError/artifactInvalid`` when it is not a dbt manifest.
    public static func load(manifestPath path: String) throws -> Catalog {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WebError.artifactMissing(path)
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw WebError.artifactInvalid(path, "not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any], let nodesJSON = root["nodes"] as? [String: Any] else {
            throw WebError.artifactInvalid(path, "no `nodes` object")
        }
        let metadata = root["metadata"] as? [String: Any] ?? [:]
        var nodes: [String: DocsNode] = [:]
        for (id, value) in nodesJSON {
            guard let n = value as? [String: Any] else { continue }
            nodes[id] = node(id, n, isSource: false)
        }
        for (id, value) in root["sources"] as? [String: Any] ?? [:] {
            guard let n = value as? [String: Any] else { continue }
            nodes[id] = node(id, n, isSource: true)
        }
        var children: [String: [String]] = [:]
        for n in nodes.values {
            for parent in n.dependsOn where nodes[parent] != nil { children[parent, default: []].append(n.uniqueID) }
        }
        for key in children.keys { children[key]?.sort() }
        return Catalog(projectName: metadata["project_name"] as? String ?? "",
                       generatedAt: metadata["generated_at"] as? String ?? "", nodes: nodes, children: children)
    }

    private static func node(_ id: String, _ n: [String: Any], isSource: Bool) -> DocsNode {
        let config = n["config"] as? [String: Any] ?? [:]
        var columns: [DocsColumn] = []
        for (key, value) in n["columns"] as? [String: Any] ?? [:] {
            let c = value as? [String: Any] ?? [:]
            columns.append(DocsColumn(name: c["name"] as? String ?? key, dataType: c["data_type"] as? String ?? "",
                                      description: c["description"] as? String ?? ""))
        }
        // The manifest keeps columns in a JSON object: order them as the property file does when we
        // can't know it (JSONSerialization loses order), i.e. by name.
        columns.sort { $0.name < $1.name }
        let depends = (n["depends_on"] as? [String: Any])?["nodes"] as? [String] ?? []
        let test = n["test_metadata"] as? [String: Any]
        var name = n["name"] as? String ?? id
        if isSource, let sourceName = n["source_name"] as? String { name = "\(sourceName).\(name)" }
        var relation = n["relation_name"] as? String
        if isSource, relation == nil, let schema = n["schema"] as? String {
            // Our manifest leaves a source's relation_name null; on the embedded warehouse a
            // relation is the one quoted table "schema.identifier" (docs/internals.md).
            let identifier = (n["identifier"] as? String) ?? (n["name"] as? String ?? "")
            relation = "\"" + (schema + "." + identifier).replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return DocsNode(
            uniqueID: id, resourceType: n["resource_type"] as? String ?? (isSource ? "source" : "model"), name: name,
            description: n["description"] as? String ?? "", columns: columns,
            materialized: isSource ? "source" : (config["materialized"] as? String ?? ""),
            schema: n["schema"] as? String ?? "", relationName: relation,
            rawCode: n["raw_code"] as? String ?? "", compiledCode: n["compiled_code"] as? String,
            originalFilePath: n["original_file_path"] as? String ?? "", dependsOn: depends,
            attachedNode: n["attached_node"] as? String, columnName: n["column_name"] as? String,
            testName: test?["name"] as? String, severity: config["severity"] as? String)
    }

    /// Every ancestor of `id` (not including it).
    public func upstream(of id: String) -> Set<String> {
        var seen = Set<String>(), stack = nodes[id]?.dependsOn ?? []
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            stack.append(contentsOf: nodes[next]?.dependsOn ?? [])
        }
        return seen
    }

    /// Every descendant of `id` (not including it).
    public func downstream(of id: String) -> Set<String> {
        var seen = Set<String>(), stack = children[id] ?? []
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            stack.append(contentsOf: children[next] ?? [])
        }
        return seen
    }

    /// The data tests on a node: those attached to it, or (singular tests) reading it.
    public func tests(on id: String) -> [DocsNode] {
        nodes.values.filter { $0.resourceType == "test" && ($0.attachedNode == id || ($0.attachedNode == nil && $0.dependsOn.contains(id))) }
            .sorted { $0.name < $1.name }
    }

    /// Finds a model by name (dashboards name models as `ref` does).
    public func model(named name: String) -> DocsNode? {
        nodes.values.filter { ["model", "seed", "snapshot"].contains($0.resourceType) && $0.name == name }
            .min { $0.uniqueID < $1.uniqueID }
    }
}

/// Errors of the Web module. Each one is shown to the user as a page or a JSON error.
public enum WebError: Error, Sendable, Equatable, CustomStringConvertible {
    case artifactMissing(String)
    case artifactInvalid(String, String)
    case dashboardInvalid(String, String)
    case query(String)
    case timeout(Double)
    case badFilter(String, String)
    case io(String)

    public var description: String {
        switch self {
        case .artifactMissing(let path): return "\(path) not found: run `opsflow parse` or `opsflow build` first"
        case .artifactInvalid(let path, let why): return "\(path) is not a dbt artifact: \(why)"
        case .dashboardInvalid(let path, let why): return "dashboard \(path): \(why)"
        case .query(let message): return "query failed: \(message)"
        case .timeout(let seconds): return "query stopped after the \(seconds) s timeout"
        case .badFilter(let name, let why): return "filter \(name): \(why)"
        case .io(let message): return message
        }
    }
}
