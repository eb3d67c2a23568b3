import Foundation
import Testing
import Warehouse
@testable import WarehouseSQLite

@Suite struct SQLiteRelationTests {
    @Test func rendersASchemaAndIdentifierAsOneQuotedName() throws {
        let a = try Scratch().adapter
        #expect(a.render(Relation(schema: "dev_staging", identifier: "stg_orders")) == #""dev_staging.stg_orders""#)
        #expect(a.render(Relation(database: "ignored", schema: "dev", identifier: "x")) == #""dev.x""#)
        // https://www.sqlite.org/lang_keywords.html: a quote inside a quoted name is doubled.
        #expect(a.quote(#"we"ird"#) == #""we""ird""#)
        #expect(a.quote("plain") == #""plain""#)
    }

    @Test func aRelationIsOneTableInMain() throws {
        let a = try Scratch().adapter
        let relation = Relation(schema: "dev_staging", identifier: "stg_orders")
        try a.execute("create table \(a.render(relation)) as select 1 as id")
        let stored = try a.query("select name from sqlite_schema where type = 'table' and name like 'dev%'", limit: nil)
        #expect(stored.rows == [[.text("dev_staging.stg_orders")]])
        #expect(try a.getRelation(database: nil, schema: "dev_staging", identifier: "stg_orders")
                == Relation(schema: "dev_staging", identifier: "stg_orders", kind: .table))
        #expect(try a.getRelation(database: nil, schema: "dev_staging", identifier: "nope") == nil)
    }

    @Test func getRelationFindsWhatSQLiteWouldResolve() throws {
        let a = try Scratch().adapter
        try a.execute(#"create view "Dev.Orders" as select 1 as id"#)
        // SQLite folds ASCII case in names: "dev.orders" is the same view.
        #expect(try a.getRelation(database: nil, schema: "dev", identifier: "orders")
                == Relation(schema: "Dev", identifier: "Orders", kind: .view))
        #expect(throws: WarehouseError.self) { try a.execute(#"create table "dev.orders" (x)"#) }
    }

    @Test func listRelationsMatchesTheSchemaPrefixLiterally() throws {
        let a = try Scratch().adapter
        for name in ["dev.a", "dev.b.c", "dev_x.a", "devAx.b", "dev2.c", "devx", "dev", "other.dev.d"] {
            try a.execute("create table \(a.quote(name)) (id INT64)")
        }
        try a.execute(#"create view "dev.v" as select 1"#)
        let dev = try a.listRelations(schema: "dev")
        #expect(dev.map(\.identifier) == ["a", "b.c", "v"])
        #expect(dev.map(\.kind) == [.table, .table, .view])
        #expect(dev.allSatisfy { $0.schema == "dev" })
        // `_` is not a wildcard: "devAx.b" is not in "dev_x".
        #expect(try a.listRelations(schema: "dev_x").map(\.identifier) == ["a"])
        #expect(try a.listRelations(schema: "nothing").isEmpty)
    }

    @Test func schemasAreRecordedAndListed() throws {
        let a = try Scratch().adapter
        try a.createSchema("empty_one")
        try a.createSchema("empty_one")
        try a.execute(#"create table "marts.m" (id INT64)"#)
        #expect(try a.listSchemas() == ["dev", "empty_one", "marts"])
        try a.dropSchema("marts")
        #expect(try a.listRelations(schema: "marts").isEmpty)
        #expect(try a.listSchemas() == ["dev", "empty_one"])
    }

    @Test func createTableKeepsLogicalTypes() throws {
        let a = try Scratch().adapter
        let relation = Relation(schema: "seeds", identifier: "codes")
        try a.createTable(relation, columns: [
            Column(name: "id", dataType: "int64"), Column(name: "code", dataType: "STRING"),
            Column(name: "price", dataType: "FLOAT64"), Column(name: "exact", dataType: "NUMERIC"),
            Column(name: "active", dataType: "BOOLEAN"), Column(name: "day", dataType: "DATE"),
            Column(name: "at", dataType: "TIMESTAMP"), Column(name: "raw", dataType: "BYTES"),
        ])
        #expect(try a.columns(of: relation) == [
            Column(name: "id", dataType: "INT64"), Column(name: "code", dataType: "STRING"),
            Column(name: "price", dataType: "FLOAT64"), Column(name: "exact", dataType: "NUMERIC"),
            Column(name: "active", dataType: "BOOL"), Column(name: "day", dataType: "DATE"),
            Column(name: "at", dataType: "TIMESTAMP"), Column(name: "raw", dataType: "BYTES"),
        ])
        // The declared types give the right affinity: a code keeps its zeros, 7 in FLOAT64 is 7.0.
        _ = try a.insert(into: relation, columns: ["id", "code", "price", "active", "day"],
                         rows: [[.text("1"), .text("00123"), .integer(7), .bool(true), .text("2024-02-29")]])
        let row = try a.query("select typeof(id), code, typeof(price), active, day from \(a.render(relation))", limit: nil).rows
        #expect(row == [[.text("integer"), .text("00123"), .text("real"), .bool(true), .text("2024-02-29")]])
        #expect(try a.columns(of: Relation(schema: "seeds", identifier: "missing")).isEmpty)
        #expect(throws: WarehouseError.self) { try a.createTable(Relation(schema: "s", identifier: "e"), columns: []) }
    }

    @Test func columnsOfViewsAndUntypedTables() throws {
        let a = try Scratch().adapter
        try a.createTable(Relation(schema: "dev", identifier: "t"), columns: [
            Column(name: "id", dataType: "INT64"), Column(name: "day", dataType: "DATE"),
        ])
        try a.execute(#"insert into "dev.t" values (1, '2024-01-01')"#)
        try a.execute(#"create view "dev.v" as select id, day, id * 1.5 as scaled from "dev.t""#)
        #expect(try a.columns(of: Relation(schema: "dev", identifier: "v")) == [
            Column(name: "id", dataType: "INT64"), Column(name: "day", dataType: "DATE"),
            Column(name: "scaled", dataType: ""),
        ])
        try a.execute(#"create table "dev.u" as select 'a' || 'b' as s, 2.5 * 2 as r, null as n"#)
        #expect(try a.columns(of: Relation(schema: "dev", identifier: "u")).map(\.dataType) == ["STRING", "FLOAT64", ""])
    }

    @Test func dropRelationDropsWhicheverKindItIs() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id); create view "dev.v" as select 1"#)
        // The kind given is not trusted: the file says what it is.
        try a.dropRelation(Relation(schema: "dev", identifier: "t", kind: .view))
        try a.dropRelation(Relation(schema: "dev", identifier: "v", kind: .table))
        try a.dropRelation(Relation(schema: "dev", identifier: "never"))
        #expect(try a.listRelations(schema: "dev").isEmpty)
    }

    @Test func renameTablesAndViews() throws {
        let a = try Scratch().adapter
        try a.execute(#"create table "dev.t" (id); insert into "dev.t" values (5)"#)
        try a.execute(#"create view "dev.v" ("renamed id") as select id from "dev.t""#)
        try a.renameRelation(Relation(schema: "dev", identifier: "t"), to: Relation(schema: "dev", identifier: "t2"))
        try a.renameRelation(Relation(schema: "dev", identifier: "v"), to: Relation(schema: "dev", identifier: "v2"))
        #expect(try a.listRelations(schema: "dev").map(\.identifier) == ["t2", "v", "v2"].filter { $0 != "v" })
        #expect(try a.query(#"select * from "dev.t2""#, limit: nil).rows == [[.integer(5)]])
        // The view was re-created with its column list; it still names "dev.t" (names are not
        // rewritten), which is gone, so reading it fails until "dev.t" is back.
        #expect(throws: WarehouseError.self) { try a.query(#"select * from "dev.v2""#, limit: nil) }
        try a.execute(#"create table "dev.t" (id); insert into "dev.t" values (9)"#)
        let result = try a.query(#"select * from "dev.v2""#, limit: nil)
        #expect(result.columns.map(\.name) == ["renamed id"])
        #expect(result.rows == [[.integer(9)]])
        #expect(throws: WarehouseError.self) {
            try a.renameRelation(Relation(schema: "dev", identifier: "none"), to: Relation(schema: "dev", identifier: "x"))
        }
    }

    @Test(arguments: [
        #"quo"te"#, "dot.ted", "ünïcødé_表", "spa ce", "semi;colon", "--dash", "[bracket]", "`tick`", "",
    ])
    func weirdIdentifiersRoundTrip(identifier: String) throws {
        let a = try Scratch().adapter
        let relation = Relation(schema: #"sch"ema.x"#, identifier: identifier)
        try a.createTable(relation, columns: [Column(name: identifier.isEmpty ? "c" : identifier, dataType: "STRING")])
        #expect(try a.getRelation(database: nil, schema: relation.schema, identifier: identifier)?.identifier == identifier)
        #expect(try a.listRelations(schema: relation.schema).map(\.identifier) == [identifier])
        _ = try a.insert(into: relation, columns: [identifier.isEmpty ? "c" : identifier], rows: [[.text(identifier)]])
        #expect(try a.query("select * from \(a.render(relation))", limit: nil).rows == [[.text(identifier)]])
        try a.renameRelation(relation, to: relation.withIdentifier(identifier + "2"))
        try a.dropRelation(relation.withIdentifier(identifier + "2"))
        #expect(try a.listRelations(schema: relation.schema).isEmpty)
    }

    @Test func viewDefinitionsAreReadForRenaming() {
        #expect(SQLiteViewDefinition.bodyAfterName(#"CREATE VIEW "a.b" AS select 1"#) == "AS select 1")
        #expect(SQLiteViewDefinition.bodyAfterName(#"CREATE VIEW "a""b" (x) AS select 1"#) == "(x) AS select 1")
        #expect(SQLiteViewDefinition.bodyAfterName("CREATE VIEW IF NOT EXISTS [v] AS select 2") == "AS select 2")
        #expect(SQLiteViewDefinition.bodyAfterName("CREATE VIEW v/*c*/AS select 3") == "AS select 3")
        #expect(SQLiteViewDefinition.bodyAfterName("CREATE TABLE t (x)") == nil)
    }
}
