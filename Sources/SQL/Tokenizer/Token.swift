/// A place in SQL text: 1-based line and column (in characters), and the 0-based offset in
/// UTF-8 bytes of the token's first byte.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "line \(line), column \(column)" }
}

/// One lexical token of GoogleSQL (BigQuery's SQL), with where it starts.
///
/// Lexical rules: <https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical>.
public struct Token: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A bare word: an identifier or a keyword (compared case-insensitively).
        case word
        /// A backtick-quoted identifier (its text has the quotes removed and escapes resolved).
        case quotedIdentifier
        /// A string literal (quotes removed, escapes resolved).
        case string
        /// A bytes literal `b'…'` (quotes removed).
        case bytes
        /// An integer literal (decimal or `0x…`).
        case integer
        /// A floating-point literal (`1.5`, `.5`, `1e10`).
        case float
        /// An operator or punctuation: `(`, `)`, `,`, `.`, `;`, `[`, `]`, `+`, `-`, `*`, `/`, `||`,
        /// `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`, `&`, `|`, `^`, `~`, `<<`, `>>`.
        case symbol
        /// A query parameter `@name` or `?`.
        case parameter
        /// The end of the text.
        case end
    }

    public var kind: Kind
    public var text: String {
        didSet { upper = kind == .word ? text.uppercased() : text }
    }
    public var location: SourceLocation
    /// Whether white space or a comment separates this token from the previous one
    /// (`a.b` vs `a . b` matters for paths such as `my-project.dataset.table`).
    public var precededBySpace: Bool
    /// The text upper-cased for words (computed once: keyword tests are the parser's hot path).
    public private(set) var upper: String

    public init(kind: Kind, text: String, location: SourceLocation, precededBySpace: Bool) {
        self.kind = kind
        self.text = text
        self.location = location
        self.precededBySpace = precededBySpace
        self.upper = kind == .word ? text.uppercased() : text
    }

    func isWord(_ keyword: String) -> Bool { kind == .word && upper == keyword }
    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}
