import Foundation
import GRDB
import SQL

// String, array and JSON functions
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/array_functions,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions).

extension BigQueryFunctions {
    static func json(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func jsonArray(_ value: DatabaseValue) throws -> [Any]? {
        guard let text = text(value) else { return nil }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? [Any] else {
            throw fail("not an array: \(text)")
        }
        return parsed
    }

    /// A JSON element as an SQL value (numbers, strings, 0/1 booleans; nested values as JSON text).
    static func sqlValue(_ element: Any) throws -> DatabaseValueConvertible? {
        switch element {
        case is NSNull: return nil
        case let string as String: return string
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return number.boolValue ? Int64(1) : Int64(0) }
            let d = number.doubleValue
            if d == d.rounded() && abs(d) < 9e15 && !"\(number)".contains(".") && !"\(number)".contains("e") { return number.int64Value }
            return d
        default: return try json(element)
        }
    }

    static func regex(_ value: DatabaseValue) throws -> NSRegularExpression? {
        guard let pattern = text(value) else { return nil }
        return try RegexCache.shared.expression(pattern)
    }

    static func ns(_ s: String) -> NSRange { NSRange(s.startIndex..<s.endIndex, in: s) }

    static func pad(_ v: [DatabaseValue], left: Bool) throws -> DatabaseValueConvertible? {
        guard let s = text(v[0]), let length = int(v[1]) else { return nil }
        let filler = v.count > 2 ? text(v[2]) : " "
        guard let filler else { return nil }
        if length < 0 { throw fail("\(left ? "LPAD" : "RPAD") length cannot be negative") }
        let characters = Array(s)
        if characters.count >= length { return String(characters.prefix(Int(length))) }
        if filler.isEmpty { throw fail("\(left ? "LPAD" : "RPAD") pattern cannot be empty") }
        let needed = Int(length) - characters.count
        let fill = Array(filler)
        let padding = String((0..<needed).map { fill[$0 % fill.count] })
        return left ? padding + s : s + padding
    }

    static let stringFunctions: [(String, Int?, Body)] = [
        ("lower", 1, { v in text(v[0])?.lowercased() }),
        ("upper", 1, { v in text(v[0])?.uppercased() }),
        ("substr", nil, { v in
            // SUBSTR(value, position[, length]): 1-based, 0 counts as 1, negative from the end.
            if isNull(v) { return nil }
            guard let s = text(v[0]), let position = int(v[1]) else { return nil }
            let characters = Array(s)
            let n = Int64(characters.count)
            var start = position > 0 ? position - 1 : (position == 0 ? 0 : max(0, n + position))
            if start > n { start = n }
            var end = n
            if v.count > 2 {
                guard let length = int(v[2]) else { return nil }
                if length < 0 { throw fail("SUBSTR length cannot be negative") }
                end = min(n, start + min(length, n))
            }
            return String(characters[Int(start)..<Int(max(start, end))])
        }),
        ("lpad", nil, { v in try pad(v, left: true) }),
        ("rpad", nil, { v in try pad(v, left: false) }),
        ("starts_with", 2, { v in
            guard let s = text(v[0]), let p = text(v[1]) else { return nil }
            return s.utf8.starts(with: p.utf8)
        }),
        ("ends_with", 2, { v in
            guard let s = text(v[0]), let p = text(v[1]) else { return nil }
            return s.utf8.reversed().starts(with: p.utf8.reversed())
        }),
        ("contains_substr", 2, { v in
            guard let s = text(v[0]), let p = text(v[1]) else { return nil }
            return p.isEmpty || s.lowercased().contains(p.lowercased())
        }),
        ("like", 2, { v in
            guard let s = text(v[0]), let p = text(v[1]) else { return nil }
            return likeMatch(Array(s), Array(p))
        }),
        ("regexp_contains", 2, { v in
            guard let s = text(v[0]), let r = try regex(v[1]) else { return nil }
            return r.firstMatch(in: s, range: ns(s)) != nil
        }),
        ("regexp_extract", nil, { v in
            guard let s = text(v[0]), let r = try regex(v[1]) else { return nil }
            if r.numberOfCaptureGroups > 1 { throw fail("REGEXP_EXTRACT allows at most one capturing group") }
            let position = v.count > 2 ? (int(v[2]) ?? 1) : 1
            let occurrence = v.count > 3 ? (int(v[3]) ?? 1) : 1
            if position < 1 || occurrence < 1 { throw fail("REGEXP_EXTRACT position and occurrence must be positive") }
            let characters = Array(s)
            if position > Int64(characters.count) { return nil }
            let tail = String(characters[Int(position - 1)...])
            let matches = r.matches(in: tail, range: ns(tail))
            guard occurrence <= Int64(matches.count) else { return nil }
            let match = matches[Int(occurrence - 1)]
            let range = r.numberOfCaptureGroups == 1 ? match.range(at: 1) : match.range
            guard range.location != NSNotFound, let swiftRange = Range(range, in: tail) else { return nil }
            return String(tail[swiftRange])
        }),
        ("regexp_extract_all", 2, { v in
            guard let s = text(v[0]), let r = try regex(v[1]) else { return nil }
            if r.numberOfCaptureGroups > 1 { throw fail("REGEXP_EXTRACT_ALL allows at most one capturing group") }
            let found = r.matches(in: s, range: ns(s)).compactMap { match -> String? in
                let range = r.numberOfCaptureGroups == 1 ? match.range(at: 1) : match.range
                return Range(range, in: s).map { String(s[$0]) }
            }
            return try json(found)
        }),
        ("regexp_instr", 2, { v in
            guard let s = text(v[0]), let r = try regex(v[1]) else { return nil }
            guard let match = r.firstMatch(in: s, range: ns(s)), let range = Range(match.range, in: s) else { return Int64(0) }
            return Int64(s.distance(from: s.startIndex, to: range.lowerBound) + 1)
        }),
        ("regexp_replace", 3, { v in
            guard let s = text(v[0]), let r = try regex(v[1]), let replacement = text(v[2]) else { return nil }
            // BigQuery writes groups as \1; NSRegularExpression as $1.
            var template = ""
            var chars = Array(replacement)[...]
            while let c = chars.popFirst() {
                if c == "\\", let next = chars.first {
                    chars.removeFirst()
                    if next.isNumber { template += "$\(next)" } else if next == "\\" { template += "\\\\" } else { template.append(next) }
                } else if c == "$" {
                    template += "\\$"
                } else {
                    template.append(c)
                }
            }
            return r.stringByReplacingMatches(in: s, range: ns(s), withTemplate: template)
        }),
        ("split", nil, { v in
            guard let s = text(v[0]) else { return nil }
            let delimiter = v.count > 1 ? text(v[1]) : ","
            guard let delimiter else { return nil }
            // Splitting an empty string gives one empty string.
            if s.isEmpty { return "[\"\"]" }
            let pieces: [String] = delimiter.isEmpty ? s.map(String.init) : s.components(separatedBy: delimiter)
            return try json(pieces)
        }),
        ("reverse", 1, { v in text(v[0]).map { String($0.reversed()) } }),
        ("initcap", nil, { v in
            guard let s = text(v[0]) else { return nil }
            let delimiters = v.count > 1 ? Set(text(v[1]) ?? "") : Set(" [](){}/|\n\t<>!?@\"^#$&~_,.:;*%+-")
            var result = ""
            var start = true
            for c in s {
                result += start ? c.uppercased() : c.lowercased()
                start = delimiters.contains(c)
            }
            return result
        }),
        ("repeat", 2, { v in
            guard let s = text(v[0]), let n = int(v[1]) else { return nil }
            if n < 0 { throw fail("REPEAT count cannot be negative") }
            return String(repeating: s, count: Int(n))
        }),
        ("left", 2, { v in
            guard let s = text(v[0]), let n = int(v[1]) else { return nil }
            if n < 0 { throw fail("LEFT length cannot be negative") }
            return String(s.prefix(Int(n)))
        }),
        ("right", 2, { v in
            guard let s = text(v[0]), let n = int(v[1]) else { return nil }
            if n < 0 { throw fail("RIGHT length cannot be negative") }
            return String(s.suffix(Int(n)))
        }),
        ("ascii", 1, { v in
            guard let s = text(v[0]) else { return nil }
            return Int64(s.unicodeScalars.first?.value ?? 0)
        }),
        ("chr", 1, { v in
            guard let n = int(v[0]) else { return nil }
            if n == 0 { return "" }
            guard n > 0, n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)) else { throw fail("invalid code point \(n)") }
            return String(Character(scalar))
        }),
        ("to_hex", 1, { v in
            let bytes: [UInt8]
            switch v[0].storage {
            case .null: return nil
            case .blob(let data): bytes = [UInt8](data)
            default: bytes = Array((text(v[0]) ?? "").utf8)
            }
            return bytes.map { String(format: "%02x", $0) }.joined()
        }),
        ("byte_length", 1, { v in
            switch v[0].storage {
            case .null: return nil
            case .blob(let data): return Int64(data.count)
            default: return Int64((text(v[0]) ?? "").utf8.count)
            }
        }),
        ("octet_length", 1, { v in
            switch v[0].storage {
            case .null: return nil
            case .blob(let data): return Int64(data.count)
            default: return Int64((text(v[0]) ?? "").utf8.count)
            }
        }),
        ("instr", nil, { v in
            guard let s = text(v[0]), let search = text(v[1]) else { return nil }
            let position = v.count > 2 ? (int(v[2]) ?? 1) : 1
            let occurrence = v.count > 3 ? (int(v[3]) ?? 1) : 1
            if position == 0 || occurrence < 1 { throw fail("INSTR position cannot be 0 and occurrence must be positive") }
            let chars = Array(s), needle = Array(search)
            guard !needle.isEmpty else { return Int64(0) }
            var found = 0
            if position > 0 {
                var i = Int(position - 1)
                while i + needle.count <= chars.count {
                    if Array(chars[i..<(i + needle.count)]) == needle {
                        found += 1
                        if found == occurrence { return Int64(i + 1) }
                    }
                    i += 1
                }
            } else {
                var i = chars.count + Int(position) - needle.count + 1
                i = min(i, chars.count - needle.count)
                while i >= 0 {
                    if Array(chars[i..<(i + needle.count)]) == needle {
                        found += 1
                        if found == occurrence { return Int64(i + 1) }
                    }
                    i -= 1
                }
            }
            return Int64(0)
        }),
        ("translate", 3, { v in
            guard let s = text(v[0]), let from = text(v[1]), let to = text(v[2]) else { return nil }
            let source = Array(from), target = Array(to)
            var map: [Character: Character?] = [:]
            for (i, c) in source.enumerated() where map[c] == nil {
                map[c] = i < target.count ? target[i] : .some(nil)
            }
            var result = ""
            for c in s {
                if let mapped = map[c] {
                    if let m = mapped { result.append(m) }
                } else {
                    result.append(c)
                }
            }
            return result
        }),
        ("format", nil, { v in try BigQueryFormat.format(v) }),
        ("array_to_string", nil, { v in
            guard let array = try jsonArray(v[0]), let separator = text(v[1]) else { return nil }
            let nullText = v.count > 2 ? text(v[2]) : nil
            var parts: [String] = []
            for element in array {
                if element is NSNull {
                    if let nullText { parts.append(nullText) }
                } else if let value = try sqlValue(element) {
                    parts.append(text(value.databaseValue) ?? "")
                }
            }
            return parts.joined(separator: separator)
        }),
        ("generate_array", nil, { v in
            if isNull(v) { return nil }
            let step = v.count > 2 ? v[2] : Int64(1).databaseValue
            if let a = int(v[0]), let b = int(v[1]), let s = int(step), case .int64 = v[0].storage, case .int64 = v[1].storage {
                if s == 0 { throw fail("GENERATE_ARRAY step cannot be 0") }
                var out: [Int64] = []
                var x = a
                while s > 0 ? x <= b : x >= b {
                    out.append(x)
                    if out.count > 1_000_000 { throw fail("GENERATE_ARRAY produced too many elements") }
                    let (next, overflow) = x.addingReportingOverflow(s)
                    if overflow { break }
                    x = next
                }
                return try json(out)
            }
            guard let a = double(v[0]), let b = double(v[1]), let s = double(step) else { return nil }
            if s == 0 { throw fail("GENERATE_ARRAY step cannot be 0") }
            var out: [Double] = []
            var x = a
            while s > 0 ? x <= b : x >= b {
                out.append(x)
                if out.count > 1_000_000 { throw fail("GENERATE_ARRAY produced too many elements") }
                x += s
            }
            return try json(out)
        }),
        ("array_reverse", 1, { v in
            guard let array = try jsonArray(v[0]) else { return nil }
            return try json(Array(array.reversed()))
        }),
        ("array_concat", nil, { v in
            var out: [Any] = []
            for value in v {
                guard let array = try jsonArray(value) else { return nil }
                out += array
            }
            return try json(out)
        }),
        ("array_at", 3, { v in
            // a[OFFSET(i)] (0-based), a[ORDINAL(i)] (1-based); SAFE_ variants give NULL out of range.
            guard let array = try jsonArray(v[0]), let index = int(v[1]) else { return nil }
            let mode = text(v[2]) ?? "OFFSET"
            let position = mode.hasSuffix("ORDINAL") ? index - 1 : index
            guard position >= 0, position < Int64(array.count) else {
                if mode.hasPrefix("SAFE_") { return nil }
                throw fail("array index \(index) is out of bounds (array length \(array.count))")
            }
            return try sqlValue(array[Int(position)])
        }),
        ("json_value", 2, { v in
            guard let found = try jsonLookup(v) else { return nil }
            if found is [Any] || found is [String: Any] || found is NSNull { return nil }
            if let s = found as? String { return s }
            return try json(found)
        }),
        ("json_query", 2, { v in
            guard let found = try jsonLookup(v) else { return nil }
            return try json(found)
        }),
        ("json_extract_array", 2, { v in
            guard let found = try jsonLookup(v) as? [Any] else { return nil }
            return try json(found.map { try json($0) })
        }),
        ("json_query_array", 2, { v in
            guard let found = try jsonLookup(v) as? [Any] else { return nil }
            return try json(found.map { try json($0) })
        }),
        ("json_extract_string_array", 2, { v in
            guard let found = try jsonLookup(v) as? [Any] else { return nil }
            if found.contains(where: { $0 is [Any] || $0 is [String: Any] }) { return nil }
            return try json(found.map { element -> Any in
                if element is NSNull { return NSNull() }
                if let s = element as? String { return s }
                return (try? json(element)) ?? ""
            })
        }),
        ("json_value_array", 2, { v in
            guard let found = try jsonLookup(v) as? [Any] else { return nil }
            if found.contains(where: { $0 is [Any] || $0 is [String: Any] }) { return nil }
            return try json(found.map { element -> Any in
                if element is NSNull { return NSNull() }
                if let s = element as? String { return s }
                return (try? json(element)) ?? ""
            })
        }),
        ("to_json_string", 1, { v in
            switch v[0].storage {
            case .null: return "null"
            case .int64(let i): return String(i)
            case .double(let d): return d.isFinite ? formatDouble(d) : "\"\(formatDouble(d))\""
            case .string(let s):
                if let data = s.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data, options: []), object is [Any] || object is [String: Any] {
                    return try json(object)
                }
                return try json(s)
            case .blob(let data): return try json(data.base64EncodedString())
            }
        }),
    ]

    /// JSONPath lookup of `v[1]` in the JSON text `v[0]`: `$`, `.name`, `."name"`, `['name']`,
    /// `[index]` (https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#JSONPath_format).
    static func jsonLookup(_ v: [DatabaseValue]) throws -> Any? {
        guard let document = text(v[0]), let path = text(v[1]) else { return nil }
        guard let root = try? JSONSerialization.jsonObject(with: Data(document.utf8), options: [.fragmentsAllowed]) else {
            throw fail("invalid JSON input: \(document.prefix(40))")
        }
        var chars = Array(path)[...]
        guard chars.popFirst() == "$" else { throw fail("JSONPath must start with '$': \(path)") }
        var current: Any = root
        while let c = chars.popFirst() {
            var key: String?
            var index: Int?
            if c == "." {
                if chars.first == "\"" {
                    chars.removeFirst()
                    key = String(chars.prefix(while: { $0 != "\"" }))
                    chars = chars.dropFirst((key?.count ?? 0) + 1)
                } else {
                    key = String(chars.prefix(while: { $0 != "." && $0 != "[" }))
                    chars = chars.dropFirst(key?.count ?? 0)
                }
            } else if c == "[" {
                let inside = String(chars.prefix(while: { $0 != "]" }))
                chars = chars.dropFirst(inside.count + 1)
                if inside.hasPrefix("'") || inside.hasPrefix("\"") {
                    key = String(inside.dropFirst().dropLast())
                } else if let i = Int(inside.trimmingCharacters(in: .whitespaces)) {
                    index = i
                } else {
                    throw fail("invalid JSONPath: \(path)")
                }
            } else {
                throw fail("invalid JSONPath: \(path)")
            }
            if let key {
                guard let object = current as? [String: Any], let next = object[key] else { return nil }
                current = next
            } else if let index {
                guard let array = current as? [Any], index >= 0, index < array.count else { return nil }
                current = array[index]
            }
        }
        return current
    }

    /// LIKE with `%`, `_` and `\` escapes, case-sensitive (BigQuery's LIKE).
    static func likeMatch(_ s: [Character], _ p: [Character]) -> Bool {
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            let key = i * (p.count + 1) + j
            if let known = memo[key] { return known }
            var result: Bool
            if j == p.count {
                result = i == s.count
            } else if p[j] == "%" {
                result = match(i, j + 1) || (i < s.count && match(i + 1, j))
            } else if p[j] == "\\" && j + 1 < p.count {
                result = i < s.count && s[i] == p[j + 1] && match(i + 1, j + 2)
            } else if p[j] == "_" {
                result = i < s.count && match(i + 1, j + 1)
            } else {
                result = i < s.count && s[i] == p[j] && match(i + 1, j + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
