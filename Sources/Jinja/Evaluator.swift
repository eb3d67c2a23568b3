/// A variable scope: a macro call, a loop iteration, a `with` block, or a template's top level.
///
/// Lookup walks `parent` links; assignment always writes the innermost scope, which gives
/// Jinja2's rule that a `set` inside a loop does not leak out of it.
/// `@unchecked Sendable`: mutated only by the render that owns it; scopes captured by shared
/// macros (a module's top level) are no longer written once the module is built.
final class Scope: @unchecked Sendable {
    var vars: [String: Value]
    let parent: Scope?
    /// Names assigned at a template's top level, in order (the template's exports).
    var isTemplateRoot = false

    init(parent: Scope?, capacity: Int = 0) {
        self.parent = parent
        self.vars = capacity > 0 ? Dictionary(minimumCapacity: capacity) : [:]
    }

    @inline(__always) func find(_ name: String) -> Value? {
        var s: Scope? = self
        while let cur = s {
            if let v = cur.vars[name] { return v }
            s = cur.parent
        }
        return nil
    }
}

/// What a statement asks the enclosing loop to do.
enum Flow { case normal, breakLoop, continueLoop }

/// The state of one render: the environment, the render context, the current scope and
/// template, and the step/recursion budgets. Native functions receive it to look names up,
/// call macros, and learn where they were called from.
///
/// A `State` belongs to one render on one thread; it is not `Sendable`.
public final class State {
    /// The environment rendering.
    public let environment: Environment
    /// The render's context (what `render(context:)` was given).
    public let context: [String: Value]
    var scope: Scope
    /// The template whose code is running (inside a macro: the macro's template).
    public internal(set) var templateName: String
    var span: SourceSpan = .unknown
    var depth = 0
    var fuel: Int
    let strict: Bool
    let globals: [String: Value]
    let filters: [String: FilterFunction]
    let tests: [String: TestFunction]
    /// Capture blocks met while rendering (tag → name → body).
    var captures: [String: [String: String]] = [:]
    let stack = StackGuard()

    init(environment: Environment, context: [String: Value], templateName: String) {
        self.environment = environment
        self.context = context
        self.templateName = templateName
        self.scope = Scope(parent: nil)
        self.scope.isTemplateRoot = true
        self.fuel = environment.limits.fuel
        self.strict = environment.undefinedBehavior == .strict
        self.globals = environment.globals
        self.filters = environment.filters
        self.tests = environment.tests
    }

    /// The line of the statement running now (1-based; 0 when unknown).
    public var line: Int { span.line }
    /// The column of the statement running now (1-based; 0 when unknown).
    public var column: Int { span.column }

    /// Resolves a name as the template would: locals → the template's top level → the render
    /// context → the environment's globals. Missing names are `.undefined`.
    public func lookup(_ name: String) -> Value {
        if let v = scope.find(name) { return v }
        if let v = context[name] { return v }
        if let v = globals[name] { return v }
        return .undefined(Undefined(name: name, message: "'\(name)' is undefined"))
    }

    /// Calls a macro, native function or callable object with `args`, from Swift.
    ///
    /// - Throws: `JinjaError` from the callee, or `.type` when `callable` cannot be called.
    public func call(_ callable: Value, _ args: Arguments) throws -> Value {
        try callValue(callable, args)
    }

    /// Throws a located error of `kind`.
    public func error(_ kind: JinjaError.Kind, _ message: String, hint: String? = nil) -> JinjaError {
        JinjaError(kind, message, templateName: templateName, line: span.line, column: span.column, hint: hint)
    }

    @inline(__always) func burn(_ n: Int = 1) throws {
        fuel -= n
        if fuel < 0 {
            throw JinjaError(.fuelExhausted, "the render exceeded its step budget (\(environment.limits.fuel) steps)",
                             hint: "an infinite or very large loop? raise Environment.limits.fuel if legitimate")
        }
    }

    // MARK: - Undefined-aware conversions

    /// Whether using `u` (printing, iterating, truth-testing) is an error here.
    @inline(__always) func isStrict(_ u: Undefined) -> Bool { strict && !u.soft }

    func undefinedError(_ u: Undefined) -> JinjaError {
        JinjaError(.undefined, u.message)
    }

    /// `str(v)`; strict undefined fails.
    @inline(__always) func str(_ v: Value) throws -> String {
        switch v {
        case .string(let s): return s
        case .undefined(let u): if isStrict(u) { throw undefinedError(u) }; return ""
        default: return v.pythonStr()
        }
    }

    /// `bool(v)`; strict undefined fails.
    @inline(__always) func truthy(_ v: Value) throws -> Bool {
        if case .undefined(let u) = v {
            if isStrict(u) { throw undefinedError(u) }
            return false
        }
        return v.isTruthy
    }

    /// Rejects undefined operands of operators in both modes (Jinja2's `Undefined` fails on them too).
    @inline(__always) func defined(_ v: Value) throws -> Value {
        if case .undefined(let u) = v { throw undefinedError(u) }
        return v
    }

    /// `list(v)`: the items a `for` loop visits.
    func iterate(_ v: Value) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .dict(let d): return d.keys
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .undefined(let u): if isStrict(u) { throw undefinedError(u) }; return []
        case .object(let o):
            if let items = o.iterate() { return items }
            throw JinjaError(.type, "'\(o.typeName)' object is not iterable")
        default:
            throw JinjaError(.type, "'\(v.typeName)' object is not iterable")
        }
    }

    // MARK: - Calls

    func callValue(_ callee: Value, _ args: Arguments, caller: Value? = nil) throws -> Value {
        switch callee {
        case .function(let f):
            // Like Jinja2, a `{% call %}` block passes its body to any callable as `caller=`.
            if let caller { var a = args; a.keyword.append(("caller", caller)); return try f.body(a, self) }
            return try f.body(args, self)
        case .macro(let m): return try callMacro(m, args, caller: caller)
        case .object(let o):
            if let caller { var a = args; a.keyword.append(("caller", caller)); return try o.call(a, self) }
            return try o.call(args, self)
        case .undefined(let u): throw undefinedError(u)
        default: throw JinjaError(.type, "'\(callee.typeName)' object is not callable")
        }
    }

    func callMacro(_ m: Macro, _ args: Arguments, caller: Value?) throws -> Value {
        let decl = m.decl
        depth += 1
        defer { depth -= 1 }
        if depth > environment.limits.maxDepth {
            throw JinjaError(.recursionLimit, "maximum recursion depth exceeded (\(environment.limits.maxDepth)) calling macro '\(decl.name)'")
        }
        if !stack.hasRoom() { throw StackGuard.exhausted() }
        try burn()
        let frame = Scope(parent: m.closure, capacity: decl.params.count + 2)
        let params = decl.params
        var extra: [Value] = []
        for (i, v) in args.positional.enumerated() {
            if i < params.count { frame.vars[params[i].0] = v } else { extra.append(v) }
        }
        if !extra.isEmpty && !decl.usesVarargs {
            throw JinjaError(.type, "macro '\(decl.name)' takes not more than \(params.count) argument(s)")
        }
        var kwargs: [(String, Value)] = []
        var callerValue = caller
        for (k, v) in args.keyword {
            if let i = params.firstIndex(where: { $0.0 == k }) {
                if i < args.positional.count {
                    throw JinjaError(.type, "macro '\(decl.name)' got multiple values for argument '\(k)'")
                }
                frame.vars[k] = v
            } else if k == "caller" && decl.usesCaller {
                callerValue = v
            } else if decl.usesKwargs {
                kwargs.append((k, v))
            } else {
                throw JinjaError(.type, "macro '\(decl.name)' takes no keyword argument '\(k)'")
            }
        }
        if decl.usesVarargs { frame.vars["varargs"] = .tuple(extra) }
        if decl.usesKwargs { frame.vars["kwargs"] = .makeDict(kwargs) }
        if let c = callerValue { frame.vars["caller"] = c }
        else if decl.usesCaller {
            // Jinja2 binds `caller` in every macro that uses it (a call block's own body included).
            frame.vars["caller"] = .undefined(Undefined(name: "caller", message: "No caller defined"))
        }
        let savedScope = scope
        let savedTemplate = templateName
        let savedSpan = span
        scope = frame
        templateName = m.templateName
        defer { scope = savedScope; templateName = savedTemplate; span = savedSpan }
        // Defaults are evaluated at call time, in the macro's frame (they may use earlier params).
        for (name, def) in params where frame.vars[name] == nil {
            if let d = def {
                frame.vars[name] = try eval(d)
            } else {
                frame.vars[name] = .undefined(Undefined(name: name, message: "parameter '\(name)' was not provided"))
            }
        }
        var out = ""
        do {
            _ = try exec(decl.body, into: &out)
        } catch let r as MacroReturn {
            return r.value
        }
        return .string(out)
    }
}
