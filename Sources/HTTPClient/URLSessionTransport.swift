import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends HTTP requests synchronously: a small capability, so that every client in the process
/// (webhooks, syncs, the BigQuery API) shares one implementation, and tests substitute their own.
public protocol HTTPTransport: Sendable {
    /// Sends one request and returns the answer, whatever its status.
    /// - Throws: ``HTTPError`` `.timeout`, `.connection` or `.badURL` when there is no answer.
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}

/// ``HTTPTransport`` over Foundation's `URLSession` (libcurl on Linux), made synchronous: callers
/// run on their own threads (CLI verbs, the scheduler's loop, the runner's workers).
///
/// By default every request goes out on a fresh connection. Reusing connections saves a TCP and
/// TLS handshake per request, but libcurl silently sends a request again when the reused
/// connection turns out to be closed: a webhook that applied the first copy and dropped the
/// connection would see it twice. Clients that make many requests to one API and can bear that
/// rare repeat (the BigQuery adapter) opt in with `reusesConnections: true`; one session then
/// serves every thread.
///
/// ```swift
/// let transport = URLSessionTransport()
/// let answer = try transport.send(HTTPRequest(method: "POST", url: Secret(hookURL),
///                                             headers: ["Content-Type": Secret("application/json")], body: body, timeoutSeconds: 10))
/// if answer.isSuccess { … } else if let wait = answer.retryAfterSeconds { … }
/// ```
///
/// `@unchecked Sendable`: its stored properties are constants and `URLSession` is thread-safe;
/// each call's result crosses threads in a lock-guarded box.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    /// The session every request shares, when connections are reused.
    private let shared: URLSession?
    private let maximumConnectionsPerHost: Int

    /// - Parameters:
    ///   - reusesConnections: keep connections alive between requests (see above).
    ///   - maximumConnectionsPerHost: parallel connections to one host when they are reused (the
    ///     runner's threads share the transport).
    public init(reusesConnections: Bool = false, maximumConnectionsPerHost: Int = 16) {
        self.maximumConnectionsPerHost = maximumConnectionsPerHost
        shared = reusesConnections ? Self.session(maximumConnectionsPerHost) : nil
    }

    deinit { shared?.finishTasksAndInvalidate() }

    private static func session(_ maximumConnectionsPerHost: Int) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maximumConnectionsPerHost
        return URLSession(configuration: configuration)
    }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let url = URL(string: request.url.reveal()), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw HTTPError(.badURL, "the destination URL is not an http(s) URL")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        // No body at all on a bodiless GET/HEAD/DELETE (libcurl would announce an empty one).
        if !request.body.isEmpty || !["GET", "HEAD", "DELETE"].contains(request.method.uppercased()) {
            urlRequest.httpBody = request.body
        }
        urlRequest.timeoutInterval = request.timeoutSeconds
        for (name, value) in request.headers { urlRequest.setValue(value.reveal(), forHTTPHeaderField: name) }
        let timeout = HTTPError(.timeout, "no answer within \(Self.seconds(request.timeoutSeconds)) s")
        let session = shared ?? Self.session(maximumConnectionsPerHost)
        defer { if shared == nil { session.finishTasksAndInvalidate() } }
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: urlRequest) { data, response, error in
            if let error {
                // URLError's own description quotes the URL: only its code is kept.
                let code = (error as? URLError)?.code
                box.set(code == .timedOut ? .failure(timeout)
                        : .failure(HTTPError(.connection, "connection failed (URLError \(code?.rawValue ?? 0))")))
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    headers[String(describing: key).lowercased()] = String(describing: value)
                }
                box.set(.success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data())))
            } else {
                box.set(.failure(HTTPError(.connection, "no HTTP answer")))
            }
            semaphore.signal()
        }
        task.resume()
        // `timeoutInterval` limits the wait between bytes; this bounds the whole exchange (a server
        // trickling its answer would otherwise hold the caller forever).
        if semaphore.wait(timeout: .now() + max(request.timeoutSeconds, 0)) == .timedOut {
            task.cancel()
            throw timeout
        }
        return try box.get()
    }

    /// `10`, `0.5`: whole seconds without a fraction.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// The completion handler's result, handed between threads under a lock.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<HTTPResponse, HTTPError>?

    func set(_ value: Result<HTTPResponse, HTTPError>) {
        lock.lock(); result = value; lock.unlock()
    }

    func get() throws -> HTTPResponse {
        lock.lock(); defer { lock.unlock() }
        guard let result else { throw HTTPError(.connection, "no answer") }
        return try result.get()
    }
}
