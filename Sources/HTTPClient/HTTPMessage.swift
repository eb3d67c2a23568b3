import Foundation

/// One HTTP request. The URL and every header value are ``Secret``s (a webhook URL, a bearer
/// token): they are revealed only when the request is handed to the network and never appear in
/// an ``HTTPError``.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PATCH`, …
    public var method: String
    public var url: Secret
    /// Header names as sent (HTTP header names are case-insensitive).
    public var headers: [String: Secret]
    public var body: Data
    /// Seconds the whole exchange may take, from sending to the last byte of the answer.
    public var timeoutSeconds: Double

    public init(method: String, url: Secret, headers: [String: Secret] = [:], body: Data = Data(), timeoutSeconds: Double = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

/// An HTTP answer, whatever its status.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased (HTTP header names are case-insensitive, RFC 9110 §5.1).
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A 2xx status.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// `Retry-After` in seconds, when the server gave one as a number (RFC 9110 §10.2.3; the
    /// HTTP-date form is not read).
    public var retryAfterSeconds: Double? { headers["retry-after"].flatMap(Double.init) }
}

/// Why a request failed. The message never contains the URL or a header value: callers that
/// want to name the host add it themselves from a URL they know is not secret.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No answer within the timeout.
        case timeout
        /// The connection could not be made or was dropped before an answer.
        case connection
        /// The server answered with a status that is not 2xx (thrown by callers' policies; a
        /// transport returns such answers instead).
        case status
        /// The URL is not a valid http(s) URL.
        case badURL
    }

    public var kind: Kind
    /// The HTTP status, for `.status`.
    public var status: Int?
    public var message: String
    /// The server's `Retry-After`, in seconds, when it sent one.
    public var retryAfterSeconds: Double?

    public init(_ kind: Kind, status: Int? = nil, _ message: String, retryAfterSeconds: Double? = nil) {
        self.kind = kind
        self.status = status
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Timeouts, dropped connections, 408, 429 and 5xx are worth another attempt; other 4xx are
    /// not (the request itself is wrong and will be rejected again).
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .connection: return true
        case .badURL: return false
        case .status: return status == 429 || (status ?? 0) >= 500 || status == 408
        }
    }

    public var description: String { message }
}
