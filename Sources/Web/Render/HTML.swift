import Foundation
import Jinja

/// HTML escaping and the template context.
///
/// Our Jinja engine has no autoescape (dbt runs it with autoescape off; see
/// `Sources/Jinja/COMPATIBILITY.md`), so the Web module escapes at the context boundary instead:
/// every text value enters a template through ``HTML/text(_:)``, which escapes it (markupsafe's
/// rules), and only fragments this module builds itself (SVG charts, the lineage graph) enter
/// through ``HTML/safe(_:)``. Templates therefore never see unescaped viewer or project text, and
/// `{{ x }}` is safe everywhere. The `escape`/`e` filter stays available for literals.
enum HTML {
    /// `&`, `<`, `>`, `"`, `'` → entities (markupsafe `escape`).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Text for a template: escaped.
    static func text(_ s: String?) -> Value { .string(escape(s ?? "")) }
    /// Trusted markup built by this module.
    static func safe(_ html: String) -> Value { .string(html) }
    static func list(_ items: [Value]) -> Value { .makeList(items) }
    static func dict(_ pairs: [(String, Value)]) -> Value { .makeDict(pairs) }

    /// Percent-encodes one URL path segment or query value.
    static func urlComponent(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// Where pages link to: the server's routes, or the static site's files (`docs generate`).
struct Links: Sendable {
    var isStatic: Bool

    var home: String { isStatic ? "index.html" : "/" }
    func node(_ id: String) -> String {
        isStatic ? "node-\(Links.fileSafe(id)).html" : "/node/\(HTML.urlComponent(id))"
    }
    var runs: String { isStatic ? "runs.html" : "/runs" }
    func run(_ id: String) -> String { isStatic ? "run-\(Links.fileSafe(id)).html" : "/runs/\(HTML.urlComponent(id))" }
    var dashboards: String { isStatic ? "dashboards.html" : "/dashboards" }
    func dashboard(_ name: String, filters: [String: String] = [:]) -> String {
        if isStatic { return "dashboard-\(Links.fileSafe(name)).html" }
        let query = filters.sorted { $0.key < $1.key }.map { "\(HTML.urlComponent($0.key))=\(HTML.urlComponent($0.value))" }
        return "/dashboards/\(HTML.urlComponent(name))" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
    func asset(_ name: String) -> String { isStatic ? "assets/\(name)" : "/assets/\(name)" }

    /// A file name from a node id: letters, digits, `.`, `_`, `-` kept, others as `_`.
    static func fileSafe(_ s: String) -> String {
        String(s.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) ? Character($0) : "_" })
    }
}
