import ArgumentParser
import Demo
import Foundation
import Run
import Warehouse

/// `opsflow demo`: generates the OpsFlow Analytics raw extracts, loads them into the example's
/// embedded warehouse, builds every model and test, and prints the 7-day forecast.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate demo data, build OpsFlow Analytics and print the 7-day volume forecast.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Days of history to generate (at least 90 for the forecast's business rule).")
    var days: Int = 90

    @Option(name: .customLong("orders-per-day"), help: "Average orders per day.")
    var ordersPerDay: Int = 5_000

    @Option(name: .customLong("end-date"), help: "The last day of data, YYYY-MM-DD (default: yesterday, UTC).")
    var endDate: String?

    @Option(help: "The random seed; the same options give the same data.")
    var seed: UInt64 = 42

    func validate() throws {
        guard days >= 1 else { throw ValidationError("--days must be at least 1.") }
        guard ordersPerDay >= 1 else { throw ValidationError("--orders-per-day must be at least 1.") }
        if let endDate, Self.parseDate(endDate) == nil {
            throw ValidationError("--end-date must be a date like 2026-11-29, not '\(endDate)'.")
        }
    }

    static func parseDate(_ text: String) -> DemoDate? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return try? DemoDate(year: parts[0], month: parts[1], day: parts[2])
    }

    func run() throws {
        var options = common.invocationOptions()
        if options.projectDir == nil {
            let example = "examples/opsflow_analytics"
            guard FileManager.default.fileExists(atPath: example + "/dbt_project.yml") else {
                throw ValidationError("run `opsflow demo` from the repository root, or pass --project-dir examples/opsflow_analytics")
            }
            options.projectDir = example
        }
        let generator = try DemoGenerator(options: DemoOptions(
            days: days, ordersPerDay: ordersPerDay, endDate: endDate.flatMap(Self.parseDate) ?? DemoDate.yesterdayUTC(), seed: seed))
        say("Generating \(days) days × ~\(ordersPerDay) orders a day of demo data (seed \(seed)) …")
        let orders = SourceTableLoad(
            sourceName: "raw_source", tableName: "im_global_collect_rate",
            columns: OrderRow.orderColumns.map { Column(name: $0.name, dataType: $0.type) }
        ) { emit in
            var batch: [[Cell]] = []
            batch.reserveCapacity(20_000)
            try generator.generateOrders { row in
                batch.append(row.fields.map { $0.map(Cell.text) ?? .null })
                if batch.count == 20_000 { try emit(batch); batch.removeAll(keepingCapacity: true) }
            }
            if !batch.isEmpty { try emit(batch) }
        }
        let scans = SourceTableLoad(
            sourceName: "raw_source", tableName: "im_arrival_scan",
            columns: ScanRow.scanColumns.map { Column(name: $0.name, dataType: $0.type) }
        ) { emit in
            var batch: [[Cell]] = []
            batch.reserveCapacity(20_000)
            try generator.generateScans { row in
                batch.append(row.fields.map { $0.map(Cell.text) ?? .null })
                if batch.count == 20_000 { try emit(batch); batch.removeAll(keepingCapacity: true) }
            }
            if !batch.isEmpty { try emit(batch) }
        }
        let loadCode = Invocation(options: options, adapters: AdapterRegistry.standard).replaceSourceTables([orders, scans])
        if loadCode != 0 { throw ExitCode(loadCode) }
        let buildStarted = Date()
        let buildCode = Invocation(options: options, adapters: AdapterRegistry.standard).run(.build)
        recordInvocation(.build, options, startedAt: buildStarted, exitCode: buildCode)
        var show = options
        show.inline = forecastQuery
        show.limit = -1
        show.quiet = true
        say("\nThe volume forecast for the next 7 days (orders by shift, all clients):")
        let showCode = Invocation(options: show, adapters: AdapterRegistry.standard).run(.show)
        if buildCode != 0 { throw ExitCode(buildCode) }
        if showCode != 0 { throw ExitCode(showCode) }
    }

    /// Prints at once, in order with the log lines (which go straight to the file handle).
    func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// The forecast mart summarised per day and shift, for the console.
    let forecastQuery = """
        select
            forecast_date,
            max(weekday_name) as weekday,
            cast(round(sum(case when shift = 'T1' then forecast_orders else 0 end)) as integer) as t1_orders,
            cast(round(sum(case when shift = 'T2' then forecast_orders else 0 end)) as integer) as t2_orders,
            cast(round(sum(case when shift = 'T3' then forecast_orders else 0 end)) as integer) as t3_orders,
            cast(round(sum(forecast_orders)) as integer) as total_orders
        from {{ ref('mart_volume_forecast') }}
        group by forecast_date
        order by forecast_date
        """
}
