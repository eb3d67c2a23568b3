/// Arguments of a call: positional values plus keyword values in the order written.
///
/// ```swift
/// let f = NativeFunction("greet") { args, _ in
///     let b = try args.bind("greet", ["name", "punct"])
///     return .string("hi " + (b[0]?.pythonStr() ?? "") + (b[1]?.asString ?? "!"))
/// }
/// ```
public struct Arguments: Sendable {
    public var positional: [Value]
    public var keyword: [(String, Value)]

    public init(_ positional: [Value] = [], keyword: [(String, Value)] = []) {
        self.positional = positional
        self.keyword = keyword
    }

    public var count: Int { positional.count + keyword.count }
    public var isEmpty: Bool { positional.isEmpty && keyword.isEmpty }

    /// The keyword argument `name`, if passed.
    public func keyword(_ name: String) -> Value? {
        for (k, v) in keyword where k == name { return v }
        return nil
    }

    /// The argument at `position` or passed as `name`.
    public func value(_ position: Int, _ name: String) -> Value? {
        if position < positional.count { return positional[position] }
        return keyword(name)
    }

    /// Binds arguments to a Python-style signature `names` (positional-or-keyword).
    ///
    /// - Returns: one slot per name, `nil` when not passed.
    /// - Throws: `JinjaError(.type)` on too many positionals, unknown or duplicate keywords,
    ///   worded like Python's.
    public func bind(_ function: String, _ names: [String]) throws -> [Value?] {
        if positional.count > names.count {
            throw JinjaError(.type, "\(function)() takes at most \(names.count) argument(s) (\(positional.count) given)")
        }
        var out = [Value?](repeating: nil, count: names.count)
        for (i, v) in positional.enumerated() { out[i] = v }
        for (k, v) in keyword {
            guard let i = names.firstIndex(of: k) else {
                throw JinjaError(.type, "\(function)() got an unexpected keyword argument '\(k)'")
            }
            if out[i] != nil { throw JinjaError(.type, "\(function)() got multiple values for argument '\(k)'") }
            out[i] = v
        }
        return out
    }

    /// Fails unless no arguments were passed.
    public func expectNone(_ function: String) throws {
        if !isEmpty { throw JinjaError(.type, "\(function)() takes no arguments (\(count) given)") }
    }
}

/// A function implemented in Swift, callable from templates.
///
/// The body receives the arguments and the render `State` (to look up names, call macros,
/// or learn the current template and location).
public struct NativeFunction: Sendable {
    public let name: String
    public let body: @Sendable (Arguments, State) throws -> Value

    public init(_ name: String, _ body: @escaping @Sendable (Arguments, State) throws -> Value) {
        self.name = name
        self.body = body
    }
}

/// Thrown by a native function (dbt's `return()`): the innermost macro call returns `value`
/// instead of its rendered output.
public struct MacroReturn: Error, Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

/// A macro value: its definition plus the scope it closes over (its template's top-level names,
/// or the enclosing macro's locals for nested macros and `caller`).
///
/// Immutable after creation and safe to call from concurrent renders, provided the templates
/// do not mutate shared top-level lists/dicts (see `ListStorage`).
public final class Macro: @unchecked Sendable {
    let decl: MacroDecl
    let closure: Scope
    /// The template the macro was defined in (errors inside it point there).
    public let templateName: String
    /// Extra macro-like attributes, e.g. dbt `macro.name`.
    public var name: String { decl.name }
    /// Parameter names, in order.
    public var parameters: [String] { decl.params.map { $0.0 } }

    init(decl: MacroDecl, closure: Scope, templateName: String) {
        self.decl = decl
        self.closure = closure
        self.templateName = templateName
    }
}

/// A host object exposed to templates (dbt's `this`, `target`, `adapter`, `config`, `model`).
///
/// Only `attribute(_:)` is required; everything else has a default in the extension.
public protocol JinjaObject: AnyObject, Sendable {
    /// `obj.name` and, as a fallback, `obj['name']`; `nil` makes the result undefined.
    func attribute(_ name: String) -> Value?
    /// `obj(...)`. Default: a type error ("object is not callable").
    func call(_ args: Arguments, _ state: State) throws -> Value
    /// `obj[key]` for non-string keys (strings go through `attribute` too). Default: `nil`.
    func item(_ key: Value) -> Value?
    /// `for x in obj`, `obj | list`. Default: `nil` (not iterable).
    func iterate() -> [Value]?
    /// `str(obj)` — what `{{ obj }}` prints. Default: `<TypeName object>`.
    var pythonStr: String { get }
    /// `repr(obj)` — how it prints inside a list. Default: `pythonStr`.
    var pythonRepr: String { get }
    /// Python truthiness. Default: `true`.
    var isTruthy: Bool { get }
    /// The type name in error messages. Default: the Swift type name.
    var typeName: String { get }
    /// Python `==` with another host object. Default: identity.
    func isEqual(to other: any JinjaObject) -> Bool
}

extension JinjaObject {
    public func call(_ args: Arguments, _ state: State) throws -> Value {
        throw JinjaError(.type, "'\(typeName)' object is not callable")
    }
    public func item(_ key: Value) -> Value? { nil }
    public func iterate() -> [Value]? { nil }
    public var pythonStr: String { "<\(typeName) object>" }
    public var pythonRepr: String { pythonStr }
    public var isTruthy: Bool { true }
    public var typeName: String { String(describing: type(of: self)) }
    public func isEqual(to other: any JinjaObject) -> Bool { self === other }
}
