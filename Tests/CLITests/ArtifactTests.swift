import Foundation
import Testing

/// target/manifest.json and target/run_results.json as downstream tools read them (dbt's own
/// artifact parser from PyPI, `dbt-artifacts-parser`), plus target/compiled and target/run.
@Suite struct ArtifactTests {
    @Test func artifactsParseWithDbtArtifactsParser() throws {
        let project = try FixtureProject()
        let build = try project.opsflow("build")
        #expect(build.exitCode == 1)
        let report = try Python.run("""
            import json, sys
            from dbt_artifacts_parser.parser import parse_manifest, parse_run_results
            root = sys.argv[1]
            manifest = parse_manifest(json.load(open(root + '/target/manifest.json')))
            results = parse_run_results(json.load(open(root + '/target/run_results.json')))
            print(type(manifest).__name__)
            print(type(results).__name__)
            for r in sorted(results.results, key=lambda r: r.unique_id):
                status = r.status.value if hasattr(r.status, 'value') else r.status
                print(r.unique_id.split('.')[0] + '.' + r.unique_id.split('.')[2], status)
            print(sorted(manifest.nodes['model.shop.customer_totals'].depends_on.nodes))
            """, args: [project.path])
        let lines = report.split(separator: "\n").map(String.init)
        #expect(lines.first == "ManifestV12")
        #expect(lines.dropFirst().first == "RunResultsV6")
        // dbt-core 1.12 on the same project, hooks included.
        #expect(Array(lines.dropFirst(2).prefix(19)) == [
            "model.after_dups skipped",
            "model.customer_totals success",
            "model.dup_ids success",
            "model.orders_inc success",
            "model.stg_customers success",
            "model.stg_orders success",
            "operation.shop-on-run-end-0 success",
            "operation.shop-on-run-start-0 success",
            "operation.shop-on-run-start-1 success",
            "seed.raw_customers success",
            "seed.raw_orders success",
            "test.accepted_values_stg_orders_status__shipped warn",
            "test.assert_no_negative_totals pass",
            "test.not_null_stg_customers_customer_code pass",
            "test.relationships_stg_orders_customer_code__customer_code__ref_stg_customers_ pass",
            "test.unique_customer_totals_customer_code pass",
            "test.unique_dup_ids_id fail",
            "test.unique_stg_customers_customer_code pass",
            "test.unique_stg_orders_order_id pass",
        ])
        // The ephemeral parent is a dependency in the manifest even though it never runs.
        #expect(lines.last == "['model.shop.shipped_orders', 'model.shop.stg_customers']")
    }

    @Test func compiledSQLInlinesTheEphemeralModelAsDbtDoes() throws {
        let project = try FixtureProject()
        #expect(try project.opsflow("build", "-s", "+customer_totals").exitCode == 0)
        // dbt-core 1.12's target/compiled file for this model, byte for byte, with dbt-duckdb's
        // `"shop"."dev"."x"` relations written as SQLite's `"dev.x"`.
        #expect(try project.read("target/compiled/shop/models/marts/customer_totals.sql") == """

            with __dbt__cte__shipped_orders as (

            select order_id, customer_code, amount
            from "dev.stg_orders"
            where status = 'shipped'
            ) select c.customer_code, c.name, count(o.order_id) as shipped_count, coalesce(sum(o.amount), 0) as shipped_amount
            from "dev.stg_customers" as c
            left join __dbt__cte__shipped_orders as o on o.customer_code = c.customer_code
            group by c.customer_code, c.name
            """)
        // target/run holds what was executed: the hooks and the table build around the same query.
        let executed = try project.read("target/run/shop/models/marts/customer_totals.sql")
        #expect(executed.contains("insert into hook_log values ('pre customer_totals')"))
        #expect(executed.contains("with __dbt__cte__shipped_orders as ("))
        #expect(executed.contains("insert into hook_log values ('post customer_totals')"))
        // Ephemeral models are never written as runnable files.
        #expect(!project.exists("target/run/shop/models/staging/shipped_orders.sql"))
        // Generic tests compile under the property file's folder, as in dbt.
        #expect(project.exists("target/compiled/shop/models/schema.yml/unique_stg_customers_customer_code.sql"))
    }

    @Test func runResultsCarryTimingAndAdapterResponse() throws {
        let project = try FixtureProject()
        #expect(try project.opsflow("seed").exitCode == 0)
        let object = try JSONSerialization.jsonObject(with: Data(project.read("target/run_results.json").utf8)) as? [String: Any]
        let metadata = object?["metadata"] as? [String: Any]
        #expect(metadata?["dbt_schema_version"] as? String == "https://schemas.getdbt.com/dbt/run-results/v6.json")
        let results = object?["results"] as? [[String: Any]] ?? []
        let orders = try #require(results.first { $0["unique_id"] as? String == "seed.shop.raw_orders" })
        #expect((orders["thread_id"] as? String)?.hasPrefix("Thread-") == true)
        let response = orders["adapter_response"] as? [String: Any]
        #expect(response?["rows_affected"] as? Int == 4)
        #expect((orders["timing"] as? [[String: Any]])?.map { $0["name"] as? String } == ["compile", "execute"])
        let args = object?["args"] as? [String: Any]
        #expect(args?["which"] as? String == "seed")
    }
}
