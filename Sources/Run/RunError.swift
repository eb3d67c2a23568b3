/// An error of the runner (not of the warehouse, which throws ``WarehouseError``).
public struct RunError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case config, unsupported, schemaChange, seed, `internal`, project, profile, selection
    }
    public var kind: Kind
    public var message: String
    /// A file (relative to the project) the error is about, when there is one.
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// What to do about it.
    public var hint: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint
    }

    public var description: String {
        var text = message
        if let file {
            var location = file
            if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
            text = "\(location): \(text)"
        }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
