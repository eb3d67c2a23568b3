/// Expressions, after Jinja2's precedence ladder: condexpr → or → and → not → compare →
/// math1 (`+ -`) → concat (`~`) → math2 (`* / // %`) → pow → unary → primary/postfix/filters.
extension Parser {
    mutating func enter() throws {
        depth += 1
        if depth > Parser.maxDepth || !stack.hasRoom() { throw fail("expression nested too deeply") }
    }

    func isTupleEnd(_ extraEnd: Set<String>) -> Bool {
        switch current {
        case .variableEnd, .blockEnd, .op(.rparen), .eof: return true
        case .name(let n): return extraEnd.contains(n)
        default: return false
        }
    }

    mutating func parseTuple(simplified: Bool = false, withCondexpr: Bool = true, extraEnd: Set<String> = [],
                             explicitParentheses: Bool = false) throws -> Expr {
        let span = currentSpan
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(.comma) }
            if isTupleEnd(extraEnd) { break }
            if simplified { items.append(try parsePrimary()) }
            else { items.append(try parseExpression(withCondexpr: withCondexpr)) }
            if isOp(.comma) { isTuple = true } else { break }
        }
        if !isTuple {
            if let first = items.first { return first }
            if !explicitParentheses { throw fail("Expected an expression, got \(current.describe)") }
        }
        return .tuple(items, span)
    }

    mutating func parseAssignTarget(withTuple: Bool = true, extraEnd: Set<String> = [],
                                    withNamespace: Bool = false) throws -> Target {
        let span = currentSpan
        if withNamespace, case .name(let ns) = current, case .op(.dot) = look() {
            advance(); advance()
            let attr = try expectAnyName()
            return .namespaceAttr(ns, attr)
        }
        let e = withTuple ? try parseTuple(simplified: true, extraEnd: extraEnd) : try parsePrimary()
        return try toTarget(e, span)
    }

    func toTarget(_ e: Expr, _ span: SourceSpan) throws -> Target {
        switch e {
        case .name(let n, _): return .name(n)
        case .tuple(let xs, _): return .tuple(try xs.map { try toTarget($0, span) })
        default: throw fail("can't assign to \(Parser.nodeKind(e))", span)
        }
    }

    static func nodeKind(_ e: Expr) -> String {
        switch e {
        case .const: "'Const'"
        case .call: "'Call'"
        case .getattr: "'Getattr'"
        case .getitem: "'Getitem'"
        default: "expression"
        }
    }

    mutating func parseExpression(withCondexpr: Bool = true) throws -> Expr {
        try enter(); defer { depth -= 1 }
        return withCondexpr ? try parseCondexpr() : try parseOr()
    }

    mutating func parseCondexpr() throws -> Expr {
        let span = currentSpan
        var e = try parseOr()
        while skipName("if") {
            let test = try parseOr()
            var other: Expr? = nil
            if skipName("else") { other = try parseCondexpr() }
            e = .cond(test, e, other, span)
        }
        return e
    }

    mutating func parseOr() throws -> Expr {
        let span = currentSpan
        var e = try parseAnd()
        var n = 0
        defer { depth -= n }
        while skipName("or") { try enter(); n += 1; e = .or(e, try parseAnd(), span) }
        return e
    }

    mutating func parseAnd() throws -> Expr {
        let span = currentSpan
        var e = try parseNot()
        var n = 0
        defer { depth -= n }
        while skipName("and") { try enter(); n += 1; e = .and(e, try parseNot(), span) }
        return e
    }

    mutating func parseNot() throws -> Expr {
        if isName("not") {
            let span = currentSpan
            advance()
            try enter(); defer { depth -= 1 }
            return .unary(.not, try parseNot(), span)
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws -> Expr {
        let span = currentSpan
        let first = try parseMath1()
        var ops: [(CompareOp, Expr)] = []
        while true {
            var op: CompareOp?
            switch current {
            case .op(.eq): op = .eq
            case .op(.ne): op = .ne
            case .op(.lt): op = .lt
            case .op(.lteq): op = .lteq
            case .op(.gt): op = .gt
            case .op(.gteq): op = .gteq
            case .name("in"): op = .isIn
            case .name("not"):
                if case .name("in") = look() { advance(); op = .notIn }
            default: break
            }
            guard let o = op else { break }
            advance()
            ops.append((o, try parseMath1()))
        }
        return ops.isEmpty ? first : .compare(first, ops, span)
    }

    mutating func parseMath1() throws -> Expr {
        let span = currentSpan
        var e = try parseConcat()
        var n = 0
        defer { depth -= n }
        while true {
            if isOp(.add) || isOp(.sub) { try enter(); n += 1 }
            if skipOp(.add) { e = .binary(.add, e, try parseConcat(), span) }
            else if skipOp(.sub) { e = .binary(.sub, e, try parseConcat(), span) }
            else { return e }
        }
    }

    mutating func parseConcat() throws -> Expr {
        let span = currentSpan
        var items = [try parseMath2()]
        while skipOp(.tilde) {
            if items.count > 10_000 { throw fail("expression too long") }
            items.append(try parseMath2())
        }
        return items.count == 1 ? items[0] : .concat(items, span)
    }

    mutating func parseMath2() throws -> Expr {
        let span = currentSpan
        var e = try parsePow()
        var n = 0
        defer { depth -= n }
        while true {
            let op: BinaryOp
            switch current {
            case .op(.mul): op = .mul
            case .op(.div): op = .div
            case .op(.floordiv): op = .floordiv
            case .op(.mod): op = .mod
            default: return e
            }
            advance()
            try enter(); n += 1
            e = .binary(op, e, try parsePow(), span)
        }
    }

    mutating func parsePow() throws -> Expr {
        let span = currentSpan
        var e = try parseUnary()
        var n = 0
        defer { depth -= n }
        while skipOp(.pow) { try enter(); n += 1; e = .binary(.pow, e, try parseUnary(), span) }
        return e
    }

    mutating func parseUnary(withFilter: Bool = true) throws -> Expr {
        try enter(); defer { depth -= 1 }
        let span = currentSpan
        var e: Expr
        if skipOp(.sub) { e = .unary(.neg, try parseUnary(withFilter: false), span) }
        else if skipOp(.add) { e = .unary(.pos, try parseUnary(withFilter: false), span) }
        else { e = try parsePrimary() }
        e = try parsePostfix(e)
        if withFilter { e = try parseFilterExpr(e) }
        return e
    }

    mutating func parsePrimary() throws -> Expr {
        try enter(); defer { depth -= 1 }
        let span = currentSpan
        switch current {
        case .name(let n):
            advance()
            switch n {
            case "true", "True": return .const(.bool(true), span)
            case "false", "False": return .const(.bool(false), span)
            case "none", "None": return .const(.none, span)
            default: return .name(n, span)
            }
        case .string(var s):
            advance()
            while case .string(let more) = current { s += more; advance() }
            return .const(.string(s), span)
        case .integer(let i):
            advance()
            return .const(.int(i), span)
        case .float(let d):
            advance()
            return .const(.float(d), span)
        case .op(.lparen):
            advance()
            let e = try parseTuple(explicitParentheses: true)
            try expectOp(.rparen)
            return e
        case .op(.lbracket):
            advance()
            var items: [Expr] = []
            while !isOp(.rbracket) {
                if !items.isEmpty { try expectOp(.comma) }
                if isOp(.rbracket) { break }
                items.append(try parseExpression())
            }
            try expectOp(.rbracket)
            return .list(items, span)
        case .op(.lbrace):
            advance()
            var pairs: [(Expr, Expr)] = []
            while !isOp(.rbrace) {
                if !pairs.isEmpty { try expectOp(.comma) }
                if isOp(.rbrace) { break }
                let k = try parseExpression()
                try expectOp(.colon)
                pairs.append((k, try parseExpression()))
            }
            try expectOp(.rbrace)
            return .dict(pairs, span)
        default:
            throw fail("unexpected \(current.describe)")
        }
    }

    mutating func parsePostfix(_ base: Expr) throws -> Expr {
        var e = base
        var n = 0
        defer { depth -= n }
        while true {
            try enter(); n += 1
            let span = currentSpan
            if skipOp(.dot) {
                switch current {
                case .name(let n): advance(); e = .getattr(e, n, span)
                case .integer(let i): advance(); e = .getitem(e, .const(.int(i), span), span)
                default: throw fail("expected name or number")
                }
            } else if skipOp(.lbracket) {
                var subs: [Expr] = []
                while !isOp(.rbracket) {
                    if !subs.isEmpty { try expectOp(.comma) }
                    subs.append(try parseSubscribed())
                }
                try expectOp(.rbracket)
                if subs.count == 1 {
                    if case .slice(_, let a, let b, let c, let s) = subs[0] { e = .slice(e, a, b, c, s) }
                    else { e = .getitem(e, subs[0], span) }
                } else {
                    e = .getitem(e, .tuple(subs, span), span)
                }
            } else if isOp(.lparen) {
                e = try parseCall(e)
            } else {
                return e
            }
        }
    }

    /// One subscript: an expression or a `start:stop:step` slice (returned as `.slice` on a dummy base).
    mutating func parseSubscribed() throws -> Expr {
        let span = currentSpan
        var parts: [Expr?] = []
        if skipOp(.colon) {
            parts.append(nil)
        } else {
            let e = try parseExpression()
            if !skipOp(.colon) { return e }
            parts.append(e)
        }
        if isOp(.colon) { parts.append(nil) }
        else if !isOp(.rbracket) && !isOp(.comma) { parts.append(try parseExpression()) }
        else { parts.append(nil) }
        if skipOp(.colon) {
            if !isOp(.rbracket) && !isOp(.comma) { parts.append(try parseExpression()) } else { parts.append(nil) }
        } else {
            parts.append(nil)
        }
        return .slice(.const(.none, span), parts[0], parts[1], parts[2], span)
    }

    mutating func parseCallArgs() throws -> CallArgs {
        try expectOp(.lparen)
        var args = CallArgs()
        var requireComma = false
        while !isOp(.rparen) {
            if requireComma {
                try expectOp(.comma)
                if isOp(.rparen) { break }
            }
            let span = currentSpan
            if skipOp(.mul) {
                guard args.star == nil, args.doubleStar == nil else { throw fail("invalid syntax for function call expression", span) }
                args.star = try parseExpression()
            } else if skipOp(.pow) {
                guard args.doubleStar == nil else { throw fail("invalid syntax for function call expression", span) }
                args.doubleStar = try parseExpression()
            } else if case .name(let key) = current, case .op(.assign) = look() {
                guard args.doubleStar == nil else { throw fail("invalid syntax for function call expression", span) }
                advance(); advance()
                if args.kwargs.contains(where: { $0.0 == key }) { throw fail("keyword argument repeated: \(key)", span) }
                args.kwargs.append((key, try parseExpression()))
            } else {
                guard args.star == nil, args.doubleStar == nil, args.kwargs.isEmpty else {
                    throw fail("invalid syntax for function call expression", span)
                }
                args.args.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOp(.rparen)
        return args
    }

    mutating func parseCall(_ callee: Expr) throws -> Expr {
        let span = currentSpan
        return .call(callee, try parseCallArgs(), span)
    }

    mutating func parseFilterExpr(_ base: Expr) throws -> Expr {
        var e = base
        var n = 0
        defer { depth -= n }
        while true {
            try enter(); n += 1
            if isOp(.pipe) {
                guard let f = try parseFilter(e, startInline: false) else { return e }
                e = f
            } else if isName("is") {
                e = try parseTest(e)
            } else if isOp(.lparen) {
                e = try parseCall(e)
            } else {
                return e
            }
        }
    }

    mutating func parseDottedName() throws -> String {
        var name = try expectAnyName()
        while skipOp(.dot) { name += "." + (try expectAnyName()) }
        return name
    }

    /// `| f(args) | g` chains. With `startInline`, the first `|` is implicit (`{% filter f %}`).
    mutating func parseFilter(_ base: Expr?, startInline: Bool) throws -> Expr? {
        var e = base
        var inline = startInline
        var n = 0
        defer { depth -= n }
        while isOp(.pipe) || inline {
            try enter(); n += 1
            let span = currentSpan
            if !inline { advance() }
            inline = false
            let name = try parseDottedName()
            let args = isOp(.lparen) ? try parseCallArgs() : CallArgs.empty
            e = .filter(e, name, args, span)
        }
        return e
    }

    mutating func parseTest(_ base: Expr) throws -> Expr {
        let span = currentSpan
        advance()  // `is`
        let negated = skipName("not")
        let name = try parseDottedName()
        var args = CallArgs.empty
        if isOp(.lparen) {
            args = try parseCallArgs()
        } else {
            var takesArg = false
            switch current {
            case .name(let n): takesArg = !["else", "or", "and"].contains(n)
                if n == "is" { throw fail("You cannot chain multiple tests with is") }
            case .string, .integer, .float, .op(.lparen), .op(.lbracket), .op(.lbrace): takesArg = true
            default: break
            }
            if takesArg {
                let arg = try parsePostfix(try parsePrimary())
                args.args = [arg]
            }
        }
        let test = Expr.test(base, name, args, span)
        return negated ? .unary(.not, test, span) : test
    }
}
