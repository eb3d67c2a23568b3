import Foundation
import Jinja
import Project
import Yams

/// Receives `log()` and `exceptions.warn()` messages from templates.
public protocol CompileLogSink: Sendable {
    /// - Parameters:
    ///   - message: the text.
    ///   - info: dbt's `info=True` (shown on the console) versus debug-level.
    func log(_ message: String, info: Bool)
}

/// dbt's context functions that depend on no node: `var`, `env_var`, `log`, `print`, `return`,
/// `exceptions`, `fromjson`/`tojson`, `fromyaml`/`toyaml`
/// (docs.getdbt.com/reference/dbt-jinja-functions).
enum Builtins {
    /// `var(name, default)`: CLI `--vars` win over `vars:` in dbt_project.yml. A missing variable
    /// without a default is a compile error naming it.
    final class VarFunction: JinjaObject, @unchecked Sendable {
        let vars: [String: ConfigValue]
        init(vars: [String: ConfigValue]) { self.vars = vars }
        var typeName: String { "Var" }

        func call(_ args: Arguments, _ state: State) throws -> Value {
            guard let name = args.value(0, "name")?.asString else {
                throw state.error(.type, "var() needs a variable name")
            }
            if let value = vars[name] { return Value(value) }
            if let fallback = args.value(1, "default") { return fallback }
            if state.recorder?.phase == .parse { return .none }
            throw state.error(.runtime, "Required var '\(name)' not found in config",
                              hint: "define it under `vars:` in dbt_project.yml or pass --vars '{\(name): …}'")
        }

        func attribute(_ name: String) -> Value? {
            guard name == "has_var" else { return nil }
            let vars = self.vars
            return .function(NativeFunction("var.has_var") { args, _ in
                .bool(args.value(0, "name")?.asString.map { vars[$0] != nil } ?? false)
            })
        }
    }

    static func envVar(environment: [String: String]) -> NativeFunction {
        NativeFunction("env_var") { args, state in
            guard let name = args.value(0, "var")?.asString else {
                throw state.error(.type, "env_var() needs a variable name")
            }
            if let value = environment[name] { return .string(value) }
            if let fallback = args.value(1, "default") { return fallback }
            throw state.error(.runtime, "Env var required but not provided: '\(name)'",
                              hint: "export \(name)=… or give env_var a default")
        }
    }

    static func log(_ sink: (any CompileLogSink)?) -> NativeFunction {
        NativeFunction("log") { args, _ in
            let message = args.value(0, "msg")?.pythonStr() ?? ""
            let info = args.value(1, "info")?.isTruthy ?? false
            sink?.log(message, info: info)
            return .string("")
        }
    }

    static let returnFunction = NativeFunction("return") { args, _ in
        throw MacroReturn(args.value(0, "value") ?? Value.none)
    }

    /// `exceptions.raise_compiler_error(msg)`, `exceptions.warn(msg)`, …
    final class Exceptions: JinjaObject, @unchecked Sendable {
        let sink: (any CompileLogSink)?
        init(sink: (any CompileLogSink)?) { self.sink = sink }
        var typeName: String { "Exceptions" }

        func attribute(_ name: String) -> Value? {
            switch name {
            case "raise_compiler_error", "raise_not_implemented", "raise_fail_fast_error":
                return .function(NativeFunction("exceptions.\(name)") { args, state in
                    let message = args.value(0, "msg")?.pythonStr() ?? "compilation error"
                    throw state.error(.runtime, message)
                })
            case "warn":
                let sink = self.sink
                return .function(NativeFunction("exceptions.warn") { args, _ in
                    sink?.log("Warning: " + (args.value(0, "msg")?.pythonStr() ?? ""), info: true)
                    return .string("")
                })
            default:
                return nil
            }
        }
    }

    static let fromJSON = NativeFunction("fromjson") { args, _ in
        guard let text = args.value(0, "string")?.asString,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        else { return args.value(1, "default") ?? Value.none }
        return Value(ConfigValue(jsonObject: object))
    }

    static let toJSON = NativeFunction("tojson") { args, state in
        let value = args.value(0, "value") ?? Value.none
        let sortKeys = args.value(1, "sort_keys")?.isTruthy ?? false
        return .string(pythonJSON(value.configValue, sortKeys: sortKeys))
    }

    /// Python's `json.dumps` text (separators `, ` and `: `, non-ASCII escaped as `\uXXXX`).
    static func pythonJSON(_ value: ConfigValue, sortKeys: Bool) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return Value.float(d).pythonRepr()
        case .string(let s): return jsonString(s)
        case .array(let items): return "[" + items.map { pythonJSON($0, sortKeys: sortKeys) }.joined(separator: ", ") + "]"
        case .dict(let object):
            var entries = object.entries
            if sortKeys { entries.sort { $0.key < $1.key } }
            return "{" + entries.map { jsonString($0.key) + ": " + pythonJSON($0.value, sortKeys: sortKeys) }
                .joined(separator: ", ") + "}"
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                    } else {
                        out += String(format: "\\u%04x", scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension Builtins {
    /// `fromyaml(string, default=None)`: YAML read the way dbt reads it (PyYAML's safe_load rules).
    static let fromYAML = NativeFunction("fromyaml") { args, _ in
        guard let text = args.value(0, "value")?.asString, let parsed = try? YAMLReader.parse(text, file: "fromyaml") else {
            return args.value(1, "default") ?? Value.none
        }
        return Value(parsed)
    }

    /// `toyaml(value)`: block-style YAML.
    static let toYAML = NativeFunction("toyaml") { args, state in
        let value = args.value(0, "value") ?? Value.none
        do {
            return .string(try Yams.dump(object: value.configValue.jsonObject, sortKeys: args.value(1, "sort_keys")?.isTruthy ?? false))
        } catch {
            throw state.error(.value, "toyaml could not serialise the value: \(error)")
        }
    }
}
