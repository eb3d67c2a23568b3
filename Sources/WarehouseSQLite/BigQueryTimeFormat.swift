import Foundation
import GRDB
import SQL

/// BigQuery's format elements for FORMAT_* and PARSE_* of dates and times
/// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/format-elements#format_elements_date_time>).
/// Names are English (`Mon`, `January`) whatever the locale; timestamps are shown in UTC.
enum BigQueryTimeFormat {
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    static func format(_ pattern: String, micros: Int64, kind: String) throws -> String {
        let d = CivilTime.floorDiv(micros, CivilTime.microsPerDay)
        let t = micros - d * CivilTime.microsPerDay
        let (y, m, day) = CivilTime.civil(d)
        let weekday = CivilTime.weekday(d)
        let hour = t / 3_600_000_000, minute = t / 60_000_000 % 60, second = t / 1_000_000 % 60
        let fraction = t % 1_000_000
        let dayOfYear = d - CivilTime.days(year: y, month: 1, day: 1) + 1
        let pad = CivilTime.pad
        func weekNumber(start: Int64) -> Int64 {
            let jan1 = CivilTime.days(year: y, month: 1, day: 1)
            let first = jan1 + CivilTime.floorMod(start - CivilTime.weekday(jan1), 7)
            return d < first ? 0 : (d - first) / 7 + 1
        }
        let hasDate = kind != "TIME"
        let hasTime = kind != "DATE"
        var out = ""
        var chars = Array(pattern)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            guard var e = chars.popFirst() else { out.append("%"); break }
            var fractionDigits: Int?
            if e == "E" {
                // %E#S, %E*S, %E4Y, %Ez
                if chars.first == "*" { chars.removeFirst(); fractionDigits = 6 } else if chars.first == "4" && chars.dropFirst().first == "Y" {
                    chars.removeFirst(2); out += pad(y, 4); continue
                } else if chars.first == "z" {
                    chars.removeFirst(); out += "+00:00"; continue
                } else if let digit = chars.first?.wholeNumberValue {
                    chars.removeFirst(); fractionDigits = digit
                }
                guard chars.popFirst() == "S" else { throw BigQueryFunctions.fail("invalid format element in '\(pattern)'") }
                e = "S"
            }
            let needsDate = "YyCmdejaAbBhuwUWVGgDFxQ".contains(e)
            let needsTime = "HIklMSpPRTXfsr".contains(e)
            if (needsDate && !hasDate) || (needsTime && !hasTime) {
                throw BigQueryFunctions.fail("format element %\(e) is not valid for \(kind)")
            }
            switch e {
            case "Y": out += String(y)
            case "y": out += pad(y % 100, 2)
            case "C": out += pad(y / 100, 2)
            case "m": out += pad(m, 2)
            case "d": out += pad(day, 2)
            case "e": out += (day < 10 ? " " : "") + String(day)
            case "j": out += pad(dayOfYear, 3)
            case "a": out += String(weekdays[Int(weekday)].prefix(3))
            case "A": out += weekdays[Int(weekday)]
            case "b", "h": out += String(months[Int(m - 1)].prefix(3))
            case "B": out += months[Int(m - 1)]
            case "u": out += String(weekday == 0 ? 7 : weekday)
            case "w": out += String(weekday)
            case "U": out += pad(weekNumber(start: 0), 2)
            case "W": out += pad(weekNumber(start: 1), 2)
            case "V": out += pad(BigQueryFunctions.isoWeek(d).week, 2)
            case "G": out += String(BigQueryFunctions.isoWeek(d).year)
            case "g": out += pad(BigQueryFunctions.isoWeek(d).year % 100, 2)
            case "D", "x": out += pad(m, 2) + "/" + pad(day, 2) + "/" + pad(y % 100, 2)
            case "F": out += pad(y, 4) + "-" + pad(m, 2) + "-" + pad(day, 2)
            case "Q": out += String((m - 1) / 3 + 1)
            case "H": out += pad(hour, 2)
            case "k": out += (hour < 10 ? " " : "") + String(hour)
            case "I": out += pad(hour % 12 == 0 ? 12 : hour % 12, 2)
            case "l": out += ((hour % 12 == 0 ? 12 : hour % 12) < 10 ? " " : "") + String(hour % 12 == 0 ? 12 : hour % 12)
            case "M": out += pad(minute, 2)
            case "S":
                out += pad(second, 2)
                if let digits = fractionDigits, digits > 0 {
                    let text = pad(fraction, 6)
                    out += "." + String(text.prefix(digits)) + String(repeating: "0", count: max(0, digits - 6))
                }
            case "f": out += pad(fraction, 6)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "P": out += hour < 12 ? "am" : "pm"
            case "R": out += pad(hour, 2) + ":" + pad(minute, 2)
            case "T", "X": out += pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
            case "r": out += pad(hour % 12 == 0 ? 12 : hour % 12, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) + " " + (hour < 12 ? "AM" : "PM")
            case "c":
                out += String(weekdays[Int(weekday)].prefix(3)) + " " + String(months[Int(m - 1)].prefix(3)) + " "
                    + (day < 10 ? " " : "") + String(day) + " " + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) + " " + String(y)
            case "s": out += String(CivilTime.floorDiv(micros, 1_000_000))
            case "Z": out += "UTC"
            case "z": out += "+0000"
            case "n": out += "\n"
            case "t": out += "\t"
            case "%": out += "%"
            default: throw BigQueryFunctions.fail("invalid format element %\(e)")
            }
        }
        return out
    }

    /// Parses `text` with `pattern`; the whole text must match. Unspecified fields default to
    /// 1970-01-01 00:00:00 (https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#parse_date).
    static func parse(_ pattern: String, _ text: String, kind: String) throws -> Int64 {
        // Composite elements as their parts (%c is "%a %b %e %H:%M:%S %Y").
        let pattern = pattern.replacingOccurrences(of: "%c", with: "%a %b %e %H:%M:%S %Y")
        var year: Int64 = 1970, month: Int64 = 1, day: Int64 = 1
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, fraction: Int64 = 0
        var pm: Bool?
        var offset: Int64 = 0
        var dayOfYear: Int64?
        var epoch: Int64?
        let input = Array(text)
        var i = 0
        func bad() -> DatabaseError { BigQueryFunctions.fail("failed to parse input '\(text)' with format '\(pattern)'") }
        func skipSpaces() { while i < input.count && input[i].isWhitespace { i += 1 } }
        func number(_ maxDigits: Int, signed: Bool = false) throws -> Int64 {
            var negative = false
            if signed && i < input.count && (input[i] == "-" || input[i] == "+") {
                negative = input[i] == "-"
                i += 1
            }
            var value: Int64 = 0, digits = 0
            while i < input.count, digits < maxDigits, let d = input[i].wholeNumberValue, input[i].isASCII {
                value = value * 10 + Int64(d)
                digits += 1
                i += 1
            }
            if digits == 0 { throw bad() }
            return negative ? -value : value
        }
        func name(_ names: [String]) throws -> Int64 {
            for (index, full) in names.enumerated() {
                for candidate in [full, String(full.prefix(3))] {
                    let end = i + candidate.count
                    if end <= input.count, String(input[i..<end]).lowercased() == candidate.lowercased() {
                        i = end
                        return Int64(index)
                    }
                }
            }
            throw bad()
        }
        var chars = Array(pattern)[...]
        while let c = chars.popFirst() {
            if c.isWhitespace { skipSpaces(); continue }
            guard c == "%" else {
                guard i < input.count, input[i] == c else { throw bad() }
                i += 1
                continue
            }
            guard var e = chars.popFirst() else { throw bad() }
            var fractional = false
            if e == "E" {
                if chars.first == "*" || chars.first?.wholeNumberValue != nil { chars.removeFirst() }
                if chars.first == "z" { chars.removeFirst(); e = "z" } else {
                    guard chars.popFirst() == "S" else { throw bad() }
                    e = "S"
                    fractional = true
                }
            }
            switch e {
            case "Y": year = try number(4)
            case "y":
                let y = try number(2)
                year = y < 69 ? 2000 + y : 1900 + y
            case "C": year = try number(2) * 100 + year % 100
            case "m": month = try number(2)
            case "d", "e": skipSpaces(); day = try number(2)
            case "j": dayOfYear = try number(3)
            case "a", "A": _ = try name(weekdays)
            case "b", "B", "h": month = try name(months) + 1
            case "H", "k": skipSpaces(); hour = try number(2)
            case "I", "l": skipSpaces(); hour = try number(2)
            case "M": minute = try number(2)
            case "S":
                second = try number(2)
                if fractional, i < input.count, input[i] == "." {
                    i += 1
                    var digits = 0
                    var value: Int64 = 0
                    while i < input.count, let d = input[i].wholeNumberValue, input[i].isASCII {
                        if digits < 6 { value = value * 10 + Int64(d); digits += 1 }
                        i += 1
                    }
                    while digits < 6 { value *= 10; digits += 1 }
                    fraction = value
                }
            case "p", "P":
                let end = i + 2
                guard end <= input.count else { throw bad() }
                let word = String(input[i..<end]).uppercased()
                guard word == "AM" || word == "PM" else { throw bad() }
                pm = word == "PM"
                i = end
            case "F":
                year = try number(4); guard i < input.count, input[i] == "-" else { throw bad() }; i += 1
                month = try number(2); guard i < input.count, input[i] == "-" else { throw bad() }; i += 1
                day = try number(2)
            case "D", "x":
                month = try number(2); guard i < input.count, input[i] == "/" else { throw bad() }; i += 1
                day = try number(2); guard i < input.count, input[i] == "/" else { throw bad() }; i += 1
                let y = try number(2)
                year = y < 69 ? 2000 + y : 1900 + y
            case "T", "X":
                hour = try number(2); guard i < input.count, input[i] == ":" else { throw bad() }; i += 1
                minute = try number(2); guard i < input.count, input[i] == ":" else { throw bad() }; i += 1
                second = try number(2)
            case "R":
                hour = try number(2); guard i < input.count, input[i] == ":" else { throw bad() }; i += 1
                minute = try number(2)
            case "s": epoch = try number(19, signed: true)
            case "Q":
                let q = try number(1)
                month = (q - 1) * 3 + 1
            case "z":
                guard i < input.count, input[i] == "+" || input[i] == "-" || input[i] == "Z" else { throw bad() }
                if input[i] == "Z" { i += 1; break }
                let sign: Int64 = input[i] == "-" ? -1 : 1
                i += 1
                let h = try number(2)
                if i < input.count, input[i] == ":" { i += 1 }
                let mm = (try? number(2)) ?? 0
                offset = sign * (h * 60 + mm) * 60_000_000
            case "Z":
                let rest = String(input[i...]).uppercased()
                guard rest.hasPrefix("UTC") else { throw BigQueryFunctions.fail("only the UTC time zone is supported in PARSE_TIMESTAMP") }
                i += 3
            case "n", "t": skipSpaces()
            case "%": guard i < input.count, input[i] == "%" else { throw bad() }; i += 1
            default: throw BigQueryFunctions.fail("unsupported format element %\(e) in PARSE_\(kind)")
            }
        }
        skipSpaces()
        guard i == input.count else { throw bad() }
        if let epoch { return epoch * 1_000_000 }
        if let pm {
            guard hour >= 1 && hour <= 12 else { throw bad() }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1, day <= CivilTime.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { throw bad() }
        var days = CivilTime.days(year: year, month: month, day: day)
        if let dayOfYear { days = CivilTime.days(year: year, month: 1, day: 1) + dayOfYear - 1 }
        let micros = days * CivilTime.microsPerDay + ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
        return micros - offset
    }
}

/// BigQuery's `FORMAT(format_string, …)`: `%d %i %s %f %F %e %E %g %G %x %X %o %t %T %%` with
/// flags, width and precision (<https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#format_string>).
/// Arguments arrive as (value, BigQuery type name) pairs.
enum BigQueryFormat {
    static func format(_ values: [DatabaseValue]) throws -> DatabaseValueConvertible? {
        guard let pattern = BigQueryFunctions.text(values[0]) else { return nil }
        var args: [(DatabaseValue, String)] = []
        var index = 1
        while index + 1 < values.count {
            args.append((values[index], BigQueryFunctions.text(values[index + 1]) ?? ""))
            index += 2
        }
        var next = 0
        var out = ""
        var chars = Array(pattern)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var flags = ""
            while let f = chars.first, "-+ #0'".contains(f) { flags.append(f); chars.removeFirst() }
            var width = ""
            while let w = chars.first, w.isNumber { width.append(w); chars.removeFirst() }
            var precision: Int?
            if chars.first == "." {
                chars.removeFirst()
                var p = ""
                while let w = chars.first, w.isNumber { p.append(w); chars.removeFirst() }
                precision = Int(p) ?? 0
            }
            guard let conversion = chars.popFirst() else { throw BigQueryFunctions.fail("FORMAT: incomplete format specifier") }
            if conversion == "%" { out += "%"; continue }
            guard next < args.count else { throw BigQueryFunctions.fail("FORMAT: too few arguments for '\(pattern)'") }
            let (value, type) = args[next]
            next += 1
            var piece: String
            if value.isNull {
                piece = "NULL"
            } else {
                switch conversion {
                case "d", "i":
                    guard let n = BigQueryFunctions.int(value) else { throw BigQueryFunctions.fail("FORMAT: %d needs an integer") }
                    piece = String(n)
                    if flags.contains("'") { piece = grouped(piece) }
                    if flags.contains("+") && n >= 0 { piece = "+" + piece }
                case "s":
                    piece = try display(value, type: type, literal: false)
                case "t":
                    piece = try display(value, type: type, literal: false)
                case "T":
                    piece = try display(value, type: type, literal: true)
                case "f", "F", "e", "E", "g", "G":
                    guard let x = BigQueryFunctions.double(value) else { throw BigQueryFunctions.fail("FORMAT: %\(conversion) needs a number") }
                    if !x.isFinite {
                        piece = x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf")
                    } else {
                        piece = String(format: "%" + flags.filter { $0 != "'" } + "." + String(precision ?? 6) + String(conversion), x)
                    }
                case "x", "X", "o":
                    guard let n = BigQueryFunctions.int(value) else { throw BigQueryFunctions.fail("FORMAT: %\(conversion) needs an integer") }
                    piece = String(n, radix: conversion == "o" ? 8 : 16, uppercase: conversion == "X")
                default:
                    throw BigQueryFunctions.fail("FORMAT: invalid format specifier %\(conversion)")
                }
                if let precision, conversion == "s" || conversion == "t" { piece = String(piece.prefix(precision)) }
            }
            if let w = Int(width), piece.count < w {
                let fill = String(repeating: flags.contains("0") && !flags.contains("-") && conversion != "s" ? "0" : " ", count: w - piece.count)
                if flags.contains("-") {
                    piece += fill
                } else if fill.hasPrefix("0"), piece.hasPrefix("-") {
                    piece = "-" + fill + piece.dropFirst()
                } else {
                    piece = fill + piece
                }
            }
            out += piece
        }
        return out
    }

    static func grouped(_ digits: String) -> String {
        var body = Array(digits)
        var sign = ""
        if body.first == "-" { sign = "-"; body.removeFirst() }
        var out = ""
        for (i, c) in body.enumerated() {
            if i > 0 && (body.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return sign + out
    }

    /// A value as `%t` (plain) or `%T` (a literal) prints it.
    static func display(_ value: DatabaseValue, type: String, literal: Bool) throws -> String {
        switch type {
        case "BOOL": return (BigQueryFunctions.int(value) ?? 0) != 0 ? "true" : "false"
        case "STRING":
            let s = BigQueryFunctions.text(value) ?? ""
            return literal ? "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" : s
        case "DATE", "DATETIME", "TIME":
            let s = BigQueryFunctions.text(value) ?? ""
            return literal ? "\(type) \"\(s)\"" : s
        case "TIMESTAMP":
            let s = (BigQueryFunctions.text(value) ?? "") + "+00"
            return literal ? "TIMESTAMP \"\(s)\"" : s
        default:
            if case .double(let d) = value.storage {
                let text = BigQueryFunctions.formatDouble(d)
                if literal && d.isFinite && !text.contains(".") && !text.contains("e") { return text + ".0" }
                return text
            }
            return BigQueryFunctions.text(value) ?? ""
        }
    }
}
