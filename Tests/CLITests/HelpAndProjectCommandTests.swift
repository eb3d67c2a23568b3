import Foundation
import Testing

/// `--help` of every verb, `debug`, `parse`, `ls`, `compile`, `show`, `clean`, `init`: the built
/// binary's stdout, stderr and exit code. Expected values come from dbt-core 1.12 run on the same
/// fixture project (with dbt-duckdb) or from dbt's documentation.
@Suite struct HelpAndProjectCommandTests {
    @Test(arguments: ["debug", "parse", "compile", "run", "test", "seed", "build", "ls", "show", "clean", "init", "demo"])
    func helpOfEveryVerb(verb: String) throws {
        let result = try CLI.run([verb, "--help"])
        #expect(result.exitCode == 0, "\(result.all)")
        #expect(result.stdout.contains("USAGE: opsflow \(verb)"), "\(result.all)")
        #expect(result.stderr.isEmpty)
    }

    @Test func rootHelpListsEveryVerb() throws {
        let result = try CLI.run(["--help"])
        #expect(result.exitCode == 0)
        for verb in ["debug", "parse", "compile", "run", "test", "seed", "build", "ls", "show", "clean", "init"] {
            #expect(result.stdout.contains("  \(verb)"), "missing \(verb)")
        }
    }

    @Test func unknownFlagIsAnInvocationError() throws {
        // dbt (click) exits 2 on a usage error.
        let result = try CLI.run(["run", "--no-such-flag"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--no-such-flag"))
    }

    @Test func debugChecksProfileProjectAndConnection() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("debug")
        #expect(result.exitCode == 0, "\(result.all)")
        #expect(result.has("All checks passed!"))
        #expect(result.has("profile 'shop', target 'dev'"))
    }

    @Test func parseWritesTheManifest() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("parse")
        #expect(result.exitCode == 0, "\(result.all)")
        // dbt 1.12 on this project: "Found 7 models, 8 data tests, 2 seeds, 3 operations, 512 macros".
        #expect(result.has("7 models"))
        #expect(result.has("8 data tests"))
        #expect(result.has("2 seeds"))
        let manifest = try JSONSerialization.jsonObject(with: Data(project.read("target/manifest.json").utf8)) as? [String: Any]
        let nodes = manifest?["nodes"] as? [String: Any] ?? [:]
        #expect(nodes["model.shop.customer_totals"] != nil)
        #expect(nodes["seed.shop.raw_orders"] != nil)
        #expect(nodes.keys.filter { $0.hasPrefix("test.shop.") }.count == 8)
        // parse never touches the warehouse's tables.
        #expect(!project.exists("target/run_results.json"))
    }

    // dbt ls output, recorded from dbt-core 1.12 on the same project (sorted by unique id).
    @Test func lsPlain() throws {
        let result = try FixtureProject().opsflow("ls")
        #expect(result.exitCode == 0, "\(result.all)")
        #expect(result.stdout == """
            shop.quality.after_dups
            shop.marts.customer_totals
            shop.quality.dup_ids
            shop.marts.orders_inc
            shop.staging.shipped_orders
            shop.staging.stg_customers
            shop.staging.stg_orders
            shop.raw_customers
            shop.raw_orders
            shop.accepted_values_stg_orders_status__shipped
            shop.assert_no_negative_totals
            shop.not_null_stg_customers_customer_code
            shop.relationships_stg_orders_customer_code__customer_code__ref_stg_customers_
            shop.unique_customer_totals_customer_code
            shop.unique_dup_ids_id
            shop.unique_stg_customers_customer_code
            shop.unique_stg_orders_order_id

            """)
    }

    @Test func lsUpstreamOfAModel() throws {
        let result = try FixtureProject().opsflow("ls", "--select", "+customer_totals")
        #expect(result.stdout == """
            shop.marts.customer_totals
            shop.staging.shipped_orders
            shop.staging.stg_customers
            shop.staging.stg_orders
            shop.raw_customers
            shop.raw_orders
            shop.accepted_values_stg_orders_status__shipped
            shop.assert_no_negative_totals
            shop.not_null_stg_customers_customer_code
            shop.relationships_stg_orders_customer_code__customer_code__ref_stg_customers_
            shop.unique_customer_totals_customer_code
            shop.unique_stg_customers_customer_code
            shop.unique_stg_orders_order_id

            """)
    }

    @Test func lsTagPathExcludeAndResourceType() throws {
        let project = try FixtureProject()
        let tag = try project.opsflow("ls", "-s", "tag:staging", "--resource-type", "model")
        #expect(tag.stdout == "shop.staging.stg_customers\nshop.staging.stg_orders\n")
        let path = try project.opsflow("ls", "-s", "path:models/marts", "--output", "name")
        #expect(path.stdout == "customer_totals\norders_inc\nassert_no_negative_totals\nunique_customer_totals_customer_code\n")
        let excluded = try project.opsflow("ls", "--resource-type", "model", "--exclude", "tag:quality", "path:models/staging")
        #expect(excluded.stdout == "shop.marts.customer_totals\nshop.marts.orders_inc\n")
        let seeds = try project.opsflow("ls", "--resource-type", "seed")
        #expect(seeds.stdout == "shop.raw_customers\nshop.raw_orders\n")
    }

    @Test func lsOutputPathAndJSON() throws {
        let project = try FixtureProject()
        let paths = try project.opsflow("ls", "-s", "stg_orders", "--output", "path")
        #expect(paths.stdout == "models/staging/stg_orders.sql\nmodels/schema.yml\nmodels/schema.yml\nmodels/schema.yml\n")
        let json = try project.opsflow("ls", "-s", "stg_orders", "--resource-type", "model", "--output", "json")
        let objects = json.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 1)
        #expect(objects.first?["unique_id"] as? String == "model.shop.stg_orders")
        #expect(objects.first?["original_file_path"] as? String == "models/staging/stg_orders.sql")
        let config = objects.first?["config"] as? [String: Any]
        #expect(config?["materialized"] as? String == "view")
        #expect(config?["tags"] as? [String] == ["staging"])
        let dependsOn = objects.first?["depends_on"] as? [String: Any]
        #expect(dependsOn?["nodes"] as? [String] == ["seed.shop.raw_orders"])
    }

    @Test func compileOneModelPrintsItsSQL() throws {
        let project = try FixtureProject()
        let result = try project.opsflow("compile", "-s", "stg_orders")
        #expect(result.exitCode == 0, "\(result.all)")
        // dbt-core 1.12's lines, from the Concurrency line on.
        #expect(result.stdout.contains("  \n") && result.has("Concurrency: 4 threads (target='dev')"))
        #expect(result.stdout.contains("\nCompiled node 'stg_orders' is:\n\nselect order_id"))
        #expect(result.has("where amount > 0"))
        // --quiet: only the SQL (dbt --quiet compile prints the compiled code alone).
        let quiet = try project.opsflow("compile", "-s", "stg_orders", "--quiet")
        #expect(quiet.stdout == "\nselect order_id, customer_code, amount, status\nfrom \"dev.raw_orders\"\nwhere amount > 0\n")
        let compiled = try project.read("target/compiled/shop/models/staging/stg_orders.sql")
        #expect(compiled.contains("from \"dev.raw_orders\""))
    }

    @Test func compileInlineUsesProjectMacrosAndRefs() throws {
        let result = try FixtureProject().opsflow("compile", "--inline", "select {{ cents('amount') }} from {{ ref('stg_orders') }}", "-q")
        #expect(result.exitCode == 0, "\(result.all)")
        #expect(result.stdout == "select (amount * 100) from \"dev.stg_orders\"\n")
    }

    @Test func compileWithVarsOverride() throws {
        let result = try FixtureProject().opsflow("compile", "-s", "stg_orders", "-q", "--vars", "{min_amount: 6}")
        #expect(result.stdout.contains("where amount > 6"), "\(result.all)")
    }

    @Test func showModelInlineAndJSON() throws {
        let project = try FixtureProject()
        try #require(project.opsflow("build", "-s", "+customer_totals").exitCode == 0)
        let shown = try project.opsflow("show", "--select", "customer_totals", "--limit", "3")
        #expect(shown.exitCode == 0, "\(shown.all)")
        #expect(shown.has("Previewing node 'customer_totals':"))
        let table = shown.lines.drop { !$0.hasPrefix("Previewing") }.dropFirst()
        #expect(table.filter { $0.hasPrefix("|") }.count == 2 + 3)  // header, rule, 3 rows
        let inline = try project.opsflow("show", "--inline", "select 1 as a", "-q")
        // dbt-core 1.12 `--quiet show`, byte for byte (agate's table, then a blank line).
        #expect(inline.stdout == "| a |\n| - |\n| 1 |\n\n")
        let exact = try project.opsflow("show", "--inline", "select 1 as a, 'x' as b, 2.5 as c", "--output", "json", "-q")
        #expect(exact.stdout == "{\n  \"show\": [\n    {\n      \"a\": 1,\n      \"b\": \"x\",\n      \"c\": 2.5\n    }\n  ]\n}\n")
        // Without --quiet the preview has no time prefix either (dbt prints it raw).
        #expect(shown.stdout.contains("\nPreviewing node 'customer_totals':\n| customer_code | name  | shipped_count | shipped_amount |\n"))
        let json = try project.opsflow("show", "--inline", "select customer_code, shipped_amount from {{ ref('customer_totals') }} order by 1",
                                       "--output", "json", "-q")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let rows = object?["show"] as? [[String: Any]] ?? []
        // Alice shipped 10 + 20, Bob only returned, Carol shipped 7 (raw_orders.csv).
        #expect(rows.map { $0["customer_code"] as? String } == ["00123", "00456", "07890"])
        #expect(rows.map { $0["shipped_amount"] as? Int } == [30, 0, 7])
    }

    @Test func cleanRemovesTarget() throws {
        let project = try FixtureProject()
        try project.opsflow("parse")
        #expect(project.exists("target/manifest.json"))
        let result = try project.opsflow("clean")
        #expect(result.exitCode == 0)
        #expect(!project.exists("target"))
        #expect(project.exists("models/schema.yml"))
    }

    @Test func initThenBuild() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let created = try CLI.run(["init", "starter"], in: folder)
        #expect(created.exitCode == 0, "\(created.all)")
        let build = try CLI.run(["build", "--project-dir", folder.appendingPathComponent("starter").path])
        #expect(build.exitCode == 0, "\(build.all)")
        // my_first_model and its unique and not_null tests.
        #expect(build.doneLine == "Done. PASS=3 WARN=0 ERROR=0 SKIP=0 NO-OP=0 REUSED=0 TOTAL=3")
        let again = try CLI.run(["init", "starter"], in: folder)
        #expect(again.exitCode != 0)
    }

    /// `opsflow init --ci github`: the workflow GitHub would run, read by a YAML parser (PyYAML)
    /// as GitHub reads it: a daily `0 6 * * *` schedule (GitHub runs schedules in UTC), the key
    /// from the named repository secret, the build in the project's folder, the key removed.
    @Test func initWritesTheGitHubWorkflow() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-ci-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let created = try CLI.run(["init", "starter", "--ci", "github", "--ci-secret", "GCP_KEY"], in: folder)
        #expect(created.exitCode == 0, "\(created.all)")
        let workflow = folder.appendingPathComponent(".github/workflows/opsflow-build.yml").path
        let summary = try Python.run("""
            import sys, yaml
            d = yaml.safe_load(open(sys.argv[1]))
            on = d[True]  # YAML 1.1 reads the key `on` as true, as PyYAML does
            steps = d["jobs"]["build"]["steps"]
            build = [s for s in steps if s.get("run", "").startswith("opsflow build")][0]
            key = [s for s in steps if "KEY_JSON" in s.get("env", {})][0]
            print(on["schedule"][0]["cron"])
            print(build["working-directory"], build["run"])
            print(key["env"]["KEY_JSON"])
            print(steps[-1]["if"], steps[-1]["run"])
            """, args: [workflow])
        #expect(summary.split(separator: "\n").map(String.init) == [
            "0 6 * * *", "starter opsflow build --target prod", "${{ secrets.GCP_KEY }}",
            "always() rm -f \"$RUNNER_TEMP/bigquery-key.json\"",
        ])
        let profiles = try String(contentsOf: folder.appendingPathComponent("starter/profiles.yml"), encoding: .utf8)
        #expect(profiles.contains("    prod:\n      type: bigquery\n      method: service-account"))
        // A second time without --force refuses rather than overwrite; with --project-dir it finds the project.
        let again = try CLI.run(["init", "--ci", "github", "--project-dir", folder.appendingPathComponent("starter").path], in: folder)
        #expect(again.exitCode != 0)
        #expect(again.stderr.contains("--force"), "\(again.all)")
        let unknown = try CLI.run(["init", "--ci", "gitlab"], in: folder)
        #expect(unknown.exitCode == 64 || unknown.exitCode == 2, "\(unknown.all)")
    }
}
