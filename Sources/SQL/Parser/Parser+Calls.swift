// Function calls, their modifiers and window specifications
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-reference,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/window-function-calls).

extension Parser {
    /// Spelling variants that mean the same function.
    static let functionAliases: [String: String] = [
        "JSON_EXTRACT_SCALAR": "JSON_VALUE",
        "JSON_EXTRACT": "JSON_QUERY",
        "POWER": "POW",
        "CEILING": "CEIL",
        "SUBSTRING": "SUBSTR",
        "CHAR_LENGTH": "LENGTH",
        "CHARACTER_LENGTH": "LENGTH",
        "APPROX_COUNT_DISTINCT": "APPROX_COUNT_DISTINCT",
        "STDDEV": "STDDEV_SAMP",
        "VARIANCE": "VAR_SAMP",
    ]

    /// The canonical upper-case name of a function.
    public static func canonicalFunctionName(_ name: String) -> String {
        let upper = name.uppercased()
        return functionAliases[upper] ?? upper
    }

    mutating func functionCall() throws -> Expression {
        let nameToken = advance()
        let at = nameToken.location
        let name = Self.canonicalFunctionName(nameToken.text)
        // Dotted function names (NET.HOST, KEYS.…) are not translated.
        try expectSymbol("(")
        try enter()
        defer { leave() }
        var call = Call(name: name, arguments: [])
        if name == "COUNT" && current.isSymbol("*") && peek().isSymbol(")") {
            position += 2
            call.star = true
            return try withOver(call, at: at)
        }
        if accept("DISTINCT") { call.distinct = true }
        if !current.isSymbol(")") {
            repeat {
                // Date parts written as arguments: WEEK(MONDAY) is a part, not a call.
                if current.kind == .word, current.upper == "WEEK", peek().isSymbol("("), peek(2).kind == .word, peek(3).isSymbol(")") {
                    let part = "WEEK(" + peek(2).upper + ")"
                    let partAt = current.location
                    position += 4
                    call.arguments.append(Expression(.datePart(part), at: partAt))
                    continue
                }
                call.arguments.append(try expression())
            } while acceptSymbol(",")
        }
        if accept("IGNORE") {
            try expect("NULLS")
            call.ignoreNulls = true
        } else if accept("RESPECT") {
            try expect("NULLS")
            call.ignoreNulls = false
        }
        if accept("ORDER") {
            try expect("BY")
            call.orderBy = try orderItems()
        }
        if accept("LIMIT") { call.limit = try expression() }
        if accept("HAVING") { throw SQLError.unsupported("HAVING MAX/MIN inside an aggregate", current.location) }
        try expectSymbol(")")
        return try withOver(call, at: at)
    }

    private mutating func withOver(_ call: Call, at: SourceLocation) throws -> Expression {
        var call = call
        if accept("OVER") {
            if let name = acceptIdentifier() {
                var window = Window()
                window.name = name
                call.over = window
            } else {
                try expectSymbol("(")
                call.over = try windowSpecification()
                try expectSymbol(")")
            }
        }
        return Expression(.call(call), at: at)
    }

    /// The inside of `OVER (…)` or of `WINDOW w AS (…)`.
    mutating func windowSpecification() throws -> Window {
        var window = Window()
        if let name = acceptIdentifier() { window.name = name }
        if accept("PARTITION") {
            try expect("BY")
            repeat { window.partitionBy.append(try expression()) } while acceptSymbol(",")
        }
        if accept("ORDER") {
            try expect("BY")
            window.orderBy = try orderItems()
        }
        if current.isWord("ROWS") || current.isWord("RANGE") {
            let unit = advance().upper
            if accept("BETWEEN") {
                let start = try frameBound()
                try expect("AND")
                let end = try frameBound()
                window.frame = Window.Frame(unit: unit, start: start, end: end)
            } else {
                window.frame = Window.Frame(unit: unit, start: try frameBound(), end: nil)
            }
        }
        return window
    }

    mutating func frameBound() throws -> Window.Bound {
        if accept("UNBOUNDED") {
            if accept("PRECEDING") { return .unboundedPreceding }
            try expect("FOLLOWING")
            return .unboundedFollowing
        }
        if accept("CURRENT") {
            try expect("ROW")
            return .currentRow
        }
        let offset = try additive()
        if accept("PRECEDING") { return .preceding(offset) }
        try expect("FOLLOWING")
        return .following(offset)
    }

    mutating func orderItems() throws -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            var item = OrderItem(expression: try expression())
            if accept("DESC") { item.descending = true } else { _ = accept("ASC") }
            if accept("NULLS") {
                if accept("FIRST") { item.nullsFirst = true } else {
                    try expect("LAST")
                    item.nullsFirst = false
                }
            }
            items.append(item)
        } while acceptSymbol(",")
        return items
    }
}
