import Foundation
import Project

extension Invocation {
    /// The selected node and source ids in graph order, limited to `types` (resource type names).
    func selectedIDs(_ session: Session, types: Set<String>?) throws -> [String] {
        let manifest = session.compiler.manifest
        let graph = try Graph(manifest)
        let selection = try NodeSelector.select(
            manifest: manifest, graph: graph, select: options.select, exclude: options.exclude,
            selector: options.selector)
        guard let types else { return selection }
        return selection.filter { id in
            if let node = manifest.nodes[id] { return types.contains(node.resourceType.rawValue) }
            return types.contains("source") && manifest.sources[id] != nil
        }
    }
}
