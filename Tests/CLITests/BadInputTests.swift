import Foundation
import Testing

/// Bad input: each case gives one clear message (file, line and column where there is one, and a
/// hint), dbt's exit code (2: the invocation failed; 1: a node failed), and nothing half-built.
@Suite struct BadInputTests {
    /// Runs `verb` on a broken copy of the fixture and checks the invocation failed cleanly.
    func invocationError(_ project: FixtureProject, _ verb: String, _ args: String...) throws -> CLIResult {
        let result = try CLI.run(verb.split(separator: " ").map(String.init) + ["--project-dir", project.path] + args)
        #expect(result.exitCode == 2, "\(result.all)")
        // Nothing ran: no warehouse file and no run results.
        #expect(!project.exists("target/run_results.json"))
        #expect(!result.has(" START "))
        return result
    }

    @Test func missingRefSuggestsTheCloseName() throws {
        let project = try FixtureProject()
        try project.write("models/marts/customer_totals.sql", "select *\nfrom {{ ref('stg_customer') }}\n")
        let result = try invocationError(project, "run")
        // Line 2, column 6: the `{{ ref(…) }}` that names it.
        #expect(result.has("models/marts/customer_totals.sql:2:6: model 'customer_totals' depends on a node named 'stg_customer' which was not found"),
                "\(result.all)")
        #expect(result.has("hint: did you mean: ref('stg_customers')"))
        if project.exists("shop.sqlite") {
            #expect(try project.query("select count(*) from sqlite_master where name like 'dev%'") == ["0"])
        }
    }

    @Test func unknownSource() throws {
        let project = try FixtureProject()
        try project.write("models/staging/from_source.sql", "select * from {{ source('raw', 'nope') }}\n")
        let result = try invocationError(project, "compile")
        #expect(result.has("models/staging/from_source.sql:1:15: model 'from_source' depends on a source named 'raw.nope' which was not found"),
                "\(result.all)")
    }

    @Test func cyclePrintsTheCycle() throws {
        let project = try FixtureProject()
        try project.write("models/staging/stg_customers.sql", "select * from {{ ref('customer_totals') }}\n")
        let result = try invocationError(project, "run")
        #expect(result.has("Found a cycle: model.shop.stg_customers -> model.shop.customer_totals -> model.shop.stg_customers")
                || result.has("Found a cycle: model.shop.customer_totals -> model.shop.stg_customers -> model.shop.customer_totals"),
                "\(result.all)")
    }

    @Test func duplicateModelNames() throws {
        let project = try FixtureProject()
        try project.write("models/marts/stg_orders.sql", "select 1 as id\n")
        let result = try invocationError(project, "ls")
        // dbt: `dbt found two models with the name "stg_orders"` and both paths.
        #expect(result.has("two models with the name \"stg_orders\""))
        #expect(result.has("models/marts/stg_orders.sql"))
        #expect(result.has("models/staging/stg_orders.sql"))
    }

    @Test func malformedProjectYAML() throws {
        let project = try FixtureProject()
        let text = try project.read("dbt_project.yml").replacingOccurrences(of: "  min_amount: 0", with: "  min_amount: [0")
        try project.write("dbt_project.yml", text)
        let result = try invocationError(project, "parse")
        // The flow sequence opened on line 15 never closes; YAML reports where it noticed.
        let line = try #require(result.lines.first { $0.hasPrefix("dbt_project.yml:") }, "\(result.all)")
        #expect(line.range(of: #"^dbt_project\.yml:\d+:\d+: invalid YAML"#, options: .regularExpression) != nil)
        #expect(!project.exists("target/manifest.json"))
    }

    @Test func malformedPropertyFile() throws {
        let project = try FixtureProject()
        let text = try project.read("models/schema.yml").replacingOccurrences(of: "      - name: status\n", with: "      - name: status: bad\n")
        try project.write("models/schema.yml", text)
        let result = try invocationError(project, "parse")
        // `- name: status: bad` is line 16; the second `:` is column 21.
        #expect(result.has("models/schema.yml:16:21: invalid YAML: mapping values are not allowed in this context"), "\(result.all)")
    }

    @Test func jinjaSyntaxError() throws {
        let project = try FixtureProject()
        try project.write("models/staging/broken.sql", "select 1 as a\n{% if true %}\nselect 2\n")
        let result = try invocationError(project, "parse")
        // Jinja2's message for an unclosed block.
        #expect(result.has("Compilation Error in model.shop.broken (models/staging/broken.sql)"))
        #expect(result.has("models/staging/broken.sql:3:"))
        #expect(result.has("Jinja was looking for the following tags: 'elif' or 'else' or 'endif'."))
    }

    @Test func undefinedMacro() throws {
        let project = try FixtureProject()
        try project.write("models/staging/broken.sql", "select\n  {{ no_such_macro('x') }} as a\n")
        let result = try invocationError(project, "run")
        #expect(result.has("models/staging/broken.sql:2:3: 'no_such_macro' is undefined"), "\(result.all)")
    }

    @Test func compileTimeErrorIsANodeError() throws {
        let project = try FixtureProject()
        // Only raised when `execute` is true: parse passes, the node fails when it compiles.
        try project.write("models/staging/late.sql", "select 1 as a\n{% if execute %}\n  {{ exceptions.raise_compiler_error('boom here') }}\n{% endif %}\n")
        let result = try project.opsflow("run", "-s", "late", "dup_ids")
        #expect(result.exitCode == 1, "\(result.all)")
        #expect(result.has("[ERROR]: in model late (models/staging/late.sql)"))
        #expect(result.has("  models/staging/late.sql:3:3: boom here"))
        #expect(!result.has("compiled code at target/compiled/shop/models/staging/late.sql"))
        #expect(result.has("OK created sql view model dev.dup_ids"))
    }

    @Test func warehouseErrorKeepsThePreviousTable() throws {
        let project = try FixtureProject()
        try #require(project.opsflow("build", "-s", "+customer_totals").exitCode == 0)
        try project.write("models/marts/customer_totals.sql", "select c.customer_code, no_such_column from {{ ref('stg_customers') }} as c\n")
        let result = try project.opsflow("run", "-s", "customer_totals")
        #expect(result.exitCode == 1, "\(result.all)")
        #expect(result.has("ERROR creating sql table model dev_marts.customer_totals"))
        #expect(result.has("Database Error: no such column: no_such_column"))
        #expect(result.doneLine == "Done. PASS=3 WARN=0 ERROR=1 SKIP=0 NO-OP=0 REUSED=0 TOTAL=4")
        #expect(try project.query("select customer_code, shipped_amount from \"dev_marts.customer_totals\" order by 1")
                == ["00123|30", "00456|0", "07890|7"])
        #expect(try project.query("select name from sqlite_master where name like '%tmp%'") == [])
        let results = try JSONSerialization.jsonObject(with: Data(project.read("target/run_results.json").utf8)) as? [String: Any]
        let model = (results?["results"] as? [[String: Any]])?.first { $0["unique_id"] as? String == "model.shop.customer_totals" }
        #expect(model?["status"] as? String == "error")
    }

    @Test func raggedSeedRow() throws {
        let project = try FixtureProject()
        try project.write("seeds/ragged.csv", "a,b\n1,2\n3\n")
        let result = try project.opsflow("seed")
        #expect(result.exitCode == 1)
        #expect(result.has("ERROR creating seed file dev.ragged"))
        #expect(result.has("  seeds/ragged.csv:3: expected 2 fields as in the header, found 1"), "\(result.all)")
        #expect(try project.query("select count(*) from sqlite_master where name = 'dev.ragged'") == ["0"])
        // The other seeds still load.
        #expect(result.doneLine == "Done. PASS=5 WARN=0 ERROR=1 SKIP=0 NO-OP=0 REUSED=0 TOTAL=6")
    }

    @Test func profileWithoutTheTarget() throws {
        let project = try FixtureProject()
        let result = try invocationError(project, "debug", "--target", "staging")
        #expect(result.has("the profile 'shop' does not have a target named 'staging'"))
        #expect(result.has("The valid target names for this profile are: dev, prod"))
    }

    @Test func missingProfiles() throws {
        let project = try FixtureProject()
        try project.remove("profiles.yml")
        let result = try invocationError(project, "run")
        #expect(result.has("could not find profiles.yml"))
        #expect(result.has("hint: pass --profiles-dir, set DBT_PROFILES_DIR"))
    }

    @Test(arguments: ["{a: [1", "[1, 2]"])
    func invalidVars(vars: String) throws {
        let project = try FixtureProject()
        let result = try invocationError(project, "run", "--vars", vars)
        #expect(result.has("--vars"))
        #expect(!project.exists("shop.sqlite"))
    }

    @Test func missingRequiredEnvVarInProfiles() throws {
        let project = try FixtureProject()
        let text = try project.read("profiles.yml").replacingOccurrences(of: "env_var('SHOP_DB_PATH', 'shop.sqlite')", with: "env_var('SHOP_DB_PATH')")
        try project.write("profiles.yml", text)
        let result = try invocationError(project, "debug")
        // dbt's message for env_var() without a default.
        #expect(result.has("Env var required but not provided: 'SHOP_DB_PATH'"))
        #expect(result.has("profiles.yml"))
    }

    @Test func unknownYAMLSelector() throws {
        let project = try FixtureProject()
        try project.write("selectors.yml", "selectors:\n  - name: marts_only\n    definition:\n      method: path\n      value: models/marts\n")
        let good = try project.opsflow("ls", "--selector", "marts_only", "--resource-type", "model")
        #expect(good.stdout == "shop.marts.customer_totals\nshop.marts.orders_inc\n")
        let result = try invocationError(project, "ls", "--selector", "nope")
        #expect(result.has("could not find selector named 'nope'"))
        #expect(result.has("selectors defined: marts_only"))
    }

    @Test func zeroThreadsIsAUsageError() throws {
        let result = try invocationError(try FixtureProject(), "run", "--threads", "0")
        #expect(result.stderr.contains("--threads must be at least 1."))
    }

    @Test func unknownSelectorMethod() throws {
        let project = try FixtureProject()
        let result = try invocationError(project, "ls", "-s", "colour:red")
        #expect(result.has("'colour' is not a valid selection method in 'colour:red'"))
        #expect(result.has("hint: methods supported: fqn, tag, path"))
    }

    @Test func errorsArePrintedOnce() throws {
        let project = try FixtureProject()
        try project.write("models/staging/broken.sql", "select {{ no_such_macro() }}\n")
        let result = try invocationError(project, "build")
        #expect(result.lines.filter { $0.contains("'no_such_macro' is undefined") }.count == 1)
    }
}
