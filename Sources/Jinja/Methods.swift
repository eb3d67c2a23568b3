import Foundation

/// The Python methods templates call on builtin values (`s.upper()`, `xs.append(1)`, `d.items()`),
/// with CPython's semantics (Python library reference, "Built-in Types").
enum Methods {
    static let stringMethods: Set<String> = [
        "upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "replace", "startswith",
        "endswith", "format", "join", "find", "rfind", "index", "rindex", "count", "title", "capitalize",
        "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper", "isnumeric", "isdecimal",
        "istitle", "zfill", "center", "ljust", "rjust", "partition", "rpartition", "splitlines",
        "casefold", "swapcase", "removeprefix", "removesuffix", "isidentifier",
    ]
    static let listMethods: Set<String> = [
        "append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "sort", "copy", "clear",
    ]
    static let tupleMethods: Set<String> = ["index", "count"]
    static let dictMethods: Set<String> = [
        "items", "keys", "values", "get", "update", "pop", "setdefault", "copy", "clear", "popitem",
    ]

    static func has(_ v: Value, _ name: String) -> Bool {
        switch v {
        case .string: return stringMethods.contains(name)
        case .list: return listMethods.contains(name)
        case .tuple: return tupleMethods.contains(name)
        case .dict: return dictMethods.contains(name)
        default: return false
        }
    }

    /// `v.name` as a callable value (a bound method), or `nil`.
    static func bound(_ v: Value, _ name: String) -> Value? {
        guard has(v, name) else { return nil }
        return .function(NativeFunction(name) { args, state in try Methods.call(v, name, args, state) })
    }

    static func call(_ v: Value, _ name: String, _ args: Arguments, _ state: State) throws -> Value {
        switch v {
        case .string(let s): return try stringMethod(s, name, args, state)
        case .list(let l): return try listMethod(l, name, args, state)
        case .tuple(let t):
            return try listMethod(ListStorage(t), name, args, state)
        case .dict(let d): return try dictMethod(d, name, args, state)
        default: throw JinjaError(.type, "'\(v.typeName)' object has no attribute '\(name)'")
        }
    }

    // MARK: - str

    static func argString(_ v: Value?, _ fn: String) throws -> String? {
        guard let v else { return nil }
        switch v {
        case .none: return nil
        case .string(let s): return s
        default: throw JinjaError(.type, "\(fn) arg must be None or str")
        }
    }

    static func isPySpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" ||
            c == "\u{1C}" || c == "\u{1D}" || c == "\u{1E}" || c == "\u{1F}" || c == "\u{85}" ||
            (c.value >= 0xA0 && c.properties.isWhitespace)
    }

    static func strip(_ s: String, _ chars: String?, left: Bool, right: Bool) -> String {
        let scalars = Array(s.unicodeScalars)
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ c: Unicode.Scalar) -> Bool { set.map { $0.contains(c) } ?? isPySpace(c) }
        var a = 0, b = scalars.count
        if left { while a < b && strippable(scalars[a]) { a += 1 } }
        if right { while b > a && strippable(scalars[b - 1]) { b -= 1 } }
        if a == 0 && b == scalars.count { return s }
        var u = String.UnicodeScalarView()
        u.append(contentsOf: scalars[a..<b])
        return String(u)
    }

    /// `str.split(sep=None, maxsplit=-1)`.
    static func split(_ s: String, _ sep: String?, _ maxsplit: Int) throws -> [String] {
        if let sep {
            if sep.isEmpty { throw JinjaError(.value, "empty separator") }
            var out: [String] = []
            var rest = Substring(s)
            while maxsplit < 0 || out.count < maxsplit, let r = rest.range(of: sep) {
                out.append(String(rest[..<r.lowerBound]))
                rest = rest[r.upperBound...]
            }
            out.append(String(rest))
            return out
        }
        var out: [String] = []
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            while i < scalars.count && isPySpace(scalars[i]) { i += 1 }
            if i >= scalars.count { break }
            if maxsplit >= 0 && out.count >= maxsplit {
                var u = String.UnicodeScalarView(); u.append(contentsOf: scalars[i...])
                out.append(String(u))
                return out
            }
            var j = i
            while j < scalars.count && !isPySpace(scalars[j]) { j += 1 }
            var u = String.UnicodeScalarView(); u.append(contentsOf: scalars[i..<j])
            out.append(String(u))
            i = j
        }
        return out
    }

    static func rsplit(_ s: String, _ sep: String?, _ maxsplit: Int) throws -> [String] {
        if maxsplit < 0 { return try split(s, sep, -1) }
        if let sep {
            if sep.isEmpty { throw JinjaError(.value, "empty separator") }
            var out: [String] = []
            var rest = Substring(s)
            while out.count < maxsplit, let r = rest.range(of: sep, options: .backwards) {
                out.append(String(rest[r.upperBound...]))
                rest = rest[..<r.lowerBound]
            }
            out.append(String(rest))
            return out.reversed()
        }
        let reversed = String(String.UnicodeScalarView(s.unicodeScalars.reversed()))
        return try split(reversed, nil, maxsplit).map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }.reversed()
    }

    static func replace(_ s: String, _ old: String, _ new: String, _ count: Int) -> String {
        if count == 0 { return s }
        if old.isEmpty {
            var out = ""
            var n = 0
            for c in s.unicodeScalars {
                if count < 0 || n < count { out += new; n += 1 }
                out.unicodeScalars.append(c)
            }
            if count < 0 || n < count { out += new }
            return out
        }
        // Byte search: UTF-8 is self-synchronizing, so byte matches are scalar matches.
        var hay = Array(s.utf8)
        let needle = Array(old.utf8)
        guard let first = hay.firstIndex(of: needle[0]) else { return s }
        var out = [UInt8]()
        out.reserveCapacity(hay.count)
        out.append(contentsOf: hay[0..<first])
        let repl = Array(new.utf8)
        var i = first
        var n = 0
        let last = hay.count - needle.count
        while i <= last {
            if (count < 0 || n < count) && hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: repl)
                i += needle.count
                n += 1
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        if i < hay.count { out.append(contentsOf: hay[i...]) }
        hay = []
        return String(decoding: out, as: UTF8.self)
    }

    /// Python `str.title()`: a letter after a non-cased character starts a word.
    static func title(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var prevCased = false
        for c in s.unicodeScalars {
            let cased = c.properties.isCased
            if cased {
                out.append(contentsOf: (prevCased ? String(c).lowercased() : String(c).uppercased()).unicodeScalars)
            } else {
                out.append(c)
            }
            prevCased = cased
        }
        return String(out)
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return String(first).uppercased() + String(String.UnicodeScalarView(s.unicodeScalars.dropFirst())).lowercased()
    }

    static func scalarIndex(_ s: String, _ sub: String, reverse: Bool) -> Int? {
        let hay = Array(s.unicodeScalars), needle = Array(sub.unicodeScalars)
        if needle.count > hay.count { return nil }
        let range = 0...(hay.count - needle.count)
        for i in (reverse ? Array(range.reversed()) : Array(range)) where Array(hay[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    static func countOccurrences(_ s: String, _ sub: String) -> Int {
        if sub.isEmpty { return s.unicodeScalars.count + 1 }
        var n = 0
        var rest = Substring(s)
        while let r = rest.range(of: sub) { n += 1; rest = rest[r.upperBound...] }
        return n
    }

    static func pad(_ s: String, _ width: Int, _ fill: String, _ mode: Character) throws -> String {
        if fill.unicodeScalars.count != 1 { throw JinjaError(.type, "The fill character must be exactly one character long") }
        let len = s.unicodeScalars.count
        if width <= len { return s }
        let total = width - len
        switch mode {
        case "<": return s + (try Safe.repeated(fill, total))
        case ">": return (try Safe.repeated(fill, total)) + s
        default:
            // CPython centers with the extra space on the right unless both lengths are odd.
            let left = total / 2 + (total & width & 1)
            return (try Safe.repeated(fill, left)) + s + (try Safe.repeated(fill, total - left))
        }
    }

    static let noArgStringMethods: Set<String> = [
        "isdigit", "isnumeric", "isdecimal", "isalpha", "isalnum", "isspace", "islower", "isupper", "istitle",
        "isidentifier", "title", "capitalize", "upper", "lower", "casefold", "swapcase",
    ]

    static func stringMethod(_ s: String, _ name: String, _ args: Arguments, _ state: State) throws -> Value {
        if !args.isEmpty && noArgStringMethods.contains(name) {
            throw JinjaError(.type, "str.\(name)() takes no arguments (\(args.count) given)")
        }
        // Most str methods take positional-only arguments.
        if !args.keyword.isEmpty && !["split", "rsplit", "splitlines", "format"].contains(name) {
            throw JinjaError(.type, "str.\(name)() takes no keyword arguments")
        }
        switch name {
        case "upper": try args.expectNone(name); return .string(s.uppercased())
        case "lower": try args.expectNone(name); return .string(s.lowercased())
        case "casefold": try args.expectNone(name); return .string(s.lowercased())
        case "swapcase":
            try args.expectNone(name)
            return .string(String(s.map { $0.isUppercase ? Character($0.lowercased()) : ($0.isLowercase ? Character($0.uppercased()) : $0) }))
        case "strip", "lstrip", "rstrip":
            let b = try args.bind(name, ["chars"])
            let chars = try argString(b[0], name)
            return .string(strip(s, chars, left: name != "rstrip", right: name != "lstrip"))
        case "split", "rsplit":
            let b = try args.bind(name, ["sep", "maxsplit"])
            let sep = try argString(b[0], name)
            if let m = b[1], m.asInt == nil { throw JinjaError(.type, "'\(m.typeName)' object cannot be interpreted as an integer") }
            let maxsplit = b[1]?.asInt ?? -1
            let parts = name == "split" ? try split(s, sep, maxsplit) : try rsplit(s, sep, maxsplit)
            return .makeList(parts.map { .string($0) })
        case "splitlines":
            let b = try args.bind(name, ["keepends"])
            if let k = b[0], k.asInt == nil { throw JinjaError(.type, "'\(k.typeName)' object cannot be interpreted as an integer") }
            let keep = b[0]?.isTruthy ?? false
            var out: [Value] = []
            var cur = ""
            var it = Array(s.unicodeScalars)[...]
            while let c = it.first {
                it = it.dropFirst()
                if c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" || c == "\u{1C}" || c == "\u{1D}" || c == "\u{1E}" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}" {
                    var end = String(c)
                    if c == "\r", it.first == "\n" { it = it.dropFirst(); end = "\r\n" }
                    out.append(.string(keep ? cur + end : cur))
                    cur = ""
                } else {
                    cur.unicodeScalars.append(c)
                }
            }
            if !cur.isEmpty { out.append(.string(cur)) }
            return .makeList(out)
        case "replace":
            let b = try args.bind(name, ["old", "new", "count"])
            guard case .string(let old)? = b[0], case .string(let new)? = b[1] else {
                throw JinjaError(.type, "replace() argument must be str")
            }
            return .string(replace(s, old, new, b[2]?.asInt ?? -1))
        case "startswith", "endswith":
            let b = try args.bind(name, ["prefix", "start", "end"])
            for x in [b[1], b[2]] {
                if let x, !x.isNone, x.asInt == nil { throw JinjaError(.type, "slice indices must be integers or None") }
            }
            var target = s
            if let st = b[1]?.asInt {
                let sc = Array(s.unicodeScalars)
                let n = sc.count
                var a = st < 0 ? max(0, st + n) : min(st, n)
                var e = n
                if let en = b[2]?.asInt { e = en < 0 ? max(0, en + n) : min(en, n) }
                if a > e { a = e; return .bool(false) }
                target = String(String.UnicodeScalarView(sc[a..<e]))
            }
            let options: [Value]
            switch b[0] {
            case .string?: options = [b[0]!]
            case .tuple(let t)?: options = t
            default: throw JinjaError(.type, "\(name) first arg must be str or a tuple of str")
            }
            for o in options {
                guard case .string(let p) = o else { throw JinjaError(.type, "tuple for \(name) must only contain str") }
                if name == "startswith" ? target.unicodeScalars.starts(with: p.unicodeScalars)
                    : target.unicodeScalars.reversed().starts(with: p.unicodeScalars.reversed()) { return .bool(true) }
            }
            return .bool(false)
        case "format":
            return .string(try strFormat(s, args, state))
        case "join":
            let b = try args.bind(name, ["iterable"])
            guard let it = b[0] else { throw JinjaError(.type, "join() takes exactly one argument (0 given)") }
            var out = ""
            for (i, x) in try state.iterate(it).enumerated() {
                guard case .string(let t) = x else {
                    throw JinjaError(.type, "sequence item \(i): expected str instance, \(x.typeName) found")
                }
                if i > 0 { out += s }
                out += t
            }
            return .string(out)
        case "find", "rfind", "index", "rindex":
            let b = try args.bind(name, ["sub", "start", "end"])
            guard case .string(let sub)? = b[0] else { throw JinjaError(.type, "must be str") }
            for x in [b[1], b[2]] {
                if let x, !x.isNone, x.asInt == nil { throw JinjaError(.type, "slice indices must be integers or None") }
            }
            var offset = 0
            var hay = s
            if let st = b[1]?.asInt {
                let sc = Array(s.unicodeScalars)
                let n = sc.count
                let a = st < 0 ? max(0, st + n) : min(st, n)
                var e = n
                if let en = b[2]?.asInt { e = en < 0 ? max(0, en + n) : min(en, n) }
                hay = a <= e ? String(String.UnicodeScalarView(sc[a..<e])) : ""
                offset = a
            }
            if let i = scalarIndex(hay, sub, reverse: name.hasPrefix("r")) { return .int(i + offset) }
            if name.hasSuffix("index") { throw JinjaError(.value, "substring not found") }
            return .int(-1)
        case "count":
            let b = try args.bind(name, ["sub", "start", "end"])
            guard case .string(let sub)? = b[0] else { throw JinjaError(.type, "must be str") }
            for x in [b[1], b[2]] {
                if let x, !x.isNone, x.asInt == nil { throw JinjaError(.type, "slice indices must be integers or None") }
            }
            var hay = s
            if let st = b[1]?.asInt {
                let sc = Array(s.unicodeScalars)
                let n = sc.count
                let a = st < 0 ? max(0, st + n) : min(st, n)
                var e = n
                if let en = b[2]?.asInt { e = en < 0 ? max(0, en + n) : min(en, n) }
                if a > e { return .int(0) }
                hay = String(String.UnicodeScalarView(sc[a..<e]))
            }
            return .int(countOccurrences(hay, sub))
        case "title": try args.expectNone(name); return .string(title(s))
        case "capitalize": try args.expectNone(name); return .string(capitalize(s))
        case "isdigit", "isnumeric", "isdecimal":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType != nil && (name != "isdecimal" || $0.properties.generalCategory == .decimalNumber) })
        case "isalpha": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic })
        case "isalnum": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        case "isspace": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(isPySpace))
        case "islower":
            let cased = s.unicodeScalars.filter { $0.properties.isCased }
            return .bool(!cased.isEmpty && cased.allSatisfy { $0.properties.isLowercase })
        case "isupper":
            let cased = s.unicodeScalars.filter { $0.properties.isCased }
            return .bool(!cased.isEmpty && cased.allSatisfy { $0.properties.isUppercase })
        case "istitle": return .bool(!s.isEmpty && title(s) == s && s.unicodeScalars.contains { $0.properties.isCased })
        case "isidentifier":
            guard let f = s.unicodeScalars.first, f == "_" || f.properties.isAlphabetic else { return .bool(false) }
            return .bool(s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil })
        case "zfill":
            let b = try args.bind(name, ["width"])
            guard let w = b[0]?.asInt else { throw JinjaError(.type, "zfill() takes exactly one integer argument") }
            let n = s.unicodeScalars.count
            if w <= n { return .string(s) }
            if let f = s.first, f == "-" || f == "+" {
                return .string(String(f) + (try Safe.repeated("0", w - n)) + s.dropFirst())
            }
            return .string((try Safe.repeated("0", w - n)) + s)
        case "center", "ljust", "rjust":
            let b = try args.bind(name, ["width", "fillchar"])
            guard let w = b[0]?.asInt else { throw JinjaError(.type, "\(name)() takes at least 1 argument") }
            if let f = b[1], f.asString == nil { throw JinjaError(.type, "The fill character must be a unicode character, not \(f.typeName)") }
            let fill = b[1]?.asString ?? " "
            return .string(try pad(s, w, fill, name == "center" ? "^" : (name == "ljust" ? "<" : ">")))
        case "partition", "rpartition":
            let b = try args.bind(name, ["sep"])
            guard case .string(let sep)? = b[0], !sep.isEmpty else { throw JinjaError(.value, "empty separator") }
            let r = name == "partition" ? s.range(of: sep) : s.range(of: sep, options: .backwards)
            guard let r else {
                return name == "partition" ? .tuple([.string(s), "", ""]) : .tuple(["", "", .string(s)])
            }
            return .tuple([.string(String(s[..<r.lowerBound])), .string(sep), .string(String(s[r.upperBound...]))])
        case "removeprefix":
            let b = try args.bind(name, ["prefix"])
            guard let p = b[0]?.asString else { throw JinjaError(.type, "removeprefix() argument must be str") }
            return .string(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case "removesuffix":
            let b = try args.bind(name, ["suffix"])
            guard let p = b[0]?.asString else { throw JinjaError(.type, "removesuffix() argument must be str") }
            return .string(!p.isEmpty && s.hasSuffix(p) ? String(s.dropLast(p.count)) : s)
        default:
            throw JinjaError(.type, "'str' object has no attribute '\(name)'")
        }
    }

    // MARK: - list

    static func listMethod(_ l: ListStorage, _ name: String, _ args: Arguments, _ state: State) throws -> Value {
        switch name {
        case "append":
            let b = try args.bind(name, ["object"])
            guard let x = b[0] else { throw JinjaError(.type, "append() takes exactly one argument (0 given)") }
            l.items.append(x); return .none
        case "extend":
            let b = try args.bind(name, ["iterable"])
            guard let x = b[0] else { throw JinjaError(.type, "extend() takes exactly one argument (0 given)") }
            l.items.append(contentsOf: try state.iterate(x)); return .none
        case "insert":
            let b = try args.bind(name, ["index", "object"])
            guard let i = b[0]?.asInt, let x = b[1] else { throw JinjaError(.type, "insert expected 2 arguments") }
            let n = l.items.count
            let j = i < 0 ? max(0, i + n) : min(i, n)
            l.items.insert(x, at: j); return .none
        case "pop":
            let b = try args.bind(name, ["index"])
            if let x = b[0], x.asInt == nil { throw JinjaError(.type, "'\(x.typeName)' object cannot be interpreted as an integer") }
            if l.items.isEmpty { throw JinjaError(.value, "pop from empty list") }
            let i = b[0]?.asInt ?? -1
            let j = i < 0 ? i + l.items.count : i
            guard j >= 0 && j < l.items.count else { throw JinjaError(.value, "pop index out of range") }
            return l.items.remove(at: j)
        case "remove":
            let b = try args.bind(name, ["value"])
            guard let x = b[0], let i = l.items.firstIndex(where: { pyEquals($0, x) }) else {
                throw JinjaError(.value, "list.remove(x): x not in list")
            }
            l.items.remove(at: i); return .none
        case "index":
            let b = try args.bind(name, ["value", "start", "stop"])
            guard let x = b[0], let i = l.items.firstIndex(where: { pyEquals($0, x) }) else {
                throw JinjaError(.value, "\(b[0]?.pythonRepr() ?? "") is not in list")
            }
            return .int(i)
        case "count":
            let b = try args.bind(name, ["value"])
            guard let x = b[0] else { throw JinjaError(.type, "count() takes exactly one argument (0 given)") }
            return .int(l.items.filter { pyEquals($0, x) }.count)
        case "reverse": try args.expectNone(name); l.items.reverse(); return .none
        case "sort":
            guard args.positional.isEmpty else { throw JinjaError(.type, "sort() takes no positional arguments") }
            let b = try args.bind(name, ["key", "reverse"])
            let rev = b[1]?.isTruthy ?? false
            var keyed: [(Value, Value)] = []
            for x in l.items { keyed.append((try b[0].map { try state.callValue($0, Arguments([x])) } ?? x, x)) }
            let sorted = try stableSort(keyed, reverse: rev) { try pyLess($0.0, $1.0) }
            l.items = sorted.map { $0.1 }
            return .none
        case "copy": try args.expectNone(name); return .makeList(l.items)
        case "clear": try args.expectNone(name); l.items.removeAll(); return .none
        default: throw JinjaError(.type, "'list' object has no attribute '\(name)'")
        }
    }

    /// A stable merge sort whose comparator may throw (Python's `sorted` is stable; with
    /// `reverse` it keeps equal items in their original order).
    static func stableSort<T>(_ items: [T], reverse: Bool = false, by less: (T, T) throws -> Bool) throws -> [T] {
        if items.count < 2 { return items }
        var a = items
        var buf = items
        var width = 1
        let n = a.count
        while width < n {
            var i = 0
            while i < n {
                let mid = min(i + width, n), hi = min(i + 2 * width, n)
                var l = i, r = mid, k = i
                while l < mid && r < hi {
                    // Take from the right only when strictly before the left item.
                    let takeRight = reverse ? try less(a[l], a[r]) : try less(a[r], a[l])
                    if takeRight { buf[k] = a[r]; r += 1 } else { buf[k] = a[l]; l += 1 }
                    k += 1
                }
                while l < mid { buf[k] = a[l]; l += 1; k += 1 }
                while r < hi { buf[k] = a[r]; r += 1; k += 1 }
                i += 2 * width
            }
            swap(&a, &buf)
            width *= 2
        }
        return a
    }

    // MARK: - dict

    static func dictMethod(_ d: DictStorage, _ name: String, _ args: Arguments, _ state: State) throws -> Value {
        switch name {
        case "items": try args.expectNone(name); return .makeList(zip(d.keys, d.values).map { .tuple([$0, $1]) })
        case "keys": try args.expectNone(name); return .makeList(d.keys)
        case "values": try args.expectNone(name); return .makeList(d.values)
        case "get":
            let b = try args.bind(name, ["key", "default"])
            guard let k = b[0] else { throw JinjaError(.type, "get expected at least 1 argument, got 0") }
            guard k.isHashable else { throw JinjaError(.type, "unhashable type: '\(k.typeName)'") }
            return d.get(k) ?? b[1] ?? .none
        case "update":
            if let other = args.positional.first {
                switch other {
                case .dict(let o): for (k, v) in zip(o.keys, o.values) { d.set(k, v) }
                default:
                    for item in try state.iterate(other) {
                        let kv = try state.iterate(item)
                        guard kv.count == 2 else { throw JinjaError(.value, "dictionary update sequence element has wrong length") }
                        d.set(kv[0], kv[1])
                    }
                }
            }
            for (k, v) in args.keyword { d.set(.string(k), v) }
            return .none
        case "pop":
            let b = try args.bind(name, ["key", "default"])
            guard let k = b[0] else { throw JinjaError(.type, "pop expected at least 1 argument, got 0") }
            if let v = d.remove(k) { return v }
            if let def = b[1] { return def }
            throw JinjaError(.value, "KeyError: \(k.pythonRepr())")
        case "setdefault":
            let b = try args.bind(name, ["key", "default"])
            guard let k = b[0] else { throw JinjaError(.type, "setdefault expected at least 1 argument, got 0") }
            if let v = d.get(k) { return v }
            let v = b[1] ?? .none
            d.set(k, v)
            return v
        case "copy": try args.expectNone(name); return .dict(d.copy())
        case "clear": try args.expectNone(name); d.removeAll(); return .none
        case "popitem":
            guard let k = d.keys.last else { throw JinjaError(.value, "KeyError: 'popitem(): dictionary is empty'") }
            let v = d.remove(k) ?? .none
            return .tuple([k, v])
        default: throw JinjaError(.type, "'dict' object has no attribute '\(name)'")
        }
    }
}
