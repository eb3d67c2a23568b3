/// Name resolution for every dialect: a column reference is looked up through the scopes,
/// innermost first (<https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#implicit_aliases>),
/// and comes back typed from the catalog or the subquery that defines it. What a dialect spells
/// differently goes through the ``SQLGenerator`` hooks.
extension SQLGenerator {
    func column(_ parts: [String], scope: Scope, at: SourceLocation) throws -> Typed {
        let first = parts[0].lowercased()
        // A qualified name whose first part is a relation alias at some level (correlated
        // references) resolves there, before any level falls back to letting the database resolve it.
        if parts.count >= 2 {
            var search: Scope? = scope
            while let current = search {
                if current.sources.contains(where: { $0.name == first }) { break }
                search = current.parent
            }
            if let owner = search, owner !== scope {
                return try column(parts, scope: owner, at: at)
            }
        }
        var level: Scope? = scope
        while let current = level {
            if current.aliasesFirst, parts.count == 1, let alias = current.selectAliases[first] {
                return outputAlias(alias, named: parts[0])
            }
            // A qualified name: `alias.column[.field…]`.
            if parts.count >= 2, let source = current.sources.first(where: { $0.name == first && !$0.isUnnest }) {
                let name = parts[1]
                var type: SQLType?
                var spelled = name
                if let columns = source.columns {
                    guard let column = columns.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                        throw SQLError(.semantic, construct: "name", message: "name \(name) not found inside \(parts[0])", location: at)
                    }
                    type = column.type
                    spelled = columnSpelling(name, column: column)
                }
                let base = Typed("\(source.qualifier).\(quoteIdentifier(spelled))", type)
                return parts.count > 2 ? try structField(base, Array(parts[2...]), at: at) : base
            }
            // An UNNEST alias (the element) or its offset.
            if let source = current.sources.first(where: { $0.isUnnest && $0.name == first }) {
                let base = Typed(unnestValueSQL(source), source.elementType)
                return parts.count > 1 ? try structField(base, Array(parts[1...]), at: at) : base
            }
            if parts.count == 1, let source = current.sources.first(where: { $0.isUnnest && $0.offsetName?.lowercased() == first }) {
                return Typed(unnestOffsetSQL(source), .int64)
            }
            // An unqualified column.
            let matches = current.sources.filter { source in
                source.columns?.contains(where: { $0.name.lowercased() == first }) ?? false
            }
            if matches.count > 1, !matches.dropFirst().allSatisfy({ $0.hiddenForStar.contains(first) }) {
                throw SQLError(.semantic, construct: "name", message: "column name \(parts[0]) is ambiguous", location: at)
            }
            if let source = matches.first, let column = source.columns?.first(where: { $0.name.lowercased() == first }) {
                let qualifier = matches.count > 1 ? "" : "\(source.qualifier)."
                let base = Typed("\(qualifier)\(quoteIdentifier(column.name))", column.type)
                return parts.count > 1 ? try structField(base, Array(parts[1...]), at: at) : base
            }
            if !current.allKnown {
                // Some relation's columns are unknown: the database resolves the name.
                return try unresolvedColumn(parts, at: at)
            }
            if parts.count == 1, let alias = current.selectAliases[first] {
                return alias
            }
            level = current.parent
        }
        throw SQLError(.semantic, construct: "name", message: "unrecognized name: \(parts.joined(separator: "."))", location: at)
    }

    /// `*` over an UNNEST: the element, then the offset when named.
    func unnestStarEntries(_ source: Source, location: SourceLocation) throws -> [(sql: String, column: SQLColumn)] {
        try checkStarOverUnnest(source, location: location)
        var entries = [(unnestValueSQL(source), SQLColumn(name: source.name, type: source.elementType))]
        if let offset = source.offsetName {
            entries.append((unnestOffsetSQL(source), SQLColumn(name: offset, type: .int64)))
        }
        return entries
    }

    func checkStarOverUnnest(_ source: Source, location: SourceLocation) throws {}
}
