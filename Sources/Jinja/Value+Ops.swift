import Foundation

/// Python's `==` (numbers across int/float/bool, deep equality for containers).
func pyEquals(_ a: Value, _ b: Value) -> Bool { pyEquals(a, b, depth: 0) }

/// Depth-bounded so cyclic containers cannot recurse forever (Python raises RecursionError).
private func pyEquals(_ a: Value, _ b: Value, depth: Int) -> Bool {
    if depth > 200 { return false }
    switch (a, b) {
    case (.string(let x), .string(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.none, .none): return true
    case (.undefined, .undefined): return true
    case (.list(let x), .list(let y)):
        if x === y { return true }
        return x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { pyEquals($0, $1, depth: depth + 1) }
    case (.tuple(let x), .tuple(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { pyEquals($0, $1, depth: depth + 1) }
    case (.dict(let x), .dict(let y)):
        if x === y { return true }
        guard x.count == y.count else { return false }
        for (k, v) in zip(x.keys, x.values) {
            guard let w = y.get(k), pyEquals(v, w, depth: depth + 1) else { return false }
        }
        return true
    case (.object(let x), .object(let y)): return x === y || x.isEqual(to: y)
    case (.macro(let x), .macro(let y)): return x === y
    default:
        if let x = a.numeric, let y = b.numeric {
            switch (x, y) {
            case (.i(let p), .i(let q)): return p == q
            default: return x.double == y.double
            }
        }
        return false
    }
}

/// A number view of bool/int/float.
enum Numeric {
    case i(Int), d(Double)
    var double: Double { switch self { case .i(let i): Double(i); case .d(let d): d } }
}

extension Value {
    var numeric: Numeric? {
        switch self {
        case .int(let i): return .i(i)
        case .bool(let b): return .i(b ? 1 : 0)
        case .float(let d): return .d(d)
        default: return nil
        }
    }
}

/// Python's `<`: numbers, strings (by code point), lists/tuples lexicographically; else TypeError.
func pyLess(_ a: Value, _ b: Value, depth: Int = 0) throws -> Bool {
    if depth > 200 { throw JinjaError(.recursionLimit, "maximum recursion depth exceeded in comparison") }
    switch (a, b) {
    case (.string(let x), .string(let y)): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
    case (.list(let x), .list(let y)): return try seqLess(x.items, y.items, depth)
    case (.tuple(let x), .tuple(let y)): return try seqLess(x, y, depth)
    default:
        if let x = a.numeric, let y = b.numeric {
            if case .i(let p) = x, case .i(let q) = y { return p < q }
            return x.double < y.double
        }
        throw JinjaError(.type, "'<' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
    }
}

private func seqLess(_ x: [Value], _ y: [Value], _ depth: Int) throws -> Bool {
    for (p, q) in zip(x, y) where !pyEquals(p, q) { return try pyLess(p, q, depth: depth + 1) }
    return x.count < y.count
}

extension State {
    func compare(_ op: CompareOp, _ l: Value, _ r: Value) throws -> Bool {
        switch op {
        case .eq, .ne:
            if case .undefined(let u) = l, isStrict(u) { throw undefinedError(u) }
            if case .undefined(let u) = r, isStrict(u) { throw undefinedError(u) }
            return pyEquals(l, r) == (op == .eq)
        case .lt: return try pyLess(try defined(l), try defined(r))
        case .gt: return try pyLess(try defined(r), try defined(l))
        case .lteq:
            let a = try defined(l), b = try defined(r)
            return try pyLess(a, b) || pyEquals(a, b)
        case .gteq:
            let a = try defined(l), b = try defined(r)
            return try pyLess(b, a) || pyEquals(a, b)
        case .isIn: return try contains(r, l)
        case .notIn: return !(try contains(r, l))
        }
    }

    /// Python's `item in container`.
    func contains(_ container: Value, _ item: Value) throws -> Bool {
        if case .undefined(let u) = item, isStrict(u) { throw undefinedError(u) }
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else {
                throw JinjaError(.type, "'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return sub.isEmpty || s.contains(sub)
        case .list(let l): return l.items.contains { pyEquals($0, item) }
        case .tuple(let t): return t.contains { pyEquals($0, item) }
        case .dict(let d):
            if case .undefined = item { return false }  // lenient Undefined hashes; never a key
            guard item.isHashable else { throw JinjaError(.type, "unhashable type: '\(item.typeName)'") }
            return d.contains(item)
        case .undefined(let u):
            if isStrict(u) { throw undefinedError(u) }
            return false
        case .object(let o):
            if let items = o.iterate() { return items.contains { pyEquals($0, item) } }
            if case .string(let k) = item { return o.attribute(k) != nil }
            throw JinjaError(.type, "argument of type '\(o.typeName)' is not iterable")
        default:
            throw JinjaError(.type, "argument of type '\(container.typeName)' is not iterable")
        }
    }

    func negate(_ v: Value) throws -> Value {
        switch v {
        case .int(let i):
            let (r, o) = (0).subtractingReportingOverflow(i)
            if o { throw JinjaError(.overflow, "integer overflow") }
            return .int(r)
        case .bool(let b): return .int(b ? -1 : 0)
        case .float(let d): return .float(-d)
        default: throw JinjaError(.type, "bad operand type for unary -: '\(v.typeName)'")
        }
    }

    func positive(_ v: Value) throws -> Value {
        switch v {
        case .int, .float: return v
        case .bool(let b): return .int(b ? 1 : 0)
        default: throw JinjaError(.type, "bad operand type for unary +: '\(v.typeName)'")
        }
    }

    func binary(_ op: BinaryOp, _ l: Value, _ r: Value) throws -> Value {
        // Integer fast paths.
        if case .int(let a) = l, case .int(let b) = r {
            return try intOp(op, a, b)
        }
        if let x = l.numeric, let y = r.numeric {
            if case .i(let a) = x, case .i(let b) = y { return try intOp(op, a, b) }
            return try floatOp(op, x.double, y.double)
        }
        switch (op, l, r) {
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.add, .list(let a), .list(let b)): return .makeList(a.items + b.items)
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.mul, .tuple(let a), _), (.mul, _, .tuple(let a)):
            guard let n = (l.isTupleValue ? r : l).asInt else { break }
            if n > 0 && (a.count.multipliedReportingOverflow(by: n).overflow || a.count * n > 10_000_000) {
                throw JinjaError(.value, "tuple repetition too large")
            }
            var out: [Value] = []
            if n > 0 { for _ in 0..<n { out += a } }
            return .tuple(out)
        case (.mul, .string(let s), _), (.mul, _, .string(let s)):
            guard let n = (l.isStringKey ? r : l).asInt else { break }
            let repeated = try Safe.repeated(s, n)
            try burn(repeated.utf8.count / 4096)
            return .string(repeated)
        case (.mul, .list(let a), _), (.mul, _, .list(let a)):
            guard let n = (l.isListValue ? r : l).asInt else { break }
            if n > 0 && (a.items.count.multipliedReportingOverflow(by: n).overflow || a.items.count * n > 10_000_000) {
                throw JinjaError(.value, "list repetition too large")
            }
            var out: [Value] = []
            if n > 0 { for _ in 0..<n { out += a.items } }
            return .makeList(out)
        case (.mod, .string(let fmt), _):
            return .string(try Methods.percentFormat(fmt, r, self))
        default: break
        }
        let sym: String = switch op {
        case .add: "+"; case .sub: "-"; case .mul: "*"; case .div: "/"; case .floordiv: "//"; case .mod: "%"; case .pow: "** or pow()"
        }
        throw JinjaError(.type, "unsupported operand type(s) for \(sym): '\(l.typeName)' and '\(r.typeName)'")
    }

    func intOp(_ op: BinaryOp, _ a: Int, _ b: Int) throws -> Value {
        switch op {
        case .add:
            let (r, o) = a.addingReportingOverflow(b); if o { throw overflow() }; return .int(r)
        case .sub:
            let (r, o) = a.subtractingReportingOverflow(b); if o { throw overflow() }; return .int(r)
        case .mul:
            let (r, o) = a.multipliedReportingOverflow(by: b); if o { throw overflow() }; return .int(r)
        case .div:
            if b == 0 { throw JinjaError(.value, "division by zero") }
            return .float(Double(a) / Double(b))
        case .floordiv:
            if b == 0 { throw JinjaError(.value, "integer division or modulo by zero") }
            if a == Int.min && b == -1 { throw overflow() }
            var q = a / b
            if (a % b != 0) && ((a < 0) != (b < 0)) { q -= 1 }
            return .int(q)
        case .mod:
            if b == 0 { throw JinjaError(.value, "integer division or modulo by zero") }
            if b == -1 { return .int(0) }
            var m = a % b
            if m != 0 && ((m < 0) != (b < 0)) { m += b }
            return .int(m)
        case .pow:
            if b < 0 { return .float(Foundation.pow(Double(a), Double(b))) }
            var result = 1, base = a, e = b
            while e > 0 {
                if e & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base); if o { throw overflow() }; result = r
                }
                e >>= 1
                if e > 0 { let (r, o) = base.multipliedReportingOverflow(by: base); if o { throw overflow() }; base = r }
            }
            return .int(result)
        }
    }

    func overflow() -> JinjaError {
        JinjaError(.overflow, "integer overflow (Python would use a big integer)")
    }

    func floatOp(_ op: BinaryOp, _ a: Double, _ b: Double) throws -> Value {
        switch op {
        case .add: return .float(a + b)
        case .sub: return .float(a - b)
        case .mul: return .float(a * b)
        case .div:
            if b == 0 { throw JinjaError(.value, "float division by zero") }
            return .float(a / b)
        case .floordiv:
            if b == 0 { throw JinjaError(.value, "float floor division by zero") }
            return .float(pyFloatMod(a, b).div)
        case .mod:
            if b == 0 { throw JinjaError(.value, "float modulo") }
            return .float(pyFloatMod(a, b).mod)
        case .pow:
            if a == 0 && b < 0 { throw JinjaError(.value, "0.0 cannot be raised to a negative power") }
            let r = Foundation.pow(a, b)
            if r.isNaN && !a.isNaN && !b.isNaN { throw JinjaError(.value, "math domain error") }
            if r.isInfinite && a.isFinite && b.isFinite { throw JinjaError(.overflow, "(34, 'Numerical result out of range')") }
            return .float(r)
        }
    }

    /// CPython's `float_divmod`.
    func pyFloatMod(_ vx: Double, _ wx: Double) -> (div: Double, mod: Double) {
        var mod = fmod(vx, wx)
        var div = (vx - mod) / wx
        if mod != 0 {
            if (wx < 0) != (mod < 0) { mod += wx; div -= 1.0 }
        } else {
            mod = copysign(0.0, wx)
        }
        var floordiv: Double
        if div != 0 {
            floordiv = div.rounded(.down)
            if div - floordiv > 0.5 { floordiv += 1.0 }
        } else {
            floordiv = copysign(0.0, vx / wx)
        }
        return (floordiv, mod)
    }
}

extension Value {
    var isFloat: Bool { if case .float = self { return true }; return false }
    var isListValue: Bool { if case .list = self { return true }; return false }
    var isTupleValue: Bool { if case .tuple = self { return true }; return false }
}
