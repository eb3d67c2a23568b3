import Foundation
import Project

extension Invocation {
    /// The selected node and source ids in graph order, limited to `types` (resource type names).
    /// - Throws: `ProjectError` `.invalidSelector`, `.selectorNotFound`, `.dependencyCycle`.
    func selectedIDs(_ session: Session, types: Set<String>?) throws -> [String] {
        let manifest = session.compiler.manifest
        let selector = try Selector(manifest: manifest, graph: try Graph(manifest))
        let result = try selector.select(select: options.select, exclude: options.exclude, selector: options.selector)
        guard let types else { return result.selected }
        return result.selected.filter { id in
            if let node = manifest.nodes[id] { return types.contains(node.resourceType.rawValue) }
            return types.contains("source") && manifest.sources[id] != nil
        }
    }
}
