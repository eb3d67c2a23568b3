import Foundation
import Testing
import Warehouse
@testable import Web

@Suite struct DashboardSpecTests {
    @Test func parsesCardsFiltersAndKinds() throws {
        let spec = try DashboardSpec.parse(yaml: """
        dashboard:
          name: ops
          title: Ops
          filters: [{name: client_type, label: Client}]
          cards:
            - {title: A, chart: number, value: n, sql: "select 1 as n"}
            - {title: B, chart: stacked_bar, model: m, x: d, y: [a, b]}
        """, path: "ops.yml")
        #expect(spec.cards.map(\.chart) == [.number, .stackedBar])
        #expect(spec.cards[1].y == ["a", "b"])
        #expect(spec.filters.map(\.column) == ["client_type"])
    }

    @Test func invalidDashboardsNameTheProblem() {
        let cases: [(String, String)] = [
            ("dashboard: {name: x, cards: [{title: A, chart: pie, sql: 'select 1'}]}", "`chart` must be one of"),
            ("dashboard: {name: x, cards: [{title: A, chart: table, sql: 'select 1', model: m}]}", "exactly one of `sql` and `model`"),
            ("dashboard: {name: x, cards: [{title: A, chart: line, sql: 'select 1'}]}", "needs `x` and `y`"),
            ("dashboard: {name: 'x y'}", "`name` must be"),
            ("cards: []", "top-level `dashboard:`"),
        ]
        for (yaml, message) in cases {
            do {
                _ = try DashboardSpec.parse(yaml: yaml, path: "d.yml")
                Issue.record("no error for \(yaml)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func niceTicksCoverTheRangeWithRoundSteps() {
        #expect(SVGCharts.niceTicks(0, 1109) == [0, 250, 500, 750, 1000, 1250])
        #expect(SVGCharts.niceTicks(0, 1).count == 6)
        #expect(SVGCharts.groupThousands(1234567) == "1,234,567")
    }
}

/// The OpsFlow Executive dashboard on the built example; Python's sqlite3 is the oracle.
@Suite struct ExecutiveDashboardTests {
    static func spec(_ example: Example) throws -> DashboardSpec {
        let specs = try DashboardSpec.loadAll(projectDir: example.projectDir.path)
        return try #require(specs.first { $0.name == "opsflow_executive" })
    }

    static func runner(_ example: Example) throws -> DashboardRunner {
        DashboardRunner(catalog: try Catalog.load(manifestPath: example.targetDir + "/manifest.json"),
                        warehouse: try SQLiteReadOnlyWarehouse(path: example.warehousePath))
    }

    @Test func everyCardRunsAndYesterdayMatchesTheSource() throws {
        let example = try Example.get()
        let cards = try Self.runner(example).run(try Self.spec(example), filters: [:])
        #expect(cards.count == 7)
        for card in cards { #expect(card.error == nil, "\(card.card.title): \(card.error ?? "")") }
        let yesterday = try #require(cards.first { $0.card.title == "Yesterday's volume" }?.result)
        let oracle = try pythonQuery(example.warehousePath,
            "select count(*) from \"raw.im_global_collect_rate\" where date(createDate) = '2026-11-29' and upper(trim(clientName)) <> 'TEST'")
        #expect(yesterday.rows.first?[0] == .integer(Int64(oracle.first?.first as? Int ?? -1)))
        #expect(yesterday.rows.first?[1] == yesterday.rows.first?[0])
        #expect(yesterday.rows.first?[2] == .text("2026-11-29"))
    }

    @Test func theClientTypeFilterChangesEveryCardToThatClientsNumbers() throws {
        let example = try Example.get()
        let runner = try Self.runner(example)
        let spec = try Self.spec(example)
        let all = runner.run(spec, filters: [:])
        let clientB = runner.run(spec, filters: ["client_type": "Client_B"])
        for (a, b) in zip(all, clientB) {
            #expect(a.result?.rows != b.result?.rows, "\(a.card.title) did not change")
        }
        // The forecast table for Client_B is exactly the mart's Client_B rows.
        let table = try #require(clientB.first { $0.card.chart == .table }?.result)
        let oracle = try pythonQuery(example.warehousePath,
            "select round(sum(forecast_orders), 0) from \"dev_marts.mart_volume_forecast\" where client_type = ?1".replacingOccurrences(of: "?1", with: ":c"),
            ["c": "Client_B"])
        #expect(table.rows.count == 1)
        #expect(table.rows.first?.last?.number == (oracle.first?.first as? Double))
        // The choices come from the data.
        #expect(runner.filterChoices(spec)["client_type"] == ["Client_A", "Client_B", "Client_C", "Regional_Sales"])
    }

    @Test func injectionAttemptsReturnNothingNeverOtherData() throws {
        let example = try Example.get()
        let runner = try Self.runner(example)
        let spec = try Self.spec(example)
        for attack in ["Client_B' OR '1'='1", "' UNION SELECT waybill_no, 1, 1 FROM \"dev_staging.stg_orders\" --",
                       "Client_A') OR (1=1", "Client_B\"; DROP TABLE \"dev_marts.mart_cdc_ratios\"; --"] {
            for card in runner.run(spec, filters: ["client_type": attack]) {
                #expect(card.error == nil)
                let rows = card.result?.rows ?? []
                if card.card.chart == .number {
                    // Counts of nothing: 0 orders in the mart and in the source.
                    #expect(rows.first?[0] == .integer(0) && rows.first?[1] == .integer(0), "\(attack)")
                } else {
                    #expect(rows.isEmpty, "\(card.card.title) returned rows for \(attack)")
                }
            }
        }
        let tables = try pythonQuery(example.warehousePath, "select count(*) from sqlite_master where name = 'dev_marts.mart_cdc_ratios'")
        #expect(tables.first?.first as? Int == 1)
        #expect(throws: WebError.self) {
            try DashboardRunner.filterValues(spec, query: ["client_type": String(repeating: "x", count: 201)])
        }
        // Undeclared parameters are ignored, not bound.
        #expect(try DashboardRunner.filterValues(spec, query: ["client_type": "Client_A", "other": "1"]) == ["client_type": "Client_A"])
    }
}

/// A card that names a model instead of SQL: summed by x (and series), filtered by every filter
/// whose column the model documents.
@Suite struct ModelCardTests {
    @Test func modelCardsAggregateAndFilterLikeTheEquivalentSQL() throws {
        let example = try Example.get()
        let spec = try DashboardSpec.parse(yaml: """
        dashboard:
          name: m
          filters: [{name: client_type}, {name: hub, column: scan_station}]
          cards:
            - {title: By day, chart: bar, model: mart_volume_forecast, x: forecast_date, y: forecast_orders, series: shift}
            - {title: Rows, chart: table, model: mart_cdc_ratios}
            - {title: Missing, chart: table, model: no_such_model}
        """, path: "m.yml")
        let runner = DashboardRunner(catalog: try Catalog.load(manifestPath: example.targetDir + "/manifest.json"),
                                     warehouse: try SQLiteReadOnlyWarehouse(path: example.warehousePath))
        let cards = runner.run(spec, filters: ["client_type": "Client_A", "hub": "ignored: no such column"])
        let oracle = try pythonQuery(example.warehousePath, """
            select forecast_date, shift, sum(forecast_orders) from "dev_marts.mart_volume_forecast"
            where client_type = :c group by forecast_date, shift order by forecast_date, shift
            """, ["c": "Client_A"])
        let rows = try #require(cards[0].result?.rows)
        #expect(rows.count == oracle.count)
        for (ours, theirs) in zip(rows, oracle) {
            #expect(ours[0] == .text(theirs[0] as? String ?? ""))
            #expect(ours[1] == .text(theirs[1] as? String ?? ""))
            #expect(abs((ours[2].number ?? 0) - (theirs[2] as? Double ?? -1)) < 1e-9)
        }
        let cdc = try pythonQuery(example.warehousePath, "select count(*) from \"dev_marts.mart_cdc_ratios\" where client_type = 'Client_A'")
        #expect(cards[1].result?.rows.count == cdc.first?.first as? Int)
        #expect(cards[2].error?.contains("no model 'no_such_model'") == true)
    }
}
