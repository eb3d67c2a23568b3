import Foundation
import Testing
import Warehouse
import WarehouseConformance
import WarehouseSQLite

/// The SQLite adapter in the shared adapter conformance suite.
struct SQLiteHarness: ConformanceHarness {
    func makeAdapter() throws -> any Adapter { try Scratch(schema: nil).adapter }
    var database: String? { nil }
    /// Views name tables by name on SQLite (legacy_alter_table): they read the new table.
    var quotedIdentifiersAreCaseSensitive: Bool { false }
    var viewsSurviveTableReplacement: Bool { true }
}

@Suite struct SQLiteConformanceTests {
    @Test(arguments: WarehouseConformance.ConformanceCase.allCases)
    func conformance(_ check: WarehouseConformance.ConformanceCase) throws {
        try check.run(SQLiteHarness())
    }
}
