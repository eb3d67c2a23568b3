import Jinja

/// Finds the implementation `adapter.dispatch(name, namespace)` should call, as dbt does
/// (docs.getdbt.com/reference/dbt-jinja-functions/dispatch): for each package searched — the root
/// project, then the named namespace (`dbt` = OpsFlow's built-in global project) — try
/// `<adapter>__<name>`, then the parent adapters' prefixes, then `default__<name>`.
final class MacroDispatcher: @unchecked Sendable {
    /// Macros by package name (`root` project name, `dbt` for the global project).
    let packages: [String: [String: Value]]
    let rootPackage: String
    /// Prefixes tried in order, e.g. `["sqlite__", "default__"]`.
    let prefixes: [String]

    init(packages: [String: [String: Value]], rootPackage: String, adapterTypes: [String]) {
        self.packages = packages
        self.rootPackage = rootPackage
        self.prefixes = adapterTypes.map { $0 + "__" } + ["default__"]
    }

    func candidates(_ name: String) -> [String] {
        prefixes.map { $0 + name }
    }

    func resolve(_ name: String, namespace: String?) -> Value? {
        var search = [rootPackage]
        if let namespace, namespace != rootPackage { search.append(namespace) }
        if namespace == nil { search.append("dbt") }
        for package in search {
            guard let macros = packages[package] else { continue }
            for candidate in candidates(name) {
                if let macro = macros[candidate] { return macro }
            }
        }
        return nil
    }
}
