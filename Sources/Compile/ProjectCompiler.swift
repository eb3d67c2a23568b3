import Foundation
import Jinja
import Project
import Warehouse

/// Parses and compiles a dbt project: the dbt Jinja context and the two renders of every node.
///
/// ```swift
/// let compiler = try ProjectCompiler(loaded: loaded, settings: settings, adapter: adapter)
/// try compiler.parse()                       // manifest with refs resolved and relation names
/// let compiled = try compiler.compile("model.my_project.stg_orders")
/// ```
///
/// At parse (dbt's parse phase) every model, singular test, analysis and snapshot is rendered
/// with `execute` false: `ref`, `source` and `config` only record. At compile, right before a
/// node runs, it is rendered again with `execute` true against the warehouse.
///
/// Thread-safety: `parse()` runs alone; afterwards `compile(_:)` may run on many threads at once
/// (the manifest is read-only then; the ephemeral cache has its own lock).
public final class ProjectCompiler: @unchecked Sendable {
    public let loaded: LoadedProject
    public let settings: CompileSettings
    public let adapter: any Adapter
    /// The manifest: built by `parse()`, read-only afterwards.
    public var manifest: Manifest { manifestStorage }
    var manifestStorage: Manifest

    let parseEnvironment = Environment()
    let compileEnvironment = Environment()
    /// Project macros by name (root package).
    private(set) var projectMacros: [String: Value] = [:]
    /// Built-in (global project) macros by name.
    private(set) var globalMacros: [String: Value] = [:]
    /// Refable node ids by name.
    var refIndex: [String: [String]] = [:]
    /// Source ids by `source\0table`.
    var sourceIndex: [String: String] = [:]

    let ephemeralLock = NSLock()
    var ephemeralCache: [String: (sql: String, ctes: [(name: String, sql: String)])] = [:]

    /// - Throws: ``CompileError`` when a macro file does not parse.
    public init(loaded: LoadedProject, settings: CompileSettings, adapter: any Adapter) throws {
        self.loaded = loaded
        self.settings = settings
        self.adapter = adapter
        self.manifestStorage = Manifest(projectName: loaded.project.name)
        parseEnvironment.undefinedBehavior = .lenient
        // dbt renders with jinja2.Undefined: `{{ missing }}` prints nothing, `missing.attr` and
        // `missing()` fail (dbt-common `clients/jinja.py` sets no other `undefined`).
        compileEnvironment.undefinedBehavior = .lenient
        for environment in [parseEnvironment, compileEnvironment] {
            environment.registerMacroBlock(tag: "test") { name, _ in "test_" + name }
            environment.registerMacroBlock(tag: "materialization") { name, args in
                "materialization_\(name)_\(args.keyword("adapter")?.asString ?? "default")"
            }
            environment.registerCaptureBlock(tag: "docs")
        }
        try loadMacros()
        installGlobals()
    }

    // MARK: - Macros

    private func loadMacros() throws {
        let builtIns = globalProjectMacroSources + [
            ("macros/opsflow/statement.sql", statementMacrosSource),
            ("macros/opsflow/sqlite_overrides.sql", sqliteOverrideMacrosSource),
            ("macros/opsflow/postgres.sql", postgresMacrosSource),
        ]
        for (path, source) in builtIns {
            globalMacros.merge(try macros(in: source, name: "dbt/" + path), uniquingKeysWith: { _, new in new })
        }
        for file in loaded.macroFiles {
            projectMacros.merge(try macros(in: file.contents, name: file.originalFilePath), uniquingKeysWith: { _, new in new })
        }
    }

    private func macros(in source: String, name: String) throws -> [String: Value] {
        do {
            let template = try parseEnvironment.parse(source, name: name)
            return try parseEnvironment.module(template).macros
        } catch let error as JinjaError {
            throw compileError(error, node: nil, file: name)
        }
    }

    // MARK: - Globals

    private func installGlobals() {
        let target = settings.target
        var vars = [String: ConfigValue]()
        for (key, value) in loaded.project.vars { vars[key] = value }
        for (key, value) in settings.cliVars { vars[key] = value }
        let dispatcher = MacroDispatcher(
            packages: [loaded.project.name: projectMacros, "dbt": globalMacros],
            rootPackage: loaded.project.name, adapterTypes: adapterTypeChain())

        var globals: [String: Value] = [:]
        for (name, macro) in globalMacros { globals[name] = macro }
        for (name, macro) in projectMacros { globals[name] = macro }
        globals["dbt"] = .makeDict(globalMacros.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        globals[loaded.project.name] = .makeDict(projectMacros.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        globals["var"] = .object(Builtins.VarFunction(vars: vars))
        globals["env_var"] = .function(Builtins.envVar(environment: settings.environment))
        globals["log"] = .function(Builtins.log(settings.log))
        globals["print"] = .function(Builtins.log(settings.log))
        globals["return"] = .function(Builtins.returnFunction)
        globals["exceptions"] = .object(Builtins.Exceptions(sink: settings.log))
        globals["fromjson"] = .function(Builtins.fromJSON)
        globals["tojson"] = .function(Builtins.toJSON)
        globals["modules"] = Modules.value()
        globals["target"] = targetValue(target)
        globals["invocation_id"] = .string(settings.invocationId)
        globals["run_started_at"] = .object(DateTimeObject(settings.runStartedAt))
        globals["project_name"] = .string(loaded.project.name)
        globals["dbt_version"] = .string(opsflowDbtVersion)
        globals["flags"] = .makeDict([
            ("FULL_REFRESH", .bool(settings.fullRefresh)), ("WHICH", .string(settings.which)),
            ("STORE_FAILURES", .bool(false)), ("FAIL_FAST", .bool(false)),
        ])
        globals["adapter"] = .object(AdapterObject(adapter: adapter, dispatcher: dispatcher))
        globals["run_query"] = .function(StatementFunctions.runQuery(adapter))
        globals["store_result"] = .function(StatementFunctions.storeResult)
        globals["load_result"] = .function(StatementFunctions.loadResult)
        globals["config"] = .object(ConfigFunction())
        globals["ref"] = .function(NativeFunction("ref") { [unowned self] args, state in try self.ref(args, state) })
        globals["source"] = .function(NativeFunction("source") { [unowned self] args, state in try self.source(args, state) })
        globals["is_incremental"] = .function(NativeFunction("is_incremental") { [unowned self] _, state in
            .bool(try self.isIncremental(state))
        })
        globals["should_full_refresh"] = .function(NativeFunction("should_full_refresh") { [unowned self] _, state in
            .bool(self.shouldFullRefresh(state.recorder?.node))
        })
        globals["should_store_failures"] = .function(NativeFunction("should_store_failures") { _, state in
            .bool(state.recorder?.node?.config.storeFailures ?? false)
        })
        globals["graph"] = .object(GraphObject { [unowned self] in self.graphValues() })
        globals["fromyaml"] = .function(Builtins.fromYAML)
        globals["toyaml"] = .function(Builtins.toYAML)
        for environment in [parseEnvironment, compileEnvironment] {
            for (name, value) in globals { environment.globals[name] = value }
        }
    }

    /// `graph.nodes` / `graph.sources` from the parsed manifest.
    func graphValues() -> (nodes: Value, sources: Value) {
        let manifest = self.manifest
        let nodes = manifest.nodeIDs.compactMap { id in manifest.nodes[id].map { (id, modelValue($0)) } }
        let sources = manifest.sourceIDs.compactMap { id -> (String, Value)? in
            guard let source = manifest.sources[id] else { return nil }
            return (id, .makeDict([
                ("unique_id", .string(id)), ("name", .string(source.name)), ("source_name", .string(source.sourceName)),
                ("schema", .string(source.schema)), ("identifier", .string(source.identifier)),
                ("database", source.database.map(Value.string) ?? Value.none), ("resource_type", .string("source")),
                ("loaded_at_field", source.loadedAtField.map(Value.string) ?? Value.none),
                ("description", .string(source.description)), ("relation_name", source.relationName.map(Value.string) ?? Value.none),
            ]))
        }
        return (.makeDict(nodes), .makeDict(sources))
    }

    /// `adapter.dispatch` prefixes: the adapter type, then the dialect when it differs.
    private func adapterTypeChain() -> [String] {
        var chain = [adapter.type]
        if adapter.dialect != adapter.type { chain.append(adapter.dialect) }
        return chain
    }

    /// dbt's `target`: the profile target without its secrets.
    private func targetValue(_ target: Target) -> Value {
        let secret: Set<String> = ["password", "pass", "token", "keyfile_json", "private_key", "refresh_token",
                                   "client_secret", "private_key_passphrase"]
        var pairs: [(String, Value)] = [
            ("name", .string(target.name)), ("target_name", .string(target.name)),
            ("profile_name", .string(settings.profileName)), ("type", .string(target.type)),
            ("threads", .int(target.threads)),
            ("schema", .string(target.schema ?? "main")),
            ("database", target.database.map(Value.string) ?? Value.none),
        ]
        for (key, value) in target.fields where !secret.contains(key) && !pairs.contains(where: { $0.0 == key }) {
            pairs.append((key, Value(value)))
        }
        return .makeDict(pairs)
    }
}

/// The dbt version OpsFlow reports in artifacts and `dbt_version` (the dbt Core release whose
/// behaviour it follows).
public let opsflowDbtVersion = "1.12.0"

/// dbt's `statement` macro: runs the caller's SQL at compile and stores the result for
/// `load_result` (as dbt's `include/global_project/macros/etc/statement.sql` does).
let statementMacrosSource = """
{%- macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}
  {%- if execute -%}
    {%- set compiled_code = caller() -%}
    {%- set res, table = adapter.execute(compiled_code, auto_begin=auto_begin, fetch=fetch_result) -%}
    {%- if name is not none -%}
      {{ store_result(name, response=res, agate_table=table) }}
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}
"""
