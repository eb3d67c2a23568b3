import Foundation
import GRDB
import SQL

// Date and time functions over the canonical text forms (see CivilTime)
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/datetime_functions,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions,
// https://cloud.google.com/bigquery/docs/reference/standard-sql/time_functions).

extension BigQueryFunctions {
    /// A temporal value read as microseconds (DATE: midnight) or nil for NULL; `kind` is the
    /// translator's type (`DATE`, `DATETIME`, `TIMESTAMP`, `TIME`, or `""` when unknown).
    static func micros(_ value: DatabaseValue, kind: String) throws -> Int64? {
        guard let s = text(value) else { return nil }
        switch kind {
        case "DATE":
            if let d = CivilTime.parseDate(s) { return d * CivilTime.microsPerDay }
            if let m = CivilTime.parseTimestamp(s) { return CivilTime.floorDiv(m, CivilTime.microsPerDay) * CivilTime.microsPerDay }
        case "TIME":
            if let t = CivilTime.parseTime(s) { return t }
        default:
            if let m = CivilTime.parseTimestamp(s) { return m }
            if let t = CivilTime.parseTime(s) { return t }
        }
        throw fail("invalid \(kind.isEmpty ? "date/time" : kind) value: '\(s)'")
    }

    static func days(_ value: DatabaseValue, kind: String) throws -> Int64? {
        try micros(value, kind: kind).map { CivilTime.floorDiv($0, CivilTime.microsPerDay) }
    }

    /// The kind of an untyped value, judged by its text.
    static func resolvedKind(_ kind: String, _ value: DatabaseValue) -> String {
        if !kind.isEmpty { return kind }
        guard let s = text(value) else { return "TIMESTAMP" }
        if CivilTime.parseDate(s) != nil { return "DATE" }
        if CivilTime.parseTime(s) != nil { return "TIME" }
        return "TIMESTAMP"
    }

    static func render(_ micros: Int64, kind: String) throws -> String {
        switch kind {
        case "DATE":
            let d = CivilTime.floorDiv(micros, CivilTime.microsPerDay)
            guard d >= CivilTime.minDay && d <= CivilTime.maxDay else { throw fail("DATE value out of range") }
            return CivilTime.formatDate(d)
        case "TIME":
            return CivilTime.formatTime(CivilTime.floorMod(micros, CivilTime.microsPerDay))
        default:
            guard CivilTime.inRange(micros: micros) else { throw fail("\(kind) value out of range") }
            return CivilTime.formatDateTime(micros)
        }
    }

    /// Adds months to a day number, clamping to the last day of the month (DATE_ADD MONTH).
    static func addMonths(_ days: Int64, _ months: Int64) throws -> Int64 {
        let (y, m, d) = CivilTime.civil(days)
        let (total, o) = (y * 12 + (m - 1)).addingReportingOverflow(months)
        if o { throw fail("DATE overflow") }
        let year = CivilTime.floorDiv(total, 12), month = CivilTime.floorMod(total, 12) + 1
        guard year >= 1 && year <= 9999 else { throw fail("DATE value out of range") }
        return CivilTime.days(year: year, month: month, day: min(d, CivilTime.daysInMonth(year: year, month: month)))
    }

    static let unitMicros: [String: Int64] = [
        "MICROSECOND": 1, "MILLISECOND": 1_000, "SECOND": 1_000_000, "MINUTE": 60_000_000,
        "HOUR": 3_600_000_000, "DAY": 86_400_000_000,
    ]

    static func weekStart(_ part: String) -> Int64? {
        switch part {
        case "WEEK", "WEEK(SUNDAY)": return 0
        case "ISOWEEK", "WEEK(MONDAY)": return 1
        case "WEEK(TUESDAY)": return 2
        case "WEEK(WEDNESDAY)": return 3
        case "WEEK(THURSDAY)": return 4
        case "WEEK(FRIDAY)": return 5
        case "WEEK(SATURDAY)": return 6
        default: return nil
        }
    }

    /// The ISO year and week (weeks start Monday; week 1 holds the year's first Thursday).
    static func isoWeek(_ days: Int64) -> (year: Int64, week: Int64) {
        let weekday = (CivilTime.weekday(days) + 6) % 7  // Monday = 0
        let thursday = days - weekday + 3
        let year = CivilTime.civil(thursday).year
        let first = CivilTime.days(year: year, month: 1, day: 1)
        return (year, (thursday - first) / 7 + 1)
    }

    static func isoYearStart(_ year: Int64) -> Int64 {
        let jan4 = CivilTime.days(year: year, month: 1, day: 4)
        return jan4 - (CivilTime.weekday(jan4) + 6) % 7
    }

    static func truncDays(_ days: Int64, _ part: String) throws -> Int64 {
        let (y, m, _) = CivilTime.civil(days)
        if let start = weekStart(part) {
            return days - CivilTime.floorMod(CivilTime.weekday(days) - start, 7)
        }
        switch part {
        case "DAY": return days
        case "MONTH": return CivilTime.days(year: y, month: m, day: 1)
        case "QUARTER": return CivilTime.days(year: y, month: (m - 1) / 3 * 3 + 1, day: 1)
        case "YEAR": return CivilTime.days(year: y, month: 1, day: 1)
        case "ISOYEAR": return isoYearStart(isoWeek(days).year)
        default: throw fail("unsupported date part \(part)")
        }
    }

    static let timeFunctions: [(String, Int?, Body)] = [
        ("add_interval", 4, { v in
            guard let kind = text(v[0]), let n = int(v[2]), let unit = text(v[3]) else { return nil }
            guard let base = try micros(v[1], kind: kind) else { return nil }
            if let step = unitMicros[unit] {
                if kind == "DATE" && unit != "DAY" {
                    // DATE + an hour: BigQuery gives a DATETIME.
                    let (delta, o1) = n.multipliedReportingOverflow(by: step)
                    let (sum, o2) = base.addingReportingOverflow(delta)
                    if o1 || o2 { throw fail("DATETIME overflow") }
                    return try render(sum, kind: "DATETIME")
                }
                let (delta, o1) = n.multipliedReportingOverflow(by: step)
                let (sum, o2) = base.addingReportingOverflow(delta)
                if o1 || o2 { throw fail("\(kind) overflow") }
                return try render(sum, kind: kind)
            }
            if kind == "TIMESTAMP" || kind == "TIME" { throw fail("\(kind)_ADD does not support the \(unit) part") }
            let day = CivilTime.floorDiv(base, CivilTime.microsPerDay)
            let timeOfDay = base - day * CivilTime.microsPerDay
            var shifted: Int64
            switch unit {
            case "WEEK":
                let (d, o) = n.multipliedReportingOverflow(by: 7)
                if o { throw fail("DATE overflow") }
                shifted = day + d
            case "MONTH": shifted = try addMonths(day, n)
            case "QUARTER":
                let (q, o) = n.multipliedReportingOverflow(by: 3)
                if o { throw fail("DATE overflow") }
                shifted = try addMonths(day, q)
            case "YEAR":
                let (q, o) = n.multipliedReportingOverflow(by: 12)
                if o { throw fail("DATE overflow") }
                shifted = try addMonths(day, q)
            default: throw fail("unsupported date part \(unit)")
            }
            return try render(shifted * CivilTime.microsPerDay + timeOfDay, kind: kind)
        }),
        ("diff", 4, { v in
            // DATE_DIFF counts part boundaries crossed; TIMESTAMP_DIFF whole intervals
            // (https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#date_diff).
            guard let kind = text(v[0]), let part = text(v[3]) else { return nil }
            guard let a = try micros(v[1], kind: kind), let b = try micros(v[2], kind: kind) else { return nil }
            if let step = unitMicros[part], kind != "DATE" || part == "DAY" {
                if kind == "DATE" || kind == "DATETIME", part == "DAY" {
                    return CivilTime.floorDiv(a, CivilTime.microsPerDay) - CivilTime.floorDiv(b, CivilTime.microsPerDay)
                }
                if kind == "DATETIME" || kind == "TIME" {
                    // Boundaries of the part crossed.
                    return CivilTime.floorDiv(a, step) - CivilTime.floorDiv(b, step)
                }
                return (a - b) / step
            }
            if kind == "TIMESTAMP" || kind == "TIME" { throw fail("\(kind)_DIFF does not support the \(part) part") }
            let da = CivilTime.floorDiv(a, CivilTime.microsPerDay), db = CivilTime.floorDiv(b, CivilTime.microsPerDay)
            if weekStart(part) != nil {
                return (try truncDays(da, part) - truncDays(db, part)) / 7
            }
            let (ya, ma, _) = CivilTime.civil(da), (yb, mb, _) = CivilTime.civil(db)
            switch part {
            case "MONTH": return (ya * 12 + ma) - (yb * 12 + mb)
            case "QUARTER": return (ya * 4 + (ma - 1) / 3) - (yb * 4 + (mb - 1) / 3)
            case "YEAR": return ya - yb
            case "ISOYEAR": return isoWeek(da).year - isoWeek(db).year
            default: throw fail("unsupported date part \(part)")
            }
        }),
        ("trunc_time", 3, { v in
            guard let kind = text(v[0]), let part = text(v[2]) else { return nil }
            guard let m = try micros(v[1], kind: kind) else { return nil }
            if let step = unitMicros[part] {
                if kind == "DATE" && part != "DAY" { throw fail("DATE_TRUNC does not support the \(part) part") }
                return try render(CivilTime.floorDiv(m, step) * step, kind: kind)
            }
            if kind == "TIME" { throw fail("TIME_TRUNC does not support the \(part) part") }
            let d = try truncDays(CivilTime.floorDiv(m, CivilTime.microsPerDay), part)
            return try render(d * CivilTime.microsPerDay, kind: kind)
        }),
        ("last_day", 3, { v in
            guard let kind = text(v[0]), let part = text(v[2]) else { return nil }
            guard let d = try days(v[1], kind: kind) else { return nil }
            let (y, m, _) = CivilTime.civil(d)
            if let start = weekStart(part) {
                return CivilTime.formatDate(d - CivilTime.floorMod(CivilTime.weekday(d) - start, 7) + 6)
            }
            switch part {
            case "MONTH": return CivilTime.formatDate(CivilTime.days(year: y, month: m, day: CivilTime.daysInMonth(year: y, month: m)))
            case "QUARTER":
                let last = (m - 1) / 3 * 3 + 3
                return CivilTime.formatDate(CivilTime.days(year: y, month: last, day: CivilTime.daysInMonth(year: y, month: last)))
            case "YEAR": return CivilTime.formatDate(CivilTime.days(year: y, month: 12, day: 31))
            case "ISOYEAR": return CivilTime.formatDate(isoYearStart(isoWeek(d).year + 1) - 1)
            default: throw fail("unsupported date part \(part)")
            }
        }),
        ("extract", 3, { v in
            guard let part = text(v[0]), let kindText = text(v[2]) else { return nil }
            let kind = resolvedKind(kindText, v[1])
            guard let m = try micros(v[1], kind: kind) else { return nil }
            let d = CivilTime.floorDiv(m, CivilTime.microsPerDay)
            let t = m - d * CivilTime.microsPerDay
            let (y, mo, day) = CivilTime.civil(d)
            if kind == "TIME" && ["DAY", "MONTH", "YEAR", "DAYOFWEEK", "DAYOFYEAR", "WEEK", "ISOWEEK", "ISOYEAR", "QUARTER", "DATE"].contains(part) {
                throw fail("EXTRACT \(part) from TIME is not valid")
            }
            if kind == "DATE" && ["HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "TIME"].contains(part) {
                throw fail("EXTRACT \(part) from DATE is not valid")
            }
            if part.hasPrefix("WEEK"), let start = weekStart(part) {
                // Week number: weeks begin on `start`; days before the year's first such day are week 0.
                let jan1 = CivilTime.days(year: y, month: 1, day: 1)
                let firstStart = jan1 + CivilTime.floorMod(start - CivilTime.weekday(jan1), 7)
                return d < firstStart ? Int64(0) : (d - firstStart) / 7 + 1
            }
            switch part {
            case "YEAR": return y
            case "MONTH": return mo
            case "DAY": return day
            case "QUARTER": return (mo - 1) / 3 + 1
            case "DAYOFWEEK": return CivilTime.weekday(d) + 1
            case "DAYOFYEAR": return d - CivilTime.days(year: y, month: 1, day: 1) + 1
            case "ISOWEEK": return isoWeek(d).week
            case "ISOYEAR": return isoWeek(d).year
            case "HOUR": return t / 3_600_000_000
            case "MINUTE": return t / 60_000_000 % 60
            case "SECOND": return t / 1_000_000 % 60
            case "MILLISECOND": return t / 1_000 % 1_000
            case "MICROSECOND": return t % 1_000_000
            case "DATE": return CivilTime.formatDate(d)
            case "TIME": return CivilTime.formatTime(t)
            case "DATETIME": return CivilTime.formatDateTime(m)
            default: throw fail("unsupported date part \(part)")
            }
        }),
        ("construct", nil, { v in
            // DATE(…), DATETIME(…), TIMESTAMP(…), TIME(…): v[0] the function, v[1] how its
            // arguments are given (a type name, PARTS or DATE+TIME).
            guard let name = text(v[0]), let from = text(v[1]) else { return nil }
            let args = Array(v.dropFirst(2))
            if args.contains(where: { $0.isNull }) { return nil }
            if from == "PARTS" {
                let numbers = args.map { int($0) }
                guard numbers.allSatisfy({ $0 != nil }) else { throw fail("\(name) takes integers") }
                let n = numbers.map { $0 ?? 0 }
                switch name {
                case "TIME":
                    guard n.count == 3, n[0] >= 0, n[0] < 24, n[1] >= 0, n[1] < 60, n[2] >= 0, n[2] < 60 else { throw fail("invalid TIME") }
                    return CivilTime.formatTime(((n[0] * 60 + n[1]) * 60 + n[2]) * 1_000_000)
                default:
                    guard n.count >= 3, n[0] >= 1, n[0] <= 9999, n[1] >= 1, n[1] <= 12, n[2] >= 1,
                          n[2] <= CivilTime.daysInMonth(year: n[0], month: n[1]) else { throw fail("invalid \(name) from parts") }
                    let day = CivilTime.days(year: n[0], month: n[1], day: n[2])
                    if name == "DATE" { return CivilTime.formatDate(day) }
                    guard n.count == 6, n[3] >= 0, n[3] < 24, n[4] >= 0, n[4] < 60, n[5] >= 0, n[5] < 60 else { throw fail("invalid \(name) from parts") }
                    return CivilTime.formatDateTime(day * CivilTime.microsPerDay + ((n[3] * 60 + n[4]) * 60 + n[5]) * 1_000_000)
                }
            }
            if from == "DATE+TIME" {
                guard let d = try days(args[0], kind: "DATE"), let t = try micros(args[1], kind: "TIME") else { return nil }
                return CivilTime.formatDateTime(d * CivilTime.microsPerDay + t)
            }
            let kind: String
            switch from {
            case "DATE", "DATETIME", "TIMESTAMP", "TIME": kind = from
            case "STRING":
                guard let s = text(args[0]) else { return nil }
                switch name {
                case "DATE": guard let d = CivilTime.parseDate(s) else { throw fail("invalid DATE '\(s)'") }; return CivilTime.formatDate(d)
                case "TIME": guard let t = CivilTime.parseTime(s) else { throw fail("invalid TIME '\(s)'") }; return CivilTime.formatTime(t)
                case "DATETIME": guard let m = CivilTime.parseDateTime(s) else { throw fail("invalid DATETIME '\(s)'") }; return CivilTime.formatDateTime(m)
                default: guard let m = CivilTime.parseTimestamp(s), CivilTime.inRange(micros: m) else { throw fail("invalid TIMESTAMP '\(s)'") }; return CivilTime.formatDateTime(m)
                }
            default: kind = resolvedKind("", args[0])
            }
            guard let m = try micros(args[0], kind: kind) else { return nil }
            return try render(m, kind: name)
        }),
        ("format_time", 3, { v in
            guard let kind = text(v[0]), let format = text(v[1]) else { return nil }
            let resolved = resolvedKind(kind, v[2])
            guard let m = try micros(v[2], kind: resolved) else { return nil }
            return try BigQueryTimeFormat.format(format, micros: m, kind: resolved)
        }),
        ("parse_time", 3, { v in
            guard let kind = text(v[0]), let format = text(v[1]), let s = text(v[2]) else { return nil }
            let m = try BigQueryTimeFormat.parse(format, s, kind: kind)
            return try render(m, kind: kind)
        }),
        ("generate_time_array", 5, { v in
            guard let kind = text(v[0]), let n = int(v[3]), let unit = text(v[4]) else { return nil }
            guard let start = try micros(v[1], kind: kind), let end = try micros(v[2], kind: kind) else { return nil }
            if n == 0 { throw fail("the step of GENERATE_\(kind)_ARRAY cannot be 0") }
            var out: [String] = []
            var i: Int64 = 0
            while true {
                let value: Int64
                if let step = unitMicros[unit] {
                    value = start + i * n * step
                } else {
                    let months: Int64 = unit == "MONTH" ? 1 : unit == "QUARTER" ? 3 : unit == "YEAR" ? 12 : 0
                    if unit == "WEEK" {
                        value = start + i * n * 7 * CivilTime.microsPerDay
                    } else if months > 0 {
                        let d = CivilTime.floorDiv(start, CivilTime.microsPerDay)
                        value = try addMonths(d, i * n * months) * CivilTime.microsPerDay + (start - d * CivilTime.microsPerDay)
                    } else {
                        throw fail("unsupported date part \(unit)")
                    }
                }
                if n > 0 ? value > end : value < end { break }
                out.append(try render(value, kind: kind))
                if out.count > 1_000_000 { throw fail("GENERATE_\(kind)_ARRAY produced too many elements") }
                i += 1
            }
            return try json(out)
        }),
        ("unix_date", 1, { v in try days(v[0], kind: "DATE") }),
        ("date_from_unix_date", 1, { v in
            guard let n = int(v[0]) else { return nil }
            guard n >= CivilTime.minDay && n <= CivilTime.maxDay else { throw fail("DATE value out of range") }
            return CivilTime.formatDate(n)
        }),
        ("unix_seconds", 1, { v in try micros(v[0], kind: "TIMESTAMP").map { CivilTime.floorDiv($0, 1_000_000) } }),
        ("unix_millis", 1, { v in try micros(v[0], kind: "TIMESTAMP").map { CivilTime.floorDiv($0, 1_000) } }),
        ("unix_micros", 1, { v in try micros(v[0], kind: "TIMESTAMP") }),
        ("timestamp_seconds", 1, { v in try fromEpoch(v[0], 1_000_000) }),
        ("timestamp_millis", 1, { v in try fromEpoch(v[0], 1_000) }),
        ("timestamp_micros", 1, { v in try fromEpoch(v[0], 1) }),
    ]

    static func fromEpoch(_ value: DatabaseValue, _ scale: Int64) throws -> DatabaseValueConvertible? {
        guard let n = int(value) else { return nil }
        let (m, o) = n.multipliedReportingOverflow(by: scale)
        if o { throw fail("TIMESTAMP value out of range") }
        return try render(m, kind: "TIMESTAMP")
    }
}
