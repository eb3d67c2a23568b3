import Foundation

/// A calendar day in UTC (proleptic Gregorian), used for the last day of the generated window.
///
/// A plain value rather than a `Date` so that the same options give the same data on every
/// machine and in every time zone.
///
/// ```swift
/// let end = try DemoDate(year: 2026, month: 11, day: 29)
/// let yesterday = DemoDate.yesterdayUTC()
/// ```
public struct DemoDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// - Throws: ``DemoError`` (`invalidDate`) when the day does not exist (month 1–12, day within
    ///   the month, year 1900–9999).
    public init(year: Int, month: Int, day: Int) throws {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day) else {
            throw DemoError(kind: .invalidDate,
                            message: "\(year)-\(month)-\(day) is not a calendar day between 1900 and 9999")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UTC calendar day that contains `date`.
    public init(_ date: Date) {
        let days = Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let civil = CivilCalendar.civil(fromDays: days)
        self.year = civil.year
        self.month = civil.month
        self.day = civil.day
    }

    /// The UTC day before the day of `now`: the default end of the demo window (the last complete day).
    public static func yesterdayUTC(now: Date = Date()) -> DemoDate {
        DemoDate(now.addingTimeInterval(-86_400))
    }

    /// Days since 1970-01-01.
    var daysSinceEpoch: Int64 { CivilCalendar.days(year: year, month: month, day: day) }

    /// `YYYY-MM-DD`.
    public var description: String { CivilCalendar.formatDate(daysSinceEpoch) }

    /// `YYYYMMDD`, as used in the extract file names.
    public var compact: String { description.replacingOccurrences(of: "-", with: "") }

    public static func < (lhs: DemoDate, rhs: DemoDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// What to generate: the window and the volume.
///
/// The window is the `days` calendar days ending on `endDate` (inclusive). `ordersPerDay` is the
/// average daily volume before weekly seasonality, trend, promotions and noise are applied, so a
/// given day has between roughly 0.5× and 2.5× that many orders.
///
/// ```swift
/// let options = try DemoOptions(days: 90, ordersPerDay: 5_000,
///                               endDate: DemoDate(year: 2026, month: 11, day: 29), seed: 42)
/// ```
public struct DemoOptions: Sendable, Hashable {
    /// Number of calendar days in the window (≥ 1; the project expects ≥ 90).
    public var days: Int
    /// Average orders per day (≥ 1, ≤ 2,000,000).
    public var ordersPerDay: Int
    /// The last day of the window (UTC). Callers usually pass ``DemoDate/yesterdayUTC(now:)``.
    public var endDate: DemoDate
    /// The seed of the pseudo-random generator: same options, byte-identical data.
    public var seed: UInt64

    public init(days: Int = 90, ordersPerDay: Int = 5_000,
                endDate: DemoDate = .yesterdayUTC(), seed: UInt64 = 42) {
        self.days = days
        self.ordersPerDay = ordersPerDay
        self.endDate = endDate
        self.seed = seed
    }

    /// The first day of the window.
    public var startDate: DemoDate {
        let civil = CivilCalendar.civil(fromDays: endDate.daysSinceEpoch - Int64(days - 1))
        // A valid end date minus a validated day count is a valid date.
        return (try? DemoDate(year: civil.year, month: civil.month, day: civil.day)) ?? endDate
    }

    /// - Throws: ``DemoError`` (`invalidOptions`) when a value is out of range.
    func validate() throws {
        guard (1...36_500).contains(days) else {
            throw DemoError(kind: .invalidOptions, message: "days must be between 1 and 36500, got \(days)")
        }
        guard (1...2_000_000).contains(ordersPerDay) else {
            throw DemoError(kind: .invalidOptions,
                            message: "ordersPerDay must be between 1 and 2000000, got \(ordersPerDay)")
        }
        let start = endDate.daysSinceEpoch - Int64(days - 1)
        guard CivilCalendar.civil(fromDays: start).year >= 1900 else {
            throw DemoError(kind: .invalidOptions, message: "the window starts before 1900")
        }
    }
}

/// An error from the demo generator.
public struct DemoError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A day that does not exist.
        case invalidDate
        /// Days or volume out of range.
        case invalidOptions
        /// A file could not be created or written.
        case io
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
