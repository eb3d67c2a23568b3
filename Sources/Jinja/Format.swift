import Foundation

/// Python string formatting: `str.format` (PEP 3101 mini-language) and `%` (printf-style),
/// which dbt macros use through `'{}'.format(x)`, `'%s' % x` and the `format` filter.
extension Methods {
    struct Spec {
        var fill: String = " "
        var align: Character? = nil
        var sign: Character = "-"
        var alternate = false
        var zero = false
        var width = 0
        var grouping: Character? = nil
        var precision: Int? = nil
        var type: Character? = nil
    }

    static func parseSpec(_ text: String) throws -> Spec {
        var spec = Spec()
        var chars = Array(text)
        var i = 0
        func isAlign(_ c: Character) -> Bool { c == "<" || c == ">" || c == "^" || c == "=" }
        if chars.count >= 2 && isAlign(chars[1]) { spec.fill = String(chars[0]); spec.align = chars[1]; i = 2 }
        else if chars.count >= 1 && isAlign(chars[0]) { spec.align = chars[0]; i = 1 }
        if i < chars.count, chars[i] == "+" || chars[i] == "-" || chars[i] == " " { spec.sign = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "#" { spec.alternate = true; i += 1 }
        if i < chars.count, chars[i] == "0" { spec.zero = true; i += 1 }
        var w = 0
        while i < chars.count, let d = chars[i].wholeNumberValue { w = try Safe.appendDigit(w, d); i += 1 }
        spec.width = try Safe.width(w)
        if i < chars.count, chars[i] == "," || chars[i] == "_" { spec.grouping = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = 0
            var any = false
            while i < chars.count, let d = chars[i].wholeNumberValue { p = try Safe.appendDigit(p, d); i += 1; any = true }
            if !any { throw JinjaError(.value, "Format specifier missing precision") }
            spec.precision = try Safe.width(p)
        }
        if i < chars.count { spec.type = chars[i]; i += 1 }
        if i < chars.count { throw JinjaError(.value, "Invalid format specifier '\(text)'") }
        chars = []
        return spec
    }

    static func group(_ digits: String, _ sep: Character) -> String {
        var out: [Character] = []
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(sep) }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// `format(value, spec)` for str, int, float, bool.
    static func formatValue(_ v: Value, _ specText: String, _ state: State) throws -> String {
        if specText.isEmpty { return try state.str(v) }
        let spec = try parseSpec(specText)
        var body: String
        var negative = false
        var numeric = true
        switch v {
        case .string(let s):
            numeric = false
            if let t = spec.type, t != "s" { throw JinjaError(.value, "Unknown format code '\(t)' for object of type 'str'") }
            body = s
            if let p = spec.precision { body = String(s.unicodeScalars.prefix(p).map(Character.init)) }
        case .int, .bool, .float:
            let isInt: Bool = { if case .float = v { return false }; return true }()
            let type = spec.type ?? (isInt ? "d" : nil)
            if isInt, let t = type, "dnbxXoc".contains(t) {
                let i = v.asInt ?? 0
                negative = i < 0
                let mag = i.magnitude
                switch t {
                case "b": body = String(mag, radix: 2); if spec.alternate { body = "0b" + body }
                case "o": body = String(mag, radix: 8); if spec.alternate { body = "0o" + body }
                case "x": body = String(mag, radix: 16); if spec.alternate { body = "0x" + body }
                case "X": body = String(mag, radix: 16).uppercased(); if spec.alternate { body = "0X" + body }
                case "c":
                    guard let sc = Safe.scalar(i) else { throw JinjaError(.overflow, "%c arg not in range(0x110000)") }
                    body = String(sc)
                default: body = String(mag); if let g = spec.grouping { body = group(body, g) }
                }
            } else {
                let d = v.asDouble ?? 0
                negative = d < 0 || (d == 0 && d.sign == .minus)
                let m = abs(d)
                switch type {
                case nil:
                    if let p = spec.precision {
                        body = String(format: "%.\(max(p, 1))g", m)
                    } else {
                        body = Value.formatFloat(m)
                    }
                case "f", "F": body = String(format: "%.\(spec.precision ?? 6)f", m)
                case "e", "E": body = String(format: "%.\(spec.precision ?? 6)\(type!)", m)
                case "g", "G": body = String(format: "%.\(spec.precision ?? 6)\(type!)", m)
                case "%": body = String(format: "%.\(spec.precision ?? 6)f", m * 100) + "%"
                case "d" where !isInt: throw JinjaError(.value, "Unknown format code 'd' for object of type 'float'")
                default: throw JinjaError(.value, "Unknown format code '\(type!)' for object of type '\(v.typeName)'")
                }
                if m.isInfinite { body = type.map { $0.isUppercase } == true ? "INF" : "inf" }
                if let g = spec.grouping {
                    let parts = body.split(separator: ".", maxSplits: 1)
                    body = group(String(parts[0]), g) + (parts.count > 1 ? "." + parts[1] : "")
                }
            }
        default:
            numeric = false
            body = try state.str(v)
        }
        var signText = ""
        if numeric {
            if negative { signText = "-" } else if spec.sign == "+" { signText = "+" } else if spec.sign == " " { signText = " " }
        }
        let align = spec.align ?? (spec.zero && numeric ? "=" : (numeric ? ">" : "<"))
        let fill = spec.zero && spec.align == nil ? "0" : spec.fill
        let len = signText.count + body.unicodeScalars.count
        if spec.width <= len { return signText + body }
        let padCount = spec.width - len
        switch align {
        case "=": return signText + (try Safe.repeated(fill, padCount)) + body
        case "<": return signText + body + (try Safe.repeated(fill, padCount))
        case ">": return (try Safe.repeated(fill, padCount)) + signText + body
        default:
            let left = padCount / 2
            return (try Safe.repeated(fill, left)) + signText + body + (try Safe.repeated(fill, padCount - left))
        }
    }

    /// `str.format(*args, **kwargs)`.
    static func strFormat(_ fmt: String, _ args: Arguments, _ state: State) throws -> String {
        var out = ""
        let chars = Array(fmt)
        var i = 0
        var auto = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count && chars[i + 1] == "{" { out.append("{"); i += 2; continue }
                var j = i + 1
                var depth = 1
                while j < chars.count {
                    if chars[j] == "{" { depth += 1 } else if chars[j] == "}" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                if j >= chars.count { throw JinjaError(.value, "Single '{' encountered in format string") }
                let field = String(chars[(i + 1)..<j])
                var name = field
                var spec = ""
                var conversion: Character? = nil
                if let colon = field.firstIndex(of: ":") {
                    name = String(field[..<colon]); spec = String(field[field.index(after: colon)...])
                }
                if let bang = name.firstIndex(of: "!") {
                    conversion = name[name.index(after: bang)...].first
                    name = String(name[..<bang])
                }
                if spec.contains("{") { spec = try strFormat(spec, args, state) }
                // Field name: head then .attr / [key] parts.
                var head = name
                var rest = ""
                if let k = name.firstIndex(where: { $0 == "." || $0 == "[" }) { head = String(name[..<k]); rest = String(name[k...]) }
                var value: Value
                if head.isEmpty {
                    guard auto < args.positional.count else { throw JinjaError(.value, "Replacement index \(auto) out of range for positional args tuple") }
                    value = args.positional[auto]; auto += 1
                } else if let n = Int(head) {
                    guard n < args.positional.count else { throw JinjaError(.value, "Replacement index \(n) out of range for positional args tuple") }
                    value = args.positional[n]
                } else {
                    guard let v = args.keyword(head) else { throw JinjaError(.value, "KeyError: '\(head)'") }
                    value = v
                }
                var r = Substring(rest)
                while let f = r.first {
                    if f == "." {
                        r = r.dropFirst()
                        let attr = r.prefix { $0 != "." && $0 != "[" }
                        r = r.dropFirst(attr.count)
                        if case .dict = value, !Methods.has(value, String(attr)) {
                            throw JinjaError(.value, "AttributeError: 'dict' object has no attribute '\(attr)'")
                        }
                        value = try state.getattr(value, String(attr))
                    } else if f == "[" {
                        guard let close = r.firstIndex(of: "]") else { throw JinjaError(.value, "Missing ']' in format string") }
                        let key = r[r.index(after: r.startIndex)..<close]
                        r = r[r.index(after: close)...]
                        value = try state.getitem(value, Int(key).map { .int($0) } ?? .string(String(key)))
                    } else { break }
                }
                if case .undefined(let u) = value, state.isStrict(u) { throw state.undefinedError(u) }
                switch conversion {
                case "r": value = .string(value.pythonRepr())
                case "s": value = .string(try state.str(value))
                default: break
                }
                out += try formatValue(value, spec, state)
                i = j + 1
            } else if c == "}" {
                if i + 1 < chars.count && chars[i + 1] == "}" { out.append("}"); i += 2; continue }
                throw JinjaError(.value, "Single '}' encountered in format string")
            } else {
                out.append(c); i += 1
            }
        }
        return out
    }

    /// printf-style `fmt % args`.
    static func percentFormat(_ fmt: String, _ args: Value, _ state: State) throws -> String {
        var positional: [Value]
        var mapping: DictStorage? = nil
        switch args {
        case .tuple(let t): positional = t
        case .dict(let d): positional = [args]; mapping = d
        default: positional = [args]
        }
        var out = ""
        let chars = Array(fmt)
        var i = 0
        var argIndex = 0
        var usedMapping = false
        func next() throws -> Value {
            guard argIndex < positional.count else { throw JinjaError(.type, "not enough arguments for format string") }
            defer { argIndex += 1 }
            return positional[argIndex]
        }
        while i < chars.count {
            let c = chars[i]
            if c != "%" { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw JinjaError(.value, "incomplete format") }
            var key: String? = nil
            if chars[i] == "(" {
                guard let close = chars[i...].firstIndex(of: ")") else { throw JinjaError(.value, "incomplete format key") }
                key = String(chars[(i + 1)..<close]); i = close + 1
            }
            var flags = ""
            while i < chars.count, "-+ #0".contains(chars[i]) { flags.append(chars[i]); i += 1 }
            var width = ""
            while i < chars.count, chars[i].isNumber || chars[i] == "*" {
                if chars[i] == "*" { width += String(try next().asInt ?? 0) } else { width.append(chars[i]) }
                i += 1
            }
            var precision: String? = nil
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = ""
                while i < chars.count, chars[i].isNumber { p.append(chars[i]); i += 1 }
                precision = p.isEmpty ? "0" : p
                if let pv = Int(precision ?? "0") { _ = try Safe.width(pv) } else { throw JinjaError(.value, "precision too big") }
            }
            guard i < chars.count else { throw JinjaError(.value, "incomplete format") }
            let t = chars[i]
            i += 1
            if t == "%" { out.append("%"); continue }
            let v: Value
            if let key {
                guard let m = mapping else { throw JinjaError(.type, "format requires a mapping") }
                usedMapping = true
                v = m.get(.string(key)) ?? .none
                if m.get(.string(key)) == nil { throw JinjaError(.value, "KeyError: '\(key)'") }
            } else {
                v = try next()
            }
            var body: String
            var numeric = false
            switch t {
            case "s": body = try state.str(v)
            case "r", "a": body = v.pythonRepr()
            case "d", "i", "u":
                numeric = true
                guard let d = v.asDouble else { throw JinjaError(.type, "%\(t) format: a real number is required, not \(v.typeName)") }
                guard let whole = v.asInt ?? Safe.int(d.rounded(.towardZero)) else {
                    throw JinjaError(.overflow, "cannot convert float \(Value.formatFloat(d)) to integer")
                }
                body = String(whole)
            case "f", "F", "e", "E", "g", "G":
                numeric = true
                guard let d = v.asDouble else { throw JinjaError(.type, "must be real number, not \(v.typeName)") }
                body = String(format: "%\(flags.contains("#") ? "#" : "").\(precision ?? "6")\(t)", d)
            case "x", "X", "o":
                numeric = true
                guard let n = v.asInt else { throw JinjaError(.type, "%\(t) format: an integer is required, not \(v.typeName)") }
                body = String(n, radix: t == "o" ? 8 : 16, uppercase: t == "X")
            case "c":
                if let n = v.asInt, let sc = Safe.scalar(n) { body = String(sc) } else { body = try state.str(v) }
            default: throw JinjaError(.value, "unsupported format character '\(t)'")
            }
            if !numeric, let p = precision, let n = Int(p) { body = String(body.prefix(n)) }
            if numeric, flags.contains("+"), !body.hasPrefix("-") { body = "+" + body }
            else if numeric, flags.contains(" "), !body.hasPrefix("-") { body = " " + body }
            if let w = Int(width), w > body.count {
                _ = try Safe.width(w)
                if flags.contains("-") { body += try Safe.repeated(" ", w - body.count) }
                else if flags.contains("0") && numeric {
                    let neg = body.hasPrefix("-") || body.hasPrefix("+")
                    let digits = neg ? String(body.dropFirst()) : body
                    body = (neg ? String(body.prefix(1)) : "") + (try Safe.repeated("0", w - body.count)) + digits
                } else { body = (try Safe.repeated(" ", w - body.count)) + body }
            }
            out += body
        }
        // Python treats any object with __getitem__ (list, dict) as a mapping here: no error.
        let mappingLike: Bool = { switch args { case .list, .dict: return true; default: return false } }()
        if mapping == nil && !mappingLike && argIndex < positional.count {
            throw JinjaError(.type, "not all arguments converted during string formatting")
        }
        _ = usedMapping
        return out
    }
}
