import Foundation
import GRDB
import SQL

// Time zones (https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions#timezone_definitions):
// a name from the tz database (`America/Los_Angeles`) or an offset (`+05:30`, `-08`).
//
// - `bq_to_zone(timestamp, zone)`: the civil DATETIME text of the instant in that zone.
// - `bq_from_zone(datetime, zone)`: the UTC TIMESTAMP text of a civil time in that zone (a time
//   skipped or repeated by a DST change resolves with the offset in force just before it).

extension BigQueryFunctions {
    /// The offset in seconds of `zone` at the UTC instant `micros`.
    static func offset(_ zone: String, atUTC micros: Int64) throws -> Int64 {
        let trimmed = zone.trimmingCharacters(in: .whitespaces)
        switch trimmed.uppercased() {
        case "UTC", "Z", "ETC/UTC", "GMT", "ETC/GMT": return 0
        default: break
        }
        if let first = trimmed.first, first == "+" || first == "-" {
            let digits = trimmed.dropFirst().split(separator: ":")
            guard let hours = digits.first.flatMap({ Int64($0) }), hours <= 14,
                  digits.count <= 2, let minutes = digits.count == 2 ? Int64(digits[1]) : 0, minutes < 60 else {
                throw fail("invalid time zone: \(zone)")
            }
            return (first == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        guard let timeZone = TimeZone(identifier: trimmed) else { throw fail("invalid time zone: \(zone)") }
        let date = Date(timeIntervalSince1970: Double(CivilTime.floorDiv(micros, 1_000_000)))
        return Int64(timeZone.secondsFromGMT(for: date))
    }

    static let timeZoneFunctions: [(String, Int?, Body)] = [
        ("to_zone", 2, { v in
            guard let zone = text(v[1]), let m = try micros(v[0], kind: "TIMESTAMP") else { return nil }
            return try render(m + (try offset(zone, atUTC: m)) * 1_000_000, kind: "DATETIME")
        }),
        ("from_zone", 2, { v in
            guard let zone = text(v[1]), let local = try micros(v[0], kind: "DATETIME") else { return nil }
            let first = try offset(zone, atUTC: local)
            var utc = local - first * 1_000_000
            let second = try offset(zone, atUTC: utc)
            if second != first { utc = local - second * 1_000_000 }
            return try render(utc, kind: "TIMESTAMP")
        }),
    ]
}
