import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week) read in a time zone.
///
/// Fields accept `*`, numbers, ranges `a-b`, lists `a,b` and steps `*/n`, `a-b/n`; day-of-week 0
/// and 7 are Sunday. As in Vixie cron, when both day fields are restricted a day matches if
/// either does (https://man7.org/linux/man-pages/man5/crontab.5.html).
///
/// ```swift
/// let cron = try CronExpression("0 6 * * *", timeZone: "UTC")
/// cron.next(after: date)   // the next 06:00 UTC strictly after `date`
/// ```
public struct CronExpression: Sendable, Hashable {
    let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let dayRestricted: Bool, weekdayRestricted: Bool
    public let timeZone: TimeZone

    /// - Throws: ``OpsError`` `.config` naming the bad field.
    public init(_ text: String, timeZone name: String = "UTC") throws {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else { throw OpsError(.config, "cron '\(text)' needs 5 fields (minute hour day month weekday)") }
        guard let zone = TimeZone(identifier: name) else { throw OpsError(.config, "unknown time zone '\(name)'") }
        timeZone = zone
        minutes = try Self.field(fields[0], 0...59, "minute")
        hours = try Self.field(fields[1], 0...23, "hour")
        days = try Self.field(fields[2], 1...31, "day of month")
        months = try Self.field(fields[3], 1...12, "month")
        weekdays = Set(try Self.field(fields[4], 0...7, "day of week").map { $0 % 7 })
        dayRestricted = fields[2] != "*"
        weekdayRestricted = fields[4] != "*"
    }

    static func field(_ text: String, _ range: ClosedRange<Int>, _ name: String) throws -> Set<Int> {
        var out = Set<Int>()
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "/", maxSplits: 1)
            let step = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let step, step > 0 else { throw OpsError(.config, "bad step in the \(name) field '\(text)'") }
            let base = String(pieces[0])
            var lower = range.lowerBound, upper = range.upperBound
            if base != "*" {
                let bounds = base.split(separator: "-", maxSplits: 1).map { Int($0) }
                guard let first = bounds.first, let a = first, let b = bounds.count == 2 ? bounds[1] : (pieces.count == 2 ? range.upperBound : a),
                      range.contains(a), range.contains(b), a <= b else {
                    throw OpsError(.config, "bad \(name) field '\(text)' (allowed \(range.lowerBound)-\(range.upperBound))")
                }
                lower = a; upper = b
            }
            out.formUnion(stride(from: lower, through: upper, by: step))
        }
        return out
    }

    /// Whether a minute (in the expression's zone) matches.
    func matches(_ c: DateComponents) -> Bool {
        guard let minute = c.minute, let hour = c.hour, let day = c.day, let month = c.month, let weekday = c.weekday else { return false }
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayOK = days.contains(day), weekdayOK = weekdays.contains(weekday - 1)
        if dayRestricted && weekdayRestricted { return dayOK || weekdayOK }
        return dayOK && weekdayOK
    }

    /// The first matching minute strictly after `date`, or nil within about five years.
    public func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var t = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        for _ in 0..<(5 * 366 * 24 * 60) {
            let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: t)
            if matches(c) { return t }
            // Skip whole hours that cannot match.
            if let hour = c.hour, !hours.contains(hour), let minute = c.minute {
                t = t.addingTimeInterval(Double(60 - minute) * 60)
            } else {
                t = t.addingTimeInterval(60)
            }
        }
        return nil
    }
}
