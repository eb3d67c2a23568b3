/// A place in a template source: 1-based line and column (in Unicode scalars of the line's
/// UTF-8 bytes, counted as bytes), plus the byte offset of the start.
public struct SourceSpan: Sendable, Hashable {
    public var line: Int
    public var column: Int
    /// Byte offset (UTF-8) of the first byte of the node in the normalized source.
    public var offset: Int

    public init(line: Int, column: Int, offset: Int = 0) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    static let unknown = SourceSpan(line: 0, column: 0, offset: 0)
}

/// The one error type of the Jinja module.
///
/// Every failure — a syntax error, an undefined name, a type error in an operator, a missing
/// template, an exhausted step budget — ends in a `JinjaError`; the engine never traps on input.
/// `kind` is stable and meant for code; `message` is meant for people and mirrors Jinja2's wording
/// where Jinja2 has one (e.g. `'x' is undefined`).
public struct JinjaError: Error, Sendable, CustomStringConvertible {
    /// Stable classification. Mirrors the Jinja2 exception classes where one exists.
    public enum Kind: String, Sendable {
        /// `TemplateSyntaxError`: the source does not parse.
        case syntax
        /// `UndefinedError`: an undefined value was printed, iterated, tested or accessed.
        case undefined
        /// `TypeError`: an operation applied to a value of the wrong type (also bad arguments).
        case type
        /// `ValueError` / `KeyError` / `IndexError` / `ZeroDivisionError`-like runtime failures.
        case value
        /// `TemplateNotFound`: the loader does not know the template.
        case templateNotFound
        /// `TemplateRuntimeError` / `TemplateAssertionError`: unknown filter or test, bad usage.
        case runtime
        /// An integer left the 64-bit range (Python would switch to a big integer).
        case overflow
        /// Macro/include nesting went past `Limits.maxDepth`.
        case recursionLimit
        /// The render used more than `Limits.fuel` steps.
        case fuelExhausted
    }

    public var kind: Kind
    public var message: String
    /// Name of the template the error happened in (`nil` when unknown).
    public var templateName: String?
    /// 1-based line; 0 when unknown.
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int
    /// A one-line suggestion for the user, when we have one.
    public var hint: String?

    public init(_ kind: Kind, _ message: String, templateName: String? = nil, line: Int = 0,
                column: Int = 0, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.templateName = templateName
        self.line = line
        self.column = column
        self.hint = hint
    }

    /// `true` once a template location has been attached.
    public var hasLocation: Bool { line > 0 }

    public var description: String {
        var s = "\(kind.rawValue) error: \(message)"
        if let t = templateName { s += " (in \(t)" + (line > 0 ? ":\(line):\(column)" : "") + ")" }
        else if line > 0 { s += " (line \(line), column \(column))" }
        if let h = hint { s += "\n  hint: \(h)" }
        return s
    }

    mutating func locate(_ span: SourceSpan, _ template: String) {
        if line == 0 && span.line > 0 {
            line = span.line
            column = span.column
            if templateName == nil { templateName = template }
        } else if templateName == nil {
            templateName = template
        }
    }
}

@inline(__always) func typeError(_ message: String) -> JinjaError { JinjaError(.type, message) }
@inline(__always) func valueError(_ message: String) -> JinjaError { JinjaError(.value, message) }
