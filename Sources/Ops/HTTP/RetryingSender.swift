import Foundation
import HTTPClient

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
