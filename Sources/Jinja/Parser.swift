/// A parsed template: immutable and shareable between concurrent renders.
public final class Template: Sendable {
    /// The name errors and `{% include %}` refer to.
    public let name: String
    let body: [Stmt]

    init(name: String, body: [Stmt]) {
        self.name = name
        self.body = body
    }
}

/// How a registered dbt-style block tag is parsed (see `Environment.registerMacroBlock`).
enum BlockTagKind: Sendable {
    case macro(@Sendable (String, Arguments) -> String)
    case capture
}

/// Recursive-descent parser following Jinja2's `parser.py` grammar.
struct Parser {
    var tokens: [SpannedToken]
    var pos = 0
    let templateName: String
    let src: [UInt8]
    let blockTags: [String: BlockTagKind]
    /// Expression nesting depth, bounded so hostile input cannot exhaust the stack.
    var depth = 0
    static let maxDepth = 250
    var loopDepth = 0
    let stack = StackGuard()

    init(source: String, name: String, blockTags: [String: BlockTagKind] = [:]) throws {
        let normalized = Lexer.normalize(source)
        var lexer = Lexer(normalized: normalized, templateName: name)
        self.tokens = try lexer.tokenize()
        self.templateName = name
        self.src = normalized
        self.blockTags = blockTags
    }

    // MARK: - Token stream

    @inline(__always) var current: Token { tokens[pos].token }
    @inline(__always) var currentSpan: SourceSpan { tokens[pos].span }
    func look(_ n: Int = 1) -> Token { pos + n < tokens.count ? tokens[pos + n].token : .eof }

    mutating func advance() {
        if pos < tokens.count - 1 { pos += 1 }
    }

    func fail(_ message: String, _ span: SourceSpan? = nil) -> JinjaError {
        let s = span ?? currentSpan
        return JinjaError(.syntax, message, templateName: templateName, line: s.line, column: s.column)
    }

    func isName(_ n: String) -> Bool {
        if case .name(let v) = current, v == n { return true }
        return false
    }

    func isOp(_ o: Op) -> Bool {
        if case .op(let v) = current, v == o { return true }
        return false
    }

    mutating func skipName(_ n: String) -> Bool {
        if isName(n) { advance(); return true }
        return false
    }

    mutating func skipOp(_ o: Op) -> Bool {
        if isOp(o) { advance(); return true }
        return false
    }

    mutating func expectOp(_ o: Op) throws {
        guard skipOp(o) else { throw fail("expected token '\(o.text)', got \(current.describe)") }
    }

    mutating func expectName(_ n: String) throws {
        guard skipName(n) else { throw fail("expected token '\(n)', got \(current.describe)") }
    }

    mutating func expectAnyName() throws -> String {
        guard case .name(let v) = current else { throw fail("expected name, got \(current.describe)") }
        advance()
        return v
    }

    mutating func expectBlockEnd() throws {
        guard case .blockEnd = current else {
            throw fail("expected token 'end of statement block', got \(current.describe)")
        }
        advance()
    }

    // MARK: - Templates

    mutating func parseTemplate() throws -> [Stmt] {
        let body = try subparse(until: [])
        guard case .eof = current else { throw fail("unexpected \(current.describe)") }
        return body
    }

    /// Parses template data and tags until a block whose first name is in `until` (left current).
    mutating func subparse(until: Set<String>) throws -> [Stmt] {
        var body: [Stmt] = []
        while true {
            switch current {
            case .data(let s):
                body.append(.data(s))
                advance()
            case .variableBegin:
                let span = currentSpan
                advance()
                let e = try parseTuple()
                guard case .variableEnd = current else {
                    throw fail("expected token 'end of print statement', got \(current.describe)")
                }
                advance()
                body.append(.output(e, span))
            case .blockBegin:
                advance()
                if case .name(let n) = current, until.contains(n) { return body }
                if let s = try parseStatement(until: until) { body.append(s) }
                try expectBlockEnd()
            case .eof:
                if !until.isEmpty {
                    let names = until.sorted().map { "'\($0)'" }.joined(separator: " or ")
                    throw fail("Unexpected end of template. Jinja was looking for the following tags: \(names).")
                }
                return body
            default:
                throw fail("unexpected \(current.describe)")
            }
        }
    }

    /// Jinja2's `parse_statements`: `%}` then a body up to one of `end`; optionally consumes the end name.
    mutating func parseStatements(_ end: Set<String>, dropNeedle: Bool = false) throws -> [Stmt] {
        _ = skipOp(.colon)
        try expectBlockEnd()
        let body = try subparse(until: end)
        if case .eof = current {
            throw fail("Unexpected end of template. Jinja was looking for the following tags: \(end.sorted().joined(separator: " or ")).")
        }
        if dropNeedle { advance() }
        return body
    }
}
