import Foundation
@testable import Ops
import Testing
import Warehouse

/// The inbox sensor with an injected instant and a real SQLite warehouse.
@Suite struct InboxSensorTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0) }

    func sensor(_ root: String) throws -> InboxSensor {
        let yaml = """
            sensors:
              raw_extracts:
                inbox: inbox
                files:
                  raw_source.im_global_collect_rate: "im_global_collect_rate_{YYYYMMDD}*.csv"
                  raw_source.im_arrival_scan: "im_arrival_scan_{YYYYMMDD}*.csv"
                deadline: "06:30"
                timezone: America/Sao_Paulo
            """
        let config = try #require(try OpsConfig.parse(yaml).sensors["raw_extracts"])
        return InboxSensor(name: "raw_extracts", config: config, root: root)
    }

    static let orders = SourceContract(sourceName: "raw_source", tableName: "im_global_collect_rate",
                                       relation: Relation(schema: "raw", identifier: "im_global_collect_rate", kind: .table),
                                       fields: [.init(name: "waybillNo", declaredType: "STRING", required: true),
                                                .init(name: "createDate", declaredType: "TIMESTAMP")])
    static let scans = SourceContract(sourceName: "raw_source", tableName: "im_arrival_scan",
                                      relation: Relation(schema: "raw", identifier: "im_arrival_scan", kind: .table),
                                      fields: [.init(name: "waybillNo", declaredType: "STRING", required: true),
                                               .init(name: "scanDate", declaredType: "TIMESTAMP")])

    @Test func waitsLoadsArchivesBuildsAndAlertsOnceWhenLate() throws {
        let f = try LoadFixture()
        let sensor = try sensor(f.dir.path)
        let contract: (String) throws -> SourceContract = { $0.hasSuffix("im_arrival_scan") ? Self.scans : Self.orders }
        var builds: [[String]] = []
        var alerts: [BuildAlert] = []
        let dispatcherState = f.state
        let sink = RecordingSink()
        let dispatcher = AlertDispatcher(sinks: [sink], state: dispatcherState)
        // 2026-11-30 08:00 UTC is 05:00 in São Paulo: the day is 20261130, before the 06:30 deadline.
        let early = Self.utc("2026-11-30T08:00:00Z")
        try f.dir.write("inbox/im_global_collect_rate_20261130.csv", "waybillNo,createDate\nW1,2026-11-30 01:00:00\nW2,2026-11-30 02:00:00\n")
        try f.dir.write("inbox/im_arrival_scan_20261129.csv", "waybillNo,scanDate\nOLD,2026-11-29 01:00:00\n")   // yesterday's: not today's
        let first = try sensor.poke(now: early, contract: contract, loader: f.loader, build: { builds.append($0); return 0 },
                                    alert: { alerts.append($0); dispatcher.dispatch($0) })
        #expect(first == .waiting(missing: ["raw_source.im_arrival_scan"]))
        // 06:40 local: late. Two pokes, one alert delivered.
        let late = Self.utc("2026-11-30T09:40:00Z")
        for _ in 0..<2 {
            #expect(try sensor.poke(now: late, contract: contract, loader: f.loader, build: { builds.append($0); return 0 },
                                    alert: { alerts.append($0); dispatcher.dispatch($0) }) == .late(missing: ["raw_source.im_arrival_scan"]))
        }
        #expect(sink.delivered.map(\.runId) == ["sensor:raw_extracts:20261130"])
        #expect(sink.delivered.first?.text.contains("source.raw_source.im_arrival_scan") == true)
        try f.dir.write("inbox/im_arrival_scan_20261130_part1.csv", "waybillNo,scanDate\nW1,2026-11-30 03:00:00\n")
        let outcome = try sensor.poke(now: late, contract: contract, loader: f.loader, build: { builds.append($0); return 0 },
                                      alert: { alerts.append($0) })
        guard case .triggered(let loaded, let code) = outcome else { Issue.record("not triggered: \(outcome)"); return }
        #expect(code == 0)
        #expect(loaded.map(\.loadedRows) == [1, 2])
        #expect(builds == [["source:raw_source+"]])
        let inbox = try FileManager.default.contentsOfDirectory(atPath: f.dir.url.appendingPathComponent("inbox").path).sorted()
        #expect(inbox == ["archive", "im_arrival_scan_20261129.csv"])
        let archived = try FileManager.default.contentsOfDirectory(atPath: f.dir.url.appendingPathComponent("inbox/archive/20261130").path).sorted()
        #expect(archived == ["im_arrival_scan_20261130_part1.csv", "im_global_collect_rate_20261130.csv"])
        #expect(try f.count("\"raw.im_global_collect_rate\"") == 2)
    }

    final class RecordingSink: AlertSink, @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [BuildAlert] = []
        var channel: String { "test" }
        func deliver(_ alert: BuildAlert) throws { lock.lock(); sent.append(alert); lock.unlock() }
        var delivered: [BuildAlert] { lock.lock(); defer { lock.unlock() }; return sent }
    }
}
