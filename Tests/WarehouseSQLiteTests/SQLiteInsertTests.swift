import Foundation
import Testing
import Warehouse
@testable import WarehouseSQLite

@Suite struct SQLiteInsertTests {
    @Test func insertsAllRowsWithBoundValues() throws {
        let a = try Scratch().adapter
        let relation = Relation(schema: "raw", identifier: "events")
        try a.createTable(relation, columns: [
            Column(name: "id", dataType: "INT64"), Column(name: "name", dataType: "STRING"),
            Column(name: "score", dataType: "FLOAT64"), Column(name: "flag", dataType: "BOOL"),
            Column(name: "data", dataType: "BYTES"),
        ])
        var rows: [[Cell]] = []
        for i in 0..<10_000 {
            rows.append([.integer(Int64(i)), .text("n'\(i)\"; drop table x"), .real(Double(i) / 4), .bool(i % 2 == 0), .blob([UInt8(i % 256)])])
        }
        rows.append([.null, .text(""), .null, .null, .blob([])])
        #expect(try a.insert(into: relation, columns: ["id", "name", "score", "flag", "data"], rows: rows) == 10_001)
        #expect(try a.scalar("select count(*) from \(a.render(relation))") == .integer(10_001))
        #expect(try a.scalar("select sum(id) from \(a.render(relation))") == .integer(49_995_000))
        #expect(try a.scalar("select name from \(a.render(relation)) where id = 7") == .text("n'7\"; drop table x"))
        // The empty string is bound as '' (not NULL); the empty blob as a zero-length blob.
        #expect(try a.query("select name, typeof(data), length(data) from \(a.render(relation)) where id is null", limit: nil).rows
                == [[.text(""), .text("blob"), .integer(0)]])
        #expect(try a.scalar("select count(*) from \(a.render(relation)) where flag") == .integer(5_000))
    }

    @Test func aRaggedRowInsertsNothing() throws {
        let a = try Scratch().adapter
        let relation = Relation(schema: "raw", identifier: "t")
        try a.createTable(relation, columns: [Column(name: "a", dataType: "INT64"), Column(name: "b", dataType: "INT64")])
        #expect(throws: WarehouseError.self) {
            _ = try a.insert(into: relation, columns: ["a", "b"], rows: [[.integer(1), .integer(2)], [.integer(3)]])
        }
        #expect(try a.scalar("select count(*) from \(a.render(relation))") == .integer(0))
        #expect(try a.insert(into: relation, columns: ["a", "b"], rows: []) == 0)
    }

    @Test func aFailingRowRollsBackTheWholeInsert() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "raw.t" (id INT64 NOT NULL)"#)
        #expect(throws: WarehouseError.self) {
            _ = try a.insert(into: Relation(schema: "raw", identifier: "t"), columns: ["id"], rows: [[.integer(1)], [.null]])
        }
        #expect(try a.scalar(#"select count(*) from "raw.t""#) == .integer(0))
        #expect(throws: WarehouseError.self) {
            _ = try a.insert(into: Relation(schema: "raw", identifier: "missing"), columns: ["id"], rows: [[.integer(1)]])
        }
    }

    @Test func insertJoinsTheSurroundingTransaction() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "raw.t" (id INT64)"#)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try a.transaction {
                _ = try a.insert(into: Relation(schema: "raw", identifier: "t"), columns: ["id"], rows: [[.integer(1)]])
                throw Stop()
            }
        }
        #expect(try a.scalar(#"select count(*) from "raw.t""#) == .integer(0))
    }
}
