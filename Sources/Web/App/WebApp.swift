import Foundation
import Jinja

/// An HTTP request as the app sees it (the server library is kept out of the app, so the same
/// pages render in tests, in `serve` and in `docs generate`).
public struct WebRequest: Sendable {
    public var method: String
    /// The decoded path, e.g. `/node/model.p.stg_orders`.
    public var path: String
    /// Query parameters (the last value wins).
    public var query: [String: String]
    /// Header names in lower case.
    public var headers: [String: String]

    public init(method: String = "GET", path: String, query: [String: String] = [:], headers: [String: String] = [:]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }

    /// Parses `"/path?a=1&b=x%20y"` (`+` is a space, as forms send it).
    public init(method: String = "GET", target: String, headers: [String: String] = [:]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = String(parts.first ?? "/")
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ s: Substring) -> String {
                    String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
                }
                query[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
            }
        }
        self.init(method: method, path: rawPath.removingPercentEncoding ?? rawPath, query: query, headers: headers)
    }
}

/// A response: status, content type and body; `headers` adds more.
public struct WebResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: Data
    public var headers: [String: String]

    public init(status: Int = 200, contentType: String, body: Data, headers: [String: String] = [:]) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    static func html(_ s: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, contentType: "text/html; charset=utf-8", body: Data(s.utf8))
    }
    static func json(_ object: Any, status: Int = 200) -> WebResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
        return WebResponse(status: status, contentType: "application/json", body: data)
    }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Settings of the app.
public struct WebConfig: Sendable {
    /// The project folder (dashboards are read from `<projectDir>/dashboards`).
    public var projectDir: String
    /// The folder with manifest.json and run_results.json (usually `<projectDir>/target`).
    public var targetDir: String
    /// The warehouse, opened read-only; nil when the target is not a warehouse the Web module can
    /// read (pages then omit row counts, failing rows and dashboards say why).
    public var warehouse: (any ReadOnlyWarehouse)?
    /// Run history; defaults to `<targetDir>/run_results.json`.
    public var history: any RunHistorySource
    /// When set, every request must carry it (`?token=`, a cookie set from it, or `Authorization: Bearer`).
    public var accessToken: String?
    public var limits: QueryLimits

    public init(projectDir: String, targetDir: String? = nil, warehouse: (any ReadOnlyWarehouse)? = nil,
                history: (any RunHistorySource)? = nil, accessToken: String? = nil, limits: QueryLimits = QueryLimits()) {
        self.projectDir = projectDir
        let target = targetDir ?? URL(fileURLWithPath: projectDir).appendingPathComponent("target").path
        self.targetDir = target
        self.warehouse = warehouse
        self.history = history ?? RunResultsFileHistory(path: URL(fileURLWithPath: target).appendingPathComponent("run_results.json").path)
        self.accessToken = accessToken
        self.limits = limits
    }
}

/// The docs, lineage, runs and dashboards site. Stateless between requests: each request reads the
/// artifacts as they are on disk (so a build that finishes while the server runs shows at once).
public final class WebApp: Sendable {
    public let config: WebConfig
    let env: Environment
    let cache = ArtifactCache()

    public init(config: WebConfig) {
        self.config = config
        let env = Environment()
        let templates = Templates.all
        env.loader = { templates[$0] }
        self.env = env
    }

    var manifestPath: String { URL(fileURLWithPath: config.targetDir).appendingPathComponent("manifest.json").path }

    /// Handles one request; never throws (errors become error pages or JSON errors).
    public func handle(_ request: WebRequest) -> WebResponse {
        if let token = config.accessToken, !authorized(request, token: token) {
            if request.path.hasPrefix("/api/") { return .json(["error": "unauthorized"], status: 401) }
            return .html("<!doctype html><title>OpsFlow</title><h1>401</h1><p>Add ?token=… to the URL.</p>", status: 401)
        }
        var response = route(request)
        if let token = config.accessToken, request.query["token"] == token {
            // Remember the token for the page's own links and requests.
            response.headers["Set-Cookie"] = "opsflow_token=\(HTML.urlComponent(token)); Path=/; HttpOnly; SameSite=Strict"
        }
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    }

    func authorized(_ request: WebRequest, token: String) -> Bool {
        if request.query["token"] == token { return true }
        if request.headers["authorization"] == "Bearer \(token)" { return true }
        for part in (request.headers["cookie"] ?? "").split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == "opsflow_token", String(kv[1]).removingPercentEncoding == token { return true }
        }
        return false
    }

    func route(_ request: WebRequest) -> WebResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .json(["error": "method not allowed"], status: 405)
        }
        let links = Links(isStatic: false)
        let path = request.path
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        do {
            switch segments.first {
            case nil:
                return .html(try lineagePage(links, focus: request.query["focus"], q: request.query["q"],
                                             tests: request.query["tests"] != "0"))
            case "assets":
                guard segments.count == 2, let asset = Assets.files[segments[1]] else { return notFound(links) }
                return WebResponse(contentType: asset.contentType, body: Data(asset.body.utf8))
            case "node" where segments.count >= 2:
                let id = segments.dropFirst().joined(separator: "/")
                guard let page = try nodePage(links, id: id) else { return notFound(links) }
                return .html(page)
            case "runs":
                if segments.count == 1 { return .html(try runsPage(links)) }
                guard let page = try runPage(links, id: segments[1]) else { return notFound(links) }
                return .html(page)
            case "dashboards":
                if segments.count == 1 { return .html(try dashboardsPage(links)) }
                let fragment = segments.count == 3 && segments[2] == "cards"
                guard segments.count == 2 || fragment else { return notFound(links) }
                return try dashboardResponse(links, name: segments[1], query: request.query, fragmentOnly: fragment)
            case "api":
                return try api(Array(segments.dropFirst()), query: request.query)
            case "healthz":
                return .json(["status": "ok"])
            default:
                return notFound(links)
            }
        } catch let error as WebError {
            if segments.first == "api" { return .json(["error": error.description], status: 500) }
            return .html(errorPage(links, heading: "Cannot show this page", message: error.description), status: 500)
        } catch {
            return .html(errorPage(links, heading: "Cannot show this page", message: "\(error)"), status: 500)
        }
    }

    func notFound(_ links: Links) -> WebResponse {
        .html(errorPage(links, heading: "Not found", message: "There is no page here."), status: 404)
    }

    func errorPage(_ links: Links, heading: String, message: String) -> String {
        let body = (try? env.renderTemplate(named: "error.html", context: ["heading": HTML.text(heading), "message": HTML.text(message)]))
            ?? HTML.escape(message)
        return (try? layout(links, title: heading, page: "error", body: body, catalog: nil)) ?? body
    }

    /// Wraps a page body in the layout.
    func layout(_ links: Links, title: String, page: String, body: String, catalog: Catalog?) throws -> String {
        let linkValues = HTML.dict([
            ("home", HTML.text(links.home)), ("runs", HTML.text(links.runs)), ("dashboards", HTML.text(links.dashboards)),
            ("css", HTML.text(links.asset("app.css"))), ("js", HTML.text(links.asset("app.js"))),
        ])
        let hasDashboards = !((try? dashboardSpecs()) ?? []).isEmpty
        return try env.renderTemplate(named: "layout.html", context: [
            "title": HTML.text(title), "page": HTML.text(page), "body_html": HTML.safe(body), "links": linkValues,
            "project": HTML.text(catalog?.projectName), "generated_at": HTML.text(catalog?.generatedAt),
            "has_dashboards": .bool(hasDashboards), "static": .bool(links.isStatic),
        ])
    }
}
