// Date and time functions for PostgreSQL
// (https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions, datetime_functions,
// timestamp_functions, time_functions, format-elements;
// https://www.postgresql.org/docs/15/functions-datetime.html, functions-formatting.html).
//
// TIMESTAMP (`timestamptz`) values are taken to civil time in UTC (`AT TIME ZONE 'UTC'`) before
// any part is read, as BigQuery's default time zone is UTC.

extension PostgresGenerator {
    /// The date part an argument names: `DAY`, `WEEK(MONDAY)`, `ISOWEEK`.
    func part(_ argument: Expression) throws -> String {
        switch argument.kind {
        case .datePart(let part): return part
        case .column(let parts) where parts.count == 1:
            let upper = parts[0].uppercased()
            guard BigQueryFunctions.dateParts.contains(upper) else {
                throw SQLError(.semantic, construct: "date part", message: "\(parts[0]) is not a date part", location: argument.location)
            }
            return upper
        default:
            throw SQLError(.semantic, construct: "date part", message: "expected a date part (DAY, WEEK, MONTH, …)", location: argument.location)
        }
    }

    /// A time zone argument: a literal tz database name, or an offset `±H[H][:MM]` written as an
    /// INTERVAL (PostgreSQL reads the text `'+05'` with POSIX's inverted sign, an interval with
    /// ISO's).
    func zone(_ argument: Expression, function: String) throws -> String {
        guard case .string(let zone) = argument.kind else {
            throw refuse("\(function) with a time zone that is not a literal", argument.location)
        }
        if ["UTC", "Etc/UTC", "Z", "+00", "+00:00", "-00:00"].contains(zone) { return "'UTC'" }
        if let sign = zone.first, sign == "+" || sign == "-" {
            let parts = zone.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let hours = Int(parts[0]), parts[0].count <= 2, hours <= 14,
                  parts.count == 1 || (parts[1].count == 2 && Int(parts[1]).map { $0 < 60 } == true) else {
                throw SQLError(.semantic, construct: "time zone", message: "invalid time zone \(zone)", location: argument.location)
            }
            let minutes = parts.count == 2 ? String(parts[1]) : "00"
            return "INTERVAL '\(sign)\(hours < 10 ? "0" : "")\(hours):\(minutes)'"
        }
        guard let first = zone.first, first.isLetter, zone.allSatisfy({ $0.isLetter || $0.isNumber || "/_-+".contains($0) }) else {
            throw refuse("\(function) with the time zone offset '\(zone)'", argument.location, hint: "use a tz database name such as 'America/Sao_Paulo'")
        }
        return quoteString(zone)
    }

    /// Civil time (a `timestamp`) of a DATETIME or TIMESTAMP value (a DATE at midnight).
    func civil(_ value: Typed) -> String {
        switch value.type {
        case .timestamp: return "(\(value.sql) AT TIME ZONE 'UTC')"
        case .date: return "(\(value.sql))::timestamp"
        default: return value.sql
        }
    }

    /// The start of the week holding date `d`, weeks starting on `weekday` (0 = Sunday).
    func weekStart(_ d: String, weekday: Int) -> String {
        "(\(d) - ((extract(dow FROM \(d))::integer + \(7 - weekday)) % 7))"
    }

    static let weekdays = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]

    /// The first weekday of a `WEEK`/`WEEK(<day>)`/`ISOWEEK` part, nil for other parts.
    func weekStartDay(_ part: String) -> Int? {
        if part == "WEEK" { return 0 }
        if part == "ISOWEEK" { return 1 }
        if part.hasPrefix("WEEK("), part.hasSuffix(")") {
            return Self.weekdays.firstIndex(of: String(part.dropFirst(5).dropLast()))
        }
        return nil
    }

    func dateFunction(_ call: Call, scope: Scope, at: SourceLocation) throws -> Typed? {
        let name = call.name
        let arguments = call.arguments
        func args(_ range: ClosedRange<Int>) throws -> [Typed] {
            guard range.contains(arguments.count) else {
                throw SQLError(.semantic, construct: "function \(name)", message: "\(name) takes \(range.lowerBound) to \(range.upperBound) arguments, not \(arguments.count)", location: at)
            }
            return try arguments.map { try expression($0, scope: scope) }
        }
        let kind = String(name.prefix(while: { $0 != "_" }))
        switch name {
        case "CURRENT_DATE", "CURRENT_DATETIME", "CURRENT_TIMESTAMP", "CURRENT_TIME":
            guard arguments.count <= 1 else { _ = try args(0...1); return nil }
            let zone = try arguments.first.map { try self.zone($0, function: name) } ?? "'UTC'"
            let local = "(now() AT TIME ZONE \(zone))"
            switch name {
            case "CURRENT_DATE": return Typed("\(local)::date", .date)
            case "CURRENT_TIME": return Typed("\(local)::time", .time)
            case "CURRENT_DATETIME": return Typed(local, .datetime)
            default: return Typed("now()", .timestamp)
            }
        case "DATE", "DATETIME", "TIMESTAMP", "TIME":
            return try constructor(name, try args(1...6), arguments: arguments, at: at)
        case "DATE_ADD", "DATE_SUB", "DATETIME_ADD", "DATETIME_SUB", "TIMESTAMP_ADD", "TIMESTAMP_SUB", "TIME_ADD", "TIME_SUB":
            guard arguments.count == 2, case .interval(let amount, let unit) = arguments[1].kind else {
                throw SQLError(.semantic, construct: name, message: "\(name) takes a value and an INTERVAL", location: at)
            }
            let type = SQLType(TypeName(kind))
            var base = try coerce(try expression(arguments[0], scope: scope), to: type, at: at)
            if base.sql == "NULL", let type { base = Typed("NULL::\(try postgresType(type, at: at))", type) }
            if base.type == nil { base.type = type }
            if kind == "DATETIME" && base.type == .date { base = Typed("(\(base.sql))::timestamp", .datetime) }
            return try addInterval(base, amount: amount, unit: unit, subtract: name.hasSuffix("_SUB"), scope: scope, at: at, keepDate: true)
        case "DATE_DIFF", "DATETIME_DIFF", "TIMESTAMP_DIFF", "TIME_DIFF":
            guard arguments.count == 3 else { _ = try args(3...3); return nil }
            let type = SQLType(TypeName(kind))
            var a = try coerce(try expression(arguments[0], scope: scope), to: type, at: at)
            var b = try coerce(try expression(arguments[1], scope: scope), to: type, at: at)
            if a.sql == "NULL", let type { a = Typed("NULL::\(try postgresType(type, at: at))", type) }
            if b.sql == "NULL", let type { b = Typed("NULL::\(try postgresType(type, at: at))", type) }
            if a.type == nil { a.type = type }
            if b.type == nil { b.type = type }
            return try difference(kind: kind, a, b, part: try part(arguments[2]), at: at)
        case "DATE_TRUNC", "DATETIME_TRUNC", "TIMESTAMP_TRUNC", "TIME_TRUNC":
            guard (2...3).contains(arguments.count) else { _ = try args(2...3); return nil }
            if arguments.count == 3 { throw refuse("\(name) with a time zone", at) }
            var value = try coerce(try expression(arguments[0], scope: scope), to: SQLType(TypeName(kind)), at: at)
            if value.sql == "NULL", let type = SQLType(TypeName(kind)) { value = Typed("NULL::\(try postgresType(type, at: at))", type) }
            // DATE_TRUNC of a DATETIME or TIMESTAMP keeps its type: the type must be known.
            try requireKnownTypes([value], name, at: at)
            return try truncate(value, part: try part(arguments[1]), at: at)
        case "LAST_DAY":
            guard (1...2).contains(arguments.count) else { _ = try args(1...2); return nil }
            let value = try coerce(try expression(arguments[0], scope: scope), to: .date, at: at)
            let unit = arguments.count > 1 ? try part(arguments[1]) : "MONTH"
            let d = value.type == .date || value.type == nil ? value.sql : "(\(civil(value)))::date"
            if let start = weekStartDay(unit) { return Typed("(\(weekStart(d, weekday: start)) + 6)", .date) }
            switch unit {
            case "MONTH", "QUARTER", "YEAR":
                let field = unit.lowercased()
                return Typed("(date_trunc('\(field)', \(d)) + INTERVAL '1 \(field == "quarter" ? "month" : field)' * \(field == "quarter" ? 3 : 1) - INTERVAL '1 day')::date", .date)
            default:
                throw SQLError(.semantic, construct: "LAST_DAY", message: "LAST_DAY does not take \(unit)", location: at)
            }
        case "FORMAT_DATE", "FORMAT_DATETIME", "FORMAT_TIMESTAMP", "FORMAT_TIME":
            let values = try args(2...3)
            let type = SQLType(TypeName(String(name.dropFirst("FORMAT_".count))))
            var value = try coerce(values[1], to: type, at: at)
            if value.type == nil { value.type = type }
            var zone = "'UTC'"
            if values.count == 3 {
                guard type == .timestamp else { throw SQLError(.semantic, construct: name, message: "\(name) takes no time zone", location: at) }
                zone = try self.zone(arguments[2], function: name)
            }
            guard case .string(let pattern) = arguments[0].kind else { throw refuse("\(name) with a format that is not a literal", at) }
            return try format(pattern, value, zone: zone, at: at)
        case "PARSE_DATE", "PARSE_DATETIME", "PARSE_TIMESTAMP", "PARSE_TIME":
            guard arguments.count == 2 else {
                if arguments.count == 3 { throw refuse("\(name) with a time zone", at) }
                _ = try args(2...2)
                return nil
            }
            return try parse(name, format: arguments[0], text: try expression(arguments[1], scope: scope), at: at)
        case "GENERATE_DATE_ARRAY", "GENERATE_TIMESTAMP_ARRAY":
            let type: SQLType = name == "GENERATE_DATE_ARRAY" ? .date : .timestamp
            guard (2...3).contains(arguments.count) else {
                throw SQLError(.semantic, construct: name, message: "\(name) takes a start, an end and an optional INTERVAL", location: at)
            }
            var step = "1::bigint"
            var unit = "DAY"
            if arguments.count == 3 {
                guard case .interval(let amount, let u) = arguments[2].kind else {
                    throw SQLError(.semantic, construct: name, message: "the step of \(name) is an INTERVAL", location: at)
                }
                step = try expression(amount, scope: scope).sql
                unit = u
            } else if type == .timestamp {
                throw SQLError(.semantic, construct: name, message: "GENERATE_TIMESTAMP_ARRAY needs a step INTERVAL", location: at)
            }
            let start = try coerce(try expression(arguments[0], scope: scope), to: type, at: at)
            let end = try coerce(try expression(arguments[1], scope: scope), to: type, at: at)
            if type == .date && !["DAY", "WEEK", "MONTH", "QUARTER", "YEAR"].contains(unit) {
                throw SQLError(.semantic, construct: name, message: "\(name) does not take \(unit)", location: at)
            }
            var monthEnd = ""
            if ["MONTH", "QUARTER", "YEAR"].contains(unit) {
                // generate_series adds the step to the previous (clamped) value; whether BigQuery
                // clamps each step from the start or from the previous one is not documented.
                // From a day up to the 28th no step clamps, so both agree; later days are refused
                // when the query runs.
                guard type == .date else { throw refuse("\(name) with a \(unit) step", at) }
                let late = try raise("'\(name) with a \(unit) step from a day after the 28th is not translated: ' || \(start.sql)", type: .array(type), at: at)
                monthEnd = " WHEN extract(day FROM \(start.sql)) > 28 THEN \(late)"
            }
            let anyNull = [start.sql, end.sql, step].map { "\($0) IS NULL" }.joined(separator: " OR ")
            let delta = try interval("1", unit: unit, at: at)
            let zeroStep = try raise("'\(name) step cannot be ' || \(step)", type: .array(type), at: at)
            let series = type == .date
                ? "ARRAY(SELECT \"_g\"::date FROM generate_series((\(start.sql))::timestamp, (\(end.sql))::timestamp, \(step) * \(delta)) AS \"_g\")"
                : "ARRAY(SELECT generate_series(\(start.sql), \(end.sql), \(step) * \(delta)))"
            return Typed("CASE WHEN \(anyNull) THEN NULL WHEN \(step) = 0 THEN \(zeroStep)\(monthEnd) ELSE \(series) END", .array(type))
        default:
            return nil
        }
    }

    /// `DATE(…)`, `DATETIME(…)`, `TIMESTAMP(…)`, `TIME(…)`: from parts, from another temporal
    /// value (in a time zone), or from a string (the CAST rules).
    func constructor(_ name: String, _ values: [Typed], arguments: [Expression], at: SourceLocation) throws -> Typed {
        let target = SQLType(TypeName(name)) ?? .date
        let first = values[0]
        func ints(_ range: Range<Int>) -> [String] { values[range].map { "(\($0.sql))::integer" } }
        if values.count >= 3, first.type == .int64 || first.type == nil {
            switch (name, values.count) {
            case ("DATE", 3): return Typed("make_date(\(ints(0..<3).joined(separator: ", ")))", .date)
            case ("TIME", 3): return Typed("make_time(\(ints(0..<2).joined(separator: ", ")), (\(values[2].sql))::double precision)", .time)
            case ("DATETIME", 6): return Typed("make_timestamp(\(ints(0..<5).joined(separator: ", ")), (\(values[5].sql))::double precision)", .datetime)
            default: throw SQLError(.semantic, construct: name, message: "\(name) does not take \(values.count) arguments", location: at)
            }
        }
        if values.count == 2 && name == "DATETIME" && values[1].type == .time {
            return Typed("((\(first.sql))::date + \(values[1].sql))", .datetime)
        }
        if values.count == 2 {
            let zone = try self.zone(arguments[1], function: name)
            switch (name, first.type) {
            case ("TIMESTAMP", .datetime), ("TIMESTAMP", .date):
                return Typed("((\(first.sql))::timestamp AT TIME ZONE \(zone))", .timestamp)
            case ("TIMESTAMP", .string):
                let civilTime = try cast(first, to: TypeName("DATETIME"), safe: false, at: at)
                if let literal = first.literal, literal.contains("+") || literal.hasSuffix("Z") {
                    throw refuse("TIMESTAMP of a text with an offset and a time zone", at)
                }
                return Typed("(\(civilTime.sql) AT TIME ZONE \(zone))", .timestamp)
            case ("DATE", .timestamp): return Typed("(\(first.sql) AT TIME ZONE \(zone))::date", .date)
            case ("DATETIME", .timestamp): return Typed("(\(first.sql) AT TIME ZONE \(zone))", .datetime)
            case ("TIME", .timestamp): return Typed("(\(first.sql) AT TIME ZONE \(zone))::time", .time)
            default: throw refuse("\(name)(\(first.type?.description ?? "?"), time zone)", at)
            }
        }
        guard values.count == 1 else { throw SQLError(.semantic, construct: name, message: "\(name) does not take \(values.count) arguments", location: at) }
        if first.type == target { return first }
        try requireKnownTypes([first], name, at: at)
        return try cast(first, to: TypeName(name), safe: false, at: at)
    }

    // MARK: - EXTRACT

    func extract(part: String, _ value: Typed, at: SourceLocation) throws -> Typed {
        let base = part.hasPrefix("WEEK(") ? "WEEK" : part
        guard BigQueryFunctions.dateParts.contains(base) else {
            throw SQLError(.semantic, construct: "EXTRACT", message: "\(part) is not a date part", location: at)
        }
        if value.sql == "NULL" { return Typed("NULL::bigint", .int64) }
        guard let type = value.type else { throw refuse("EXTRACT from a value of unknown type", at, hint: "CAST it to DATE, DATETIME or TIMESTAMP") }
        let x = civil(value)
        let isDate = type == .date
        if isDate && ["HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "TIME", "DATETIME"].contains(part) {
            throw SQLError(.semantic, construct: "EXTRACT", message: "EXTRACT from DATE does not support \(part)", location: at)
        }
        if type == .time && !["HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"].contains(part) {
            throw SQLError(.semantic, construct: "EXTRACT", message: "EXTRACT from TIME does not support \(part)", location: at)
        }
        let v = type == .time ? value.sql : x
        func field(_ name: String) -> Typed { Typed("extract(\(name) FROM \(v))::bigint", .int64) }
        switch part {
        case "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "QUARTER": return field(part.lowercased())
        case "DAYOFYEAR": return field("doy")
        case "ISOYEAR": return field("isoyear")
        case "ISOWEEK": return field("week")
        // BigQuery counts Sunday as 1 (PostgreSQL's dow: Sunday is 0).
        case "DAYOFWEEK": return Typed("(extract(dow FROM \(v))::bigint + 1)", .int64)
        case "SECOND": return Typed("floor(extract(second FROM \(v)))::bigint", .int64)
        case "MILLISECOND": return Typed("(floor(extract(milliseconds FROM \(v)))::bigint % 1000)", .int64)
        case "MICROSECOND": return Typed("(extract(microseconds FROM \(v))::bigint % 1000000)", .int64)
        case "DATE": return Typed("(\(v))::date", .date)
        case "TIME": return Typed("(\(v))::time", .time)
        case "DATETIME": return Typed(v, .datetime)
        default:
            guard let start = weekStartDay(part) else { throw SQLError(.semantic, construct: "EXTRACT", message: "\(part) is not a date part", location: at) }
            // Week number: weeks start on `start`; days before the year's first such day are week 0.
            let dow = "((extract(dow FROM \(v))::bigint + \(7 - start)) % 7)"
            return Typed("((extract(doy FROM \(v))::bigint + 6 - \(dow)) / 7)", .int64)
        }
    }

    // MARK: - DIFF and TRUNC

    /// `*_DIFF(a, b, part)`: DATE and DATETIME count the part's boundaries crossed, TIMESTAMP the
    /// whole parts elapsed (https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions#timestamp_diff).
    func difference(kind: String, _ a: Typed, _ b: Typed, part: String, at: SourceLocation) throws -> Typed {
        let micros: [String: String] = ["MICROSECOND": "1", "MILLISECOND": "1000", "SECOND": "1000000", "MINUTE": "60000000", "HOUR": "3600000000", "DAY": "86400000000"]
        if kind == "TIME" || kind == "TIMESTAMP" || (kind == "DATETIME" && part != "DAY" && micros[part] != nil) {
            guard let step = micros[part] else {
                throw SQLError(.semantic, construct: "\(kind)_DIFF", message: "\(kind)_DIFF does not support the \(part) part", location: at)
            }
            let ea = "(extract(epoch FROM \(kind == "TIME" ? a.sql : civil(a))) * 1000000)"
            let eb = "(extract(epoch FROM \(kind == "TIME" ? b.sql : civil(b))) * 1000000)"
            if kind == "TIMESTAMP" { return Typed("trunc((\(ea) - \(eb)) / \(step))::bigint", .int64) }
            return Typed("(floor(\(ea) / \(step)) - floor(\(eb) / \(step)))::bigint", .int64)
        }
        let da = a.type == .date ? a.sql : "(\(civil(a)))::date"
        let db = b.type == .date ? b.sql : "(\(civil(b)))::date"
        if let start = weekStartDay(part) {
            return Typed("((\(weekStart(da, weekday: start)) - \(weekStart(db, weekday: start))) / 7)::bigint", .int64)
        }
        func year(_ d: String) -> String { "extract(year FROM \(d))::bigint" }
        func month(_ d: String) -> String { "extract(month FROM \(d))::bigint" }
        switch part {
        case "DAY": return Typed("(\(da) - \(db))::bigint", .int64)
        case "MONTH": return Typed("((\(year(da)) * 12 + \(month(da))) - (\(year(db)) * 12 + \(month(db))))", .int64)
        case "QUARTER": return Typed("((\(year(da)) * 4 + extract(quarter FROM \(da))::bigint) - (\(year(db)) * 4 + extract(quarter FROM \(db))::bigint))", .int64)
        case "YEAR": return Typed("(\(year(da)) - \(year(db)))", .int64)
        case "ISOYEAR": return Typed("(extract(isoyear FROM \(da))::bigint - extract(isoyear FROM \(db))::bigint)", .int64)
        default: throw SQLError(.semantic, construct: "\(kind)_DIFF", message: "\(kind)_DIFF does not support the \(part) part", location: at)
        }
    }

    /// `*_TRUNC(value, part)`; TIMESTAMPs truncated in UTC.
    func truncate(_ value: Typed, part: String, at: SourceLocation) throws -> Typed {
        guard let type = value.type else { throw refuse("TRUNC of a value of unknown type", at) }
        let timeParts: [String: String] = ["MICROSECOND": "microseconds", "MILLISECOND": "milliseconds", "SECOND": "second", "MINUTE": "minute", "HOUR": "hour"]
        if type == .time {
            guard let field = timeParts[part] else { throw SQLError(.semantic, construct: "TIME_TRUNC", message: "TIME_TRUNC does not support \(part)", location: at) }
            return Typed("(date_trunc('\(field)', TIMESTAMP '2000-01-01' + \(value.sql)))::time", .time)
        }
        if type == .date && timeParts[part] != nil {
            throw SQLError(.semantic, construct: "DATE_TRUNC", message: "DATE_TRUNC does not support \(part)", location: at)
        }
        let x = civil(value)
        var truncated: String
        if let field = timeParts[part] {
            truncated = "date_trunc('\(field)', \(x))"
        } else {
            let d = type == .date ? value.sql : "(\(x))::date"
            var day: String
            if let start = weekStartDay(part) {
                day = weekStart(d, weekday: start)
            } else {
                switch part {
                case "DAY": day = d
                case "MONTH", "QUARTER", "YEAR": day = "date_trunc('\(part.lowercased())', \(d))::date"
                case "ISOYEAR": day = "(date_trunc('week', make_date(extract(isoyear FROM \(d))::integer, 1, 4)))::date"
                default: throw SQLError(.semantic, construct: "TRUNC", message: "\(part) is not a truncation part", location: at)
                }
            }
            if type == .date { return Typed(day, .date) }
            truncated = "(\(day))::timestamp"
        }
        if type == .timestamp { return Typed("(\(truncated) AT TIME ZONE 'UTC')", .timestamp) }
        return Typed(truncated, type)
    }
}
