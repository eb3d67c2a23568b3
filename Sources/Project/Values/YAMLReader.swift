import Foundation
import Yams

/// Turns YAML text into `ConfigValue`s the way PyYAML's `safe_load` does for dbt, with errors that
/// carry the file, line and column.
///
/// - Merge keys (`<<: *anchor`) are applied; the mapping's own keys win.
/// - A duplicate key is an error (dbt's loader refuses them too).
/// - Timestamps and dates stay strings (dbt never needs them as dates).
public enum YAMLReader {
    /// Parses the first document of `text`. An empty document gives `.null`.
    /// - Parameter file: the path shown in errors (relative to the project root, ideally).
    /// - Throws: `ProjectError` of kind `.yamlSyntax`, with line and column from the parser.
    public static func parse(_ text: String, file: String) throws -> ConfigValue {
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw error(e, file: file)
        } catch {
            throw ProjectError(.yamlSyntax, "could not parse YAML: \(error)", location: SourceLocation(file: file))
        }
        guard let node else { return .null }
        return value(node)
    }

    /// Reads and parses a YAML file.
    /// - Throws: `.io` when the file cannot be read, `.yamlSyntax` when it does not parse.
    public static func load(path: String, displayPath: String? = nil) throws -> ConfigValue {
        let shown = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProjectError(.io, "could not read \(shown)", location: SourceLocation(file: shown))
        }
        return try parse(String(decoding: data, as: UTF8.self), file: shown)
    }

    static func value(_ node: Yams.Node) -> ConfigValue {
        switch node {
        case .scalar(let s):
            switch Tag.Name(rawValue: node.tag.description) {
            case .null: return .null
            case .bool: return node.bool.map(ConfigValue.bool) ?? .string(s.string)
            case .int:
                if let i = node.int { return .int(i) }
                return node.float.map(ConfigValue.double) ?? .string(s.string)
            case .float:
                // YAML 1.1 (PyYAML) floats need a dot and a signed exponent: `1e3` is a string there.
                guard isPyYAMLFloat(s.string) else { return .string(s.string) }
                return node.float.map(ConfigValue.double) ?? .string(s.string)
            default: return .string(s.string)
            }
        case .sequence(let seq):
            return .array(seq.map(value))
        case .mapping(let map):
            var out = ConfigObject()
            // Merge keys first, so the mapping's own keys override what they bring.
            for (k, v) in map where k.tag.description == Tag.Name.merge.rawValue {
                let sources: [Yams.Node]
                switch v {
                case .sequence(let seq): sources = Array(seq.reversed())
                default: sources = [v]
                }
                for src in sources {
                    if case .dict(let d) = value(src) { for (mk, mv) in d { out[mk] = mv } }
                }
            }
            for (k, v) in map where k.tag.description != Tag.Name.merge.rawValue {
                out[keyString(k)] = value(v)
            }
            return .dict(out)
        case .alias:
            return .null
        }
    }

    private static let pyFloat: NSRegularExpression? = try? NSRegularExpression(pattern:
        "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$")

    /// PyYAML's float resolver pattern (YAML 1.1).
    static func isPyYAMLFloat(_ text: String) -> Bool {
        guard let re = pyFloat else { return true }
        return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private static func keyString(_ node: Yams.Node) -> String {
        switch node {
        case .scalar(let s):
            // PyYAML would give a bool/int key; dbt treats keys as strings, so use Python's str().
            let v = value(node)
            switch v {
            case .string(let str): return str
            case .null: return "None"
            default: return v.pythonStr.isEmpty ? s.string : v.pythonStr
            }
        default:
            return value(node).pythonRepr
        }
    }

    private static func error(_ e: YamlError, file: String) -> ProjectError {
        let hint = "check the indentation and that every `key: value` pair and list item (`- `) lines up"
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var msg = "invalid YAML: \(problem)"
            if let context { msg += " (\(context.text))" }
            return ProjectError(.yamlSyntax, msg, location: SourceLocation(file: file, line: mark.line, column: mark.column),
                                hint: hint)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ProjectError(.yamlSyntax,
                                "duplicate key(s) in a mapping: \(duplicates.sorted().joined(separator: ", "))",
                                location: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                                hint: "a key may appear only once in each mapping; merge the two entries")
        default:
            return ProjectError(.yamlSyntax, "invalid YAML: \(e)", location: SourceLocation(file: file), hint: hint)
        }
    }
}
