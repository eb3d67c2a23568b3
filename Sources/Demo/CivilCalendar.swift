/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (UTC), without Foundation's
/// `Calendar`, so that generation is fast and identical everywhere.
///
/// The conversions are Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms
/// (http://howardhinnant.github.io/date_algorithms.html).
enum CivilCalendar {
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(days: Int64) -> Int {
        Int(((days + 4) % 7 + 7) % 7)
    }

    /// `YYYY-MM-DD`.
    static func formatDate(_ days: Int64) -> String {
        var bytes = [UInt8](repeating: 0, count: 10)
        writeDate(days, into: &bytes, at: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DD HH:MM:SS` for seconds since the epoch (UTC).
    static func formatTimestamp(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        var bytes = [UInt8](repeating: 0, count: 19)
        writeDate(days, into: &bytes, at: 0)
        bytes[10] = UInt8(ascii: " ")
        writeTwo(rest / 3_600, into: &bytes, at: 11)
        bytes[13] = UInt8(ascii: ":")
        writeTwo(rest / 60 % 60, into: &bytes, at: 14)
        bytes[16] = UInt8(ascii: ":")
        writeTwo(rest % 60, into: &bytes, at: 17)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func writeDate(_ days: Int64, into bytes: inout [UInt8], at offset: Int) {
        let civil = civil(fromDays: days)
        let year = civil.year
        bytes[offset] = UInt8(48 + year / 1000 % 10)
        bytes[offset + 1] = UInt8(48 + year / 100 % 10)
        bytes[offset + 2] = UInt8(48 + year / 10 % 10)
        bytes[offset + 3] = UInt8(48 + year % 10)
        bytes[offset + 4] = UInt8(ascii: "-")
        writeTwo(civil.month, into: &bytes, at: offset + 5)
        bytes[offset + 7] = UInt8(ascii: "-")
        writeTwo(civil.day, into: &bytes, at: offset + 8)
    }

    private static func writeTwo(_ value: Int, into bytes: inout [UInt8], at offset: Int) {
        bytes[offset] = UInt8(48 + value / 10 % 10)
        bytes[offset + 1] = UInt8(48 + value % 10)
    }
}
