import Foundation
import HTTPClient
import Testing

/// The shared ``URLSessionTransport`` against the recording server of `http_server.py`: what it
/// sends, what it hands back, and that no failure quotes the secret URL or a header value.
@Suite(.serialized) struct HTTPTransportTests {
    let secretPath = "/services/T9/B9/hooksecret4242"
    let token = "tok-5e1d9a77c3"

    /// Headers arrive as given (the secret revealed only on the wire); the answer's header names
    /// are lowercased (the server writes `Retry-After` and `Content-Type`) and `Retry-After` is read.
    @Test func sendsHeadersAndLowercasesAnswerHeaders() throws {
        let server = try TestHTTPServer()
        try server.plan(["429"])
        let transport = URLSessionTransport()
        let response = try transport.send(HTTPRequest(method: "POST", url: Secret(server.url(secretPath)),
                                                      headers: ["Authorization": Secret("Bearer " + token)],
                                                      body: Data(#"{"rows": []}"#.utf8), timeoutSeconds: 5))
        #expect(response.status == 429)
        #expect(!response.isSuccess)
        #expect(response.headers["retry-after"] == "0")
        #expect(response.retryAfterSeconds == 0)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers.keys.allSatisfy { $0 == $0.lowercased() })
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error": "injected"}"#)
        let recorded = try #require(try server.state().requests.last)
        #expect(recorded.path == secretPath)
        #expect(recorded.headers["Authorization"] == "Bearer " + token)
        #expect(recorded.body == #"{"rows": []}"#)
    }

    /// An answer later than the timeout is a `.timeout` (the server answers after 3 s), thrown
    /// near the timeout, not when the answer finally comes; the message holds no secret.
    @Test func slowAnswerIsATimeoutWithoutTheURL() throws {
        let server = try TestHTTPServer()
        try server.plan(["timeout"])
        let started = Date()
        let error = #expect(throws: HTTPError.self) {
            try URLSessionTransport().send(HTTPRequest(method: "POST", url: Secret(server.url(secretPath)), body: Data("{}".utf8),
                                                       timeoutSeconds: 1))
        }
        #expect(Date().timeIntervalSince(started) < 2.5)
        #expect(error?.kind == .timeout)
        #expect(error?.isRetryable == true)
        #expect(error?.description == "no answer within 1 s")
    }

    /// A dropped connection is `.connection` and retryable, and the transport does not resend the
    /// request on its own (the server saw it once): retrying is the caller's policy.
    @Test func droppedConnectionIsReportedNotResent() throws {
        let server = try TestHTTPServer()
        try server.plan(["ok", "drop"])
        let transport = URLSessionTransport()
        let request = HTTPRequest(method: "POST", url: Secret(server.url(secretPath)), body: Data("{}".utf8), timeoutSeconds: 5)
        #expect(try transport.send(request).status == 200)
        let error = #expect(throws: HTTPError.self) { try transport.send(request) }
        #expect(error?.kind == .connection)
        #expect(error?.isRetryable == true)
        #expect(error.map { !$0.description.contains("hooksecret") } == true)
        #expect(try server.state().requests.count == 2)
    }

    /// A URL that is not http(s) fails before anything is sent, without quoting the URL.
    @Test func badURLNeverQuotesTheURL() throws {
        for url in ["ftp://example.invalid/hooksecret4242", "hooksecret4242", ""] {
            let error = #expect(throws: HTTPError.self) {
                try URLSessionTransport().send(HTTPRequest(method: "POST", url: Secret(url)))
            }
            #expect(error?.kind == .badURL)
            #expect(error?.isRetryable == false)
            #expect(error.map { !$0.description.contains("hooksecret") } == true)
        }
    }

    /// `Secret` never prints itself; the ``Redactor`` removes known values, longest first.
    @Test func secretsStayOutOfText() {
        let secret = Secret(token)
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "Secret(<redacted>)")
        var dumped = ""
        dump(HTTPRequest(method: "GET", url: Secret("https://x.invalid/" + token), headers: ["Authorization": secret]), to: &dumped)
        #expect(!dumped.contains(token))
        var redactor = Redactor([Secret("abc")])
        redactor.add(Secret(token))
        redactor.add(Secret(token + "-long"))
        #expect(redactor.redact("a \(token)-long b \(token) abc") == "a <redacted> b <redacted> abc")
    }

    /// Which failures are worth another attempt (RFC 9110: 408 and 429 ask for one; 5xx are the
    /// server's; other 4xx reject the request itself).
    @Test func retryableStatuses() {
        let verdicts = [400, 401, 404, 408, 409, 429, 500, 502, 503].map { HTTPError(.status, status: $0, "HTTP \($0)").isRetryable }
        #expect(verdicts == [false, false, false, true, false, true, true, true, true])
    }
}
