import Foundation
import Jinja
import Project

/// Renders `{{ env_var('X') }}` and `{{ var('x') }}` in dbt_project.yml and profiles.yml values,
/// as dbt does before reading them (docs.getdbt.com/reference/dbt-jinja-functions/env_var).
///
/// - Parameters:
///   - environment: the process environment `env_var` reads.
///   - vars: `--vars`, for `var()` in dbt_project.yml.
/// - Returns: a renderer for the Project module's YAML readers; it throws `JinjaError` with the
///   value's text as the template name.
public func yamlValueRenderer(environment: [String: String], vars: [String: ConfigValue] = [:]) -> YAMLValueRenderer {
    let jinja = Environment()
    jinja.undefinedBehavior = .strict
    jinja.globals["env_var"] = .function(Builtins.envVar(environment: environment))
    jinja.globals["var"] = .object(Builtins.VarFunction(vars: vars))
    return { text in try jinja.render(text, name: "yaml value", context: [:]) }
}

/// Parses `--vars` (a YAML or JSON mapping) into variables.
/// - Throws: `ProjectError` when the text is not a mapping.
public func parseCLIVars(_ text: String?) throws -> [String: ConfigValue] {
    guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [:] }
    let value = try YAMLReader.parse(text, file: "--vars")
    guard let object = value.asDict else {
        throw ProjectError(.invalidProject, "--vars must be a YAML mapping such as '{key: value}'",
                           location: SourceLocation(file: "--vars"), hint: "quote it: --vars '{start_date: 2025-01-01}'")
    }
    var vars: [String: ConfigValue] = [:]
    for (key, value) in object { vars[key] = value }
    return vars
}
