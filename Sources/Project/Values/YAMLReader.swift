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
            node = try Yams.compose(yaml: text, .basic)
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
            // Parsed with Yams' basic resolver (no regex per scalar); plain scalars are resolved
            // here with PyYAML's YAML 1.1 rules, explicit tags (`!!int`) are honoured.
            let tag = node.tag.description
            if s.style == .plain && (tag == Tag.Name.str.rawValue || tag == "?" || tag.isEmpty) {
                return resolvePlain(s.string)
            }
            switch Tag.Name(rawValue: tag) {
            case .null: return .null
            case .bool, .int, .float: return resolvePlain(s.string)
            default: return .string(s.string)
            }
        case .sequence(let seq):
            return .array(seq.map(value))
        case .mapping(let map):
            var out = ConfigObject()
            // Merge keys first, so the mapping's own keys override what they bring.
            for (k, v) in map where isMergeKey(k) {
                let sources: [Yams.Node]
                switch v {
                case .sequence(let seq): sources = Array(seq.reversed())
                default: sources = [v]
                }
                for src in sources {
                    if case .dict(let d) = value(src) { for (mk, mv) in d { out[mk] = mv } }
                }
            }
            for (k, v) in map where !isMergeKey(k) {
                out[keyString(k)] = value(v)
            }
            return .dict(out)
        case .alias:
            return .null
        }
    }

    private static func isMergeKey(_ k: Yams.Node) -> Bool {
        guard case .scalar(let s) = k else { return false }
        return s.style == .plain && s.string == "<<"
    }

    /// PyYAML's implicit resolver (YAML 1.1) for a plain scalar: null, bool, int, float, else str.
    static func resolvePlain(_ text: String) -> ConfigValue {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if ["~", "null", "Null", "NULL"].contains(text) { return .null }
            if ["no", "No", "NO"].contains(text) { return .bool(false) }
        case UInt8(ascii: "y"), UInt8(ascii: "Y"):
            if ["yes", "Yes", "YES"].contains(text) { return .bool(true) }
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            if ["true", "True", "TRUE"].contains(text) { return .bool(true) }
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            if ["false", "False", "FALSE"].contains(text) { return .bool(false) }
        case UInt8(ascii: "o"), UInt8(ascii: "O"):
            if ["on", "On", "ON"].contains(text) { return .bool(true) }
            if ["off", "Off", "OFF"].contains(text) { return .bool(false) }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            if let i = pythonInt(text) { return .int(i) }
            if isPyYAMLFloat(text) { return pythonFloat(text).map(ConfigValue.double) ?? .string(text) }
        default:
            break
        }
        return .string(text)
    }

    /// PyYAML's int forms: decimal, `0b`, leading-zero octal, `0x`, sexagesimal, `_` separators.
    static func pythonInt(_ text: String) -> Int? {
        var t = Substring(text.replacingOccurrences(of: "_", with: ""))
        var sign = 1
        if t.first == "-" { sign = -1; t = t.dropFirst() } else if t.first == "+" { t = t.dropFirst() }
        guard !t.isEmpty, t.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        if t.hasPrefix("0b") { return Int(t.dropFirst(2), radix: 2).map { $0 * sign } }
        if t.hasPrefix("0x") { return Int(t.dropFirst(2), radix: 16).map { $0 * sign } }
        if t.contains(":") {
            var value = 0
            for part in t.split(separator: ":", omittingEmptySubsequences: false) {
                guard let p = Int(part), p >= 0 else { return nil }
                value = value * 60 + p
            }
            return value * sign
        }
        guard t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if t.count > 1 && t.hasPrefix("0") { return Int(t.dropFirst(), radix: 8).map { $0 * sign } }
        return Int(t).map { $0 * sign }
    }

    static func pythonFloat(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: "_", with: "").lowercased()
        switch t {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: return Double(t)
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
