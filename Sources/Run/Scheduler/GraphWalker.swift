import Foundation

/// How one node's execution ended, as far as scheduling cares.
public enum WalkOutcome: Sendable {
    /// Descendants may run.
    case succeeded
    /// Descendants are skipped (a model error, a failing test with severity error in `build`).
    case blocksDescendants
}

/// Walks a DAG with a pool of worker threads, running each node once all its dependencies ended.
///
/// dbt runs nodes on a thread pool of `--threads` workers (`dbt/task/runnable.py`); adapters here
/// are synchronous, so the workers are OS threads, not tasks on the cooperative pool, which has only
/// as many threads as cores and must never block.
///
/// Ready nodes start in the order they became ready, as in dbt; nodes released at the same time
/// start in the order of `order` (the build passes unique ids sorted, dbt's tie-break), so runs
/// are reproducible with one thread. A node whose dependency blocked its descendants is skipped, and so is everything
/// below it; independent branches carry on. With `failFast`, the first blocking outcome stops
/// every node that has not started yet (they are reported as skipped).
///
/// - Note: `@unchecked Sendable`: all mutable state is guarded by `condition`.
public final class GraphWalker: @unchecked Sendable {
    private let threads: Int
    private let condition = NSCondition()

    // State guarded by `condition`.
    private var remainingDependencies: [Int] = []
    private var ready: [Int] = []          // node positions in `order`, first ready first
    private var readyHead = 0
    private var running = 0
    private var finished = 0
    private var blocked: Set<Int> = []
    private var stopping = false

    /// - Parameter threads: the number of worker threads (dbt's `--threads`), at least 1.
    public init(threads: Int) {
        self.threads = max(1, threads)
    }

    /// Runs every node of `order`.
    ///
    /// - Parameters:
    ///   - order: the node ids; nodes that become ready together start in this order.
    ///   - dependencies: for each node id, the ids it waits for (ids outside `order` are ignored).
    ///   - failFast: stop starting nodes after the first blocking outcome.
    ///   - execute: runs one node on a worker; receives the node id and the worker's number (1-based).
    ///   - skip: called once for each node that will not run, with the id of the node that caused it
    ///     (nil when it was stopped by `failFast`). Called on a worker thread.
    public func walk(
        order: [String],
        dependencies: [String: [String]],
        failFast: Bool = false,
        execute: @escaping @Sendable (_ id: String, _ worker: Int) -> WalkOutcome,
        skip: @escaping @Sendable (_ id: String, _ cause: String?) -> Void
    ) {
        let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var childLists = Array(repeating: [Int](), count: order.count)
        remainingDependencies = Array(repeating: 0, count: order.count)
        var parentLists = Array(repeating: [Int](), count: order.count)
        for (index, id) in order.enumerated() {
            let deps = Set((dependencies[id] ?? []).compactMap { position[$0] }).subtracting([index])
            remainingDependencies[index] = deps.count
            for dep in deps {
                childLists[dep].append(index)
                parentLists[index].append(dep)
            }
        }
        ready = []
        readyHead = 0
        for index in order.indices where remainingDependencies[index] == 0 { pushReady(index) }
        running = 0
        finished = 0
        blocked = []
        stopping = false

        let total = order.count
        let children = childLists, parents = parentLists
        let group = DispatchGroup()
        let workerCount = min(threads, max(1, total))
        for worker in 1...workerCount {
            group.enter()
            let thread = Thread { [self] in
                defer { setCurrentThreadName(nil); group.leave() }
                // Logs and run_results.json report `Thread-N` as dbt does; on Linux the Foundation
                // name set below is not reliably what `Thread.current.name` returns (it showed
                // the process name), so the name also goes to a thread-specific slot.
                setCurrentThreadName("Thread-\(worker)")
                while let index = nextReady(total: total) {
                    let id = order[index]
                    if isBlocked(index) {
                        let cause = parents[index].first(where: { blockedOutcome($0) }).map { order[$0] }
                        skip(id, cause)
                        complete(index, blocking: true, children: children[index], total: total)
                        continue
                    }
                    if isStopping() {
                        skip(id, nil)
                        complete(index, blocking: true, children: children[index], total: total)
                        continue
                    }
                    let outcome = execute(id, worker)
                    let blocking: Bool
                    if case .blocksDescendants = outcome { blocking = true } else { blocking = false }
                    if blocking && failFast { setStopping() }
                    complete(index, blocking: blocking, children: children[index], total: total)
                }
            }
            thread.name = "Thread-\(worker)"
            thread.stackSize = 8 << 20  // deep Jinja recursion in macros needs more than the default
            thread.start()
        }
        group.wait()
    }

    // MARK: - Queue

    private var blockedOutcomes: Set<Int> = []

    private func nextReady(total: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !hasReady {
            if finished == total { return nil }
            if running == 0 {
                // Nothing runs and nothing is ready: the rest waits on a cycle. Release it as
                // blocked so every node is still reported (skipped) instead of hanging.
                for index in remainingDependencies.indices where remainingDependencies[index] > 0 {
                    remainingDependencies[index] = 0
                    blocked.insert(index)
                    pushReady(index)
                }
                if !hasReady { return nil }
                break
            }
            condition.wait()
        }
        running += 1
        return popReady()
    }

    private func complete(_ index: Int, blocking: Bool, children: [Int], total: Int) {
        condition.lock()
        running -= 1
        finished += 1
        if blocking { blockedOutcomes.insert(index) }
        for child in children {
            if blocking { blocked.insert(child) }
            remainingDependencies[child] -= 1
            if remainingDependencies[child] == 0 { pushReady(child) }
        }
        condition.broadcast()
        condition.unlock()
    }

    private func isBlocked(_ index: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        return blocked.contains(index)
    }

    private func blockedOutcome(_ index: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        return blockedOutcomes.contains(index)
    }

    private func isStopping() -> Bool {
        condition.lock(); defer { condition.unlock() }
        return stopping
    }

    private func setStopping() {
        condition.lock(); stopping = true; condition.unlock()
    }

    // A FIFO, as dbt's: its main loop hands every node to the pool the moment it becomes ready
    // (`dbt/graph/queue.py` pops by (level, unique_id), but only among nodes already released),
    // so nodes run in the order they became ready; nodes released together keep `order`.
    private func pushReady(_ value: Int) {
        ready.append(value)
    }

    private func popReady() -> Int {
        let top = ready[readyHead]
        readyHead += 1
        if readyHead == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
        }
        return top
    }

    private var hasReady: Bool { readyHead < ready.count }
}

/// The worker's name, kept per thread in a POSIX thread-specific slot: Foundation's
/// `Thread.name` set on a worker is not reliably what `Thread.current.name` returns there on Linux.
private let threadNameKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// Names the calling thread for ``currentThreadName()``; pass nil to clear (and free) the name.
func setCurrentThreadName(_ name: String?) {
    if let old = pthread_getspecific(threadNameKey) {
        Unmanaged<NSString>.fromOpaque(old).release()
    }
    pthread_setspecific(threadNameKey, name.map { Unmanaged.passRetained($0 as NSString).toOpaque() })
}

/// The calling thread's name as dbt writes it: `MainThread`, or the worker's `Thread-N`.
func currentThreadName() -> String {
    if Thread.isMainThread { return "MainThread" }
    if let raw = pthread_getspecific(threadNameKey) {
        return Unmanaged<NSString>.fromOpaque(raw).takeUnretainedValue() as String
    }
    return Thread.current.name ?? "MainThread"
}
