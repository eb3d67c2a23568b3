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
        case .integer, .float, .bytes, .unary, .isDistinct, .between, .inUnnest, .like, .arrayQuery, .caseWhen, .extract,
             .array, .structLiteral, .element:
            return try dialectExpression(expression, scope: scope)
        }
    }
}
