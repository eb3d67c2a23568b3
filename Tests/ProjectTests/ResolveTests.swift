import Foundation
import Testing
@testable import Project

/// Bad projects give one clear error (kind, file, hint), as dbt reports them.
@Suite struct ResolveTests {
    static func parse(_ files: [String: String]) throws -> Manifest {
        var all = files
        if all["dbt_project.yml"] == nil { all["dbt_project.yml"] = "name: p\nprofile: p\n" }
        var m = try ManifestBuilder.build(try ProjectLoader.load(projectDir: try Fixtures.makeProject(all)))
        var calls: [String: [ConfigObject]] = [:]
        for (id, n) in m.nodes where n.rawCode.contains("enabled=false") { calls[id] = [["enabled": false]] }
        try FakeCompile.parse(&m, calls: calls)
        return m
    }

    static func error(_ files: [String: String]) -> ProjectError? {
        do { _ = try parse(files); return nil } catch let e as ProjectError { return e } catch { return nil }
    }

    @Test func missingRefNamesFileRefAndCloseMatches() throws {
        let e = try #require(Self.error([
            "models/stg_orders.sql": "select 1",
            "models/orders.sql": "select * from {{ ref('stg_order') }}",
        ]))
        #expect(e.kind == .refNotFound)
        #expect(e.location?.file == "models/orders.sql")
        #expect(e.message.contains("'stg_order'"))
        #expect(e.hint?.contains("ref('stg_orders')") == true)
    }

    @Test func refToDisabledModelSaysDisabled() throws {
        let e = try #require(Self.error([
            "models/a.sql": "{{ config(enabled=false) }} select 1",
            "models/b.sql": "select * from {{ ref('a') }}",
        ]))
        #expect(e.kind == .refNotFound)
        #expect(e.message.contains("disabled"))
    }

    @Test func unknownSourceIsAnError() throws {
        let e = try #require(Self.error([
            "models/src.yml": "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n",
            "models/a.sql": "select * from {{ source('raw', 'order') }}",
        ]))
        #expect(e.kind == .sourceNotFound)
        #expect(e.location?.file == "models/a.sql")
        #expect(e.hint?.contains("source('raw', 'orders')") == true)
    }

    @Test func duplicateModelNamesNameBothFiles() throws {
        let e = try #require(Self.error([
            "models/a/orders.sql": "select 1",
            "models/b/orders.sql": "select 2",
        ]))
        #expect(e.kind == .duplicateResource)
        #expect(e.message.contains("models/a/orders.sql") && e.message.contains("models/b/orders.sql"))
    }

    @Test func duplicateNameAllowedWhenOneIsDisabled() throws {
        let m = try Self.parse([
            "models/a/orders.sql": "{{ config(enabled=false) }} select 1",
            "models/b/orders.sql": "select 2",
        ])
        #expect(m.nodes["model.p.orders"]?.originalFilePath == "models/b/orders.sql")
        #expect(m.disabled["model.p.orders"]?.first?.originalFilePath == "models/a/orders.sql")
    }

    @Test func seedAndModelWithOneNameConflict() throws {
        let e = try #require(Self.error([
            "models/orders.sql": "select 1",
            "seeds/orders.csv": "id\n1\n",
        ]))
        #expect(e.kind == .duplicateResource)
    }

    @Test func testOnMissingModelIsAWarningAndDropped() throws {
        let m = try Self.parse([
            "models/a.sql": "select 1 as id",
            "models/props.yml": "version: 2\nmodels:\n  - name: ghost\n    columns:\n      - name: id\n        data_tests: [unique]\n",
        ])
        #expect(!m.nodes.keys.contains { $0.hasPrefix("test.p.unique_ghost_id") })
        #expect(m.warnings.contains { $0.message.contains("ghost") })
    }

    @Test func testsOnDisabledModelAreDisabled() throws {
        let m = try Self.parse([
            "models/a.sql": "{{ config(enabled=false) }} select 1 as id",
            "models/props.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
        ])
        #expect(m.nodes.isEmpty)
        #expect(m.disabled.keys.contains { $0.hasPrefix("test.p.not_null_a_id.") })
    }

    @Test func propertyEntryWithoutNameIsAnError() throws {
        let e = try #require(Self.error(["models/props.yml": "version: 2\nmodels:\n  - description: x\n"]))
        #expect(e.kind == .invalidProperty)
        #expect(e.location?.file == "models/props.yml")
    }

    @Test func malformedTestEntryIsAnError() throws {
        let e = try #require(Self.error([
            "models/a.sql": "select 1 as id",
            "models/props.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - unique: {}\n            not_null: {}\n",
        ]))
        #expect(e.kind == .invalidTest)
    }

    @Test func malformedYamlInPropertyFileNamesTheFile() throws {
        let e = try #require(Self.error(["models/props.yml": "version: 2\nmodels:\n  - name: [a\n"]))
        #expect(e.kind == .yamlSyntax)
        #expect(e.location?.file == "models/props.yml")
        #expect(e.location?.line != nil)
    }

    @Test func unclosedMacroBlockIsAnError() throws {
        let e = try #require(Self.error(["macros/m.sql": "{% macro m() %}\nselect 1\n"]))
        #expect(e.kind == .render)
        #expect(e.location == SourceLocation(file: "macros/m.sql", line: 1))
    }
}
