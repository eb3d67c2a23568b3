import Dispatch
import FlyingFox
import FlyingSocks
import Foundation

/// Serves a ``WebApp`` over HTTP/1.1 with FlyingFox (BSD sockets and Swift concurrency; no SwiftNIO).
public final class WebServer: Sendable {
    let server: HTTPServer
    let app: WebApp

    /// Binds `host:port` (port 0 picks a free port; see ``port()``).
    /// - Throws: FlyingFox's socket errors for an invalid address.
    public init(app: WebApp, host: String = "127.0.0.1", port: UInt16 = 8580) throws {
        self.app = app
        server = HTTPServer(address: try .inet(ip4: host, port: port), timeout: 30,
                            logger: .disabled, handler: AppHandler(app: app))
    }

    /// Runs until cancelled or ``stop()``.
    /// - Throws: socket errors (e.g. the port is in use).
    public func run() async throws { try await server.run() }

    /// Waits until the socket listens (at most `timeout` seconds).
    public func waitUntilListening(timeout: Double = 5) async throws { try await server.waitUntilListening(timeout: timeout) }

    /// The bound port (after listening), e.g. when 0 was asked for.
    public func port() async -> UInt16? {
        if case .ip4(_, let port)? = await server.listeningAddress { return port }
        if case .ip6(_, let port)? = await server.listeningAddress { return port }
        return nil
    }

    public func stop() async { await server.stop(timeout: 1) }
}

/// Moves each request off the concurrency pool: pages run synchronous SQLite reads.
struct AppHandler: HTTPHandler {
    let app: WebApp

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        var headers: [String: String] = [:]
        for (key, value) in request.headers { headers[key.rawValue.lowercased()] = value }
        let webRequest = WebRequest(method: request.method.rawValue, target: request.target.rawValue, headers: headers)
        let app = self.app
        let response = await withCheckedContinuation { (continuation: CheckedContinuation<WebResponse, Never>) in
            DispatchQueue.global().async { continuation.resume(returning: app.handle(webRequest)) }
        }
        var out = HTTPHeaders()
        out[HTTPHeader("Content-Type")] = response.contentType
        for (key, value) in response.headers { out[HTTPHeader(key)] = value }
        let body = webRequest.method == "HEAD" ? Data() : response.body
        return HTTPResponse(statusCode: HTTPStatusCode(response.status, phrase: Self.phrase(response.status)), headers: out, body: body)
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 503: return "Service Unavailable"
        default: return status >= 500 ? "Internal Server Error" : "OK"
        }
    }
}
