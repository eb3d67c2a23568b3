import Foundation

/// Parsers that accept exactly what dbt's seed type tester accepts, value by value.
///
/// dbt reads seeds with agate and the type tester built in `dbt_common/clients/agate_helper.py`
/// (`build_type_tester`): in order of preference `Number`, `Date` (`%Y-%m-%d`), `DateTime`
/// (`%Y-%m-%d %H:%M:%S`), `ISODateTime` (`isodate.parse_datetime`), `Boolean` (`true`/`false`
/// only) and `Text`; `""` and `null` (any case, surrounding white space ignored) are NULL for
/// every type. Each function here mirrors one of agate's `cast` methods (agate 1.9).
enum SeedValueParsers {
    /// A decimal number as Python's `Decimal` holds it: `digits × 10^exponent`, signed.
    struct DecimalValue: Equatable {
        var negative: Bool
        /// The coefficient's digits, no leading zeros ("0" for zero); empty for NaN/Infinity.
        var digits: String
        var exponent: Int
        var isNaN = false
        var isInfinite = false

        /// Digits after the point once trailing zeros are dropped (agate's `max_precision`,
        /// which normalizes first: `2.50` → 1, `2.0` → 0, `1E+3` → 0).
        var decimalPlaces: Int {
            if isNaN || isInfinite || digits == "0" { return 0 }
            return max(0, -(exponent + trailingZeros))
        }

        /// Zeros at the end of the coefficient (none for zero itself).
        private var trailingZeros: Int {
            var count = 0
            for byte in digits.utf8.reversed() {
                guard byte == UInt8(ascii: "0") else { break }
                count += 1
            }
            return count == digits.utf8.count ? 0 : count
        }

        /// The value as an integer when it is one and fits in 64 bits.
        var int64: Int64? {
            if isNaN || isInfinite { return nil }
            if digits == "0" { return 0 }
            // Drop the zeros a negative exponent cancels: 1500e-2 is 15.
            let dropped = exponent < 0 ? min(trailingZeros, -exponent) : 0
            let exponent = self.exponent + dropped
            let significant = digits.utf8.count - dropped
            guard exponent >= 0, significant + exponent <= 19 else { return nil }
            let text = (negative ? "-" : "") + digits.prefix(significant) + String(repeating: "0", count: exponent)
            return Int64(text)
        }

        var double: Double {
            if isNaN { return .nan }
            if isInfinite { return negative ? -.infinity : .infinity }
            return Double((negative ? "-" : "") + digits + "e\(exponent)") ?? .nan
        }
    }

    /// The currency symbols agate's `Number` strips (`agate.data_types.number.DEFAULT_CURRENCY_SYMBOLS`).
    static let currencySymbols: [Character] = ["؋", "$", "ƒ", "៛", "¥", "₡", "₱", "£", "€", "¢", "﷼", "₪", "₩", "₭", "₮", "₦", "฿", "₤", "₫"]

    /// agate `Number.cast` with the `en_US` locale: strip, strip `%` at both ends, take a leading
    /// `-`, strip currency symbols at both ends, drop `,` group separators, then Python `Decimal()`.
    /// So `$1,000` is 1000 and `50%` is 50 (not 0.5).
    static func number(_ raw: String) -> DecimalValue? {
        var text = Substring(pythonStrip(raw))
        text = strip(text, "%")
        var negative = false
        if text.first == "-" {
            negative = true
            text = text.dropFirst()
        }
        if let first = text.first, let last = text.last, currencySymbols.contains(first) || currencySymbols.contains(last) {
            for symbol in currencySymbols { text = strip(text, symbol) }
        }
        let cleaned = text.contains(",") ? String(text).replacingOccurrences(of: ",", with: "") : String(text)
        guard var value = pythonDecimal(cleaned) else { return nil }
        if negative { value.negative.toggle() }
        if value.digits == "0" { value.negative = false }
        return value
    }

    /// Python's `Decimal(str)` grammar (<https://docs.python.org/3/library/decimal.html#decimal.Decimal>):
    /// surrounding white space, a sign, digits, a point, an exponent; or `Infinity`/`Inf`/`NaN`/
    /// `sNaN` in any case. CPython drops every `_` before parsing (`Decimal("_1")` is 1,
    /// `Decimal("1__0")` is 10), so this does too. ASCII digits only.
    static func pythonDecimal(_ raw: String) -> DecimalValue? {
        let stripped = pythonStrip(raw)
        let scalars = Array((stripped.contains("_") ? stripped.replacingOccurrences(of: "_", with: "") : stripped).unicodeScalars)
        var index = 0
        var negative = false
        if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
            negative = scalars[index] == "-"
            index += 1
        }
        if index < scalars.count, scalars[index].properties.isAlphabetic {
            return specialDecimal(String(String.UnicodeScalarView(scalars[index...])).lowercased(), negative: negative)
        }
        return finiteDecimal(scalars, from: index, negative: negative)
    }

    /// `Infinity`, `Inf`, `NaN…`, `sNaN…` (lower-cased), or nil.
    private static func specialDecimal(_ rest: String, negative: Bool) -> DecimalValue? {
        if rest == "inf" || rest == "infinity" {
            return DecimalValue(negative: negative, digits: "", exponent: 0, isInfinite: true)
        }
        if rest.hasPrefix("nan") || rest.hasPrefix("snan") {
            let tail = rest.drop(while: { $0.isLetter })
            if tail.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return DecimalValue(negative: negative, digits: "", exponent: 0, isNaN: true)
            }
            return nil
        }
        return nil
    }

    /// Digits, a point, digits, an exponent, from `start` to the end.
    private static func finiteDecimal(_ scalars: [Unicode.Scalar], from start: Int, negative: Bool) -> DecimalValue? {
        var index = start
        func digitRun() -> String? {
            var run = ""
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                run.unicodeScalars.append(scalars[index])
                index += 1
            }
            return run.isEmpty ? nil : run
        }
        let whole = digitRun() ?? ""
        var fraction = ""
        if index < scalars.count, scalars[index] == "." {
            index += 1
            fraction = digitRun() ?? ""
        }
        guard !(whole.isEmpty && fraction.isEmpty) else { return nil }
        var exponent = 0
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            index += 1
            var exponentNegative = false
            if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
                exponentNegative = scalars[index] == "-"
                index += 1
            }
            guard let run = digitRun(), let value = Int(run.count > 9 ? "999999999" : run) else { return nil }
            exponent = exponentNegative ? -value : value
        }
        guard index == scalars.count else { return nil }
        var digits = Substring(whole + fraction).drop(while: { $0 == "0" })
        if digits.isEmpty { digits = "0" }
        return DecimalValue(negative: negative, digits: String(digits), exponent: exponent - fraction.count)
    }

    /// agate `Boolean.cast` as dbt configures it: commas removed, stripped, lower-cased, then
    /// exactly `true` or `false` (not `yes`, `1`, `t`).
    static func boolean(_ raw: String) -> Bool? {
        let text = pythonStrip(raw.replacingOccurrences(of: ",", with: "")).lowercased()
        if text == "true" { return true }
        if text == "false" { return false }
        return nil
    }

    /// agate `Date.cast` with `date_format="%Y-%m-%d"`: Python `strptime`, whose `%m` and `%d`
    /// also take one digit (`2024-1-5`) and `%d` a space and a digit; the date must exist.
    /// - Returns: `YYYY-MM-DD`.
    static func date(_ raw: String) -> String? {
        var scanner = StrptimeScanner(pythonStrip(raw))
        guard let (year, month, day) = scanner.date(), scanner.atEnd, isValidDate(year, month, day) else { return nil }
        return formatDate(year, month, day)
    }

    /// agate `DateTime.cast` with `datetime_format="%Y-%m-%d %H:%M:%S"` (the space matches any
    /// run of white space, as in Python's `strptime`).
    /// - Returns: `YYYY-MM-DD HH:MM:SS`.
    static func dateTime(_ raw: String) -> String? {
        var scanner = StrptimeScanner(pythonStrip(raw))
        guard let (year, month, day) = scanner.date(), scanner.whitespace(),
              let hour = scanner.twoOrOne(twoDigitOK: { $0 <= 23 }), scanner.literal(":"),
              let minute = scanner.twoOrOne(twoDigitOK: { $0 <= 59 }), scanner.literal(":"),
              let second = scanner.twoOrOne(twoDigitOK: { $0 <= 61 }), scanner.atEnd,
              isValidDate(year, month, day), second <= 59 else { return nil }
        return formatTimestamp(Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second, microsecond: 0))
    }

    /// Python `_strptime`'s patterns for `%Y-%m-%d`, `\s+` and `%H:%M:%S`, matched by hand.
    ///
    /// Each field's pattern is an alternation of two-digit forms, then one digit (`%d` also
    /// ` [1-9]`). What follows a field is never a digit (`-`, `:`, white space or the end), so
    /// trying the two-digit form first and falling back to one digit is what the regular
    /// expression's backtracking finds.
    struct StrptimeScanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ text: String) { scalars = Array(text.unicodeScalars) }

        var atEnd: Bool { index == scalars.count }

        private func digit(at offset: Int) -> Int? {
            guard offset < scalars.count, ("0"..."9").contains(scalars[offset]) else { return nil }
            return Int(scalars[offset].value - 48)
        }

        mutating func literal(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }

        mutating func whitespace() -> Bool {
            let start = index
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            return index > start
        }

        /// Two digits when `twoDigitOK` accepts their value (and a leading `0` needs a non-zero
        /// second digit unless allowed by the caller), else one digit 0…9.
        mutating func twoOrOne(twoDigitOK: (Int) -> Bool, oneDigitMin: Int = 0) -> Int? {
            if let tens = digit(at: index), let units = digit(at: index + 1), twoDigitOK(tens * 10 + units) {
                index += 2
                return tens * 10 + units
            }
            guard let one = digit(at: index), one >= oneDigitMin else { return nil }
            index += 1
            return one
        }

        /// `%Y-%m-%d`: `\d\d\d\d`, `1[0-2]|0[1-9]|[1-9]`, `3[01]|[12]\d|0[1-9]|[1-9]| [1-9]`.
        mutating func date() -> (Int, Int, Int)? {
            var year = 0
            for _ in 0..<4 {
                guard let d = digit(at: index) else { return nil }
                year = year * 10 + d
                index += 1
            }
            guard literal("-"),
                  let month = twoOrOne(twoDigitOK: { (1...12).contains($0) }, oneDigitMin: 1),
                  literal("-") else { return nil }
            if index < scalars.count, scalars[index] == " " {
                // ` [1-9]`
                guard let d = digit(at: index + 1), d >= 1 else { return nil }
                index += 2
                return (year, month, d)
            }
            guard let day = twoOrOne(twoDigitOK: { (1...31).contains($0) }, oneDigitMin: 1) else { return nil }
            return (year, month, day)
        }
    }

    /// dbt's `ISODateTime.cast`: `isodate.parse_datetime`, which splits on the one `T` and reads
    /// an ISO 8601 date (`YYYY-MM-DD`, `YYYYMMDD`, `YYYY-MM`, `YYYY`, `YYYY-DDD`) and time
    /// (`hh:mm:ss[.f]`, `hhmmss[.f]`, `hh:mm`, `hhmm`, `hh`, with `Z` or `±hh[:mm]`).
    /// Week dates and fractional hours or minutes are not read (they stay text).
    /// - Returns: `YYYY-MM-DD HH:MM:SS[.ffffff]`, converted to UTC when an offset is given.
    static func isoDateTime(_ raw: String) -> String? {
        let text = pythonStrip(raw)
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        guard let date = isoDate(String(parts[0])), let time = isoTime(String(parts[1])) else { return nil }
        var stamp = Timestamp(year: date.0, month: date.1, day: date.2, hour: time.hour, minute: time.minute,
                              second: time.second, microsecond: time.microsecond)
        stamp.shift(minutes: -time.offsetMinutes)
        return formatTimestamp(stamp)
    }

    // MARK: - ISO 8601 pieces

    private static func isoDate(_ text: String) -> (Int, Int, Int)? {
        for (regex, kind) in isoDateRegexes {
            guard let match = firstMatch(regex, text) else { continue }
            guard let year = group(match, 1, text), year >= 1 else { return nil }
            switch kind {
            case .full:
                guard let month = group(match, 2, text), let day = group(match, 3, text), isValidDate(year, month, day) else { return nil }
                return (year, month, day)
            case .month:
                guard let month = group(match, 2, text), isValidDate(year, month, 1) else { return nil }
                return (year, month, 1)
            case .year:
                return (year, 1, 1)
            case .ordinal:
                guard let ordinal = group(match, 2, text) else { return nil }
                let days = isLeap(year) ? 366 : 365
                guard ordinal >= 1, ordinal <= days else { return nil }
                var stamp = Timestamp(year: year, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0)
                stamp.shift(minutes: (ordinal - 1) * 1440)
                return (stamp.year, stamp.month, stamp.day)
            }
        }
        return nil
    }

    private struct ISOTime {
        var hour: Int, minute: Int, second: Int, microsecond: Int, offsetMinutes: Int
    }

    private static func isoTime(_ text: String) -> ISOTime? {
        guard let match = firstMatch(isoTimeRegex, text) else { return nil }
        // Groups: 1 hour, 2 minute, 3 second, 4 fraction, then the zone: 5 whole, 6 sign, 7 hh, 8 mm.
        guard let hour = group(match, 1, text), hour <= 23 else { return nil }
        let minute = group(match, 2, text) ?? 0
        let second = group(match, 3, text) ?? 0
        guard minute <= 59, second <= 59 else { return nil }
        var microsecond = 0
        if let fraction = string(match, 4, text) {
            // isodate floors the seconds to microseconds.
            let digits = String(fraction.dropFirst().prefix(6))
            microsecond = Int(digits.padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
        }
        var offset = 0
        if let sign = string(match, 6, text) {
            let hours = group(match, 7, text) ?? 0
            let minutes = group(match, 8, text) ?? 0
            offset = (hours * 60 + minutes) * (sign == "-" ? -1 : 1)
        }
        return ISOTime(hour: hour, minute: minute, second: second, microsecond: microsecond, offsetMinutes: offset)
    }

    private enum ISODateKind { case full, month, year, ordinal }

    private static let isoDateRegexes: [(NSRegularExpression?, ISODateKind)] = [
        (regex(#"^([0-9]{4})-([0-9]{2})-([0-9]{2})$"#), .full),
        (regex(#"^([0-9]{4})([0-9]{2})([0-9]{2})$"#), .full),
        (regex(#"^([0-9]{4})-([0-9]{3})$"#), .ordinal),
        (regex(#"^([0-9]{4})([0-9]{3})$"#), .ordinal),
        (regex(#"^([0-9]{4})-([0-9]{2})$"#), .month),
        (regex(#"^([0-9]{4})$"#), .year),
    ]

    /// `hh[:]mm[:]ss[.f]`, `hh[:]mm`, `hh`, each with an optional zone (isodate's `TZ_REGEX`).
    private static let isoTimeRegex = regex(
        #"^([0-9]{2})(?::?([0-9]{2})(?::?([0-9]{2})([,.][0-9]+)?)?)?(Z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?$"#)

    // MARK: - Helpers

    struct Timestamp {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int

        /// Moves the timestamp by whole minutes, across days, months and years.
        mutating func shift(minutes: Int) {
            guard minutes != 0 else { return }
            var total = Self.daysFromCivil(year, month, day) * 1440 + hour * 60 + minute + minutes
            let days = Int((Double(total) / 1440).rounded(.down))
            total -= days * 1440
            (year, month, day) = Self.civilFromDays(days)
            hour = total / 60
            minute = total % 60
        }

        /// Days since 1970-01-01 (Howard Hinnant's algorithm).
        static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
            let y = m <= 2 ? y - 1 : y
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146097 + doe - 719468
        }

        static func civilFromDays(_ z: Int) -> (Int, Int, Int) {
            let z = z + 719468
            let era = (z >= 0 ? z : z - 146096) / 146097
            let doe = z - era * 146097
            let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            let d = doy - (153 * mp + 2) / 5 + 1
            let m = mp < 10 ? mp + 3 : mp - 9
            return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
        }
    }

    static func formatDate(_ year: Int, _ month: Int, _ day: Int) -> String {
        padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    static func formatTimestamp(_ t: Timestamp) -> String {
        var text = formatDate(t.year, t.month, t.day) + " " + padded(t.hour, 2) + ":" + padded(t.minute, 2) + ":" + padded(t.second, 2)
        if t.microsecond != 0 { text += "." + padded(t.microsecond, 6) }
        return text
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func isValidDate(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1 else { return false }
        let lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// Python's `str.strip()`: white space at both ends (Unicode white space).
    static func pythonStrip(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Python's `str.strip(char)`: every `char` at both ends.
    private static func strip(_ text: Substring, _ character: Character) -> Substring {
        var text = text
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return text
    }

    /// A constant pattern, checked by the tests; were it invalid, it would match nothing.
    private static func regex(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: pattern)
    }

    private static func firstMatch(_ regex: NSRegularExpression?, _ text: String) -> NSTextCheckingResult? {
        regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
    }

    private static func string(_ match: NSTextCheckingResult, _ index: Int, _ text: String) -> String? {
        let range = match.range(at: index)
        guard range.location != NSNotFound, let swiftRange = Range(range, in: text) else { return nil }
        return String(text[swiftRange])
    }

    private static func group(_ match: NSTextCheckingResult, _ index: Int, _ text: String) -> Int? {
        string(match, index, text).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}
