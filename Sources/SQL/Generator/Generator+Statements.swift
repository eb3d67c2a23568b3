/// The DML pieces every dialect writes alike (INSERT, UPDATE, DELETE) and window specifications. What a
/// dialect spells differently goes through the ``SQLGenerator`` hooks (``SQLGenerator/relationSQL(_:)``,
/// ``SQLGenerator/coerce(_:to:at:)``).
extension SQLGenerator {
    // MARK: - DML

    /// `INSERT INTO t (…) query` or `… VALUES (…)`, each value coerced to its column's known type
    /// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax#insert_statement>).
    func insertSQL(table: [String], columns: [String], source: InsertSource) throws -> String {
        let known = catalog.columns(relationName(table))
        var sql = "INSERT INTO \(relationSQL(table))"
        if !columns.isEmpty { sql += " (" + columns.map(quoteIdentifier).joined(separator: ", ") + ")" }
        switch source {
        case .query(let query):
            sql += "\n" + (try self.query(query, parent: nil).sql)
        case .values(let rows):
            let names = columns.isEmpty ? (known ?? []).map(\.name) : columns
            let scope = Scope(parent: nil)
            let rendered = try rows.map { row -> String in
                var values: [String] = []
                for (index, value) in row.enumerated() {
                    var typed = try expression(value, scope: scope)
                    if index < names.count, let type = known?.first(where: { $0.name.lowercased() == names[index].lowercased() })?.type {
                        typed = try coerce(typed, to: type, at: value.location)
                    }
                    values.append(typed.sql)
                }
                return "(" + values.joined(separator: ", ") + ")"
            }
            sql += " VALUES " + rendered.joined(separator: ", ")
        }
        return sql
    }

    /// `DELETE FROM t AS a WHERE …`; BigQuery requires the WHERE clause
    /// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax#delete_statement>).
    func deleteSQL(table: [String], alias: String?, whereClause: Expression?, location: SourceLocation) throws -> String {
        guard let whereClause else {
            throw SQLError(.semantic, construct: "DELETE", message: "DELETE must have a WHERE clause in BigQuery", location: location)
        }
        let scope = Scope(parent: nil)
        let aliasName = alias ?? table.last ?? ""
        scope.sources.append(Source(name: aliasName.lowercased(), qualifier: quoteIdentifier(aliasName), columns: catalog.columns(relationName(table))))
        return "DELETE FROM \(relationSQL(table)) AS \(quoteIdentifier(aliasName)) WHERE " + (try predicate(whereClause, scope: scope))
    }

    /// `UPDATE t AS a SET col = … [FROM …] WHERE …`; BigQuery requires the WHERE clause
    /// (<https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax#update_statement>).
    func updateSQL(table: [String], alias: String?, assignments: [Assignment], from: FromItem?, whereClause: Expression?, location: SourceLocation) throws -> String {
        guard let whereClause else {
            throw SQLError(.semantic, construct: "UPDATE", message: "UPDATE must have a WHERE clause in BigQuery", location: location)
        }
        let scope = Scope(parent: nil)
        let aliasName = alias ?? table.last ?? ""
        scope.sources.append(Source(name: aliasName.lowercased(), qualifier: quoteIdentifier(aliasName), columns: catalog.columns(relationName(table))))
        var fromSQL = ""
        if let from { fromSQL = "\nFROM " + (try fromItem(from, scope: scope)) }
        let sets = try assignments.map { assignment -> String in
            guard isColumnAssignment(assignment.column, alias: aliasName) else {
                throw unsupported("UPDATE of a struct field", location)
            }
            return quoteIdentifier(assignment.column.last ?? "") + " = " + (try expression(assignment.value, scope: scope).sql)
        }
        return "UPDATE \(relationSQL(table)) AS \(quoteIdentifier(aliasName)) SET " + sets.joined(separator: ", ") + fromSQL + "\nWHERE " + (try predicate(whereClause, scope: scope))
    }

    // MARK: - Windows

    /// A window specification (`PARTITION BY … ORDER BY … ROWS …`), a named window's parts filled
    /// in (<https://cloud.google.com/bigquery/docs/reference/standard-sql/window-function-calls>).
    func window(_ window: Window, scope: Scope, at: SourceLocation) throws -> String {
        var window = window
        if let name = window.name {
            guard let named = windowDefinitions[name.lowercased()] else {
                throw SQLError(.semantic, construct: "window", message: "unknown window \(name)", location: at)
            }
            if window.partitionBy.isEmpty { window.partitionBy = named.partitionBy }
            if window.orderBy.isEmpty { window.orderBy = named.orderBy }
            if window.frame == nil { window.frame = named.frame }
            window.name = named.name
            if named.name != nil { return try self.window(window, scope: scope, at: at) }
        }
        var parts: [String] = []
        if !window.partitionBy.isEmpty {
            parts.append("PARTITION BY " + (try window.partitionBy.map { try expression($0, scope: scope).sql }.joined(separator: ", ")))
        }
        if !window.orderBy.isEmpty {
            parts.append("ORDER BY " + (try orderItems(window.orderBy, scope: scope, outputColumns: [], isCompound: false)))
        }
        if let frame = window.frame {
            func bound(_ b: Window.Bound) throws -> String {
                switch b {
                case .unboundedPreceding: return "UNBOUNDED PRECEDING"
                case .unboundedFollowing: return "UNBOUNDED FOLLOWING"
                case .currentRow: return "CURRENT ROW"
                case .preceding(let e): return try expression(e, scope: scope).sql + " PRECEDING"
                case .following(let e): return try expression(e, scope: scope).sql + " FOLLOWING"
                }
            }
            if let end = frame.end {
                parts.append("\(frame.unit) BETWEEN \(try bound(frame.start)) AND \(try bound(end))")
            } else {
                parts.append("\(frame.unit) \(try bound(frame.start))")
            }
        }
        return parts.joined(separator: " ")
    }
}
