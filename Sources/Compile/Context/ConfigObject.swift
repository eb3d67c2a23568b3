import Jinja
import Project

/// dbt's `config` in templates: `{{ config(materialized='table') }}` records at parse and prints
/// nothing; `config.get(key, default)` and `config.require(key)` read the node's config
/// (docs.getdbt.com/reference/dbt-jinja-functions/config).
final class ConfigFunction: JinjaObject, @unchecked Sendable {
    var typeName: String { "Config" }
    var pythonStr: String { "" }

    func call(_ args: Arguments, _ state: State) throws -> Value {
        guard let recorder = state.recorder else { return .string("") }
        if recorder.phase == .parse {
            var object = ConfigObject()
            for positional in args.positional {
                for (key, value) in positional.asDictPairs ?? [] {
                    object[key.asString ?? key.pythonStr()] = value.configValue
                }
            }
            for (key, value) in args.keyword { object[key] = value.configValue }
            recorder.configCalls.append(object)
        }
        return .string("")
    }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "get":
            return .function(NativeFunction("config.get") { args, state in
                guard let key = args.value(0, "name")?.asString else {
                    throw state.error(.type, "config.get() needs a config name")
                }
                let fallback = args.value(1, "default") ?? Value.none
                guard let value = state.recorder?.configValue(key) ?? ConfigFunction.defaultValue(key, state) else {
                    return fallback
                }
                return Value(value)
            })
        case "require":
            return .function(NativeFunction("config.require") { args, state in
                guard let key = args.value(0, "name")?.asString else {
                    throw state.error(.type, "config.require() needs a config name")
                }
                guard let value = state.recorder?.configValue(key) ?? ConfigFunction.defaultValue(key, state) else {
                    throw state.error(.runtime, "the config '\(key)' is required but not set",
                                      hint: "set it with config(\(key)=…) or in dbt_project.yml")
                }
                return Value(value)
            })
        case "set", "persist_relation_docs", "persist_column_docs":
            return .function(NativeFunction("config.\(name)") { _, _ in .none })
        case "meta_get":
            return .function(NativeFunction("config.meta_get") { args, state in
                guard let key = args.value(0, "key")?.asString else { return .none }
                return state.recorder?.configValue("meta")?[key].map(Value.init) ?? (args.value(1, "default") ?? Value.none)
            })
        default:
            return nil
        }
    }

    /// Defaults dbt fills in for every node of a kind (`NodeConfig` defaults in dbt-core).
    static func defaultValue(_ key: String, _ state: State) -> ConfigValue? {
        guard let node = state.recorder?.node else { return nil }
        switch (key, node.resourceType) {
        case ("materialized", .model): return "view"
        case ("materialized", .seed): return "seed"
        case ("materialized", .test): return "test"
        case ("materialized", .snapshot): return "snapshot"
        case ("severity", .test): return "ERROR"
        case ("warn_if", .test), ("error_if", .test): return "!= 0"
        case ("fail_calc", .test): return "count(*)"
        case ("enabled", _): return true
        case ("on_schema_change", .model): return "ignore"
        default: return nil
        }
    }
}
