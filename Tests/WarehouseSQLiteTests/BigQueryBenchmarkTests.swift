import Foundation
import SQL
import Testing
import Warehouse
import WarehouseSQLite

/// Opt-in benchmarks (bench/sql_bench.sh runs them in a release build):
/// - `OPSFLOW_SQL_BENCH_MODELS=N`: translation time per model for N generated model-sized queries.
/// - `OPSFLOW_SQL_BENCH_ROWS=N`: a typical translated model over an N-row table on SQLite.
@Suite("BigQuery SQL benchmarks (opt-in)")
struct BigQueryBenchmarkTests {
    /// A model in the style of the synthetic project: CTEs over refs, a join, window functions,
    /// BigQuery date functions, SAFE_DIVIDE and QUALIFY (about 40 lines).
    static func model(_ index: Int) -> String {
        let upstream = "dev_staging.stg_model_\(index % 97)"
        let other = "dev_staging.stg_model_\((index * 7) % 89)"
        return """
            WITH source AS (
                SELECT * FROM `\(upstream)`
            ),
            enriched AS (
                SELECT
                    s.waybill_no,
                    s.client_name,
                    DATE(s.create_date) AS create_day,
                    EXTRACT(DAYOFWEEK FROM s.create_date) AS weekday_\(index),
                    FORMAT_DATE('%a', DATE(s.create_date)) AS weekday_name,
                    DATE_DIFF(DATE(s.pickup_time), DATE(s.create_date), DAY) AS days_to_pickup,
                    IF(s.pickup_time IS NULL, 0, 1) AS picked,
                    COALESCE(o.region, 'unknown') AS region
                FROM source AS s
                LEFT JOIN `\(other)` AS o ON o.client_name = s.client_name
                WHERE s.create_date >= '2025-01-01' AND s.client_name LIKE 'Client_%'
            ),
            daily AS (
                SELECT create_day, region, COUNT(*) AS orders, SUM(picked) AS picked,
                       COUNTIF(days_to_pickup > \(index % 5)) AS late
                FROM enriched
                GROUP BY 1, 2
            )
            SELECT
                create_day, region, orders, picked,
                SAFE_DIVIDE(late, orders) AS late_share,
                orders / SUM(orders) OVER (PARTITION BY create_day) AS region_share,
                AVG(orders) OVER (PARTITION BY region ORDER BY create_day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS orders_7d,
                DATE_TRUNC(create_day, WEEK(MONDAY)) AS week_start
            FROM daily
            QUALIFY ROW_NUMBER() OVER (PARTITION BY region, create_day ORDER BY orders DESC) = 1
            """
    }

    @Test("translation time per model")
    func translation() throws {
        guard let count = ProcessInfo.processInfo.environment["OPSFLOW_SQL_BENCH_MODELS"].flatMap(Int.init) else { return }
        let models = (0..<count).map(Self.model)
        var times: [Double] = []
        times.reserveCapacity(count)
        var bytes = 0
        let started = Date()
        for sql in models {
            let t0 = Date()
            let translation = try SQLTranslator.translate(sql)
            times.append(Date().timeIntervalSince(t0))
            bytes += translation.sql.utf8.count
        }
        let total = Date().timeIntervalSince(started)
        times.sort()
        let micros = { (q: Double) in Int(times[min(times.count - 1, Int(Double(times.count) * q))] * 1_000_000) }
        print("sql bench: \(count) models translated in \(String(format: "%.3f", total)) s; per model mean \(Int(total / Double(count) * 1_000_000)) µs, p50 \(micros(0.5)) µs, p99 \(micros(0.99)) µs, max \(micros(1.0)) µs; \(bytes / count) bytes of SQLite SQL per model")
    }

    @Test("a translated model over many rows")
    func execution() throws {
        guard let rows = ProcessInfo.processInfo.environment["OPSFLOW_SQL_BENCH_ROWS"].flatMap(Int.init) else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-bqbench-\(UUID().uuidString)")
        let w = try SQLiteAdapter(path: folder.appendingPathComponent("w.db").path, schema: "dev", dialect: "bigquery")
        let t0 = Date()
        // SQLite SQL (the native path) builds the input fast; timestamps as canonical text.
        try w.executeNative("""
            CREATE TABLE "dev.orders" (waybill_no TEXT, client_name TEXT, create_date TIMESTAMP TEXT, pickup_time TIMESTAMP TEXT);
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(rows - 1))
            INSERT INTO "dev.orders" SELECT 'W' || i, 'Client_' || char(65 + i % 5),
                strftime('%Y-%m-%d %H:%M:%S', 1735689600 + (i * 37) % 7776000, 'unixepoch'),
                CASE WHEN i % 7 = 0 THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', 1735689600 + (i * 37) % 7776000 + 86400 * (i % 4), 'unixepoch') END
            FROM n;
            """)
        let loaded = Date().timeIntervalSince(t0)
        let t1 = Date()
        _ = try w.replaceTable(Relation(database: nil, schema: "dev", identifier: "daily"), withSelect: """
            WITH enriched AS (
                SELECT client_name, DATE(create_date) AS day, FORMAT_DATE('%a', DATE(create_date)) AS weekday,
                       DATE_DIFF(DATE(pickup_time), DATE(create_date), DAY) AS days_to_pickup,
                       EXTRACT(DAYOFWEEK FROM create_date) AS dow
                FROM dev.orders WHERE create_date >= '2025-01-01'
            ),
            daily AS (
                SELECT day, client_name, weekday, COUNT(*) AS orders, COUNTIF(days_to_pickup > 1) AS late
                FROM enriched GROUP BY 1, 2, 3
            )
            SELECT *, SAFE_DIVIDE(late, orders) AS late_share, orders / SUM(orders) OVER (PARTITION BY day) AS share
            FROM daily
            QUALIFY ROW_NUMBER() OVER (PARTITION BY day ORDER BY orders DESC, client_name) <= 3
            """)
        let built = Date().timeIntervalSince(t1)
        let count = try w.query("SELECT COUNT(*) FROM dev.daily", limit: nil).rows.first?.first
        print("sql bench: \(rows) rows loaded in \(String(format: "%.2f", loaded)) s; translated model built in \(String(format: "%.2f", built)) s (\(count.map { "\($0)" } ?? "?") output rows)")
    }
}
