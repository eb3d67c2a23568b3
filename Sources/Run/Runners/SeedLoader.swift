import Foundation
import Warehouse

/// dbt's seed materialization: read the CSV with dbt's type inference, build the table under a
/// temporary name, insert every row and swap it in, all or nothing
/// (docs.getdbt.com/docs/build/seeds).
enum SeedLoader {
    static func run(_ node: ExecutableNode, adapter: any Adapter) throws -> ExecutionOutcome {
        guard let seed = node.seed, let relation = node.relation else {
            throw RunError(.internal, "\(node.uniqueId) is not a seed")
        }
        let table: SeedTable = try SeedReader.read(path: seed.path, delimiter: seed.delimiter, columnTypes: seed.columnTypes)
        try adapter.createSchema(relation.schema)
        let temporary = relation.withIdentifier(relation.identifier + "__opsflow_seed")
        var executed: [String] = []
        try adapter.dropRelation(temporary)
        try adapter.createTable(temporary, columns: table.columns)
        executed.append("create table \(adapter.render(temporary)) (" + table.columns.map { "\(adapter.quote($0.name)) \($0.dataType)" }.joined(separator: ", ") + ")")
        do {
            let inserted = try adapter.transaction { () throws -> Int in
                let count = try adapter.insert(into: temporary, columns: table.columns.map(\.name), rows: table.rows)
                if try adapter.getRelation(database: relation.database, schema: relation.schema, identifier: relation.identifier) != nil {
                    try adapter.dropRelation(relation)
                }
                try adapter.renameRelation(temporary, to: relation)
                return count
            }
            executed.append("insert into \(adapter.render(relation)) (\(table.columns.count) columns) values … -- \(inserted) rows")
            let response = AdapterResponse(message: "INSERT \(inserted)", code: "INSERT", rowsAffected: inserted)
            return ExecutionOutcome(status: .success, message: "INSERT \(inserted)", response: response, executedSQL: executed, failures: nil)
        } catch {
            try? adapter.dropRelation(temporary)
            throw error
        }
    }
}
