import Foundation
import Testing
@testable import Project

/// profiles.yml lookup and target selection, per dbt's documented rules
/// (https://docs.getdbt.com/docs/core/connect-data-platform/connection-profiles).
@Suite struct ProfilesTests {
    static let yaml = """
    opsflow:
      target: dev
      outputs:
        dev:
          type: sqlite
          path: "{{ env_var('OPSFLOW_DB', 'warehouse.db') }}"
          schema: dev
          threads: "{{ env_var('THREADS') }}"
        prod:
          type: bigquery
          project: my-gcp-project
          dataset: analytics
          threads: 8
          keyfile: /secrets/key.json
    other:
      outputs:
        only:
          type: postgres
          host: localhost
    """

    /// A stand-in for Compile's Jinja renderer: env_var('X', default).
    static func render(_ env: [String: String]) -> YAMLValueRenderer {
        { s in
            var out = s
            while let r = out.range(of: "{{ env_var('") {
                guard let end = out.range(of: "}}", range: r.upperBound..<out.endIndex) else { break }
                let args = out[r.upperBound..<end.lowerBound].replacingOccurrences(of: ")", with: "")
                    .components(separatedBy: "', '").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "' ")) }
                out.replaceSubrange(r.lowerBound..<end.upperBound, with: env[args[0]] ?? (args.count > 1 ? args[1] : ""))
            }
            return out
        }
    }

    @Test func defaultTargetAndRenderedValues() throws {
        let f = try ProfilesFile(yaml: Self.yaml, render: Self.render(["THREADS": "4"]))
        let t = try f.target(profile: "opsflow")
        #expect(t.name == "dev")
        #expect(t.type == "sqlite")
        #expect(t["path"] == "warehouse.db")
        // Rendered "4" is read natively as an integer, as dbt's native renderer does.
        #expect(t.threads == 4)
        #expect(t.schema == "dev")
    }

    @Test func overrideTargetAndBigQueryAliases() throws {
        let f = try ProfilesFile(yaml: Self.yaml, render: Self.render([:]))
        let t = try f.target(profile: "opsflow", target: "prod")
        #expect(t.type == "bigquery" && t.threads == 8)
        #expect(t.schema == "analytics")          // dataset
        #expect(t.database == "my-gcp-project")   // project
        #expect(t["keyfile"] == "/secrets/key.json")
        // A profile with one output and no `target:` uses that output.
        #expect(try f.target(profile: "other").name == "only")
    }

    @Test func missingTargetListsTheValidOnes() throws {
        let f = try ProfilesFile(yaml: Self.yaml, path: "/p/profiles.yml")
        do {
            _ = try f.target(profile: "opsflow", target: "staging")
            Issue.record("expected an error")
        } catch let e as ProjectError {
            #expect(e.kind == .targetNotFound)
            #expect(e.message.contains("'staging'") && e.message.contains("dev, prod"))
            #expect(e.location?.file == "/p/profiles.yml")
        }
    }

    @Test func missingProfileListsTheProfiles() throws {
        let f = try ProfilesFile(yaml: Self.yaml)
        do {
            _ = try f.profile("jaffle")
            Issue.record("expected an error")
        } catch let e as ProjectError {
            #expect(e.kind == .profileNotFound)
            #expect(e.hint == "profiles defined there: opsflow, other")
        }
    }

    @Test func searchOrderIsFlagThenEnvThenProjectThenHome() throws {
        let dirs = ProfilesFile.searchDirectories(profilesDir: "/flag", projectDir: "/proj",
                                                  environment: ["DBT_PROFILES_DIR": "/env", "HOME": "/home/u"])
        #expect(dirs.first == "/flag")
        #expect(dirs[1] == "/env")
        #expect(dirs[2] == "/proj")
        #expect(dirs.last == "/home/u/.dbt")
    }

    @Test func locateFindsTheProjectFolderAndReportsWhereItLooked() throws {
        let proj = try Fixtures.makeProject(["profiles.yml": Self.yaml])
        let found = try ProfilesFile.locate(projectDir: proj, environment: ["HOME": "/nonexistent"])
        #expect(found.path == proj + "/profiles.yml")
        let empty = Fixtures.tempDir()
        do {
            _ = try ProfilesFile.locate(profilesDir: empty, projectDir: empty, environment: [:])
            Issue.record("expected an error")
        } catch let e as ProjectError {
            #expect(e.kind == .profilesNotFound)
            #expect(e.message.contains(empty))
        }
    }

    @Test func outputWithoutTypeIsAnError() throws {
        #expect(throws: ProjectError.self) { try ProfilesFile(yaml: "p:\n  target: dev\n  outputs:\n    dev:\n      schema: x\n") }
    }

    /// dbt renders only the output it uses (`Profile.render_profile` renders
    /// `outputs[target_name]`): a prod output whose `env_var()` has no value must not stop a dev
    /// build, and fails, naming the variable, only when prod is selected.
    @Test func onlyTheSelectedOutputMustRender() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "keyfile: /secrets/key.json", with: "keyfile: \"{{ env_var('KEYFILE') }}\"")
        let failing: YAMLValueRenderer = { s in
            if s.contains("KEYFILE") { throw ProjectError(.render, "Env var required but not provided: 'KEYFILE'") }
            return try Self.render(["THREADS": "2"])(s)
        }
        let f = try ProfilesFile(yaml: yaml, render: failing)
        #expect(try f.target(profile: "opsflow").threads == 2)
        do {
            _ = try f.target(profile: "opsflow", target: "prod")
            Issue.record("expected the prod output's render error")
        } catch let error as ProjectError {
            #expect(error.description.contains("KEYFILE"))
        }
    }
}
