/// A secret value (a token, a webhook URL, a password) that never prints.
///
/// `description`, `debugDescription`, string interpolation and `dump` all show `<redacted>`;
/// the value comes out only through ``reveal()``, an explicit call at the one place that needs it
/// (an HTTP header, a request URL). Modelled on GRDB's `DatabaseError`, which keeps bound values
/// out of its description.
///
/// ```swift
/// let token = Secret(environment["WMS_TOKEN"] ?? "")
/// print(token)                     // <redacted>
/// request.headers["Authorization"] = Secret("Bearer " + token.reveal())
/// ```
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret itself. Call it only where the value leaves the process for its destination.
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Removes known secret values from text before it is logged or stored (error messages from
/// URLSession, for instance, quote the URL, which for a Slack webhook is itself the secret).
public struct Redactor: Sendable {
    private var secrets: [String]

    /// - Parameter secrets: the values to hide; values shorter than 4 characters are ignored
    ///   (replacing them would mangle ordinary text without hiding anything worth hiding).
    public init(_ secrets: [Secret] = []) {
        // Longest first so that a secret containing another is replaced whole.
        self.secrets = secrets.map { $0.reveal() }.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// Adds one more value to hide (ignored when shorter than 4 characters or already known).
    public mutating func add(_ secret: Secret) {
        let value = secret.reveal()
        guard value.count >= 4, !secrets.contains(value) else { return }
        secrets.append(value)
        secrets.sort { $0.count > $1.count }
    }

    /// `text` with every secret replaced by `<redacted>`.
    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return out
    }
}
