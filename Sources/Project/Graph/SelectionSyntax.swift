/// One selection method with its graph operators: `2+tag:nightly+1`, `@stg_orders`.
///
/// Syntax (https://docs.getdbt.com/reference/node-selection/syntax): an optional `@`
/// (descendants and their ancestors), an optional `[n]+` (ancestors, n levels), an optional
/// `method:` (default: `path` when the value looks like a path, else `fqn`), the value, then an
/// optional `+[n]` (descendants).
public struct SelectionCriterion: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case fqn, tag, path, file, package, config, source
        case resourceType = "resource_type"
        case testType = "test_type"
        case testName = "test_name"
        case selector
    }

    public var method: Method
    /// For `config.<key>:`, the key path after `config.` (`materialized`, `meta.owner`).
    public var methodArguments: [String] = []
    public var value: String
    public var parents = false
    public var parentsDepth: Int?
    public var children = false
    public var childrenDepth: Int?
    /// `@`: descendants, and every ancestor of those.
    public var childrensParents = false
    /// Tests attached to selected nodes are selected too (dbt's default "eager").
    public var indirectSelection: IndirectSelection = .eager

    public enum IndirectSelection: String, Sendable, Hashable { case eager, cautious, buildable, empty }

    public init(method: Method, value: String) {
        self.method = method
        self.value = value
    }

    /// Parses one token (`+stg_orders`, `config.materialized:table`, `source:raw.orders+`).
    /// - Throws: `.invalidSelector` for an unknown method or malformed operators.
    public static func parse(_ raw: String) throws -> SelectionCriterion {
        var s = Substring(raw.trimmingCharacters(in: .whitespaces))
        guard !s.isEmpty else { throw ProjectError(.invalidSelector, "empty selector") }
        var childrensParents = false
        if s.hasPrefix("@") { childrensParents = true; s = s.dropFirst() }
        var parents = false
        var parentsDepth: Int?
        let digits = s.prefix(while: { $0.isASCII && $0.isNumber })
        if s.dropFirst(digits.count).hasPrefix("+") {
            parents = true
            parentsDepth = digits.isEmpty ? nil : Int(digits)
            s = s.dropFirst(digits.count + 1)
        }
        var children = false
        var childrenDepth: Int?
        let trailingDigits = String(s.reversed().prefix(while: { $0.isASCII && $0.isNumber }).reversed())
        let beforeDigits = s.dropLast(trailingDigits.count)
        if beforeDigits.hasSuffix("+") {
            children = true
            childrenDepth = trailingDigits.isEmpty ? nil : Int(trailingDigits)
            s = beforeDigits.dropLast()
        }
        if childrensParents && parents {
            throw ProjectError(.invalidSelector, "'\(raw)': `@` and a leading `+` cannot be combined",
                               hint: "use `@name` (it already includes the ancestors of descendants)")
        }
        var method: Method
        var args: [String] = []
        var value: String
        if let colon = s.firstIndex(of: ":"), !s[..<colon].contains("/") && !s[..<colon].contains("\\") {
            let methodPart = s[..<colon].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            value = String(s[s.index(after: colon)...])
            guard let m = Method(rawValue: methodPart[0]) else {
                let known = Method.allCases.map(\.rawValue).joined(separator: ", ")
                throw ProjectError(.invalidSelector, "'\(methodPart[0])' is not a valid selection method in '\(raw)'",
                                   hint: "methods supported: \(known)")
            }
            method = m
            args = Array(methodPart.dropFirst())
            if method == .config && args.isEmpty {
                throw ProjectError(.invalidSelector, "'\(raw)': `config` needs a key, as in `config.materialized:table`")
            }
        } else {
            value = String(s)
            let looksLikePath = value.contains("/") || value.contains("\\") || value.hasSuffix(".sql")
                || value.hasSuffix(".py") || value.hasSuffix(".csv")
            method = looksLikePath ? .path : .fqn
        }
        if value.isEmpty { throw ProjectError(.invalidSelector, "'\(raw)': the selector has no value") }
        var c = SelectionCriterion(method: method, value: value)
        c.methodArguments = args
        c.parents = parents
        c.parentsDepth = parentsDepth
        c.children = children
        c.childrenDepth = childrenDepth
        c.childrensParents = childrensParents
        return c
    }
}

/// A selection: methods combined by union, intersection and difference.
public indirect enum SelectionExpression: Sendable, Hashable {
    case criterion(SelectionCriterion)
    case union([SelectionExpression])
    case intersection([SelectionExpression])
    /// Everything in the first, minus the second.
    case difference(SelectionExpression, SelectionExpression)
    /// Every node (dbt's default when `--select` is not given).
    case all

    /// Parses CLI `--select`/`--exclude` arguments: each argument may hold several space-separated
    /// tokens (a union); a comma inside a token intersects (`tag:a,config.materialized:view`).
    /// - Returns: nil when there are no tokens.
    public static func parseCLI(_ args: [String]) throws -> SelectionExpression? {
        let tokens = args.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init) }
        guard !tokens.isEmpty else { return nil }
        let parts = try tokens.map { token -> SelectionExpression in
            let pieces = token.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
            let crits = try pieces.map { SelectionExpression.criterion(try SelectionCriterion.parse($0)) }
            return crits.count == 1 ? crits[0] : .intersection(crits)
        }
        return parts.count == 1 ? parts[0] : .union(parts)
    }

    /// `select` minus `exclude`, as `--select … --exclude …` combine. No select means every node.
    public static func fromCLI(select: [String], exclude: [String] = []) throws -> SelectionExpression {
        let sel = try parseCLI(select) ?? .all
        guard let exc = try parseCLI(exclude) else { return sel }
        return .difference(sel, exc)
    }
}
