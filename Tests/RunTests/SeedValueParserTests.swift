import Foundation
import Testing
@testable import Run

/// Value-level cases. Expected values are Python's answers (agate 1.9.1 `cast`, Python 3.11
/// `Decimal`, `datetime.strptime`, `isodate.parse_datetime`), checked in the oracle venv.
@Suite struct SeedValueParserTests {
    @Test(arguments: [
        ("1", 0), ("2.50", 1), ("2.0", 0), ("1e3", 0), ("1.5e1", 0), ("150e-2", 1), ("0.00", 0),
        ("$1,000.25", 2), ("1_000", 0), ("-.5", 1), ("5.", 0),
    ])
    func decimalPlacesAsMaxPrecision(text: String, places: Int) throws {
        let value = try #require(SeedValueParsers.number(text))
        #expect(value.decimalPlaces == places)
    }

    @Test(arguments: ["abc", "1.2.3", "1e", "--", "_", "1 000", "1 _0", "0x10", "1e3.5"])
    func notNumbers(text: String) {
        #expect(SeedValueParsers.number(text) == nil)
    }

    @Test func numberValues() {
        #expect(SeedValueParsers.number("--5")?.int64 == 5)  // the first '-' is agate's, "-5" is Decimal's
        #expect(SeedValueParsers.number("50%")?.int64 == 50)
        #expect(SeedValueParsers.number("€-3")?.int64 == -3)
        #expect(SeedValueParsers.number("_1")?.int64 == 1)  // CPython's Decimal drops underscores
        #expect(SeedValueParsers.number("1__0")?.int64 == 10)
        #expect(SeedValueParsers.number("In_f")?.isInfinite == true)
        #expect(SeedValueParsers.number("9223372036854775808") != nil)
        #expect(SeedValueParsers.number(" +7 ")?.int64 == 7)
        #expect(SeedValueParsers.number("1.5e1")?.int64 == 15)
        #expect(SeedValueParsers.number("9223372036854775807")?.int64 == Int64.max)
        #expect(SeedValueParsers.number("9223372036854775808")?.int64 == nil)
        #expect(SeedValueParsers.number("2.50")?.double == 2.5)
    }

    @Test func booleansAreOnlyTrueAndFalse() {
        #expect(SeedValueParsers.boolean(" TRUE ") == true)
        #expect(SeedValueParsers.boolean("False") == false)
        #expect(SeedValueParsers.boolean("tr,ue") == true)  // agate removes commas first
        for word in ["yes", "no", "1", "0", "t", "f", "y"] { #expect(SeedValueParsers.boolean(word) == nil) }
    }

    @Test func datesAsStrptime() {
        #expect(SeedValueParsers.date("2024-1-5") == "2024-01-05")
        #expect(SeedValueParsers.date("2024-01- 5") == "2024-01-05")
        #expect(SeedValueParsers.date("2024-02-29") == "2024-02-29")
        #expect(SeedValueParsers.date("2023-02-29") == nil)
        #expect(SeedValueParsers.date("2024-13-01") == nil)
        #expect(SeedValueParsers.date("24-01-01") == nil)
        #expect(SeedValueParsers.date("2024/01/01") == nil)
        #expect(SeedValueParsers.date("2024-01-01 00:00:00") == nil)
    }

    @Test func dateTimesAsStrptime() {
        #expect(SeedValueParsers.dateTime("2024-01-31 8:5:3") == "2024-01-31 08:05:03")
        #expect(SeedValueParsers.dateTime("2024-01-31   08:05:03") == "2024-01-31 08:05:03")
        #expect(SeedValueParsers.dateTime("2024-01-31 24:00:00") == nil)
        #expect(SeedValueParsers.dateTime("2024-01-31 08:05:60") == nil)
        #expect(SeedValueParsers.dateTime("2024-01-31T08:05:03") == nil)
    }

    @Test func isoDateTimesAsIsodate() {
        #expect(SeedValueParsers.isoDateTime("2024-01-31T08:15:00Z") == "2024-01-31 08:15:00")
        #expect(SeedValueParsers.isoDateTime("2024-01-01T01:30:00+02:00") == "2023-12-31 23:30:00")
        #expect(SeedValueParsers.isoDateTime("2024-12-31T23:00:00-0130") == "2025-01-01 00:30:00")
        #expect(SeedValueParsers.isoDateTime("20240131T081500") == "2024-01-31 08:15:00")
        #expect(SeedValueParsers.isoDateTime("2024-01-31T08") == "2024-01-31 08:00:00")
        #expect(SeedValueParsers.isoDateTime("2024-01-31T08:15:00.1234567") == "2024-01-31 08:15:00.123456")
        #expect(SeedValueParsers.isoDateTime("2024-060T00:00") == "2024-02-29 00:00:00")
        #expect(SeedValueParsers.isoDateTime("2024-01-31 08:15:00") == nil)
        #expect(SeedValueParsers.isoDateTime("2024-01-31t08:15:00") == nil)
        #expect(SeedValueParsers.isoDateTime("2024-01-31T25:00") == nil)
    }
}

@Suite struct SeedValueParserLimitTests {
    @Test func hugeNumbersAreQuickAndNeverTrap() throws {
        let long = "1" + String(repeating: "0", count: 200_000)
        let value = try #require(SeedValueParsers.number(long))
        #expect(value.decimalPlaces == 0)
        #expect(value.int64 == nil)
        #expect(SeedValueParsers.number("1500e-2")?.int64 == 15)
        #expect(SeedValueParsers.number("0.000")?.int64 == 0)
        #expect(SeedValueParsers.number("1e999999999999")?.double == .infinity)
        #expect(SeedValueParsers.number("-100")?.int64 == -100)
    }
}
