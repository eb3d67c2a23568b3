/// A recursive-descent parser for GoogleSQL statements over ``Token``s.
///
/// Split by grammar area: this file holds token navigation and the entry points;
/// `Parser+Expressions.swift` (operators by precedence, literals, calls, windows),
/// `Parser+Query.swift` (`WITH`, `SELECT`, `FROM`, set operations) and
/// `Parser+Statements.swift` (DDL and DML). Grammar:
/// <https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax>.
///
/// Nesting deeper than ``maximumDepth`` throws instead of exhausting the stack.
public struct Parser: Sendable {
    var tokens: [Token]
    var position = 0
    var depth = 0
    static let maximumDepth = 120

    public init(tokens: [Token]) {
        self.tokens = tokens.isEmpty ? [Token(kind: .end, text: "", location: SourceLocation(line: 1, column: 1, offset: 0), precededBySpace: false)] : tokens
    }

    /// Parses `sql` as a `;`-separated list of statements (a trailing `;` is allowed).
    public static func parse(_ sql: String) throws -> [Statement] {
        var parser = Parser(tokens: try Tokenizer.tokenize(sql))
        return try parser.statements()
    }

    /// Parses `sql` as exactly one query (`SELECT`, `WITH …`, a parenthesized query).
    public static func parseQuery(_ sql: String) throws -> Query {
        var parser = Parser(tokens: try Tokenizer.tokenize(sql))
        let query = try parser.query()
        while parser.current.isSymbol(";") { parser.position += 1 }
        guard parser.current.kind == .end else {
            throw parser.error("expected the end of the query, found \(parser.describe(parser.current))")
        }
        return query
    }

    /// Parses `sql` as one expression (for tests and `sql translate -e`).
    public static func parseExpression(_ sql: String) throws -> Expression {
        var parser = Parser(tokens: try Tokenizer.tokenize(sql))
        let expression = try parser.expression()
        guard parser.current.kind == .end else {
            throw parser.error("expected the end of the expression, found \(parser.describe(parser.current))")
        }
        return expression
    }

    mutating func statements() throws -> [Statement] {
        var result: [Statement] = []
        while true {
            while current.isSymbol(";") { position += 1 }
            if current.kind == .end { return result }
            result.append(try statement())
            if current.kind == .end { return result }
            guard current.isSymbol(";") else {
                throw error("expected ';' or the end of the statement, found \(describe(current))")
            }
        }
    }

    // MARK: - Tokens

    var current: Token { tokens[min(position, tokens.count - 1)] }

    func peek(_ ahead: Int = 1) -> Token { tokens[min(position + ahead, tokens.count - 1)] }

    mutating func advance() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// Consumes the keyword when it is next.
    mutating func accept(_ keyword: String) -> Bool {
        if current.isWord(keyword) {
            position += 1
            return true
        }
        return false
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        if current.isSymbol(symbol) {
            position += 1
            return true
        }
        return false
    }

    mutating func expect(_ keyword: String) throws {
        guard accept(keyword) else { throw error("expected \(keyword), found \(describe(current))") }
    }

    mutating func expectSymbol(_ symbol: String) throws {
        guard acceptSymbol(symbol) else { throw error("expected '\(symbol)', found \(describe(current))") }
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: return "the end of the SQL"
        case .string: return "a string literal"
        case .quotedIdentifier: return "`\(token.text)`"
        default: return "'\(token.text)'"
        }
    }

    func error(_ message: String, construct: String = "syntax") -> SQLError {
        SQLError(.syntax, construct: construct, message: message, location: current.location)
    }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maximumDepth {
            throw SQLError(.unsupported, construct: "nesting", message: "the SQL nests deeper than \(Self.maximumDepth) levels", location: current.location)
        }
    }

    mutating func leave() { depth -= 1 }

    /// GoogleSQL's reserved keywords: never an implicit alias or a bare column name
    /// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#reserved_keywords>).
    static let reserved: Set<String> = [
        "ALL", "AND", "ANY", "ARRAY", "AS", "ASC", "ASSERT_ROWS_MODIFIED", "AT", "BETWEEN", "BY", "CASE",
        "CAST", "COLLATE", "CONTAINS", "CREATE", "CROSS", "CUBE", "CURRENT", "DEFAULT", "DEFINE", "DESC",
        "DISTINCT", "ELSE", "END", "ENUM", "ESCAPE", "EXCEPT", "EXCLUDE", "EXISTS", "EXTRACT", "FALSE",
        "FETCH", "FOLLOWING", "FOR", "FROM", "FULL", "GROUP", "GROUPING", "GROUPS", "HASH", "HAVING", "IF",
        "IGNORE", "IN", "INNER", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE",
        "LIMIT", "LOOKUP", "MERGE", "NATURAL", "NEW", "NO", "NOT", "NULL", "NULLS", "OF", "ON", "OR", "ORDER",
        "OUTER", "OVER", "PARTITION", "PRECEDING", "PROTO", "QUALIFY", "RANGE", "RECURSIVE", "RESPECT",
        "RIGHT", "ROLLUP", "ROWS", "SELECT", "SET", "SOME", "STRUCT", "TABLESAMPLE", "THEN", "TO", "TREAT",
        "TRUE", "UNBOUNDED", "UNION", "UNNEST", "USING", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN",
    ]

    /// An identifier (bare, not reserved, or backtick-quoted); nil when the next token is not one.
    mutating func acceptIdentifier() -> String? {
        let token = current
        if token.kind == .quotedIdentifier || (token.kind == .word && !Self.reserved.contains(token.upper)) {
            position += 1
            return token.text
        }
        return nil
    }

    mutating func identifier(_ what: String = "an identifier") throws -> String {
        guard let name = acceptIdentifier() else { throw error("expected \(what), found \(describe(current))") }
        return name
    }

    /// A dotted path of identifiers; a backticked part may itself hold dots (`` `p.d.t` ``).
    /// Bare words joined by `-` without spaces form one part (`my-project.dataset.table`).
    /// A double-quoted string is accepted as a whole path (`"dataset.table"`, as relations are
    /// rendered for the embedded warehouse).
    mutating func tablePath() throws -> [String] {
        if current.kind == .string {
            return splitPath(advance().text)
        }
        var parts: [String] = []
        repeat {
            let token = current
            if token.kind == .quotedIdentifier {
                position += 1
                parts += splitPath(token.text)
            } else if token.kind == .word {
                position += 1
                var word = token.text
                while current.isSymbol("-") && !current.precededBySpace && (peek().kind == .word || peek().kind == .integer) && !peek().precededBySpace {
                    position += 1
                    word += "-" + advance().text
                }
                parts.append(word)
            } else {
                throw error("expected a table name, found \(describe(current))")
            }
        } while acceptSymbol(".")
        return parts
    }

    func splitPath(_ text: String) -> [String] {
        text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}
