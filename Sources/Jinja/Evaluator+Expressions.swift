/// Expression evaluation.
extension State {
    func eval(_ e: Expr) throws -> Value {
        switch e {
        case .const(let v, _):
            return v
        case .name(let n, _):
            if let v = scope.find(n) { return v }
            if let v = context[n] { return v }
            if let v = globals[n] { return v }
            return .undefined(Undefined(name: n, message: "'\(n)' is undefined"))
        case .list(let xs, _):
            var items: [Value] = []
            items.reserveCapacity(xs.count)
            for x in xs { items.append(try eval(x)) }
            return .makeList(items)
        case .tuple(let xs, _):
            var items: [Value] = []
            items.reserveCapacity(xs.count)
            for x in xs { items.append(try eval(x)) }
            return .tuple(items)
        case .dict(let pairs, _):
            let d = DictStorage()
            for (k, v) in pairs {
                let key = try eval(k)
                guard key.isHashable else { throw JinjaError(.type, "unhashable type: '\(key.typeName)'") }
                d.set(key, try eval(v))
            }
            return .dict(d)
        case .getattr(let base, let name, _):
            return try getattr(try eval(base), name)
        case .getitem(let base, let key, _):
            return try getitem(try eval(base), try eval(key))
        case .slice(let base, let a, let b, let c, _):
            let v = try eval(base)
            return try slice(v, try a.map { try eval($0) }, try b.map { try eval($0) }, try c.map { try eval($0) })
        case .call(let callee, let args, _):
            return try evalCall(callee, args, caller: nil)
        case .filter(let base, let name, let args, let sp):
            let v = try base.map { try eval($0) } ?? .none
            return try applyFilter(name, v, try evalArgs(args), sp)
        case .test(let base, let name, let args, let sp):
            return .bool(try applyTest(name, base, args, sp))
        case .unary(let op, let x, _):
            let v = try eval(x)
            switch op {
            case .not: return .bool(!(try truthy(v)))
            case .neg: return try negate(try defined(v))
            case .pos: return try positive(try defined(v))
            }
        case .binary(let op, let a, let b, _):
            let l = try defined(try eval(a))
            let rv = try eval(b)
            // `'%s' % undefined` formats through str(), which lenient undefined allows.
            if op == .mod, case .string(let fmt) = l, case .undefined = rv {
                return .string(try Methods.percentFormat(fmt, rv, self))
            }
            return try binary(op, l, try defined(rv))
        case .and(let a, let b, _):
            let l = try eval(a)
            return try truthy(l) ? try eval(b) : l
        case .or(let a, let b, _):
            let l = try eval(a)
            return try truthy(l) ? l : try eval(b)
        case .compare(let first, let ops, _):
            var left = try eval(first)
            for (op, rhs) in ops {
                let right = try eval(rhs)
                if !(try compare(op, left, right)) { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .concat(let xs, _):
            var s = ""
            for x in xs {
                let v = try eval(x)
                switch v {
                case .string(let t): s += t
                case .undefined(let u): if isStrict(u) { throw undefinedError(u) }
                default: v.writeStr(into: &s)
                }
            }
            return .string(s)
        case .cond(let test, let then, let other, let sp):
            if try truthy(try eval(test)) { return try eval(then) }
            if let o = other { return try eval(o) }
            return .undefined(Undefined(name: "", message: "the inline if-expression on line \(sp.line) evaluated to false and no else section was defined.", soft: true))
        }
    }

    func evalArgs(_ a: CallArgs) throws -> Arguments {
        if a.isEmpty { return Arguments() }
        var args = Arguments()
        args.positional.reserveCapacity(a.args.count)
        for x in a.args { args.positional.append(try eval(x)) }
        for (k, x) in a.kwargs { args.keyword.append((k, try eval(x))) }
        if let s = a.star { args.positional.append(contentsOf: try iterate(try defined(try eval(s)))) }
        if let d = a.doubleStar {
            let v = try eval(d)
            guard case .dict(let dict) = v else { throw JinjaError(.type, "argument after ** must be a mapping, not \(v.typeName)") }
            for (k, x) in zip(dict.keys, dict.values) {
                guard case .string(let key) = k else { throw JinjaError(.type, "keywords must be strings") }
                args.keyword.append((key, x))
            }
        }
        return args
    }

    func evalCall(_ callee: Expr, _ argExprs: CallArgs, caller: Value?) throws -> Value {
        if !stack.hasRoom() { throw StackGuard.exhausted() }
        // `x.method(...)`: call Python methods of builtin types without a bound-method value.
        if case .getattr(let baseExpr, let name, _) = callee {
            let base = try eval(baseExpr)
            switch base {
            case .string, .list, .dict:
                if Methods.has(base, name) {
                    return try Methods.call(base, name, try evalArgs(argExprs), self)
                }
            default: break
            }
            let f = try getattr(base, name)
            return try callValue(f, try evalArgs(argExprs), caller: caller)
        }
        let f = try eval(callee)
        if case .undefined(let u) = f { throw undefinedError(u) }
        return try callValue(f, try evalArgs(argExprs), caller: caller)
    }

    /// Applies a `nil`-based filter chain (from `{% filter %}` or `{% set x | f %}`) to `value`.
    func applyFilterChain(_ chain: Expr, to value: Value) throws -> Value {
        guard case .filter(let base, let name, let args, let sp) = chain else { return value }
        let inner = try base.map { try applyFilterChain($0, to: value) } ?? value
        return try applyFilter(name, inner, try evalArgs(args), sp)
    }

    func applyFilter(_ name: String, _ v: Value, _ args: Arguments, _ sp: SourceSpan) throws -> Value {
        guard let f = filters[name] else {
            throw JinjaError(.runtime, "No filter named '\(name)'.", templateName: templateName, line: sp.line, column: sp.column)
        }
        return try f(v, args, self)
    }

    func applyTest(_ name: String, _ baseExpr: Expr, _ argExprs: CallArgs, _ sp: SourceSpan) throws -> Bool {
        guard let t = tests[name] else {
            throw JinjaError(.runtime, "No test named '\(name)'.", templateName: templateName, line: sp.line, column: sp.column)
        }
        let v = try eval(baseExpr)
        return try t(v, try evalArgs(argExprs), self)
    }

    // MARK: - Attribute and item access (Jinja2's `Environment.getattr` / `getitem`)

    func getattr(_ v: Value, _ name: String) throws -> Value {
        switch v {
        case .dict(let d):
            if let m = Methods.bound(v, name) { return m }
            if let x = d.get(.string(name)) { return x }
        case .string, .list, .tuple:
            if let m = Methods.bound(v, name) { return m }
        case .object(let o):
            if let x = o.attribute(name) { return x }
        case .macro(let m):
            switch name {
            case "name": return .string(m.name)
            case "arguments": return .tuple(m.parameters.map { .string($0) })
            case "catch_kwargs": return .bool(m.decl.usesKwargs)
            case "catch_varargs": return .bool(m.decl.usesVarargs)
            case "caller": return .bool(m.decl.usesCaller)
            default: break
            }
        case .undefined(let u):
            throw undefinedError(u)
        default:
            break
        }
        return .undefined(Undefined(name: name, message: "\(State.objectTypeRepr(v)) has no attribute '\(name)'"))
    }

    static func objectTypeRepr(_ v: Value) -> String {
        if case .none = v { return "'None'" }
        return "'\(v.typeName) object'"
    }

    func getitem(_ v: Value, _ key: Value) throws -> Value {
        switch v {
        case .dict(let d):
            if let x = d.get(key) { return x }
        case .list(let l):
            if let i = key.asInt, case .int = key.isBoolOrInt {
                let j = i < 0 ? i + l.items.count : i
                if j >= 0 && j < l.items.count { return l.items[j] }
            }
        case .tuple(let t):
            if let i = key.asInt, case .int = key.isBoolOrInt {
                let j = i < 0 ? i + t.count : i
                if j >= 0 && j < t.count { return t[j] }
            }
        case .string(let s):
            if let i = key.asInt, case .int = key.isBoolOrInt {
                let scalars = s.unicodeScalars
                let n = scalars.count
                let j = i < 0 ? i + n : i
                if j >= 0 && j < n { return .string(String(scalars[scalars.index(scalars.startIndex, offsetBy: j)])) }
            }
        case .object(let o):
            if let x = o.item(key) { return x }
            if case .string(let n) = key, let x = o.attribute(n) { return x }
        case .undefined(let u):
            throw undefinedError(u)
        default:
            break
        }
        if case .string(let n) = key {
            switch v {
            case .dict, .string, .list, .tuple:
                if let m = Methods.bound(v, n) { return m }
            default: break
            }
            return .undefined(Undefined(name: n, message: "\(State.objectTypeRepr(v)) has no attribute '\(n)'"))
        }
        return .undefined(Undefined(name: key.pythonRepr(), message: "\(State.objectTypeRepr(v)) has no element \(key.pythonRepr())"))
    }

    func slice(_ v: Value, _ a: Value?, _ b: Value?, _ c: Value?) throws -> Value {
        func intOrNil(_ x: Value?) throws -> Int? {
            guard let x else { return nil }
            if case .none = x { return nil }
            guard let i = x.asInt else { throw JinjaError(.type, "slice indices must be integers or None or have an __index__ method") }
            return i
        }
        let step = try intOrNil(c) ?? 1
        if step == 0 { throw JinjaError(.value, "slice step cannot be zero") }
        let start = try intOrNil(a), stop = try intOrNil(b)
        func indices(_ n: Int) -> [Int] {
            var out: [Int] = []
            if step > 0 {
                var s = start ?? 0; if s < 0 { s = max(0, s + n) }; s = min(s, n)
                var e = stop ?? n; if e < 0 { e = max(0, e + n) }; e = min(e, n)
                var i = s
                while i < e {
                    out.append(i)
                    let (next, o) = i.addingReportingOverflow(step)
                    if o { break }
                    i = next
                }
            } else {
                var s = start ?? (n - 1); if s < 0 { s += n }; s = min(s, n - 1)
                var e = stop ?? -1
                if let st = stop { e = st < 0 ? max(-1, st + n) : min(st, n - 1) }
                var i = s
                while i > e && i >= 0 {
                    out.append(i)
                    let (next, o) = i.addingReportingOverflow(step)
                    if o { break }
                    i = next
                }
            }
            return out
        }
        switch v {
        case .list(let l): return .makeList(indices(l.items.count).map { l.items[$0] })
        case .tuple(let t): return .tuple(indices(t.count).map { t[$0] })
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            var u = String.UnicodeScalarView()
            for i in indices(scalars.count) { u.append(scalars[i]) }
            return .string(String(u))
        case .undefined(let u): throw undefinedError(u)
        default: throw JinjaError(.type, "'\(v.typeName)' object is not subscriptable")
        }
    }
}

extension Value {
    /// `.int(0)` for ints and bools (valid sequence indices), `.none` otherwise.
    var isBoolOrInt: Value {
        switch self {
        case .int, .bool: return .int(0)
        default: return .none
        }
    }
}
