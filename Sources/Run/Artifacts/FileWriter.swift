import Foundation

/// Writes artifact files (`target/compiled`, `target/run`) quickly.
///
/// Foundation's `Data.write(to:)` syncs every file to disk; for tens of thousands of small,
/// regenerable artifact files that dominates a compile, so these are written with plain POSIX
/// calls and left to the OS to flush, as dbt does. Folders are created once per invocation.
///
/// During a build, nodes hand their files to ``enqueue(_:to:)``: a writer thread creates them
/// while the workers go on with the next node (creating a file costs a few hundred microseconds
/// on a busy machine, a large part of a node's own overhead). ``drain()`` waits for the writes
/// and reports the first failure.
///
/// - Note: `@unchecked Sendable`: `lock` guards `createdFolders`; `condition` guards the queue (`pending`, `head`),
///   `writing`, `writerRunning` and `firstError`.
final class ArtifactFileWriter: @unchecked Sendable {
    private let lock = NSLock()
    private var createdFolders: Set<String> = []

    private let condition = NSCondition()
    private var pending: [(text: String, path: String)] = []
    private var head = 0  // the next of `pending` to write
    private var writing = false
    private var writerRunning = false
    private var firstError: (any Error)?
    /// Files waiting beyond which callers write their own.
    static let backlogLimit = 32

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
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunError(.internal, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes = text
        let complete = bytes.withUTF8 { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
        guard complete else {
            throw RunError(.internal, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Queues `text` for `path`: written soon by the writer thread. Failures come out of ``drain()``.
    /// When the writer has fallen behind (file creation is slow on a busy disk), the caller writes
    /// the file itself, so that several threads create files at once rather than one.
    func enqueue(_ text: String, to path: String) {
        condition.lock()
        if pending.count - head >= Self.backlogLimit {
            condition.unlock()
            do {
                try write(text, to: path)
            } catch {
                condition.lock()
                if firstError == nil { firstError = error }
                condition.unlock()
            }
            return
        }
        pending.append((text, path))
        if !writerRunning {
            writerRunning = true
            let thread = Thread { [self] in writeQueued() }
            thread.name = "artifact-writer"
            thread.start()
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every queued file is written.
    /// - Throws: the first error a queued write met (the others were still attempted).
    func drain() throws {
        condition.lock()
        while head < pending.count || writing { condition.wait() }
        let error = firstError
        firstError = nil
        condition.unlock()
        if let error { throw error }
    }

    /// The writer thread: writes batches while there are some, and ends after a quiet
    /// moment (a later ``enqueue(_:to:)`` starts a new one).
    private func writeQueued() {
        condition.lock()
        while true {
            if head == pending.count {
                pending.removeAll(keepingCapacity: true)
                head = 0
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.2))
                if head == pending.count {
                    writerRunning = false
                    condition.broadcast()
                    condition.unlock()
                    return
                }
            }
            let item = pending[head]
            head += 1
            writing = true
            condition.unlock()
            var failure: (any Error)?
            do { try write(item.text, to: item.path) } catch { failure = error }
            condition.lock()
            writing = false
            if firstError == nil, let failure { firstError = failure }
            condition.broadcast()
        }
    }
}
