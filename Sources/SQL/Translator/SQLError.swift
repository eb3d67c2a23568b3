/// Why SQL could not be translated, and where.
///
/// - `syntax`: the text is not GoogleSQL (an unterminated string, a missing parenthesis).
/// - `unsupported`: valid GoogleSQL that the translator does not translate; `construct` names it
///   (`"INTERSECT ALL"`, `"FIRST_VALUE … IGNORE NULLS"`). Never silently translated differently.
/// - `semantic`: valid syntax that BigQuery itself rejects (an unknown function's arity, a
///   literal that cannot be coerced, `SELECT * EXCEPT` of a missing column).
///
/// `line` and `column` are 1-based, in the SQL given to the translator.
public struct SQLError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case syntax, unsupported, semantic
    }

    public var kind: Kind
    /// The construct concerned, e.g. `"QUALIFY"`, `"function FOO"`, `"string literal"`.
    public var construct: String
    public var message: String
    public var line: Int
    public var column: Int
    /// What the user can do instead, when there is an obvious alternative.
    public var hint: String?

    public init(_ kind: Kind, construct: String, message: String, location: SourceLocation, hint: String? = nil) {
        self.kind = kind
        self.construct = construct
        self.message = message
        self.line = location.line
        self.column = location.column
        self.hint = hint
    }

    /// An `unsupported` error for `construct` at `location`.
    public static func unsupported(_ construct: String, _ location: SourceLocation, hint: String? = nil) -> SQLError {
        SQLError(.unsupported, construct: construct, message: "\(construct) is not supported by the BigQuery → SQLite translator", location: location, hint: hint)
    }

    /// An `unsupported` error of the BigQuery → PostgreSQL translator: `construct` has no
    /// PostgreSQL 15 translation that keeps BigQuery's result.
    public static func unsupportedInPostgres(_ construct: String, _ location: SourceLocation, hint: String? = nil) -> SQLError {
        SQLError(.unsupported, construct: construct, message: "\(construct) is not supported by the BigQuery → PostgreSQL translator", location: location, hint: hint)
    }

    public var description: String {
        var text = "\(kind.rawValue) error at line \(line), column \(column): \(message)"
        if let hint { text += " (\(hint))" }
        return text
    }
}

extension SQLError {
    /// The error as a compiler-style message for people: `file:line:column: kind: message`, the
    /// offending line, and a caret under the column — what `opsflow sql translate` prints.
    /// - Parameters:
    ///   - sql: the SQL the error was raised for (to quote the line).
    ///   - file: the model or file name shown first (omitted when nil).
    public func formatted(sql: String, file: String? = nil) -> String {
        var head = (file.map { "\($0):" } ?? "") + "\(line):\(column): \(kind.rawValue) error: \(message)"
        if let hint { head += "\n  hint: \(hint)" }
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return head }
        let text = String(lines[line - 1])
        let caret = String(repeating: " ", count: max(0, column - 1)) + "^"
        return head + "\n" + text + "\n" + caret
    }
}
