import Foundation

/// A filter: `value | name(args…)`. Receives the value, the arguments and the render state.
public typealias FilterFunction = @Sendable (Value, Arguments, State) throws -> Value
/// A test: `value is name(args…)`.
public typealias TestFunction = @Sendable (Value, Arguments, State) throws -> Bool

/// How undefined values behave.
public enum UndefinedBehavior: Sendable {
    /// Like `jinja2.StrictUndefined`: printing, iterating, truth-testing, comparing an undefined
    /// value is an error. `is defined` and `default` still work. The default.
    case strict
    /// Like `jinja2.Undefined` (dbt's parse phase): prints as empty, iterates as empty, is false.
    /// Attribute access on an undefined value is still an error, as in Jinja2.
    case lenient
}

/// Budgets that make hostile templates end in an error instead of a hang or a crash.
public struct Limits: Sendable {
    /// Maximum nesting of macro calls, includes, imports and recursive loops.
    public var maxDepth: Int = 100
    /// Maximum number of steps (statements, loop iterations, calls) of one render.
    public var fuel: Int = 50_000_000
    /// Largest list `range()` may build.
    public var maxRange: Int = 10_000_000
    public init() {}
}

/// The result of running a template's top level: its exports, like Jinja2's `template.module`.
public struct Module: Sendable {
    public let templateName: String
    /// Macros and top-level `set` variables (names starting with `_` are private).
    public let exports: [String: Value]
    /// What rendering the top level printed.
    public let output: String
    /// Registered capture blocks met at top level: tag → block name → raw body.
    public let captures: [String: [String: String]]

    /// The macros among the exports.
    public var macros: [String: Value] {
        exports.filter { if case .macro = $0.value { return true }; return false }
    }
    /// Capture blocks of one tag, e.g. `module.captured("docs")["orders"]`.
    public func captured(_ tag: String) -> [String: String] { captures[tag] ?? [:] }
}

/// The configuration of the engine and the entry point for rendering.
///
/// Configure it first (globals, filters, tests, loader, block tags, undefined behaviour, limits),
/// then render from any number of threads concurrently: after setup the only shared mutable
/// state is the parsed-template cache, which one lock guards (`@unchecked Sendable` for that
/// reason). Mutating the configuration while renders run is not supported.
///
/// ```swift
/// let env = Environment()
/// env.loader = { name in templates[name] }
/// let sql = try env.render("select {{ cols | join(', ') }}", name: "m.sql", context: ["cols": ["a", "b"]])
/// ```
public final class Environment: @unchecked Sendable {
    /// Names visible to every render (after the render context).
    public var globals: [String: Value]
    /// Filters by name; starts with all Jinja2 built-in filters.
    public var filters: [String: FilterFunction]
    /// Tests by name; starts with all Jinja2 built-in tests.
    public var tests: [String: TestFunction]
    /// Returns a template's source by name (`nil` → `TemplateNotFound`).
    public var loader: (@Sendable (String) -> String?)?
    public var undefinedBehavior: UndefinedBehavior = .strict
    public var limits = Limits()

    private var blockTags: [String: BlockTagKind] = [:]
    private let lock = NSLock()
    private var cache: [String: Template] = [:]

    public init() {
        globals = Globals.all()
        filters = Filters.all()
        tests = Tests.all()
    }

    // MARK: - Extension points

    public func addFilter(_ name: String, _ f: @escaping FilterFunction) { filters[name] = f }
    public func addTest(_ name: String, _ t: @escaping TestFunction) { tests[name] = t }
    public func addGlobal(_ name: String, _ v: Value) { globals[name] = v }
    public func addFunction(_ name: String, _ body: @escaping @Sendable (Arguments, State) throws -> Value) {
        globals[name] = .function(NativeFunction(name, body))
    }

    /// Registers a macro-like block tag: `{% <tag> name(params) %}…{% end<tag> %}` or
    /// `{% <tag> name, key=value %}…{% end<tag> %}` defines a macro named `name(blockName, options)`.
    ///
    /// dbt: `test` → `"test_" + name`, `materialization` → `"materialization_\(name)_\(adapter)"`.
    public func registerMacroBlock(tag: String, name: @escaping @Sendable (String, Arguments) -> String) {
        blockTags[tag] = .macro(name)
        clearCache()
    }

    /// Registers a capture block tag: `{% <tag> name %}…{% end<tag> %}` renders nothing and its raw
    /// body appears in `Module.captures[tag][name]` (dbt `docs`, `snapshot`).
    public func registerCaptureBlock(tag: String) {
        blockTags[tag] = .capture
        clearCache()
    }

    public func clearCache() {
        lock.lock(); cache.removeAll(); lock.unlock()
    }

    // MARK: - Parsing

    /// Parses `source` (not cached).
    /// - Throws: `JinjaError(.syntax)` with the location of the first error.
    public func parse(_ source: String, name: String) throws -> Template {
        var parser = try Parser(source: source, name: name, blockTags: blockTags)
        let body = try parser.parseTemplate()
        try Validator(filters: filters, tests: tests, templateName: name).check(body, soft: false)
        return Template(name: name, body: body)
    }

    /// Parses `source` once per `name`; later calls with the same name return the cached template.
    public func parseCached(_ source: String, name: String) throws -> Template {
        lock.lock()
        if let t = cache[name] { lock.unlock(); return t }
        lock.unlock()
        let t = try parse(source, name: name)
        lock.lock(); cache[name] = t; lock.unlock()
        return t
    }

    /// The template `name` from the loader (cached).
    /// - Throws: `JinjaError(.templateNotFound)` when the loader does not know it.
    public func template(named name: String) throws -> Template {
        guard let t = try loadTemplate(name, required: true) else { throw JinjaError(.templateNotFound, name) }
        return t
    }

    func loadTemplate(_ name: String, required: Bool) throws -> Template? {
        lock.lock()
        if let t = cache[name] { lock.unlock(); return t }
        lock.unlock()
        guard let source = loader?(name) else {
            if required { throw JinjaError(.templateNotFound, name, hint: "the loader has no template of that name") }
            return nil
        }
        return try parseCached(source, name: name)
    }

    // MARK: - Rendering

    /// Parses and renders `source`.
    /// - Throws: `JinjaError` (syntax or runtime), located in the template.
    public func render(_ source: String, name: String = "<template>", context: [String: Value] = [:]) throws -> String {
        try render(try parse(source, name: name), context: context)
    }

    /// Renders the loader's template `name`.
    public func renderTemplate(named name: String, context: [String: Value] = [:]) throws -> String {
        try render(try template(named: name), context: context)
    }

    /// Renders a parsed template with `context`.
    public func render(_ template: Template, context: [String: Value] = [:]) throws -> String {
        let state = State(environment: self, context: context, templateName: template.name)
        var out = ""
        do {
            _ = try state.exec(template.body, into: &out)
        } catch let e as JinjaError {
            var err = e
            err.locate(state.span.line > 0 ? state.span : SourceSpan(line: 1, column: 1), template.name)
            throw err
        } catch let r as MacroReturn {
            // `return()` at top level: Jinja2 would raise; dbt treats it as the value.
            return r.value.pythonStr()
        }
        return out
    }

    /// Runs `template`'s top level with `context` and returns its exports (like `template.module`).
    ///
    /// Macros in the module keep the module's top level as their closure; when later called from
    /// another render, their remaining free names resolve in that render's context.
    public func module(_ template: Template, context: [String: Value] = [:]) throws -> Module {
        let state = State(environment: self, context: context, templateName: template.name)
        var out = ""
        do {
            _ = try state.exec(template.body, into: &out)
        } catch var e as JinjaError {
            if e.templateName == nil { e.templateName = template.name }
            throw e
        }
        return Module(templateName: template.name, exports: State.exports(of: state.scope), output: out,
                      captures: state.captures)
    }

    /// `module(_:context:)` for the loader's template `name`.
    public func module(named name: String, context: [String: Value] = [:]) throws -> Module {
        try module(try template(named: name), context: context)
    }

    /// Calls a macro (or any callable value) outside a template, in a fresh render with `context`.
    public func call(_ callable: Value, _ args: Arguments, context: [String: Value] = [:], templateName: String = "<call>") throws -> Value {
        let state = State(environment: self, context: context, templateName: templateName)
        return try state.callValue(callable, args)
    }
}
