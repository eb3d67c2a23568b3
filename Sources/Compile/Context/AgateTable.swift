import Jinja
import Warehouse

/// The result table `run_query` and `load_result(...)['table']` return: the parts of agate's
/// `Table` dbt code uses — `rows` (rows indexable by position or column name), `columns` (each
/// with `name` and `values()`), `column_names`, iteration, and `print_table()`.
final class AgateTable: JinjaObject, @unchecked Sendable {
    let result: QueryResult
    private lazy var rowValues: [Value] = result.rows.map { .object(AgateRow(names: names, cells: $0)) }
    private var names: [String] { result.columns.map(\.name) }

    init(_ result: QueryResult) { self.result = result }

    var typeName: String { "Table" }
    var pythonStr: String { "<agate.table.Table object>" }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "rows": return .makeList(rowValues)
        case "column_names": return .tuple(names.map(Value.string))
        case "column_types": return .tuple(result.columns.map { .string($0.dataType) })
        case "columns":
            return .makeList(result.columns.enumerated().map { index, column in
                .object(AgateColumn(name: column.name, dataType: column.dataType,
                                    values: result.rows.map { index < $0.count ? Value($0[index]) : .none }))
            })
        case "print_table", "print_json":
            return .function(NativeFunction("print_table") { _, _ in .none })
        default: return nil
        }
    }

    func iterate() -> [Value]? { rowValues }

    func item(_ key: Value) -> Value? {
        guard let index = key.asInt, index >= 0 && index < rowValues.count else { return nil }
        return rowValues[index]
    }
}

/// One row of an ``AgateTable``: `row[0]`, `row['name']`, `row.name`, `for v in row`.
final class AgateRow: JinjaObject, @unchecked Sendable {
    let names: [String]
    let cells: [Cell]

    init(names: [String], cells: [Cell]) {
        self.names = names
        self.cells = cells
    }

    var typeName: String { "Row" }
    var pythonStr: String { "<agate.Row: (" + cells.map { Value($0).pythonRepr() }.joined(separator: ", ") + ")>" }

    func attribute(_ name: String) -> Value? {
        if let index = names.firstIndex(where: { $0.lowercased() == name.lowercased() }), index < cells.count {
            return Value(cells[index])
        }
        switch name {
        case "keys": let names = self.names; return .function(NativeFunction("keys") { _, _ in .makeList(names.map(Value.string)) })
        case "values": let cells = self.cells; return .function(NativeFunction("values") { _, _ in .makeList(cells.map(Value.init)) })
        case "dict":
            let pairs = zip(names, cells).map { ($0, Value($1)) }
            return .function(NativeFunction("dict") { _, _ in .makeDict(pairs) })
        default: return nil
        }
    }

    func item(_ key: Value) -> Value? {
        if var index = key.asInt {
            if index < 0 { index += cells.count }
            return index >= 0 && index < cells.count ? Value(cells[index]) : nil
        }
        if let name = key.asString { return attribute(name) }
        return nil
    }

    func iterate() -> [Value]? { cells.map(Value.init) }
}

/// A column of an ``AgateTable``.
final class AgateColumn: JinjaObject, @unchecked Sendable {
    let name: String
    let dataType: String
    let values: [Value]

    init(name: String, dataType: String, values: [Value]) {
        self.name = name
        self.dataType = dataType
        self.values = values
    }

    var typeName: String { "Column" }
    var pythonStr: String { "<agate.Column \(name)>" }

    func attribute(_ attribute: String) -> Value? {
        switch attribute {
        case "name": return .string(name)
        case "data_type": return .string(dataType)
        case "values", "values_distinct", "values_without_nulls":
            let values = self.values
            return .function(NativeFunction(attribute) { _, _ in
                switch attribute {
                case "values_without_nulls": return .tuple(values.filter { !$0.isNone })
                default: return .tuple(values)
                }
            })
        default: return nil
        }
    }

    func iterate() -> [Value]? { values }
}

/// A warehouse column as dbt's `Column` (`get_columns_in_relation`): `name`, `column`,
/// `data_type`, `dtype`, `quoted`.
final class ColumnObject: JinjaObject, @unchecked Sendable {
    let column: Column
    let quoted: String

    init(_ column: Column, quoted: String) {
        self.column = column
        self.quoted = quoted
    }

    var typeName: String { "Column" }
    var pythonStr: String { "<Column \(column.name) (\(column.dataType))>" }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "name", "column": return .string(column.name)
        case "data_type", "dtype": return .string(column.dataType)
        case "quoted": return .string(quoted)
        case "is_string": return .bool(["STRING", "TEXT", "VARCHAR"].contains { column.dataType.uppercased().hasPrefix($0) })
        case "is_number", "is_numeric":
            return .bool(["INT", "FLOAT", "REAL", "NUMERIC", "DECIMAL", "DOUBLE", "BIGNUMERIC"].contains { column.dataType.uppercased().hasPrefix($0) })
        default: return nil
        }
    }
}
