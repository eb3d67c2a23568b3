/// Jinja2's global functions (`range`, `dict`, `namespace`, `cycler`, `joiner`) and the
/// runtime objects templates see (`loop`, namespaces, imported modules).

/// The `loop` variable of a `for` block. Mutated only by the loop that owns it.
final class LoopState: JinjaObject, @unchecked Sendable {
    let items: [Value]
    let depth: Int
    let node: ForNode
    var index0 = 0
    var lastChanged: [Value]? = nil

    init(items: [Value], depth: Int, node: ForNode) {
        self.items = items
        self.depth = depth
        self.node = node
    }

    var typeName: String { "LoopContext" }
    var pythonStr: String { "<LoopContext \(index0 + 1)/\(items.count)>" }

    func attribute(_ name: String) -> Value? {
        let n = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(n - index0)
        case "revindex0": return .int(n - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == n - 1)
        case "length": return .int(n)
        case "depth": return .int(depth)
        case "depth0": return .int(depth - 1)
        case "previtem":
            return index0 > 0 ? items[index0 - 1] : .undefined(Undefined(name: "previtem", message: "there is no previous item"))
        case "nextitem":
            return index0 + 1 < n ? items[index0 + 1] : .undefined(Undefined(name: "nextitem", message: "there is no next item"))
        case "cycle":
            return .function(NativeFunction("cycle") { [self] args, _ in
                if args.positional.isEmpty { throw JinjaError(.type, "no items for cycling given") }
                return args.positional[self.index0 % args.positional.count]
            })
        case "changed":
            return .function(NativeFunction("changed") { [self] args, _ in
                let vals = args.positional
                if let last = self.lastChanged, last.count == vals.count, zip(last, vals).allSatisfy({ pyEquals($0, $1) }) {
                    return .bool(false)
                }
                self.lastChanged = vals
                return .bool(true)
            })
        default: return nil
        }
    }

    func call(_ args: Arguments, _ state: State) throws -> Value {
        guard node.recursive else {
            throw JinjaError(.type, "Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.")
        }
        return try state.recurse(self, args)
    }
}

/// `namespace(...)`: the one object `{% set ns.attr = … %}` may write.
final class Namespace: JinjaObject, @unchecked Sendable {
    let storage = DictStorage()
    var typeName: String { "Namespace" }
    func attribute(_ name: String) -> Value? { storage.get(.string(name)) }
    var pythonStr: String {
        var s = "<Namespace "
        Value.dict(storage).writeRepr(into: &s)
        return s + ">"
    }
}

/// `cycler(*items)`.
final class Cycler: JinjaObject, @unchecked Sendable {
    let items: [Value]
    var pos = 0
    init(_ items: [Value]) { self.items = items }
    var typeName: String { "Cycler" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "current": return items[pos]
        case "next":
            return .function(NativeFunction("next") { [self] _, _ in
                let v = self.items[self.pos]
                self.pos = (self.pos + 1) % self.items.count
                return v
            })
        case "reset":
            return .function(NativeFunction("reset") { [self] _, _ in self.pos = 0; return .none })
        default: return nil
        }
    }
}

/// `joiner(sep=', ')`: returns '' the first time it is called, then `sep`.
final class Joiner: JinjaObject, @unchecked Sendable {
    let sep: String
    var used = false
    init(_ sep: String) { self.sep = sep }
    var typeName: String { "Joiner" }
    func attribute(_ name: String) -> Value? { nil }
    func call(_ args: Arguments, _ state: State) throws -> Value {
        if !used { used = true; return "" }
        return .string(sep)
    }
}

/// An imported template (`{% import 'x' as m %}`): its macros and top-level variables.
final class ModuleObject: JinjaObject, @unchecked Sendable {
    let name: String
    let exports: [String: Value]
    let output: String
    init(name: String, exports: [String: Value], output: String) {
        self.name = name; self.exports = exports; self.output = output
    }
    var typeName: String { "TemplateModule" }
    func attribute(_ name: String) -> Value? { exports[name] }
    var pythonStr: String { output }
}

enum Globals {
    static func all() -> [String: Value] {
        [
            "range": .function(NativeFunction("range", range)),
            "dict": .function(NativeFunction("dict") { args, state in
                let d = DictStorage()
                if let first = args.positional.first {
                    if case .dict(let o) = first { for (k, v) in zip(o.keys, o.values) { d.set(k, v) } }
                    else {
                        for item in try state.iterate(first) {
                            let kv = try state.iterate(item)
                            guard kv.count == 2 else { throw JinjaError(.value, "dictionary update sequence element has wrong length") }
                            d.set(kv[0], kv[1])
                        }
                    }
                }
                for (k, v) in args.keyword { d.set(.string(k), v) }
                return .dict(d)
            }),
            "namespace": .function(NativeFunction("namespace") { args, state in
                let ns = Namespace()
                if let first = args.positional.first, case .dict(let o) = first {
                    for (k, v) in zip(o.keys, o.values) { ns.storage.set(k, v) }
                }
                for (k, v) in args.keyword { ns.storage.set(.string(k), v) }
                return .object(ns)
            }),
            "cycler": .function(NativeFunction("cycler") { args, _ in
                if args.positional.isEmpty { throw JinjaError(.runtime, "at least one item has to be provided") }
                return .object(Cycler(args.positional))
            }),
            "joiner": .function(NativeFunction("joiner") { args, _ in
                let b = try args.bind("joiner", ["sep"])
                return .object(Joiner(b[0]?.asString ?? ", "))
            }),
        ]
    }

    @Sendable static func range(_ args: Arguments, _ state: State) throws -> Value {
        if !args.keyword.isEmpty { throw JinjaError(.type, "range() takes no keyword arguments") }
        var ints: [Int] = []
        for v in args.positional {
            guard case .int(let i) = v.isBoolOrInt, let n = v.asInt else {
                throw JinjaError(.type, "'\(v.typeName)' object cannot be interpreted as an integer")
            }
            _ = i
            ints.append(n)
        }
        let start: Int, stop: Int, step: Int
        switch ints.count {
        case 1: (start, stop, step) = (0, ints[0], 1)
        case 2: (start, stop, step) = (ints[0], ints[1], 1)
        case 3: (start, stop, step) = (ints[0], ints[1], ints[2])
        default: throw JinjaError(.type, "range expected at most 3 arguments, got \(ints.count)")
        }
        if step == 0 { throw JinjaError(.value, "range() arg 3 must not be zero") }
        // Counted in Double: the Int expression can overflow for extreme bounds.
        let span = (Double(stop) - Double(start)) / Double(step)
        let countD = span > 0 ? span.rounded(.up) : 0
        if countD > Double(state.environment.limits.maxRange) {
            throw JinjaError(.value, "range too big (limit \(state.environment.limits.maxRange) items)")
        }
        let count = Int(countD)
        try state.burn(count / 16)
        if count > state.environment.limits.maxRange {
            throw JinjaError(.value, "range too big (\(count) items, limit \(state.environment.limits.maxRange))")
        }
        var out: [Value] = []
        out.reserveCapacity(count)
        var i = start
        for _ in 0..<count { out.append(.int(i)); i &+= step }
        return .makeList(out)
    }
}
