import Jinja
import Warehouse

/// dbt's `Relation` in templates: what `ref()`, `source()`, `this` and `adapter.get_relation()`
/// return. `{{ ref('x') }}` prints the quoted name; attributes mirror dbt's `BaseRelation`
/// (`database`, `schema`, `identifier`, `name`, `table`, `type`, `is_table`, `is_view`, `is_cte`)
/// and the methods `render()`, `include()`, `quote()`, `incorporate()`.
final class RelationObject: JinjaObject, @unchecked Sendable {
    let relation: Relation
    /// The relation as written in SQL (the adapter's rendering, or a CTE name for ephemeral models).
    let rendered: String

    init(_ relation: Relation, rendered: String) {
        self.relation = relation
        self.rendered = rendered
    }

    var typeName: String { "Relation" }
    var pythonStr: String { rendered }
    var pythonRepr: String { "<Relation \(rendered)>" }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "database": return relation.database.map(Value.string) ?? Value.none
        case "schema": return .string(relation.schema)
        case "identifier", "name", "table": return .string(relation.identifier)
        case "type": return relation.kind.map { .string($0.rawValue) } ?? Value.none
        case "is_table": return .bool(relation.kind == .table)
        case "is_view": return .bool(relation.kind == .view)
        case "is_cte": return .bool(relation.kind == .ephemeral)
        case "render":
            let text = rendered
            return .function(NativeFunction("render") { _, _ in .string(text) })
        case "include", "quote", "incorporate", "without_identifier":
            // Quoting and inclusion policies are the adapter's; returning the same relation keeps
            // `{{ this.include(database=False) }}`-style code working.
            let me = self
            return .function(NativeFunction(name) { _, _ in .object(me) })
        default: return nil
        }
    }
}
