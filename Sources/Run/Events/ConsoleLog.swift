import Foundation

/// Prints events the way dbt's console does: `HH:MM:SS  message`, or one JSON object a line
/// with `--log-format json`.
///
/// Thread-safe: one lock serialises writes, so lines from worker threads never interleave.
public final class ConsoleLog: EventSink, @unchecked Sendable {
    public enum Format: String, Sendable { case text, json }

    private let format: Format
    private let minimumLevel: Event.Level
    private let invocationId: String
    private let lock = NSLock()
    private let output: FileHandle
    private let timeFormatter: DateFormatter

    /// - Parameters:
    ///   - format: `text` (dbt's default) or `json`.
    ///   - quiet: print only errors (dbt's `--quiet`).
    ///   - invocationId: written into every JSON line.
    public init(format: Format = .text, quiet: Bool = false, invocationId: String, output: FileHandle = .standardOutput) {
        self.format = format
        self.minimumLevel = quiet ? .error : .info
        self.invocationId = invocationId
        self.output = output
        timeFormatter = DateFormatter()
        timeFormatter.dateFormat = "HH:mm:ss"
        timeFormatter.locale = Locale(identifier: "en_US_POSIX")
    }

    public func emit(_ event: Event) {
        guard rank(event.level) >= rank(minimumLevel) else { return }
        let now = Date()
        let line: String
        switch format {
        case .text:
            line = event.message.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "\(timeFormatter.string(from: now))  \($0)" }
                .joined(separator: "\n") + "\n"
        case .json:
            var info: [String: Any] = [
                "name": event.name, "code": event.code, "msg": event.message,
                "level": event.level.rawValue, "invocation_id": invocationId,
                "ts": ISO8601DateFormatter.withFractionalSeconds.string(from: now),
                "thread": currentThreadName(),
                // dbt's EventInfo fields, so consumers that read them find them.
                "category": "", "extra": [String: String](), "pid": Int(ProcessInfo.processInfo.processIdentifier),
            ]
            if let nodeId = event.nodeId { info["node_id"] = nodeId }
            let object: [String: Any] = ["info": info, "data": event.data]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = (String(data: data, encoding: .utf8) ?? "{}") + "\n"
        }
        lock.lock()
        output.write(Data(line.utf8))
        lock.unlock()
    }

    private func rank(_ level: Event.Level) -> Int {
        switch level {
        case .debug: 0
        case .info: 1
        case .warn: 2
        case .error: 3
        }
    }
}

extension ISO8601DateFormatter {
    /// `2026-11-30T04:49:15.123456Z`-style timestamps (milliseconds on Linux Foundation).
    nonisolated(unsafe) static let withFractionalSeconds: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}

/// dbt's progress line: `3 of 12 START sql view model dev.stg_orders ....... [RUN]`.
///
/// Same layout as dbt's `format_fancy_output_line` (`dbt/events/format.py`): the prefix is padded
/// with dots to 80 columns, then `[STATUS in 0.12s]`.
public func progressLine(index: Int?, total: Int?, message: String, status: String, seconds: Double? = nil) -> String {
    var prefix = ""
    if let index, let total { prefix = "\(index) of \(total) " }
    prefix += message + " "
    let width = 80
    if prefix.count < width { prefix += String(repeating: ".", count: width - prefix.count) }
    let time = seconds.map { " in " + String(format: "%.2f", $0) + "s" } ?? ""
    return "\(prefix) [\(status)\(time)]"
}
