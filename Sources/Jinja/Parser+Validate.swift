/// Jinja2's compile-time check that every filter and test exists. Like Jinja2's code generator,
/// names inside `{% if %}` blocks and inline `if` expressions ("soft" frames) are checked only when
/// evaluated; a loop, macro, `with`, filter or set block opens a new, non-soft frame.
struct Validator {
    let filters: [String: FilterFunction]
    let tests: [String: TestFunction]
    let templateName: String

    func fail(_ kind: String, _ name: String, _ span: SourceSpan) -> JinjaError {
        JinjaError(.syntax, "No \(kind) named '\(name)'.", templateName: templateName, line: span.line, column: span.column)
    }

    func check(_ stmts: [Stmt], soft: Bool) throws {
        for s in stmts { try check(s, soft: soft) }
    }

    func check(_ stmt: Stmt, soft: Bool) throws {
        switch stmt {
        case .data, .breakLoop, .continueLoop, .capture: break
        case .output(let e, _), .exprStmt(let e, _), .set(_, let e, _): try check(e, soft: soft)
        case .ifs(let branches, let els, _):
            for (c, b) in branches { try check(c, soft: true); try check(b, soft: true) }
            try check(els, soft: true)
        case .forLoop(let f):
            try check(f.iter, soft: soft)
            if let c = f.filter { try check(c, soft: false) }
            try check(f.body, soft: false)
            try check(f.elseBody, soft: false)
        case .setBlock(_, let f, let body, _):
            if let f { try check(f, soft: false) }
            try check(body, soft: false)
        case .macro(let m):
            for (_, d) in m.params { if let d { try check(d, soft: false) } }
            try check(m.body, soft: false)
        case .callBlock(let c):
            try check(c.call, soft: soft)
            for (_, d) in c.caller.params { if let d { try check(d, soft: false) } }
            try check(c.caller.body, soft: false)
        case .filterBlock(let f, let body, _):
            try check(f, soft: false)
            try check(body, soft: false)
        case .with(let pairs, let body, _):
            for (_, e) in pairs { try check(e, soft: soft) }
            try check(body, soft: false)
        case .include(let e, _, _, _), .importAs(let e, _, _, _), .fromImport(let e, _, _, _):
            try check(e, soft: soft)
        }
    }

    func check(_ a: CallArgs, soft: Bool) throws {
        for x in a.args { try check(x, soft: soft) }
        for (_, x) in a.kwargs { try check(x, soft: soft) }
        if let x = a.star { try check(x, soft: soft) }
        if let x = a.doubleStar { try check(x, soft: soft) }
    }

    func check(_ e: Expr, soft: Bool) throws {
        switch e {
        case .const, .name: break
        case .list(let xs, _), .tuple(let xs, _), .concat(let xs, _): for x in xs { try check(x, soft: soft) }
        case .dict(let pairs, _): for (k, v) in pairs { try check(k, soft: soft); try check(v, soft: soft) }
        case .getattr(let b, _, _), .unary(_, let b, _): try check(b, soft: soft)
        case .getitem(let a, let b, _), .binary(_, let a, let b, _), .and(let a, let b, _), .or(let a, let b, _):
            try check(a, soft: soft); try check(b, soft: soft)
        case .slice(let b, let x, let y, let z, _):
            try check(b, soft: soft)
            for p in [x, y, z] { if let p { try check(p, soft: soft) } }
        case .call(let b, let a, _): try check(b, soft: soft); try check(a, soft: soft)
        case .filter(let b, let name, let a, let sp):
            if let b { try check(b, soft: soft) }
            try check(a, soft: soft)
            if !soft && filters[name] == nil { throw fail("filter", name, sp) }
        case .test(let b, let name, let a, let sp):
            try check(b, soft: soft); try check(a, soft: soft)
            if !soft && tests[name] == nil { throw fail("test", name, sp) }
        case .compare(let a, let ops, _):
            try check(a, soft: soft)
            for (_, x) in ops { try check(x, soft: soft) }
        case .cond(let a, let b, let c, _):
            try check(a, soft: true); try check(b, soft: true)
            if let c { try check(c, soft: true) }
        }
    }
}
