import Foundation
import Testing
import Warehouse
@testable import WarehousePostgres

/// Table and view models through ``PostgresAdapter/materialize(_:)`` send what dbt-postgres
/// sends. The oracle: dbt-core 1.12 with dbt-postgres 1.11 on PostgreSQL 15 ran these models twice
/// (`dbt run`); its `target/run/…/<model>.sql` (the main statement) and the swap statements of
/// the second run from `logs/dbt.log` are recorded here, white space collapsed.
@Suite struct PostgresDbtParityTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var materialized: String
        var unlogged = false
        var sql: String
        /// dbt's target/run text ("<S>" stands for `"database"."schema"`), without its final `;`.
        var dbtMain: String
        /// Statements dbt sent after the main one on the second run (same notation).
        var dbtSwap: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "tbl", materialized: "table", sql: "select id, 'x' as label\nfrom generate_series(1, 3) as id",
             dbtMain: #"create table <S>."tbl__dbt_tmp" as ( select id, 'x' as label from generate_series(1, 3) as id )"#,
             dbtSwap: [#"alter table <S>."tbl__dbt_tmp" rename to "tbl""#, #"drop table if exists <S>."tbl__dbt_backup" cascade"#]),
        Case(name: "tbl_unlogged", materialized: "table", unlogged: true, sql: "select 1 as id",
             dbtMain: #"create unlogged table <S>."tbl_unlogged__dbt_tmp" as ( select 1 as id )"#,
             dbtSwap: [#"alter table <S>."tbl_unlogged__dbt_tmp" rename to "tbl_unlogged""#,
                       #"drop table if exists <S>."tbl_unlogged__dbt_backup" cascade"#]),
        Case(name: "vw", materialized: "view", sql: "select 1 as id, 'x' as label",
             dbtMain: #"create view <S>."vw__dbt_tmp" as ( select 1 as id, 'x' as label )"#,
             dbtSwap: [#"alter view <S>."vw__dbt_tmp" rename to "vw""#, #"drop view if exists <S>."vw__dbt_backup" cascade"#]),
    ]

    static func normalized(_ sql: String) -> String {
        sql.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    @Test(arguments: cases)
    func buildSendsWhatDbtPostgresSends(_ test: Case) throws {
        let adapter = try TestCluster.adapter()
        defer { adapter.close() }
        let schema = "par_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        let prefix = #""postgres"."\#(schema)""#
        let build = ModelBuild(uniqueId: "model.inc.\(test.name)", name: test.name,
                               relation: Relation(database: "postgres", schema: schema, identifier: test.name),
                               materialized: test.materialized, compiledSQL: test.sql,
                               config: test.unlogged ? ["unlogged": .bool(true)] : [:])
        let first = try #require(try adapter.materialize(build))
        let second = try #require(try adapter.materialize(build))
        let expectedMain = test.dbtMain.replacingOccurrences(of: "<S>", with: prefix)
        #expect(Self.normalized(first.executedSQL.first ?? "") == expectedMain)
        let sent = second.executedSQL.map(Self.normalized)
        #expect(sent.first == expectedMain)
        for statement in test.dbtSwap.map({ $0.replacingOccurrences(of: "<S>", with: prefix) }) {
            #expect(sent.contains(statement), "\(statement) not in \(sent)")
        }
        // dbt-postgres's answers: `SELECT <rows>` for a table, `CREATE VIEW` for a view.
        #expect(second.response.message == (test.materialized == "view" ? "CREATE VIEW" : "SELECT \(test.name == "tbl" ? 3 : 1)"))
        #expect(try adapter.listRelations(schema: schema).map(\.identifier) == [test.name])
    }
}
