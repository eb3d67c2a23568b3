import Foundation

/// A JSON-like value: what configs, vars, `meta` and YAML contents hold.
///
/// YAML scalars resolve as PyYAML's `safe_load` resolves them (dbt reads YAML with PyYAML):
/// `yes`/`no`/`on`/`off` are booleans, `~` and empty values are null, dates stay strings.
/// Dictionaries keep their keys in the order they were written, because dbt writes them back in
/// that order (`manifest.json`, `config.get('meta')`).
///
/// ```swift
/// let v: ConfigValue = ["materialized": "table", "tags": ["a", "b"]]
/// v["materialized"]?.asString   // "table"
/// ```
public enum ConfigValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ConfigValue])
    case dict(ConfigObject)

    // MARK: - Typed accessors

    /// The string, or nil when this is not a string.
    public var asString: String? { if case .string(let s) = self { return s }; return nil }
    /// The boolean, or nil when this is not a boolean.
    public var asBool: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// The integer, or nil when this is not an integer (a whole double counts).
    public var asInt: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: return Int(d)
        default: return nil
        }
    }
    /// The number as a double, or nil when this is not a number.
    public var asDouble: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    /// The elements, or nil when this is not an array.
    public var asArray: [ConfigValue]? { if case .array(let a) = self { return a }; return nil }
    /// The ordered dictionary, or nil when this is not a dictionary.
    public var asDict: ConfigObject? { if case .dict(let d) = self { return d }; return nil }
    /// True for `.null`.
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// The value under `key` when this is a dictionary; nil otherwise or when absent.
    public subscript(key: String) -> ConfigValue? {
        if case .dict(let d) = self { return d[key] }
        return nil
    }

    /// A list of strings from a string (one element) or an array of strings, as dbt accepts for
    /// `tags`, hooks and `unique_key`. Other shapes give nil.
    public var asStringList: [String]? {
        switch self {
        case .string(let s): return [s]
        case .array(let a):
            var out: [String] = []
            out.reserveCapacity(a.count)
            for e in a {
                guard let s = e.asString else { return nil }
                out.append(s)
            }
            return out
        default: return nil
        }
    }

    /// Python's `str()` of the value, as dbt uses it when it flattens test arguments into names
    /// (`True`, `None`, `1.5`, `['a', 'b']`).
    public var pythonStr: String {
        switch self {
        case .string(let s): return s
        default: return pythonRepr
        }
    }

    /// Python's `repr()` of the value (strings quoted the way CPython quotes them).
    public var pythonRepr: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return PythonFormat.float(d)
        case .string(let s): return PythonFormat.repr(s)
        case .array(let a): return "[" + a.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .dict(let d):
            return "{" + d.entries.map { PythonFormat.repr($0.key) + ": " + $0.value.pythonRepr }
                .joined(separator: ", ") + "}"
        }
    }

    /// The value as a Foundation JSON object (`NSNull`, `Bool`, `Int`, `Double`, `String`,
    /// arrays, dictionaries) for `JSONSerialization`.
    public var jsonObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .double(let d): return d.isFinite ? d : NSNull()
        case .string(let s): return s
        case .array(let a): return a.map(\.jsonObject)
        case .dict(let d):
            var out: [String: Any] = [:]
            out.reserveCapacity(d.count)
            for (k, v) in d.entries { out[k] = v.jsonObject }
            return out
        }
    }

    /// Builds a value from a Foundation JSON object (the output of `JSONSerialization`).
    /// Unknown objects become their `String(describing:)`.
    public init(jsonObject: Any) {
        switch jsonObject {
        case is NSNull: self = .null
        case let n as NSNumber:
            // Foundation boxes JSON booleans as char-typed numbers on every platform.
            if String(cString: n.objCType) == "c" { self = .bool(n.boolValue); return }
            if let i = Int(exactly: n.doubleValue), !"\(n)".contains(".") { self = .int(i) } else { self = .double(n.doubleValue) }
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .int(i)
        case let d as Double: self = .double(d)
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map { ConfigValue(jsonObject: $0) })
        case let d as [String: Any]:
            var o = ConfigObject()
            for k in d.keys.sorted() { if let v = d[k] { o[k] = ConfigValue(jsonObject: v) } }
            self = .dict(o)
        default: self = .string(String(describing: jsonObject))
        }
    }
}

// MARK: - Literals

extension ConfigValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: ConfigValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .dict(ConfigObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - Codable (as plain JSON)

extension ConfigValue: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([ConfigValue].self) { self = .array(a); return }
        let o = try c.decode(ConfigObject.self)
        self = .dict(o)
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .array(let a):
            var u = encoder.unkeyedContainer()
            try ConfigObject.encodeElements(a, into: &u)
        case .dict(let o):
            try o.encode(to: encoder)
        default:
            var c = encoder.singleValueContainer()
            switch self {
            case .bool(let b): try c.encode(b)
            case .int(let i): try c.encode(i)
            case .double(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
            case .string(let s): try c.encode(s)
            default: try c.encodeNil()
            }
        }
    }
}

/// A dictionary that keeps insertion order, the shape of YAML mappings and of Python dicts.
///
/// Lookups are O(1); equality ignores order (two dicts with the same pairs are equal, as in Python).
public struct ConfigObject: Sendable, Hashable, Codable, Sequence {
    private var keysInOrder: [String] = []
    private var storage: [String: ConfigValue] = [:]

    public init() {}
    /// Builds from pairs; a repeated key keeps its first position and its last value.
    public init(_ pairs: [(key: String, value: ConfigValue)]) {
        keysInOrder.reserveCapacity(pairs.count)
        storage.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// Keys in insertion order.
    public var keys: [String] { keysInOrder }
    /// Pairs in insertion order.
    public var entries: [(key: String, value: ConfigValue)] { keysInOrder.map { ($0, storage[$0] ?? .null) } }
    public var count: Int { keysInOrder.count }
    public var isEmpty: Bool { keysInOrder.isEmpty }

    /// Reads or writes a key; writing nil removes the key.
    public subscript(key: String) -> ConfigValue? {
        get { storage[key] }
        set {
            if let v = newValue {
                if storage.updateValue(v, forKey: key) == nil { keysInOrder.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keysInOrder.removeAll { $0 == key }
            }
        }
    }

    /// Iterates pairs in insertion order without building an array.
    public struct Iterator: IteratorProtocol {
        fileprivate var keys: IndexingIterator<[String]>
        fileprivate let storage: [String: ConfigValue]
        public mutating func next() -> (key: String, value: ConfigValue)? {
            guard let k = keys.next() else { return nil }
            return (k, storage[k] ?? .null)
        }
    }

    public func makeIterator() -> Iterator { Iterator(keys: keysInOrder.makeIterator(), storage: storage) }
    public var underestimatedCount: Int { keysInOrder.count }

    public static func == (a: ConfigObject, b: ConfigObject) -> Bool { a.storage == b.storage }
    public func hash(into h: inout Hasher) { h.combine(storage) }

    struct JSONKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        for k in c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            self[k.stringValue] = try c.decode(ConfigValue.self, forKey: k)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try encodeEntries(into: &c)
    }

    // Leaves go through the encoder's concrete (non-generic) methods and children through nested
    // containers: this avoids a nested encoder per value and makes large manifests several
    // times faster to write.
    private func encodeEntries(into c: inout KeyedEncodingContainer<JSONKey>) throws {
        for k in keysInOrder {
            let key = JSONKey(stringValue: k)
            switch storage[k] ?? .null {
            case .null: try c.encodeNil(forKey: key)
            case .bool(let b): try c.encode(b, forKey: key)
            case .int(let i): try c.encode(i, forKey: key)
            case .double(let d): if d.isFinite { try c.encode(d, forKey: key) } else { try c.encodeNil(forKey: key) }
            case .string(let s): try c.encode(s, forKey: key)
            case .array(let a):
                var nested = c.nestedUnkeyedContainer(forKey: key)
                try Self.encodeElements(a, into: &nested)
            case .dict(let o):
                var nested = c.nestedContainer(keyedBy: JSONKey.self, forKey: key)
                try o.encodeEntries(into: &nested)
            }
        }
    }

    static func encodeElements(_ a: [ConfigValue], into c: inout UnkeyedEncodingContainer) throws {
        for v in a {
            switch v {
            case .null: try c.encodeNil()
            case .bool(let b): try c.encode(b)
            case .int(let i): try c.encode(i)
            case .double(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
            case .string(let s): try c.encode(s)
            case .array(let inner):
                var nested = c.nestedUnkeyedContainer()
                try encodeElements(inner, into: &nested)
            case .dict(let o):
                var nested = c.nestedContainer(keyedBy: JSONKey.self)
                try o.encodeEntries(into: &nested)
            }
        }
    }
}

extension ConfigObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
