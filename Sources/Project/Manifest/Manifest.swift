/// The parsed project: every node, source, macro and doc block, keyed by unique id, plus the
/// parent and child maps once `resolve()` has run.
///
/// How Compile drives it:
/// 1. `var manifest = try ManifestBuilder.build(project: loaded)` — nodes with project-tree and
///    property-file configs, generic test nodes, sources, macros and doc blocks.
/// 2. For each node (`manifest.nodeIDs`), render `rawCode` in dbt's parse context and report what the
///    render recorded: `try manifest.applyConfigCalls(id, calls)` then
///    `try manifest.setParseResult(id, refs: …, sources: …, macros: …)`. Generic tests already
///    have their refs/sources (taken from their kwargs); Compile may skip them.
/// 3. `try manifest.resolve()` — drops disabled nodes into `disabled`, checks duplicate names,
///    resolves refs/sources to unique ids (`dependsOn.nodes`), fills `parentMap`/`childMap`.
/// 4. `try Graph(manifest)` for order and selection; Compile then sets database/schema/alias/
///    relationName/compiledCode through `update(_:_:)`.
public struct Manifest: Sendable {
    public var projectName: String
    /// Enabled nodes by unique id (after `resolve()`; before it, every parsed node).
    public private(set) var nodes: [String: Node] = [:]
    /// Unique ids of `nodes` in the order they were added (files sorted by path, then tests).
    public private(set) var nodeIDs: [String] = []
    public private(set) var sources: [String: SourceDefinition] = [:]
    public private(set) var sourceIDs: [String] = []
    public var macros: [String: MacroEntry] = [:]
    public var docs: [String: DocBlock] = [:]
    /// Nodes with `enabled: false` (or tests on disabled nodes), by unique id, as dbt's `disabled`.
    public private(set) var disabled: [String: [Node]] = [:]
    /// unique id → sorted unique ids it depends on (nodes and sources).
    public private(set) var parentMap: [String: [String]] = [:]
    /// unique id → sorted unique ids that depend on it.
    public private(set) var childMap: [String: [String]] = [:]
    /// The raw `selectors:` of selectors.yml (for `--selector` and `manifest.json`).
    public var selectors: ConfigObject = ConfigObject()
    /// Warnings dbt would print at parse (unknown keys, tests on missing models…).
    public var warnings: [ProjectWarning] = []
    /// True once `resolve()` has run.
    public private(set) var isResolved = false

    public init(projectName: String) { self.projectName = projectName }

    // MARK: - Building

    /// Adds a node, keeping insertion order.
    ///
    /// Two files that give the same unique id (`models/a/x.sql` and `models/b/x.sql`) are both
    /// kept until `resolve()`, the second under the key `<unique id>#2`, because a `config()` call
    /// may still disable one of them; `resolve()` then fails with `.duplicateResource` if both stay
    /// enabled.
    public mutating func add(_ node: Node) {
        var key = node.uniqueID
        var n = 2
        while nodes[key] != nil { key = "\(node.uniqueID)#\(n)"; n += 1 }
        nodes[key] = node
        nodeIDs.append(key)
    }

    /// Replaces the node stored under `key` (a key of `nodeIDs`).
    package mutating func replace(_ key: String, with node: Node) { nodes[key] = node }

    /// Adds (or replaces) a source table.
    public mutating func add(_ source: SourceDefinition) {
        if sources.updateValue(source, forKey: source.uniqueID) == nil { sourceIDs.append(source.uniqueID) }
    }

    /// Adds (or replaces) a macro.
    public mutating func add(_ macro: MacroEntry) { macros[macro.uniqueID] = macro }

    /// The node with this id, enabled or (after `resolve()`) disabled.
    public func node(_ id: String) -> Node? { nodes[id] ?? disabled[id]?.first }

    /// Changes a node in place (Compile sets `database`, `schema`, `alias`, `relationName`,
    /// `compiledCode` this way).
    /// - Throws: `.unknownNode` when no enabled node has this id.
    public mutating func update(_ id: String, _ body: (inout Node) throws -> Void) throws {
        guard var n = nodes[id] else { throw ProjectError(.unknownNode, "no node with unique id '\(id)'") }
        try body(&n)
        nodes[id] = n
    }

    // MARK: - Parse results from Compile

    /// Applies the `config(...)` calls Compile recorded while rendering the node's file, in call
    /// order. They are the most specific layer: they override property-file and project configs
    /// (tags and hooks accumulate).
    /// - Throws: `.unknownNode`.
    public mutating func applyConfigCalls(_ id: String, _ calls: [ConfigObject]) throws {
        guard var n = nodes[id] else { throw ProjectError(.unknownNode, "no node with unique id '\(id)'") }
        n.layers.calls = calls
        ManifestBuilder.recomputeConfig(&n)
        nodes[id] = n
    }

    /// As `applyConfigCalls(_:_: [ConfigObject])` for unordered dictionaries (keys are sorted).
    public mutating func applyConfigCalls(_ id: String, _ calls: [[String: ConfigValue]]) throws {
        try applyConfigCalls(id, calls.map { d in ConfigObject(d.keys.sorted().map { (key: $0, value: d[$0] ?? .null) }) })
    }

    /// Records the `ref()`/`source()` calls (and macros used) Compile saw when rendering the node.
    /// - Parameters:
    ///   - refs: in call order; duplicates are kept as dbt keeps them.
    ///   - sources: `[source_name, table_name]` pairs in call order.
    ///   - macros: `macro.<package>.<name>` ids, or nil to keep what the node has.
    /// - Throws: `.unknownNode`.
    public mutating func setParseResult(_ id: String, refs: [RefArgs], sources: [[String]], macros: [String]? = nil) throws {
        guard var n = nodes[id] else { throw ProjectError(.unknownNode, "no node with unique id '\(id)'") }
        n.refs = refs
        n.sources = sources
        if let macros { n.dependsOn.macros = macros }
        nodes[id] = n
    }

    // MARK: - Internal for the resolver

    package mutating func setResolved(nodes: [String: Node], nodeIDs: [String], disabled: [String: [Node]],
                                      parentMap: [String: [String]], childMap: [String: [String]]) {
        self.nodes = nodes
        self.nodeIDs = nodeIDs
        self.disabled = disabled
        self.parentMap = parentMap
        self.childMap = childMap
        self.isResolved = true
    }

    package mutating func setSourcesResolved(_ sources: [String: SourceDefinition], ids: [String]) {
        self.sources = sources
        self.sourceIDs = ids
    }
}
