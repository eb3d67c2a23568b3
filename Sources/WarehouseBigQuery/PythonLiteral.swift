import Foundation

/// Reads a profile value that is a mapping or a list: the runner hands every profile value over
/// as text, and a YAML mapping (dbt-bigquery's `keyfile_json`) arrives as Python's `repr` of the
/// dict (`{'type': 'service_account', 'private_key': '-----BEGIN…\n…'}`). JSON is accepted too.
enum PythonLiteral {
    /// The value as Foundation objects (`String`, `Int`, `Double`, `Bool`, `NSNull`, arrays,
    /// `[String: Any]`), or nil when the text is not a Python or JSON literal.
    static func parse(_ text: String) -> Any? {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        guard let value = parser.value() else { return nil }
        parser.skipSpace()
        return parser.index == parser.scalars.count ? value : nil
    }

    /// A list of strings (`['a', 'b']` or `["a"]`), or nil.
    static func stringList(_ text: String) -> [String]? {
        (parse(text) as? [Any])?.compactMap { $0 as? String }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func skipSpace() {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        }

        mutating func value() -> Any? {
            skipSpace()
            guard index < scalars.count else { return nil }
            switch scalars[index] {
            case "{": return dict()
            case "[": return list(close: "]")
            case "(": return list(close: ")")
            case "'", "\"": return string()
            default: return word()
            }
        }

        mutating func dict() -> [String: Any]? {
            index += 1
            var out: [String: Any] = [:]
            while true {
                skipSpace()
                guard index < scalars.count else { return nil }
                if scalars[index] == "}" { index += 1; return out }
                guard let key = value() as? String else { return nil }
                skipSpace()
                guard index < scalars.count, scalars[index] == ":" else { return nil }
                index += 1
                guard let item = value() else { return nil }
                out[key] = item
                skipSpace()
                if index < scalars.count, scalars[index] == "," { index += 1 }
            }
        }

        mutating func list(close: Unicode.Scalar) -> [Any]? {
            index += 1
            var out: [Any] = []
            while true {
                skipSpace()
                guard index < scalars.count else { return nil }
                if scalars[index] == close { index += 1; return out }
                guard let item = value() else { return nil }
                out.append(item)
                skipSpace()
                if index < scalars.count, scalars[index] == "," { index += 1 }
            }
        }

        mutating func string() -> String? {
            let quote = scalars[index]
            index += 1
            var out = String.UnicodeScalarView()
            while index < scalars.count {
                let c = scalars[index]
                index += 1
                if c == quote { return String(out) }
                guard c == "\\" else { out.append(c); continue }
                guard index < scalars.count else { return nil }
                let e = scalars[index]
                index += 1
                switch e {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "0": out.append("\0")
                case "b": out.append("\u{8}")
                case "f": out.append("\u{c}")
                case "/": out.append("/")
                case "x", "u", "U":
                    let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                    guard index + width <= scalars.count,
                          let code = UInt32(String(String.UnicodeScalarView(scalars[index..<index + width])), radix: 16),
                          let scalar = Unicode.Scalar(code) else { return nil }
                    index += width
                    out.append(scalar)
                default: out.append(e)
                }
            }
            return nil
        }

        mutating func word() -> Any? {
            let start = index
            while index < scalars.count, !",:]})".unicodeScalars.contains(scalars[index]), !scalars[index].properties.isWhitespace {
                index += 1
            }
            let text = String(String.UnicodeScalarView(scalars[start..<index]))
            switch text {
            case "True", "true": return true
            case "False", "false": return false
            case "None", "null": return NSNull()
            default: return Int(text) ?? Double(text)
            }
        }
    }
}
