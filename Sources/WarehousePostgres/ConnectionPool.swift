import Foundation
import Warehouse

/// The adapter's connections: idle ones waiting to be borrowed, and the ones pinned to a thread
/// by an open transaction. `@unchecked Sendable`: every field is guarded by `lock`.
final class ConnectionPool: @unchecked Sendable {
    /// A borrowed connection; `reused` when it had been idle in the pool (it may have been
    /// dropped by the server meanwhile).
    struct Checkout {
        var connection: PostgresConnection
        var reused: Bool
    }

    private let profile: PostgresProfile
    let statistics: StatementStatistics
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var pinnedByThread: [ObjectIdentifier: PostgresConnection] = [:]
    private var closed = false

    init(profile: PostgresProfile, statistics: StatementStatistics) {
        self.profile = profile
        self.statistics = statistics
    }

    private var threadKey: ObjectIdentifier { ObjectIdentifier(Thread.current) }

    /// An idle healthy connection, or a new one (opened with the profile's retries).
    /// - Throws: ``WarehouseError`` (`connection`) when closed or when connecting fails.
    func checkout(fresh: Bool = false) throws -> Checkout {
        lock.lock()
        if closed {
            lock.unlock()
            throw WarehouseError(.connection, "the PostgreSQL warehouse \(profile) is closed")
        }
        while !fresh, let connection = idle.popLast() {
            if connection.isHealthy {
                lock.unlock()
                return Checkout(connection: connection, reused: true)
            }
        }
        lock.unlock()
        return Checkout(connection: try PostgresConnection.open(profile, statistics: statistics), reused: false)
    }

    /// Gives a connection back (dropped when the adapter was closed meanwhile).
    func checkin(_ connection: PostgresConnection) {
        lock.lock()
        if !closed { idle.append(connection) }
        lock.unlock()
    }

    /// Gives a connection back when it is still usable, or drops it.
    func discardOrCheckin(_ connection: PostgresConnection) {
        if connection.isHealthy && !connection.isInTransaction { checkin(connection) }
    }

    /// The connection of the transaction open on this thread, if any.
    func pinned() -> PostgresConnection? {
        let key = threadKey
        lock.lock()
        defer { lock.unlock() }
        return pinnedByThread[key]
    }

    func pin(_ connection: PostgresConnection) {
        let key = threadKey
        lock.lock()
        pinnedByThread[key] = connection
        lock.unlock()
    }

    func unpin() {
        let key = threadKey
        lock.lock()
        pinnedByThread[key] = nil
        lock.unlock()
    }

    /// Drops the idle connections (their `deinit` closes them) and refuses further checkouts.
    func close() {
        lock.lock()
        closed = true
        let dropped = idle
        idle.removeAll()
        lock.unlock()
        _ = dropped
    }
}
