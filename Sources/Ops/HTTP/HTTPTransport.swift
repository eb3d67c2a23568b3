import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request. The URL and any header may be secrets: they are revealed only when the
/// request is handed to the network, and never appear in errors.
public struct HTTPRequest: Sendable {
    public var url: Secret
    public var method: String
    public var headers: [String: Secret]
    public var body: Data
    public var timeoutSeconds: Double

    public init(url: Secret, method: String = "POST", headers: [String: Secret] = [:], body: Data, timeoutSeconds: Double = 30) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

/// An HTTP answer (any status).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// `Retry-After` in seconds, when the server gave one as a number.
    public var retryAfterSeconds: Double? { headers["retry-after"].flatMap(Double.init) }
}

/// Why a request failed. The message never contains the URL or a header value.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No answer within the timeout.
        case timeout
        /// The connection could not be made or was dropped before an answer.
        case connection
        /// The server answered with a status that is not 2xx.
        case status
        /// The URL is not a valid http(s) URL.
        case badURL
    }

    public var kind: Kind
    public var status: Int?
    public var message: String
    public var retryAfterSeconds: Double?

    public init(_ kind: Kind, status: Int? = nil, _ message: String, retryAfterSeconds: Double? = nil) {
        self.kind = kind
        self.status = status
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Timeouts, dropped connections, 429 and 5xx are worth another attempt; other 4xx are not
    /// (the request itself is wrong and will be rejected again).
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .connection: return true
        case .badURL: return false
        case .status: return status == 429 || (status ?? 0) >= 500 || status == 408
        }
    }

    public var description: String { message }
}

/// Sends HTTP requests: a small capability, so sync destinations and alert sinks share one client.
public protocol HTTPTransport: Sendable {
    /// Sends one request and returns the answer, whatever its status.
    /// - Throws: ``HTTPError`` `.timeout`, `.connection` or `.badURL` when there is no answer.
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}

/// ``HTTPTransport`` over Foundation's `URLSession` (libcurl on Linux), made synchronous: callers
/// run on their own threads (Ops is driven by CLI verbs and the scheduler's loop).
public struct URLSessionTransport: HTTPTransport {
    public init() {}

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let url = URL(string: request.url.reveal()), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            throw HTTPError(.badURL, "the destination URL is not an http(s) URL")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        urlRequest.timeoutInterval = request.timeoutSeconds
        for (name, value) in request.headers { urlRequest.setValue(value.reveal(), forHTTPHeaderField: name) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = request.timeoutSeconds
        configuration.timeoutIntervalForResource = request.timeoutSeconds
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: urlRequest) { data, response, error in
            if let error {
                let code = (error as? URLError)?.code
                if code == .timedOut {
                    box.set(.failure(HTTPError(.timeout, "no answer within \(request.timeoutSeconds)s")))
                } else {
                    box.set(.failure(HTTPError(.connection, "connection failed (URLError \(code?.rawValue ?? 0))")))
                }
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
        // The session's own timeout fires first; this is a backstop against a stuck transfer.
        if semaphore.wait(timeout: .now() + request.timeoutSeconds + 5) == .timedOut {
            task.cancel()
            throw HTTPError(.timeout, "no answer within \(request.timeoutSeconds)s")
        }
        return try box.get()
    }
}

/// The outcome of a callback, handed between threads; one lock guards it.
final class ResultBox: @unchecked Sendable {
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

/// Sends a request with retries: 429/5xx/timeouts/dropped connections are retried with the
/// policy's exponential back-off and jitter (at least `Retry-After` when the server sends one);
/// a rate limit spaces every request, retries included.
public final class RetryingSender: @unchecked Sendable {
    let transport: any HTTPTransport
    let policy: RetryPolicy
    let clock: any OpsClock
    let minimumIntervalSeconds: Double
    private var lastRequestAt: Date?
    private let lock = NSLock()

    /// - Parameter rateLimitPerSecond: requests per second at most (nil: no limit).
    public init(transport: any HTTPTransport, policy: RetryPolicy, clock: any OpsClock, rateLimitPerSecond: Double? = nil) {
        self.transport = transport
        self.policy = policy
        self.clock = clock
        minimumIntervalSeconds = rateLimitPerSecond.map { $0 > 0 ? 1 / $0 : 0 } ?? 0
    }

    /// Sends until a 2xx answer, a non-retryable failure, or the attempts run out.
    /// - Parameter onRetry: told of each retried failure (attempt number, error, delay in seconds).
    /// - Returns: the 2xx answer and the number of attempts it took.
    /// - Throws: the last ``HTTPError``.
    public func send(_ request: HTTPRequest, onRetry: (Int, HTTPError, Double) -> Void = { _, _, _ in }) throws -> (HTTPResponse, Int) {
        var attempt = 1
        while true {
            pace()
            let error: HTTPError
            do {
                let response = try transport.send(request)
                if response.isSuccess { return (response, attempt) }
                error = HTTPError(.status, status: response.status, "HTTP \(response.status)", retryAfterSeconds: response.retryAfterSeconds)
            } catch let failure as HTTPError {
                error = failure
            } catch {
                throw HTTPError(.connection, "request failed")
            }
            guard attempt < policy.maxAttempts, error.isRetryable else { throw error }
            let delay = max(policy.delaySeconds(beforeRetry: attempt), min(error.retryAfterSeconds ?? 0, policy.maxDelaySeconds))
            onRetry(attempt, error, delay)
            clock.sleep(seconds: delay)
            attempt += 1
        }
    }

    private func pace() {
        guard minimumIntervalSeconds > 0 else { return }
        lock.lock()
        let wait = lastRequestAt.map { minimumIntervalSeconds - clock.now.timeIntervalSince($0) } ?? 0
        lock.unlock()
        if wait > 0 { clock.sleep(seconds: wait) }
        lock.lock(); lastRequestAt = clock.now; lock.unlock()
    }
}
