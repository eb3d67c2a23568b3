import Foundation
import Testing
@testable import Project

/// dbt_project.yml parsing and config inheritance, per dbt's docs
/// (https://docs.getdbt.com/reference/dbt_project.yml, …/configs-and-properties).
@Suite struct DbtProjectTests {
    @Test func defaultsAreDbts() throws {
        let p = try DbtProject(yaml: "name: p\nprofile: p\n")
        #expect(p.modelPaths == ["models"] && p.seedPaths == ["seeds"] && p.testPaths == ["tests"])
        #expect(p.macroPaths == ["macros"] && p.snapshotPaths == ["snapshots"] && p.analysisPaths == ["analyses"])
        #expect(p.targetPath == "target")
        #expect(p.configVersion == 2)
    }

    @Test func missingNameIsAnError() throws {
        do {
            _ = try DbtProject(yaml: "profile: p\n")
            Issue.record("expected an error")
        } catch let e as ProjectError {
            #expect(e.kind == .invalidProject)
            #expect(e.hint?.contains("name:") == true)
        }
    }

    @Test func unknownKeysWarn() throws {
        let p = try DbtProject(yaml: "name: p\nmodle-paths: [x]\n")
        #expect(p.warnings.count == 1)
        #expect(p.warnings.first?.message.contains("modle-paths") == true)
    }

    @Test func renderingSkipsHooksAndVars() throws {
        let text = """
        name: p
        profile: "{{ env_var('PROFILE') }}"
        vars:
          when: "{{ run_started_at }}"
        models:
          p:
            +schema: "{{ env_var('SCHEMA') }}"
            +post-hook: "grant select on {{ this }} to reporter"
        """
        var seen: [String] = []
        let p = try DbtProject(yaml: text, render: { s in
            seen.append(s)
            return s.contains("PROFILE") ? "opsflow" : "rendered"
        })
        #expect(p.profile == "opsflow")
        #expect(p.models["p"]?["+schema"] == "rendered")
        // dbt renders hooks and vars later (DbtProjectYamlRenderer skips them).
        #expect(p.models["p"]?["+post-hook"] == "grant select on {{ this }} to reporter")
        #expect(p.vars["when"] == "{{ run_started_at }}")
        #expect(seen.count == 2)
    }

    @Test func varsPerPackage() throws {
        let p = try DbtProject(yaml: "name: p\nvars:\n  a: 1\n  b: 2\n  p:\n    b: 3\n")
        let v = p.vars(forPackage: "p", cliVars: ["a": 10])
        #expect(v["a"] == 10 && v["b"] == 3)
        #expect(v["p"] == nil)
    }

    /// Precedence: config() call > property file > dbt_project.yml (deeper folder first);
    /// tags and hooks accumulate; meta merges key by key.
    @Test func configPrecedenceAndAccumulation() throws {
        let dir = try Fixtures.makeProject([
            "dbt_project.yml": """
            name: p
            models:
              +materialized: view
              +tags: ["all"]
              p:
                +meta: {owner: a, tier: 1}
                marts:
                  materialized: table
                  +tags: mart
                  +pre-hook: "select 1"
                  core:
                    +materialized: incremental
                    +meta: {tier: 2}
            """,
            "models/marts/core/fct.sql": "select 1",
            "models/marts/core/props.yml": """
            version: 2
            models:
              - name: fct
                config:
                  unique_key: id
                  tags: ["yaml"]
                  pre_hook: "select 2"
            """,
        ])
        var m = try ManifestBuilder.build(try ProjectLoader.load(projectDir: dir))
        try m.applyConfigCalls("model.p.fct", [["materialized": "table", "tags": ["call"], "unique_key": ["a", "b"]]])
        let c = try #require(m.nodes["model.p.fct"]).config
        #expect(c.materialized == "table")
        #expect(c.uniqueKey == ["a", "b"])
        #expect(c.tags == ["all", "mart", "yaml", "call"])
        #expect(c.meta == ["owner": "a", "tier": 2])
        #expect(c.preHook.map(\.sql) == ["select 1", "select 2"])
        #expect(c.incrementalStrategy == nil)
        #expect(c["on_schema_change"] == "ignore")
        #expect(try #require(m.nodes["model.p.fct"]).tags == ["all", "mart", "yaml", "call"])
        // Without the call, the project's deeper folder wins over the shallower one.
        try m.applyConfigCalls("model.p.fct", [ConfigObject]())
        #expect(m.nodes["model.p.fct"]?.config.materialized == "incremental")
    }
}
