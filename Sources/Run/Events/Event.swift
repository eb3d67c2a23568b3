import Foundation

/// A thing that happened during an invocation, for the console and the JSON log.
///
/// Codes follow dbt's event codes where dbt has the same event (`dbt/events/core_types.proto`),
/// so log consumers written for dbt keep working.
public struct Event: Sendable {
    public enum Level: String, Sendable { case debug, info, warn, error }

    public var level: Level
    /// A stable code, e.g. `Q011` (a node started), `Q012` (a model finished).
    public var code: String
    /// The event's name, e.g. `LogStartLine`.
    public var name: String
    /// The line as the console prints it (without the time prefix).
    public var message: String
    /// The node the event is about.
    public var nodeId: String?
    /// Extra fields for the JSON log's `data`.
    public var data: [String: String]

    public init(_ level: Level, code: String, name: String, _ message: String, nodeId: String? = nil, data: [String: String] = [:]) {
        self.level = level
        self.code = code
        self.name = name
        self.message = message
        self.nodeId = nodeId
        self.data = data
    }
}

/// Receives events. Implementations must be thread-safe: worker threads emit concurrently.
public protocol EventSink: Sendable {
    func emit(_ event: Event)
}

/// Collects events in memory (tests assert on them).
public final class EventRecorder: EventSink, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Event] = []

    public init() {}

    public func emit(_ event: Event) {
        lock.lock(); recorded.append(event); lock.unlock()
    }

    public var events: [Event] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }
}

/// Sends each event to several sinks.
public struct EventFanout: EventSink {
    public var sinks: [any EventSink]
    public init(_ sinks: [any EventSink]) { self.sinks = sinks }
    public func emit(_ event: Event) { for sink in sinks { sink.emit(event) } }
}
