import Foundation

/// Sequence and mapping filters (`join`, `map`, `select`, `sort`, `groupby` …).
extension Filters {
    static func collectionFilters() -> [String: FilterFunction] {
        [
            "batch": batch, "count": length, "length": length, "dictsort": dictsort, "first": first,
            "last": last, "groupby": groupby, "items": items, "join": join, "list": list, "map": map,
            "max": max, "min": min, "reject": reject, "rejectattr": rejectattr, "select": select,
            "selectattr": selectattr, "reverse": reverse, "slice": slice, "sort": sort, "sum": sum,
            "unique": unique, "random": random,
        ]
    }

    /// Jinja2's `make_attrgetter`: `a.b.0` → getitem per part (ints for digit parts).
    static func attrGetter(_ attribute: Value?, _ state: State, default def: Value? = nil) throws -> ((Value) throws -> Value)? {
        guard let attribute, !attribute.isNone else { return nil }
        let parts: [Value]
        if case .string(let a) = attribute {
            parts = a.split(separator: ".", omittingEmptySubsequences: false).map { p in
                Int(p).map { .int($0) } ?? .string(String(p))
            }
        } else {
            parts = [attribute]
        }
        return { item in
            var v = item
            for p in parts {
                v = try state.getitem(v, p)
                if v.isUndefined, let def { return def }
            }
            return v
        }
    }

    /// Jinja2's `ignore_case` sort key.
    static func ignoreCase(_ v: Value, _ caseSensitive: Bool) -> Value {
        if !caseSensitive, case .string(let s) = v { return .string(s.lowercased()) }
        return v
    }

    static let batch: FilterFunction = { v, args, state in
        let b = try args.bind("batch", ["linecount", "fill_with"])
        // Jinja2 compares `len(tmp) == linecount`: a non-int count never matches.
        let n: Int
        if let x = b[0], x.asInt == nil, case .float(let f) = x { n = Safe.int(f) ?? -1 }
        else if let x = b[0], x.asInt == nil { n = -1 } else { n = b[0]?.asInt ?? 1 }
        if let x = b[0], x.asInt == nil, let fill = b[1], !fill.isNone {
            throw JinjaError(.type, "unsupported operand type(s) for -: '\(x.typeName)' and 'int'")
        }
        var out: [Value] = []
        var tmp: [Value] = []
        for item in try state.iterate(v) {
            if tmp.count == n { out.append(.makeList(tmp)); tmp = [] }
            tmp.append(item)
        }
        if !tmp.isEmpty {
            if let fill = b[1], !fill.isNone, tmp.count < n {
                _ = try Safe.width(n)
                while tmp.count < n { tmp.append(fill) }
            }
            out.append(.makeList(tmp))
        }
        return .makeList(out)
    }

    static func len(_ v: Value, _ state: State) throws -> Int {
        switch v {
        case .string(let s): return s.unicodeScalars.count
        case .list(let l): return l.items.count
        case .tuple(let t): return t.count
        case .dict(let d): return d.count
        case .undefined(let u): if state.isStrict(u) { throw state.undefinedError(u) }; return 0
        case .object(let o):
            if let items = o.iterate() { return items.count }
            throw JinjaError(.type, "object of type '\(o.typeName)' has no len()")
        default: throw JinjaError(.type, "object of type '\(v.typeName)' has no len()")
        }
    }

    static let length: FilterFunction = { v, _, state in .int(try len(v, state)) }

    static let dictsort: FilterFunction = { v, args, state in
        let b = try args.bind("dictsort", ["case_sensitive", "by", "reverse"])
        let cs = b[0]?.isTruthy ?? false
        let by = b[1]?.asString ?? "key"
        let rev = b[2]?.isTruthy ?? false
        guard case .dict(let d) = v else {
            if case .undefined(let u) = v, state.isStrict(u) { throw state.undefinedError(u) }
            throw JinjaError(.type, "dictsort expects a dict")
        }
        let pos: Int
        switch by { case "key": pos = 0; case "value": pos = 1; default: throw JinjaError(.runtime, "You can only sort by either \"key\" or \"value\"") }
        let pairs = zip(d.keys, d.values).map { [$0, $1] }
        let sorted = try Methods.stableSort(pairs, reverse: rev) { try pyLess(ignoreCase($0[pos], cs), ignoreCase($1[pos], cs)) }
        return .makeList(sorted.map { .tuple($0) })
    }

    static let first: FilterFunction = { v, _, state in
        try state.iterate(v).first ?? .undefined(Undefined(name: "first", message: "No first item, sequence was empty."))
    }

    static let last: FilterFunction = { v, _, state in
        try state.iterate(v).last ?? .undefined(Undefined(name: "last", message: "No last item, sequence was empty."))
    }

    static let groupby: FilterFunction = { v, args, state in
        let b = try args.bind("groupby", ["attribute", "default", "case_sensitive"])
        let cs = b[2]?.isTruthy ?? false
        guard let get = try attrGetter(b[0], state, default: b[1]) else { throw JinjaError(.type, "groupby() missing attribute") }
        var keyed: [(Value, Value)] = []
        for item in try state.iterate(v) { keyed.append((ignoreCase(try get(item), cs), item)) }
        let sorted = try Methods.stableSort(keyed) { try pyLess($0.0, $1.0) }
        var groups: [Value] = []
        var i = 0
        while i < sorted.count {
            let key = sorted[i].0
            var members: [Value] = []
            var j = i
            while j < sorted.count && pyEquals(sorted[j].0, key) { members.append(sorted[j].1); j += 1 }
            let grouper = cs ? key : try get(members[0])
            groups.append(.object(GroupTuple(grouper: grouper, list: .makeList(members))))
            i = j
        }
        return .makeList(groups)
    }

    static let items: FilterFunction = { v, _, state in
        switch v {
        case .dict(let d): return .makeList(zip(d.keys, d.values).map { .tuple([$0, $1]) })
        case .undefined(let u): if state.isStrict(u) { throw state.undefinedError(u) }; return .makeList([])
        default: throw JinjaError(.type, "items() expects a mapping, got \(v.typeName)")
        }
    }

    static let join: FilterFunction = { v, args, state in
        let b = try args.bind("join", ["d", "attribute"])
        let sep = try b[0].map { try s($0, state) } ?? ""
        let get = try attrGetter(b[1], state)
        var out = ""
        for (i, item) in try state.iterate(v).enumerated() {
            if i > 0 { out += sep }
            out += try s(try get?(item) ?? item, state)
        }
        return .string(out)
    }

    static let list: FilterFunction = { v, _, state in .makeList(try state.iterate(v)) }

    static let map: FilterFunction = { v, args, state in
        // Jinja2's `do_map` iterates only `if value:` (so `none | map(...)` is empty).
        guard try state.truthy(v) else { return .makeList([]) }
        let items = try state.iterate(v)
        if let attribute = args.keyword("attribute") {
            let def = args.keyword("default")
            guard let get = try attrGetter(attribute, state, default: def) else { return .makeList(items) }
            return .makeList(try items.map(get))
        }
        guard let name = args.positional.first?.asString else {
            if args.positional.isEmpty { throw JinjaError(.runtime, "map requires a filter argument") }
            throw JinjaError(.type, "map filter name must be a string")
        }
        guard let f = state.filters[name] else { throw JinjaError(.runtime, "No filter named '\(name)'.") }
        let rest = Arguments(Array(args.positional.dropFirst()), keyword: args.keyword)
        return .makeList(try items.map { try f($0, rest, state) })
    }

    static func minMax(_ v: Value, _ args: Arguments, _ state: State, max: Bool) throws -> Value {
        let b = try args.bind(max ? "max" : "min", ["case_sensitive", "attribute"])
        let cs = b[0]?.isTruthy ?? false
        let get = try attrGetter(b[1], state)
        let items = try state.iterate(v)
        guard var best = items.first else {
            return .undefined(Undefined(name: max ? "max" : "min", message: "No aggregated item, sequence was empty."))
        }
        var bestKey = ignoreCase(try get?(best) ?? best, cs)
        for item in items.dropFirst() {
            let k = ignoreCase(try get?(item) ?? item, cs)
            if max ? try pyLess(bestKey, k) : try pyLess(k, bestKey) { best = item; bestKey = k }
        }
        return best
    }

    static let max: FilterFunction = { v, args, state in try minMax(v, args, state, max: true) }
    static let min: FilterFunction = { v, args, state in try minMax(v, args, state, max: false) }

    /// Shared body of select/reject/selectattr/rejectattr (Jinja2's `select_or_reject`).
    static func selectOrReject(_ v: Value, _ args: Arguments, _ state: State, attr: Bool, keep: Bool) throws -> Value {
        // Jinja2 resolves the test lazily, only when there is something to iterate.
        guard try state.truthy(v) else { return .makeList([]) }
        var pos = args.positional
        var get: ((Value) throws -> Value)? = nil
        if attr {
            guard !pos.isEmpty else { throw JinjaError(.type, "Missing parameter for attribute name") }
            get = try attrGetter(pos.removeFirst(), state)
        }
        var test: ((Value) throws -> Bool)
        if let nameValue = pos.first {
            guard let name = nameValue.asString else { throw JinjaError(.type, "test name must be a string") }
            guard let t = state.tests[name] else { throw JinjaError(.runtime, "No test named '\(name)'.") }
            let rest = Arguments(Array(pos.dropFirst()), keyword: args.keyword)
            test = { try t($0, rest, state) }
        } else {
            test = { try state.truthy($0) }
        }
        var out: [Value] = []
        guard try state.truthy(v) else { return .makeList([]) }
        for item in try state.iterate(v) where try test(try get?(item) ?? item) == keep { out.append(item) }
        return .makeList(out)
    }

    static let select: FilterFunction = { v, a, st in try selectOrReject(v, a, st, attr: false, keep: true) }
    static let reject: FilterFunction = { v, a, st in try selectOrReject(v, a, st, attr: false, keep: false) }
    static let selectattr: FilterFunction = { v, a, st in try selectOrReject(v, a, st, attr: true, keep: true) }
    static let rejectattr: FilterFunction = { v, a, st in try selectOrReject(v, a, st, attr: true, keep: false) }

    static let reverse: FilterFunction = { v, _, state in
        if case .string(let s) = v { return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed()))) }
        return .makeList(try state.iterate(v).reversed())
    }

    static let slice: FilterFunction = { v, args, state in
        let b = try args.bind("slice", ["slices", "fill_with"])
        let slices = try intArg(b[0], "slices", default: 1)
        _ = try Safe.width(slices)
        let seq = try state.iterate(v)
        if slices == 0 { throw JinjaError(.value, "integer division or modulo by zero") }
        if slices < 0 { return .makeList([]) }
        try state.burn(slices / 16)
        let length = seq.count
        let perSlice = length / slices
        let withExtra = length % slices
        var offset = 0
        var out: [Value] = []
        for i in 0..<slices {
            let start = offset + i * perSlice
            if i < withExtra { offset += 1 }
            let end = offset + (i + 1) * perSlice
            var tmp = Array(seq[Swift.min(start, length)..<Swift.min(end, length)])
            if let fill = b[1], !fill.isNone, i >= withExtra { tmp.append(fill) }
            out.append(.makeList(tmp))
        }
        return .makeList(out)
    }

    static let sort: FilterFunction = { v, args, state in
        let b = try args.bind("sort", ["reverse", "case_sensitive", "attribute"])
        if let r = b[0], r.asInt == nil { throw JinjaError(.type, "'\(r.typeName)' object cannot be interpreted as an integer") }
        let rev = b[0]?.isTruthy ?? false
        let cs = b[1]?.isTruthy ?? false
        var getters: [(Value) throws -> Value] = []
        if let a = b[2], case .string(let spec) = a, spec.contains(",") {
            for part in spec.split(separator: ",") {
                if let g = try attrGetter(.string(part.trimmingCharacters(in: .whitespaces)), state) { getters.append(g) }
            }
        } else if let g = try attrGetter(b[2], state) {
            getters = [g]
        }
        let items = try state.iterate(v)
        var keyed: [(Value, Value)] = []
        for item in items {
            let key: Value
            if getters.count > 1 { key = .tuple(try getters.map { ignoreCase(try $0(item), cs) }) }
            else { key = ignoreCase(try getters.first?(item) ?? item, cs) }
            keyed.append((key, item))
        }
        let sorted = try Methods.stableSort(keyed, reverse: rev) { try pyLess($0.0, $1.0) }
        return .makeList(sorted.map { $0.1 })
    }

    static let sum: FilterFunction = { v, args, state in
        let b = try args.bind("sum", ["attribute", "start"])
        let get = try attrGetter(b[0], state)
        var total = b[1] ?? .int(0)
        for item in try state.iterate(v) {
            total = try state.binary(.add, total, try state.defined(try get?(item) ?? item))
        }
        return total
    }

    static let unique: FilterFunction = { v, args, state in
        let b = try args.bind("unique", ["case_sensitive", "attribute"])
        let cs = b[0]?.isTruthy ?? false
        let get = try attrGetter(b[1], state)
        var seen = Set<HashKey>()
        var out: [Value] = []
        for item in try state.iterate(v) {
            let key = ignoreCase(try get?(item) ?? item, cs)
            guard key.isHashable else { throw JinjaError(.type, "unhashable type: '\(key.typeName)'") }
            if seen.insert(HashKey(key)).inserted { out.append(item) }
        }
        return .makeList(out)
    }

    static let random: FilterFunction = { v, _, state in
        let items = try state.iterate(v)
        return items.randomElement() ?? .undefined(Undefined(name: "random", message: "No random item, sequence was empty."))
    }
}

/// `groupby` results: a `(grouper, list)` named tuple.
final class GroupTuple: JinjaObject, @unchecked Sendable {
    let grouper: Value
    let list: Value
    init(grouper: Value, list: Value) { self.grouper = grouper; self.list = list }
    var typeName: String { "_GroupTuple" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "grouper": return grouper
        case "list": return list
        default: return nil
        }
    }
    func item(_ key: Value) -> Value? {
        switch key.asInt { case 0: return grouper; case 1: return list; default: return nil }
    }
    func iterate() -> [Value]? { [grouper, list] }
    // Jinja2's _GroupTuple prints like a plain tuple.
    var pythonStr: String { pythonRepr }
    var pythonRepr: String { Value.tuple([grouper, list]).pythonRepr() }
}
