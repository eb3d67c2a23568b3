/// Calendar arithmetic for BigQuery's DATE, DATETIME, TIME and TIMESTAMP, without Foundation.
///
/// Dates are days since 1970-01-01 in the proleptic Gregorian calendar (BigQuery's range is
/// 0001-01-01 … 9999-12-31: <https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#date_type>).
/// Date-times and timestamps are microseconds since 1970-01-01 00:00:00 (UTC for timestamps);
/// times are microseconds since midnight. Text forms are the canonical ones the translated SQL
/// stores: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.ffffff]`, `HH:MM:SS[.ffffff]`.
public enum CivilTime {
    public static let microsPerSecond: Int64 = 1_000_000
    public static let microsPerDay: Int64 = 86_400_000_000
    /// 0001-01-01 and 9999-12-31 as day numbers.
    public static let minDay: Int64 = -719_162
    public static let maxDay: Int64 = 2_932_896

    // MARK: - Days ⇄ civil dates (Howard Hinnant's algorithm)

    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public static func isLeap(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 0 = Sunday … 6 = Saturday.
    public static func weekday(_ days: Int64) -> Int64 {
        let w = (days + 4) % 7  // 1970-01-01 was a Thursday
        return w < 0 ? w + 7 : w
    }

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    public static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        a - floorDiv(a, b) * b
    }

    // MARK: - Parsing

    /// `YYYY-M-D` (1–4 digit year, 1–2 digit month and day); nil when malformed or out of range.
    public static func parseDate(_ text: String) -> Int64? {
        var scanner = Scanner(Array(text.utf8))
        scanner.skipSpaces()
        guard let days = scanner.date() else { return nil }
        scanner.skipSpaces()
        return scanner.atEnd ? days : nil
    }

    /// `HH:MM[:SS[.ffffff]]` as microseconds since midnight.
    public static func parseTime(_ text: String) -> Int64? {
        var scanner = Scanner(Array(text.utf8))
        scanner.skipSpaces()
        guard let time = scanner.time() else { return nil }
        scanner.skipSpaces()
        return scanner.atEnd ? time : nil
    }

    /// `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]]` as microseconds (no time zone allowed).
    public static func parseDateTime(_ text: String) -> Int64? {
        var scanner = Scanner(Array(text.utf8))
        scanner.skipSpaces()
        guard let days = scanner.date() else { return nil }
        var micros = days * microsPerDay
        if scanner.accept(UInt8(ascii: " ")) || scanner.accept(UInt8(ascii: "T")) || scanner.accept(UInt8(ascii: "t")) {
            scanner.skipSpaces()
            guard let time = scanner.time() else { return nil }
            micros += time
        }
        scanner.skipSpaces()
        return scanner.atEnd ? micros : nil
    }

    /// A timestamp string: a date-time with an optional zone (`Z`, `UTC`, `+HH[:MM]`, `-HH[:MM]`),
    /// as microseconds since the epoch in UTC. Named zones other than UTC are not supported (nil).
    public static func parseTimestamp(_ text: String) -> Int64? {
        var scanner = Scanner(Array(text.utf8))
        scanner.skipSpaces()
        guard let days = scanner.date() else { return nil }
        var micros = days * microsPerDay
        if scanner.accept(UInt8(ascii: " ")) || scanner.accept(UInt8(ascii: "T")) || scanner.accept(UInt8(ascii: "t")) {
            scanner.skipSpaces()
            if let time = scanner.time() {
                micros += time
            }
        }
        scanner.skipSpaces()
        guard let offset = scanner.zone() else { return nil }
        scanner.skipSpaces()
        guard scanner.atEnd else { return nil }
        return micros - offset
    }

    // MARK: - Formatting

    public static func formatDate(_ days: Int64) -> String {
        let (y, m, d) = civil(days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    public static func formatTime(_ micros: Int64) -> String {
        let seconds = micros / microsPerSecond
        let fraction = micros % microsPerSecond
        var text = pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if fraction != 0 { text += "." + pad(fraction, 6) }
        return text
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` (six fraction digits when there is a fraction, so that the
    /// text sorts as the value does).
    public static func formatDateTime(_ micros: Int64) -> String {
        let days = floorDiv(micros, microsPerDay)
        return formatDate(days) + " " + formatTime(micros - days * microsPerDay)
    }

    public static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value < 0 ? -value : value)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    static func inRange(days: Int64) -> Bool { days >= minDay && days <= maxDay }

    /// Whether microseconds since the epoch are within 0001-01-01 … 9999-12-31 23:59:59.999999.
    public static func inRange(micros: Int64) -> Bool {
        micros >= minDay * microsPerDay && micros < (maxDay + 1) * microsPerDay
    }

    // MARK: - Scanner

    struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }

        mutating func skipSpaces() {
            while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
        }

        mutating func accept(_ byte: UInt8) -> Bool {
            if index < bytes.count && bytes[index] == byte {
                index += 1
                return true
            }
            return false
        }

        mutating func number(maxDigits: Int) -> (value: Int64, digits: Int)? {
            var value: Int64 = 0
            var digits = 0
            while index < bytes.count, digits < maxDigits, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value * 10 + Int64(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : (value, digits)
        }

        mutating func date() -> Int64? {
            guard let year = number(maxDigits: 4), accept(UInt8(ascii: "-")),
                  let month = number(maxDigits: 2), accept(UInt8(ascii: "-")),
                  let day = number(maxDigits: 2) else { return nil }
            guard year.value >= 1, month.value >= 1, month.value <= 12, day.value >= 1,
                  day.value <= CivilTime.daysInMonth(year: year.value, month: month.value) else { return nil }
            return CivilTime.days(year: year.value, month: month.value, day: day.value)
        }

        mutating func time() -> Int64? {
            guard let hour = number(maxDigits: 2), accept(UInt8(ascii: ":")), let minute = number(maxDigits: 2) else { return nil }
            var second: Int64 = 0
            var fraction: Int64 = 0
            if accept(UInt8(ascii: ":")) {
                guard let s = number(maxDigits: 2) else { return nil }
                second = s.value
                if accept(UInt8(ascii: ".")) {
                    guard let f = number(maxDigits: 9) else { return nil }
                    var value = f.value
                    var digits = f.digits
                    while digits > 6 { value /= 10; digits -= 1 }
                    while digits < 6 { value *= 10; digits += 1 }
                    fraction = value
                }
            }
            guard hour.value < 24, minute.value < 60, second < 60 else { return nil }
            return ((hour.value * 60 + minute.value) * 60 + second) * CivilTime.microsPerSecond + fraction
        }

        /// A zone suffix as an offset in microseconds (0 when there is none).
        mutating func zone() -> Int64? {
            if atEnd { return 0 }
            if accept(UInt8(ascii: "Z")) || accept(UInt8(ascii: "z")) { return 0 }
            let rest = String(decoding: bytes[index...], as: UTF8.self).uppercased()
            if rest == "UTC" || rest == "ETC/UTC" || rest == "GMT" {
                index = bytes.count
                return 0
            }
            var sign: Int64 = 1
            if accept(UInt8(ascii: "+")) {
                sign = 1
            } else if accept(UInt8(ascii: "-")) {
                sign = -1
            } else {
                return nil
            }
            guard let hours = number(maxDigits: 2) else { return nil }
            var minutes: Int64 = 0
            if accept(UInt8(ascii: ":")) {
                guard let m = number(maxDigits: 2) else { return nil }
                minutes = m.value
            } else if let m = number(maxDigits: 2) {
                minutes = m.value
            }
            return sign * (hours.value * 60 + minutes) * 60 * CivilTime.microsPerSecond
        }
    }
}
