import Foundation
import Jinja
import Project
import Warehouse

extension ProjectCompiler {
    /// The per-render context of a node (dbt's `this`, `model`, `execute` …).
    func context(for node: Node?, recorder: NodeRecorder, extra: [String: Value] = [:]) -> [String: Value] {
        var context: [String: Value] = [
            NodeRecorder.contextKey: .object(recorder),
            "execute": .bool(recorder.phase == .compile),
        ]
        if let node {
            // At parse the relation is not named yet; dbt still gives `this` (with the target's schema).
            let relation = relation(of: node)
                ?? Relation(database: settings.target.database, schema: settings.target.schema ?? "main", identifier: node.name)
            context["this"] = .object(RelationObject(relation, rendered: renderRelation(relation, ephemeral: false)))
            context["model"] = modelValue(node)
        }
        for (key, value) in extra { context[key] = value }
        return context
    }

    /// The node as dbt's `model` context variable sees it.
    func modelValue(_ node: Node) -> Value {
        var columns: [(String, Value)] = []
        for column in node.columns {
            columns.append((column.name, .makeDict([
                ("name", .string(column.name)), ("description", .string(column.description)),
                ("data_type", column.dataType.map(Value.string) ?? Value.none), ("meta", Value(.dict(column.meta))),
            ])))
        }
        return .makeDict([
            ("unique_id", .string(node.uniqueID)), ("name", .string(node.name)),
            ("resource_type", .string(node.resourceType.rawValue)), ("package_name", .string(node.packageName)),
            ("path", .string(node.path)), ("original_file_path", .string(node.originalFilePath)),
            ("fqn", .makeList(node.fqn.map(Value.string))), ("alias", node.alias.map(Value.string) ?? .string(node.name)),
            ("schema", node.schema.map(Value.string) ?? Value.none), ("database", node.database.map(Value.string) ?? Value.none),
            ("config", Value(.dict(node.config.values))), ("tags", .makeList(node.tags.map(Value.string))),
            ("description", .string(node.description)), ("columns", .makeDict(columns)),
            ("raw_code", .string(node.rawCode)), ("meta", Value(.dict(node.meta))),
            ("refs", .makeList(node.refs.map { ref in
                .makeDict([("name", .string(ref.name)), ("package", ref.package.map(Value.string) ?? Value.none),
                           ("version", ref.version.map(Value.string) ?? Value.none)])
            })),
        ])
    }

    // MARK: - ref, source, is_incremental

    /// `ref('name')`, `ref('package', 'name')`, `ref('name', version=2)`.
    func ref(_ args: Arguments, _ state: State) throws -> Value {
        let strings = args.positional.compactMap(\.asString)
        let version = args.keyword("version").map { $0.asString ?? $0.pythonStr() } ?? args.keyword("v").map { $0.pythonStr() }
        guard !strings.isEmpty, strings.count == args.positional.count,
              let refArgs = RefArgs(positional: strings, version: version) else {
            throw state.error(.type, "ref() takes a model name, or a package name and a model name, as strings",
                              hint: "write ref('stg_orders')")
        }
        guard let recorder = state.recorder else { throw state.error(.runtime, "ref() is only available in a node") }
        if recorder.phase == .parse {
            recorder.refs.append(refArgs)
            recorder.refLocations.append((state.line, state.column))
            let placeholder = Relation(database: settings.target.database, schema: settings.target.schema ?? "main",
                                       identifier: refArgs.name)
            return .object(RelationObject(placeholder, rendered: adapter.render(placeholder)))
        }
        guard let id = resolveRef(refArgs, from: recorder.node), let target = manifest.nodes[id] else {
            throw state.error(.runtime, "Model '\(recorder.node?.uniqueID ?? "inline")' depends on a node named '\(refArgs.name)' which was not found",
                              hint: "check the name in ref(); `opsflow ls` lists the models")
        }
        if target.config.materialized == "ephemeral" {
            if !recorder.ephemeralRefs.contains(id) { recorder.ephemeralRefs.append(id) }
            let relation = Relation(schema: target.schema ?? "", identifier: target.alias ?? target.name, kind: .ephemeral)
            return .object(RelationObject(relation, rendered: "__dbt__cte__" + target.name))
        }
        guard let relation = relation(of: target) else { return .none }
        return .object(RelationObject(relation, rendered: renderRelation(relation, ephemeral: false)))
    }

    func resolveRef(_ ref: RefArgs, from node: Node?) -> String? {
        guard let ids = refIndex[ref.name] else { return nil }
        if let package = ref.package { return ids.first { manifest.nodes[$0]?.packageName == package } }
        if let node, let local = ids.first(where: { manifest.nodes[$0]?.packageName == node.packageName }) { return local }
        return ids.first
    }

    /// `source('source_name', 'table_name')`.
    func source(_ args: Arguments, _ state: State) throws -> Value {
        guard args.positional.count == 2, let sourceName = args.positional[0].asString,
              let tableName = args.positional[1].asString else {
            throw state.error(.type, "source() takes a source name and a table name, as strings",
                              hint: "write source('raw_source', 'im_arrival_scan')")
        }
        guard let recorder = state.recorder else { throw state.error(.runtime, "source() is only available in a node") }
        if recorder.phase == .parse {
            recorder.sources.append([sourceName, tableName])
            recorder.sourceLocations.append((state.line, state.column))
            let placeholder = Relation(database: settings.target.database, schema: sourceName, identifier: tableName)
            return .object(RelationObject(placeholder, rendered: adapter.render(placeholder)))
        }
        guard let id = sourceIndex[sourceName + "\u{0}" + tableName], let definition = manifest.sources[id] else {
            throw state.error(.runtime, "'\(recorder.node?.uniqueID ?? "inline")' depends on a source named '\(sourceName).\(tableName)' which was not found",
                              hint: "declare it under `sources:` in a property file")
        }
        let relation = Relation(database: definition.database, schema: definition.schema, identifier: definition.identifier, kind: .table)
        return .object(RelationObject(relation, rendered: adapter.render(relation)))
    }

    /// dbt's `should_full_refresh()`: the node's `full_refresh` config wins over `--full-refresh`.
    public func shouldFullRefresh(_ node: Node?) -> Bool {
        node?.config.fullRefresh ?? settings.fullRefresh
    }

    /// dbt's `is_incremental()`: an incremental model whose table exists and is not being fully refreshed.
    func isIncremental(_ state: State) throws -> Bool {
        guard let recorder = state.recorder, recorder.phase == .compile, let node = recorder.node,
              node.config.materialized == "incremental", !shouldFullRefresh(node),
              let relation = relation(of: node) else { return false }
        let existing = try AdapterObject.warehouse(state) {
            try adapter.getRelation(database: relation.database, schema: relation.schema, identifier: relation.identifier)
        }
        return existing?.kind == .table
    }

    // MARK: - Relations

    /// The relation a node builds, from its resolved database, schema and alias.
    public func relation(of node: Node) -> Relation? {
        guard let schema = node.schema else { return nil }
        let kind: Relation.Kind? = switch node.config.materialized {
        case "view": .view
        case "ephemeral": .ephemeral
        case nil where node.resourceType == .model: .view
        default: .table
        }
        return Relation(database: node.database, schema: schema, identifier: node.alias ?? node.name, kind: kind)
    }

    func renderRelation(_ relation: Relation, ephemeral: Bool) -> String {
        ephemeral ? "__dbt__cte__" + relation.identifier : adapter.render(relation)
    }

    // MARK: - Indexes

    func buildIndexes() {
        refIndex = [:]
        for id in manifest.nodeIDs {
            guard let node = manifest.nodes[id], node.resourceType.isRefable else { continue }
            refIndex[node.name, default: []].append(id)
        }
        sourceIndex = [:]
        for id in manifest.sourceIDs {
            guard let source = manifest.sources[id] else { continue }
            sourceIndex[source.sourceName + "\u{0}" + source.name] = id
        }
    }

    // MARK: - Errors

    /// A Jinja error as a compile error located in the node's file.
    func compileError(_ error: JinjaError, node: Node?, file: String? = nil) -> CompileError {
        let inNodeFile = error.templateName == nil || error.templateName == node?.originalFilePath
        return CompileError(
            .jinja, error.message,
            file: inNodeFile ? (node?.originalFilePath ?? file ?? error.templateName) : error.templateName,
            line: error.hasLocation ? error.line : nil, column: error.hasLocation ? error.column : nil,
            hint: error.hint, nodeId: node?.uniqueID)
    }
}
