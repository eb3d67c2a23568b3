import Foundation
import Testing
import Warehouse
@testable import WarehouseSQLite

@Suite struct SQLiteTransactionTests {
    struct Boom: Error {}

    @Test func commitsOnReturn() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id INT64)"#)
        let value = try a.transaction { () throws -> Int in
            try a.execute(#"insert into "dev.t" values (1)"#)
            // Reads inside the body see the transaction's own writes.
            guard case .integer(let n)? = try a.scalar(#"select count(*) from "dev.t""#) else { return -1 }
            return Int(n)
        }
        #expect(value == 1)
        #expect(try a.scalar(#"select count(*) from "dev.t""#) == .integer(1))
    }

    @Test func rollsBackOnThrow() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id INT64)"#)
        #expect(throws: Boom.self) {
            try a.transaction {
                try a.execute(#"insert into "dev.t" values (1)"#)
                _ = try a.insert(into: Relation(schema: "dev", identifier: "t"), columns: ["id"], rows: [[.integer(2)]])
                try a.createSchema("ghost")
                throw Boom()
            }
        }
        #expect(try a.scalar(#"select count(*) from "dev.t""#) == .integer(0))
        #expect(try !a.listSchemas().contains("ghost"))
    }

    @Test func nestedTransactionsAreSavepoints() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id INT64)"#)
        try a.transaction {
            try a.execute(#"insert into "dev.t" values (1)"#)
            // The inner failure undoes only the inner work; the outer body catches and goes on.
            do {
                try a.transaction {
                    try a.execute(#"insert into "dev.t" values (2)"#)
                    throw Boom()
                }
            } catch is Boom {}
            try a.transaction {
                try a.execute(#"insert into "dev.t" values (3)"#)
            }
        }
        let ids = try a.query(#"select id from "dev.t" order by id"#, limit: nil).rows
        #expect(ids == [[.integer(1)], [.integer(3)]])
    }

    @Test func aFailingStatementInsideRollsBackEverything() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id INT64)"#)
        #expect(throws: WarehouseError.self) {
            try a.transaction {
                try a.execute(#"insert into "dev.t" values (1)"#)
                try a.execute("select * from missing")
            }
        }
        #expect(try a.scalar(#"select count(*) from "dev.t""#) == .integer(0))
    }

    @Test func commitInsideTheBodyIsReportedNotTrapped() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id INT64)"#)
        #expect(throws: WarehouseError.self) {
            try a.transaction { try a.execute("commit") }
        }
        // The adapter is still usable.
        try a.transaction { try a.execute(#"insert into "dev.t" values (1)"#) }
        #expect(try a.scalar(#"select count(*) from "dev.t""#) == .integer(1))
    }

    @Test func twoAdaptersNestWithoutSharingTransactions() throws {
        let first = try Scratch()
        let second = try Scratch()
        try first.adapter.execute(#"create table "dev.t" (id INT64)"#)
        try second.adapter.execute(#"create table "dev.t" (id INT64)"#)
        #expect(throws: Boom.self) {
            try first.adapter.transaction {
                try first.adapter.execute(#"insert into "dev.t" values (1)"#)
                try second.adapter.transaction {
                    try second.adapter.execute(#"insert into "dev.t" values (1)"#)
                }
                throw Boom()
            }
        }
        #expect(try first.adapter.scalar(#"select count(*) from "dev.t""#) == .integer(0))
        #expect(try second.adapter.scalar(#"select count(*) from "dev.t""#) == .integer(1))
    }

    /// WAL: a reader on another thread — and another connection to the file — sees the last
    /// committed state while a write transaction is open, without waiting for it.
    @Test func readersReadWhileABuildWrites() throws {
        let scratch = try Scratch()
        let a = scratch.adapter
        let dashboard = try scratch.reopen()
        defer { dashboard.close() }
        try a.execute(#"create table "dev.t" (id INT64); insert into "dev.t" values (1)"#)
        let seen = LockedBox<[Cell?]>([])
        try a.transaction {
            try a.execute(#"insert into "dev.t" values (2), (3)"#)
            let done = DispatchSemaphore(value: 0)
            let reader = Thread {
                let same = try? a.scalar(#"select count(*) from "dev.t""#)
                let other = try? dashboard.scalar(#"select count(*) from "dev.t""#)
                seen.set([same, other])
                done.signal()
            }
            reader.start()
            // Fails (times out) if the readers were blocked by the open write transaction.
            #expect(done.wait(timeout: .now() + 10) == .success)
        }
        #expect(seen.get() == [.integer(1), .integer(1)])
        #expect(try dashboard.scalar(#"select count(*) from "dev.t""#) == .integer(3))
    }
}

final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func set(_ newValue: T) { lock.lock(); value = newValue; lock.unlock() }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
}
