/// Statement tags (`{% ... %}`), after Jinja2's `Parser.parse_statement` family.
extension Parser {
    mutating func parseStatement(until: Set<String>) throws -> Stmt? {
        try enter(); defer { depth -= 1 }
        let span = currentSpan
        guard case .name(let tag) = current else { throw fail("tag name expected") }
        switch tag {
        case "for": return try parseFor()
        case "if": return try parseIf()
        case "set": return try parseSet()
        case "macro": return try parseMacro()
        case "call": return try parseCallBlock()
        case "filter": return try parseFilterBlock()
        case "with": return try parseWith()
        case "include": return try parseInclude()
        case "import": return try parseImport()
        case "from": return try parseFrom()
        case "do":
            advance()
            return .exprStmt(try parseTuple(), span)
        case "print":
            advance()
            var items: [Stmt] = []
            while true {
                if case .blockEnd = current { break }
                if !items.isEmpty { try expectOp(.comma) }
                items.append(.output(try parseExpression(), span))
            }
            return items.count == 1 ? items[0] : .ifs([(.const(.bool(true), span), items)], [], span)
        case "break", "continue":
            advance()
            guard loopDepth > 0 else { throw fail("'\(tag)' outside loop", span) }
            return tag == "break" ? .breakLoop(span) : .continueLoop(span)
        default:
            if let kind = blockTags[tag] { return try parseBlockTag(tag, kind) }
            if tag.hasPrefix("end") || tag == "elif" || tag == "else" {
                throw fail("Encountered unknown tag '\(tag)'. Jinja was looking for the following tags: \(until.sorted().map { "'\($0)'" }.joined(separator: " or ")).")
            }
            if ["block", "extends", "autoescape"].contains(tag) {
                throw JinjaError(.syntax, "the '\(tag)' tag is not supported", templateName: templateName,
                                 line: span.line, column: span.column, hint: "see Sources/Jinja/COMPATIBILITY.md")
            }
            throw fail("Encountered unknown tag '\(tag)'.")
        }
    }

    mutating func parseFor() throws -> Stmt {
        let span = currentSpan
        advance()
        let target = try parseAssignTarget(extraEnd: ["in"])
        try expectName("in")
        let iter = try parseTuple(withCondexpr: false, extraEnd: ["recursive"])
        var filter: Expr? = nil
        if skipName("if") { filter = try parseExpression() }
        let recursive = skipName("recursive")
        loopDepth += 1
        let body = try parseStatements(["endfor", "else"])
        loopDepth -= 1
        var elseBody: [Stmt] = []
        if skipName("endfor") {
        } else {
            advance()
            // `loop` controls are not allowed in the else branch in Jinja2 either.
            let saved = loopDepth
            loopDepth = 0
            elseBody = try parseStatements(["endfor"], dropNeedle: true)
            loopDepth = saved
        }
        return .forLoop(ForNode(target: target, iter: iter, filter: filter, recursive: recursive,
                                body: body, elseBody: elseBody, span: span))
    }

    mutating func parseIf() throws -> Stmt {
        let span = currentSpan
        advance()
        var branches: [(Expr, [Stmt])] = []
        var elseBody: [Stmt] = []
        while true {
            let test = try parseTuple(withCondexpr: false)
            let body = try parseStatements(["elif", "else", "endif"])
            branches.append((test, body))
            if skipName("elif") { continue }
            if skipName("else") { elseBody = try parseStatements(["endif"], dropNeedle: true) } else { advance() }
            break
        }
        return .ifs(branches, elseBody, span)
    }

    mutating func parseSet() throws -> Stmt {
        let span = currentSpan
        advance()
        let target = try parseAssignTarget(withNamespace: true)
        if skipOp(.assign) {
            return .set(target, try parseTuple(), span)
        }
        var filter: Expr? = nil
        if isOp(.pipe) { filter = try parseFilter(nil, startInline: false) }
        let body = try parseStatements(["endset"], dropNeedle: true)
        return .setBlock(target, filter, body, span)
    }

    mutating func parseSignature() throws -> [(String, Expr?)] {
        try expectOp(.lparen)
        var params: [(String, Expr?)] = []
        var seenDefault = false
        while !isOp(.rparen) {
            if !params.isEmpty { try expectOp(.comma) }
            if isOp(.rparen) { break }
            let nameSpan = currentSpan
            let name = try expectAnyName()
            if ["true", "false", "none", "True", "False", "None"].contains(name) {
                throw fail("can't assign to '\(name)'", nameSpan)
            }
            if params.contains(where: { $0.0 == name }) { throw fail("duplicate argument '\(name)' in function definition", nameSpan) }
            if skipOp(.assign) {
                params.append((name, try parseExpression()))
                seenDefault = true
            } else {
                if seenDefault { throw fail("non-default argument follows default argument", nameSpan) }
                params.append((name, nil))
            }
        }
        try expectOp(.rparen)
        return params
    }

    mutating func parseMacro() throws -> Stmt {
        let span = currentSpan
        advance()
        let name = try expectAnyName()
        let params = try parseSignature()
        let saved = loopDepth
        loopDepth = 0
        let body = try parseStatements(["endmacro"], dropNeedle: true)
        loopDepth = saved
        return .macro(MacroDecl(name: name, params: params, body: body, span: span))
    }

    mutating func parseCallBlock() throws -> Stmt {
        let span = currentSpan
        advance()
        var params: [(String, Expr?)] = []
        if isOp(.lparen) { params = try parseSignature() }
        let call = try parseExpression()
        guard case .call = call else { throw fail("expected call", span) }
        let saved = loopDepth
        loopDepth = 0
        let body = try parseStatements(["endcall"], dropNeedle: true)
        loopDepth = saved
        let caller = MacroDecl(name: "caller", params: params, body: body, span: span)
        return .callBlock(CallBlockNode(caller: caller, call: call, span: span))
    }

    mutating func parseFilterBlock() throws -> Stmt {
        let span = currentSpan
        advance()
        guard let filter = try parseFilter(nil, startInline: true) else { throw fail("expected filter", span) }
        let body = try parseStatements(["endfilter"], dropNeedle: true)
        return .filterBlock(filter, body, span)
    }

    mutating func parseWith() throws -> Stmt {
        let span = currentSpan
        advance()
        var pairs: [(Target, Expr)] = []
        while true {
            if case .blockEnd = current { break }
            if !pairs.isEmpty { try expectOp(.comma) }
            let target = try parseAssignTarget()
            try expectOp(.assign)
            pairs.append((target, try parseExpression()))
        }
        let body = try parseStatements(["endwith"], dropNeedle: true)
        return .with(pairs, body, span)
    }

    /// `with context` / `without context`; `nil` when absent.
    mutating func parseImportContext() -> Bool? {
        if (isName("with") || isName("without")), case .name("context") = look() {
            let with = isName("with")
            advance(); advance()
            return with
        }
        return nil
    }

    mutating func parseInclude() throws -> Stmt {
        let span = currentSpan
        advance()
        let template = try parseExpression()
        var ignoreMissing = false
        if isName("ignore"), case .name("missing") = look() {
            advance(); advance()
            ignoreMissing = true
        }
        let ctx = parseImportContext() ?? true
        return .include(template, ignoreMissing: ignoreMissing, withContext: ctx, span)
    }

    mutating func parseImport() throws -> Stmt {
        let span = currentSpan
        advance()
        let template = try parseExpression()
        try expectName("as")
        let name = try expectAnyName()
        let ctx = parseImportContext() ?? false
        return .importAs(template, name, withContext: ctx, span)
    }

    mutating func parseFrom() throws -> Stmt {
        let span = currentSpan
        advance()
        let template = try parseExpression()
        try expectName("import")
        var names: [(String, String)] = []
        var ctx: Bool? = nil
        while true {
            if !names.isEmpty { try expectOp(.comma) }
            if case .name = current {
                if let c = parseImportContext() { ctx = c; break }
                let nameSpan = currentSpan
                let name = try expectAnyName()
                if name.hasPrefix("_") { throw fail("names starting with an underline can not be imported", nameSpan) }
                if skipName("as") { names.append((name, try expectAnyName())) } else { names.append((name, name)) }
                if let c = parseImportContext() { ctx = c; break }
                if !isOp(.comma) { break }
            } else {
                throw fail("expected token 'name', got \(current.describe)")
            }
        }
        return .fromImport(template, names, withContext: ctx ?? false, span)
    }

    /// A registered block tag: `{% test name(args) %}…{% endtest %}` or `{% materialization x, adapter='y' %}`.
    mutating func parseBlockTag(_ tag: String, _ kind: BlockTagKind) throws -> Stmt {
        let span = currentSpan
        advance()
        let name = try expectAnyName()
        switch kind {
        case .capture:
            // Everything up to `{% end<tag> %}` is kept verbatim.
            guard case .blockEnd = current else { throw fail("expected token 'end of statement block', got \(current.describe)") }
            let bodyStart = tokens[pos].end
            advance()
            let end = "end" + tag
            while true {
                if case .eof = current { throw fail("Unexpected end of template. Jinja was looking for the following tags: '\(end)'.", span) }
                if case .blockBegin = current, case .name(let n) = look(), n == end {
                    let bodyEnd = tokens[pos].span.offset
                    advance(); advance()
                    let body = String(decoding: src[min(bodyStart, bodyEnd)..<bodyEnd], as: UTF8.self)
                    return .capture(tag: tag, name: name, body: body)
                }
                advance()
            }
        case .macro(let naming):
            var params: [(String, Expr?)] = []
            var options = Arguments()
            if isOp(.lparen) { params = try parseSignature() }
            while skipOp(.comma) {
                if case .name(let key) = current, case .op(.assign) = look() {
                    advance(); advance()
                    let e = try parseExpression()
                    guard let v = Parser.constantValue(e) else { throw fail("expected a constant for '\(key)'") }
                    options.keyword.append((key, v))
                } else {
                    let e = try parseExpression()
                    if case .name(let n, _) = e { options.positional.append(.string(n)) }
                    else if let v = Parser.constantValue(e) { options.positional.append(v) }
                    else { throw fail("expected a constant") }
                }
            }
            let saved = loopDepth
            loopDepth = 0
            let body = try parseStatements(["end" + tag], dropNeedle: true)
            loopDepth = saved
            return .macro(MacroDecl(name: naming(name, options), params: params, body: body, span: span))
        }
    }

    /// Literal-only constant folding for block-tag options.
    static func constantValue(_ e: Expr) -> Value? {
        switch e {
        case .const(let v, _): return v
        case .list(let xs, _):
            var out: [Value] = []
            for x in xs { guard let v = constantValue(x) else { return nil }; out.append(v) }
            return .makeList(out)
        case .tuple(let xs, _):
            var out: [Value] = []
            for x in xs { guard let v = constantValue(x) else { return nil }; out.append(v) }
            return .tuple(out)
        default: return nil
        }
    }
}
