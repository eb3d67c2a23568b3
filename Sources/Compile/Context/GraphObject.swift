import Foundation
import Jinja
import Project

/// dbt's `graph` context variable: `graph.nodes` and `graph.sources` as dicts keyed by unique id
/// (docs.getdbt.com/reference/dbt-jinja-functions/graph). Built once, on first use, and shared by
/// every render afterwards (it is read-only).
final class GraphObject: JinjaObject, @unchecked Sendable {
    private let lock = NSLock()
    private var nodes: Value?
    private var sources: Value?
    private let build: @Sendable () -> (nodes: Value, sources: Value)

    init(build: @escaping @Sendable () -> (nodes: Value, sources: Value)) {
        self.build = build
    }

    var typeName: String { "dict" }
    var pythonStr: String { "<graph>" }

    func attribute(_ name: String) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        if nodes == nil {
            let built = build()
            nodes = built.nodes
            sources = built.sources
        }
        switch name {
        case "nodes": return nodes
        case "sources": return sources
        case "exposures", "metrics", "groups", "semantic_models", "saved_queries": return .makeDict([])
        default: return nil
        }
    }

    func item(_ key: Value) -> Value? { key.asString.flatMap(attribute) }
}
