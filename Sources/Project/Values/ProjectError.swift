/// Where in a project file something is: a path (relative to the project root when known) and a
/// 1-based line and column (nil when the error concerns the whole file).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals link.
    public var description: String {
        var s = file
        if let line { s += ":\(line)"; if let column { s += ":\(column)" } }
        return s
    }
}

/// The one error type of the Project module: a stable kind, a message, where, and a hint.
///
/// Every bad input (malformed YAML, a missing profile, a ref to nothing, a cycle…) ends in one of
/// these, never a trap. `kind` and its `code` are stable and safe to match on; the message is for people.
///
/// ```swift
/// do { _ = try ProjectLoader.load(projectDir: dir) }
/// catch let e as ProjectError where e.kind == .yamlSyntax { print(e) }   // models/schema.yml:3:7: …
/// ```
public struct ProjectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable across releases.
    public enum Kind: String, Sendable, Hashable, Codable {
        case io                    // a file could not be read or written
        case yamlSyntax            // YAML that does not parse
        case invalidProject        // dbt_project.yml misses required keys or has wrong types
        case invalidProperty       // a property file (`version: 2`) entry with a wrong shape
        case profilesNotFound      // no profiles.yml in any place dbt looks
        case profileNotFound       // profiles.yml has no such profile
        case targetNotFound        // the profile has no such target (output)
        case invalidProfile        // a profile/target with a wrong shape
        case duplicateResource     // two nodes with the same name / unique id
        case refNotFound           // ref() to a model/seed/snapshot that does not exist
        case sourceNotFound        // source() to a source table that does not exist
        case dependencyCycle       // the graph has a cycle
        case invalidSelector       // a --select/--exclude expression that does not parse
        case selectorNotFound      // --selector names no selector in selectors.yml
        case invalidTest           // a generic data test entry with a wrong shape
        case render                // the injected renderer failed on a YAML value
        case unknownNode           // an API call named a unique_id the manifest does not have

        /// A stable numeric code (`P001`…), as dbt-core's engine numbers its errors.
        public var code: String {
            let all: [Kind] = [.io, .yamlSyntax, .invalidProject, .invalidProperty, .profilesNotFound, .profileNotFound,
                               .targetNotFound, .invalidProfile, .duplicateResource, .refNotFound, .sourceNotFound,
                               .dependencyCycle, .invalidSelector, .selectorNotFound, .invalidTest, .render, .unknownNode]
            let n = (all.firstIndex(of: self) ?? 0) + 1
            return "P" + String(repeating: "0", count: max(0, 3 - String(n).count)) + String(n)
        }
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    public var hint: String?

    public init(_ kind: Kind, _ message: String, location: SourceLocation? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.hint = hint
    }

    /// `file:line:col: message (hint)`, one line for the console.
    public var description: String {
        var s = ""
        if let location { s += "\(location): " }
        s += message
        if let hint { s += "\n  hint: \(hint)" }
        return s
    }
}

/// Something dbt would report as a warning and carry on: an unknown key, an unused config path,
/// a test on a model that does not exist.
public struct ProjectWarning: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }

    public var description: String { location.map { "\($0): \(message)" } ?? message }
}
