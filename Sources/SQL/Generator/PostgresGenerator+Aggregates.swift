// Aggregate and window functions for PostgreSQL
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/window-function-calls,
// https://www.postgresql.org/docs/15/functions-aggregate.html).

extension PostgresGenerator {
    /// An aggregate or window function over its arguments `args` (the shared
    /// ``SQLGenerator/function(_:scope:at:)`` has checked that a window function has OVER).
    func aggregate(_ call: Call, _ args: [Typed], scope: Scope, at: SourceLocation) throws -> Typed {
        let name = call.name
        if call.ignoreNulls == true && (name == "FIRST_VALUE" || name == "LAST_VALUE"), let over = call.over, args.count == 1 {
            // PostgreSQL 15 has no IGNORE NULLS: the frame's non-NULL values, first or last.
            let values = "(array_agg(\(args[0].sql)) FILTER (WHERE \(args[0].sql) IS NOT NULL) OVER (\(try window(over, scope: scope, at: at))))"
            let sql = name == "FIRST_VALUE" ? "\(values)[1]" : "\(values)[cardinality(\(values))]"
            return Typed(sql, args[0].type)
        }
        if call.ignoreNulls == true && name != "ARRAY_AGG" {
            // PostgreSQL 15 has no IGNORE NULLS in window functions.
            throw refuse("\(name) … IGNORE NULLS", at)
        }
        if (!call.orderBy.isEmpty || call.limit != nil) && name != "ARRAY_AGG" && name != "STRING_AGG" {
            throw SQLError(.semantic, construct: name, message: "ORDER BY and LIMIT inside \(name) are not allowed", location: at)
        }
        if call.distinct && call.over != nil {
            // PostgreSQL has no DISTINCT in window aggregates.
            throw refuse("\(name)(DISTINCT …) OVER (…)", at)
        }
        if call.over != nil && (!call.orderBy.isEmpty || call.limit != nil) {
            throw refuse("\(name) with ORDER BY or LIMIT as a window function", at)
        }
        let distinct = call.distinct ? "DISTINCT " : ""
        var x = args.first?.sql ?? ""
        if call.distinct, !call.orderBy.isEmpty, args.first?.type == .string, name == "STRING_AGG" || name == "ARRAY_AGG" {
            // With DISTINCT, PostgreSQL wants the ORDER BY terms to be the argument itself, and
            // those are ordered with the "C" collation.
            x += " COLLATE \"C\""
        }
        var sql: String
        var type: SQLType?
        switch name {
        case "COUNT":
            try aggregateArity(call, args, 1...1, at: at)
            sql = call.star ? "count(*)" : "count(\(distinct)\(x))"
            type = .int64
        case "COUNTIF":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "count(\(distinct)CASE WHEN \(x) THEN \(call.distinct ? x : "1") END)"
            type = .int64
        case "SUM":
            try aggregateArity(call, args, 1...1, at: at)
            switch args[0].type {
            case .int64:
                // sum(bigint) is numeric in PostgreSQL; back to bigint, an error on overflow as in BigQuery.
                sql = "sum(\(distinct)\(x))"
                type = .int64
            case .numeric, .bignumeric, .float64:
                sql = "sum(\(distinct)\(x))"
                type = args[0].type
            default:
                sql = "sum(\(distinct)\(x))"
                type = nil
            }
        case "AVG":
            try aggregateArity(call, args, 1...1, at: at)
            try requireKnownTypes(args, name, at: at)
            if args[0].type == .numeric || args[0].type == .bignumeric {
                // Computed to one more decimal than kept, then rounded as BigQuery's NUMERIC.
                let scale = args[0].type == .numeric ? 9 : 38
                sql = "avg(\(distinct)(\(x)) + 0.\(String(repeating: "0", count: scale + 1)))"
                type = args[0].type
            } else {
                sql = "avg(\(distinct)\(x))"
                type = .float64
            }
        case "MIN", "MAX", "ANY_VALUE":
            try aggregateArity(call, args, 1...1, at: at)
            // ANY_VALUE: any value of the group; the minimum is one (PostgreSQL 15 has no any_value).
            let fn = name == "MAX" ? "max" : "min"
            if args[0].type == .bool {
                sql = "\(name == "MAX" ? "bool_or" : "bool_and")(\(distinct)\(x))"
            } else if case .array = args[0].type {
                throw refuse("\(name) of an ARRAY", at)
            } else {
                sql = "\(fn)(\(distinct)\(x)\(args[0].type == .string ? " COLLATE \"C\"" : ""))"
            }
            type = args[0].type
        case "LOGICAL_AND", "LOGICAL_OR":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "\(name == "LOGICAL_AND" ? "bool_and" : "bool_or")(\(x))"
            type = .bool
        case "APPROX_COUNT_DISTINCT":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "count(DISTINCT \(x))"
            type = .int64
        case "BIT_AND", "BIT_OR", "BIT_XOR":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "\(name.lowercased())(\(distinct)\(x))"
            type = .int64
        case "STDDEV_SAMP", "STDDEV_POP", "VAR_SAMP", "VAR_POP":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "\(name.lowercased())(\(distinct)(\(x))::double precision)"
            type = .float64
        case "STRING_AGG":
            try aggregateArity(call, args, 1...2, at: at)
            let bytes = args[0].type == .bytes
            let delimiter = args.count > 1 ? textual(args[1], bytes ? .bytes : .string) : (bytes ? "'\\x2c'::bytea" : "','")
            if let limit = call.limit {
                // The first n non-NULL values, joined.
                guard !bytes else { throw refuse("STRING_AGG of BYTES … LIMIT", at) }
                let values = "(array_agg(\(distinct)\(x)\(try aggregateOrder(call, scope: scope))) FILTER (WHERE \(x) IS NOT NULL))[1:\(try integerConstant(limit, what: "LIMIT"))]"
                sql = "array_to_string(\(values), \(delimiter))"
                type = .string
                break
            }
            sql = "string_agg(\(distinct)\(textual(args[0], bytes ? .bytes : .string)), \(delimiter)\(try aggregateOrder(call, scope: scope)))"
            type = bytes ? .bytes : .string
        case "ARRAY_AGG":
            try aggregateArity(call, args, 1...1, at: at)
            if case .array = args[0].type { throw SQLError(.semantic, construct: "ARRAY_AGG", message: "ARRAY_AGG of an ARRAY is not allowed", location: at) }
            if let element = args[0].type { _ = try postgresType(.array(element), at: at) }
            let filter = call.ignoreNulls == true ? " FILTER (WHERE \(x) IS NOT NULL)" : ""
            var aggregate = "array_agg(\(distinct)\(x)\(try aggregateOrder(call, scope: scope)))\(filter)"
            if let limit = call.limit {
                aggregate = "(\(aggregate))[1:\(try integerConstant(limit, what: "LIMIT"))]"
            }
            if call.over != nil {
                sql = aggregate
            } else if call.ignoreNulls == true {
                sql = aggregate
            } else {
                // A NULL element is an error when BigQuery returns the array.
                let fail = try raise("'Array cannot have a null element (of ' || cardinality(\(aggregate)) || ')'", type: args[0].type.map { .array($0) }, at: at)
                sql = "CASE WHEN array_position(\(aggregate), NULL) IS NOT NULL THEN \(fail) ELSE \(aggregate) END"
            }
            type = .array(args[0].type)
        case "ROW_NUMBER", "RANK", "DENSE_RANK", "CUME_DIST", "PERCENT_RANK":
            try aggregateArity(call, args, 0...0, at: at)
            sql = "\(name.lowercased())()"
            type = name == "CUME_DIST" || name == "PERCENT_RANK" ? .float64 : .int64
        case "NTILE":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "ntile((\(x))::integer)"
            type = .int64
        case "LAG", "LEAD":
            try aggregateArity(call, args, 1...3, at: at)
            var values = [x]
            if args.count > 1 { values.append("(\(args[1].sql))::integer") }
            if args.count == 3 { values.append(try coerce(args[2], to: args[0].type, at: at).sql) }
            sql = "\(name.lowercased())(\(values.joined(separator: ", ")))"
            type = args[0].type
        case "FIRST_VALUE", "LAST_VALUE":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "\(name.lowercased())(\(x))"
            type = args[0].type
        case "NTH_VALUE":
            try aggregateArity(call, args, 2...2, at: at)
            sql = "nth_value(\(x), (\(args[1].sql))::integer)"
            type = args[0].type
        default:
            throw refuse("function \(name)", at)
        }
        if let over = call.over {
            sql += " OVER (" + (try window(over, scope: scope, at: at)) + ")"
        }
        // sum(bigint) is numeric and ntile() integer in PostgreSQL; INT64 is bigint.
        if (name == "SUM" || name == "NTILE") && type == .int64 { sql = "(\(sql))::bigint" }
        if name == "AVG" && type == .float64 { sql = "(\(sql))::double precision" }
        if name == "AVG" && (type == .numeric || type == .bignumeric) { sql = "round(\(sql), \(type == .numeric ? 9 : 38))" }
        return Typed(sql, type)
    }

    /// ` ORDER BY …` inside STRING_AGG/ARRAY_AGG, with BigQuery's NULL order.
    func aggregateOrder(_ call: Call, scope: Scope) throws -> String {
        guard !call.orderBy.isEmpty else { return "" }
        return " ORDER BY " + (try orderItems(call.orderBy, scope: scope, outputColumns: [], isCompound: false))
    }
}
