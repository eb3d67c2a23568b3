// Function routing and the tables every dialect shares: which names are aggregates, which are
// window (navigation and numbering) functions, which date parts exist
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-all).

/// BigQuery's function families and literal rules, the same for every target dialect.
enum BigQueryFunctions {
    /// Aggregate functions (also usable as window functions with OVER).
    static let aggregates: Set<String> = [
        "COUNT", "COUNTIF", "SUM", "AVG", "MIN", "MAX", "ANY_VALUE", "ARRAY_AGG", "STRING_AGG",
        "LOGICAL_AND", "LOGICAL_OR", "APPROX_COUNT_DISTINCT", "BIT_AND", "BIT_OR", "BIT_XOR",
        "STDDEV_SAMP", "STDDEV_POP", "VAR_SAMP", "VAR_POP",
    ]

    /// Window-only functions (numbering and navigation): they need an OVER clause.
    static let navigation: Set<String> = [
        "ROW_NUMBER", "RANK", "DENSE_RANK", "NTILE", "PERCENT_RANK", "CUME_DIST", "LAG", "LEAD",
        "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE",
    ]

    /// The date parts a date function takes as a bare word (`DAY`, `WEEK`, …).
    static let dateParts: Set<String> = [
        "MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "ISOWEEK", "MONTH",
        "QUARTER", "YEAR", "ISOYEAR", "DAYOFWEEK", "DAYOFYEAR", "DATE", "TIME", "DATETIME",
    ]

    /// An INT64 literal's value (decimal or `0x` hex, with an optional minus), nil when out of range.
    static func integerValue(_ text: String) -> Int64? {
        var digits = Substring(text)
        var negative = false
        if digits.hasPrefix("-") {
            negative = true
            digits = digits.dropFirst()
        }
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            guard let magnitude = UInt64(digits.dropFirst(2), radix: 16) else { return nil }
            if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
            return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
        }
        return Int64(text)
    }

}

extension SQLGenerator {
    /// A function call: aggregates and window functions go to ``SQLGenerator/aggregate(_:scope:at:)``,
    /// every other function to ``SQLGenerator/scalarFunction(_:scope:at:)`` once the clauses only
    /// aggregates take are refused.
    func function(_ call: Call, scope: Scope, at: SourceLocation) throws -> Typed {
        let name = call.name
        if call.safe && (BigQueryFunctions.aggregates.contains(name) || BigQueryFunctions.navigation.contains(name)) {
            throw unsupported("SAFE.\(name)", at)
        }
        if BigQueryFunctions.aggregates.contains(name) || BigQueryFunctions.navigation.contains(name) {
            let args = try call.arguments.map { try expression($0, scope: scope) }
            if BigQueryFunctions.navigation.contains(name) && call.over == nil {
                throw SQLError(.semantic, construct: name, message: "\(name) needs an OVER clause", location: at)
            }
            return try aggregate(call, args, scope: scope, at: at)
        }
        if call.over != nil { throw SQLError(.semantic, construct: "OVER", message: "\(name) is not an analytic function", location: at) }
        if call.distinct || !call.orderBy.isEmpty || call.limit != nil || call.ignoreNulls != nil {
            throw SQLError(.semantic, construct: name, message: "DISTINCT, ORDER BY, LIMIT and IGNORE NULLS are only allowed in aggregates", location: at)
        }
        return try scalarFunction(call, scope: scope, at: at)
    }

    /// An aggregate's argument count must be in `range` (`COUNT(*)` has none).
    func aggregateArity(_ call: Call, _ args: [Typed], _ range: ClosedRange<Int>, at: SourceLocation) throws {
        guard range.contains(args.count) || (call.star && call.name == "COUNT") else {
            throw SQLError(.semantic, construct: "function \(call.name)", message: "\(call.name) takes \(range.lowerBound)…\(range.upperBound) arguments, not \(args.count)", location: at)
        }
    }
}
