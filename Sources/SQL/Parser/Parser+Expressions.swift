// Expressions by precedence, lowest first (GoogleSQL operator precedence:
// https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#operator_precedence):
// OR < AND < NOT < comparison (=, <, LIKE, BETWEEN, IN, IS) < | < ^ < & < << >> < + - < * / || <
// unary < field access and subscripts.

extension Parser {
    /// One expression.
    public mutating func expression() throws -> Expression {
        try enter()
        defer { leave() }
        return try orExpression()
    }

    mutating func orExpression() throws -> Expression {
        var left = try andExpression()
        while current.isWord("OR") {
            let at = advance().location
            left = Expression(.binary(op: "OR", left, try andExpression()), at: at)
        }
        return left
    }

    mutating func andExpression() throws -> Expression {
        var left = try notExpression()
        while current.isWord("AND") {
            let at = advance().location
            left = Expression(.binary(op: "AND", left, try notExpression()), at: at)
        }
        return left
    }

    mutating func notExpression() throws -> Expression {
        if current.isWord("NOT") {
            let at = advance().location
            try enter()
            defer { leave() }
            return Expression(.unary(op: "NOT", try notExpression()), at: at)
        }
        return try comparison()
    }

    mutating func comparison() throws -> Expression {
        let left = try bitOr()
        let at = current.location
        if current.kind == .symbol, ["=", "!=", "<>", "<", "<=", ">", ">="].contains(current.text) {
            var op = advance().text
            if op == "<>" { op = "!=" }
            return Expression(.binary(op: op, left, try bitOr()), at: at)
        }
        let negated = current.isWord("NOT") && (peek().isWord("LIKE") || peek().isWord("IN") || peek().isWord("BETWEEN"))
        if negated { position += 1 }
        if accept("LIKE") {
            return Expression(.like(left, pattern: try bitOr(), negated: negated), at: at)
        }
        if accept("BETWEEN") {
            let low = try bitOr()
            try expect("AND")
            return Expression(.between(left, low: low, high: try bitOr(), negated: negated), at: at)
        }
        if accept("IN") {
            if accept("UNNEST") {
                try expectSymbol("(")
                let array = try expression()
                try expectSymbol(")")
                return Expression(.inUnnest(left, array, negated: negated), at: at)
            }
            try expectSymbol("(")
            if current.isWord("SELECT") || current.isWord("WITH") {
                let query = try self.query()
                try expectSymbol(")")
                return Expression(.inQuery(left, query, negated: negated), at: at)
            }
            var items = [try expression()]
            while acceptSymbol(",") { items.append(try expression()) }
            try expectSymbol(")")
            return Expression(.inList(left, items, negated: negated), at: at)
        }
        if negated { throw error("expected LIKE, IN or BETWEEN after NOT") }
        if accept("IS") {
            let not = accept("NOT")
            if accept("NULL") { return Expression(.isNull(left, negated: not), at: at) }
            if accept("TRUE") { return Expression(.isBool(left, value: true, negated: not), at: at) }
            if accept("FALSE") { return Expression(.isBool(left, value: false, negated: not), at: at) }
            if accept("DISTINCT") {
                try expect("FROM")
                return Expression(.isDistinct(left, try bitOr(), negated: not), at: at)
            }
            if current.isWord("UNKNOWN") {
                position += 1
                return Expression(.isNull(left, negated: not), at: at)
            }
            throw error("expected NULL, TRUE, FALSE or DISTINCT FROM after IS")
        }
        return left
    }

    mutating func bitOr() throws -> Expression {
        try binaryLevel(["|"], next: { try $0.bitXor() })
    }

    mutating func bitXor() throws -> Expression {
        try binaryLevel(["^"], next: { try $0.bitAnd() })
    }

    mutating func bitAnd() throws -> Expression {
        try binaryLevel(["&"], next: { try $0.shift() })
    }

    mutating func shift() throws -> Expression {
        try binaryLevel(["<<", ">>"], next: { try $0.additive() })
    }

    mutating func additive() throws -> Expression {
        try binaryLevel(["+", "-"], next: { try $0.multiplicative() })
    }

    mutating func multiplicative() throws -> Expression {
        try binaryLevel(["*", "/", "||"], next: { try $0.unaryExpression() })
    }

    private mutating func binaryLevel(_ ops: Set<String>, next: (inout Parser) throws -> Expression) throws -> Expression {
        var left = try next(&self)
        while current.kind == .symbol && ops.contains(current.text) {
            let token = advance()
            left = Expression(.binary(op: token.text, left, try next(&self)), at: token.location)
        }
        return left
    }

    mutating func unaryExpression() throws -> Expression {
        if current.kind == .symbol, ["-", "+", "~"].contains(current.text) {
            let token = advance()
            try enter()
            defer { leave() }
            let operand = try unaryExpression()
            // A negative literal stays a literal (so -9223372036854775808 is representable).
            if token.text == "-", case .integer(let digits) = operand.kind, !digits.hasPrefix("-") {
                return Expression(.integer("-" + digits), at: token.location)
            }
            if token.text == "-", case .float(let digits) = operand.kind, !digits.hasPrefix("-") {
                return Expression(.float("-" + digits), at: token.location)
            }
            if token.text == "+" { return operand }
            return Expression(.unary(op: token.text, operand), at: token.location)
        }
        return try postfix()
    }

    mutating func postfix() throws -> Expression {
        var base = try primary()
        while true {
            if current.isSymbol("[") {
                let at = advance().location
                var mode = "OFFSET"
                var index: Expression
                let word = current.upper
                if current.kind == .word, ["OFFSET", "ORDINAL", "SAFE_OFFSET", "SAFE_ORDINAL"].contains(word), peek().isSymbol("(") {
                    position += 2
                    mode = word
                    index = try expression()
                    try expectSymbol(")")
                } else {
                    index = try expression()
                }
                try expectSymbol("]")
                base = Expression(.element(base, index: index, mode: mode), at: at)
            } else if current.isSymbol("("), case .column(let parts) = base.kind, parts.count > 1 {
                // NET.HOST(…), KEYS.NEW_KEYSET(…): dotted function families are not translated.
                throw SQLError.unsupported("function \(parts.joined(separator: ".").uppercased())", base.location)
            } else if current.isSymbol("."), peek().kind == .word || peek().kind == .quotedIdentifier {
                let at = advance().location
                let name = advance().text
                if case .column(let parts) = base.kind {
                    base = Expression(.column(parts + [name]), at: base.location)
                } else {
                    base = Expression(.field(base, name), at: at)
                }
            } else {
                return base
            }
        }
    }

    static let typedLiteralTypes: Set<String> = ["DATE", "DATETIME", "TIME", "TIMESTAMP", "NUMERIC", "BIGNUMERIC", "BIGDECIMAL", "DECIMAL", "JSON", "RANGE"]

    mutating func primary() throws -> Expression {
        let token = current
        let at = token.location
        switch token.kind {
        case .integer:
            position += 1
            return Expression(.integer(token.text), at: at)
        case .float:
            position += 1
            return Expression(.float(token.text), at: at)
        case .string:
            position += 1
            return Expression(.string(token.text), at: at)
        case .bytes:
            position += 1
            return Expression(.bytes(token.text), at: at)
        case .parameter:
            position += 1
            return Expression(.parameter(token.text), at: at)
        case .quotedIdentifier:
            position += 1
            return Expression(.column(splitPath(token.text)), at: at)
        case .end:
            throw error("expected an expression, found the end of the SQL")
        case .symbol:
            if token.text == "(" { return try parenthesized() }
            if token.text == "[" {
                position += 1
                return Expression(.array(try list(until: "]"), elementType: nil), at: at)
            }
            throw error("expected an expression, found \(describe(token))")
        case .word:
            break
        }
        let word = token.upper
        switch word {
        case "NULL": position += 1; return Expression(.null, at: at)
        case "TRUE": position += 1; return Expression(.bool(true), at: at)
        case "FALSE": position += 1; return Expression(.bool(false), at: at)
        case "CASE": return try caseExpression()
        case "CAST", "SAFE_CAST":
            position += 1
            try expectSymbol("(")
            let value = try expression()
            try expect("AS")
            let type = try typeName()
            if current.isWord("FORMAT") { throw SQLError.unsupported("CAST … FORMAT", current.location) }
            try expectSymbol(")")
            return Expression(.cast(value, to: type, safe: word == "SAFE_CAST"), at: at)
        case "EXTRACT":
            position += 1
            try expectSymbol("(")
            var part = try identifier("a date part").uppercased()
            if acceptSymbol("(") {
                part += "(" + (try identifier("a weekday")).uppercased() + ")"
                try expectSymbol(")")
            }
            try expect("FROM")
            let value = try expression()
            var zone: Expression?
            if accept("AT") {
                guard accept("TIME"), current.isWord("ZONE") else { throw error("expected TIME ZONE") }
                position += 1
                zone = try expression()
            }
            try expectSymbol(")")
            return Expression(.extract(part: part, value, timeZone: zone), at: at)
        case "EXISTS":
            position += 1
            try expectSymbol("(")
            let query = try self.query()
            try expectSymbol(")")
            return Expression(.exists(query), at: at)
        case "INTERVAL":
            position += 1
            let value = try additive()
            var unit = try identifier("a date part").uppercased()
            if accept("TO") {
                unit += " TO " + (try identifier("a date part")).uppercased()
                throw SQLError.unsupported("INTERVAL … \(unit)", at)
            }
            return Expression(.interval(value, unit: unit), at: at)
        case "ARRAY":
            position += 1
            if acceptSymbol("(") {
                let query = try self.query()
                try expectSymbol(")")
                return Expression(.arrayQuery(query), at: at)
            }
            var element: TypeName?
            if acceptSymbol("<") {
                element = try typeName()
                try expectAngleClose()
            }
            try expectSymbol("[")
            return Expression(.array(try list(until: "]"), elementType: element), at: at)
        case "STRUCT":
            position += 1
            var types: [TypeName] = []
            var names: [String] = []
            if acceptSymbol("<") {
                repeat {
                    if peek().kind != .symbol || peek().isSymbol("<") {
                        names.append(try identifier())
                    } else {
                        names.append("")
                    }
                    types.append(try typeName())
                } while acceptSymbol(",")
                try expectAngleClose()
            }
            try expectSymbol("(")
            var fields: [Expression.Field] = []
            if !current.isSymbol(")") {
                repeat {
                    let value = try expression()
                    var name: String?
                    if accept("AS") { name = try identifier() }
                    fields.append(Expression.Field(value: value, name: name))
                } while acceptSymbol(",")
            }
            try expectSymbol(")")
            for index in fields.indices where index < names.count && !names[index].isEmpty {
                fields[index].name = names[index]
            }
            var value = Expression(.structLiteral(fields), at: at)
            if !types.isEmpty {
                // Typed struct: cast each field.
                if case .structLiteral(var typed) = value.kind {
                    for index in typed.indices where index < types.count {
                        typed[index].value = Expression(.cast(typed[index].value, to: types[index], safe: false), at: typed[index].value.location)
                    }
                    value.kind = .structLiteral(typed)
                }
            }
            return value
        default:
            break
        }
        if Self.typedLiteralTypes.contains(word), peek().kind == .string {
            position += 2
            let type = word == "DECIMAL" ? "NUMERIC" : (word == "BIGDECIMAL" ? "BIGNUMERIC" : word)
            return Expression(.typedLiteral(type: type, value: peek(-1).text), at: at)
        }
        // SAFE.function(…)
        if word == "SAFE", peek().isSymbol("."), peek(2).kind == .word, peek(3).isSymbol("(") {
            position += 2
            var call = try functionCall()
            guard case .call(var inner) = call.kind else { return call }
            inner.safe = true
            call.kind = .call(inner)
            return call
        }
        if peek().isSymbol("(") {
            return try functionCall()
        }
        // Niladic date/time functions written without parentheses.
        if ["CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_DATETIME", "CURRENT_TIME"].contains(word) {
            position += 1
            return Expression(.call(Call(name: word, arguments: [])), at: at)
        }
        if Self.reserved.contains(word) {
            throw error("expected an expression, found the keyword \(word)")
        }
        position += 1
        return Expression(.column([token.text]), at: at)
    }

    /// `>` closing a type parameter list; `>>` is split in two.
    mutating func expectAngleClose() throws {
        if current.isSymbol(">>") {
            tokens[position].text = ">"
            return
        }
        try expectSymbol(">")
    }

    mutating func list(until close: String) throws -> [Expression] {
        var items: [Expression] = []
        if acceptSymbol(close) { return items }
        repeat { items.append(try expression()) } while acceptSymbol(",")
        try expectSymbol(close)
        return items
    }

    mutating func parenthesized() throws -> Expression {
        let at = advance().location
        try enter()
        defer { leave() }
        if current.isWord("SELECT") || current.isWord("WITH") || (current.isSymbol("(") && startsQueryInParentheses()) {
            let query = try self.query()
            try expectSymbol(")")
            return Expression(.subquery(query), at: at)
        }
        let first = try expression()
        if acceptSymbol(",") {
            var items = [first]
            repeat { items.append(try expression()) } while acceptSymbol(",")
            try expectSymbol(")")
            return Expression(.tuple(items), at: at)
        }
        try expectSymbol(")")
        return first
    }

    /// Whether the `(` at the current position opens a parenthesized query (`((SELECT …) UNION …)`).
    func startsQueryInParentheses() -> Bool {
        var ahead = 0
        while peek(ahead).isSymbol("(") { ahead += 1 }
        return peek(ahead).isWord("SELECT") || peek(ahead).isWord("WITH")
    }

    mutating func caseExpression() throws -> Expression {
        let at = advance().location
        var operand: Expression?
        if !current.isWord("WHEN") { operand = try expression() }
        var whens: [Expression.When] = []
        while accept("WHEN") {
            let condition = try expression()
            try expect("THEN")
            whens.append(Expression.When(condition: condition, result: try expression()))
        }
        guard !whens.isEmpty else { throw error("CASE needs at least one WHEN") }
        var otherwise: Expression?
        if accept("ELSE") { otherwise = try expression() }
        try expect("END")
        return Expression(.caseWhen(operand: operand, whens: whens, otherwise: otherwise), at: at)
    }

    /// A type: `INT64`, `ARRAY<T>`, `STRUCT<name T, …>`, `NUMERIC(p, s)`, `STRING(10)`.
    mutating func typeName() throws -> TypeName {
        let at = current.location
        guard current.kind == .word else { throw error("expected a type name, found \(describe(current))") }
        let raw = advance().upper
        if raw == "ARRAY" {
            try expectSymbol("<")
            let element = try typeName()
            try expectAngleClose()
            return TypeName("ARRAY", parameters: [element])
        }
        if raw == "STRUCT" {
            try expectSymbol("<")
            var names: [String] = []
            var types: [TypeName] = []
            repeat {
                if current.kind == .word && !(peek().isSymbol(",") || peek().isSymbol(">") || peek().isSymbol(">>") || peek().isSymbol("<")) {
                    names.append(try identifier())
                } else {
                    names.append("")
                }
                types.append(try typeName())
            } while acceptSymbol(",")
            try expectAngleClose()
            return TypeName("STRUCT", parameters: types, fieldNames: names)
        }
        if acceptSymbol("(") {
            // Parameterized types: the parameters do not change values here (NUMERIC(10,2) is
            // documented to round on assignment, which this translator does not model).
            while !current.isSymbol(")") {
                if current.kind == .end { throw error("unterminated type parameters") }
                position += 1
            }
            position += 1
        }
        guard let canonical = Self.canonicalType(raw) else {
            throw SQLError(.semantic, construct: "type \(raw)", message: "unknown type \(raw)", location: at)
        }
        return TypeName(canonical)
    }

    /// GoogleSQL's type names and aliases
    /// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types>).
    static func canonicalType(_ name: String) -> String? {
        switch name {
        case "INT64", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT": return "INT64"
        case "FLOAT64", "FLOAT", "DOUBLE": return "FLOAT64"
        case "NUMERIC", "DECIMAL": return "NUMERIC"
        case "BIGNUMERIC", "BIGDECIMAL": return "BIGNUMERIC"
        case "BOOL", "BOOLEAN": return "BOOL"
        case "STRING": return "STRING"
        case "BYTES": return "BYTES"
        case "DATE", "DATETIME", "TIME", "TIMESTAMP", "JSON", "INTERVAL", "GEOGRAPHY": return name
        default: return nil
        }
    }
}
