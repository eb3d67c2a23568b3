/// Python's textual forms of values, needed wherever dbt derives names or hashes from `str()`/`repr()`.
///
/// Rules from CPython: `repr(str)` picks single quotes unless the text has a `'` and no `"`, escapes
/// backslash, the chosen quote, `\t` `\n` `\r`, and non-printable characters as `\xNN`, `\uNNNN`
/// or `\UNNNNNNNN` (https://docs.python.org/3/library/functions.html#repr).
package enum PythonFormat {
    /// `repr(s)` for a Python `str`.
    package static func repr(_ s: String) -> String {
        // Fast path: plain printable ASCII without quotes or backslashes.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != 0x27 && $0 != 0x22 && $0 != 0x5c }) {
            return "'" + s + "'"
        }
        let quote: Character = (s.utf8.contains(0x27) && !s.utf8.contains(0x22)) ? "\"" : "'"
        var out = String(quote)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if Character(u) == quote {
                    out += "\\" + String(quote)
                } else if isPrintable(u) {
                    out.unicodeScalars.append(u)
                } else if u.value < 0x100 {
                    out += "\\x" + hex(u.value, 2)
                } else if u.value < 0x10000 {
                    out += "\\u" + hex(u.value, 4)
                } else {
                    out += "\\U" + hex(u.value, 8)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// `repr(float)`: the shortest round-tripping digits, exponent form below 1e-4 and from 1e16.
    package static func float(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        // Swift's description already follows the same shortest-digits and exponent thresholds.
        return d.description
    }

    /// Python's `str.isprintable()` for one code point: not in categories Cc, Cf, Cs, Co, Cn,
    /// Zl, Zp, or Zs other than the ASCII space.
    private static func isPrintable(_ u: Unicode.Scalar) -> Bool {
        if u == " " { return true }
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
