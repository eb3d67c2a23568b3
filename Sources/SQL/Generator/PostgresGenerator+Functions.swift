// The function table for PostgreSQL: each BigQuery function as PostgreSQL 15 SQL with BigQuery's
// result (https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-all,
// https://www.postgresql.org/docs/15/functions.html). A function not here is refused.

extension PostgresGenerator {
    /// Math functions PostgreSQL has under the same name, always on `double precision`.
    static let floatFunctions: [String: (name: String, arity: Int)] = [
        "SQRT": ("sqrt", 1), "LN": ("ln", 1), "LOG10": ("log", 1), "EXP": ("exp", 1),
        "SIN": ("sin", 1), "COS": ("cos", 1), "TAN": ("tan", 1), "ASIN": ("asin", 1), "ACOS": ("acos", 1),
        "ATAN": ("atan", 1), "ATAN2": ("atan2", 2), "SINH": ("sinh", 1), "COSH": ("cosh", 1), "TANH": ("tanh", 1),
        "CBRT": ("cbrt", 1), "POW": ("power", 2),
    ]

    /// A scalar function (the shared ``SQLGenerator/function(_:scope:at:)`` has routed aggregates
    /// and refused aggregate-only clauses).
    func scalarFunction(_ call: Call, scope: Scope, at: SourceLocation) throws -> Typed {
        let name = call.name
        if call.safe, ["SQRT", "LN", "LOG10"].contains(name), call.arguments.count == 1 {
            // SAFE.: NULL instead of the domain error (the only error these functions raise).
            let x = "(\(try expression(call.arguments[0], scope: scope).sql))::double precision"
            let outside = name == "SQRT" ? "\(x) < 0" : "\(x) <= 0"
            let fn = name == "SQRT" ? "sqrt" : name == "LN" ? "ln" : "log"
            return Typed("CASE WHEN \(outside) THEN NULL ELSE \(fn)(\(x)) END", .float64)
        }
        if call.safe {
            // SAFE. turns errors into NULL; PostgreSQL 15 cannot catch an error inside a query.
            throw refuse("SAFE.\(name)", at, hint: "SAFE. prefixes are not translated to PostgreSQL")
        }
        // TO_HEX(MD5(x)): the hex digest PostgreSQL's md5() gives.
        if name == "TO_HEX", call.arguments.count == 1, case .call(let inner) = call.arguments[0].kind, inner.name == "MD5", inner.arguments.count == 1 {
            return Typed("md5(\(try expression(inner.arguments[0], scope: scope).sql))", .string)
        }
        if let dated = try dateFunction(call, scope: scope, at: at) { return dated }
        let args = try call.arguments.map { argument -> Typed in
            if case .interval = argument.kind { throw refuse("INTERVAL argument of \(name)", argument.location) }
            return try expression(argument, scope: scope)
        }
        func arity(_ range: ClosedRange<Int>) throws {
            guard range.contains(args.count) else {
                throw SQLError(.semantic, construct: "function \(name)", message: "\(name) takes \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)") arguments, not \(args.count)", location: at)
            }
        }
        var sqls = args.map(\.sql)
        if name.hasPrefix("REGEXP_"), args.count >= 2 {
            sqls[1] = try regexPattern(call.arguments[1], args[1], function: name)
        }
        func float(_ index: Int) -> String { "(\(sqls[index]))::double precision" }
        func int32(_ index: Int) -> String {
            // PostgreSQL's string and array functions take `integer`: clamp, as every larger count means "all".
            "least(greatest(\(sqls[index]), -2147483647), 2147483647)::integer"
        }
        func requireStrings() throws {
            for (index, arg) in args.enumerated() where arg.type != nil && arg.type != .string && arg.type != .bytes {
                throw SQLError(.semantic, construct: "function \(name)", message: "\(name) does not take \(arg.type?.description ?? "?") (argument \(index + 1))", location: at)
            }
        }
        if let entry = Self.floatFunctions[name] {
            try arity(entry.arity...entry.arity)
            // These give NUMERIC for NUMERIC in BigQuery (the trigonometric ones take FLOAT64 only).
            if ["SQRT", "LN", "LOG10", "EXP", "POW"].contains(name), args.contains(where: { $0.type == .numeric || $0.type == .bignumeric }) {
                throw refuse("\(name) of NUMERIC", at)
            }
            return Typed("\(entry.name)(\((0..<entry.arity).map(float).joined(separator: ", ")))", .float64)
        }
        switch name {
        case "IF":
            try arity(3...3)
            let type = supertype(args[1].type, args[2].type)
            return Typed("CASE WHEN \(sqls[0]) THEN \(try adapt(args[1], to: type, at: at)) ELSE \(try adapt(args[2], to: type, at: at)) END", type)
        case "IFNULL":
            try arity(2...2)
            return Typed("coalesce(\(sqls[0]), \(sqls[1]))", supertype(args[0].type, args[1].type))
        case "COALESCE":
            try arity(1...100)
            if args.count == 1 { return args[0] }
            return Typed("coalesce(\(sqls.joined(separator: ", ")))", args.map(\.type).reduce(nil, supertype))
        case "NULLIF":
            try arity(2...2)
            let r = try coerce(args[1], to: args[0].type, at: at)
            return Typed("nullif(\(sqls[0]), \(r.sql))", args[0].type)
        case "ERROR":
            try arity(1...1)
            // The message may be a constant: the error must still wait for the row that reaches it.
            return Typed(try raise("(\(sqls[0]))::text", type: nil, at: at, volatile: true), nil)
        case "ABS":
            try arity(1...1)
            return Typed("abs(\(sqls[0]))", args[0].type)
        case "SIGN":
            try arity(1...1)
            return Typed(args[0].type == .int64 ? "sign(\(sqls[0]))::bigint" : "sign(\(sqls[0]))", args[0].type)
        case "MOD":
            try arity(2...2)
            return Typed("mod(\(sqls[0]), \(sqls[1]))", supertype(args[0].type, args[1].type))
        case "DIV":
            try arity(2...2)
            guard args[0].type == .int64 && args[1].type == .int64 else { throw refuse("DIV of non-INT64 values", at) }
            // bigint / bigint truncates toward zero, as DIV does; zero is an error in both.
            return Typed("(\(sqls[0]) / \(sqls[1]))", .int64)
        case "SAFE_DIVIDE":
            try arity(2...2)
            try requireKnownTypes(args, name, at: at)
            let numeric = [args[0].type, args[1].type].contains(where: { $0 == .numeric || $0 == .bignumeric }) && !args.contains(where: { $0.type == .float64 })
            if numeric {
                let big = args.contains { $0.type == .bignumeric }
                return Typed(numericDivision(sqls[0], "nullif(\(sqls[1]), 0)", bignumeric: big), big ? .bignumeric : .numeric)
            }
            return Typed("(\(float(0)) / nullif(\(sqls[1]), 0))", .float64)
        case "IEEE_DIVIDE":
            try arity(2...2)
            return Typed("CASE WHEN \(sqls[1]) = 0 THEN CASE WHEN \(sqls[0]) > 0 THEN 'Infinity'::double precision WHEN \(sqls[0]) < 0 THEN '-Infinity'::double precision ELSE 'NaN'::double precision END ELSE \(float(0)) / \(sqls[1]) END", .float64)
        case "SAFE_ADD", "SAFE_SUBTRACT", "SAFE_MULTIPLY", "SAFE_NEGATE":
            try arity(name == "SAFE_NEGATE" ? 1...1 : 2...2)
            let op = name == "SAFE_ADD" ? "+" : name == "SAFE_SUBTRACT" ? "-" : "*"
            let type = args.map(\.type).reduce(nil, supertype)
            guard type == .int64 else {
                if type == .float64 { return Typed(name == "SAFE_NEGATE" ? "(-\(sqls[0]))" : "(\(sqls[0]) \(op) \(sqls[1]))", .float64) }
                throw refuse("\(name) of \(type?.description ?? "values of unknown type")", at)
            }
            // Computed exactly, NULL outside INT64's range.
            let exact = name == "SAFE_NEGATE" ? "(-(\(sqls[0]))::numeric)" : "((\(sqls[0]))::numeric \(op) \(sqls[1]))"
            return Typed("CASE WHEN \(exact) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN \(exact)::bigint END", .int64)
        case "LOG":
            try arity(1...2)
            if args.contains(where: { $0.type == .numeric || $0.type == .bignumeric }) { throw refuse("LOG of NUMERIC", at) }
            if args.count == 1 { return Typed("ln(\(float(0)))", .float64) }
            return Typed("(ln(\(float(0))) / ln(\(float(1))))", .float64)
        case "CEIL", "FLOOR":
            try arity(1...1)
            try requireKnownTypes(args, name, at: at)
            let fn = name.lowercased()
            if args[0].type == .numeric || args[0].type == .bignumeric { return Typed("\(fn)(\(sqls[0]))", args[0].type) }
            return Typed("\(fn)(\(float(0)))", .float64)
        case "ROUND", "TRUNC":
            try arity(1...2)
            try requireKnownTypes([args[0]], name, at: at)
            let digits = args.count > 1 ? ", \(int32(1))" : ""
            if args[0].type == .numeric || args[0].type == .bignumeric {
                return Typed("\(name.lowercased())(\(sqls[0])\(digits))", args[0].type)
            }
            if name == "TRUNC" && args.count == 1 { return Typed("trunc(\(float(0)))", .float64) }
            if name == "ROUND" && args.count == 1 {
                // Half away from zero (PostgreSQL's round(double precision) is half to even).
                let x = float(0)
                return Typed("(trunc(\(x)) + CASE WHEN abs(\(x) - trunc(\(x))) >= 0.5 THEN sign(\(x)) ELSE 0 END)", .float64)
            }
            // With digits: through numeric (half away from zero), NaN and ±inf kept.
            let x = float(0)
            return Typed("CASE WHEN \(x) IN ('NaN'::double precision, 'Infinity'::double precision, '-Infinity'::double precision) THEN \(x) ELSE \(name.lowercased())((\(x))::numeric\(digits))::double precision END", .float64)
        case "IS_INF":
            try arity(1...1)
            return Typed("(\(sqls[0]) IN ('Infinity'::double precision, '-Infinity'::double precision))", .bool)
        case "IS_NAN":
            try arity(1...1)
            return Typed("(\(sqls[0]) = 'NaN'::double precision)", .bool)
        case "RAND":
            try arity(0...0)
            return Typed("random()", .float64)
        case "GENERATE_UUID":
            try arity(0...0)
            return Typed("gen_random_uuid()::text", .string)
        case "GREATEST", "LEAST":
            try arity(1...100)
            if args.count == 1 { return args[0] }
            let temporal = args.compactMap(\.type).first(where: { $0.isTemporal })
            let coerced = try args.map { try coerce($0, to: temporal, at: at) }
            let type = args.map(\.type).reduce(nil, supertype)
            // BigQuery gives NULL when any argument is NULL; PostgreSQL's ignore NULLs.
            let anyNull = coerced.map { "\($0.sql) IS NULL" }.joined(separator: " OR ")
            let collate = type == .string ? " COLLATE \"C\"" : ""
            return Typed("CASE WHEN \(anyNull) THEN NULL ELSE \(name.lowercased())(\(coerced.map { $0.sql + collate }.joined(separator: ", "))) END", type)
        case "CONCAT":
            try arity(1...100)
            try requireStrings()
            // NULL when any argument is NULL (PostgreSQL's concat() skips NULLs; `||` does not).
            let type: SQLType = args.first?.type == .bytes ? .bytes : .string
            return Typed("(" + args.map { textual($0, type) }.joined(separator: " || ") + ")", type)
        case "LENGTH":
            try arity(1...1)
            return Typed(args[0].type == .bytes ? "octet_length(\(sqls[0]))::bigint" : "char_length(\(sqls[0]))::bigint", .int64)
        case "BYTE_LENGTH", "OCTET_LENGTH":
            try arity(1...1)
            return Typed(args[0].type == .bytes ? "octet_length(\(sqls[0]))::bigint" : "octet_length((\(sqls[0]))::text)::bigint", .int64)
        case "LOWER", "UPPER":
            try arity(1...1)
            guard args[0].type != .bytes else { throw refuse("\(name) of BYTES", at) }
            if name == "UPPER" {
                // BigQuery maps case fully (ß → SS, ﬁ → FI); PostgreSQL's upper() one character to one.
                var sql = "upper(\(sqls[0]))"
                for (from, to) in [("ß", "SS"), ("ﬀ", "FF"), ("ﬁ", "FI"), ("ﬂ", "FL"), ("ﬃ", "FFI"), ("ﬄ", "FFL"), ("ﬅ", "ST"), ("ﬆ", "ST")] {
                    sql = "replace(\(sql), '\(from)', '\(to)')"
                }
                return Typed(sql, .string)
            }
            return Typed("lower(\(sqls[0]))", .string)
        case "TRIM", "LTRIM", "RTRIM":
            try arity(1...2)
            guard args[0].type != .bytes else { throw refuse("\(name) of BYTES", at) }
            let fn = name == "TRIM" ? "btrim" : name.lowercased()
            if args.count == 2 { return Typed("\(fn)(\(sqls[0]), \(sqls[1]))", .string) }
            // Without characters BigQuery trims all whitespace, not only spaces.
            let pattern = name == "TRIM" ? "^[[:space:]]+|[[:space:]]+$" : name == "LTRIM" ? "^[[:space:]]+" : "[[:space:]]+$"
            return Typed("regexp_replace(\(sqls[0]), '\(pattern)', '', 'g')", .string)
        case "REPLACE":
            try arity(3...3)
            return Typed("replace(\(sqls.joined(separator: ", ")))", .string)
        case "SUBSTR":
            try arity(2...3)
            guard args[0].type != .bytes else { throw refuse("SUBSTR of BYTES", at) }
            // BigQuery: position 0 is 1, a negative position counts from the end (clamped to 1).
            let s = sqls[0], p = sqls[1]
            let length = args.count == 3 ? ", " + int32(2) : ""
            let start = "CASE WHEN \(p) > 0 THEN least(\(p), 2147483647) WHEN \(p) = 0 THEN 1 ELSE greatest(char_length(\(s)) + \(p) + 1, 1) END"
            if args.count == 3 {
                let fail = try raise("'SUBSTR length ' || \(sqls[2]) || ' is negative'", type: .string, at: at)
                return Typed("CASE WHEN \(sqls[2]) < 0 THEN \(fail) ELSE substr(\(s), (\(start))::integer\(length)) END", .string)
            }
            return Typed("substr(\(s), (\(start))::integer)", .string)
        case "INITCAP":
            try arity(1...2)
            guard args[0].type != .bytes else { throw refuse("INITCAP of BYTES", at) }
            // A character after a delimiter (or first) is upper-cased, every other lower-cased;
            // BigQuery's default delimiters, not PostgreSQL initcap()'s "any non-alphanumeric".
            let delimiters = args.count == 2 ? sqls[1] : quoteString(" \t\n\r\u{0B}\u{0C}[](){}/|\\<>!?@\"^#$&~_,.:;*%+-")
            let s = sqls[0]
            let characters = "(SELECT string_agg(CASE WHEN \"_i\" = 1 OR strpos(\(delimiters), substr(\(s), \"_i\" - 1, 1)) > 0 THEN upper(substr(\(s), \"_i\", 1)) ELSE lower(substr(\(s), \"_i\", 1)) END, '' ORDER BY \"_i\") FROM generate_series(1, char_length(\(s))) AS \"_i\")"
            return Typed("CASE WHEN \(s) IS NULL OR \(delimiters) IS NULL THEN NULL ELSE coalesce(\(characters), '') END", .string)
        case "TO_JSON_STRING":
            try arity(1...1)
            // JSON text PostgreSQL writes as BigQuery does: strings, integers, booleans, dates and their arrays.
            var element = args[0].type
            if case .array(let inner) = element { element = inner }
            guard let element, [.string, .int64, .bool, .date].contains(element) else {
                throw refuse("TO_JSON_STRING of \(args[0].type?.description ?? "a value of unknown type")", at)
            }
            let value = args[0].type == .string ? textual(args[0], .string) : sqls[0]
            return Typed("coalesce(to_json(\(value))::text, 'null')", .string)
        case "TRANSLATE":
            try arity(3...3)
            return Typed("translate(\(sqls.joined(separator: ", ")))", .string)
        case "INSTR":
            try arity(2...4)
            guard args[0].type != .bytes else { throw refuse("INSTR of BYTES", at) }
            // The n-th occurrence from a 1-based position, a negative position searching backwards
            // from the end; an occurrence may overlap the previous one (the search resumes one
            // character further, as Oracle's INSTR, which BigQuery's follows).
            let s = sqls[0], t = sqls[1]
            let position = args.count > 2 ? sqls[2] : "1"
            let occurrence = args.count > 3 ? sqls[3] : "1"
            let fail = try raise("'INSTR position ' || \(position) || ' or occurrence ' || \(occurrence) || ' is not allowed'", type: .int64, at: at)
            let empty = try raise("'INSTR of an empty search value is not translated: ' || \(s)", type: .int64, at: at)
            let forward = "\(position) > 0"
            let series = "generate_series(CASE WHEN \(forward) THEN \(position) ELSE char_length(\(s)) + \(position) + 1 END, CASE WHEN \(forward) THEN char_length(\(s)) ELSE 1 END, CASE WHEN \(forward) THEN 1 ELSE -1 END)"
            let found = "(SELECT \"_p\" FROM \(series) AS \"_p\" WHERE substr(\(s), (\"_p\")::integer, char_length(\(t))) = \(t) ORDER BY CASE WHEN \(forward) THEN \"_p\" ELSE -\"_p\" END OFFSET \(occurrence) - 1 LIMIT 1)"
            let anyNull = [s, t, position, occurrence].map { "\($0) IS NULL" }.joined(separator: " OR ")
            return Typed("CASE WHEN \(anyNull) THEN NULL WHEN \(position) = 0 OR \(occurrence) <= 0 THEN \(fail) WHEN \(t) = '' THEN \(empty) ELSE coalesce(\(found), 0)::bigint END", .int64)
        case "STRPOS":
            try arity(2...2)
            return Typed("strpos(\(sqls[0]), \(sqls[1]))::bigint", .int64)
        case "STARTS_WITH":
            try arity(2...2)
            return Typed("starts_with(\(textual(args[0], .string)), \(textual(args[1], .string)))", .bool)
        case "ENDS_WITH":
            try arity(2...2)
            return Typed("(right(\(sqls[0]), char_length(\(sqls[1]))) = \(sqls[1]))", .bool)
        case "LPAD", "RPAD":
            try arity(2...3)
            guard args[0].type != .bytes else { throw refuse("\(name) of BYTES", at) }
            let pad = args.count == 3 ? ", \(sqls[2])" : ""
            let fail = try raise("'\(name) length is negative: ' || \(sqls[1])", type: .string, at: at)
            return Typed("CASE WHEN \(sqls[1]) < 0 THEN \(fail) ELSE \(name.lowercased())(\(sqls[0]), \(int32(1))\(pad)) END", .string)
        case "REPEAT":
            try arity(2...2)
            let fail = try raise("'REPEAT count is negative: ' || \(sqls[1])", type: .string, at: at)
            return Typed("CASE WHEN \(sqls[1]) < 0 THEN \(fail) ELSE repeat(\(sqls[0]), \(int32(1))) END", .string)
        case "LEFT", "RIGHT":
            try arity(2...2)
            guard args[0].type != .bytes else { throw refuse("\(name) of BYTES", at) }
            let fail = try raise("'\(name) length is negative: ' || \(sqls[1])", type: .string, at: at)
            return Typed("CASE WHEN \(sqls[1]) < 0 THEN \(fail) ELSE \(name.lowercased())(\(sqls[0]), \(int32(1))) END", .string)
        case "REVERSE":
            try arity(1...1)
            guard args[0].type != .bytes else { throw refuse("REVERSE of BYTES", at) }
            return Typed("reverse(\(sqls[0]))", .string)
        case "ASCII":
            try arity(1...1)
            return Typed("ascii(\(sqls[0]))::bigint", .int64)
        case "CHR":
            try arity(1...1)
            return Typed("CASE WHEN \(sqls[0]) = 0 THEN '' ELSE chr((\(sqls[0]))::integer) END", .string)
        case "TO_HEX":
            try arity(1...1)
            return Typed("encode(\(sqls[0]), 'hex')", .string)
        case "MD5", "SHA256", "SHA512":
            try arity(1...1)
            let bytes = args[0].type == .bytes ? sqls[0] : "convert_to(\(sqls[0]), 'UTF8')"
            if name == "MD5" { return Typed("decode(md5(\(bytes)), 'hex')", .bytes) }
            return Typed("\(name.lowercased())(\(bytes))", .bytes)
        case "REGEXP_CONTAINS":
            try arity(2...2)
            return Typed("(\(sqls[0]) ~ \(sqls[1]))", .bool)
        case "REGEXP_EXTRACT":
            try arity(2...4)
            if case .string(let pattern) = call.arguments[1].kind, Self.captureGroups(pattern) > 1 {
                throw SQLError(.semantic, construct: "REGEXP_EXTRACT", message: "REGEXP_EXTRACT's pattern may have at most one capturing group", location: at)
            }
            // The first match, or its capture group: `substring(… from pattern)` does the same.
            if args.count == 2 { return Typed("substring(\(sqls[0]) from \(sqls[1]))", .string) }
            // From a 1-based position, the n-th match (matches do not overlap in either).
            let occurrence = args.count == 4 ? sqls[3] : "1"
            let fail = try raise("'REGEXP_EXTRACT position or occurrence is not positive: ' || \(sqls[2]) || ', ' || \(occurrence)", type: .string, at: at)
            return Typed("CASE WHEN \(sqls[2]) <= 0 OR \(occurrence) <= 0 THEN \(fail) ELSE (SELECT \"_m\".\"m\"[1] FROM regexp_matches(substr(\(sqls[0]), \(int32(2))), \(sqls[1]), 'g') WITH ORDINALITY AS \"_m\"(\"m\", \"n\") WHERE \"_m\".\"n\" = \(occurrence)) END", .string)
        case "REGEXP_INSTR":
            guard args.count <= 2 else { throw refuse("REGEXP_INSTR with a position or an occurrence", at) }
            try arity(2...2)
            guard case .string(let pattern) = call.arguments[1].kind else { throw refuse("REGEXP_INSTR with a pattern that is not a literal", at) }
            // The match's start, or its capture group's (PostgreSQL 15's regexp_instr, subexpression 1).
            let groups = Self.captureGroups(pattern)
            if groups > 1 { throw SQLError(.semantic, construct: "REGEXP_INSTR", message: "REGEXP_INSTR's pattern may have at most one capturing group", location: at) }
            return Typed("regexp_instr(\(sqls[0]), \(sqls[1]), 1, 1, 0, '', \(groups))::bigint", .int64)
        case "REGEXP_EXTRACT_ALL":
            try arity(2...2)
            return Typed("CASE WHEN \(sqls[0]) IS NULL OR \(sqls[1]) IS NULL THEN NULL ELSE ARRAY(SELECT \"_m\"[1] FROM regexp_matches(\(sqls[0]), \(sqls[1]), 'g') AS \"_m\") END", .array(.string))
        case "REGEXP_REPLACE":
            try arity(3...3)
            if case .string(let replacement) = call.arguments[2].kind, replacement.contains("\\0") {
                throw refuse("REGEXP_REPLACE with \\0 in the replacement", at)
            }
            return Typed("regexp_replace(\(sqls[0]), \(sqls[1]), \(sqls[2]), 'g')", .string)
        case "SPLIT":
            try arity(1...2)
            var delimiter = ","
            if args.count == 2 {
                guard case .string(let text) = call.arguments[1].kind else { throw refuse("SPLIT with a delimiter that is not a literal", at) }
                delimiter = text
            }
            guard args[0].type != .bytes else { throw refuse("SPLIT of BYTES", at) }
            // BigQuery: '' splits into one empty string; an empty delimiter into characters.
            let split = delimiter.isEmpty ? "regexp_split_to_array(\(sqls[0]), '')" : "string_to_array(\(sqls[0]), \(quoteString(delimiter)))"
            return Typed("CASE WHEN \(sqls[0]) = '' THEN ARRAY['']::text[] ELSE \(split) END", .array(.string))
        case "ARRAY_TO_STRING":
            try arity(2...3)
            return Typed("array_to_string(\(sqls.joined(separator: ", ")))", .string)
        case "ARRAY_LENGTH":
            try arity(1...1)
            if sqls[0] == "NULL" || sqls[0] == "'{}'" { return Typed(sqls[0] == "NULL" ? "NULL::bigint" : "0::bigint", .int64) }
            return Typed("cardinality(\(sqls[0]))::bigint", .int64)
        case "ARRAY_REVERSE":
            try arity(1...1)
            return Typed("CASE WHEN \(sqls[0]) IS NULL THEN NULL ELSE ARRAY(SELECT \"_r\".\"v\" FROM unnest(\(sqls[0])) WITH ORDINALITY AS \"_r\"(\"v\", \"o\") ORDER BY \"_r\".\"o\" DESC) END", args[0].type)
        case "ARRAY_CONCAT":
            try arity(1...100)
            let anyNull = sqls.map { "\($0) IS NULL" }.joined(separator: " OR ")
            return Typed("CASE WHEN \(anyNull) THEN NULL ELSE (\(sqls.joined(separator: " || "))) END", args.map(\.type).reduce(nil, supertype))
        case "GENERATE_ARRAY":
            try arity(2...3)
            guard args.allSatisfy({ $0.type == .int64 || $0.sql == "NULL" }) else {
                throw refuse("GENERATE_ARRAY of non-INT64 values", at, hint: "FLOAT64 steps accumulate differently")
            }
            let step = args.count == 3 ? sqls[2] : "1::bigint"
            let anyNull = (sqls + [step]).map { "\($0) IS NULL" }.joined(separator: " OR ")
            return Typed("CASE WHEN \(anyNull) THEN NULL ELSE ARRAY(SELECT generate_series(\(sqls[0]), \(sqls[1]), \(step))) END", .array(.int64))
        case "FORMAT":
            try arity(1...100)
            return try formatFunction(call, args, at: at)
        case "JSON_VALUE":
            try arity(1...2)
            var path = "$"
            if args.count == 2 {
                guard case .string(let text) = call.arguments[1].kind else { throw refuse("JSON_VALUE with a path that is not a literal", at) }
                path = text
            }
            guard let keys = Self.jsonPath(path) else {
                throw SQLError(.semantic, construct: "JSONPath", message: "invalid JSONPath \(path)", location: call.arguments.count > 1 ? call.arguments[1].location : at)
            }
            guard args[0].type == nil || args[0].type == .string || args[0].type == .json else {
                throw SQLError(.semantic, construct: "JSON_VALUE", message: "JSON_VALUE takes a STRING or JSON", location: at)
            }
            // A scalar as text; NULL for an object, an array, a JSON null or a missing member.
            let document = args[0].type == .json ? sqls[0] : "(\(sqls[0]))::jsonb"
            let pathSQL = "ARRAY[\(keys.map(quoteString).joined(separator: ", "))]::text[]"
            return Typed("CASE WHEN jsonb_typeof(\(document) #> \(pathSQL)) IN ('object', 'array') THEN NULL ELSE \(document) #>> \(pathSQL) END", .string)
        case "UNIX_DATE":
            try arity(1...1)
            return Typed("(\(sqls[0]) - DATE '1970-01-01')::bigint", .int64)
        case "DATE_FROM_UNIX_DATE":
            try arity(1...1)
            return Typed("(DATE '1970-01-01' + (\(sqls[0]))::integer)", .date)
        case "UNIX_SECONDS", "UNIX_MILLIS", "UNIX_MICROS":
            try arity(1...1)
            let scale = name == "UNIX_SECONDS" ? "" : name == "UNIX_MILLIS" ? " * 1000" : " * 1000000"
            return Typed("floor(extract(epoch FROM \(sqls[0]))\(scale))::bigint", .int64)
        case "TIMESTAMP_SECONDS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS":
            try arity(1...1)
            let unit = name == "TIMESTAMP_SECONDS" ? "1 second" : name == "TIMESTAMP_MILLIS" ? "1 millisecond" : "1 microsecond"
            return Typed("(TIMESTAMPTZ '1970-01-01 00:00:00+00' + \(sqls[0]) * INTERVAL '\(unit)')", .timestamp)
        default:
            throw refuse("function \(name)", at)
        }
    }

    /// How many capturing groups a regular expression has (`(` not followed by `?`, not escaped).
    static func captureGroups(_ pattern: String) -> Int {
        var count = 0
        var escaped = false
        var inClass = false
        let characters = Array(pattern)
        for (index, c) in characters.enumerated() {
            if escaped { escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass:
                if index + 1 < characters.count, characters[index + 1] == "?" { continue }
                count += 1
            default: break
            }
        }
        return count
    }
}

extension PostgresGenerator {
    /// A literal RE2 pattern (BigQuery's) as a PostgreSQL ARE pattern with the same meaning, or
    /// nil when it uses RE2 syntax ARE reads differently. The one rewrite: a literal `-` inside a
    /// bracket expression that is not a range (RE2 reads `[0-9-.]` as 0–9, `-` and `.`; ARE
    /// rejects it) moves to the end of the brackets.
    static func postgresPattern(_ pattern: String) -> String? {
        let characters = Array(pattern)
        // Named groups, \Q…\E, \z, \C and Unicode classes have no ARE spelling (or another meaning).
        for marker in ["(?P<", "\\Q", "\\z", "\\C", "\\p", "\\P", "(?U", "(?s"] where pattern.contains(marker) { return nil }
        var out = ""
        var index = 0
        while index < characters.count {
            let c = characters[index]
            if c == "\\" {
                out.append(c)
                if index + 1 < characters.count { out.append(characters[index + 1]) }
                index += 2
                continue
            }
            guard c == "[" else { out.append(c); index += 1; continue }
            // A bracket expression: atoms (a character, an escape or a [:class:]) and ranges.
            var cursor = index + 1
            var head = "["
            if cursor < characters.count, characters[cursor] == "^" { head += "^"; cursor += 1 }
            var atoms: [String] = []
            var first = true
            while cursor < characters.count, characters[cursor] != "]" || first {
                first = false
                let d = characters[cursor]
                if d == "\\", cursor + 1 < characters.count {
                    atoms.append(String(characters[cursor...cursor + 1])); cursor += 2
                } else if d == "[", cursor + 1 < characters.count, characters[cursor + 1] == ":",
                          let end = (cursor + 2..<characters.count).first(where: { characters[$0] == "]" && characters[$0 - 1] == ":" }) {
                    atoms.append(String(characters[cursor...end])); cursor = end + 1
                } else {
                    atoms.append(String(d)); cursor += 1
                }
            }
            guard cursor < characters.count else { return nil }
            var body = ""
            var hyphen = false
            var position = 0
            while position < atoms.count {
                let atom = atoms[position]
                if position + 2 < atoms.count, atoms[position + 1] == "-", atom != "-" {
                    body += atom + "-" + atoms[position + 2]
                    position += 3
                } else if atom == "-" {
                    hyphen = true
                    position += 1
                } else {
                    body += atom
                    position += 1
                }
            }
            out += head + body + (hyphen ? "-" : "") + "]"
            index = cursor + 1
        }
        return out
    }

    /// The pattern argument of a REGEXP_ function: a literal rewritten for ARE, refused when it
    /// cannot be; any other expression as it is (RE2 and ARE agree on common patterns).
    func regexPattern(_ argument: Expression, _ typed: Typed, function: String) throws -> String {
        guard case .string(let text) = argument.kind else { return typed.sql }
        guard let converted = Self.postgresPattern(text) else {
            throw refuse("\(function) pattern syntax PostgreSQL reads differently", argument.location)
        }
        return quoteString(converted)
    }

    /// The keys of a JSONPath (`$.a.b`, `$.a[1]`, `$['a.b']`, `$."a"`), nil when it is not one.
    static func jsonPath(_ path: String) -> [String]? {
        var characters = Array(path)[...]
        guard characters.popFirst() == "$" else { return nil }
        var keys: [String] = []
        while let c = characters.popFirst() {
            switch c {
            case ".":
                var key = ""
                if characters.first == "\"" {
                    characters.removeFirst()
                    while let d = characters.popFirst(), d != "\"" { key.append(d) }
                } else {
                    while let d = characters.first, d != ".", d != "[" { key.append(d); characters.removeFirst() }
                }
                guard !key.isEmpty else { return nil }
                keys.append(key)
            case "[":
                var key = ""
                if let quote = characters.first, quote == "'" || quote == "\"" {
                    characters.removeFirst()
                    while let d = characters.popFirst(), d != quote { key.append(d) }
                } else {
                    while let d = characters.first, d != "]" { key.append(d); characters.removeFirst() }
                    guard !key.isEmpty, key.allSatisfy(\.isNumber) else { return nil }
                }
                guard characters.popFirst() == "]" else { return nil }
                keys.append(key)
            default:
                return nil
            }
        }
        return keys
    }
}
