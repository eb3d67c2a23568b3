import Foundation

/// Renders a YAML string value that contains Jinja (`{{ env_var('X') }}`).
///
/// Project never imports Jinja: Compile passes its renderer here. The closure receives the raw
/// string and returns the rendered text. A nil renderer leaves values as written.
public typealias YAMLValueRenderer = (String) throws -> String

/// `dbt_project.yml`: the project's name, paths, vars, hooks and resource config trees.
///
/// Defaults are dbt's (https://docs.getdbt.com/reference/dbt_project.yml): `model-paths: [models]`,
/// `macro-paths: [macros]`, `seed-paths: [seeds]`, `test-paths: [tests]`,
/// `snapshot-paths: [snapshots]`, `analysis-paths: [analyses]`, `target-path: target`,
/// `docs-paths` = all of the resource paths.
///
/// Values are rendered as dbt renders them (`DbtProjectYamlRenderer`): every string with `{{`
/// goes through the injected renderer, except `vars`, `on-run-start`/`on-run-end` and any
/// `pre-hook`/`post-hook` in the config trees, which dbt renders later, at run time.
public struct DbtProject: Sendable, Hashable {
    public var name: String
    public var version: String?
    public var configVersion: Int
    public var profile: String?
    public var modelPaths: [String]
    public var macroPaths: [String]
    public var seedPaths: [String]
    public var testPaths: [String]
    public var snapshotPaths: [String]
    public var analysisPaths: [String]
    public var docsPaths: [String]
    public var assetPaths: [String]
    public var targetPath: String
    public var cleanTargets: [String]
    public var packagesInstallPath: String
    /// The `vars:` block as written: global keys, and per-package blocks keyed by package name.
    public var vars: ConfigObject
    public var onRunStart: [String]
    public var onRunEnd: [String]
    /// `quoting:` (database/schema/identifier booleans).
    public var quoting: ConfigObject
    /// The `models:` config tree (first level: `+key` configs for all, or package names).
    public var models: ConfigObject
    public var seeds: ConfigObject
    /// `data_tests:` merged with the legacy `tests:` (dbt 1.8 renamed it; both are read).
    public var dataTests: ConfigObject
    public var snapshots: ConfigObject
    public var sources: ConfigObject
    public var analyses: ConfigObject
    /// The whole file after rendering, for keys this type does not name.
    public var raw: ConfigObject
    /// Unknown top-level keys and similar, as dbt warns about them.
    public var warnings: [ProjectWarning]

    /// Top-level keys dbt knows (others give a warning, as dbt does).
    static let knownKeys: Set<String> = [
        "name", "version", "config-version", "profile", "model-paths", "source-paths", "macro-paths", "seed-paths",
        "data-paths", "test-paths", "snapshot-paths", "analysis-paths", "docs-paths", "asset-paths", "target-path",
        "log-path", "packages-install-path", "clean-targets", "vars", "on-run-start", "on-run-end",
        "require-dbt-version", "quoting", "models", "seeds", "data_tests", "tests", "snapshots", "sources",
        "analyses", "exposures", "metrics", "semantic-models", "saved-queries", "unit_tests", "dispatch",
        "restrict-access", "query-comment", "flags", "dbt-cloud", "functions", "semantic_models", "saved_queries",
    ]

    /// Parses `dbt_project.yml` text.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the path shown in errors.
    ///   - render: Compile's Jinja renderer for values containing `{{` (nil: leave them).
    /// - Throws: `ProjectError` `.yamlSyntax`, `.invalidProject` (no `name`, wrong types), `.render`.
    public init(yaml text: String, file: String = "dbt_project.yml", render: YAMLValueRenderer? = nil) throws {
        let parsed = try YAMLReader.parse(text, file: file)
        guard case .dict(var root) = parsed else {
            throw ProjectError(.invalidProject, "dbt_project.yml must be a mapping of keys to values",
                               location: SourceLocation(file: file, line: 1, column: 1),
                               hint: "start with `name: my_project`")
        }
        if let render {
            root = try YAMLRendering.renderProject(root, render: render, file: file)
        }
        let loc = SourceLocation(file: file)
        func str(_ key: String) throws -> String? {
            guard let v = root[key], !v.isNull else { return nil }
            switch v {
            case .string(let s): return s
            case .int, .double, .bool: return v.pythonStr
            default: throw ProjectError(.invalidProject, "`\(key)` must be a string", location: loc)
            }
        }
        func paths(_ key: String, legacy: String? = nil, _ def: [String]) throws -> [String] {
            guard let v = root[key] ?? legacy.flatMap({ root[$0] }), !v.isNull else { return def }
            guard let list = v.asStringList else {
                throw ProjectError(.invalidProject, "`\(key)` must be a list of folder names", location: loc,
                                   hint: "for example `\(key): [\"\(def.first ?? "models")\"]`")
            }
            return list
        }
        func tree(_ key: String) throws -> ConfigObject {
            guard let v = root[key], !v.isNull else { return ConfigObject() }
            guard let d = v.asDict else {
                throw ProjectError(.invalidProject, "`\(key):` must be a mapping", location: loc)
            }
            return d
        }
        guard let name = try str("name"), !name.isEmpty else {
            throw ProjectError(.invalidProject, "dbt_project.yml has no `name`", location: loc,
                               hint: "add `name: my_project` (letters, digits and underscores)")
        }
        self.name = name
        version = try str("version")
        configVersion = root["config-version"]?.asInt ?? 2
        profile = try str("profile")
        modelPaths = try paths("model-paths", legacy: "source-paths", ["models"])
        macroPaths = try paths("macro-paths", ["macros"])
        seedPaths = try paths("seed-paths", legacy: "data-paths", ["seeds"])
        testPaths = try paths("test-paths", ["tests"])
        snapshotPaths = try paths("snapshot-paths", ["snapshots"])
        analysisPaths = try paths("analysis-paths", ["analyses"])
        docsPaths = try paths("docs-paths", modelPaths + seedPaths + testPaths + analysisPaths + macroPaths + snapshotPaths)
        assetPaths = try paths("asset-paths", [])
        targetPath = try str("target-path") ?? "target"
        packagesInstallPath = try str("packages-install-path") ?? "dbt_packages"
        cleanTargets = try paths("clean-targets", [targetPath])
        vars = try tree("vars")
        onRunStart = root["on-run-start"]?.asStringList ?? []
        onRunEnd = root["on-run-end"]?.asStringList ?? []
        quoting = try tree("quoting")
        models = try tree("models")
        seeds = try tree("seeds")
        var tests = try tree("tests")
        for (k, v) in try tree("data_tests") { tests[k] = v }
        dataTests = tests
        snapshots = try tree("snapshots")
        sources = try tree("sources")
        analyses = try tree("analyses")
        raw = root
        warnings = root.keys.filter { !Self.knownKeys.contains($0) }.map {
            ProjectWarning("unknown key `\($0)` in dbt_project.yml is ignored", location: loc)
        }
    }

    /// Loads `<projectDir>/dbt_project.yml`.
    /// - Throws: `.io` when the file is missing (with a hint), then as `init(yaml:)`.
    public static func load(projectDir: String, render: YAMLValueRenderer? = nil) throws -> DbtProject {
        let path = (projectDir as NSString).appendingPathComponent("dbt_project.yml")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProjectError(.io, "no dbt_project.yml found in \(projectDir)", location: SourceLocation(file: path),
                               hint: "run from the project folder or pass --project-dir")
        }
        return try DbtProject(yaml: String(decoding: data, as: UTF8.self), file: "dbt_project.yml", render: render)
    }

    /// The vars visible inside `package`: global keys, overridden by the package's own block, then
    /// by `cliVars` (`--vars`), as dbt's var lookup orders them.
    public func vars(forPackage package: String, packageNames: Set<String> = [], cliVars: ConfigObject = ConfigObject())
        -> ConfigObject
    {
        let packages = packageNames.union([name])
        var out = ConfigObject()
        for (k, v) in vars where !(packages.contains(k) && v.asDict != nil) { out[k] = v }
        if let own = vars[package]?.asDict { for (k, v) in own { out[k] = v } }
        for (k, v) in cliVars { out[k] = v }
        return out
    }

    /// The config tree for a resource type (`models:`, `seeds:`, `data_tests:`…).
    public func configTree(for type: ResourceType) -> ConfigObject {
        switch type {
        case .model: return models
        case .seed: return seeds
        case .test: return dataTests
        case .snapshot: return snapshots
        case .source: return sources
        case .analysis: return analyses
        default: return ConfigObject()
        }
    }
}

/// Which YAML values dbt renders at load time, and how rendered text becomes a value.
enum YAMLRendering {
    static func renderProject(_ root: ConfigObject, render: YAMLValueRenderer, file: String) throws -> ConfigObject {
        var out = ConfigObject()
        for (k, v) in root {
            if ["vars", "on-run-start", "on-run-end", "query-comment"].contains(k) {
                out[k] = v
            } else if ["models", "seeds", "snapshots", "tests", "data_tests", "sources", "analyses"].contains(k) {
                out[k] = try renderTree(v, render: render, file: file, skipHooks: true)
            } else {
                out[k] = try renderTree(v, render: render, file: file, skipHooks: false)
            }
        }
        return out
    }

    /// Renders every string with `{{` in a tree; hooks are left for run time when `skipHooks`.
    static func renderTree(_ v: ConfigValue, render: YAMLValueRenderer, file: String, skipHooks: Bool) throws -> ConfigValue {
        switch v {
        case .string(let s) where s.contains("{{") || s.contains("{%"):
            do {
                return nativeValue(try render(s))
            } catch let e as ProjectError {
                throw e
            } catch {
                throw ProjectError(.render, "could not render `\(s)`: \(error)", location: SourceLocation(file: file))
            }
        case .array(let a):
            return .array(try a.map { try renderTree($0, render: render, file: file, skipHooks: skipHooks) })
        case .dict(let d):
            var out = ConfigObject()
            for (k, child) in d {
                let bare = k.hasPrefix("+") ? String(k.dropFirst()) : k
                if skipHooks && (bare == "pre-hook" || bare == "post-hook" || bare == "pre_hook" || bare == "post_hook") {
                    out[k] = child
                } else {
                    out[k] = try renderTree(child, render: render, file: file, skipHooks: skipHooks)
                }
            }
            return .dict(out)
        default:
            return v
        }
    }

    /// dbt renders YAML values in "native" mode: output that reads as a Python literal (a number,
    /// `True`/`False`, `None`) becomes that value; anything else stays a string.
    static func nativeValue(_ s: String) -> ConfigValue {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let i = Int(t) { return .int(i) }
        if t.contains("."), let d = Double(t), !t.hasPrefix("."), !t.hasSuffix(".") { return .double(d) }
        switch t {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .null
        default: return .string(s)
        }
    }
}
