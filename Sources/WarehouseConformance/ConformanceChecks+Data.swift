import Foundation
import Warehouse

// Loads, introspection, naming and errors.
extension ConformanceChecks {
    /// Text that breaks naive loaders: tab, newline, carriage return, backslash, quotes, `\N`,
    /// non-ASCII and an emoji.
    static let awkwardText = "tab\there \"dq\" 'sq' back\\slash \\N\nnew line\r\né 🚚"

    static func insertRoundTripsTypes(_ c: ConformanceContext) throws {
        let table = c.relation("loaded")
        let columns = [
            Column(name: "id", dataType: "INT64"), Column(name: "amount", dataType: "FLOAT64"),
            Column(name: "label", dataType: "STRING"), Column(name: "flag", dataType: "BOOL"),
            Column(name: "day", dataType: "DATE"), Column(name: "at", dataType: "TIMESTAMP"),
        ]
        try c.adapter.createTable(table, columns: columns)
        let rows: [[Cell]] = [
            [.integer(1), .real(12.5), .text("plain"), .bool(true), .text("2025-01-02"), .text("2025-01-02 03:04:05")],
            [.integer(2), .real(-0.25), .text(awkwardText), .bool(false), .text("2024-02-29"), .text("2024-02-29 23:59:59")],
            [.integer(3), .null, .null, .null, .null, .null],
            [.integer(1 << 40), .real(1e-7), .text(""), .bool(true), .text("1999-12-31"), .text("2000-01-01 00:00:00")],
        ]
        let count = try c.adapter.insert(into: table, columns: columns.map(\.name), rows: rows)
        try c.expect(count == 4, "insert reported \(count) rows, expected 4")
        let back = try c.rows("loaded", "id, amount, label, flag, day, at")
        try c.expect(back.count == 4, "read back \(back.count) rows")
        for (expected, actual) in zip(rows, back) {
            let id = expected[0]
            try c.expect(actual[0].integerValue == expected[0].integerValue, "id \(id): \(actual[0])")
            if case .real(let amount) = expected[1] {
                guard case .real(let got) = actual[1] else { throw ConformanceFailure("amount of \(id) came back as \(actual[1])") }
                try c.expect(got == amount, "amount of \(id): \(got), expected \(amount)")
            } else {
                try c.expect(actual[1] == .null, "amount of \(id): \(actual[1]), expected NULL")
            }
            try c.expect(actual[2] == expected[2], "label of \(id): \(actual[2]), expected \(expected[2])")
            if case .bool(let flag) = expected[3] {
                try c.expect(actual[3].integerValue == (flag ? 1 : 0), "flag of \(id): \(actual[3])")
            } else {
                try c.expect(actual[3] == .null, "flag of \(id): \(actual[3]), expected NULL")
            }
            try c.expect(actual[4] == expected[4], "day of \(id): \(actual[4]), expected \(expected[4])")
            try c.expect(actual[5] == expected[5], "at of \(id): \(actual[5]), expected \(expected[5])")
        }
        // A bulk load: 20,000 rows arrive whole.
        var bulk: [[Cell]] = []
        for index in 0..<20_000 {
            let row: [Cell] = [.integer(Int64(index)), .real(Double(index) / 4), .text("row \(index)"), .bool(index % 2 == 0), .null, .null]
            bulk.append(row)
        }
        try c.expect(try c.adapter.insert(into: table, columns: columns.map(\.name), rows: bulk) == 20_000, "bulk insert count")
        let totals = try c.adapter.query("select count(*), sum(id) from \(c.rendered("loaded")) where label like 'row %'", limit: nil).rows
        try c.expect(totals.first?[0].integerValue == 20_000, "bulk count \(String(describing: totals.first?[0]))")
        try c.expect(totals.first?[1].integerValue == 199_990_000, "bulk sum \(String(describing: totals.first?[1])), expected 199990000")
    }

    static func createTableColumns(_ c: ConformanceContext) throws {
        let names = ["b_second", "a_first", "c_third"]
        try c.adapter.createTable(c.relation("shaped"), columns: names.map { Column(name: $0, dataType: "STRING") })
        let columns = try c.adapter.columns(of: c.relation("shaped"))
        try c.expect(columns.map(\.name) == names, "columns \(columns.map(\.name)), expected the declared order \(names)")
        try c.expect(columns.allSatisfy { !$0.dataType.isEmpty }, "a column has no type: \(columns)")
        try c.expect(try c.rows("shaped").isEmpty, "a new table has rows")
    }

    static func introspection(_ c: ConformanceContext) throws {
        try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.adapter.replaceView(c.relation("orders_v"), withSelect: "select name, id from \(c.rendered("orders"))")
        let table = try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "orders")
        try c.expect(table?.kind == .table && table?.identifier == "orders" && table?.schema == c.schema, "getRelation(orders) = \(String(describing: table))")
        try c.expect(try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "orders_v")?.kind == .view, "orders_v is not a view")
        try c.expect(try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "missing") == nil, "a missing relation was found")
        try c.expect(try c.adapter.getRelation(database: c.database, schema: c.schema + "_other", identifier: "orders") == nil,
                     "a relation was found in the wrong schema")
        let listed = try c.adapter.listRelations(schema: c.schema)
        try c.expect(listed.map(\.identifier).sorted() == ["orders", "orders_v"], "listRelations: \(listed)")
        try c.expect(listed.first { $0.identifier == "orders_v" }?.kind == .view, "listRelations kinds: \(listed)")
        try c.expect(try c.adapter.listRelations(schema: c.schema + "_empty").isEmpty, "an unknown schema has relations")
        try c.expect(try c.adapter.columns(of: c.relation("orders_v")).map(\.name) == ["name", "id"], "columns of the view")
        try c.expect(try c.adapter.columns(of: c.relation("missing")).isEmpty, "a missing relation has columns")
    }

    static func dropAndRename(_ c: ConformanceContext) throws {
        try c.adapter.dropRelation(c.relation("never_there"))
        try c.adapter.replaceTable(c.relation("orders"), withSelect: twoRows)
        try c.adapter.renameRelation(c.relation("orders"), to: c.relation("orders_old"))
        try c.expect(try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: "orders") == nil, "the old name survived a rename")
        try c.expect(ids(try c.rows("orders_old")) == [1, 2], "the renamed table lost rows")
        try c.adapter.replaceView(c.relation("v"), withSelect: "select id from \(c.rendered("orders_old"))")
        try c.adapter.dropRelation(c.relation("v"))
        try c.adapter.dropRelation(c.relation("orders_old"))
        try c.expect(try c.names().isEmpty, "relations after dropping all: \(try c.names())")
    }

    static func oddIdentifiers(_ c: ConformanceContext) throws {
        let tableName = "Odd \"Name\" select"
        let columns = ["Mixed Case", "with \"quote\"", "select", "ünï"]
        let q = c.adapter.quote
        let sql = "select 1 as \(q(columns[0])), 'x' as \(q(columns[1])), 2 as \(q(columns[2])), 3 as \(q(columns[3]))"
        try c.adapter.replaceTable(c.relation(tableName), withSelect: sql)
        let found = try c.adapter.getRelation(database: c.database, schema: c.schema, identifier: tableName)
        try c.expect(found?.identifier == tableName, "getRelation of an odd name: \(String(describing: found))")
        try c.expect(try c.adapter.columns(of: c.relation(tableName)).map(\.name) == columns, "odd column names changed")
        let value = try c.adapter.query("select \(q("select")), \(q("with \"quote\"")) from \(c.rendered(tableName))", limit: nil).rows
        try c.expect(value.first?[0].integerValue == 2 && value.first?[1] == .text("x"), "reading odd columns: \(value)")
        try c.adapter.replaceView(c.relation("View of \(tableName)"), withSelect: "select \(q("Mixed Case")) from \(c.rendered(tableName))")
        try c.expect(try c.names() == ["Odd \"Name\" select", "View of Odd \"Name\" select"], "relations: \(try c.names())")
        // "orders" and "Orders": two relations where quoted names keep case, else one replaced.
        try c.adapter.replaceTable(c.relation("orders"), withSelect: "select 1 as id")
        try c.adapter.replaceTable(c.relation("Orders"), withSelect: "select 2 as id")
        if c.caseSensitive {
            try c.expect(ids(try c.rows("orders")) == [1] && ids(try c.rows("Orders")) == [2], "quoted names are not case-sensitive")
        } else {
            try c.expect(ids(try c.rows("orders")) == [2] && ids(try c.rows("Orders")) == [2], "Orders did not replace orders")
            try c.expect(try c.names().count == 3, "relations: \(try c.names())")
        }
    }

    static func errorsCarryTheWarehouseMessage(_ c: ConformanceContext) throws {
        let error = try c.expectThrows("a query of a missing table") {
            _ = try c.adapter.query("select * from \(c.rendered("no_such_table"))", limit: nil)
        }
        guard let warehouse = error as? WarehouseError else { throw ConformanceFailure("not a WarehouseError: \(error)") }
        try c.expect(warehouse.kind == .query, "kind \(warehouse.kind)")
        try c.expect(warehouse.message.contains("no_such_table"), "the message does not name the table: \(warehouse.message)")
        // The adapter still works after an error.
        try c.expect(try c.adapter.query("select 1 as one", limit: nil).rows.first?.first?.integerValue == 1, "the adapter broke after an error")
    }
}
