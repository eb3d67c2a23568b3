import Foundation

/// An error from the Ops module: a stable kind, a message, the file (and line) it is about, a hint.
/// Messages never contain secret values (see ``Secret``).
public struct OpsError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// `opsflow.yml` or a command-line argument is wrong.
        case config
        /// A source, model or sync named by the user does not exist.
        case notFound
        /// A file cannot be read or written.
        case io
        /// The state database failed.
        case state
        /// An HTTP destination failed for good.
        case http
        /// Another run of the same job holds the lock.
        case locked
    }

    public var kind: Kind
    public var message: String
    public var file: String?
    public var line: Int?
    public var hint: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint
    }

    public var description: String {
        var text = ""
        if let file {
            text += file
            if let line { text += ":\(line)" }
            text += ": "
        }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}
