// Native SQLite for the date operations models use most, when the argument's type is known.
//
// The translated SQL stores DATE as `YYYY-MM-DD` and DATETIME/TIMESTAMP as
// `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC), the text SQLite's own date functions read
// (https://www.sqlite.org/lang_datefunc.html): `date()`, `julianday()` and `strftime()` then
// give BigQuery's answers in C, without a call into Swift per row. Everything else goes through
// the `bq_*` functions.

extension SQLiteGenerator {
    /// `DATE(x)` of a TIMESTAMP/DATETIME: the UTC date.
    func nativeDate(_ value: Typed) -> Typed? {
        guard value.type == .timestamp || value.type == .datetime else { return nil }
        return Typed("date(\(value.sql))", .date)
    }

    /// `EXTRACT(part FROM x)` for the parts `strftime` gives directly.
    func nativeExtract(part: String, _ value: Typed) -> Typed? {
        guard let type = value.type, type == .date || type == .datetime || type == .timestamp else { return nil }
        let element: String
        switch part {
        case "YEAR": element = "%Y"
        case "MONTH": element = "%m"
        case "DAY": element = "%d"
        case "DAYOFYEAR": element = "%j"
        case "DAYOFWEEK": return Typed("(CAST(strftime('%w', \(value.sql)) AS INTEGER) + 1)", .int64)
        case "QUARTER": return Typed("((CAST(strftime('%m', \(value.sql)) AS INTEGER) + 2) / 3)", .int64)
        case "DATE": return Typed("date(\(value.sql))", .date)
        case "HOUR" where type != .date: element = "%H"
        case "MINUTE" where type != .date: element = "%M"
        case "SECOND" where type != .date: element = "%S"
        default: return nil
        }
        return Typed("CAST(strftime('\(element)', \(value.sql)) AS INTEGER)", .int64)
    }

    /// `DATE_DIFF(a, b, DAY)` of two DATEs (or DATETIMEs: day boundaries) via Julian day numbers.
    func nativeDateDiff(kind: String, _ a: Typed, _ b: Typed, part: String) -> Typed? {
        guard part == "'DAY'" else { return nil }
        if kind == "DATE" && a.type == .date && b.type == .date {
            return Typed("CAST(julianday(\(a.sql)) - julianday(\(b.sql)) AS INTEGER)", .int64)
        }
        if kind == "DATETIME" && a.type == .datetime && b.type == .datetime {
            return Typed("CAST(julianday(date(\(a.sql))) - julianday(date(\(b.sql))) AS INTEGER)", .int64)
        }
        return nil
    }

    /// `DATE_TRUNC(d, part)` of a DATE for DAY, WEEK (Sunday), WEEK(MONDAY)/ISOWEEK, MONTH, YEAR.
    func nativeDateTrunc(_ value: Typed, part: String) -> Typed? {
        guard value.type == .date else { return nil }
        let d = value.sql
        switch part {
        case "'DAY'": return value
        case "'MONTH'": return Typed("date(\(d), 'start of month')", .date)
        case "'YEAR'": return Typed("date(\(d), 'start of year')", .date)
        case "'WEEK'", "'WEEK(SUNDAY)'": return Typed("date(\(d), '-' || strftime('%w', \(d)) || ' days')", .date)
        case "'WEEK(MONDAY)'", "'ISOWEEK'":
            return Typed("date(\(d), '-' || ((CAST(strftime('%w', \(d)) AS INTEGER) + 6) % 7) || ' days')", .date)
        default: return nil
        }
    }

    /// `FORMAT_DATE`/`FORMAT_TIMESTAMP` with a literal format made of elements `strftime` shares
    /// with BigQuery, plus the English names `%a %A %b %B` (BigQuery's, whatever the locale).
    func nativeFormat(kind: String, format: Expression, _ value: Typed) -> Typed? {
        guard case .string(let pattern) = format.kind, let type = value.type,
              type == .date || type == .datetime || type == .timestamp else { return nil }
        let x = value.sql
        var pieces: [String] = []
        var literal = ""
        func flush() {
            if !literal.isEmpty { pieces.append(quoteString(literal)) }
            literal = ""
        }
        var characters = Array(pattern)[...]
        while let c = characters.popFirst() {
            guard c == "%" else { literal.append(c); continue }
            guard let e = characters.popFirst() else { return nil }
            switch e {
            case "%": literal.append("%")
            case "Y", "m", "d", "j":
                flush(); pieces.append("strftime('%\(e)', \(x))")
            case "F":
                flush(); pieces.append("strftime('%Y-%m-%d', \(x))")
            case "H", "M", "S":
                guard type != .date else { return nil }
                flush(); pieces.append("strftime('%\(e)', \(x))")
            case "T" where type != .date:
                flush(); pieces.append("strftime('%H:%M:%S', \(x))")
            case "a":
                flush(); pieces.append("substr('SunMonTueWedThuFriSat', 1 + 3 * strftime('%w', \(x)), 3)")
            case "A":
                flush(); pieces.append("CASE strftime('%w', \(x)) WHEN '0' THEN 'Sunday' WHEN '1' THEN 'Monday' WHEN '2' THEN 'Tuesday' WHEN '3' THEN 'Wednesday' WHEN '4' THEN 'Thursday' WHEN '5' THEN 'Friday' WHEN '6' THEN 'Saturday' END")
            case "b", "h":
                flush(); pieces.append("substr('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * strftime('%m', \(x)) - 2, 3)")
            default:
                return nil
            }
        }
        flush()
        if pieces.isEmpty { return nil }
        // A NULL value gives NULL even when the format has no element reading it.
        let body = pieces.count == 1 ? pieces[0] : "(" + pieces.joined(separator: " || ") + ")"
        return Typed("CASE WHEN \(x) IS NULL THEN NULL ELSE \(body) END", .string)
    }
}
