import Foundation

/// The time source of the scheduler, sensors and retries: injected so tests run a day in a second.
public protocol OpsClock: Sendable {
    /// The current instant.
    var now: Date { get }
    /// Waits `seconds` (or returns early when the clock is advanced in tests).
    func sleep(seconds: Double)
}

/// The wall clock.
public struct SystemClock: OpsClock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        Thread.sleep(forTimeInterval: seconds)
    }
}

/// A clock that moves only when asked: `sleep` advances it at once. One lock guards the instant.
public final class ManualClock: OpsClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    private var slept: [Double] = []

    public init(start: Date) { instant = start }

    public var now: Date {
        lock.lock(); defer { lock.unlock() }
        return instant
    }

    public func sleep(seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        slept.append(seconds)
        if seconds > 0 { instant = instant.addingTimeInterval(seconds) }
    }

    /// Moves the clock forward.
    public func advance(seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        instant = instant.addingTimeInterval(seconds)
    }

    /// Every `sleep` asked so far, in seconds (tests check back-off delays).
    public var sleeps: [Double] {
        lock.lock(); defer { lock.unlock() }
        return slept
    }
}
