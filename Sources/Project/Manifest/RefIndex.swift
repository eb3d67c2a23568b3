/// Name lookups for compile time: what `ref('x')` and `source('s', 't')` point at.
///
/// Build it once after `resolve()` (O(nodes)); lookups are O(1).
///
/// ```swift
/// let index = RefIndex(manifest)
/// index.node(for: RefArgs(name: "stg_orders"), from: "jaffle_shop")?.relationName
/// index.source("raw_source", "im_arrival_scan")?.identifier
/// ```
public struct RefIndex: Sendable {
    private var byName: [String: [(id: String, package: String)]] = [:]
    private var sources: [String: String] = [:]
    private let manifest: Manifest

    public init(_ manifest: Manifest) {
        self.manifest = manifest
        for id in manifest.nodeIDs {
            guard let n = manifest.nodes[id], n.resourceType.isRefable else { continue }
            byName[n.name, default: []].append((id, n.packageName))
        }
        for (id, s) in manifest.sources { sources[s.sourceName + "\u{0}" + s.name] = id }
    }

    /// The enabled model/seed/snapshot a ref names: the same package first, then any package
    /// (dbt's lookup order). nil when none.
    public func node(for ref: RefArgs, from package: String) -> Node? {
        let candidates = byName[ref.name] ?? []
        let id = candidates.first { $0.package == (ref.package ?? package) }?.id
            ?? (ref.package == nil ? candidates.first?.id : nil)
        return id.flatMap { manifest.nodes[$0] }
    }

    /// The enabled source table, or nil.
    public func source(_ sourceName: String, _ tableName: String) -> SourceDefinition? {
        sources[sourceName + "\u{0}" + tableName].flatMap { manifest.sources[$0] }
    }
}
