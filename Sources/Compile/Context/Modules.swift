import Foundation
import Jinja

/// dbt's `modules` in templates: the parts of Python's `datetime` and `re` that dbt projects use
/// (docs.getdbt.com/reference/dbt-jinja-functions/modules).
enum Modules {
    static func value() -> Value {
        .makeDict([
            ("datetime", .object(DateTimeModule())),
            ("re", .object(RegexModule())),
        ])
    }
}

/// A `datetime.datetime` or `datetime.date`, in UTC.
final class DateTimeObject: JinjaObject, @unchecked Sendable {
    let date: Date
    let isDate: Bool

    init(_ date: Date, isDate: Bool = false) {
        self.date = date
        self.isDate = isDate
    }

    private static func calendar() -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
        return calendar
    }

    var typeName: String { isDate ? "date" : "datetime" }

    /// Python's `str()`: `2026-11-30 04:49:15.123456+00:00` (a date: `2026-11-30`).
    var pythonStr: String {
        if isDate { return strftime("%Y-%m-%d") }
        let micros = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1_000_000)
        return strftime("%Y-%m-%d %H:%M:%S") + (micros > 0 ? String(format: ".%06d", micros) : "") + "+00:00"
    }

    func attribute(_ name: String) -> Value? {
        let parts = Self.calendar().dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        switch name {
        case "year": return .int(parts.year ?? 0)
        case "month": return .int(parts.month ?? 0)
        case "day": return .int(parts.day ?? 0)
        case "hour": return .int(parts.hour ?? 0)
        case "minute": return .int(parts.minute ?? 0)
        case "second": return .int(parts.second ?? 0)
        case "strftime":
            return .function(NativeFunction("strftime") { [self] args, _ in
                .string(strftime(args.value(0, "format")?.asString ?? ""))
            })
        case "isoformat":
            return .function(NativeFunction("isoformat") { [self] _, _ in
                .string(isDate ? strftime("%Y-%m-%d") : pythonStr.replacingOccurrences(of: " ", with: "T"))
            })
        case "date":
            return .function(NativeFunction("date") { [self] _, _ in .object(DateTimeObject(date, isDate: true)) })
        case "weekday":
            return .function(NativeFunction("weekday") { _, _ in .int(((parts.weekday ?? 1) + 5) % 7) })
        case "isoweekday":
            return .function(NativeFunction("isoweekday") { _, _ in .int(((parts.weekday ?? 1) + 5) % 7 + 1) })
        case "timestamp":
            return .function(NativeFunction("timestamp") { [self] _, _ in .float(date.timeIntervalSince1970) })
        default: return nil
        }
    }

    /// C `strftime` in UTC (Python's datetime.strftime delegates to it).
    func strftime(_ format: String) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let micros = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1_000_000)
        let expanded = format.replacingOccurrences(of: "%f", with: String(format: "%06d", micros))
        var buffer = [Int8](repeating: 0, count: 512)
        let count = Foundation.strftime(&buffer, buffer.count, expanded, &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// `modules.datetime`: `datetime.now()`, `datetime.utcnow()`, `date.today()`, `timedelta(...)`,
/// `datetime.strptime(...)` (ISO-like formats).
final class DateTimeModule: JinjaObject, @unchecked Sendable {
    var typeName: String { "module" }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "datetime": return .object(DateTimeClass(isDate: false))
        case "date": return .object(DateTimeClass(isDate: true))
        case "timedelta":
            return .function(NativeFunction("timedelta") { args, _ in
                let days = args.value(0, "days")?.asDouble ?? 0
                let seconds = args.value(1, "seconds")?.asDouble ?? 0
                let hours = args.keyword("hours")?.asDouble ?? 0
                let minutes = args.keyword("minutes")?.asDouble ?? 0
                let weeks = args.keyword("weeks")?.asDouble ?? 0
                return .float(((weeks * 7 + days) * 86_400) + hours * 3_600 + minutes * 60 + seconds)
            })
        default: return nil
        }
    }
}

/// `datetime.datetime` / `datetime.date` as classes.
final class DateTimeClass: JinjaObject, @unchecked Sendable {
    let isDate: Bool
    init(isDate: Bool) { self.isDate = isDate }
    var typeName: String { "type" }

    func attribute(_ name: String) -> Value? {
        let isDate = self.isDate
        switch name {
        case "now", "utcnow", "today":
            return .function(NativeFunction(name) { _, _ in .object(DateTimeObject(Date(), isDate: isDate)) })
        case "strptime", "fromisoformat":
            return .function(NativeFunction(name) { args, state in
                let text = args.value(0, "date_string")?.asString ?? ""
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"] {
                    formatter.dateFormat = format
                    if let date = formatter.date(from: text) { return .object(DateTimeObject(date, isDate: isDate)) }
                }
                throw state.error(.value, "time data '\(text)' does not match an ISO date format")
            })
        default: return nil
        }
    }
}

/// `modules.re`: `match`, `search`, `fullmatch`, `findall`, `sub`, `split`, with Python's regex
/// syntax as far as ICU shares it.
final class RegexModule: JinjaObject, @unchecked Sendable {
    var typeName: String { "module" }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "match", "search", "fullmatch":
            return .function(NativeFunction("re.\(name)") { args, state in
                let (regex, text) = try Self.compile(args, state)
                let range = NSRange(text.startIndex..., in: text)
                guard let match = regex.firstMatch(in: text, options: name == "search" ? [] : [.anchored], range: range) else {
                    return .none
                }
                if name == "fullmatch" && match.range.length != range.length { return .none }
                return .object(RegexMatch(match: match, text: text))
            })
        case "findall":
            return .function(NativeFunction("re.findall") { args, state in
                let (regex, text) = try Self.compile(args, state)
                let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
                return .makeList(matches.map { match in
                    let group = match.numberOfRanges > 1 ? 1 : 0
                    return Range(match.range(at: group), in: text).map { .string(String(text[$0])) } ?? .string("")
                })
            })
        case "sub":
            return .function(NativeFunction("re.sub") { args, state in
                guard let pattern = args.value(0, "pattern")?.asString,
                      let replacement = args.value(1, "repl")?.asString,
                      let text = args.value(2, "string")?.asString else {
                    throw state.error(.type, "re.sub(pattern, repl, string) needs three strings")
                }
                let regex = try Self.regex(pattern, state)
                let template = replacement.replacingOccurrences(of: "\\\\(\\d)", with: "\\$$1", options: .regularExpression)
                return .string(regex.stringByReplacingMatches(
                    in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template))
            })
        case "split":
            return .function(NativeFunction("re.split") { args, state in
                let (regex, text) = try Self.compile(args, state)
                var pieces: [Value] = []
                var last = text.startIndex
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let range = Range(match.range, in: text) else { continue }
                    pieces.append(.string(String(text[last..<range.lowerBound])))
                    last = range.upperBound
                }
                pieces.append(.string(String(text[last...])))
                return .makeList(pieces)
            })
        case "IGNORECASE", "I": return .int(2)
        default: return nil
        }
    }

    static func regex(_ pattern: String, _ state: State, flags: Int = 0) throws -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: flags & 2 != 0 ? [.caseInsensitive] : [])
        } catch {
            throw state.error(.value, "invalid regular expression '\(pattern)'")
        }
    }

    static func compile(_ args: Arguments, _ state: State) throws -> (NSRegularExpression, String) {
        guard let pattern = args.value(0, "pattern")?.asString, let text = args.value(1, "string")?.pythonStr() else {
            throw state.error(.type, "expected (pattern, string)")
        }
        return (try regex(pattern, state, flags: args.value(2, "flags")?.asInt ?? 0), text)
    }
}

/// A `re.Match`: `group(n)`, `groups()`, `start()`, `end()`.
final class RegexMatch: JinjaObject, @unchecked Sendable {
    let match: NSTextCheckingResult
    let text: String
    init(match: NSTextCheckingResult, text: String) {
        self.match = match
        self.text = text
    }
    var typeName: String { "Match" }

    private func group(_ index: Int) -> Value {
        guard index < match.numberOfRanges, let range = Range(match.range(at: index), in: text) else { return .none }
        return .string(String(text[range]))
    }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "group":
            return .function(NativeFunction("group") { [self] args, _ in group(args.value(0, "group")?.asInt ?? 0) })
        case "groups":
            return .function(NativeFunction("groups") { [self] _, _ in
                .tuple((1..<max(1, match.numberOfRanges)).map { group($0) })
            })
        case "start": return .function(NativeFunction("start") { [self] _, _ in .int(match.range.location) })
        case "end": return .function(NativeFunction("end") { [self] _, _ in .int(match.range.location + match.range.length) })
        default: return nil
        }
    }
}
