import Foundation
import Jinja
import Project
import Warehouse

extension ProjectCompiler {
    /// Compiles one node with `execute` true, against the warehouse as it is now.
    ///
    /// Ephemeral models it refs are compiled too and inlined as CTEs, as dbt does.
    /// - Throws: ``CompileError`` located in the node's file (or the macro's file).
    public func compile(_ id: String) throws -> CompiledNode {
        guard var node = manifest.nodes[id] else {
            throw CompileError(.internal, "no node with unique id '\(id)'")
        }
        let rendered = try render(node)
        let sql = injectCTEs(into: rendered.sql, rendered.ctes)
        node.compiledCode = sql
        let preHooks = try node.config.preHook.map { try renderHook($0.sql, node: node) }
        let postHooks = try node.config.postHook.map { try renderHook($0.sql, node: node) }
        return CompiledNode(node: node, sql: sql, preHooks: preHooks, postHooks: postHooks)
    }

    /// Compiles SQL that is not a node (`compile --inline`, `show --inline`).
    public func compileInline(_ sql: String) throws -> String {
        let recorder = NodeRecorder(phase: .compile, node: nil)
        do {
            let output = try compileEnvironment.render(sql, name: "inline", context: context(for: nil, recorder: recorder))
            return injectCTEs(into: output, try ctes(for: recorder.ephemeralRefs))
        } catch let error as JinjaError {
            throw compileError(error, node: nil, file: "inline")
        }
    }

    /// Renders a node's code (not its CTEs' ) and lists the CTEs it needs.
    func render(_ node: Node) throws -> (sql: String, ctes: [(name: String, sql: String)]) {
        let recorder = NodeRecorder(phase: .compile, node: node)
        var extra: [String: Value] = [:]
        if node.isGenericTest, let metadata = node.testMetadata {
            extra["_dbt_generic_test_kwargs"] = try testKwargs(metadata, node: node, recorder: recorder)
        }
        let output: String
        do {
            let template = try compileEnvironment.parseCached(node.rawCode, name: node.originalFilePath + "#" + node.uniqueID)
            output = try compileEnvironment.render(template, context: context(for: node, recorder: recorder, extra: extra))
        } catch var error as JinjaError {
            if error.templateName == node.originalFilePath + "#" + node.uniqueID { error.templateName = node.originalFilePath }
            throw compileError(error, node: node)
        }
        return (output, try ctes(for: recorder.ephemeralRefs))
    }

    /// The CTEs for ephemeral refs, each preceded by the CTEs it needs itself.
    func ctes(for ids: [String]) throws -> [(name: String, sql: String)] {
        var result: [(name: String, sql: String)] = []
        var seen = Set<String>()
        for id in ids {
            let compiled = try compiledEphemeral(id)
            for cte in compiled.ctes + [("__dbt__cte__" + (manifest.nodes[id]?.name ?? id), compiled.sql)]
            where seen.insert(cte.name).inserted {
                result.append(cte)
            }
        }
        return result
    }

    private func compiledEphemeral(_ id: String) throws -> (sql: String, ctes: [(name: String, sql: String)]) {
        ephemeralLock.lock()
        if let cached = ephemeralCache[id] { ephemeralLock.unlock(); return cached }
        ephemeralLock.unlock()
        guard let node = manifest.nodes[id] else { throw CompileError(.internal, "no node with unique id '\(id)'") }
        let rendered = try render(node)
        ephemeralLock.lock()
        ephemeralCache[id] = rendered
        ephemeralLock.unlock()
        return rendered
    }

    /// A generic test's keyword arguments, their Jinja strings rendered in the test's context
    /// (`model: "{{ get_where_subquery(ref('x')) }}"` becomes the relation text).
    func testKwargs(_ metadata: TestMetadata, node: Node, recorder: NodeRecorder) throws -> Value {
        var pairs: [(String, Value)] = []
        for (key, value) in metadata.kwargs {
            // As dbt's `add_rendered_test_kwargs`: column names stay as written; a bare
            // `ref(...)`/`source(...)`/`var(...)` call is wrapped in braces and rendered.
            if key == "column_name" {
                pairs.append((key, Value(value)))
            } else {
                pairs.append((key, try renderKwarg(value, node: node, recorder: recorder)))
            }
        }
        return .makeDict(pairs)
    }

    private func renderKwarg(_ value: ConfigValue, node: Node, recorder: NodeRecorder) throws -> Value {
        switch value {
        case .string(let bare) where bare.range(of: #"^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$"#, options: .regularExpression) != nil:
            return try renderKwarg(.string("{{ \(bare) }}"), node: node, recorder: recorder)
        case .string(let text) where text.contains("{{") || text.contains("{%"):
            do {
                return .string(try compileEnvironment.render(text, name: node.originalFilePath, context: context(for: node, recorder: recorder)))
            } catch let error as JinjaError {
                throw compileError(error, node: node)
            }
        case .array(let items):
            return .makeList(try items.map { try renderKwarg($0, node: node, recorder: recorder) })
        default:
            return Value(value)
        }
    }

    private func renderHook(_ sql: String, node: Node) throws -> String {
        guard sql.contains("{{") || sql.contains("{%") else { return sql }
        let recorder = NodeRecorder(phase: .compile, node: node)
        do {
            return try compileEnvironment.render(sql, name: node.originalFilePath, context: context(for: node, recorder: recorder))
        } catch let error as JinjaError {
            throw compileError(error, node: node)
        }
    }

    /// Renders project-level SQL (`on-run-start`/`on-run-end` hooks) with `execute` true.
    public func renderProjectHook(_ sql: String) throws -> String {
        let recorder = NodeRecorder(phase: .compile, node: nil)
        do {
            return try compileEnvironment.render(sql, name: "dbt_project.yml", context: context(for: nil, recorder: recorder))
        } catch let error as JinjaError {
            throw compileError(error, node: nil, file: "dbt_project.yml")
        }
    }

    func setManifest(_ manifest: Manifest) { self.manifestStorage = manifest }
}
