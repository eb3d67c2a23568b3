/// Jinja2's built-in tests (jinja2/tests.py, 3.1).
enum Tests {
    static func all() -> [String: TestFunction] {
        func cmp(_ op: CompareOp) -> TestFunction {
            { v, args, state in
                guard let other = args.value(0, "b") else { throw JinjaError(.type, "test takes exactly 1 argument") }
                return try state.compare(op, v, other)
            }
        }
        var t: [String: TestFunction] = [
            "boolean": { v, _, _ in if case .bool = v { return true }; return false },
            "callable": { v, _, _ in
                switch v {
                case .function, .macro: return true
                case .object(let o): return o is LoopState || o is Joiner
                default: return false
                }
            },
            "defined": { v, _, _ in !v.isUndefined },
            "undefined": { v, _, _ in v.isUndefined },
            "divisibleby": { v, args, state in
                guard let n = args.value(0, "num") else { throw JinjaError(.type, "divisibleby() missing argument") }
                let r = try state.binary(.mod, try state.defined(v), n)
                return pyEquals(r, .int(0))
            },
            "escaped": { _, _, _ in false },
            "even": { v, _, state in
                guard let i = try state.defined(v).asInt else {
                    if case .float(let d) = v { return d.truncatingRemainder(dividingBy: 2) == 0 }
                    throw JinjaError(.type, "unsupported operand type(s) for %: '\(v.typeName)' and 'int'")
                }
                return i % 2 == 0
            },
            "odd": { v, _, state in
                guard let i = try state.defined(v).asInt else {
                    if case .float(let d) = v { return abs(d.truncatingRemainder(dividingBy: 2)) == 1 }
                    throw JinjaError(.type, "unsupported operand type(s) for %: '\(v.typeName)' and 'int'")
                }
                return i % 2 != 0
            },
            "false": { v, _, _ in if case .bool(false) = v { return true }; return false },
            "true": { v, _, _ in if case .bool(true) = v { return true }; return false },
            "filter": { v, _, state in v.asString.map { state.filters[$0] != nil } ?? false },
            "test": { v, _, state in v.asString.map { state.tests[$0] != nil } ?? false },
            "float": { v, _, _ in if case .float = v { return true }; return false },
            "integer": { v, _, _ in if case .int = v { return true }; return false },
            "in": { v, args, state in
                guard let seq = args.value(0, "seq") else { throw JinjaError(.type, "test_in() missing argument") }
                return try state.contains(seq, v)
            },
            "iterable": { v, _, state in
                switch v {
                case .string, .list, .tuple, .dict: return true
                case .undefined(let u): if state.isStrict(u) { throw state.undefinedError(u) }; return true
                case .object(let o): return o.iterate() != nil
                default: return false
                }
            },
            "lower": { v, _, state in
                let s = try state.str(v)
                let cased = s.unicodeScalars.filter { $0.properties.isCased }
                return !cased.isEmpty && cased.allSatisfy { $0.properties.isLowercase }
            },
            "upper": { v, _, state in
                let s = try state.str(v)
                let cased = s.unicodeScalars.filter { $0.properties.isCased }
                return !cased.isEmpty && cased.allSatisfy { $0.properties.isUppercase }
            },
            "mapping": { v, _, _ in if case .dict = v { return true }; return false },
            "none": { v, _, _ in v.isNone },
            "number": { v, _, _ in
                switch v { case .int, .float, .bool: return true; default: return false }
            },
            "sameas": { v, args, _ in
                guard let other = args.value(0, "other") else { throw JinjaError(.type, "sameas() missing argument") }
                switch (v, other) {
                case (.list(let a), .list(let b)): return a === b
                case (.dict(let a), .dict(let b)): return a === b
                case (.none, .none): return true
                case (.bool(let a), .bool(let b)): return a == b
                case (.int(let a), .int(let b)): return a == b && a >= -5 && a <= 256
                case (.object(let a), .object(let b)): return a === b
                case (.macro(let a), .macro(let b)): return a === b
                default: return false
                }
            },
            "sequence": { v, _, state in
                switch v {
                case .string, .list, .tuple, .dict: return true
                // jinja2.Undefined has __len__/__getitem__; StrictUndefined's __len__ raises (→ False).
                case .undefined(let u): return !state.isStrict(u)
                default: return false
                }
            },
            "string": { v, _, _ in if case .string = v { return true }; return false },
        ]
        t["eq"] = cmp(.eq); t["equalto"] = cmp(.eq); t["=="] = cmp(.eq)
        t["ne"] = cmp(.ne); t["!="] = cmp(.ne)
        t["lt"] = cmp(.lt); t["lessthan"] = cmp(.lt); t["<"] = cmp(.lt)
        t["le"] = cmp(.lteq); t["<="] = cmp(.lteq)
        t["gt"] = cmp(.gt); t["greaterthan"] = cmp(.gt); t[">"] = cmp(.gt)
        t["ge"] = cmp(.gteq); t[">="] = cmp(.gteq)
        return t
    }
}
