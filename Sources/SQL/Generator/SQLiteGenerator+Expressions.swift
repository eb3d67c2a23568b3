// Operators, literals, names and coercions
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules).

extension SQLiteGenerator {
    /// The node kinds SQLite writes its own way (the shared ``SQLGenerator/expression(_:scope:)``
    /// hands over these; it writes every other kind itself).
    func dialectExpression(_ expression: Expression, scope: Scope) throws -> Typed {
        let at = expression.location
        switch expression.kind {
        case .integer(let text):
            guard let value = BigQueryFunctions.integerValue(text) else {
                throw SQLError(.semantic, construct: "integer literal", message: "invalid integer literal: \(text)", location: at)
            }
            return Typed(String(value), .int64)
        case .float(let text):
            var sql = text
            if sql.hasPrefix(".") { sql = "0" + sql }
            if sql.hasPrefix("-.") { sql = "-0" + sql.dropFirst() }
            if sql.hasSuffix(".") { sql += "0" }
            return Typed(sql, .float64)
        case .bytes(let text):
            let hex = Array(text.utf8).map { byte -> String in
                let digits = "0123456789ABCDEF".map { $0 }
                return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
            }.joined()
            return Typed("X'\(hex)'", .bytes)
        case .unary(let op, let operand):
            let value = try self.expression(operand, scope: scope)
            switch op {
            case "NOT": return Typed("(NOT \(value.sql))", .bool)
            case "-":
                if value.type == .float64 || value.type == .numeric || value.type == .bignumeric { return Typed("(-\(value.sql))", value.type) }
                return Typed("bq_neg(\(value.sql))", value.type)
            default: return Typed("(~\(value.sql))", value.type)
            }
        case .isDistinct(let left, let right, let negated):
            let (l, r) = try coercedPair(left, right, scope: scope)
            return Typed("(\(l.sql) IS \(negated ? "" : "NOT ")\(r.sql))", .bool)
        case .between(let operand, let low, let high, let negated):
            let value = try self.expression(operand, scope: scope)
            let lo = try coerce(try self.expression(low, scope: scope), to: value.type, at: low.location)
            let hi = try coerce(try self.expression(high, scope: scope), to: value.type, at: high.location)
            let v = try coerce(value, to: lo.type ?? hi.type, at: operand.location)
            return Typed("(\(v.sql) \(negated ? "NOT " : "")BETWEEN \(lo.sql) AND \(hi.sql))", .bool)
        case .inUnnest(let operand, let array, let negated):
            let value = try self.expression(operand, scope: scope)
            let list = try self.expression(array, scope: scope)
            return Typed("(\(value.sql) \(negated ? "NOT " : "")IN (SELECT value FROM json_each(\(list.sql))))", .bool)
        case .like(let operand, let pattern, let negated):
            let value = try self.expression(operand, scope: scope)
            let not = negated ? "NOT " : ""
            if case .string(let text) = pattern.kind {
                // LIKE is case-sensitive in BigQuery and not in SQLite; GLOB is case-sensitive.
                return Typed("(\(not)\(value.sql) GLOB \(quoteString(Self.globPattern(like: text))))", .bool)
            }
            let p = try self.expression(pattern, scope: scope)
            return Typed("(\(not)bq_like(\(value.sql), \(p.sql)))", .bool)
        case .arrayQuery(let query):
            let generated = try self.query(query, parent: scope)
            guard generated.columns.count == 1, let column = generated.columns.first else {
                throw SQLError(.semantic, construct: "ARRAY(subquery)", message: "ARRAY(subquery) needs a query with one column (use SELECT AS STRUCT)", location: at)
            }
            let element = jsonValue(Typed("\"_a\".\(quoteIdentifier(column.name))", column.type))
            return Typed("(SELECT coalesce(json_group_array(\(element)), '[]') FROM (\n\(generated.sql)\n) AS \"_a\")", .array(column.type))
        case .extract(let part, let operand, let timeZone):
            var value = try self.expression(operand, scope: scope)
            if let timeZone {
                guard case .string(let zone) = timeZone.kind else { throw SQLError.unsupported("EXTRACT … AT TIME ZONE with a zone that is not a literal", at) }
                // The parts of the civil time in that zone.
                value = Typed("bq_to_zone(\(value.sql), \(quoteString(zone)))", .datetime)
            }
            return try extract(part: part, value, at: at)
        case .element(let base, let index, let mode):
            let array = try self.expression(base, scope: scope)
            let position = try self.expression(index, scope: scope)
            guard case .array(let element) = array.type ?? .array(nil) else {
                throw SQLError(.semantic, construct: "array subscript", message: "only arrays can be subscripted", location: at)
            }
            return Typed(fromJSON("bq_array_at(\(array.sql), \(position.sql), '\(mode)')", element), element)
        default:
            // Not reached: the shared core writes the other kinds.
            throw unsupported("expression", at)
        }
    }

    /// A LIKE pattern as a GLOB pattern: `%` → `*`, `_` → `?`, GLOB's own metacharacters
    /// bracketed; `\` escapes the next character, as in BigQuery.
    static func globPattern(like: String) -> String {
        var out = ""
        var escaped = false
        for character in like {
            if escaped {
                out += ["*", "?", "["].contains(character) ? "[\(character)]" : String(character)
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "%": out += "*"
            case "_": out += "?"
            case "*", "?", "[": out += "[\(character)]"
            default: out.append(character)
            }
        }
        if escaped { out += "\\" }
        return out
    }

    /// SQLite holds DATE, DATETIME, TIMESTAMP and TIME as their canonical text, JSON as its
    /// minified text.
    func spellLiteral(_ type: SQLType, _ text: String) -> String {
        type == .json ? "json(\(quoteString(text)))" : quoteString(text)
    }

    /// NUMERIC is a REAL in SQLite, written with a decimal point.
    func numericLiteral(_ text: String) -> String? {
        guard let number = Double(text) else { return nil }
        return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) + ".0" : String(number)
    }

    /// A CASE/IF branch as is: SQLite's values carry no declared type.
    func branchResult(_ value: Typed, as type: SQLType?, at: SourceLocation) throws -> String { value.sql }

    /// An ARRAY is JSON text in SQLite: `json_array(…)`, `'[]'` when empty.
    func arrayLiteral(_ items: [Typed], element: SQLType?, at: SourceLocation) throws -> String {
        items.isEmpty ? "'[]'" : "json_array(\(items.map(jsonValue).joined(separator: ", ")))"
    }

    func checkStructLiteralField(_ name: String, _ value: Typed, names: [String], at: SourceLocation, fieldAt: SourceLocation) throws {}

    /// A STRUCT is a JSON object in SQLite.
    func structObject(_ fields: [(name: String, value: Typed)]) -> String {
        "json_object(" + fields.map { "\(quoteString($0.name)), \(jsonValue($0.value))" }.joined(separator: ", ") + ")"
    }

    // MARK: - Names

    /// A select alias named in ORDER BY: the output column, under the name it was given there.
    func outputAlias(_ alias: Typed, named name: String) -> Typed {
        Typed(quoteIdentifier(name), alias.type)
    }

    /// `t.col` keeps the spelling of the reference (SQLite's names are case-insensitive).
    func columnSpelling(_ name: String, column: SQLColumn) -> String { name }

    /// A name no relation is known to have: SQLite resolves it.
    func unresolvedColumn(_ parts: [String], at: SourceLocation) throws -> Typed {
        let base = Typed(quoteIdentifier(parts[0]), nil)
        return parts.count > 1 ? try structField(base, Array(parts[1...]), at: at) : base
    }

    /// `s.a.b` on a STRUCT stored as JSON.
    func structField(_ base: Typed, _ path: [String], at: SourceLocation) throws -> Typed {
        var type: SQLType? = base.type
        for name in path {
            if case .structure(let names, let types) = type, let index = names.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
                type = types[index]
            } else {
                type = nil
            }
        }
        let jsonPath = "$" + path.map { "." + quoteIdentifier($0) }.joined()
        return Typed(fromJSON("json_extract(\(base.sql), \(quoteString(jsonPath)))", type), type)
    }

    /// A value read out of JSON (json_extract, json_each.value) in the storage of its type:
    /// arrays and structs stay JSON text, booleans are 0/1 already.
    func fromJSON(_ sql: String, _ type: SQLType?) -> String { sql }

    func fromJSONValue(_ sql: String, _ type: SQLType?) -> String { sql }

    /// A value as a JSON array element or struct field: booleans as JSON booleans, arrays and
    /// structs as nested JSON (not as strings).
    func jsonValue(_ typed: Typed) -> String {
        switch typed.type {
        case .bool: return "CASE WHEN \(typed.sql) IS NULL THEN NULL WHEN \(typed.sql) THEN json('true') ELSE json('false') END"
        case .array, .structure, .json: return "json(\(typed.sql))"
        default: return typed.sql
        }
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
            return Typed("(\(l.sql) \(op == "!=" ? "<>" : op) \(r.sql))", .bool)
        case "+", "-":
            // Date arithmetic with INTERVAL: DATE + INTERVAL n DAY.
            if case .interval(let amount, let unit) = right.kind {
                let base = try expression(left, scope: scope)
                return try addInterval(base, amount: amount, unit: unit, subtract: op == "-", scope: scope, at: at)
            }
            if op == "+", case .interval(let amount, let unit) = left.kind {
                let base = try expression(right, scope: scope)
                return try addInterval(base, amount: amount, unit: unit, subtract: false, scope: scope, at: at)
            }
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            if l.type == .date && r.type == .int64 {
                return Typed("bq_add_interval('DATE', \(l.sql), \(op == "-" ? "bq_neg(\(r.sql))" : r.sql), 'DAY')", .date)
            }
            if op == "+", l.type == .int64, r.type == .date {
                return Typed("bq_add_interval('DATE', \(r.sql), \(l.sql), 'DAY')", .date)
            }
            // DATE - DATE and TIMESTAMP - TIMESTAMP give an INTERVAL in BigQuery: not translated
            // (never a number computed from the text).
            if l.type?.isTemporal == true || r.type?.isTemporal == true {
                throw SQLError.unsupported("\(l.type?.description ?? "?") \(op) \(r.type?.description ?? "?") (use DATE_DIFF/TIMESTAMP_DIFF or DATE_ADD)", at)
            }
            return arithmetic(op, l, r)
        case "*":
            return arithmetic(op, try expression(left, scope: scope), try expression(right, scope: scope))
        case "/":
            // `/` is FLOAT64 division, an error on zero (SAFE_DIVIDE gives NULL):
            // https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#arithmetic_operators
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            let type: SQLType = (l.type == .numeric || r.type == .numeric) && l.type != .float64 && r.type != .float64 ? .numeric : .float64
            return Typed("bq_divide(\(l.sql), \(r.sql))", type)
        case "||":
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            if case .array = l.type { return Typed("bq_array_concat(\(l.sql), \(r.sql))", l.type) }
            return Typed("(\(l.sql) || \(r.sql))", l.type == .bytes ? .bytes : .string)
        case "&", "|", "^", "<<", ">>":
            let l = try expression(left, scope: scope)
            let r = try expression(right, scope: scope)
            if op == "^" { return Typed("((\(l.sql) | \(r.sql)) - (\(l.sql) & \(r.sql)))", .int64) }
            return Typed("(\(l.sql) \(op) \(r.sql))", .int64)
        default:
            throw SQLError.unsupported("operator \(op)", at)
        }
    }

    /// `+ - *` keeping BigQuery's types: INT64 with INT64 is checked for overflow (an error in
    /// BigQuery, a silent conversion to REAL in SQLite); FLOAT64 uses SQLite's operator.
    func arithmetic(_ op: String, _ l: Typed, _ r: Typed) -> Typed {
        let type = arithmeticType(l.type, r.type)
        if type == .float64 || type == .numeric || type == .bignumeric {
            return Typed("(\(l.sql) \(op) \(r.sql))", type)
        }
        let name = op == "+" ? "bq_add" : op == "-" ? "bq_subtract" : "bq_multiply"
        return Typed("\(name)(\(l.sql), \(r.sql))", type)
    }

    func addInterval(_ base: Typed, amount: Expression, unit: String, subtract: Bool, scope: Scope, at: SourceLocation) throws -> Typed {
        let n = try expression(amount, scope: scope)
        // DATE + INTERVAL is a DATETIME in BigQuery (interval arithmetic operators:
        // https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#interval_arithmetic_operators).
        var kind = temporalKind(base.type) ?? "DATETIME"
        if kind == "DATE" { kind = "DATETIME" }
        let value = subtract ? "bq_neg(\(n.sql))" : n.sql
        return Typed("bq_add_interval('\(kind)', \(base.sql), \(value), '\(unit)')", SQLType(TypeName(kind)))
    }

    func temporalKind(_ type: SQLType?) -> String? {
        switch type {
        case .date: return "DATE"
        case .datetime: return "DATETIME"
        case .timestamp: return "TIMESTAMP"
        case .time: return "TIME"
        default: return nil
        }
    }

    /// A DATE compared with a DATETIME/TIMESTAMP is taken at midnight (text comparison).
    func dateAtMidnight(_ date: Typed, as other: SQLType?) -> Typed? {
        other == .datetime || other == .timestamp ? Typed("(\(date.sql) || ' 00:00:00')", other) : nil
    }

    // MARK: - CAST

    /// `CAST`/`SAFE_CAST` (https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions):
    /// done by `bq_cast(value, from, to, safe)` so that BigQuery's rules hold (FLOAT64 → INT64
    /// rounds half away from zero, a bad string is an error, BOOL → STRING is `true`).
    func cast(_ value: Typed, to target: TypeName, safe: Bool, at: SourceLocation) throws -> Typed {
        guard let type = SQLType(target) else { throw SQLError.unsupported("CAST to \(target)", at) }
        if case .array = type { if case .array = value.type ?? .array(nil) { return Typed(value.sql, type) } }
        if case .structure = type { throw SQLError.unsupported("CAST to STRUCT", at) }
        if value.literal != nil, type.isTemporal {
            if safe, (try? coerce(value, to: type, at: at)) == nil { return Typed("NULL", type) }
            return try coerce(value, to: type, at: at)
        }
        if value.type == type { return Typed(value.sql, type) }
        if value.type == .int64 && type == .float64 { return Typed("CAST(\(value.sql) AS REAL)", type) }
        let from = value.type?.description ?? ""
        return Typed("bq_cast(\(value.sql), '\(from)', '\(type)', \(safe ? 1 : 0))", type)
    }
}
