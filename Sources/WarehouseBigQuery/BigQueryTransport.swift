import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Warehouse

/// One HTTP request to BigQuery or to the token endpoint. Headers may hold a bearer token: they
/// are handed to the network only and never appear in errors or logs.
public struct BigQueryHTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: Data
    /// Seconds to wait for the answer.
    public var timeoutSeconds: Double

    public init(method: String, url: String, headers: [String: String] = [:], body: Data = Data(), timeoutSeconds: Double = 60) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

/// An HTTP answer, whatever its status.
public struct BigQueryHTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends HTTP requests synchronously (the adapter is called from the runner's worker threads).
/// Tests substitute a recording transport to check the requests the adapter sends.
public protocol BigQueryTransport: Sendable {
    /// - Throws: ``WarehouseError`` `.timeout` or `.connection` when no answer arrives; the
    ///   message names the host, never a header.
    func send(_ request: BigQueryHTTPRequest) throws -> BigQueryHTTPResponse
}

/// ``BigQueryTransport`` over Foundation's `URLSession` (libcurl on Linux): one session shared by
/// every thread (URLSession is thread-safe), each call blocking on a semaphore.
public final class URLSessionBigQueryTransport: BigQueryTransport, @unchecked Sendable {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 16
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: BigQueryHTTPRequest) throws -> BigQueryHTTPResponse {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw WarehouseError(.connection, "'\(request.url.prefix(80))' is not an http(s) URL (check api_endpoint and token_endpoint)")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        if !request.body.isEmpty || request.method == "POST" { urlRequest.httpBody = request.body }
        urlRequest.timeoutInterval = request.timeoutSeconds
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let box = ResponseBox()
        let semaphore = DispatchSemaphore(value: 0)
        let host = url.host ?? "?"
        let task = session.dataTask(with: urlRequest) { data, response, error in
            if let error {
                let code = (error as? URLError)?.code
                if code == .timedOut {
                    box.set(.failure(WarehouseError(.timeout, "no answer from \(host) within \(Int(request.timeoutSeconds)) s")))
                } else {
                    box.set(.failure(WarehouseError(.connection, "could not reach \(host) (URLError \(code?.rawValue ?? 0))")))
                }
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
                }
                box.set(.success(BigQueryHTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data())))
            } else {
                box.set(.failure(WarehouseError(.connection, "no HTTP answer from \(host)")))
            }
            semaphore.signal()
        }
        task.resume()
        semaphore.wait()
        guard let result = box.get() else { throw WarehouseError(.connection, "no answer from \(host)") }
        return try result.get()
    }
}

/// The completion handler's result, handed across threads under a lock.
private final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<BigQueryHTTPResponse, WarehouseError>?
    func set(_ value: Result<BigQueryHTTPResponse, WarehouseError>) { lock.lock(); result = value; lock.unlock() }
    func get() -> Result<BigQueryHTTPResponse, WarehouseError>? { lock.lock(); defer { lock.unlock() }; return result }
}
