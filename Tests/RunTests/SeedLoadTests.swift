import Foundation
import Testing
import Warehouse
import WarehouseSQLite
@testable import Run

/// Seeds read, typed and loaded into the embedded warehouse, then read back.
@Suite struct SeedLoadTests {
    func warehouse() throws -> SQLiteAdapter {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-seed-\(UUID().uuidString)")
        return try SQLiteAdapter(path: folder.appendingPathComponent("w.db").path, schema: "seeds")
    }

    @Test(arguments: ["types.csv", "quoted.csv", "codes.csv"])
    func loadedValuesReadBackUnchanged(file: String) throws {
        let seed = try SeedReader.read(path: SeedOracleTests.fixtures.appendingPathComponent(file).path)
        let a = try warehouse()
        defer { a.close() }
        let relation = Relation(schema: "seeds", identifier: String(file.dropLast(4)))
        _ = try a.replaceTable(relation, columns: seed.columns, rows: seed.rows)
        #expect(try a.columns(of: relation) == seed.columns)
        let back = try a.query("select * from \(a.render(relation))", limit: nil)
        #expect(back.rows == seed.rows)
    }

    @Test func leadingZerosSurviveTheWarehouse() throws {
        let seed = try SeedReader.read(path: SeedOracleTests.fixtures.appendingPathComponent("codes.csv").path)
        let a = try warehouse()
        defer { a.close() }
        let relation = Relation(schema: "seeds", identifier: "codes")
        _ = try a.replaceTable(relation, columns: seed.columns, rows: seed.rows)
        #expect(try a.query("select zip, typeof(zip) from \(a.render(relation)) order by store", limit: nil).rows
                == [[.text("90210"), .text("text")], [.text("01001"), .text("text")]])
    }

    @Test func aLargeSeedReads() throws {
        var text = "waybill_no,created_at,client,weight,picked\n"
        for i in 0..<20_000 {
            text += "WB\(1_000_000 + i),2024-03-\(10 + i % 20) 08:\(10 + i % 50):00,Client_\(i % 3),\(Double(i % 1000) / 10),\(i % 2 == 0)\n"
        }
        let seed = try SeedReader.read(data: Data(text.utf8), path: "big.csv")
        #expect(seed.rows.count == 20_000)
        #expect(seed.columns.map(\.dataType) == ["STRING", "TIMESTAMP", "STRING", "FLOAT64", "BOOL"])
    }
}
