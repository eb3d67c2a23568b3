import Jinja
import Warehouse

/// dbt's `adapter` in templates (docs.getdbt.com/reference/dbt-jinja-functions/adapter):
/// `dispatch`, `get_relation`, `get_columns_in_relation`, `quote`, `type`, `execute`,
/// `create_schema`, `drop_relation`, `rename_relation`, `already_exists`.
///
/// Warehouse calls happen only in the compile phase; at parse they answer nothing, as dbt's
/// parse-time adapter does.
final class AdapterObject: JinjaObject, @unchecked Sendable {
    let adapter: any Adapter
    let dispatcher: MacroDispatcher

    init(adapter: any Adapter, dispatcher: MacroDispatcher) {
        self.adapter = adapter
        self.dispatcher = dispatcher
    }

    var typeName: String { "Adapter" }
    var pythonStr: String { "<\(adapter.type) adapter>" }

    func attribute(_ name: String) -> Value? {
        let adapter = self.adapter
        switch name {
        case "dispatch":
            let dispatcher = self.dispatcher
            return .function(NativeFunction("adapter.dispatch") { args, state in
                guard let macroName = args.value(0, "macro_name")?.asString else {
                    throw state.error(.type, "adapter.dispatch() needs a macro name")
                }
                let namespace = args.value(1, "macro_namespace")?.asString
                guard let macro = dispatcher.resolve(macroName, namespace: namespace) else {
                    throw state.error(
                        .runtime,
                        "In dispatch: No macro named '\(macroName)' found within namespace: '\(namespace ?? "root")'",
                        hint: "Searched for: \(dispatcher.candidates(macroName).joined(separator: ", "))")
                }
                return macro
            })
        case "type":
            let type = adapter.type
            return .function(NativeFunction("adapter.type") { _, _ in .string(type) })
        case "quote":
            return .function(NativeFunction("adapter.quote") { args, _ in
                .string(adapter.quote(args.value(0, "identifier")?.pythonStr() ?? ""))
            })
        case "get_relation":
            return .function(NativeFunction("adapter.get_relation") { args, state in
                guard state.recorder?.phase != .parse else { return .none }
                let database = args.value(0, "database")?.asString
                guard let schema = args.value(1, "schema")?.asString,
                      let identifier = args.value(2, "identifier")?.asString else { return .none }
                let found = try AdapterObject.warehouse(state) {
                    try adapter.getRelation(database: database, schema: schema, identifier: identifier)
                }
                guard let found else { return .none }
                return .object(RelationObject(found, rendered: adapter.render(found)))
            })
        case "get_columns_in_relation":
            return .function(NativeFunction("adapter.get_columns_in_relation") { args, state in
                guard state.recorder?.phase != .parse,
                      let relation = (args.value(0, "relation")?.asObject as? RelationObject)?.relation
                else { return .makeList([]) }
                let columns = try AdapterObject.warehouse(state) { try adapter.columns(of: relation) }
                return .makeList(columns.map { .object(ColumnObject($0, quoted: adapter.quote($0.name))) })
            })
        case "execute":
            return .function(NativeFunction("adapter.execute") { args, state in
                guard let sql = args.value(0, "sql")?.asString else {
                    throw state.error(.type, "adapter.execute() needs SQL")
                }
                let fetch = args.keyword("fetch")?.isTruthy ?? false
                return try AdapterObject.warehouse(state) {
                    if fetch {
                        let result = try adapter.query(sql, limit: nil)
                        let response = ResponseObject(AdapterResponse(message: "OK", code: "SELECT", rowsAffected: result.rows.count))
                        return .tuple([.object(response), .object(AgateTable(result))])
                    }
                    let response = try adapter.execute(sql)
                    return .tuple([.object(ResponseObject(response)), .object(AgateTable(QueryResult(columns: [], rows: [])))])
                }
            })
        case "create_schema":
            return .function(NativeFunction("adapter.create_schema") { args, state in
                guard state.recorder?.phase != .parse,
                      let relation = (args.value(0, "relation")?.asObject as? RelationObject)?.relation else { return .none }
                try AdapterObject.warehouse(state) { try adapter.createSchema(relation.schema) }
                return .none
            })
        case "drop_relation":
            return .function(NativeFunction("adapter.drop_relation") { args, state in
                guard state.recorder?.phase != .parse,
                      let relation = (args.value(0, "relation")?.asObject as? RelationObject)?.relation else { return .none }
                try AdapterObject.warehouse(state) { try adapter.dropRelation(relation) }
                return .none
            })
        case "rename_relation":
            return .function(NativeFunction("adapter.rename_relation") { args, state in
                guard state.recorder?.phase != .parse,
                      let from = (args.value(0, "from_relation")?.asObject as? RelationObject)?.relation,
                      let to = (args.value(1, "to_relation")?.asObject as? RelationObject)?.relation else { return .none }
                try AdapterObject.warehouse(state) { try adapter.renameRelation(from, to: to) }
                return .none
            })
        case "already_exists":
            return .function(NativeFunction("adapter.already_exists") { args, state in
                guard state.recorder?.phase != .parse,
                      let schema = args.value(0, "schema")?.asString,
                      let name = args.value(1, "name")?.asString else { return .bool(false) }
                return .bool(try AdapterObject.warehouse(state) {
                    try adapter.getRelation(database: nil, schema: schema, identifier: name) != nil
                })
            })
        default:
            return nil
        }
    }

    /// Runs a warehouse call, turning its error into a located template error.
    static func warehouse<T>(_ state: State, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WarehouseError {
            throw state.error(.runtime, "Database Error: \(error.message)")
        }
    }
}

/// dbt's `AdapterResponse` in templates: `_message`, `code`, `rows_affected`, `query_id`.
final class ResponseObject: JinjaObject, @unchecked Sendable {
    let response: AdapterResponse
    init(_ response: AdapterResponse) { self.response = response }
    var typeName: String { "AdapterResponse" }
    var pythonStr: String { response.message }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "_message", "message": return .string(response.message)
        case "code": return response.code.map(Value.string) ?? Value.none
        case "rows_affected": return response.rowsAffected.map(Value.int) ?? Value.none
        case "query_id": return response.queryId.map(Value.string) ?? Value.none
        default: return nil
        }
    }
}

/// `run_query`, `store_result`, `load_result` (dbt's `statement` macro stores through these).
enum StatementFunctions {
    static func runQuery(_ adapter: any Adapter) -> NativeFunction {
        NativeFunction("run_query") { args, state in
            guard let recorder = state.recorder, recorder.phase == .compile else { return .none }
            let sql = args.value(0, "sql")?.pythonStr() ?? ""
            let result = try AdapterObject.warehouse(state) { try adapter.query(sql, limit: nil) }
            return .object(AgateTable(result))
        }
    }

    static let storeResult = NativeFunction("store_result") { args, state in
        guard let recorder = state.recorder, let name = args.value(0, "name")?.asString else { return .string("") }
        let response = args.value(1, "response") ?? Value.none
        let table = args.value(2, "agate_table") ?? Value.none
        var data: Value = .makeList([])
        if case .object(let object) = table, let agate = object as? AgateTable {
            data = .makeList(agate.result.rows.map { .tuple($0.map(Value.init)) })
        }
        recorder.results[name] = .makeDict([("response", response), ("data", data), ("table", table)])
        return .string("")
    }

    static let loadResult = NativeFunction("load_result") { args, state in
        guard let name = args.value(0, "name")?.asString, let stored = state.recorder?.results[name] else { return .none }
        return stored
    }
}
