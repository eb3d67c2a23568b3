import Foundation
import Warehouse

/// BigQuery's JSON encodings of values, both ways, and dbt-bigquery's display formats.
enum BigQueryValues {
    /// A result cell from its `v` as getQueryResults sends it (every scalar as a string) and its
    /// schema field (cloud.google.com/bigquery/docs/reference/rest/v2/tabledata#TableRow).
    /// Timestamps arrive as integer microseconds (`useInt64Timestamp`) or float seconds and become
    /// BigQuery's own text form (`2024-01-02 03:04:05.5+00`, as `CAST(ts AS STRING)`).
    static func cell(_ value: Any, field: [String: Any]) -> Cell {
        if value is NSNull { return .null }
        let type = (field["type"] as? String ?? "").uppercased()
        if field["mode"] as? String == "REPEATED" || type == "RECORD" || type == "STRUCT" {
            return .text(jsonText(value, field: field))
        }
        guard let text = value as? String else { return .text(jsonText(value, field: field)) }
        switch type {
        case "INTEGER", "INT64":
            return Int64(text).map(Cell.integer) ?? .text(text)
        case "FLOAT", "FLOAT64":
            switch text {
            case "NaN": return .real(.nan)
            case "Infinity": return .real(.infinity)
            case "-Infinity": return .real(-.infinity)
            default: return Double(text).map(Cell.real) ?? .text(text)
            }
        case "NUMERIC", "BIGNUMERIC", "DECIMAL", "BIGDECIMAL":
            return Double(text).map(Cell.real) ?? .text(text)
        case "BOOLEAN", "BOOL":
            return .bool(text.lowercased() == "true")
        case "TIMESTAMP":
            return .text(timestampText(text))
        case "BYTES":
            return Data(base64Encoded: text).map { Cell.blob([UInt8]($0)) } ?? .text(text)
        default:
            return .text(text)
        }
    }

    /// `2024-01-02 03:04:05[.ffffff]+00` from microseconds since the epoch (or seconds with a fraction).
    static func timestampText(_ text: String) -> String {
        var micros: Int64
        if let whole = Int64(text) {
            micros = whole
        } else if let seconds = Double(text) {
            micros = Int64((seconds * 1_000_000).rounded())
        } else {
            return text
        }
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 { fraction += 1_000_000; seconds -= 1 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        var out = String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                         parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        if fraction != 0 {
            var digits = String(format: "%06lld", fraction)
            while digits.hasSuffix("0") { digits.removeLast() }
            out += "." + digits
        }
        return out + "+00"
    }

    /// A nested value (array, struct) as JSON text, its scalars typed by the schema
    /// (`[1,2]`, `{"a":1,"b":"x"}` with keys sorted).
    static func jsonText(_ value: Any, field: [String: Any]) -> String {
        let plain = typed(value, field: field)
        guard let data = try? JSONSerialization.data(withJSONObject: plain, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]) else {
            return "\(plain)"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A value of `field` as a Foundation JSON object.
    private static func typed(_ value: Any, field: [String: Any]) -> Any {
        if value is NSNull { return NSNull() }
        if field["mode"] as? String == "REPEATED" {
            var element = field
            element["mode"] = "NULLABLE"
            return (value as? [Any] ?? []).map { typed(($0 as? [String: Any])?["v"] ?? $0, field: element) }
        }
        let type = (field["type"] as? String ?? "").uppercased()
        if type == "RECORD" || type == "STRUCT" {
            let subfields = field["fields"] as? [[String: Any]] ?? []
            let cells = (value as? [String: Any])?["f"] as? [Any] ?? []
            var out: [String: Any] = [:]
            for (sub, cell) in zip(subfields, cells) {
                out[sub["name"] as? String ?? ""] = typed((cell as? [String: Any])?["v"] ?? cell, field: sub)
            }
            return out
        }
        guard let text = value as? String else { return value }
        switch cell(text, field: ["type": type]) {
        case .integer(let i): return i
        case .real(let d): return d.isFinite ? d : text
        case .bool(let b): return b
        default: return text
        }
    }

    /// The standard SQL name of a schema field's type (`INTEGER` → `INT64`, REPEATED → `ARRAY<…>`),
    /// as INFORMATION_SCHEMA.COLUMNS writes it.
    static func typeName(_ field: [String: Any]) -> String {
        let raw = (field["type"] as? String ?? "").uppercased()
        var name: String
        switch raw {
        case "INTEGER": name = "INT64"
        case "FLOAT": name = "FLOAT64"
        case "BOOLEAN": name = "BOOL"
        case "RECORD", "STRUCT":
            let inner = (field["fields"] as? [[String: Any]] ?? []).map { "\($0["name"] as? String ?? "") \(typeName($0))" }
            name = "STRUCT<" + inner.joined(separator: ", ") + ">"
        default: name = raw
        }
        if field["mode"] as? String == "REPEATED" { name = "ARRAY<\(name)>" }
        return name
    }

    /// One row of a newline-delimited JSON load (cloud.google.com/bigquery/docs/loading-data-cloud-storage-json).
    static func ndjsonLine(columns: [String], row: [Cell]) throws -> Data {
        var object: [String: Any] = [:]
        for (name, cell) in zip(columns, row) {
            switch cell {
            case .null: object[name] = NSNull()
            case .integer(let value): object[name] = value
            case .real(let value):
                if value.isNaN { object[name] = "NaN" } else if value.isInfinite { object[name] = value > 0 ? "Infinity" : "-Infinity" } else { object[name] = value }
            case .text(let value): object[name] = value
            case .bool(let value): object[name] = value
            case .blob(let bytes): object[name] = Data(bytes).base64EncodedString()
            }
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// A job label value as BigQuery accepts it: at most 63 characters of lowercase letters,
    /// digits, `_` and `-` (dbt-bigquery's `_labels_from_query_comment` sanitizing: other
    /// characters become `_`).
    static func labelValue(_ text: String) -> String {
        let mapped = text.lowercased().unicodeScalars.map { scalar -> Character in
            let ok = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
            return ok ? Character(scalar) : "_"
        }
        return String(String(mapped).prefix(63))
    }

    /// dbt's `format_bytes`: `1.2 KiB`, `0.0 Bytes` (dbt-bigquery's adapter_response messages).
    static func formatBytes(_ bytes: Int64) -> String {
        var value = Double(bytes)
        for unit in ["Bytes", "KiB", "MiB", "GiB", "TiB"] {
            if abs(value) < 1024 { return String(format: "%3.1f", value).trimmingCharacters(in: .whitespaces) + " " + unit }
            value /= 1024
        }
        return String(format: "%3.1f PiB", value).trimmingCharacters(in: .whitespaces)
    }

    /// dbt's `format_rows_number`: `25.0`, `1.5k`, `2.0m`.
    static func formatRows(_ rows: Int64) -> String {
        var value = Double(rows)
        for unit in ["", "k", "m", "b", "t"] {
            if abs(value) < 1000 { return String(format: "%3.1f", value).trimmingCharacters(in: .whitespaces) + unit }
            value /= 1000
        }
        return String(format: "%3.1fq", value).trimmingCharacters(in: .whitespaces)
    }
}
