import Foundation

/// Jinja2's built-in filters (jinja2/filters.py, 3.1), string-valued ones here; sequence
/// filters live in `Filters+Collections.swift`.
enum Filters {
    static func all() -> [String: FilterFunction] {
        var t: [String: FilterFunction] = [
            "abs": abs, "attr": attr, "capitalize": capitalize, "center": center, "default": `default`,
            "d": `default`, "escape": escape, "e": escape, "forceescape": escape, "filesizeformat": filesizeformat,
            "float": float, "format": format, "indent": indent, "int": int, "lower": lower, "upper": upper,
            "replace": replace, "round": round, "safe": string, "string": string, "striptags": striptags,
            "title": title, "tojson": tojson, "trim": trim, "truncate": truncate, "urlencode": urlencode,
            "wordcount": wordcount, "wordwrap": wordwrap, "xmlattr": xmlattr, "pprint": pprint,
        ]
        for (k, v) in collectionFilters() { t[k] = v }
        // Filters without parameters reject arguments, as Python does for extra arguments.
        for name in ["capitalize", "escape", "e", "forceescape", "lower", "upper", "safe", "string", "striptags",
                     "title", "wordcount", "pprint", "first", "last", "length", "count", "list", "reverse",
                     "items", "random", "urlencode"] {
            guard let f = t[name] else { continue }
            t[name] = { v, args, state in
                try args.expectNone(name)
                return try f(v, args, state)
            }
        }
        // Required parameters (Python's "missing 1 required positional argument").
        for (name, required) in [("attr", ["name"]), ("batch", ["linecount"]), ("groupby", ["attribute"]),
                                 ("replace", ["old", "new"]), ("slice", ["slices"])] {
            guard let f = t[name] else { continue }
            t[name] = { v, args, state in
                for (i, p) in required.enumerated() where args.value(i, p) == nil {
                    throw JinjaError(.type, "\(name)() missing required argument: '\(p)'")
                }
                return try f(v, args, state)
            }
        }
        return t
    }

    // MARK: - Helpers

    /// Jinja2's `soft_str`: `str(value)`, strict undefined fails.
    static func s(_ v: Value, _ state: State) throws -> String { try state.str(v) }

    static func intArg(_ v: Value?, _ name: String, default d: Int) throws -> Int {
        guard let v else { return d }
        guard let i = v.asInt else {
            throw JinjaError(.type, "'\(v.typeName)' object cannot be interpreted as an integer (\(name))")
        }
        return i
    }

    // MARK: - Filters

    static let abs: FilterFunction = { v, args, state in
        try args.expectNone("abs")
        switch try state.defined(v) {
        case .int(let i):
            if i == Int.min { throw JinjaError(.overflow, "integer overflow") }
            return .int(Swift.abs(i))
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(Swift.abs(d))
        default: throw JinjaError(.type, "bad operand type for abs(): '\(v.typeName)'")
        }
    }

    static let attr: FilterFunction = { v, args, state in
        let b = try args.bind("attr", ["name"])
        let name = try s(b[0] ?? "", state)
        switch v {
        case .object(let o): if let x = o.attribute(name) { return x }
        case .undefined(let u): throw state.undefinedError(u)
        default: if let m = Methods.bound(v, name) { return m }
        }
        return .undefined(Undefined(name: name, message: "\(State.objectTypeRepr(v)) has no attribute '\(name)'"))
    }

    static let capitalize: FilterFunction = { v, _, state in .string(Methods.capitalize(try s(v, state))) }

    static let center: FilterFunction = { v, args, state in
        let b = try args.bind("center", ["width"])
        return .string(try Methods.pad(try s(v, state), try intArg(b[0], "width", default: 80), " ", "^"))
    }

    static let `default`: FilterFunction = { v, args, _ in
        let b = try args.bind("default", ["default_value", "boolean"])
        let boolean = b[1]?.isTruthy ?? false
        if v.isUndefined || (boolean && !v.isTruthy) { return b[0] ?? .string("") }
        return v
    }

    /// markupsafe's `escape`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static let escape: FilterFunction = { v, _, state in
        if case .none = v { return .string("None") }
        return .string(htmlEscape(try s(v, state)))
    }

    static let filesizeformat: FilterFunction = { v, args, state in
        let b = try args.bind("filesizeformat", ["binary"])
        let binary = b[0]?.isTruthy ?? false
        guard let bytes = try toFloat(v, state) else { throw JinjaError(.value, "could not convert to float") }
        let base: Double = binary ? 1024 : 1000
        let prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
                              : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        if bytes == 1 { return "1 Byte" }
        if bytes < base {
            guard let whole = Safe.int(bytes) else { throw JinjaError(.overflow, "byte count out of range") }
            return .string("\(whole) Bytes")
        }
        var unit = base
        for (i, p) in prefixes.enumerated() {
            unit = Foundation.pow(base, Double(i + 2))
            if bytes < unit || i == prefixes.count - 1 {
                return .string(String(format: "%.1f", base * bytes / unit) + " " + p)
            }
        }
        return .string("")
    }

    /// Python's `float(x)` for numbers and numeric strings; `nil` when it would raise.
    static func toFloat(_ v: Value, _ state: State) throws -> Double? {
        switch v {
        case .int, .bool, .float: return v.asDouble
        case .string(let str):
            let t = Methods.strip(str, nil, left: true, right: true).replacingUnderscores().lowercased()
            switch t {
            case "inf", "+inf", "infinity", "+infinity": return .infinity
            case "-inf", "-infinity": return -.infinity
            case "nan", "+nan", "-nan": return .nan
            default:
                guard !t.isEmpty, t.allSatisfy({ "0123456789.e+-".contains($0) }) else { return nil }
                return Double(t)
            }
        case .undefined(let u):
            throw state.undefinedError(u)
        default: return nil
        }
    }

    static let float: FilterFunction = { v, args, state in
        let b = try args.bind("float", ["default"])
        if let d = try toFloat(v, state) { return .float(d) }
        return b[0] ?? .float(0)
    }

    /// Python's `int(str, base)`.
    static func parseInt(_ str: String, base: Int) -> Int? {
        var t = Methods.strip(str, nil, left: true, right: true)
        var negative = false
        if t.hasPrefix("-") { negative = true; t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        var b = base
        let lower = t.lowercased()
        if (b == 16 || b == 0) && lower.hasPrefix("0x") { t = String(t.dropFirst(2)); b = 16 }
        else if (b == 8 || b == 0) && lower.hasPrefix("0o") { t = String(t.dropFirst(2)); b = 8 }
        else if (b == 2 || b == 0) && lower.hasPrefix("0b") { t = String(t.dropFirst(2)); b = 2 }
        if b == 0 { b = 10 }
        if t.hasPrefix("_") || t.hasSuffix("_") || t.contains("__") || t.isEmpty { return nil }
        guard let n = Int(t.replacingUnderscores(), radix: b) else { return nil }
        return negative ? -n : n
    }

    static let int: FilterFunction = { v, args, state in
        let b = try args.bind("int", ["default", "base"])
        let def = b[0] ?? .int(0)
        let base = (b[1] ?? .int(10)).asInt ?? -1
        let validBase = base == 0 || (2...36).contains(base)
        switch v {
        case .int: return v
        case .bool(let x): return .int(x ? 1 : 0)
        case .float(let d):
            guard d.isFinite, Swift.abs(d) < 9.2e18 else { return def }
            return .int(Int(d))
        case .string(let str):
            if validBase, let n = parseInt(str, base: base) { return .int(n) }
            if let d = try toFloat(v, state), d.isFinite, Swift.abs(d) < 9.2e18 { return .int(Int(d)) }
            return def
        case .undefined(let u):
            throw state.undefinedError(u)
        default: return def
        }
    }

    static let format: FilterFunction = { v, args, state in
        let fmt = try s(v, state)
        if !args.keyword.isEmpty && !args.positional.isEmpty {
            throw JinjaError(.runtime, "can't handle positional and keyword arguments at the same time")
        }
        let operand: Value = args.keyword.isEmpty ? .tuple(args.positional) : .makeDict(args.keyword)
        return .string(try Methods.percentFormat(fmt, operand, state))
    }

    static let indent: FilterFunction = { v, args, state in
        let b = try args.bind("indent", ["width", "first", "blank"])
        var indention = "    "
        if let w = b[0] {
            if case .string(let str) = w { indention = str } else { indention = try Safe.repeated(" ", try Safe.width(try intArg(w, "width", default: 4))) }
        }
        let first = b[1]?.isTruthy ?? false
        let blank = b[2]?.isTruthy ?? false
        // Jinja2 appends "\n" to the value itself: only strings work.
        guard case .string(let str) = v else {
            if case .undefined(let u) = v { throw state.undefinedError(u) }
            throw JinjaError(.type, "unsupported operand type(s) for +=: '\(v.typeName)' and 'str'")
        }
        let text = str + "\n"
        guard case .list(let linesBox) = try Methods.stringMethod(text, "splitlines", Arguments(), state) else { return v }
        let lines = linesBox.items.map { $0.asString ?? "" }
        var rv: String
        if blank {
            rv = lines.joined(separator: "\n" + indention)
        } else {
            rv = lines.first ?? ""
            let rest = lines.dropFirst()
            if !rest.isEmpty {
                rv += "\n" + rest.map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
            }
        }
        if first { rv = indention + rv }
        return .string(rv)
    }

    static let lower: FilterFunction = { v, _, state in .string(try s(v, state).lowercased()) }
    static let upper: FilterFunction = { v, _, state in .string(try s(v, state).uppercased()) }

    static let replace: FilterFunction = { v, args, state in
        let b = try args.bind("replace", ["old", "new", "count"])
        let old = try s(b[0] ?? "", state), new = try s(b[1] ?? "", state)
        let count = b[2].flatMap { $0.isNone ? nil : $0.asInt } ?? -1
        return .string(Methods.replace(try s(v, state), old, new, count))
    }

    static let round: FilterFunction = { v, args, state in
        let b = try args.bind("round", ["precision", "method"])
        let precision = try intArg(b[0], "precision", default: 0)
        let method = b[1]?.asString ?? "common"
        guard let d = try state.defined(v).asDouble else {
            throw JinjaError(.type, "type \(v.typeName) doesn't define __round__ method")
        }
        let p = Foundation.pow(10.0, Double(precision))
        switch method {
        case "common":
            if precision >= 0, let i = v.asInt, !v.isFloat { return .int(i) }
            return .float(pyRound(d, precision))
        case "ceil": return .float((d * p).rounded(.up) / p)
        case "floor": return .float((d * p).rounded(.down) / p)
        default: throw JinjaError(.runtime, "method must be common, ceil or floor")
        }
    }

    /// Python's `round(x, n)`: round-half-even on the exact decimal value of `x`.
    static func pyRound(_ d: Double, _ n: Int) -> Double {
        if !d.isFinite { return d }
        if n > 300 { return d }
        // Format with enough digits to see the exact binary value, then round half-even in decimal.
        let text = String(format: "%.\(Swift.max(0, n) + 30)f", d)
        guard n >= 0 else {
            let p = Foundation.pow(10.0, Double(-n))
            return (d / p).rounded(.toNearestOrEven) * p
        }
        var chars = Array(text)
        let negative = chars.first == "-"
        if negative { chars.removeFirst() }
        guard let dot = chars.firstIndex(of: ".") else { return d }
        let keep = dot + 1 + n
        let rest = chars[keep...].filter { $0 != "." }
        var digits = Array(chars[..<keep]).filter { $0 != "." }.compactMap { $0.wholeNumberValue }
        let firstRest = rest.first?.wholeNumberValue ?? 0
        let tailNonZero = rest.dropFirst().contains { $0 != "0" }
        var roundUp = firstRest > 5 || (firstRest == 5 && (tailNonZero || (digits.last ?? 0) % 2 == 1))
        var i = digits.count - 1
        while roundUp && i >= 0 {
            digits[i] += 1
            if digits[i] == 10 { digits[i] = 0; i -= 1 } else { roundUp = false }
        }
        var str = roundUp ? "1" : ""
        let intCount = dot + (roundUp ? 0 : 0)
        for (k, dg) in digits.enumerated() {
            if k == intCount { str += "." }
            str += String(dg)
        }
        let r: Double = Double(str) ?? d
        return negative ? -r : r
    }

    static let string: FilterFunction = { v, _, state in .string(try s(v, state)) }

    static let striptags: FilterFunction = { v, _, state in
        var text = try s(v, state)
        // Remove comments and tags, then collapse whitespace (markupsafe `striptags`).
        while let start = text.range(of: "<!--"), let end = text.range(of: "-->", range: start.upperBound..<text.endIndex) {
            text.removeSubrange(start.lowerBound..<end.upperBound)
        }
        var out = ""
        var inTag = false
        for c in text {
            if c == "<" { inTag = true; continue }
            if c == ">" && inTag { inTag = false; continue }
            if !inTag { out.append(c) }
        }
        let words = try Methods.split(out, nil, -1)
        return .string(unescapeHTML(words.joined(separator: " ")))
    }

    static func unescapeHTML(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#34;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Jinja2's `do_title`: capitalize each piece after runs of `-`, whitespace, `(`, `{`, `[`, `<`.
    static let title: FilterFunction = { v, _, state in
        let text = try s(v, state)
        var out = String.UnicodeScalarView()
        var atStart = true
        for c in text.unicodeScalars {
            if c == "-" || c == "(" || c == "{" || c == "[" || c == "<" || Methods.isPySpace(c) {
                out.append(c); atStart = true
            } else if atStart {
                out.append(contentsOf: String(c).uppercased().unicodeScalars); atStart = false
            } else {
                out.append(contentsOf: String(c).lowercased().unicodeScalars)
            }
        }
        return .string(String(out))
    }

    static let trim: FilterFunction = { v, args, state in
        let b = try args.bind("trim", ["chars"])
        return .string(Methods.strip(try s(v, state), try Methods.argString(b[0], "trim"), left: true, right: true))
    }

    static let truncate: FilterFunction = { v, args, state in
        let b = try args.bind("truncate", ["length", "killwords", "end", "leeway"])
        switch v {
        case .string: break
        case .undefined(let u): if state.isStrict(u) { throw state.undefinedError(u) }; return v
        case .list, .tuple, .dict:
            // len() works on containers; short ones come back unchanged.
            let n = try len(v, state)
            if (try intArg(b[0], "length", default: 255)) < (try b[2].map { try s($0, state) } ?? "...").unicodeScalars.count {
                throw JinjaError(.value, "expected length >= len(end)")
            }
            let limit = (try intArg(b[0], "length", default: 255)).addingReportingOverflow(try intArg(b[3].flatMap { $0.isNone ? nil : $0 }, "leeway", default: 5))
            if limit.overflow || n <= limit.partialValue { return v }
            throw JinjaError(.type, "can only concatenate \(v.typeName) (not \"str\") to \(v.typeName)")
        default: throw JinjaError(.type, "object of type '\(v.typeName)' has no len()")
        }
        let text = try s(v, state)
        let length = try intArg(b[0], "length", default: 255)
        let killwords = b[1]?.isTruthy ?? false
        let end = try b[2].map { try s($0, state) } ?? "..."
        let leeway = try intArg(b[3].flatMap { $0.isNone ? nil : $0 }, "leeway", default: 5)
        let (limit, overflow) = length.addingReportingOverflow(leeway)
        if overflow { return .string(text) }
        _ = limit
        let endLen = end.unicodeScalars.count
        if length < endLen { throw JinjaError(.value, "expected length >= \(endLen), got \(length)") }
        if leeway < 0 { throw JinjaError(.value, "expected leeway >= 0, got \(leeway)") }
        let scalars = Array(text.unicodeScalars)
        if scalars.count <= length + leeway { return .string(text) }
        let head = String(String.UnicodeScalarView(scalars[0..<Swift.max(0, length - endLen)]))
        if killwords { return .string(head + end) }
        let parts = try Methods.rsplit(head, " ", 1)
        return .string((parts.first ?? "") + end)
    }

    static func urlQuote(_ s: String, safe: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || "_.-~".contains(c) || (b < 128 && safe.contains(c)) {
                out.append(c)
            } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }

    static func qs(_ s: String) -> String { urlQuote(s, safe: "").replacingOccurrences(of: "%20", with: "+") }

    static let urlencode: FilterFunction = { v, _, state in
        switch v {
        case .string(let str): return .string(urlQuote(str, safe: "/"))
        case .dict(let d):
            return .string(try zip(d.keys, d.values).map { qs(try s($0, state)) + "=" + qs(try s($1, state)) }.joined(separator: "&"))
        default:
            if let items = v.asList {
                var parts: [String] = []
                for item in items {
                    let kv = try state.iterate(item)
                    guard kv.count == 2 else { throw JinjaError(.value, "expected pairs") }
                    parts.append(qs(try s(kv[0], state)) + "=" + qs(try s(kv[1], state)))
                }
                return .string(parts.joined(separator: "&"))
            }
            return .string(urlQuote(try s(v, state), safe: "/"))
        }
    }

    static let wordcount: FilterFunction = { v, _, state in
        var n = 0
        var inWord = false
        for c in try s(v, state).unicodeScalars {
            let w = c.properties.isAlphabetic || c.properties.numericType != nil || c == "_"
            if w && !inWord { n += 1 }
            inWord = w
        }
        return .int(n)
    }

    /// A simplified `textwrap.wrap` (whitespace-separated words, long words broken).
    static let wordwrap: FilterFunction = { v, args, state in
        let b = try args.bind("wordwrap", ["width", "break_long_words", "wrapstring", "break_on_hyphens"])
        if case .undefined(let u) = v { throw state.undefinedError(u) }
        guard case .string = v else { throw JinjaError(.type, "'\(v.typeName)' object has no attribute 'expandtabs'") }
        let width = try intArg(b[0], "width", default: 79)
        if width <= 0 { throw JinjaError(.value, "invalid width \(width) (must be > 0)") }
        let breakLong = b[1]?.isTruthy ?? true
        let wrapstring = try b[2].flatMap { $0.isNone ? nil : try s($0, state) } ?? "\n"
        var paragraphs: [String] = []
        for line in try s(v, state).split(separator: "\n", omittingEmptySubsequences: false) {
            var lines: [String] = []
            var cur = ""
            for word in try Methods.split(String(line), nil, -1) {
                var w = word
                if cur.isEmpty {
                    while breakLong && w.count > width { lines.append(String(w.prefix(width))); w = String(w.dropFirst(width)) }
                    cur = w
                } else if cur.count + 1 + w.count <= width {
                    cur += " " + w
                } else {
                    lines.append(cur)
                    while breakLong && w.count > width { lines.append(String(w.prefix(width))); w = String(w.dropFirst(width)) }
                    cur = w
                }
            }
            if !cur.isEmpty { lines.append(cur) }
            paragraphs.append(lines.joined(separator: wrapstring))
        }
        return .string(paragraphs.joined(separator: wrapstring))
    }

    static let xmlattr: FilterFunction = { v, args, state in
        let b = try args.bind("xmlattr", ["autospace"])
        guard case .dict(let d) = v else { throw JinjaError(.type, "xmlattr expects a dict") }
        var parts: [String] = []
        for (k, x) in zip(d.keys, d.values) {
            if x.isNone || x.isUndefined { continue }
            let key = try s(k, state)
            if key.contains(where: { " />=".contains($0) || $0 == "\t" || $0 == "\n" }) {
                throw JinjaError(.value, "Invalid character in attribute name: \(Value.string(key).pythonRepr())")
            }
            parts.append("\(htmlEscape(key))=\"\(htmlEscape(try s(x, state)))\"")
        }
        var rv = parts.joined(separator: " ")
        if (b[0]?.isTruthy ?? true) && !rv.isEmpty { rv = " " + rv }
        return .string(rv)
    }

    static let pprint: FilterFunction = { v, _, _ in .string(v.pythonRepr()) }

    // MARK: - tojson

    static let tojson: FilterFunction = { v, args, state in
        let b = try args.bind("tojson", ["indent"])
        // json.dumps: an int indent is that many spaces (negative: none), a string is used as is.
        var unit: String? = nil
        switch b[0] {
        case nil, .none?: break
        case .string(let str)?: unit = str
        case let x?:
            guard let n = x.asInt else { throw JinjaError(.type, "can't multiply sequence by non-int of type '\(x.typeName)'") }
            unit = try Safe.repeated(" ", Safe.width(n))
        }
        var out = ""
        try writeJSON(v, indent: unit, level: 0, into: &out, state)
        out = out.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "'", with: "\\u0027")
        return .string(out)
    }

    static func jsonString(_ s: String, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if c.value < 0x20 || c.value > 0x7e {
                    func hex(_ v: UInt32) -> String { let h = String(v, radix: 16); return String(repeating: "0", count: 4 - h.count) + h }
                    if c.value > 0xFFFF {
                        let v = c.value - 0x10000
                        out += "\\u" + hex(0xD800 + (v >> 10)) + "\\u" + hex(0xDC00 + (v & 0x3FF))
                    } else { out += "\\u" + hex(c.value) }
                } else { out.unicodeScalars.append(c) }
            }
        }
        out += "\""
    }

    static func jsonKey(_ k: Value) throws -> String {
        switch k {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .none: return "null"
        case .int(let i): return String(i)
        case .float(let d): return Value.formatFloat(d)
        default: throw JinjaError(.type, "keys must be str, int, float, bool or None, not \(k.typeName)")
        }
    }

    static func writeJSON(_ v: Value, indent: String?, level: Int, into out: inout String, _ state: State) throws {
        if level > 200 { throw JinjaError(.value, "Circular reference detected") }
        if let indent, indent.utf8.count * (level + 1) > Safe.maxWidth { throw JinjaError(.value, "indentation too large") }
        let nl: (Int) -> String = { lvl in indent.map { "\n" + String(repeating: $0, count: lvl) } ?? "" }
        let itemSep = indent == nil ? ", " : ","
        switch v {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += Value.formatFloat(d) }
        case .string(let s): jsonString(s, into: &out)
        case .list, .tuple:
            let items = v.asList ?? []
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, x) in items.enumerated() {
                if i > 0 { out += itemSep }
                out += nl(level + 1)
                try writeJSON(x, indent: indent, level: level + 1, into: &out, state)
            }
            out += nl(level) + "]"
        case .dict(let d):
            if d.count == 0 { out += "{}"; return }
            var pairs: [(String, Value)] = []
            for (k, x) in zip(d.keys, d.values) { pairs.append((try jsonKey(k), x)) }
            pairs = try Methods.stableSort(pairs) { a, b in a.0.unicodeScalars.lexicographicallyPrecedes(b.0.unicodeScalars) }
            out += "{"
            for (i, (k, x)) in pairs.enumerated() {
                if i > 0 { out += itemSep }
                out += nl(level + 1)
                jsonString(k, into: &out)
                out += ": "
                try writeJSON(x, indent: indent, level: level + 1, into: &out, state)
            }
            out += nl(level) + "}"
        case .undefined(let u):
            throw state.isStrict(u) ? state.undefinedError(u) : JinjaError(.type, "Object of type Undefined is not JSON serializable")
        default:
            throw JinjaError(.type, "Object of type \(v.typeName) is not JSON serializable")
        }
    }
}
