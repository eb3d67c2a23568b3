// The expression kinds every dialect writes alike
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/subqueries).

extension SQLGenerator {
    /// A condition's SQL (WHERE, ON, HAVING, QUALIFY).
    func predicate(_ expression: Expression, scope: Scope) throws -> String {
        try self.expression(expression, scope: scope).sql
    }

    /// An expression's SQL and BigQuery type. The kinds a dialect writes its own way (literals
    /// whose storage differs, LIKE, IN UNNEST, arrays and structs, CASE…) go to
    /// ``SQLGenerator/dialectExpression(_:scope:)``.
    func expression(_ expression: Expression, scope: Scope) throws -> Typed {
        let at = expression.location
        switch expression.kind {
        case .null:
            return Typed("NULL", nil)
        case .bool(let value):
            return Typed(value ? "TRUE" : "FALSE", .bool)
        case .string(let text):
            return Typed(quoteString(text), .string, literal: text)
        case .typedLiteral(let type, let value):
            return try typedLiteral(type: type, value: value, at: at)
        case .interval:
            throw unsupported("INTERVAL outside DATE_ADD/DATE_SUB or date arithmetic", at)
        case .column(let parts):
            return try column(parts, scope: scope, at: at)
        case .parameter(let name):
            throw unsupported("query parameter @\(name)", at)
        case .binary(let op, let left, let right):
            return try binary(op, left, right, scope: scope, at: at)
        case .isNull(let operand, let negated):
            let value = try self.expression(operand, scope: scope)
            return Typed("(\(value.sql) IS \(negated ? "NOT " : "")NULL)", .bool)
        case .isBool(let operand, let value, let negated):
            let typed = try self.expression(operand, scope: scope)
            return Typed("(\(typed.sql) IS \(negated ? "NOT " : "")\(value ? "TRUE" : "FALSE"))", .bool)
        case .inList(let operand, let items, let negated):
            let value = try self.expression(operand, scope: scope)
            var list: [String] = []
            for item in items {
                list.append(try coerce(try self.expression(item, scope: scope), to: value.type, at: item.location).sql)
            }
            return Typed("(\(value.sql) \(negated ? "NOT " : "")IN (\(list.joined(separator: ", "))))", .bool)
        case .inQuery(let operand, let query, let negated):
            let value = try self.expression(operand, scope: scope)
            let generated = try self.query(query, parent: scope)
            return Typed("(\(value.sql) \(negated ? "NOT " : "")IN (\n\(generated.sql)\n))", .bool)
        case .exists(let query):
            let generated = try self.query(query, parent: scope)
            return Typed("(EXISTS (\n\(generated.sql)\n))", .bool)
        case .subquery(let query):
            let generated = try self.query(query, parent: scope)
            if generated.columns.count > 1 {
                throw SQLError(.semantic, construct: "scalar subquery", message: "a scalar subquery must return one column", location: at)
            }
            return Typed("(\n\(generated.sql)\n)", generated.columns.first?.type)
        case .caseWhen(let operand, let whens, let otherwise):
            // The type is the branches' supertype; each branch is written once it is known.
            var sql = "CASE"
            var type: SQLType?
            var subject: Typed?
            if let operand {
                let typed = try self.expression(operand, scope: scope)
                subject = typed
                sql += " " + typed.sql
            }
            var branches: [(condition: String, result: Typed)] = []
            for when in whens {
                var condition = try self.expression(when.condition, scope: scope)
                if let subject { condition = try coerce(condition, to: subject.type, at: when.condition.location) }
                let result = try self.expression(when.result, scope: scope)
                type = supertype(type, result.type)
                branches.append((condition.sql, result))
            }
            var elseResult: Typed?
            if let otherwise {
                let result = try self.expression(otherwise, scope: scope)
                type = supertype(type, result.type)
                elseResult = result
            }
            for branch in branches { sql += " WHEN \(branch.condition) THEN \(try branchResult(branch.result, as: type, at: at))" }
            if let elseResult { sql += " ELSE \(try branchResult(elseResult, as: type, at: at))" }
            return Typed(sql + " END", type)
        case .array(let items, let elementType):
            // The element type is the declared one, else the items' supertype.
            var element = elementType.flatMap(SQLType.init)
            var typedItems: [Typed] = []
            for item in items {
                var typed = try self.expression(item, scope: scope)
                if let element { typed = try coerce(typed, to: element, at: item.location) }
                element = supertype(element, typed.type)
                typedItems.append(typed)
            }
            return Typed(try arrayLiteral(typedItems, element: element, at: at), .array(element))
        case .structLiteral(let fields):
            // A field without a name takes its column's name, else `_field_N`.
            var names: [String] = []
            var types: [SQLType?] = []
            var values: [(name: String, value: Typed)] = []
            for (index, field) in fields.enumerated() {
                let typed = try self.expression(field.value, scope: scope)
                var name = field.name ?? ""
                if name.isEmpty, case .column(let path) = field.value.kind, let last = path.last { name = last }
                if name.isEmpty { name = "_field_\(index + 1)" }
                try checkStructLiteralField(name, typed, names: names, at: at, fieldAt: field.value.location)
                names.append(name)
                types.append(typed.type)
                values.append((name, typed))
            }
            return Typed(structObject(values), .structure(names, types))
        case .cast(let operand, let target, let safe):
            return try cast(try self.expression(operand, scope: scope), to: target, safe: safe, at: at)
        case .call(let call):
            return try function(call, scope: scope, at: at)
        case .field(let base, let name):
            return try structField(try self.expression(base, scope: scope), [name], at: at)
        case .datePart(let part):
            throw SQLError(.semantic, construct: "date part", message: "\(part) is a date part, not a value", location: at)
        case .tuple(let items):
            let parts = try items.map { try self.expression($0, scope: scope).sql }
            return Typed("(\(parts.joined(separator: ", ")))", nil)
        case .star:
            throw SQLError(.syntax, construct: "*", message: "* is only allowed in COUNT(*) and SELECT *", location: at)
        case .integer, .float, .bytes, .unary, .isDistinct, .between, .inUnnest, .like, .arrayQuery, .extract,
             .element:
            return try dialectExpression(expression, scope: scope)
        }
    }

    // MARK: - Literals and coercions

    /// `DATE '…'`, `DATETIME '…'`, `TIMESTAMP '…'`, `TIME '…'`, `NUMERIC '…'`, `JSON '…'`: the text
    /// checked and made canonical (https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#literals).
    func typedLiteral(type: String, value: String, at: SourceLocation) throws -> Typed {
        func invalid() -> SQLError {
            SQLError(.semantic, construct: "\(type) literal", message: "invalid \(type) literal '\(value)'", location: at)
        }
        switch type {
        case "DATE":
            guard let days = CivilTime.parseDate(value) else { throw invalid() }
            return Typed(spellLiteral(.date, CivilTime.formatDate(days)), .date)
        case "DATETIME":
            guard let micros = CivilTime.parseDateTime(value) else { throw invalid() }
            return Typed(spellLiteral(.datetime, CivilTime.formatDateTime(micros)), .datetime)
        case "TIMESTAMP":
            guard let micros = CivilTime.parseTimestamp(value), CivilTime.inRange(micros: micros) else { throw invalid() }
            return Typed(spellLiteral(.timestamp, CivilTime.formatDateTime(micros)), .timestamp)
        case "TIME":
            guard let micros = CivilTime.parseTime(value) else { throw invalid() }
            return Typed(spellLiteral(.time, CivilTime.formatTime(micros)), .time)
        case "NUMERIC", "BIGNUMERIC":
            let trimmed = value.filter { $0 != " " }
            guard let sql = numericLiteral(trimmed) else { throw invalid() }
            return Typed(sql, type == "NUMERIC" ? .numeric : .bignumeric)
        case "JSON":
            return Typed(spellLiteral(.json, value), .json)
        default:
            throw unsupported("\(type) literal", at)
        }
    }

    /// Both sides of a comparison, a string literal coerced to the other side's DATE, DATETIME,
    /// TIMESTAMP or TIME (https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules#coercion),
    /// and a DATE compared with a later temporal type taken at midnight.
    func coercedPair(_ left: Expression, _ right: Expression, scope: Scope) throws -> (Typed, Typed) {
        var l = try expression(left, scope: scope)
        var r = try expression(right, scope: scope)
        l = try coerce(l, to: r.type, at: left.location)
        r = try coerce(r, to: l.type, at: right.location)
        if l.type == .date, let midnight = dateAtMidnight(l, as: r.type) { l = midnight }
        if r.type == .date, let midnight = dateAtMidnight(r, as: l.type) { r = midnight }
        return (l, r)
    }

    /// A string literal as a literal of `type` when BigQuery would coerce it.
    func coerce(_ value: Typed, to type: SQLType?, at: SourceLocation) throws -> Typed {
        guard let literal = value.literal, let type else { return value }
        switch type {
        case .date: return try typedLiteral(type: "DATE", value: literal, at: at)
        case .datetime: return try typedLiteral(type: "DATETIME", value: literal, at: at)
        case .timestamp: return try typedLiteral(type: "TIMESTAMP", value: literal, at: at)
        case .time: return try typedLiteral(type: "TIME", value: literal, at: at)
        default: return value
        }
    }
}
