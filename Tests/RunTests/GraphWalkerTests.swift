import Foundation
import Testing
@testable import Run

/// The thread pool over the DAG: dbt's rules (docs.getdbt.com/reference/global-configs/failing-fast,
/// docs.getdbt.com/reference/commands/build): a node runs after all its parents; when a node fails
/// its descendants are skipped and independent branches carry on; `--fail-fast` stops the rest.
@Suite struct GraphWalkerTests {
    /// Records what the walker did, from worker threads.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [String] = []
        private var active = 0
        private(set) var maxActive = 0
        private var skips: [String: String?] = [:]
        func started(_ id: String) { lock.lock(); events.append("start \(id)"); active += 1; maxActive = max(maxActive, active); lock.unlock() }
        func ended(_ id: String) { lock.lock(); events.append("end \(id)"); active -= 1; lock.unlock() }
        func skipped(_ id: String, _ cause: String?) { lock.lock(); skips[id] = cause; lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return events }
        var skipped: [String: String?] { lock.lock(); defer { lock.unlock() }; return skips }
        func index(_ event: String) -> Int { all.firstIndex(of: event) ?? -1 }
    }

    func walk(_ order: [String], _ deps: [String: [String]], threads: Int, failing: Set<String> = [],
              failFast: Bool = false, sleep: UInt32 = 0) -> Log {
        let log = Log()
        GraphWalker(threads: threads).walk(order: order, dependencies: deps, failFast: failFast, execute: { id, _ in
            log.started(id)
            if sleep > 0 { usleep(sleep) }
            log.ended(id)
            return failing.contains(id) ? .blocksDescendants : .succeeded
        }, skip: { id, cause in log.skipped(id, cause) })
        return log
    }

    // a → b → d, a → c → d, e independent.
    let order = ["a", "e", "b", "c", "d"]
    let deps = ["b": ["a"], "c": ["a"], "d": ["b", "c"]]

    @Test func oneThreadRunsInTheGivenTopologicalOrder() {
        let log = walk(order, deps, threads: 1)
        #expect(log.all.filter { $0.hasPrefix("start") } == ["start a", "start e", "start b", "start c", "start d"])
        #expect(log.maxActive == 1)
    }

    @Test func nodesRunInTheOrderTheyBecameReady() {
        // dbt hands a node to the pool as soon as its parents are done: x's child x1 was released
        // (when x ended) before y's child a1, although a1 sorts first.
        let log = walk(["a1", "x", "x1", "y"], ["x1": ["x"], "a1": ["y"]], threads: 1)
        #expect(log.all.filter { $0.hasPrefix("start") } == ["start x", "start y", "start x1", "start a1"])
    }

    @Test(arguments: [2, 4, 8])
    func parentsEndBeforeChildrenStart(threads: Int) {
        let log = walk(order, deps, threads: threads, sleep: 2_000)
        for (child, parents) in deps {
            for parent in parents { #expect(log.index("end \(parent)") < log.index("start \(child)")) }
        }
        #expect(log.all.count == 10)
        #expect(log.skipped.isEmpty)
    }

    @Test func concurrencyIsBoundedByThreads() {
        let ids = (1...8).map { "n\($0)" }
        let log = walk(ids, [:], threads: 3, sleep: 30_000)
        #expect(log.maxActive == 3)
        #expect(log.all.count == 16)
    }

    @Test func aFailureSkipsDescendantsAndIndependentBranchesCarryOn() {
        let log = walk(order, deps, threads: 2, failing: ["b"])
        // d is below b; c and e are not.
        #expect(log.skipped.keys.sorted() == ["d"])
        #expect(log.skipped["d"] == .some("b"))
        #expect(log.all.contains("end c"))
        #expect(log.all.contains("end e"))
        #expect(!log.all.contains("start d"))
    }

    @Test func skipsAreTransitive() {
        let log = walk(["a", "b", "c", "x"], ["b": ["a"], "c": ["b"]], threads: 1, failing: ["a"])
        #expect(log.skipped.keys.sorted() == ["b", "c"])
        #expect(log.all == ["start a", "end a", "start x", "end x"])
    }

    @Test func failFastStopsEverythingNotStarted() {
        let log = walk(["a", "b", "c", "d"], [:], threads: 1, failing: ["a"], failFast: true)
        #expect(log.all == ["start a", "end a"])
        #expect(log.skipped.keys.sorted() == ["b", "c", "d"])
        // Stopped by --fail-fast, not by a parent.
        #expect(log.skipped["b"] == .some(nil))
    }

    @Test func unknownAndSelfDependenciesAreIgnored() {
        let log = walk(["a", "b"], ["a": ["a", "not-selected"], "b": ["a"]], threads: 2)
        #expect(log.all == ["start a", "end a", "start b", "end b"])
    }

    @Test func emptyGraph() {
        let log = walk([], [:], threads: 4)
        #expect(log.all.isEmpty)
    }
}
