import Foundation

/// Parsed artifacts, reused while the file on disk is unchanged (same modification time and
/// size). Builds replace artifacts atomically (write then rename), so a changed file is seen on
/// the next request: pages still show the artifacts as they are.
final class ArtifactCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (stamp: String, value: any Sendable)] = [:]

    /// The value parsed from `path`, parsing again only when the file changed.
    func value<T: Sendable>(_ path: String, parse: () throws -> T) throws -> T {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = "\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1)|\((attributes?[.size] as? NSNumber)?.intValue ?? -1)"
        lock.lock()
        if let entry = entries[path], entry.stamp == stamp, let value = entry.value as? T {
            lock.unlock()
            return value
        }
        lock.unlock()
        let value = try parse()
        lock.lock()
        entries[path] = (stamp, value)
        lock.unlock()
        return value
    }
}
