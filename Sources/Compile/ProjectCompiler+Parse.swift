import Foundation
import Jinja
import Project
import Warehouse

extension ProjectCompiler {
    /// dbt's parse: builds the manifest, renders every node that has code with `execute` false to
    /// record its `ref`/`source`/`config` calls, resolves the graph, and names every relation.
    ///
    /// - Throws: ``CompileError`` (a Jinja error with the file, line and column; a ref to a
    ///   missing model), or `ProjectError` from the manifest (duplicates, unknown sources).
    public func parse() throws {
        var manifest = try ManifestBuilder.build(loaded)
        let ids = manifest.nodeIDs.filter { id in
            guard let node = manifest.nodes[id] else { return false }
            switch node.resourceType {
            case .model, .analysis, .snapshot: return true
            case .test: return !node.isGenericTest
            default: return false
            }
        }
        // Render on every core: each render is independent and the environment is read-only.
        let nodes = ids.map { manifest.nodes[$0] }
        var results = [Result<NodeRecorder, Error>?](repeating: nil, count: ids.count)
        let environment = parseEnvironment
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeMutableBufferPointerBox(buffer)
            let chunks = max(1, min(ids.count, ProcessInfo.processInfo.activeProcessorCount * 4))
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var index = chunk
                while index < nodes.count {
                    if let node = nodes[index] {
                        let recorder = NodeRecorder(phase: .parse, node: node)
                        do {
                            let template = try environment.parse(node.rawCode, name: node.originalFilePath)
                            _ = try environment.render(template, context: self.context(for: node, recorder: recorder))
                            slots.buffer[index] = .success(recorder)
                        } catch {
                            slots.buffer[index] = .failure(error)
                        }
                    }
                    index += chunks
                }
            }
        }
        // Where each node calls ref(name): a missing ref's error then points at the call.
        var refSpots: [String: [String: (line: Int, column: Int)]] = [:]
        for (index, id) in ids.enumerated() {
            guard let result = results[index], let node = nodes[index] else { continue }
            switch result {
            case .success(let recorder):
                for (ref, spot) in zip(recorder.refs, recorder.refLocations) where refSpots[node.originalFilePath]?[ref.name] == nil {
                    refSpots[node.originalFilePath, default: [:]][ref.name] = spot
                }
                for (source, spot) in zip(recorder.sources, recorder.sourceLocations) where source.count == 2 {
                    let key = "\(source[0]).\(source[1])"
                    if refSpots[node.originalFilePath]?[key] == nil { refSpots[node.originalFilePath, default: [:]][key] = spot }
                }
                try manifest.applyConfigCalls(id, recorder.configCalls)
                try manifest.setParseResult(id, refs: recorder.refs, sources: recorder.sources)
            case .failure(let error as JinjaError):
                throw compileError(error, node: node)
            case .failure(let error):
                throw error
            }
        }
        do {
            try manifest.resolve()
        } catch var error as ProjectError where error.kind == .refNotFound || error.kind == .sourceNotFound {
            // The message names the ref as `… a node named 'x' which …` (a source as `… a source
            // named 's.t' which …`); add the call's line:column.
            if let location = error.location, location.line == nil,
               let spot = refSpots[location.file]?.first(where: { error.message.contains("named '\($0.key)' which") })?.value {
                error.location = SourceLocation(file: location.file, line: spot.line, column: spot.column)
            }
            throw error
        }
        _ = try Graph(manifest)  // a cycle is a parse error, as in dbt
        self.setManifest(manifest)
        try nameRelations()
        buildIndexes()
    }

    /// Sets database, schema, alias and relation name on every node, through the project's
    /// `generate_*_name` macros when it overrides them, natively otherwise (same result as
    /// dbt's defaults, docs.getdbt.com/docs/build/custom-schemas).
    func nameRelations() throws {
        var manifest = self.manifest
        let customSchema = projectMacros["generate_schema_name"] ?? projectMacros["default__generate_schema_name"]
        let customAlias = projectMacros["generate_alias_name"] ?? projectMacros["default__generate_alias_name"]
        let customDatabase = projectMacros["generate_database_name"] ?? projectMacros["default__generate_database_name"]
        let targetSchema = settings.target.schema ?? "main"
        for id in manifest.nodeIDs {
            guard let node = manifest.nodes[id] else { continue }
            var configSchema = node.config.schema
            if node.resourceType == .test && configSchema == nil { configSchema = "dbt_test__audit" }
            let schema: String
            let alias: String
            let database: String?
            if customSchema != nil || customAlias != nil || customDatabase != nil {
                let recorder = NodeRecorder(phase: .compile, node: node)
                let context = self.context(for: node, recorder: recorder)
                func call(_ name: String, _ value: String?) throws -> String? {
                    do {
                        let result = try compileEnvironment.call(
                            compileEnvironment.globals[name] ?? Value.none,
                            Arguments([value.map(Value.string) ?? Value.none, modelValue(node)]),
                            context: context, templateName: node.originalFilePath)
                        let text = result.pythonStr().trimmingCharacters(in: .whitespacesAndNewlines)
                        return text.isEmpty || text == "None" ? nil : text
                    } catch let error as JinjaError {
                        throw compileError(error, node: node)
                    }
                }
                schema = try call("generate_schema_name", configSchema) ?? targetSchema
                alias = try call("generate_alias_name", node.config.alias) ?? node.name
                database = try call("generate_database_name", node.config.database) ?? settings.target.database
            } else {
                if let custom = configSchema?.trimmingCharacters(in: .whitespaces) {
                    schema = targetSchema + "_" + custom
                } else {
                    schema = targetSchema
                }
                alias = node.config.alias?.trimmingCharacters(in: .whitespaces) ?? node.name
                database = node.config.database?.trimmingCharacters(in: .whitespaces) ?? settings.target.database
            }
            try manifest.update(id) { node in
                node.schema = schema
                node.alias = alias
                node.database = database
                let refable = node.resourceType == .model || node.resourceType == .seed || node.resourceType == .snapshot
                // dbt also names the audit table of a data test that stores its failures.
                let storesFailures = node.resourceType == .test && node.config.storeFailures == true
                if (refable && node.config.materialized != "ephemeral") || storesFailures {
                    node.relationName = adapter.render(Relation(database: database, schema: schema, identifier: alias))
                }
            }
        }
        setManifest(manifest)
    }
}

/// Lets concurrent iterations write disjoint slots of one buffer.
struct UnsafeMutableBufferPointerBox<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
