import Demo
import Foundation
import Testing

/// The generator's contract, checked against Foundation's calendar (the oracle for dates and
/// weekdays) rather than against the generator's own arithmetic.
@Suite struct DemoGeneratorTests {
    static let end = try? DemoDate(year: 2026, month: 11, day: 29)

    static func options(days: Int = 35, perDay: Int = 400, seed: UInt64 = 42) throws -> DemoOptions {
        let end = try #require(end)
        return DemoOptions(days: days, ordersPerDay: perDay, endDate: end, seed: seed)
    }

    static func collect(_ options: DemoOptions) throws -> (orders: [OrderRow], scans: [ScanRow]) {
        var orders: [OrderRow] = []
        var scans: [ScanRow] = []
        try DemoGenerator(options: options).generate(orders: { orders.append($0) }, scans: { scans.append($0) })
        return (orders, scans)
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()

    static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter
    }()

    static func parse(_ text: String) throws -> Date {
        try #require(formatter.date(from: text), "not a timestamp: \(text)")
    }

    @Test func sameOptionsGiveByteIdenticalFilesAndAnotherSeedDoesNot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try DemoGenerator(options: Self.options(days: 10, perDay: 300))
            .writeCSV(to: root.appendingPathComponent("a"))
        let second = try DemoGenerator(options: Self.options(days: 10, perDay: 300))
            .writeCSV(to: root.appendingPathComponent("b"))
        let other = try DemoGenerator(options: Self.options(days: 10, perDay: 300, seed: 7))
            .writeCSV(to: root.appendingPathComponent("c"))
        #expect(first.map(\.lastPathComponent) == ["im_global_collect_rate_20261129.csv", "im_arrival_scan_20261129.csv"])
        for index in 0..<2 {
            #expect(try Data(contentsOf: first[index]) == Data(contentsOf: second[index]))
            #expect(try Data(contentsOf: first[index]) != Data(contentsOf: other[index]))
        }
    }

    @Test func csvHasHeaderQuotingAndNullsAsEmptyFields() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let options = try Self.options(days: 20, perDay: 500)
        let urls = try DemoGenerator(options: options).writeCSV(to: root)
        let (orders, scans) = try Self.collect(options)
        let orderText = try String(contentsOf: urls[0], encoding: .utf8)
        let orderLines = orderText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(orderLines.first == "waybillNo,createDate,pickupTime,clientName,businessType")
        #expect(orderLines.count == orders.count + 2)  // header + rows + the empty string after the last \n
        let scanText = try String(contentsOf: urls[1], encoding: .utf8)
        #expect(scanText.hasPrefix("waybillNo,scanDate,scanStation,clientName\n"))
        #expect(scanText.split(separator: "\n").count == scans.count + 1)
        // RFC 4180 quoting for the seller whose name holds a comma; an unpicked order has an empty field.
        #expect(orderText.contains(",\"Silva, Costa & Filhos\","))
        let unpicked = try #require(orders.first { $0.pickupTime == nil })
        #expect(orderText.contains("\(unpicked.waybillNo),\(unpicked.createDate),,"))
    }

    @Test func windowCountsAndUniqueWaybills() throws {
        let options = try Self.options()
        let (orders, scans) = try Self.collect(options)
        // Mean daily factor is 1 and the trend averages 1: the total is near days × perDay
        // (promotions add a little).
        #expect(Double(orders.count) > 0.95 * 35 * 400)
        #expect(Double(orders.count) < 1.15 * 35 * 400)
        #expect(Set(orders.map(\.waybillNo)).count == orders.count)
        let days = Set(orders.map { String($0.createDate.prefix(10)) })
        let end = try #require(Self.utc.date(from: DateComponents(year: 2026, month: 11, day: 29)))
        let start = try #require(Self.utc.date(byAdding: .day, value: -34, to: end))
        #expect(days.count == 35)
        #expect(days.min() == "2026-10-26")
        #expect(try Self.utc.startOfDay(for: Self.parse(orders[0].createDate)) == start)
        #expect(days.max() == "2026-11-29")
        // (waybill, station) is unique, and every scan belongs to a generated, picked-up order.
        #expect(Set(scans.map { $0.waybillNo + "|" + $0.scanStation }).count == scans.count)
        let picked = Dictionary(uniqueKeysWithValues: orders.compactMap { o in o.pickupTime.map { (o.waybillNo, $0) } })
        #expect(scans.allSatisfy { picked[$0.waybillNo] != nil })
    }

    @Test func timestampsAreUTCAndOrdered() throws {
        let (orders, scans) = try Self.collect(Self.options(days: 15, perDay: 300))
        let limit = try #require(Self.formatter.date(from: "2026-11-30 00:00:00"))
        var pickups: [String: Date] = [:]
        for order in orders {
            let created = try Self.parse(order.createDate)
            #expect(Self.formatter.string(from: created) == order.createDate)
            if let text = order.pickupTime {
                let pickup = try Self.parse(text)
                #expect(pickup > created)
                #expect(pickup < limit)
                pickups[order.waybillNo] = pickup
            }
        }
        for scan in scans {
            let scanned = try Self.parse(scan.scanDate)
            #expect(scanned > (pickups[scan.waybillNo] ?? limit))
            #expect(scanned < limit)
        }
    }

    @Test func mondaysAreHeavierThanSundays() throws {
        let (orders, _) = try Self.collect(Self.options(days: 63, perDay: 300))
        var perDay: [String: Int] = [:]
        for order in orders { perDay[String(order.createDate.prefix(10)), default: 0] += 1 }
        var byWeekday: [Int: [Int]] = [:]
        for (day, count) in perDay {
            let date = try Self.parse(day + " 12:00:00")
            byWeekday[Self.utc.component(.weekday, from: date), default: []].append(count)  // 1 = Sunday
        }
        func mean(_ values: [Int]?) -> Double {
            guard let values, !values.isEmpty else { return 0 }
            return Double(values.reduce(0, +)) / Double(values.count)
        }
        #expect(byWeekday[1]?.count == 9)
        #expect(mean(byWeekday[2]) > 1.8 * mean(byWeekday[1]))
    }

    @Test func dataHasTheTrapsTheModelsMustHandle() throws {
        let (orders, scans) = try Self.collect(Self.options())
        #expect(orders.contains { $0.clientName == "TEST" })
        #expect(scans.contains { $0.clientName == "TEST" })
        for name in ["Client_A D2D", "Client_A W2D", "Client_A FM", "Client_A CROSS BORDER", "Client_B", "Client_C"] {
            #expect(orders.contains { $0.clientName == name }, "missing \(name)")
        }
        let regional = Set(orders.map(\.clientName)).subtracting(["Client_A D2D", "Client_A W2D", "Client_A FM",
                                                                   "Client_A CROSS BORDER", "Client_B", "Client_C", "TEST"])
        #expect(regional.count > 40)
        #expect(Set(orders.map(\.businessType)) == ["D2D", "W2D", "FM", "CROSS BORDER"])
        // Unpicked orders exist, and are mostly the recent ones.
        let unpicked = orders.filter { $0.pickupTime == nil }
        #expect(!unpicked.isEmpty)
        let recent = orders.filter { $0.createDate >= "2026-11-27" }
        let old = orders.filter { $0.createDate < "2026-11-10" }
        let share = { (rows: [OrderRow]) in Double(rows.filter { $0.pickupTime == nil }.count) / Double(rows.count) }
        #expect(share(recent) > 3 * share(old))
        // Pickups 0 to 5+ calendar days after creation, over the three shifts.
        var lags = Set<Int>()
        var shifts = Set<String>()
        for order in orders {
            guard let text = order.pickupTime else { continue }
            let created = Self.utc.startOfDay(for: try Self.parse(order.createDate))
            let picked = try Self.parse(text)
            lags.insert(min(5, Self.utc.dateComponents([.day], from: created, to: Self.utc.startOfDay(for: picked)).day ?? -1))
            let hour = Self.utc.component(.hour, from: picked)
            shifts.insert((6...13).contains(hour) ? "T1" : (14...21).contains(hour) ? "T2" : "T3")
        }
        #expect(lags == [0, 1, 2, 3, 4, 5])
        #expect(shifts == ["T1", "T2", "T3"])
        let stations = Set(scans.map(\.scanStation))
        #expect(stations.contains("CDC-SP"))
        #expect(stations.count >= 3)
    }

    @Test func columnsMatchTheSourceDefinition() throws {
        // The source's columns as DESIGN.md lists them (and models/sources.yml declares them).
        #expect(DemoGenerator.orderColumns.map { "\($0.name):\($0.type)" } ==
                ["waybillNo:STRING", "createDate:TIMESTAMP", "pickupTime:TIMESTAMP", "clientName:STRING", "businessType:STRING"])
        #expect(DemoGenerator.scanColumns.map { "\($0.name):\($0.type)" } ==
                ["waybillNo:STRING", "scanDate:TIMESTAMP", "scanStation:STRING", "clientName:STRING"])
    }

    @Test func invalidOptionsAreErrorsNotTraps() throws {
        #expect(throws: DemoError.self) { try DemoDate(year: 2026, month: 2, day: 29) }
        #expect(throws: DemoError.self) { try DemoDate(year: 2026, month: 13, day: 1) }
        #expect(try DemoDate(year: 2024, month: 2, day: 29).description == "2024-02-29")
        #expect(throws: DemoError.self) { try DemoGenerator(options: Self.options(days: 0)) }
        #expect(throws: DemoError.self) { try DemoGenerator(options: Self.options(perDay: -5)) }
    }

    @Test func yesterdayIsTheUTCDayBeforeNow() throws {
        let now = try Self.parse("2026-03-01 00:30:00")
        #expect(DemoDate.yesterdayUTC(now: now).description == "2026-02-28")
        #expect(DemoDate(try Self.parse("2026-11-29 23:59:59")).compact == "20261129")
    }
}
