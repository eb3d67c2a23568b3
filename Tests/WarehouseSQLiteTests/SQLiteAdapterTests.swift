import Foundation
import Testing
import Warehouse
@testable import WarehouseSQLite

@Suite struct SQLiteAdapterTests {
    @Test func opensInWALMode() throws {
        let scratch = try Scratch()
        // https://www.sqlite.org/wal.html: the journal mode persists in the file.
        #expect(try scratch.adapter.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(scratch.adapter.type == "sqlite")
        #expect(scratch.adapter.dialect == "sqlite")
    }

    @Test func refusesAnInMemoryDatabase() {
        #expect(throws: WarehouseError.self) { try SQLiteAdapter(path: ":memory:", schema: nil) }
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-notdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("x.db").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: WarehouseError.self) { try SQLiteAdapter(path: path, schema: "dev") }
    }

    @Test func queryMapsStorageClassesToCells() throws {
        let scratch = try Scratch()
        let result = try scratch.adapter.query("select 42 as i, 1.5 as r, 'héllo' as t, x'00ff' as b, null as n", limit: nil)
        #expect(result.columns.map(\.name) == ["i", "r", "t", "b", "n"])
        #expect(result.rows == [[.integer(42), .real(1.5), .text("héllo"), .blob([0x00, 0xFF]), .null]])
        // Expressions have no declared type: the type of the first value stands in.
        #expect(result.columns.map(\.dataType) == ["INT64", "FLOAT64", "STRING", "BYTES", ""])
    }

    @Test func queryReportsDeclaredTypesAndBooleans() throws {
        let a = try Scratch().adapter
        try a.createTable(Relation(schema: "dev", identifier: "t"), columns: [
            Column(name: "id", dataType: "INT64"), Column(name: "ok", dataType: "BOOL"),
            Column(name: "day", dataType: "DATE"), Column(name: "amount", dataType: "FLOAT64"),
            Column(name: "code", dataType: "STRING"),
        ])
        try a.execute(#"insert into "dev.t" values (1, 1, '2024-01-31', 2, '00123'), (2, 0, null, 2.5, 'x')"#)
        let result = try a.query(#"select * from "dev.t" order by id"#, limit: nil)
        #expect(result.columns.map(\.dataType) == ["INT64", "BOOL", "DATE", "FLOAT64", "STRING"])
        // REAL affinity stores 2 as 2.0; TEXT affinity keeps the leading zeros
        // (https://www.sqlite.org/datatype3.html#type_affinity).
        #expect(result.rows[0] == [.integer(1), .bool(true), .text("2024-01-31"), .real(2.0), .text("00123")])
        #expect(result.rows[1] == [.integer(2), .bool(false), .null, .real(2.5), .text("x")])
    }

    @Test func queryHonoursTheLimit() throws {
        let a = try Scratch().adapter
        let sql = "with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) select i from n"
        #expect(try a.query(sql, limit: 7).rows.count == 7)
        #expect(try a.query(sql, limit: 0).rows.count == 0)
        #expect(try a.query(sql, limit: 0).columns.map(\.name) == ["i"])
        #expect(try a.query(sql, limit: nil).rows.count == 100)
    }

    @Test func queryThatWritesRunsOnTheWriter() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id INT64)"#)
        let result = try a.query(#"insert into "dev.t" values (1), (2) returning id"#, limit: nil)
        #expect(result.rows == [[.integer(1)], [.integer(2)]])
        #expect(try a.scalar(#"select count(*) from "dev.t""#) == .integer(2))
        // Several statements: all run, the last one's rows come back.
        let last = try a.query(#"insert into "dev.t" values (3); select max(id) from "dev.t";"#, limit: nil)
        #expect(last.rows == [[.integer(3)]])
    }

    @Test func executeRunsScriptsAndReportsTheLastStatement() throws {
        let a = try Scratch().adapter
        let response = try a.execute("""
            create table "dev.t" (id INT64);
            -- a comment between statements
            insert into "dev.t" values (1), (2), (3);
            """)
        #expect(response.code == "INSERT")
        #expect(response.rowsAffected == 3)
        #expect(try a.execute(#"delete from "dev.t" where id > 1"#).rowsAffected == 2)
        #expect(try a.execute(#"create view "dev.v" as select 1"#).code == "CREATE VIEW")
    }

    @Test func errorsCarrySQLitesMessageButNotBoundValues() throws {
        let a = try Scratch().adapter
        do {
            try a.execute("select * from no_such_table")
            Issue.record("expected an error")
        } catch let error as WarehouseError {
            #expect(error.message == "no such table: no_such_table")
            #expect(error.kind == .query)
        }
        try a.createTable(Relation(schema: "dev", identifier: "u"), columns: [Column(name: "secret", dataType: "STRING")])
        try a.execute(#"create unique index "dev.u_secret" on "dev.u" (secret)"#)
        _ = try a.insert(into: Relation(schema: "dev", identifier: "u"), columns: ["secret"], rows: [[.text("hunter2")]])
        do {
            _ = try a.insert(into: Relation(schema: "dev", identifier: "u"), columns: ["secret"], rows: [[.text("hunter2")]])
            Issue.record("expected a constraint error")
        } catch let error as WarehouseError {
            #expect(error.message.contains("UNIQUE constraint failed"))
            #expect(!"\(error) \(error.sql ?? "")".contains("hunter2"))
        }
    }

    @Test func anUnfinishedExplicitTransactionIsAnErrorNotATrap() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id INT64)"#)
        #expect(throws: WarehouseError.self) { try a.execute(#"begin; insert into "dev.t" values (1)"#) }
        // Rolled back, and the adapter still works.
        #expect(try a.scalar(#"select count(*) from "dev.t""#) == .integer(0))
        // A complete explicit transaction is fine outside transaction(_:).
        try a.execute(#"begin; insert into "dev.t" values (1); commit"#)
        #expect(try a.scalar(#"select count(*) from "dev.t""#) == .integer(1))
    }

    @Test func closedAdapterThrows() throws {
        let scratch = try Scratch()
        scratch.adapter.close()
        #expect(throws: WarehouseError.self) { try scratch.adapter.query("select 1", limit: nil) }
        #expect(throws: WarehouseError.self) { try scratch.adapter.execute("select 1") }
        scratch.adapter.close()  // idempotent
    }

    @Test func regexpAndMathFunctions() throws {
        let a = try Scratch().adapter
        #expect(try a.scalar("select 'Client_A D2D' regexp '^Client_A'") == .integer(1))
        #expect(try a.scalar("select 'Client_B' regexp '^Client_A'") == .integer(0))
        #expect(try a.scalar("select null regexp 'x'") == .null)
        #expect(throws: WarehouseError.self) { try a.query("select 'a' regexp '('", limit: nil) }
        #expect(try a.scalar("select sqrt(16)") == .real(4))
        #expect(try a.scalar("select power(2, 10)") == .real(1024))
        #expect(try a.scalar("select floor(2.7)") == .real(2))
    }
}

@Suite struct SQLiteAdapterEdgeTests {
    @Test func emptySQLAndPlaceholdersAreErrorsOrNothingNeverTraps() throws {
        let a = try Scratch().adapter
        #expect(try a.execute("").rowsAffected == 0)
        #expect(try a.execute("-- only a comment").rowsAffected == 0)
        #expect(try a.query("", limit: nil).rows.isEmpty)
        // A placeholder with no value to bind.
        #expect(throws: WarehouseError.self) { try a.query("select ?", limit: nil) }
        #expect(throws: WarehouseError.self) { try a.execute("select :name") }
        #expect(throws: WarehouseError.self) { try a.query("select 1; select", limit: nil) }
    }

    @Test func temporaryTablesAreReadFromTheWriter() throws {
        let a = try Scratch().adapter
        try a.execute("create temp table scratch_rows as select 1 as id union all select 2")
        #expect(try a.scalar("select count(*) from scratch_rows") == .integer(2))
        #expect(throws: WarehouseError.self) { try a.query("select * from really_missing", limit: nil) }
    }

    @Test func reopeningAnExistingFileKeepsSchemas() throws {
        let scratch = try Scratch(schema: "dev")
        try scratch.adapter.createSchema("later")
        let again = try scratch.reopen()
        defer { again.close() }
        #expect(try again.listSchemas() == ["dev", "later"])
    }

    /// Run's worker threads build models at once: writes queue for the one writer, no deadlock.
    @Test func manyThreadsBuildingAtOnce() throws {
        let a = try Scratch().adapter
        let failures = LockedBox<[String]>([])
        let group = DispatchGroup()
        for worker in 0..<6 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    for round in 0..<5 {
                        let relation = Relation(schema: "w", identifier: "m\(worker)")
                        _ = try a.replaceTable(relation, withSelect: "select \(round) as round")
                        try a.transaction {
                            _ = try a.query("select * from \(a.render(relation))", limit: nil)
                            try a.execute("insert into \(a.render(relation)) values (\(round))")
                        }
                        _ = try a.query("select count(*) from \(a.render(relation))", limit: nil)
                    }
                } catch {
                    failures.set(failures.get() + ["\(worker): \(error)"])
                }
            }.start()
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(failures.get().isEmpty)
        #expect(try a.listRelations(schema: "w").count == 6)
        #expect(try a.scalar(#"select count(*) from "w.m3""#) == .integer(2))
    }
}

/// The functions SQLite 3.40 lacks. MD5 digests are Python `hashlib.md5(…).hexdigest()` (and RFC
/// 1321's test suite); number-to-text forms are the `sqlite3` shell's `cast(x as text)`;
/// `split_part` follows dbt-bigquery's macro (`split(…)[safe_offset(…)]`).
@Suite struct SQLiteFunctionTests {
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
        ("Client_A|2024-01-31", "0c62e45e4b192516c173acc9192f06f8"),
        ("é", "66ddcd97cfdeabb2f6fb8a999b4bc76f"),
    ])
    func md5MatchesHashlib(text: String, digest: String) throws {
        let a = try Scratch().adapter
        let literal = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        let result = try a.query("select md5(\(literal))", limit: nil)
        #expect(result.rows == [[.text(digest)]])
    }

    @Test func md5OfNumbersHashesTheirText() throws {
        let a = try Scratch().adapter
        #expect(try a.scalar("select md5(1.5) = md5('1.5')") == .integer(1))
        #expect(try a.scalar("select md5(42) = md5('42')") == .integer(1))
        #expect(try a.scalar("select md5(null)") == .null)
    }

    @Test func concatIsBigQuerysConcat() throws {
        let a = try Scratch().adapter
        #expect(try a.scalar("select concat('a', 'b', 'c')") == .text("abc"))
        #expect(try a.scalar("select concat('a', null)") == .null)
        #expect(try a.scalar("select concat('x', 2.0, 1e20, 7, -1e-7)") == .text("x2.01.0e+207-1.0e-07"))
    }

    @Test func splitPartAsDbtBigQuery() throws {
        let a = try Scratch().adapter
        #expect(try a.scalar("select split_part('a,b,c', ',', 2)") == .text("b"))
        #expect(try a.scalar("select split_part('a,b,c', ',', -1)") == .text("c"))
        #expect(try a.scalar("select split_part('a,b,c', ',', 4)") == .null)
        #expect(try a.scalar("select split_part('a,b,c', ',', 0)") == .null)
        #expect(try a.scalar("select split_part('a--b', '--', 2)") == .text("b"))
        #expect(try a.scalar("select split_part('abc', '', 3)") == .text("c"))
        #expect(try a.scalar("select split_part(null, ',', 1)") == .null)
    }
}

/// Transaction control in user SQL (hooks, `run_query`) must end in an error or work — never
/// trap GRDB, which requires every access to end with no transaction open.
@Suite struct SQLiteHostileSQLTests {
    @Test(arguments: ["commit", "rollback", "begin", "end", "savepoint s", "release s", "rollback to s",
                      "begin; select 1", "select 1; commit", "pragma query_only = 1"])
    func transactionControlNeverTraps(sql: String) throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id INT64); insert into "dev.t" values (1)"#)
        _ = try? a.query(sql, limit: nil)
        _ = try? a.execute(sql)
        _ = try? a.transaction { _ = try a.query(sql, limit: nil) }
        _ = try? a.transaction { try a.execute(sql) }
        // Still a working warehouse afterwards, reading and writing.
        try a.execute("pragma query_only = 0")
        try a.execute(#"insert into "dev.t" values (2)"#)
        #expect(try a.scalar(#"select count(*) from "dev.t""#) == .integer(2))
    }
}
