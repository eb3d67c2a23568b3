/// Python's `str()` and `repr()` of values, which is what Jinja2 prints.
///
/// Rules from the Python reference (`float.__repr__` shortest round-trip, `str.__repr__` quoting).
extension Value {
    /// `str(value)`: what `{{ value }}` prints. Undefined prints as empty (lenient mode).
    public func pythonStr() -> String {
        switch self {
        case .string(let s): return s
        case .none: return "None"
        case .undefined: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return Value.formatFloat(d)
        case .object(let o): return o.pythonStr
        default:
            var out = ""
            writeRepr(into: &out)
            return out
        }
    }

    /// `repr(value)`: how the value prints inside a list or dict.
    public func pythonRepr() -> String {
        var out = ""
        writeRepr(into: &out)
        return out
    }

    /// Appends `str(value)` to `out` without an intermediate string for the common cases.
    func writeStr(into out: inout String) {
        switch self {
        case .string(let s): out += s
        case .int(let i): out += String(i)
        case .none: out += "None"
        case .undefined: break
        case .bool(let b): out += b ? "True" : "False"
        case .float(let d): out += Value.formatFloat(d)
        case .object(let o): out += o.pythonStr
        default: writeRepr(into: &out)
        }
    }

    func writeRepr(into out: inout String, depth: Int = 0) {
        // Containers can hold themselves (`xs.append(xs)`); Python prints `[...]` for cycles.
        if depth > 100 { out += "..."; return }
        switch self {
        case .string(let s): Value.writeStringRepr(s, into: &out)
        case .none: out += "None"
        case .undefined: out += ""
        case .bool(let b): out += b ? "True" : "False"
        case .int(let i): out += String(i)
        case .float(let d): out += Value.formatFloat(d)
        case .list(let l):
            out += "["
            for (i, x) in l.items.enumerated() {
                if i > 0 { out += ", " }
                if case .list(let inner) = x, inner === l { out += "[...]"; continue }
                x.writeRepr(into: &out, depth: depth + 1)
            }
            out += "]"
        case .tuple(let t):
            out += "("
            for (i, x) in t.enumerated() {
                if i > 0 { out += ", " }
                x.writeRepr(into: &out, depth: depth + 1)
            }
            if t.count == 1 { out += "," }
            out += ")"
        case .dict(let d):
            out += "{"
            for i in 0..<d.count {
                if i > 0 { out += ", " }
                d.keys[i].writeRepr(into: &out, depth: depth + 1)
                out += ": "
                if case .dict(let inner) = d.values[i], inner === d { out += "{...}"; continue }
                d.values[i].writeRepr(into: &out, depth: depth + 1)
            }
            out += "}"
        case .function(let f): out += "<built-in function \(f.name)>"
        case .macro(let m): out += "<Macro '\(m.name)'>"
        case .object(let o): out += o.pythonRepr
        }
    }

    /// Python's `repr(str)`: single quotes unless the text has `'` and no `"`.
    static func writeStringRepr(_ s: String, into out: inout String) {
        let useDouble = s.contains("'") && !s.contains("\"")
        let q: Unicode.Scalar = useDouble ? "\"" : "'"
        var u = String.UnicodeScalarView()
        u.append(q)
        for c in s.unicodeScalars {
            switch c {
            case "\\": u.append("\\"); u.append("\\")
            case "\n": u.append("\\"); u.append("n")
            case "\r": u.append("\\"); u.append("r")
            case "\t": u.append("\\"); u.append("t")
            default:
                if c == q { u.append("\\"); u.append(c) }
                else if c.value < 0x20 || (c.value >= 0x7f && c.value < 0xa0) {
                    u.append(contentsOf: "\\x".unicodeScalars)
                    let h = String(c.value, radix: 16)
                    if h.count < 2 { u.append("0") }
                    u.append(contentsOf: h.unicodeScalars)
                } else { u.append(c) }
            }
        }
        u.append(q)
        out += String(u)
    }

    /// Python's `repr(float)`: shortest round-trip digits; scientific when the decimal exponent
    /// is below -4 or at least 16 (`1e-05`, `1e+16`), otherwise fixed with at least one decimal.
    public static func formatFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let (negative, digits, decpt) = shortestDigits(d)
        var s = negative ? "-" : ""
        if decpt > -4 && decpt <= 16 {
            if decpt <= 0 {
                s += "0." + String(repeating: "0", count: -decpt) + digits
            } else if decpt >= digits.count {
                s += digits + String(repeating: "0", count: decpt - digits.count) + ".0"
            } else {
                let i = digits.index(digits.startIndex, offsetBy: decpt)
                s += digits[..<i] + "." + digits[i...]
            }
        } else {
            let exp = decpt - 1
            s += String(digits.first ?? "0")
            if digits.count > 1 { s += "." + digits.dropFirst() }
            s += exp < 0 ? "e-" : "e+"
            let e = String(abs(exp))
            s += e.count < 2 ? "0" + e : e
        }
        return s
    }

    /// Shortest round-trip decimal digits of `d` and the decimal point position
    /// (value = 0.DIGITS × 10^decpt), read off Swift's own shortest representation.
    static func shortestDigits(_ d: Double) -> (Bool, String, Int) {
        var text = Substring(d.description)
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() }
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exp = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var intPart = Substring(text)
        var frac = Substring("")
        if let dot = text.firstIndex(of: ".") {
            intPart = text[..<dot]
            frac = text[text.index(after: dot)...]
        }
        var digits = String(intPart) + String(frac)
        var decpt = intPart.count + exp
        while digits.first == "0" && digits.count > 1 { digits.removeFirst(); decpt -= 1 }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        return (negative, digits, decpt)
    }
}
