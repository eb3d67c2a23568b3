/// Renders the tree in the shape of Jinja2's `repr(environment.parse(source))`, so parser tests
/// can compare against Jinja2's own parse trees (`Inputs/_parser/*.ast`, written by the oracle).
enum ASTDump {
    static func template(_ stmts: [Stmt]) -> String {
        "Template(body=\(body(stmts)))"
    }

    static func body(_ stmts: [Stmt]) -> String {
        var parts: [String] = []
        var buffer: [String] = []
        func flush() {
            if !buffer.isEmpty { parts.append("Output(nodes=[\(buffer.joined(separator: ", "))])"); buffer = [] }
        }
        for s in stmts {
            switch s {
            case .data(let d): buffer.append("TemplateData(data=\(Value.string(d).pythonRepr()))")
            case .output(let e, _): buffer.append(expr(e))
            default:
                flush()
                parts.append(stmt(s))
            }
        }
        flush()
        return "[" + parts.joined(separator: ", ") + "]"
    }

    static func target(_ t: Target, ctx: String = "store") -> String {
        switch t {
        case .name(let n): return "Name(name=\(Value.string(n).pythonRepr()), ctx='\(ctx)')"
        case .tuple(let ts): return "Tuple(items=[\(ts.map { target($0, ctx: ctx) }.joined(separator: ", "))], ctx='\(ctx)')"
        case .namespaceAttr(let n, let a): return "NSRef(name=\(Value.string(n).pythonRepr()), attr=\(Value.string(a).pythonRepr()))"
        }
    }

    static func opt(_ e: Expr?) -> String { e.map(expr) ?? "None" }
    static func list(_ es: [Expr]) -> String { "[" + es.map(expr).joined(separator: ", ") + "]" }

    static func ifNode(_ branches: ArraySlice<(Expr, [Stmt])>, _ elseBody: [Stmt]) -> String {
        guard let first = branches.first else { return "" }
        let elifs = branches.dropFirst().map { "If(test=\(expr($0.0)), body=\(body($0.1)), elif_=[], else_=[])" }
        return "If(test=\(expr(first.0)), body=\(body(first.1)), elif_=[\(elifs.joined(separator: ", "))], else_=\(body(elseBody)))"
    }

    static func macroParams(_ m: MacroDecl) -> String {
        let args = m.params.map { "Name(name=\(Value.string($0.0).pythonRepr()), ctx='param')" }
        let defaults = m.params.compactMap { $0.1 }.map(expr)
        return "args=[\(args.joined(separator: ", "))], defaults=[\(defaults.joined(separator: ", "))]"
    }

    static func stmt(_ s: Stmt) -> String {
        switch s {
        case .data, .output: return body([s])
        case .ifs(let branches, let els, _): return ifNode(branches[...], els)
        case .forLoop(let f):
            return "For(target=\(target(f.target)), iter=\(expr(f.iter)), body=\(body(f.body)), else_=\(body(f.elseBody)), test=\(opt(f.filter)), recursive=\(f.recursive ? "True" : "False"))"
        case .set(let t, let e, _): return "Assign(target=\(target(t)), node=\(expr(e)))"
        case .setBlock(let t, let f, let b, _): return "AssignBlock(target=\(target(t)), filter=\(opt(f)), body=\(body(b)))"
        case .macro(let m): return "Macro(name=\(Value.string(m.name).pythonRepr()), \(macroParams(m)), body=\(body(m.body)))"
        case .callBlock(let c):
            return "CallBlock(call=\(expr(c.call)), \(macroParams(c.caller)), body=\(body(c.caller.body)))"
        case .filterBlock(let f, let b, _): return "FilterBlock(body=\(body(b)), filter=\(expr(f)))"
        case .exprStmt(let e, _): return "ExprStmt(node=\(expr(e)))"
        case .with(let pairs, let b, _):
            return "With(targets=[\(pairs.map { target($0.0, ctx: "param") }.joined(separator: ", "))], values=[\(pairs.map { expr($0.1) }.joined(separator: ", "))], body=\(body(b)))"
        case .include(let e, let ignore, let ctx, _):
            return "Include(template=\(expr(e)), with_context=\(ctx ? "True" : "False"), ignore_missing=\(ignore ? "True" : "False"))"
        case .importAs(let e, let name, let ctx, _):
            return "Import(template=\(expr(e)), target=\(Value.string(name).pythonRepr()), with_context=\(ctx ? "True" : "False"))"
        case .fromImport(let e, let names, let ctx, _):
            let ns = names.map { $0.0 == $0.1 ? Value.string($0.0).pythonRepr() : "(\(Value.string($0.0).pythonRepr()), \(Value.string($0.1).pythonRepr()))" }
            return "FromImport(template=\(expr(e)), names=[\(ns.joined(separator: ", "))], with_context=\(ctx ? "True" : "False"))"
        case .breakLoop: return "Break()"
        case .continueLoop: return "Continue()"
        case .capture(let tag, let name, _): return "Capture(tag=\(Value.string(tag).pythonRepr()), name=\(Value.string(name).pythonRepr()))"
        }
    }

    static func callParts(_ a: CallArgs) -> String {
        let kw = a.kwargs.map { "Keyword(key=\(Value.string($0.0).pythonRepr()), value=\(expr($0.1)))" }
        return "args=\(list(a.args)), kwargs=[\(kw.joined(separator: ", "))], dyn_args=\(opt(a.star)), dyn_kwargs=\(opt(a.doubleStar))"
    }

    static func expr(_ e: Expr) -> String {
        switch e {
        case .const(let v, _): return "Const(value=\(v.pythonRepr()))"
        case .name(let n, _): return "Name(name=\(Value.string(n).pythonRepr()), ctx='load')"
        case .list(let xs, _): return "List(items=\(list(xs)))"
        case .tuple(let xs, _): return "Tuple(items=\(list(xs)), ctx='load')"
        case .dict(let pairs, _):
            return "Dict(items=[\(pairs.map { "Pair(key=\(expr($0.0)), value=\(expr($0.1)))" }.joined(separator: ", "))])"
        case .getattr(let b, let n, _): return "Getattr(node=\(expr(b)), attr=\(Value.string(n).pythonRepr()), ctx='load')"
        case .getitem(let b, let k, _): return "Getitem(node=\(expr(b)), arg=\(expr(k)), ctx='load')"
        case .slice(let b, let x, let y, let z, _):
            return "Getitem(node=\(expr(b)), arg=Slice(start=\(opt(x)), stop=\(opt(y)), step=\(opt(z))), ctx='load')"
        case .call(let b, let a, _): return "Call(node=\(expr(b)), \(callParts(a)))"
        case .filter(let b, let n, let a, _): return "Filter(node=\(opt(b)), name=\(Value.string(n).pythonRepr()), \(callParts(a)))"
        case .test(let b, let n, let a, _): return "Test(node=\(expr(b)), name=\(Value.string(n).pythonRepr()), \(callParts(a)))"
        case .unary(let op, let x, _):
            let name = switch op { case .not: "Not"; case .neg: "Neg"; case .pos: "Pos" }
            return "\(name)(node=\(expr(x)))"
        case .binary(let op, let l, let r, _):
            let name = switch op {
            case .add: "Add"; case .sub: "Sub"; case .mul: "Mul"; case .div: "Div"; case .floordiv: "FloorDiv"
            case .mod: "Mod"; case .pow: "Pow"
            }
            return "\(name)(left=\(expr(l)), right=\(expr(r)))"
        case .and(let l, let r, _): return "And(left=\(expr(l)), right=\(expr(r)))"
        case .or(let l, let r, _): return "Or(left=\(expr(l)), right=\(expr(r)))"
        case .compare(let first, let ops, _):
            let os = ops.map { op, x -> String in
                let name = switch op {
                case .eq: "eq"; case .ne: "ne"; case .lt: "lt"; case .lteq: "lteq"; case .gt: "gt"; case .gteq: "gteq"
                case .isIn: "in"; case .notIn: "notin"
                }
                return "Operand(op='\(name)', expr=\(expr(x)))"
            }
            return "Compare(expr=\(expr(first)), ops=[\(os.joined(separator: ", "))])"
        case .concat(let xs, _): return "Concat(nodes=\(list(xs)))"
        case .cond(let t, let a, let b, _): return "CondExpr(test=\(expr(t)), expr1=\(expr(a)), expr2=\(opt(b)))"
        }
    }
}
