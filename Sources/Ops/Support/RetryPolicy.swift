import Foundation

/// How often and how patiently to retry: exponential back-off with jitter.
///
/// The delay before retry `n` (1-based) is `min(maxDelaySeconds, initialDelaySeconds × multiplier^(n-1))`,
/// then scaled by a random factor in `[1 - jitterFraction, 1]` ("equal jitter" narrowed), so that
/// clients retrying together spread out. Modelled on dbt-bigquery's `retry.py` (a value with an
/// initial delay, a multiplier, a maximum and a retryable predicate).
///
/// ```swift
/// let policy = RetryPolicy(maxAttempts: 5, initialDelaySeconds: 0.5)
/// policy.delaySeconds(beforeRetry: 3, random: 1)   // 2.0
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 = no retry).
    public var maxAttempts: Int
    public var initialDelaySeconds: Double
    public var multiplier: Double
    public var maxDelaySeconds: Double
    /// 0 = no jitter; 0.5 = the delay is between half and all of the computed one.
    public var jitterFraction: Double

    public init(maxAttempts: Int = 5, initialDelaySeconds: Double = 1, multiplier: Double = 2,
                maxDelaySeconds: Double = 60, jitterFraction: Double = 0.5) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelaySeconds = max(0, initialDelaySeconds)
        self.multiplier = max(1, multiplier)
        self.maxDelaySeconds = max(0, maxDelaySeconds)
        self.jitterFraction = min(1, max(0, jitterFraction))
    }

    /// No retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1 = the first retry), in seconds.
    /// - Parameter random: a number in [0, 1]; 1 gives the full delay.
    public func delaySeconds(beforeRetry retry: Int, random: Double = Double.random(in: 0...1)) -> Double {
        let exponent = Double(max(0, retry - 1))
        let base = min(maxDelaySeconds, initialDelaySeconds * pow(multiplier, exponent))
        return base * (1 - jitterFraction * (1 - min(1, max(0, random))))
    }

    /// Runs `body` until it succeeds, the error is not retryable, or the attempts run out.
    /// - Parameters:
    ///   - clock: sleeps between attempts.
    ///   - isRetryable: whether an error deserves another attempt.
    ///   - onRetry: told of each failure that will be retried (attempt number, error, delay in seconds).
    /// - Throws: the last error.
    public func run<T>(clock: any OpsClock, isRetryable: (Error) -> Bool = { _ in true },
                       onRetry: (Int, Error, Double) -> Void = { _, _, _ in },
                       _ body: (_ attempt: Int) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body(attempt)
            } catch {
                guard attempt < maxAttempts, isRetryable(error) else { throw error }
                let delay = delaySeconds(beforeRetry: attempt)
                onRetry(attempt, error, delay)
                clock.sleep(seconds: delay)
                attempt += 1
            }
        }
    }
}
