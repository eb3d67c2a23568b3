// Operators, literals, names and coercions for PostgreSQL
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules,
// https://www.postgresql.org/docs/15/functions.html).

extension PostgresGenerator {
    /// The node kinds PostgreSQL writes its own way (the shared ``SQLGenerator/expression(_:scope:)``
    /// hands over these; it writes every other kind itself).
    func dialectExpression(_ expression: Expression, scope: Scope) throws -> Typed {
        let at = expression.location
        switch expression.kind {
        case .integer(let text):
            guard let value = BigQueryFunctions.integerValue(text) else {
                throw SQLError(.semantic, construct: "integer literal", message: "invalid integer literal: \(text)", location: at)
            }
            return Typed(Self.bigint(value), .int64)
        case .float(let text):
            var sql = text
            if sql.hasPrefix(".") { sql = "0" + sql }
            if sql.hasPrefix("-.") { sql = "-0" + sql.dropFirst() }
            if sql.hasSuffix(".") { sql += "0" }
            // A bare 1.5 is `numeric` in PostgreSQL, FLOAT64 in BigQuery.
            return Typed("\(sql.hasPrefix("-") ? "(\(sql))" : sql)::double precision", .float64)
        case .bytes(let text):
            let digits = Array("0123456789abcdef")
            let hex = text.utf8.map { String(digits[Int($0 >> 4)]) + String(digits[Int($0 & 15)]) }.joined()
            return Typed("'\\x\(hex)'::bytea", .bytes)
        case .unary(let op, let operand):
            let value = try self.expression(operand, scope: scope)
            switch op {
            case "NOT": return Typed("(NOT \(value.sql))", .bool)
            // bigint negation overflows with an error, as in BigQuery.
            case "-": return Typed("(-\(value.sql))", value.type)
            default: return Typed("(~\(value.sql))", value.type)
            }
        case .isDistinct(let left, let right, let negated):
            let (l, r) = try coercedPair(left, right, scope: scope)
            return Typed("(\(l.sql) IS \(negated ? "NOT " : "")DISTINCT FROM \(r.sql))", .bool)
        case .between(let operand, let low, let high, let negated):
            let value = try self.expression(operand, scope: scope)
            let lo = try coerce(try self.expression(low, scope: scope), to: value.type, at: low.location)
            let hi = try coerce(try self.expression(high, scope: scope), to: value.type, at: high.location)
            let v = try coerce(value, to: lo.type ?? hi.type, at: operand.location)
            let collate = [v.type, lo.type, hi.type].contains(.string) ? " COLLATE \"C\"" : ""
            return Typed("(\(v.sql)\(collate) \(negated ? "NOT " : "")BETWEEN \(lo.sql) AND \(hi.sql))", .bool)
        case .inUnnest(let operand, let array, let negated):
            let list = try self.expression(array, scope: scope)
            var element: SQLType?
            if case .array(let inner) = list.type { element = inner }
            let value = try coerce(try self.expression(operand, scope: scope), to: element, at: operand.location)
            // `= ANY` has IN's NULL rules: NULL when not found and the array holds a NULL.
            let test = "(\(value.sql) = ANY(\(list.sql)))"
            return Typed(negated ? "(NOT \(test))" : test, .bool)
        case .like(let operand, let pattern, let negated):
            // LIKE is case-sensitive with `\` as the escape character in both.
            let value = try self.expression(operand, scope: scope)
            let p = try self.expression(pattern, scope: scope)
            return Typed("(\(value.sql) \(negated ? "NOT " : "")LIKE \(p.sql))", .bool)
        case .arrayQuery(let query):
            let generated = try self.query(query, parent: scope)
            guard generated.columns.count == 1, let column = generated.columns.first else {
                throw SQLError(.semantic, construct: "ARRAY(subquery)", message: "ARRAY(subquery) needs a query with one column", location: at)
            }
            if let type = column.type { _ = try postgresType(.array(type), at: at) }
            return Typed("ARRAY(SELECT \"_a\".\(quoteIdentifier(column.name)) FROM (\n\(generated.sql)\n) AS \"_a\")", .array(column.type))
        case .extract(let part, let operand, let timeZone):
            var value = try self.expression(operand, scope: scope)
            if let timeZone {
                guard case .string(let zone) = timeZone.kind, value.type == .timestamp else {
                    throw refuse("EXTRACT … AT TIME ZONE with a zone that is not a literal", at)
                }
                value = Typed("(\(value.sql) AT TIME ZONE \(quoteString(zone)))", .datetime)
            }
            return try extract(part: part, value, at: at)
        case .element(let base, let index, let mode):
            let array = try self.expression(base, scope: scope)
            let position = try self.expression(index, scope: scope)
            guard case .array(let element) = array.type ?? .array(nil) else {
                throw SQLError(.semantic, construct: "array subscript", message: "only arrays can be subscripted", location: at)
            }
            // PostgreSQL arrays are 1-based and give NULL out of range; BigQuery's OFFSET and
            // ORDINAL are errors out of range, SAFE_OFFSET and SAFE_ORDINAL NULL.
            let zeroBased = mode == "OFFSET" || mode == "SAFE_OFFSET" || mode == ""
            let slot = zeroBased ? "(\(position.sql) + 1)" : position.sql
            let value = "(\(array.sql))[\(slot)]"
            if mode.hasPrefix("SAFE_") { return Typed(value, element) }
            let low = zeroBased ? "0" : "1"
            let high = zeroBased ? "cardinality(\(array.sql))" : "cardinality(\(array.sql)) + 1"
            let fail = try raise("'Array index ' || \(position.sql) || ' is out of bounds'", type: element, at: at)
            return Typed("CASE WHEN \(position.sql) >= \(low) AND \(position.sql) < \(high) THEN \(value) WHEN \(position.sql) IS NOT NULL AND \(array.sql) IS NOT NULL THEN \(fail) END", element)
        default:
            // Not reached: the shared core writes the other kinds.
            throw unsupported("expression", at)
        }
    }

    /// Refuses an operation whose translation depends on an operand's type when that type is
    /// unknown (a column of a relation the catalog does not describe): never a guessed type.
    func requireKnownTypes(_ values: [Typed], _ construct: String, at: SourceLocation) throws {
        if values.contains(where: { $0.type == nil && $0.sql != "NULL" }) {
            throw refuse("\(construct) of a value of unknown type", at, hint: "give the translator the columns of the relations it reads (SQLCatalog), or CAST the value")
        }
    }

    /// A branch of IF/CASE/COALESCE in the type of the whole: an `ERROR()` (which has no type
    /// of its own and would be `text` to PostgreSQL) is cast to it.
    func adapt(_ value: Typed, to type: SQLType?, at: SourceLocation) throws -> String {
        guard value.type == nil, value.sql.hasPrefix(Self.errorMarker), let type else { return value.sql }
        return "(\(value.sql))::\(try postgresType(type, at: at))"
    }

    static let errorMarker = "(CASE WHEN (('BigQuery error: '"

    /// An INT64 literal: `bigint`, not PostgreSQL's `integer` for small numbers, which would
    /// overflow at 2³¹ where BigQuery does not.
    static func bigint(_ value: Int64) -> String {
        value < 0 ? "(\(value))::bigint" : "\(value)::bigint"
    }

    /// A value of `type` that raises an error with `message` (SQL text) when evaluated:
    /// BigQuery's `ERROR()` and the errors PostgreSQL would not raise itself. The message is cast
    /// to `bigint`, which fails. PostgreSQL folds constant expressions while planning, even in a
    /// CASE branch no row takes, so the cast must not be constant: `current_setting` (a stable
    /// function) keeps the executor's folding away, and the message must name the value being
    /// checked (a column) because the planner's estimates fold stable functions too.
    /// `volatile`: for a message that may be constant (`ERROR('…')`), `random()` keeps every fold away.
    func raise(_ message: String, type: SQLType?, at: SourceLocation, volatile: Bool = false) throws -> String {
        let guardText = volatile ? "left(random()::text, 0)" : "left(current_setting('server_version'), 0)"
        let value = "CASE WHEN (('BigQuery error: ' || \(message)) || \(guardText))::bigint IS NULL THEN NULL END"
        guard let type else { return "(\(value))" }
        return "(\(value))::\(try postgresType(type, at: at))"
    }

    /// Literals carry their PostgreSQL type (an untyped '…' would be read as the context needs).
    func spellLiteral(_ type: SQLType, _ text: String) -> String {
        switch type {
        case .date: return "DATE \(quoteString(text))"
        case .datetime: return "TIMESTAMP \(quoteString(text))"
        case .timestamp: return "TIMESTAMPTZ \(quoteString(text + "+00"))"
        case .time: return "TIME \(quoteString(text))"
        default: return "\(quoteString(text))::jsonb"
        }
    }

    /// NUMERIC is PostgreSQL's exact `numeric` (no NaN or infinity, which BigQuery's lacks).
    func numericLiteral(_ text: String) -> String? {
        guard Double(text) != nil, !text.lowercased().contains("n"), !text.lowercased().contains("i") else { return nil }
        return "\(quoteString(text))::numeric"
    }

    /// A CASE branch in the type of the whole (see ``adapt(_:to:at:)``).
    func branchResult(_ value: Typed, as type: SQLType?, at: SourceLocation) throws -> String {
        try adapt(value, to: type, at: at)
    }

    /// `ARRAY[…]::T[]`; with no known element type (`[]`, all NULLs) PostgreSQL reads the untyped
    /// literal as the array type the context needs.
    func arrayLiteral(_ items: [Typed], element: SQLType?, at: SourceLocation) throws -> String {
        guard let element else {
            return items.isEmpty ? "'{}'" : "ARRAY[\(items.map(\.sql).joined(separator: ", "))]"
        }
        let type = try postgresType(.array(element), at: at)
        return "ARRAY[\(items.map(\.sql).joined(separator: ", "))]::\(type)"
    }

    /// A STRUCT is a jsonb object: field names must differ and values must read back from JSON.
    func checkStructLiteralField(_ name: String, _ value: Typed, names: [String], at: SourceLocation, fieldAt: SourceLocation) throws {
        guard !names.contains(where: { $0.lowercased() == name.lowercased() }) else { throw refuse("STRUCT with two fields named \(name)", at) }
        try checkStructField(value.type, at: fieldAt)
    }

    func structObject(_ fields: [(name: String, value: Typed)]) -> String {
        "jsonb_build_object(" + fields.map { "\(quoteString($0.name)), \($0.value.sql)" }.joined(separator: ", ") + ")"
    }

    // MARK: - Names

    /// A select alias named in ORDER BY: the output column as it was named (PostgreSQL's quoted
    /// names are case-sensitive).
    func outputAlias(_ alias: Typed, named name: String) -> Typed { alias }

    /// `t.col` takes the spelling of the column's definition (quoted names are case-sensitive).
    func columnSpelling(_ name: String, column: SQLColumn) -> String { column.name }

    /// A name no relation is known to have: PostgreSQL resolves it (a STRUCT field cannot be read).
    func unresolvedColumn(_ parts: [String], at: SourceLocation) throws -> Typed {
        if parts.count > 1 { throw refuse("STRUCT field access", at, hint: "STRUCT values are not translated to PostgreSQL") }
        return Typed(quoteIdentifier(parts[0]), nil)
    }

    // MARK: - Operators

    func binary(_ op: String, _ left: Expression, _ right: Expression, scope: Scope, at: SourceLocation) throws -> Typed {
        switch op {
        case "AND", "OR":
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            return Typed("(\(l.sql) \(op) \(r.sql))", .bool)
        case "=", "!=", "<", "<=", ">", ">=":
            let (l, r) = try coercedPair(left, right, scope: scope)
            // BigQuery orders strings by code point: the "C" collation, whatever the database's.
            let collate = (l.type == .string || r.type == .string) && op != "=" && op != "!=" ? " COLLATE \"C\"" : ""
            return Typed("(\(l.sql)\(collate) \(op == "!=" ? "<>" : op) \(r.sql))", .bool)
        case "+", "-":
            if case .interval(let amount, let unit) = right.kind {
                let base = try expression(left, scope: scope)
                return try addInterval(base, amount: amount, unit: unit, subtract: op == "-", scope: scope, at: at, keepDate: false)
            }
            if op == "+", case .interval(let amount, let unit) = left.kind {
                let base = try expression(right, scope: scope)
                return try addInterval(base, amount: amount, unit: unit, subtract: false, scope: scope, at: at, keepDate: false)
            }
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            if l.type == .date && r.type == .int64 {
                return Typed(try inRange("(\(l.sql) \(op) (\(r.sql))::integer)", .date, at: at), .date)
            }
            if op == "+", l.type == .int64, r.type == .date {
                return Typed(try inRange("(\(r.sql) + (\(l.sql))::integer)", .date, at: at), .date)
            }
            // DATE - DATE and TIMESTAMP - TIMESTAMP give an INTERVAL in BigQuery: not translated.
            if l.type?.isTemporal == true || r.type?.isTemporal == true {
                throw refuse("\(l.type?.description ?? "?") \(op) \(r.type?.description ?? "?")", at, hint: "use DATE_DIFF/TIMESTAMP_DIFF or DATE_ADD")
            }
            return arithmetic(op, l, r)
        case "*":
            return arithmetic(op, try expression(left, scope: scope), try expression(right, scope: scope))
        case "/":
            // `/` is FLOAT64 division (NUMERIC when an operand is NUMERIC and none is FLOAT64),
            // an error on zero as PostgreSQL's:
            // https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            try requireKnownTypes([l, r], "/", at: at)
            let numeric = (l.type == .numeric || l.type == .bignumeric || r.type == .numeric || r.type == .bignumeric) && l.type != .float64 && r.type != .float64
            if numeric {
                let big = l.type == .bignumeric || r.type == .bignumeric
                return Typed(numericDivision(l.sql, r.sql, bignumeric: big), big ? .bignumeric : .numeric)
            }
            return Typed("((\(l.sql))::double precision / \(r.sql))", .float64)
        case "||":
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            if case .array = l.type { return Typed("(\(l.sql) || \(r.sql))", l.type) }
            // NULL when either side is NULL, in both.
            let type: SQLType = l.type == .bytes ? .bytes : .string
            return Typed("(\(textual(l, type)) || \(textual(r, type)))", type)
        case "&", "|", "^", "<<", ">>":
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            // `^` is XOR in BigQuery, `#` in PostgreSQL (`^` is power there).
            if op == "<<" || op == ">>" {
                guard l.type == .int64 || l.type == nil, r.type == .int64 || r.type == nil else { throw refuse("bit shift \(op) of BYTES", at) }
                // PostgreSQL shifts by the count modulo 64 and `>>` keeps the sign; BigQuery gives
                // 0 from 64 on, and its `>>` fills with zeros.
                let n = "(\(r.sql))::integer"
                let fail = try raise("'negative bit shift ' || \(r.sql)", type: .int64, at: at)
                let shifted = op == "<<" ? "(\(l.sql) << \(n))"
                    : "CASE WHEN \(r.sql) = 0 OR \(l.sql) >= 0 THEN \(l.sql) >> \(n) ELSE (\(l.sql) >> \(n)) & ~((-1)::bigint << (64 - \(n))) END"
                return Typed("CASE WHEN \(r.sql) < 0 THEN \(fail) WHEN \(r.sql) >= 64 THEN 0::bigint ELSE \(shifted) END", .int64)
            }
            return Typed("(\(l.sql) \(op == "^" ? "#" : op) \(r.sql))", l.type == .bytes ? .bytes : .int64)
        default:
            throw refuse("operator \(op)", at)
        }
    }

    /// An operand of string concatenation as `text` (an untyped literal would be `unknown`).
    func textual(_ value: Typed, _ type: SQLType) -> String {
        if value.type == nil || value.literal != nil { return "(\(value.sql))::\(type == .bytes ? "bytea" : "text")" }
        return value.sql
    }

    /// `+ - *` keeping BigQuery's types; bigint overflow is an error in both.
    func arithmetic(_ op: String, _ l: Typed, _ r: Typed) -> Typed {
        let type = arithmeticType(l.type, r.type)
        if op == "*", type == .numeric || type == .bignumeric {
            // NUMERIC keeps 9 decimals (BIGNUMERIC 38), rounded half away from zero.
            return Typed("round(\(l.sql) * \(r.sql), \(type == .numeric ? 9 : 38))", type)
        }
        return Typed("(\(l.sql) \(op) \(r.sql))", type)
    }

    /// NUMERIC (or BIGNUMERIC) division with BigQuery's scale: 9 (or 38) decimals, rounded half
    /// away from zero. The dividend gets one more decimal than kept so that PostgreSQL computes
    /// the quotient that far (it keeps about 16 significant digits otherwise).
    func numericDivision(_ l: String, _ r: String, bignumeric: Bool) -> String {
        let scale = bignumeric ? 38 : 9
        return "round(((\(l)) + 0.\(String(repeating: "0", count: scale + 1))) / \(r), \(scale))"
    }

    /// An INTERVAL of `n` (SQL) `unit`s.
    func interval(_ n: String, unit: String, at: SourceLocation) throws -> String {
        let word: String
        switch unit {
        case "MICROSECOND": word = "1 microsecond"
        case "MILLISECOND": word = "1 millisecond"
        case "SECOND": word = "1 second"
        case "MINUTE": word = "1 minute"
        case "HOUR": word = "1 hour"
        case "DAY": word = "1 day"
        case "WEEK": word = "7 days"
        case "MONTH": word = "1 month"
        case "QUARTER": word = "3 months"
        case "YEAR": word = "1 year"
        default: throw SQLError(.semantic, construct: "INTERVAL", message: "\(unit) is not an interval unit", location: at)
        }
        return "(\(n) * INTERVAL '\(word)')"
    }

    /// `x ± INTERVAL n unit` and `*_ADD`/`*_SUB`. Month arithmetic clamps to the month's last
    /// day in both (2024-01-31 + 1 MONTH = 2024-02-29). `keepDate`: DATE_ADD on a DATE gives a
    /// DATE; the `+` operator gives a DATETIME.
    func addInterval(_ base: Typed, amount: Expression, unit: String, subtract: Bool, scope: Scope, at: SourceLocation, keepDate: Bool) throws -> Typed {
        let result = try addIntervalUnchecked(base, amount: amount, unit: unit, subtract: subtract, scope: scope, at: at, keepDate: keepDate)
        return Typed(try inRange(result.sql, result.type, at: at), result.type)
    }

    /// `value` when within BigQuery's range of its type (years 1 to 9999), else an error
    /// (PostgreSQL's dates and timestamps go further).
    func inRange(_ value: String, _ type: SQLType?, at: SourceLocation) throws -> String {
        let bounds: (String, String)
        switch type {
        case .date: bounds = ("DATE '0001-01-01'", "DATE '9999-12-31'")
        case .datetime: bounds = ("TIMESTAMP '0001-01-01 00:00:00'", "TIMESTAMP '9999-12-31 23:59:59.999999'")
        case .timestamp: bounds = ("TIMESTAMPTZ '0001-01-01 00:00:00+00'", "TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'")
        default: return value
        }
        let fail = try raise("'\(type?.description ?? "") out of range: ' || (\(value))::text", type: type, at: at)
        return "CASE WHEN \(value) BETWEEN \(bounds.0) AND \(bounds.1) THEN \(value) WHEN \(value) IS NOT NULL THEN \(fail) END"
    }

    private func addIntervalUnchecked(_ base: Typed, amount: Expression, unit: String, subtract: Bool, scope: Scope, at: SourceLocation, keepDate: Bool) throws -> Typed {
        let n = try expression(amount, scope: scope)
        let sign = subtract ? "-" : "+"
        if base.type == .date && keepDate {
            switch unit {
            case "DAY": return Typed("(\(base.sql) \(sign) (\(n.sql))::integer)", .date)
            case "WEEK": return Typed("(\(base.sql) \(sign) 7 * (\(n.sql))::integer)", .date)
            case "MONTH", "QUARTER", "YEAR":
                return Typed("(\(base.sql) \(sign) \(try interval(n.sql, unit: unit, at: at)))::date", .date)
            default:
                throw SQLError(.semantic, construct: "DATE_ADD", message: "DATE_ADD does not take \(unit)", location: at)
            }
        }
        let type: SQLType = base.type == .timestamp ? .timestamp : (base.type == .time ? .time : .datetime)
        var value = base.sql
        if base.type == .date { value = "(\(value))::timestamp" }
        if base.type == nil { throw refuse("date arithmetic on a value of unknown type", at, hint: "CAST it to DATE, DATETIME or TIMESTAMP") }
        // TIMESTAMP arithmetic in days is in UTC, as BigQuery's (24 hours a day).
        if type == .timestamp, ["MONTH", "QUARTER", "YEAR", "WEEK"].contains(unit) {
            throw SQLError(.semantic, construct: "TIMESTAMP_ADD", message: "TIMESTAMP_ADD does not take \(unit)", location: at)
        }
        let delta = try interval(n.sql, unit: unit, at: at)
        return Typed("(\(value) \(sign) \(delta))", type)
    }

    /// A DATE compared with a TIMESTAMP is taken at midnight UTC.
    func dateAtMidnight(_ date: Typed, as other: SQLType?) -> Typed? {
        other == .timestamp ? Typed("((\(date.sql))::timestamp AT TIME ZONE 'UTC')", .timestamp) : nil
    }

    // MARK: - STRUCT

    /// A STRUCT field's type must be one whose JSON text reads back as the same value.
    func checkStructField(_ type: SQLType?, at: SourceLocation) throws {
        switch type {
        case .bytes, .array, .interval, .time, .json:
            throw refuse("STRUCT field of type \(type?.description ?? "")", at, hint: "STRUCT values are held as jsonb in PostgreSQL")
        default:
            break
        }
    }

    /// `s.a.b` on a STRUCT held as `jsonb`: a nested STRUCT stays `jsonb`, a scalar is read as
    /// text and cast back to its type.
    func structField(_ base: Typed, _ path: [String], at: SourceLocation) throws -> Typed {
        var sql = base.sql
        var type = base.type
        for name in path {
            guard case .structure(let names, let types) = type else {
                throw refuse("field access \(name) on a value that is not a known STRUCT", at, hint: "give the relation's columns to the translator")
            }
            guard let index = names.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                throw SQLError(.semantic, construct: "field", message: "field name \(name) does not exist in \(type?.description ?? "STRUCT")", location: at)
            }
            let fieldType = types[index]
            switch fieldType {
            case .structure:
                sql = "(\(sql) -> \(quoteString(names[index])))"
            case let scalar?:
                try checkStructField(scalar, at: at)
                sql = "(\(sql) ->> \(quoteString(names[index])))::\(try postgresType(scalar, at: at))"
            case nil:
                throw refuse("STRUCT field \(name) of unknown type", at)
            }
            type = fieldType
        }
        return Typed(sql, type)
    }
}
