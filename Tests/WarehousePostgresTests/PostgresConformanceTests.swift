import Testing
import Warehouse
import WarehouseConformance
import WarehousePostgres

/// The PostgreSQL adapter in the shared adapter conformance suite, on a throw-away cluster.
struct PostgresHarness: ConformanceHarness {
    func makeAdapter() throws -> any Adapter { try TestCluster.adapter() }
    var database: String? { "postgres" }
    /// PostgreSQL binds a view to its table; replacing the table drops the view `cascade`, as
    /// dbt-postgres does.
    var quotedIdentifiersAreCaseSensitive: Bool { true }
    var viewsSurviveTableReplacement: Bool { false }
}

@Suite struct PostgresConformanceTests {
    @Test(arguments: ConformanceCase.allCases)
    func conformance(_ check: ConformanceCase) throws {
        try check.run(PostgresHarness())
    }
}
