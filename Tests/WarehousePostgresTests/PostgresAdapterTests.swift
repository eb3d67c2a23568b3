import Foundation
import Testing
import Warehouse
@testable import WarehousePostgres

/// PostgreSQL-specific behaviour beyond the shared conformance suite.
@Suite struct PostgresAdapterTests {
    @Test func profileReadsDbtPostgresKeysAndDefaults() throws {
        let profile = try PostgresProfile(settings: [
            "host": "db.internal", "user": "analytics", "password": "s3cret", "dbname": "warehouse", "schema": "dev",
            "search_path": "dev, public", "sslmode": "require", "keepalives_idle": "30",
        ])
        // dbt-postgres defaults: port 5432, threads 1, connect_timeout 10, retries 1.
        #expect(profile.port == 5432)
        #expect(profile.threads == 1)
        #expect(profile.connectTimeout == 10)
        #expect(profile.retries == 1)
        let parameters = Dictionary(profile.connectionParameters, uniquingKeysWith: { a, _ in a })
        #expect(parameters["options"] == "-c search_path=dev,\\ public")
        #expect(parameters["sslmode"] == "require")
        #expect(parameters["keepalives_idle"] == "30")
        #expect(!profile.description.contains("s3cret"))
        // `database` is dbt-postgres's alias of `dbname`.
        #expect(try PostgresProfile(settings: ["host": "h", "user": "u", "database": "d", "schema": "s"]).dbname == "d")
        #expect(throws: WarehouseError.self) { try PostgresProfile(settings: ["host": "h", "user": "u", "schema": "s"]) }
        #expect(throws: WarehouseError.self) { try PostgresProfile(settings: ["host": "h", "user": "u", "dbname": "d", "schema": "s", "port": "x"]) }
    }

    @Test func rendersAndQuotesAsDbtPostgres() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        // dbt-postgres: `"database"."schema"."identifier"`, every part quoted.
        #expect(adapter.render(Relation(database: "analytics", schema: "dev", identifier: "orders")) == #""analytics"."dev"."orders""#)
        // No database: the target's (the test cluster's `postgres`), as dbt defaults it.
        #expect(adapter.render(Relation(schema: "dev", identifier: "orders")) == #""postgres"."dev"."orders""#)
        #expect(adapter.quote(#"a"b"#) == #""a""b""#)
    }

    @Test func responsesAreCommandTags() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "resp_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        // PostgreSQL's command tags (postgresql.org/docs/15/protocol-message-formats.html, CommandComplete).
        let built = try adapter.replaceTable(Relation(database: "postgres", schema: schema, identifier: "t"),
                                             withSelect: "select generate_series(1, 3) as id")
        #expect(built.response.message == "SELECT 3")
        #expect(built.response.rowsAffected == 3)
        let inserted = try adapter.execute("insert into \"\(schema)\".t values (4), (5)")
        #expect(inserted.message == "INSERT 0 2")
        #expect(inserted.code == "INSERT")
        #expect(inserted.rowsAffected == 2)
        let view = try adapter.replaceView(Relation(database: "postgres", schema: schema, identifier: "v"), withSelect: "select 1 as x")
        #expect(view.response.message == "CREATE VIEW")
        #expect(view.executedSQL.contains { $0.contains(#"rename to "v""#) })
    }

    @Test func copyErrorsNameTheLineButNotTheValue() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "copy_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        let table = Relation(database: "postgres", schema: schema, identifier: "t")
        try adapter.createTable(table, columns: [Column(name: "id", dataType: "integer"), Column(name: "note", dataType: "STRING")])
        let secret = "hunter2-secret-value"
        do {
            _ = try adapter.insert(into: table, columns: ["id", "note"], rows: [[.integer(1), .text("ok")], [.text(secret), .text("x")]])
            Issue.record("a text value copied into an integer column did not fail")
        } catch let error as WarehouseError {
            #expect(!error.message.contains(secret))
            #expect(!(error.sql ?? "").contains(secret))
            // PostgreSQL: `invalid input syntax for type integer: "…"`, CONTEXT `COPY t, line 2, column id: "…"`.
            #expect(error.message.contains("invalid input syntax for type integer"))
            #expect(error.message.contains("line 2, column id"))
        }
        #expect(try adapter.query("select count(*) from \(adapter.render(table))", limit: nil).rows.first?.first == .integer(0))
    }

    @Test func queryErrorsCarryPostgresMessageAndPosition() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        do {
            _ = try adapter.query("select 1\nfrom no_such_relation_xyz", limit: nil)
            Issue.record("no error")
        } catch let error as WarehouseError {
            #expect(error.message.hasPrefix(#"relation "no_such_relation_xyz" does not exist"#))
            #expect(error.message.contains("LINE 2, column 6"))
            #expect(error.kind == .query)
        }
    }

    @Test func wrongPasswordFailsWithoutShowingIt() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "auth_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.execute("create role \(schema) login password 'right-password'")
        // The test cluster trusts every local user; a wrong database name still fails to connect.
        var settings = try TestCluster.settings()
        settings["user"] = schema
        settings["password"] = "wrong-password-123"
        settings["dbname"] = "no_such_database"
        settings["retries"] = "0"
        do {
            _ = try PostgresAdapter(settings: settings)
            Issue.record("connected to a missing database")
        } catch let error as WarehouseError {
            #expect(error.kind == .connection)
            #expect(error.message.contains("no_such_database"))
            #expect(!error.message.contains("wrong-password-123"))
        }
    }

    @Test func eachThreadGetsItsOwnConnectionAndTransactionsStayOnTheirThread() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "pool_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        try adapter.execute("create table \"\(schema)\".t (worker int, pid int)")
        let failures = LockedList()
        let group = DispatchGroup()
        for worker in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    try adapter.transaction {
                        // Both statements run on this thread's transaction connection: the same backend.
                        try adapter.execute("insert into \"\(schema)\".t select \(worker), pg_backend_pid()")
                        Thread.sleep(forTimeInterval: 0.05)
                        try adapter.execute("insert into \"\(schema)\".t select \(worker), pg_backend_pid()")
                    }
                } catch {
                    failures.append("\(error)")
                }
            }.start()
        }
        group.wait()
        #expect(failures.items.isEmpty)
        let rows = try adapter.query("select worker, count(distinct pid), count(*) from \"\(schema)\".t group by worker order by worker", limit: nil).rows
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0[1] == .integer(1) && $0[2] == .integer(2) })
        let backends = try adapter.query("select count(distinct pid) from \"\(schema)\".t", limit: nil).rows.first?.first
        #expect(backends == .integer(4), "four threads at once hold four connections")
    }

    @Test func aConnectionDroppedByTheServerIsReplaced() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        guard case .integer(let pid)? = try adapter.query("select pg_backend_pid()", limit: nil).rows.first?.first else {
            Issue.record("no backend pid")
            return
        }
        // Another session terminates the pooled (idle) connection, as a server restart would.
        let killer = try TestCluster.adapter()
        defer { killer.close() }
        _ = try killer.query("select pg_terminate_backend(\(pid))", limit: nil)
        Thread.sleep(forTimeInterval: 0.2)
        let after = try adapter.query("select pg_backend_pid()", limit: nil).rows.first?.first
        #expect(after != nil && after != .integer(pid))
    }

    @Test func searchPathFromTheProfileApplies() throws {
        var settings = try TestCluster.settings()
        let schema = "sp_" + UUID().uuidString.prefix(8).lowercased()
        settings["search_path"] = schema
        let admin = try TestCluster.adapter()
        defer { admin.close() }
        try admin.createSchema(schema)
        let adapter = try PostgresAdapter(settings: settings)
        defer { adapter.close() }
        #expect(try adapter.query("show search_path", limit: nil).rows.first?.first == .text(schema))
    }

    @Test func typesComeBackAsCells() throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let result = try adapter.query("""
            select 1::int as i, 2::bigint as b, 1.5::float8 as f, 2.25::numeric(5,2) as n, true as t, 'x'::text as s,
                   date '2025-03-01' as d, timestamp '2025-03-01 10:11:12' as ts, '\\x0aff'::bytea as bytes, null::int as nothing
            """, limit: nil)
        #expect(result.columns.map(\.dataType) == ["integer", "bigint", "double precision", "numeric", "boolean", "text",
                                                    "date", "timestamp without time zone", "bytea", "integer"])
        #expect(result.rows.first == [.integer(1), .integer(2), .real(1.5), .real(2.25), .bool(true), .text("x"),
                                      .text("2025-03-01"), .text("2025-03-01 10:11:12"), .blob([0x0a, 0xff]), .null])
        #expect(try adapter.query("select generate_series(1, 10)", limit: 3).rows.count == 3)
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ item: String) { lock.lock(); stored.append(item); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
