/// A Jinja value: what expressions evaluate to and what the host passes in as context.
///
/// Lists and dicts have Python reference semantics: they live in `ListStorage` / `DictStorage`
/// boxes, so `{% do xs.append(1) %}` mutates what every holder of `xs` sees.
///
/// ```swift
/// let ctx: [String: Value] = ["cols": ["id", "name"], "n": 3, "cfg": .makeDict([("a", 1)])]
/// ```
public enum Value: Sendable {
    /// Python `None`.
    case none
    /// A missing name, attribute or item. Strict environments fail when it is used.
    case undefined(Undefined)
    case bool(Bool)
    /// A Python `int` limited to 64 bits; arithmetic that leaves the range fails with `.overflow`.
    case int(Int)
    case float(Double)
    case string(String)
    /// A mutable Python list (shared by reference).
    case list(ListStorage)
    /// An immutable Python tuple.
    case tuple([Value])
    /// A mutable, insertion-ordered Python dict (shared by reference).
    case dict(DictStorage)
    /// A native (Swift) function.
    case function(NativeFunction)
    /// A Jinja macro (also a `{% call %}` block's `caller`).
    case macro(Macro)
    /// A host object (dbt's `this`, `config`, `adapter` …).
    case object(any JinjaObject)

    // MARK: - Factories

    /// A new list box holding `items`.
    public static func makeList(_ items: [Value]) -> Value { .list(ListStorage(items)) }

    /// A new dict with string keys, in the given order (later duplicates win, keeping the first position).
    public static func makeDict(_ pairs: [(String, Value)]) -> Value {
        let d = DictStorage()
        for (k, v) in pairs { d.set(.string(k), v) }
        return .dict(d)
    }

    /// A new dict with arbitrary hashable keys (strings, numbers, bools, none, tuples).
    public static func makeDict(valuePairs pairs: [(Value, Value)]) -> Value {
        let d = DictStorage()
        for (k, v) in pairs { d.set(k, v) }
        return .dict(d)
    }

    /// An undefined value named `name` (`'name' is undefined`).
    public static func undefined(named name: String) -> Value {
        .undefined(Undefined(name: name, message: "'\(name)' is undefined"))
    }

    public init(_ s: String) { self = .string(s) }
    public init(_ i: Int) { self = .int(i) }
    public init(_ d: Double) { self = .float(d) }
    public init(_ b: Bool) { self = .bool(b) }
    public init(_ items: [Value]) { self = .makeList(items) }
    public init(_ dict: [String: Value]) {
        self = .makeDict(dict.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    // MARK: - Accessors

    public var isNone: Bool { if case .none = self { return true }; return false }
    public var isUndefined: Bool { if case .undefined = self { return true }; return false }

    /// The string payload (no conversion).
    public var asString: String? { if case .string(let s) = self { return s }; return nil }
    /// The int payload (bools are ints in Python).
    public var asInt: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    /// A number as a Double (ints and bools convert).
    public var asDouble: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    public var asBool: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// The items of a list or tuple (a snapshot copy).
    public var asList: [Value]? {
        switch self {
        case .list(let l): return l.items
        case .tuple(let t): return t
        default: return nil
        }
    }
    /// The key/value pairs of a dict, in insertion order.
    public var asDictPairs: [(Value, Value)]? {
        if case .dict(let d) = self { return Array(zip(d.keys, d.values)) }
        return nil
    }
    /// A dict value by string key.
    public subscript(key: String) -> Value? {
        if case .dict(let d) = self { return d.get(.string(key)) }
        return nil
    }
    public var asObject: (any JinjaObject)? { if case .object(let o) = self { return o }; return nil }

    /// Python truthiness (`bool(x)`). Undefined is false (strict mode checks before calling this).
    public var isTruthy: Bool {
        switch self {
        case .none, .undefined: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .function, .macro: return true
        case .object(let o): return o.isTruthy
        }
    }

    /// Python's type name, for error messages (`'int' object is not iterable`).
    public var typeName: String {
        switch self {
        case .none: "NoneType"
        case .undefined: "Undefined"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .function: "builtin_function_or_method"
        case .macro: "Macro"
        case .object(let o): o.typeName
        }
    }
}

/// An undefined value's name and the message using it produces.
public struct Undefined: Sendable {
    public let name: String
    /// Jinja2's message, e.g. `'x' is undefined` or `'dict object' has no attribute 'y'`.
    public let message: String
    /// Jinja2 makes some undefined values plain `Undefined` even in strict environments
    /// (an inline `if` without `else`): those never fail when printed or tested.
    public let soft: Bool
    public init(name: String, message: String, soft: Bool = false) {
        self.name = name; self.message = message; self.soft = soft
    }
}

/// The box behind `Value.list`.
///
/// `@unchecked Sendable`: a list is mutated only by the render that owns it (a context value
/// shared between concurrent renders must be treated as read-only by the templates).
public final class ListStorage: @unchecked Sendable {
    public var items: [Value]
    public init(_ items: [Value] = []) { self.items = items }
}

/// The box behind `Value.dict`: an insertion-ordered hash map with Python key equality
/// (`1 == 1.0 == True`). Same sharing rule as `ListStorage`.
public final class DictStorage: @unchecked Sendable {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [HashKey: Int] = [:]

    public init() {}

    public var count: Int { keys.count }

    public func get(_ key: Value) -> Value? {
        if keys.count < 8 {  // linear scan beats hashing for small dicts
            if case .string(let s) = key {
                for i in 0..<keys.count { if case .string(let k) = keys[i], k == s { return values[i] } }
                for i in 0..<keys.count where !keys[i].isStringKey && pyEquals(keys[i], key) { return values[i] }
                return nil
            }
        }
        guard let i = index[HashKey(key)] else { return nil }
        return values[i]
    }

    public func contains(_ key: Value) -> Bool { get(key) != nil }

    public func set(_ key: Value, _ value: Value) {
        let h = HashKey(key)
        if let i = index[h] { values[i] = value; return }
        index[h] = keys.count
        keys.append(key)
        values.append(value)
    }

    @discardableResult
    public func remove(_ key: Value) -> Value? {
        guard let i = index[HashKey(key)] else { return nil }
        let v = values[i]
        keys.remove(at: i)
        values.remove(at: i)
        index.removeAll(keepingCapacity: true)
        for (j, k) in keys.enumerated() { index[HashKey(k)] = j }
        return v
    }

    public func removeAll() {
        keys.removeAll(); values.removeAll(); index.removeAll()
    }

    public func copy() -> DictStorage {
        let d = DictStorage()
        d.keys = keys; d.values = values; d.index = index
        return d
    }

    public var pairs: [(Value, Value)] { Array(zip(keys, values)) }
}

extension Value {
    var isStringKey: Bool { if case .string = self { return true }; return false }

    /// Whether Python could hash this value (dict keys, set members).
    var isHashable: Bool {
        switch self {
        case .none, .bool, .int, .float, .string, .function, .macro, .object: return true
        case .tuple(let t): return t.allSatisfy { $0.isHashable }
        case .list, .dict, .undefined: return false
        }
    }
}

/// A dict key with Python's `==`/`hash` rules.
struct HashKey: Hashable {
    let value: Value
    init(_ v: Value) { value = v }
    static func == (a: HashKey, b: HashKey) -> Bool { pyEquals(a.value, b.value) }
    func hash(into h: inout Hasher) {
        switch value {
        case .none: h.combine(0)
        case .bool(let b): h.combine(b ? 1 : 0)
        case .int(let i): h.combine(i)
        case .float(let d):
            if d.rounded() == d, abs(d) < 9e18 { h.combine(Int(d)) } else { h.combine(d) }
        case .string(let s): h.combine(s)
        case .tuple(let t): for x in t { HashKey(x).hash(into: &h) }
        case .object(let o): h.combine(ObjectIdentifier(o))
        default: h.combine(-1)
        }
    }
}

extension Value: CustomStringConvertible {
    /// `repr(value)`, for debugging.
    public var description: String { pythonRepr() }

    /// Python's `==` (`1 == 1.0`, deep equality of lists and dicts, identity or `isEqual` for objects).
    public func pythonEquals(_ other: Value) -> Bool { pyEquals(self, other) }
}

// MARK: - Literals

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .makeList(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) { self = .makeDict(elements) }
    public init(nilLiteral: ()) { self = .none }
}
