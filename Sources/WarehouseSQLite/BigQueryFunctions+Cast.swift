import Foundation
import GRDB
import SQL

// CAST and SAFE_CAST (https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#cast).

extension BigQueryFunctions {
    /// `bq_cast(value, from, to, safe)`: `from` is the translator's type of the value (`""` when
    /// unknown: judged by the stored value), `to` the target type, `safe` 1 for SAFE_CAST.
    static let cast: Body = { v in
        guard let from = text(v[1]), let to = text(v[2]) else { return nil }
        let safe = int(v[3]) == 1
        do {
            return try castValue(v[0], from: from, to: to)
        } catch {
            if safe { return nil }
            throw error
        }
    }

    static func castValue(_ value: DatabaseValue, from: String, to: String) throws -> DatabaseValueConvertible? {
        if value.isNull { return nil }
        func invalid() -> DatabaseError {
            fail("bad \(to) value: \(text(value).map { "'\($0)'" } ?? "NULL")\(from.isEmpty ? "" : " (from \(from))")")
        }
        switch to {
        case "INT64":
            switch value.storage {
            case .int64(let i): return i
            case .double(let d):
                // Rounds half away from zero; NaN, ±inf and out-of-range values are errors.
                let r = d.rounded(.toNearestOrAwayFromZero)
                guard r.isFinite, r >= -9.223372036854775808e18, r < 9.223372036854775808e18 else { throw invalid() }
                return Int64(r)
            case .string(let s):
                if from == "BOOL" { return Int64(s == "true" ? 1 : 0) }
                var body = Substring(s.trimmingCharacters(in: .whitespaces))
                var negative = false
                if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
                let magnitude: UInt64?
                if body.lowercased().hasPrefix("0x") {
                    magnitude = UInt64(body.dropFirst(2), radix: 16)
                } else {
                    magnitude = body.allSatisfy({ $0.isASCII && $0.isNumber }) ? UInt64(body) : nil
                }
                guard let magnitude else { throw invalid() }
                if negative {
                    guard magnitude <= UInt64(Int64.max) + 1 else { throw invalid() }
                    return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
                }
                guard magnitude <= UInt64(Int64.max) else { throw invalid() }
                return Int64(magnitude)
            default: throw invalid()
            }
        case "FLOAT64", "NUMERIC", "BIGNUMERIC":
            switch value.storage {
            case .int64(let i): return Double(i)
            case .double(let d):
                if to != "FLOAT64" && !d.isFinite { throw invalid() }
                return d
            case .string(let s):
                let trimmed = s.trimmingCharacters(in: .whitespaces)
                switch trimmed.lowercased() {
                case "inf", "+inf", "infinity": if to == "FLOAT64" { return Double.infinity } else { throw invalid() }
                case "-inf", "-infinity": if to == "FLOAT64" { return -Double.infinity } else { throw invalid() }
                case "nan": if to == "FLOAT64" { return Double.nan } else { throw invalid() }
                default: break
                }
                guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let d = Double(trimmed) else { throw invalid() }
                return d
            default: throw invalid()
            }
        case "BOOL":
            switch value.storage {
            case .int64(let i): return i != 0
            case .string(let s):
                switch s.lowercased() {
                case "true": return true
                case "false": return false
                default: throw invalid()
                }
            default: throw invalid()
            }
        case "STRING":
            switch from {
            case "BOOL": return (int(value) ?? 0) != 0 ? "true" : "false"
            case "TIMESTAMP":
                guard let m = try micros(value, kind: "TIMESTAMP") else { return nil }
                return CivilTime.formatDateTime(m) + "+00"
            default:
                if case .double(let d) = value.storage { return formatDouble(d) }
                return text(value)
            }
        case "BYTES":
            if case .blob(let data) = value.storage { return data }
            return text(value).map { Data($0.utf8) }
        case "DATE", "DATETIME", "TIMESTAMP", "TIME":
            guard let s = text(value) else { return nil }
            if from == "" || from == "STRING" {
                switch to {
                case "DATE":
                    guard let d = CivilTime.parseDate(s) else { throw invalid() }
                    return CivilTime.formatDate(d)
                case "DATETIME":
                    guard let m = CivilTime.parseDateTime(s) else { throw invalid() }
                    return CivilTime.formatDateTime(m)
                case "TIME":
                    guard let t = CivilTime.parseTime(s) else { throw invalid() }
                    return CivilTime.formatTime(t)
                default:
                    guard let m = CivilTime.parseTimestamp(s), CivilTime.inRange(micros: m) else { throw invalid() }
                    return CivilTime.formatDateTime(m)
                }
            }
            guard let m = try micros(value, kind: from) else { return nil }
            if from == "TIME" && to != "TIME" { throw invalid() }
            if from == "DATE" && to == "TIME" { throw invalid() }
            return try render(m, kind: to)
        case "JSON":
            return text(value)
        default:
            throw fail("CAST to \(to) is not supported")
        }
    }
}
