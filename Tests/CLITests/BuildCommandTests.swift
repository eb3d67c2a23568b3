import Foundation
import Testing

/// `seed`, `run`, `test`, `build`: console lines, counts, exit codes and the data left in the
/// warehouse. Counts and lines were recorded from dbt-core 1.12 (dbt-duckdb) on the same fixture.
@Suite struct BuildCommandTests {
    @Test func seedInfersTypesAndKeepsLeadingZeros() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("seed")
        #expect(result.exitCode == 0, "\(result.all)")
        #expect(result.has("OK loaded seed file dev.raw_orders"))
        #expect(result.has("[INSERT 4 in"))
        #expect(result.doneLine == "Done. PASS=5 WARN=0 ERROR=0 SKIP=0 NO-OP=0 REUSED=0 TOTAL=5")
        // raw_customers pins customer_code to text (column_types); raw_orders infers it. dbt's agate
        // inference would read 00123 as the number 123; OpsFlow keeps codes with leading zeros as
        // text (issue 3), so both tables join on the same '00123'.
        #expect(try project.query("select customer_code, typeof(customer_code) from \"dev.raw_orders\" order by order_id")
                == ["00123|text", "00123|text", "00456|text", "07890|text"])
        #expect(try project.query("select signup_date, is_active, credit from \"dev.raw_customers\" order by customer_code")
                == ["2024-01-05|1|10.5", "2024-02-10|0|3.0", "2024-03-15|1|0.0"])
        #expect(try project.query("select typeof(order_id), typeof(amount) from \"dev.raw_orders\" limit 1") == ["integer|integer"])
    }

    @Test func buildConsoleLinesCountsAndSkips() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("build")
        // A test failed: exit 1 (dbt: a node failed).
        #expect(result.exitCode == 1, "\(result.all)")
        let lines = result.lines
        // 16 nodes: 7 models minus the ephemeral one, 2 seeds, 8 tests (dbt prints "N of 16").
        #expect(lines.contains { $0.hasPrefix("1 of 16 START ") })
        #expect(!lines.contains { $0.contains(" of 17 ") })
        #expect(!lines.contains { $0.contains("shipped_orders") })  // ephemeral: inlined, never run
        let start = try #require(lines.first { $0.contains("START sql view model dev.stg_orders") })
        #expect(start.range(of: #"^\d+ of 16 START sql view model dev\.stg_orders \.+ \[RUN\]$"#, options: .regularExpression) != nil)
        #expect(lines.contains { $0.range(of: #"^\d+ of 16 OK created sql table model dev_marts\.customer_totals \.+ \[.+ in \d+\.\d\ds\]$"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.range(of: #"^\d+ of 16 OK loaded seed file dev\.raw_customers \.+ \[INSERT 3 in \d+\.\d\ds\]$"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.range(of: #"^\d+ of 16 FAIL 1 unique_dup_ids_id \.+ \[FAIL 1 in \d+\.\d\ds\]$"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.range(of: #"^\d+ of 16 WARN 1 accepted_values_stg_orders_status__shipped \.+ \[WARN 1 in"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.range(of: #"^\d+ of 16 PASS unique_stg_orders_order_id \.+ \[PASS in"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.range(of: #"^\d+ of 16 SKIP relation dev\.after_dups \.+ \[SKIP\]$"#, options: .regularExpression) != nil })
        // The independent branch carried on after the failure.
        #expect(try project.query("select customer_code, shipped_count, shipped_amount from \"dev_marts.customer_totals\" order by 1")
                == ["00123|2|30", "00456|0|0", "07890|1|7"])
        #expect(try project.query("select count(*) from sqlite_master where name = 'dev.after_dups'") == ["0"])
        #expect(result.has("Completed with 1 error, 0 partial successes, and 1 warning:"))
        // dbt 1.12 counts the 3 project hooks too.
        #expect(result.has("Finished running 1 incremental model, 3 project hooks, 2 seeds, 1 table model, 8 data tests, 4 view models in 0 hours"))
        #expect(result.doneLine == "Done. PASS=16 WARN=1 ERROR=1 SKIP=1 NO-OP=0 REUSED=0 TOTAL=19")
    }

    @Test func oneThreadRunsInDbtsOrder() throws {
        let result = try FixtureProject().opsflow("build", "--threads", "1")
        let starts = result.lines.filter { $0.contains(" START ") && !$0.contains("hook:") }.map {
            String($0.split(separator: " ", maxSplits: 4)[4])
                .replacingOccurrences(of: #" \.* ?\[RUN\]$"#, with: "", options: .regularExpression)
        }
        // dbt-core 1.12, `dbt build --threads 1` on the same project (8 is the skipped after_dups).
        #expect(starts == [
            "sql view model dev.dup_ids", "seed file dev.raw_customers", "seed file dev.raw_orders",
            "test unique_dup_ids_id", "sql view model dev.stg_customers", "sql incremental model dev_marts.orders_inc",
            "sql view model dev.stg_orders", "test not_null_stg_customers_customer_code",
            "test unique_stg_customers_customer_code", "test accepted_values_stg_orders_status__shipped",
            "test relationships_stg_orders_customer_code__customer_code__ref_stg_customers_",
            "test unique_stg_orders_order_id", "sql table model dev_marts.customer_totals",
            "test assert_no_negative_totals", "test unique_customer_totals_customer_code",
        ])
        #expect(result.has("8 of 16 SKIP relation dev.after_dups"))
    }

    @Test func testsRunRightAfterTheirModel() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("build", "--threads", "1", "-s", "+customer_totals")
        #expect(result.exitCode == 0, "\(result.all)")
        func index(_ needle: String) -> Int { result.lines.firstIndex { $0.contains(needle) } ?? -1 }
        // With one thread the queue is serial: customer_totals starts only after every test of its parents.
        #expect(index("PASS unique_stg_customers_customer_code") < index("START sql table model dev_marts.customer_totals"))
        #expect(index("PASS relationships_stg_orders") < index("START sql table model dev_marts.customer_totals"))
        #expect(index("START sql table model dev_marts.customer_totals") < index("START test unique_customer_totals_customer_code"))
        #expect(result.has("Concurrency: 1 threads (target='dev')"))
        #expect(result.doneLine == "Done. PASS=14 WARN=1 ERROR=0 SKIP=0 NO-OP=0 REUSED=0 TOTAL=15")
    }

    @Test func runThenTestWithFourThreads() throws {
        let project = try FixtureProject()
        #expect(try project.opsflow("seed").exitCode == 0)
        let run = try project.opsflow("run", "--threads", "4")
        #expect(run.exitCode == 0, "\(run.all)")
        #expect(run.has("Concurrency: 4 threads (target='dev')"))
        #expect(run.doneLine == "Done. PASS=9 WARN=0 ERROR=0 SKIP=0 NO-OP=0 REUSED=0 TOTAL=9")
        let test = try project.opsflow("test", "--exclude", "tag:quality")
        #expect(test.exitCode == 0, "\(test.all)")  // a warning alone succeeds
        #expect(test.doneLine == "Done. PASS=9 WARN=1 ERROR=0 SKIP=0 NO-OP=0 REUSED=0 TOTAL=10")
        let failing = try project.opsflow("test", "-s", "dup_ids")
        #expect(failing.exitCode == 1)
        #expect(failing.doneLine == "Done. PASS=3 WARN=0 ERROR=1 SKIP=0 NO-OP=0 REUSED=0 TOTAL=4")
    }

    @Test func failFastStopsAtTheFirstFailure() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("build", "--fail-fast", "--threads", "1")
        #expect(result.exitCode == 1)
        let done = try #require(result.doneLine)
        // Everything after the failure is skipped, nothing more is run.
        #expect(done.contains("ERROR=1"))
        #expect(!done.contains("SKIP=0 "))
        // Same order as dbt: dup_ids, both seeds, then its failing test, then everything is skipped.
        // (dbt 1.12 had already queued stg_customers: it prints CANCEL and OK for it and counts it
        // twice, PASS=6 ERROR=1 SKIP=13 TOTAL=20; here it is skipped once.)
        #expect(result.has("4 of 16 FAIL 1 unique_dup_ids_id"))
        #expect(done == "Done. PASS=6 WARN=0 ERROR=1 SKIP=12 NO-OP=0 REUSED=0 TOTAL=19")
    }

    @Test func hooksRunInOrder() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("run", "-s", "customer_totals")
        // customer_totals reads views that are not built yet: the model errors, the hooks still run.
        #expect(result.exitCode == 1)
        // dbt-core 1.12: the failed model's pre-hook is rolled back with it (hooks run inside its transaction).
        #expect(try project.query("select event from hook_log") == ["start", "end"])
        #expect(try project.opsflow("build", "-s", "+customer_totals").exitCode == 0)
        #expect(try project.query("select event from hook_log") == ["start", "end", "start", "pre customer_totals", "post customer_totals", "end"])
    }

    @Test func projectHookLinesAsDbt() throws {
        let result = try FixtureProject().opsflow("seed")
        let hookLines = result.lines.filter { $0.contains(" hook: ") }.map {
            $0.replacingOccurrences(of: #"\d+\.\d\ds\]"#, with: "S]", options: .regularExpression)
        }
        // dbt-core 1.12's lines for the same hooks.
        #expect(hookLines == [
            "1 of 2 START hook: shop.on-run-start.0 ......................................... [RUN]",
            "1 of 2 OK hook: shop.on-run-start.0 ............................................ [OK in S]",
            "2 of 2 START hook: shop.on-run-start.1 ......................................... [RUN]",
            "2 of 2 OK hook: shop.on-run-start.1 ............................................ [OK in S]",
            "1 of 1 START hook: shop.on-run-end.0 ........................................... [RUN]",
            "1 of 1 OK hook: shop.on-run-end.0 .............................................. [OK in S]",
        ])
    }

    @Test func failedOnRunStartHookSkipsTheNodes() throws {
        let project = try FixtureProject()
        let text = try project.read("dbt_project.yml").replacingOccurrences(
            of: "  - \"insert into hook_log values ('start')\"\n",
            with: "  - \"insert into no_such_table values ('start')\"\n  - \"select 1\"\n")
        try project.write("dbt_project.yml", text)
        let result = try project.opsflow("run", "-s", "stg_orders")
        // dbt-core 1.12: exit 1, the later hook and every node skipped, on-run-end still runs.
        #expect(result.exitCode == 1, "\(result.all)")
        #expect(result.has("2 of 3 ERROR hook: shop.on-run-start.1 ..."))
        #expect(result.has("3 of 3 SKIP hook: shop.on-run-start.2 ..."))
        #expect(result.has("1 of 1 SKIP relation dev.stg_orders ..."))
        #expect(result.has("1 of 1 OK hook: shop.on-run-end.0 ..."))
        #expect(result.has("Finished running 4 project hooks, 1 view model in 0 hours"))
        #expect(result.has("[ERROR]: in operation shop-on-run-start-1 (./dbt_project.yml)"))
        #expect(result.doneLine == "Done. PASS=2 WARN=0 ERROR=1 SKIP=2 NO-OP=0 REUSED=0 TOTAL=5")
    }

    @Test func endOfRunSummaryAsDbt() throws {
        let result = try FixtureProject().opsflow("build")
        let lines = result.lines
        let start = try #require(lines.firstIndex { $0.hasPrefix("Completed with") })
        // dbt-core 1.12's block for the same build (colours off).
        #expect(Array(lines[start...].prefix(13)) == [
            "Completed with 1 error, 0 partial successes, and 1 warning:",
            "",
            "[ERROR]: in test unique_dup_ids_id (models/schema.yml)",
            "  Got 1 result, configured to fail if != 0",
            "",
            "  compiled code at target/compiled/shop/models/schema.yml/unique_dup_ids_id.sql",
            "",
            "[WARNING]: in test accepted_values_stg_orders_status__shipped (models/schema.yml)",
            "[WARNING]: Got 1 result, configured to warn if != 0",
            "",
            "  compiled code at target/compiled/shop/models/schema.yml/accepted_values_stg_orders_status__shipped.sql",
            "",
            "Done. PASS=16 WARN=1 ERROR=1 SKIP=1 NO-OP=0 REUSED=0 TOTAL=19",
        ])
    }

    @Test func storeFailuresKeepsTheFailingRows() throws {
        let project = try FixtureProject()
        let text = try project.read("models/schema.yml").replacingOccurrences(
            of: "  - name: dup_ids\n    columns:\n      - name: id\n        data_tests:\n          - unique\n",
            with: "  - name: dup_ids\n    columns:\n      - name: id\n        data_tests:\n          - unique:\n              config:\n                store_failures: true\n")
        try project.write("models/schema.yml", text)
        let result = try project.opsflow("build", "-s", "dup_ids")
        #expect(result.exitCode == 1)
        // dbt's unique test keeps one row per duplicated value with its count; id 1 appears twice.
        #expect(try project.query("select unique_field, n_records from \"dev_dbt_test__audit.unique_dup_ids_id\"") == ["1|2"])
        // The manifest names the audit table (dbt: relation_name of a store_failures test).
        let manifest = try JSONSerialization.jsonObject(with: Data(project.read("target/manifest.json").utf8)) as? [String: Any]
        let test = (manifest?["nodes"] as? [String: Any])?["test.shop.unique_dup_ids_id.269b938cb3"] as? [String: Any]
        #expect(test?["relation_name"] as? String == "\"dev_dbt_test__audit.unique_dup_ids_id\"")
        // dbt-core 1.12's CheckNodeTestFailure lines (its relation rendered for SQLite).
        let start = try #require(result.lines.firstIndex { $0 == "  See test failures:" })
        #expect(Array(result.lines[start...].prefix(4)) == [
            "  See test failures:",
            "  -----------------------------------------------------",
            "  select * from \"dev_dbt_test__audit.unique_dup_ids_id\"",
            "  -----------------------------------------------------",
        ])
    }

    @Test func selectingNothingWarnsAndSucceeds() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("run", "-s", "nothing_here")
        // dbt-core 1.12: two warnings, no hooks, exit 0, an empty run_results.json.
        #expect(result.exitCode == 0, "\(result.all)")
        #expect(result.has("[WARNING]: The selection criterion 'nothing_here' does not match any enabled nodes"))
        #expect(result.has("[WARNING]: Nothing to do. Try checking your model configs and model specification args"))
        #expect(!result.has("hook:"))
        let object = try JSONSerialization.jsonObject(with: Data(project.read("target/run_results.json").utf8)) as? [String: Any]
        #expect((object?["results"] as? [Any])?.isEmpty == true)
    }

    @Test func targetSelectionAndEnvVarInProfiles() throws {
        let project = try FixtureProject()
        let file = project.root.appendingPathComponent("elsewhere.db").path
        let result = try project.opsflow("seed", "--target", "prod", environment: ["SHOP_DB_PATH": file])
        #expect(result.exitCode == 0, "\(result.all)")
        #expect(result.has("Concurrency: 1 threads (target='prod')"))
        #expect(result.has("OK loaded seed file prod.raw_orders"))
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(!FileManager.default.fileExists(atPath: project.database))
    }

    @Test func varsChangeWhatIsBuilt() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("build", "-s", "+stg_orders", "--vars", "{min_amount: 6}")
        // As dbt 1.12: the relationships test is selected eagerly and errors, stg_customers was not built.
        #expect(result.exitCode == 1)
        #expect(result.doneLine == "Done. PASS=7 WARN=0 ERROR=1 SKIP=0 NO-OP=0 REUSED=0 TOTAL=8")
        #expect(try project.query("select order_id from \"dev.stg_orders\" order by 1") == ["1", "2", "4"])
    }

    @Test func jsonLogIsOneObjectPerLine() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("seed", "--log-format", "json")
        #expect(result.exitCode == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count > 4)
        var names: [String] = []
        var threads: Set<String> = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            let info = try #require(object["info"] as? [String: Any])
            #expect(info["invocation_id"] is String)
            #expect(info["level"] is String)
            // dbt's EventInfo keys.
            for key in ["category", "code", "extra", "msg", "pid", "thread", "ts"] { #expect(info[key] != nil, "\(key)") }
            names.append(info["name"] as? String ?? "")
            threads.insert(info["thread"] as? String ?? "")
        }
        // dbt's event names (core_types.proto).
        #expect(names.contains("MainReportVersion"))
        #expect(names.contains("LogStartLine"))
        #expect(names.contains("StatsLine"))
        // dbt's thread names: MainThread, and Thread-N for the workers.
        #expect(threads.allSatisfy { $0 == "MainThread" || $0.hasPrefix("Thread-") }, "\(threads)")
    }
}
