import Foundation

/// Writes artifact files (`target/compiled`, `target/run`) quickly.
///
/// Foundation's `Data.write(to:)` syncs every file to disk; for tens of thousands of small,
/// regenerable artifact files that dominates a compile, so these are written with stdio and
/// left to the OS to flush, as dbt does. Folders are created once per invocation.
///
/// - Note: `@unchecked Sendable`: `lock` guards `createdFolders`.
final class ArtifactFileWriter: @unchecked Sendable {
    private let lock = NSLock()
    private var createdFolders: Set<String> = []

    /// Writes `text` to `path` (UTF-8), creating the parent folders.
    /// - Throws: `CocoaError` when a folder cannot be created, ``RunError`` when the file cannot be written.
    func write(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        lock.lock()
        let known = createdFolders.contains(folder)
        lock.unlock()
        if !known {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            lock.lock()
            createdFolders.insert(folder)
            lock.unlock()
        }
        guard let file = fopen(path, "wb") else {
            throw RunError(.internal, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes = text
        let written = bytes.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == text.utf8.count else {
            throw RunError(.internal, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
