import Testing
import Warehouse
import WarehouseConformance
@testable import WarehouseBigQuery

/// The BigQuery adapter in the shared adapter conformance suite, on the emulator.
struct BigQueryHarness: ConformanceHarness {
    let env: BigQueryTestEnvironment
    func makeAdapter() throws -> any Adapter { try env.adapter() }
    var database: String? { env.project }
    /// BigQuery views read tables by name, so `CREATE OR REPLACE TABLE` keeps them working.
    var viewsSurviveTableReplacement: Bool { true }
    /// BigQuery table names are case-sensitive (dataset names too).
    var quotedIdentifiersAreCaseSensitive: Bool { true }
}

@Suite struct BigQueryConformanceTests {
    /// BigQuery has no transactions across jobs (dbt-bigquery's begin/commit are no-ops), so the
    /// checks that need a rollback or isolation cannot hold; everything else must.
    static let withoutTransactions: Set<ConformanceCase> = [
        .transactionRollsBack, .nestedTransactionIsSavepoint, .uncommittedWorkIsInvisibleToOtherThreads,
        .swapInsideTransactionRollsBack,
    ]

    /// Checks whose SQL or names BigQuery itself rejects: `insertRoundTripsTypes` selects a column
    /// named `at`, a reserved keyword in GoogleSQL (BigQueryLoadTests covers loads instead);
    /// `oddIdentifiers` names a table `Odd "Name" select`, and BigQuery table ids cannot hold `"`.
    static let invalidOnBigQuery: Set<ConformanceCase> = [.insertRoundTripsTypes, .oddIdentifiers]

    @Test(arguments: ConformanceCase.allCases.filter { !withoutTransactions.contains($0) && !invalidOnBigQuery.contains($0) })
    func conformance(_ check: ConformanceCase) throws {
        try check.run(BigQueryHarness(env: try BigQueryTestEnvironment.get()))
    }
}
