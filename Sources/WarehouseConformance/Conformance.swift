import Foundation
import Warehouse

/// What an adapter's tests hand the conformance suite (after dbt-adapters' `dbt-tests-adapter`
/// `basic/` suite: one suite, run by every adapter).
///
/// ```swift
/// struct SQLiteHarness: ConformanceHarness { … }
/// @Test(arguments: ConformanceCase.allCases)
/// func conformance(_ check: ConformanceCase) throws { try check.run(SQLiteHarness()) }
/// ```
public protocol ConformanceHarness: Sendable {
    /// A new adapter on a warehouse where `schema` does not exist yet. Each case asks for its own
    /// schema, so cases may run in parallel on one server.
    func makeAdapter() throws -> any Adapter
    /// The database part of the relations the suite builds (nil where there is none, as SQLite).
    var database: String? { get }
    /// Whether views keep reading a table by name after it is replaced (SQLite, BigQuery), or are
    /// dropped with the old table (PostgreSQL binds views to the table, dbt-postgres drops them
    /// `cascade`). Either way, a dependent view never reads the old rows.
    var viewsSurviveTableReplacement: Bool { get }
    /// Whether `"orders"` and `"Orders"` name two relations (PostgreSQL) or one (SQLite folds
    /// ASCII case even in quoted names).
    var quotedIdentifiersAreCaseSensitive: Bool { get }
}

/// A conformance check that failed: what was expected and what the adapter did.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The checks every adapter passes. Expected values come from SQL semantics (the rows a
/// `select` of literals returns) and dbt's contracts, never from an adapter's own output.
public enum ConformanceCase: String, CaseIterable, Sendable, CustomStringConvertible {
    case createTable
    case replaceTableSwapsAtomically
    case replaceTableWithDependentView
    case failingTableBuildKeepsOldTable
    case replaceView
    case failingViewBuildKeepsOldView
    case tableAndViewReplaceEachOther
    case transactionCommits
    case transactionRollsBack
    case nestedTransactionIsSavepoint
    case uncommittedWorkIsInvisibleToOtherThreads
    case swapInsideTransactionRollsBack
    case insertRoundTripsTypes
    case createTableColumns
    case introspection
    case dropAndRename
    case oddIdentifiers
    case errorsCarryTheWarehouseMessage

    public var description: String { rawValue }

    /// Runs the check on a fresh adapter and schema.
    /// - Throws: ``ConformanceFailure`` or the adapter's error.
    public func run(_ harness: some ConformanceHarness) throws {
        let adapter = try harness.makeAdapter()
        defer { adapter.close() }
        let schema = "conf_" + rawValue.lowercased().prefix(20) + "_" + UUID().uuidString.prefix(8).lowercased()
        try adapter.createSchema(schema)
        let context = ConformanceContext(adapter: adapter, schema: schema, database: harness.database,
                                         viewsSurvive: harness.viewsSurviveTableReplacement,
                                         caseSensitive: harness.quotedIdentifiersAreCaseSensitive)
        try body(context)
    }

    private var body: (ConformanceContext) throws -> Void {
        switch self {
        case .createTable: return ConformanceChecks.createTable
        case .replaceTableSwapsAtomically: return ConformanceChecks.replaceTableSwapsAtomically
        case .replaceTableWithDependentView: return ConformanceChecks.replaceTableWithDependentView
        case .failingTableBuildKeepsOldTable: return ConformanceChecks.failingTableBuildKeepsOldTable
        case .replaceView: return ConformanceChecks.replaceView
        case .failingViewBuildKeepsOldView: return ConformanceChecks.failingViewBuildKeepsOldView
        case .tableAndViewReplaceEachOther: return ConformanceChecks.tableAndViewReplaceEachOther
        case .transactionCommits: return ConformanceChecks.transactionCommits
        case .transactionRollsBack: return ConformanceChecks.transactionRollsBack
        case .nestedTransactionIsSavepoint: return ConformanceChecks.nestedTransactionIsSavepoint
        case .uncommittedWorkIsInvisibleToOtherThreads: return ConformanceChecks.uncommittedWorkIsInvisibleToOtherThreads
        case .swapInsideTransactionRollsBack: return ConformanceChecks.swapInsideTransactionRollsBack
        case .insertRoundTripsTypes: return ConformanceChecks.insertRoundTripsTypes
        case .createTableColumns: return ConformanceChecks.createTableColumns
        case .introspection: return ConformanceChecks.introspection
        case .dropAndRename: return ConformanceChecks.dropAndRename
        case .oddIdentifiers: return ConformanceChecks.oddIdentifiers
        case .errorsCarryTheWarehouseMessage: return ConformanceChecks.errorsCarryTheWarehouseMessage
        }
    }
}

/// One check's adapter and schema, with helpers.
struct ConformanceContext {
    var adapter: any Adapter
    var schema: String
    var database: String?
    var viewsSurvive: Bool
    var caseSensitive: Bool

    func relation(_ name: String) -> Relation {
        Relation(database: database, schema: schema, identifier: name)
    }

    func rendered(_ name: String) -> String { adapter.render(relation(name)) }

    /// The rows of `select <columns> from <relation> order by 1`, as cells.
    func rows(_ name: String, _ columns: String = "*") throws -> [[Cell]] {
        try adapter.query("select \(columns) from \(rendered(name)) order by 1", limit: nil).rows
    }

    /// The identifiers in the schema, sorted.
    func names() throws -> [String] {
        try adapter.listRelations(schema: schema).map(\.identifier).sorted()
    }

    func expect(_ condition: Bool, _ message: @autoclosure () throws -> String) throws {
        if !condition { throw ConformanceFailure(try message()) }
    }

    /// Expects `body` to throw; returns the error.
    @discardableResult
    func expectThrows(_ what: String, _ body: () throws -> Void) throws -> any Error {
        do {
            try body()
        } catch {
            return error
        }
        throw ConformanceFailure("\(what) did not fail")
    }
}

extension Cell {
    /// Integers as the warehouse returns them: a boolean column may come back as 0/1 (SQLite).
    var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .real(let value) where value == value.rounded(): return Int64(value)
        case .bool(let value): return value ? 1 : 0
        default: return nil
        }
    }

    var textValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}
