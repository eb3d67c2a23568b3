import Foundation

/// One output of a profile (`outputs.<name>` in profiles.yml): the warehouse connection.
///
/// `schema` is also read from BigQuery's `dataset`, `database` from BigQuery's `project`.
/// Every key, typed or not, stays in `fields` for the adapter (`path`, `keyfile`, `host`…).
public struct Target: Sendable, Hashable {
    /// The output's name (`dev`, `prod`).
    public var name: String
    /// The adapter type (`sqlite`, `postgres`, `bigquery`).
    public var type: String
    /// Worker threads (`threads:`, default 1).
    public var threads: Int
    public var schema: String?
    public var database: String?
    /// All keys as written (after rendering), for the adapter.
    public var fields: ConfigObject
    /// Why the output's values could not be rendered (an `env_var()` without a value, say).
    /// dbt renders only the output it uses, so this is thrown only when this output is selected.
    public var renderError: ProjectError?

    public init(name: String, type: String, threads: Int = 1, schema: String? = nil, database: String? = nil,
                fields: ConfigObject = ConfigObject()) {
        self.name = name
        self.type = type
        self.threads = threads
        self.schema = schema
        self.database = database
        self.fields = fields
    }

    /// A key of the output as a `ConfigValue` (`target["path"]`).
    public subscript(key: String) -> ConfigValue? { fields[key] }
}

/// One profile of profiles.yml: a default target name and its outputs.
public struct Profile: Sendable, Hashable {
    public var name: String
    /// The `target:` key: which output is used without `--target`.
    public var defaultTarget: String?
    /// Outputs in file order.
    public var outputs: [Target]

    /// The output to use: `override` (`--target`) or the profile's `target:`.
    /// - Throws: `.targetNotFound` listing the outputs that exist.
    public func target(_ override: String? = nil, file: String = "profiles.yml") throws -> Target {
        guard let wanted = override ?? defaultTarget ?? (outputs.count == 1 ? outputs.first?.name : nil) else {
            throw ProjectError(.targetNotFound, "profile '\(name)' has no `target:` and --target was not given",
                               location: SourceLocation(file: file),
                               hint: "add `target: \(outputs.first?.name ?? "dev")` under `\(name):`")
        }
        guard let t = outputs.first(where: { $0.name == wanted }) else {
            let available = outputs.map(\.name).joined(separator: ", ")
            throw ProjectError(.targetNotFound,
                               "the profile '\(name)' does not have a target named '\(wanted)'. The valid target names for this profile are: \(available.isEmpty ? "(none)" : available)",
                               location: SourceLocation(file: file),
                               hint: "pass --target with one of: \(available), or add an output '\(wanted)' under `\(name).outputs`")
        }
        if let renderError = t.renderError { throw renderError }
        return t
    }
}

/// A parsed profiles.yml: profiles by name, plus where it was read from.
///
/// Found as dbt finds it (https://docs.getdbt.com/docs/core/connect-data-platform/connection-profiles):
/// `--profiles-dir`, then `DBT_PROFILES_DIR`, then the project folder, the current folder, `~/.dbt/`.
/// String values with `{{` (`{{ env_var('DBT_PASSWORD') }}`) go through the injected renderer.
public struct ProfilesFile: Sendable, Hashable {
    public var path: String
    public var profiles: [String: Profile]

    /// Parses profiles.yml text.
    /// - Throws: `.yamlSyntax`, `.invalidProfile` (an output without `type`), `.render`.
    public init(yaml text: String, path: String = "profiles.yml", render: YAMLValueRenderer? = nil) throws {
        self.path = path
        let parsed = try YAMLReader.parse(text, file: path)
        guard case .dict(let root) = parsed else {
            if parsed.isNull { profiles = [:]; return }
            throw ProjectError(.invalidProfile, "profiles.yml must be a mapping of profile names",
                               location: SourceLocation(file: path, line: 1, column: 1))
        }
        var out: [String: Profile] = [:]
        for (pname, pvalue) in root where pname != "config" {
            guard let pdict = pvalue.asDict else {
                throw ProjectError(.invalidProfile, "profile '\(pname)' must be a mapping with `target:` and `outputs:`",
                                   location: SourceLocation(file: path))
            }
            var defaultTarget = pdict["target"].flatMap { $0.asString ?? ($0.isNull ? nil : $0.pythonStr) }
            if let render, let t = defaultTarget, t.contains("{{") {
                defaultTarget = try YAMLRendering.renderTree(.string(t), render: render, file: path, skipHooks: false).pythonStr
            }
            var targets: [Target] = []
            for (tname, tvalue) in pdict["outputs"]?.asDict ?? ConfigObject() {
                guard var fields = tvalue.asDict else {
                    throw ProjectError(.invalidProfile, "output '\(tname)' of profile '\(pname)' must be a mapping",
                                       location: SourceLocation(file: path))
                }
                var renderError: ProjectError?
                if let render {
                    do {
                        if case .dict(let r) = try YAMLRendering.renderTree(.dict(fields), render: render, file: path, skipHooks: false) {
                            fields = r
                        }
                    } catch let error as ProjectError {
                        renderError = error
                    }
                }
                guard let type = fields["type"]?.asString else {
                    throw ProjectError(.invalidProfile, "output '\(tname)' of profile '\(pname)' has no `type`",
                                       location: SourceLocation(file: path), hint: "add `type: sqlite` (or postgres, bigquery)")
                }
                let threads = fields["threads"]?.asInt ?? fields["threads"]?.asString.flatMap { Int($0) } ?? 1
                let schema = (fields["schema"] ?? fields["dataset"]).flatMap { $0.asString ?? ($0.isNull ? nil : $0.pythonStr) }
                let database = (fields["database"] ?? fields["project"] ?? fields["dbname"]).flatMap { $0.asString }
                var target = Target(name: tname, type: type, threads: threads, schema: schema, database: database, fields: fields)
                target.renderError = renderError
                targets.append(target)
            }
            out[pname] = Profile(name: pname, defaultTarget: defaultTarget, outputs: targets)
        }
        profiles = out
    }

    /// The places dbt looks for profiles.yml, in order.
    public static func searchDirectories(profilesDir: String?, projectDir: String,
                                         environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var dirs: [String] = []
        if let profilesDir { dirs.append(profilesDir) }
        if let env = environment["DBT_PROFILES_DIR"], !env.isEmpty { dirs.append(env) }
        dirs.append(projectDir)
        dirs.append(FileManager.default.currentDirectoryPath)
        let home = environment["HOME"] ?? NSHomeDirectory()
        dirs.append((home as NSString).appendingPathComponent(".dbt"))
        var seen = Set<String>()
        return dirs.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// Finds and parses profiles.yml. An explicit `profilesDir` is the only place looked at when given.
    /// - Throws: `.profilesNotFound` naming every folder searched, then as `init(yaml:)`.
    public static func locate(profilesDir: String? = nil, projectDir: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              render: YAMLValueRenderer? = nil) throws -> ProfilesFile {
        let dirs: [String]
        if let profilesDir {
            dirs = [profilesDir]
        } else {
            dirs = searchDirectories(profilesDir: nil, projectDir: projectDir, environment: environment)
        }
        for dir in dirs {
            let path = (dir as NSString).appendingPathComponent("profiles.yml")
            if let data = FileManager.default.contents(atPath: path) {
                return try ProfilesFile(yaml: String(decoding: data, as: UTF8.self), path: path, render: render)
            }
        }
        throw ProjectError(.profilesNotFound,
                           "could not find profiles.yml; looked in: \(dirs.joined(separator: ", "))",
                           hint: "pass --profiles-dir, set DBT_PROFILES_DIR, or put profiles.yml in the project folder")
    }

    /// The profile named `name` (dbt_project.yml's `profile:`).
    /// - Throws: `.profileNotFound` listing the profiles in the file.
    public func profile(_ name: String) throws -> Profile {
        guard let p = profiles[name] else {
            let names = profiles.keys.sorted().joined(separator: ", ")
            throw ProjectError(.profileNotFound,
                               "could not find profile named '\(name)' in \(path)",
                               location: SourceLocation(file: path),
                               hint: names.isEmpty ? "the file defines no profiles" : "profiles defined there: \(names)")
        }
        return p
    }

    /// Profile then target in one step.
    public func target(profile name: String, target override: String? = nil) throws -> Target {
        try profile(name).target(override, file: path)
    }
}
