// The function table: each BigQuery function as SQLite SQL or a `bq_*` function registered by
// WarehouseSQLite (https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-all).

extension SQLiteGenerator {
    /// Functions emitted as `bq_<name>(args…)` with the given result type (nil: the first
    /// argument's type). The implementations live in WarehouseSQLite's `BigQueryFunctions`.
    static let direct: [String: (arity: ClosedRange<Int>, type: SQLType?)] = [
        "DIV": (2...2, .int64), "MOD": (2...2, nil), "SAFE_DIVIDE": (2...2, .float64),
        "IEEE_DIVIDE": (2...2, .float64), "SAFE_ADD": (2...2, nil), "SAFE_SUBTRACT": (2...2, nil),
        "SAFE_MULTIPLY": (2...2, nil), "SAFE_NEGATE": (1...1, nil),
        "POW": (2...2, .float64), "SQRT": (1...1, .float64), "LN": (1...1, .float64), "LOG": (1...2, .float64),
        "LOG10": (1...1, .float64), "EXP": (1...1, .float64), "SIGN": (1...1, nil),
        "CEIL": (1...1, .float64), "FLOOR": (1...1, .float64), "IS_INF": (1...1, .bool), "IS_NAN": (1...1, .bool),
        "SIN": (1...1, .float64), "COS": (1...1, .float64), "TAN": (1...1, .float64), "ATAN": (1...1, .float64),
        "LOWER": (1...1, .string), "UPPER": (1...1, .string), "SUBSTR": (2...3, .string),
        "LPAD": (2...3, .string), "RPAD": (2...3, .string), "STARTS_WITH": (2...2, .bool), "ENDS_WITH": (2...2, .bool),
        "REGEXP_CONTAINS": (2...2, .bool), "REGEXP_EXTRACT": (2...4, .string), "REGEXP_REPLACE": (3...3, .string),
        "REGEXP_EXTRACT_ALL": (2...2, .array(.string)), "REGEXP_INSTR": (2...2, .int64),
        "SPLIT": (1...2, .array(.string)), "REVERSE": (1...1, .string), "INITCAP": (1...2, .string),
        "REPEAT": (2...2, .string), "LEFT": (2...2, .string), "RIGHT": (2...2, .string),
        "ASCII": (1...1, .int64), "CHR": (1...1, .string), "TO_HEX": (1...1, .string), "FORMAT": (1...30, .string),
        "ARRAY_TO_STRING": (2...3, .string), "GENERATE_ARRAY": (2...3, .array(.int64)), "ARRAY_REVERSE": (1...1, nil),
        "ARRAY_CONCAT": (1...30, nil), "ERROR": (1...1, nil), "CONTAINS_SUBSTR": (2...2, .bool),
        "INSTR": (2...4, .int64), "TRANSLATE": (3...3, .string), "SOUNDEX": (1...1, .string),
        "UNIX_DATE": (1...1, .int64), "DATE_FROM_UNIX_DATE": (1...1, .date),
        "UNIX_SECONDS": (1...1, .int64), "UNIX_MILLIS": (1...1, .int64), "UNIX_MICROS": (1...1, .int64),
        "TIMESTAMP_SECONDS": (1...1, .timestamp), "TIMESTAMP_MILLIS": (1...1, .timestamp), "TIMESTAMP_MICROS": (1...1, .timestamp),
        "GENERATE_UUID": (0...0, .string), "JSON_VALUE": (1...2, .string), "JSON_QUERY": (1...2, .json),
        "TO_JSON_STRING": (1...2, .string), "JSON_EXTRACT_ARRAY": (1...2, .array(.json)), "JSON_EXTRACT_STRING_ARRAY": (1...2, .array(.string)),
        "JSON_VALUE_ARRAY": (1...2, .array(.string)), "JSON_QUERY_ARRAY": (1...2, .array(.json)),
        "BYTE_LENGTH": (1...1, .int64), "OCTET_LENGTH": (1...1, .int64), "RAND": (0...0, .float64),
        "ACOS": (1...1, .float64), "ASIN": (1...1, .float64), "ATAN2": (2...2, .float64),
        "COSH": (1...1, .float64), "SINH": (1...1, .float64), "TANH": (1...1, .float64), "CBRT": (1...1, .float64),
    ]

    /// A scalar function (the shared ``SQLGenerator/function(_:scope:at:)`` has routed aggregates
    /// and refused aggregate-only clauses).
    func scalarFunction(_ call: Call, scope: Scope, at: SourceLocation) throws -> Typed {
        let name = call.name
        // TO_HEX(MD5(x)) is dbt-bigquery's hash: the hex digest SQLite's md5() gives.
        if name == "TO_HEX", call.arguments.count == 1, case .call(let inner) = call.arguments[0].kind, inner.name == "MD5", inner.arguments.count == 1 {
            return Typed("md5(\(try expression(inner.arguments[0], scope: scope).sql))", .string)
        }
        // Date parts (DAY, WEEK(MONDAY)) and INTERVALs are read by the cases below, not evaluated.
        let partPosition = Self.datePartPosition[name]
        let args = try call.arguments.enumerated().map { index, argument -> Typed in
            switch argument.kind {
            case .datePart(let part): return Typed(quoteString(part), nil)
            case .interval: return Typed("NULL", .interval)
            case .column(let parts) where index == partPosition && parts.count == 1 && BigQueryFunctions.dateParts.contains(parts[0].uppercased()):
                return Typed(quoteString(parts[0].uppercased()), nil)
            default: return try expression(argument, scope: scope)
            }
        }
        func arity(_ range: ClosedRange<Int>) throws {
            guard range.contains(args.count) else {
                throw SQLError(.semantic, construct: "function \(name)", message: "\(name) takes \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)") arguments, not \(args.count)", location: at)
            }
        }
        let safe = call.safe ? "bq_safe_" : "bq_"
        func udf(_ function: String, _ values: [String], _ type: SQLType?) -> Typed {
            Typed("\(safe)\(function)(\(values.joined(separator: ", ")))", type)
        }
        let sqls = args.map(\.sql)
        if name == "SAFE_DIVIDE", args.count == 2 {
            // NULL for a zero divisor; each operand evaluated once (a window sum is not repeated).
            return Typed("(\(sqls[0]) * 1.0 / nullif(\(sqls[1]), 0))", .float64)
        }
        if let entry = Self.direct[name] {
            try arity(entry.arity)
            var type = entry.type ?? args.first?.type
            if name == "SIGN" || name == "MOD" || name.hasPrefix("SAFE_") { type = entry.type ?? args.first?.type }
            if name == "ARRAY_REVERSE" || name == "ARRAY_CONCAT" { type = args.first?.type }
            if name == "JSON_VALUE" || name == "JSON_QUERY" || name == "JSON_VALUE_ARRAY" || name == "JSON_QUERY_ARRAY" || name == "JSON_EXTRACT_ARRAY" || name == "JSON_EXTRACT_STRING_ARRAY" {
                var values = sqls
                if values.count == 1 { values.append("'$'") }
                return udf(name.lowercased(), values, type)
            }
            if name == "TO_JSON_STRING" {
                return Typed("\(safe)to_json_string(\(jsonValue(args[0])))", .string)
            }
            if name == "FORMAT" {
                // Each argument travels with its type so %t and %T print as BigQuery does.
                var values = [sqls[0]]
                for arg in args.dropFirst() { values += [arg.sql, quoteString(arg.type?.description ?? "")] }
                return udf("format", values, .string)
            }
            if name == "RAND" { return Typed("((random() / 18446744073709551616.0) + 0.5)", .float64) }
            if name == "GENERATE_UUID" { return Typed("bq_generate_uuid(random())", .string) }
            if name == "LOG" || name == "POW" || name == "SQRT" || name == "LN" || name == "EXP" || name == "LOG10" {
                return udf(name.lowercased(), sqls, type)
            }
            return udf(name.lowercased(), sqls, type)
        }
        switch name {
        case "IF":
            try arity(3...3)
            return Typed("CASE WHEN \(sqls[0]) THEN \(sqls[1]) ELSE \(sqls[2]) END", supertype(args[1].type, args[2].type))
        case "IFNULL":
            try arity(2...2)
            return Typed("ifnull(\(sqls[0]), \(sqls[1]))", supertype(args[0].type, args[1].type))
        case "COALESCE":
            try arity(1...100)
            if args.count == 1 { return args[0] }
            return Typed("coalesce(\(sqls.joined(separator: ", ")))", args.map(\.type).reduce(nil, supertype))
        case "NULLIF":
            try arity(2...2)
            let (l, r) = (args[0], try coerce(args[1], to: args[0].type, at: at))
            return Typed("nullif(\(l.sql), \(r.sql))", args[0].type)
        case "ABS":
            try arity(1...1)
            return Typed("abs(\(sqls[0]))", args[0].type)
        case "ROUND", "TRUNC":
            try arity(1...2)
            let type: SQLType = args[0].type == .numeric ? .numeric : .float64
            return udf(name.lowercased(), sqls, type)
        case "GREATEST", "LEAST":
            try arity(1...100)
            if args.count == 1 { return args[0] }
            let coerced = try args.map { try coerce($0, to: args.compactMap(\.type).first(where: { $0.isTemporal }), at: at) }
            // SQLite's multi-argument max()/min() give NULL when any argument is NULL, as BigQuery does.
            return Typed("\(name == "GREATEST" ? "max" : "min")(\(coerced.map(\.sql).joined(separator: ", ")))", args.map(\.type).reduce(nil, supertype))
        case "CONCAT":
            try arity(1...100)
            return Typed("concat(\(sqls.joined(separator: ", ")))", args.first?.type == .bytes ? .bytes : .string)
        case "LENGTH":
            try arity(1...1)
            return Typed("length(\(sqls[0]))", .int64)
        case "TRIM", "LTRIM", "RTRIM":
            try arity(1...2)
            return Typed("\(name.lowercased())(\(sqls.joined(separator: ", ")))", args[0].type == .bytes ? .bytes : .string)
        case "REPLACE":
            try arity(3...3)
            return Typed("CASE WHEN \(sqls[1]) = '' THEN \(sqls[0]) ELSE replace(\(sqls.joined(separator: ", "))) END", .string)
        case "STRPOS":
            try arity(2...2)
            return Typed("instr(\(sqls[0]), \(sqls[1]))", .int64)
        case "ARRAY_LENGTH":
            try arity(1...1)
            return Typed("json_array_length(\(sqls[0]))", .int64)
        case "MD5":
            throw SQLError.unsupported("MD5 outside TO_HEX(MD5(…)) (BYTES results)", at)
        case "CURRENT_DATE", "CURRENT_DATETIME", "CURRENT_TIMESTAMP", "CURRENT_TIME":
            try arity(0...1)
            let kind = String(name.dropFirst("CURRENT_".count))
            if args.count == 1 {
                guard case .string(let zone) = call.arguments[0].kind, kind == "DATE" || kind == "DATETIME" || kind == "TIME" else {
                    throw SQLError.unsupported("\(name) with a time zone that is not a literal", at)
                }
                let local = "bq_to_zone(bq_current('TIMESTAMP'), \(quoteString(zone)))"
                switch kind {
                case "DATE": return Typed("date(\(local))", .date)
                case "TIME": return Typed("substr(\(local), 12)", .time)
                default: return Typed(local, .datetime)
                }
            }
            return Typed("bq_current('\(kind)')", SQLType(TypeName(kind)))
        case "DATE", "DATETIME", "TIMESTAMP", "TIME":
            try arity(1...6)
            if args.count == 2 && args[0].type != .int64 {
                if name == "DATETIME" && args[1].type == .time {
                    return udf("construct", [quoteString(name), quoteString("DATE+TIME")] + sqls, SQLType(TypeName(name)))
                }
                // A time zone argument (a literal: a tz database name or an offset).
                guard case .string(let zone) = call.arguments[1].kind else {
                    throw SQLError.unsupported("\(name)(…, time zone) with a zone that is not a literal", at)
                }
                if ["UTC", "Etc/UTC", "+00", "+00:00", "Z"].contains(zone) {
                    return udf("construct", [quoteString(name), quoteString(args[0].type?.description ?? "")] + [sqls[0]], SQLType(TypeName(name)))
                }
                if name == "TIMESTAMP" {
                    // A civil time (string, DATETIME or DATE) in `zone` → the UTC instant.
                    let civil = args[0].type == .date ? "(\(sqls[0]) || ' 00:00:00')" : sqls[0]
                    return udf("from_zone", [civil, quoteString(zone)], .timestamp)
                }
                let local = "bq_to_zone(\(sqls[0]), \(quoteString(zone)))"
                switch name {
                case "DATE": return Typed("date(\(local))", .date)
                case "TIME": return Typed("substr(\(local), 12)", .time)
                default: return Typed(local, .datetime)
                }
            }
            if name == "DATE", args.count == 1, !call.safe, let native = nativeDate(args[0]) { return native }
            let from = args.count > 1 ? "PARTS" : (args[0].type?.description ?? "")
            return udf("construct", [quoteString(name), quoteString(from)] + sqls, SQLType(TypeName(name)))
        case "DATE_ADD", "DATE_SUB", "DATETIME_ADD", "DATETIME_SUB", "TIMESTAMP_ADD", "TIMESTAMP_SUB", "TIME_ADD", "TIME_SUB":
            guard call.arguments.count == 2, case .interval(let amount, let unit) = call.arguments[1].kind else {
                throw SQLError(.semantic, construct: name, message: "\(name) takes a value and an INTERVAL", location: at)
            }
            let kind = String(name.prefix(while: { $0 != "_" }))
            let base = try coerce(args[0], to: SQLType(TypeName(kind)), at: at)
            let n = try expression(amount, scope: scope)
            let value = name.hasSuffix("_SUB") ? "bq_neg(\(n.sql))" : n.sql
            return udf("add_interval", [quoteString(kind), base.sql, value, quoteString(unit)], SQLType(TypeName(kind)))
        case "DATE_DIFF", "DATETIME_DIFF", "TIMESTAMP_DIFF", "TIME_DIFF":
            try arity(3...3)
            let kind = String(name.prefix(while: { $0 != "_" }))
            let type = SQLType(TypeName(kind))
            let a = try coerce(args[0], to: type, at: at)
            let b = try coerce(args[1], to: type, at: at)
            let unit = try part(call.arguments[2])
            if !call.safe, let native = nativeDateDiff(kind: kind, a, b, part: unit) { return native }
            return udf("diff", [quoteString(kind), a.sql, b.sql, unit], .int64)
        case "DATE_TRUNC", "DATETIME_TRUNC", "TIMESTAMP_TRUNC", "TIME_TRUNC":
            try arity(2...3)
            if args.count == 3 { throw SQLError.unsupported("\(name) with a time zone", at) }
            let kind = String(name.prefix(while: { $0 != "_" }))
            let type = SQLType(TypeName(kind))
            let value = try coerce(args[0], to: type, at: at)
            let unit = try part(call.arguments[1])
            if kind == "DATE", !call.safe, let native = nativeDateTrunc(value, part: unit) { return native }
            return udf("trunc_time", [quoteString(temporalKind(value.type) ?? kind), value.sql, unit], value.type ?? type)
        case "LAST_DAY":
            try arity(1...2)
            let value = try coerce(args[0], to: .date, at: at)
            let unit = args.count > 1 ? try part(call.arguments[1]) : "'MONTH'"
            return udf("last_day", [quoteString(temporalKind(value.type) ?? "DATE"), value.sql, unit], .date)
        case "FORMAT_DATE", "FORMAT_DATETIME", "FORMAT_TIMESTAMP", "FORMAT_TIME":
            try arity(2...3)
            let kind = String(name.dropFirst("FORMAT_".count))
            var value = try coerce(args[1], to: SQLType(TypeName(kind)), at: at)
            if args.count == 3 {
                guard case .string(let zone) = call.arguments[2].kind, kind == "TIMESTAMP" else {
                    throw SQLError.unsupported("\(name) with a time zone that is not a literal", at)
                }
                if !["UTC", "Etc/UTC", "+00", "+00:00"].contains(zone) {
                    // Format the civil time in that zone; %Z/%z would name UTC, so they are refused.
                    if case .string(let pattern) = call.arguments[0].kind, pattern.contains("%Z") || pattern.contains("%z") || pattern.contains("%Ez") {
                        throw SQLError.unsupported("\(name) with %Z/%z and a time zone other than UTC", at)
                    }
                    value = Typed("bq_to_zone(\(value.sql), \(quoteString(zone)))", .datetime)
                    return udf("format_time", [quoteString("DATETIME"), sqls[0], value.sql], .string)
                }
            }
            if !call.safe, temporalKind(value.type) == kind, let native = nativeFormat(kind: kind, format: call.arguments[0], value) { return native }
            return udf("format_time", [quoteString(temporalKind(value.type) ?? kind), sqls[0], value.sql], .string)
        case "PARSE_DATE", "PARSE_DATETIME", "PARSE_TIMESTAMP", "PARSE_TIME":
            try arity(2...3)
            if args.count == 3 { throw SQLError.unsupported("\(name) with a time zone", at) }
            let kind = String(name.dropFirst("PARSE_".count))
            return udf("parse_time", [quoteString(kind), sqls[0], sqls[1]], SQLType(TypeName(kind)))
        case "GENERATE_DATE_ARRAY", "GENERATE_TIMESTAMP_ARRAY":
            let kind = name == "GENERATE_DATE_ARRAY" ? "DATE" : "TIMESTAMP"
            guard (2...3).contains(call.arguments.count) else {
                throw SQLError(.semantic, construct: name, message: "\(name) takes a start, an end and an optional INTERVAL", location: at)
            }
            var step = "1"
            var unit = "'DAY'"
            if call.arguments.count == 3 {
                guard case .interval(let amount, let u) = call.arguments[2].kind else {
                    throw SQLError(.semantic, construct: name, message: "the step of \(name) is an INTERVAL", location: at)
                }
                step = try expression(amount, scope: scope).sql
                unit = quoteString(u)
            } else if kind == "TIMESTAMP" {
                throw SQLError(.semantic, construct: name, message: "GENERATE_TIMESTAMP_ARRAY needs a step INTERVAL", location: at)
            }
            let type = SQLType(TypeName(kind))
            let start = try coerce(args[0], to: type, at: at)
            let end = try coerce(args[1], to: type, at: at)
            return udf("generate_time_array", [quoteString(kind), start.sql, end.sql, step, unit], .array(type))
        default:
            throw SQLError.unsupported("function \(name)", at, hint: "see `opsflow sql translate` for the supported functions")
        }
    }

    /// A date part argument as a quoted string: `DAY`, `WEEK(MONDAY)`, `ISOWEEK`.
    func part(_ argument: Expression) throws -> String {
        switch argument.kind {
        case .datePart(let part): return quoteString(part)
        case .column(let parts) where parts.count == 1:
            let upper = parts[0].uppercased()
            guard BigQueryFunctions.dateParts.contains(upper) else {
                throw SQLError(.semantic, construct: "date part", message: "\(parts[0]) is not a date part", location: argument.location)
            }
            return quoteString(upper)
        default:
            throw SQLError(.semantic, construct: "date part", message: "expected a date part (DAY, WEEK, MONTH, …)", location: argument.location)
        }
    }

    /// The argument that is a date part (`DAY`, `WEEK(MONDAY)`), by function.
    static let datePartPosition: [String: Int] = [
        "DATE_DIFF": 2, "DATETIME_DIFF": 2, "TIMESTAMP_DIFF": 2, "TIME_DIFF": 2,
        "DATE_TRUNC": 1, "DATETIME_TRUNC": 1, "TIMESTAMP_TRUNC": 1, "TIME_TRUNC": 1, "LAST_DAY": 1,
    ]

    func extract(part: String, _ value: Typed, at: SourceLocation) throws -> Typed {
        let base = part.hasPrefix("WEEK(") ? "WEEK" : part
        guard BigQueryFunctions.dateParts.contains(base) else {
            throw SQLError(.semantic, construct: "EXTRACT", message: "\(part) is not a date part", location: at)
        }
        let type: SQLType
        switch part {
        case "DATE": type = .date
        case "TIME": type = .time
        case "DATETIME": type = .datetime
        default: type = .int64
        }
        if let native = nativeExtract(part: part, value) { return native }
        return Typed("bq_extract(\(quoteString(part)), \(value.sql), \(quoteString(temporalKind(value.type) ?? "")))", type)
    }

    // MARK: - Aggregates and window functions

    /// An aggregate or window function over its arguments `args` (the shared
    /// ``SQLGenerator/function(_:scope:at:)`` has checked that a window function has OVER).
    func aggregate(_ call: Call, _ args: [Typed], scope: Scope, at: SourceLocation) throws -> Typed {
        let name = call.name
        if call.ignoreNulls == true && (name == "FIRST_VALUE" || name == "LAST_VALUE"), let over = call.over, args.count == 1 {
            // The first/last non-NULL value of the frame (a window function WarehouseSQLite registers).
            let function = name == "FIRST_VALUE" ? "bq_first_value_ignore_nulls" : "bq_last_value_ignore_nulls"
            return Typed("\(function)(\(args[0].sql)) OVER (" + (try window(over, scope: scope, at: at)) + ")", args[0].type)
        }
        if call.ignoreNulls == true && name != "ARRAY_AGG" {
            throw SQLError.unsupported("\(name) … IGNORE NULLS", at)
        }
        if (!call.orderBy.isEmpty || call.limit != nil) && name != "ARRAY_AGG" && name != "STRING_AGG" {
            throw SQLError(.semantic, construct: name, message: "ORDER BY and LIMIT inside \(name) are not allowed", location: at)
        }
        if call.distinct && call.over != nil && name != "STRING_AGG" && name != "ARRAY_AGG" {
            // SQLite has no DISTINCT in window aggregates.
            throw SQLError.unsupported("\(name)(DISTINCT …) OVER (…)", at)
        }
        let distinct = call.distinct ? "DISTINCT " : ""
        var sql: String
        var type: SQLType?
        switch name {
        case "COUNT":
            try aggregateArity(call, args, 1...1, at: at)
            sql = call.star ? "count(*)" : "count(\(distinct)\(args[0].sql))"
            type = .int64
        case "COUNTIF":
            try aggregateArity(call, args, 1...1, at: at)
            sql = call.distinct ? "count(DISTINCT CASE WHEN \(args[0].sql) THEN 1 END)" : "count(CASE WHEN \(args[0].sql) THEN 1 END)"
            type = .int64
        case "SUM":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "sum(\(distinct)\(args[0].sql))"
            type = args[0].type == .int64 ? .int64 : (args[0].type == .numeric ? .numeric : (args[0].type == nil ? nil : .float64))
        case "AVG":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "avg(\(distinct)\(args[0].sql))"
            type = args[0].type == .numeric ? .numeric : .float64
        case "MIN", "MAX", "ANY_VALUE":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "\(name == "MAX" ? "max" : "min")(\(distinct)\(args[0].sql))"
            type = args[0].type
        case "LOGICAL_AND", "LOGICAL_OR":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "\(name == "LOGICAL_AND" ? "min" : "max")(\(args[0].sql))"
            type = .bool
        case "APPROX_COUNT_DISTINCT":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "count(DISTINCT \(args[0].sql))"
            type = .int64
        case "BIT_AND", "BIT_OR", "BIT_XOR":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "bq_\(name.lowercased())(\(distinct)\(args[0].sql))"
            type = .int64
        case "STDDEV_SAMP", "STDDEV_POP", "VAR_SAMP", "VAR_POP":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "bq_\(name.lowercased())(\(distinct)\(args[0].sql))"
            type = .float64
        case "STRING_AGG", "ARRAY_AGG":
            try aggregateArity(call, args, name == "STRING_AGG" ? 1...2 : 1...1, at: at)
            var values = [name == "ARRAY_AGG" ? jsonValue(args[0]) : args[0].sql]
            if name == "STRING_AGG" {
                values.append(args.count > 1 ? args[1].sql : "','")
            } else {
                var flags = call.ignoreNulls == true ? 1 : 0
                switch args[0].type {
                case .bool, .array, .structure, .json: flags += 2
                default: break
                }
                values.append(String(flags))
            }
            values.append(call.distinct ? "1" : "0")
            values.append(try call.limit.map { try integerConstant($0, what: "LIMIT") } ?? "NULL")
            for item in call.orderBy {
                values.append(try expression(item.expression, scope: scope).sql)
                // Direction code: 0 ascending, 1 descending; +2 when NULLs go last.
                let nullsLast = item.nullsFirst.map { !$0 } ?? item.descending
                values.append(String((item.descending ? 1 : 0) + (nullsLast ? 2 : 0)))
            }
            sql = "bq_\(name.lowercased())(\(values.joined(separator: ", ")))"
            type = name == "STRING_AGG" ? (args[0].type == .bytes ? .bytes : .string) : .array(args[0].type)
        case "ROW_NUMBER", "RANK", "DENSE_RANK", "CUME_DIST", "PERCENT_RANK":
            try aggregateArity(call, args, 0...0, at: at)
            sql = "\(name.lowercased())()"
            type = name == "CUME_DIST" || name == "PERCENT_RANK" ? .float64 : .int64
        case "NTILE":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "ntile(\(args[0].sql))"
            type = .int64
        case "LAG", "LEAD":
            try aggregateArity(call, args, 1...3, at: at)
            var values = args.map(\.sql)
            if args.count == 3 { values[2] = try coerce(args[2], to: args[0].type, at: at).sql }
            sql = "\(name.lowercased())(\(values.joined(separator: ", ")))"
            type = args[0].type
        case "FIRST_VALUE", "LAST_VALUE":
            try aggregateArity(call, args, 1...1, at: at)
            sql = "\(name.lowercased())(\(args[0].sql))"
            type = args[0].type
        case "NTH_VALUE":
            try aggregateArity(call, args, 2...2, at: at)
            sql = "nth_value(\(args[0].sql), \(args[1].sql))"
            type = args[0].type
        default:
            throw SQLError.unsupported("function \(name)", at)
        }
        if let over = call.over {
            sql += " OVER (" + (try window(over, scope: scope, at: at)) + ")"
        }
        return Typed(sql, type)
    }
}
