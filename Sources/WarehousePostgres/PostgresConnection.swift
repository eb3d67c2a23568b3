import CLibPQ
import Foundation
import Warehouse

/// One libpq connection (`PGconn`). Not thread-safe: the adapter's pool hands it to one thread at
/// a time (`@unchecked Sendable` for that hand-over only).
final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    /// Savepoints opened so far on this connection (for unique names).
    var savepointCounter = 0
    /// A `begin` the adapter's transaction still owes the server: it goes out in front of the
    /// next statement, in the same round trip (an empty transaction then costs none).
    var beginPending = false
    /// Schemas created inside the open transaction: known to exist only once it commits.
    var schemasCreatedInTransaction: [String] = []
    /// Where round trips and their time are counted (shared by the adapter's connections).
    let statistics: StatementStatistics

    /// Opens a connection, retrying connection errors `profile.retries` times, one second apart
    /// (dbt-postgres `retry_connection` with `retry_timeout` 1).
    /// - Throws: ``WarehouseError`` (`connection`) with libpq's message (which never holds the password).
    static func open(_ profile: PostgresProfile, statistics: StatementStatistics = StatementStatistics()) throws -> PostgresConnection {
        var attempt = 0
        while true {
            do {
                return try PostgresConnection(profile, statistics: statistics)
            } catch let error as WarehouseError where attempt < profile.retries {
                _ = error
                attempt += 1
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    private init(_ profile: PostgresProfile, statistics: StatementStatistics) throws {
        self.statistics = statistics
        let parameters = profile.connectionParameters
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let connection = PQconnectdbParams(&keywordPointers, &valuePointers, 0) else {
            throw WarehouseError(.connection, "libpq could not allocate a connection to \(profile)")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw WarehouseError(.connection, "could not connect to \(profile): \(message)")
        }
        handle = connection
        // Notices ("table … does not exist, skipping") would go to stderr; dbt shows none either.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        if let role = profile.role {
            _ = try execute("set role \(PostgresAdapter.quoteIdentifier(role))")
        }
    }

    deinit { PQfinish(handle) }

    /// False once the server connection is lost.
    var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// True while a transaction block is open (or failed and not yet rolled back).
    var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// A statement failed inside the open transaction; only a rollback can follow.
    var isInFailedTransaction: Bool { PQtransactionStatus(handle) == PQTRANS_INERROR }

    // MARK: - Statements

    /// Runs SQL (one or more `;`-separated statements, simple protocol) and returns the result of
    /// the last statement. One round trip; a pending `begin` rides along in front.
    /// - Throws: ``WarehouseError`` (`query`, or `connection` when the connection is lost) with
    ///   PostgreSQL's message and the failing SQL.
    @discardableResult
    func execute(_ sql: String) throws -> PostgresResult {
        guard let last = try executeAll(sql).last else {
            return PostgresResult(empty: ())
        }
        return last
    }

    /// Runs SQL (one or more `;`-separated statements, simple protocol) in one round trip and
    /// returns every statement's result, in order. Without an open transaction the statements
    /// form one implicit transaction (PostgreSQL's simple query protocol): all or nothing.
    /// - Throws: ``WarehouseError`` for the first failing statement (the rest did not run).
    func executeAll(_ sql: String) throws -> [PostgresResult] {
        let prefix = takePendingBegin()
        let began = statistics.now()
        defer { statistics.record(since: began) }
        guard PQsendQuery(handle, prefix + sql) == 1 else {
            throw WarehouseError(isHealthy ? .query : .connection, Self.trimmed(PQerrorMessage(handle)), sql: sql)
        }
        var results: [PostgresResult] = []
        var failure: WarehouseError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            guard failure == nil else { continue }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                results.append(PostgresResult(result))
            case PGRES_COPY_IN:
                // A COPY … FROM STDIN run through execute: end it, the data was not ours to send.
                _ = PQputCopyEnd(handle, "COPY FROM STDIN needs data; use insert(into:columns:rows:)")
                failure = WarehouseError(.unsupported, "COPY FROM STDIN cannot run through execute", sql: sql)
            default:
                failure = Self.error(from: result, connection: handle, sql: sql, redactValues: false,
                                     positionOffset: prefix.count)
            }
        }
        if var failure {
            // The server may end the session with the error (`terminating connection …`): only
            // once every result is read does libpq know the connection is gone.
            if !isHealthy { failure.kind = .connection }
            throw failure
        }
        if !isHealthy { throw WarehouseError(.connection, Self.trimmed(PQerrorMessage(handle)), sql: sql) }
        // The result of the pending `begin` is ours, not the caller's.
        return prefix.isEmpty ? results : Array(results.dropFirst())
    }

    /// Runs one statement with text parameters `$1…` bound, never spliced.
    func execute(_ sql: String, parameters: [String?]) throws -> PostgresResult {
        // The extended protocol takes one statement: a pending `begin` goes first on its own.
        try sendPendingBegin()
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let began = statistics.now()
        defer { statistics.record(since: began) }
        let result = pointers.withUnsafeMutableBufferPointer { buffer in
            PQexecParams(handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        return try check(result, sql: sql)
    }

    /// `"begin;\n"` when a transaction's `begin` is owed (and clears the debt), else `""`.
    private func takePendingBegin() -> String {
        guard beginPending else { return "" }
        beginPending = false
        return "begin;\n"
    }

    /// Sends an owed `begin` on its own (before COPY or a parameterized statement).
    func sendPendingBegin() throws {
        guard beginPending else { return }
        beginPending = false
        let began = statistics.now()
        defer { statistics.record(since: began) }
        _ = try check(PQexec(handle, "begin"), sql: "begin")
    }

    /// `COPY … FROM STDIN`: sends `data` (COPY text format) in chunks, then ends the copy.
    /// - Returns: the number of rows copied.
    /// - Throws: ``WarehouseError`` with PostgreSQL's message, the offending line number and
    ///   column but never the offending value.
    func copyIn(_ sql: String, data: [UInt8]) throws -> Int {
        try sendPendingBegin()
        let began = statistics.now()
        defer { statistics.record(since: began) }
        let start = PQexec(handle, sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(start, sql: sql)
            throw WarehouseError(.query, "the statement did not start a COPY FROM STDIN", sql: sql)
        }
        PQclear(start)
        let chunk = 1 << 18
        var offset = 0
        var sendFailed = false
        data.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            while offset < buffer.count {
                let length = min(chunk, buffer.count - offset)
                let sent = (base + offset).withMemoryRebound(to: CChar.self, capacity: length) {
                    PQputCopyData(handle, $0, Int32(length))
                }
                if sent != 1 { sendFailed = true; return }
                offset += length
            }
        }
        if sendFailed {
            _ = PQputCopyEnd(handle, "client failed to send data")
        } else if PQputCopyEnd(handle, nil) != 1 {
            throw WarehouseError(.connection, Self.trimmed(PQerrorMessage(handle)), sql: sql)
        }
        var rows = 0
        var failure: WarehouseError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                rows = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = Self.error(from: result, connection: handle, sql: sql, redactValues: true)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return rows
    }

    // MARK: - Results and errors

    private func check(_ result: OpaquePointer?, sql: String) throws -> PostgresResult {
        guard let result else {
            throw WarehouseError(isHealthy ? .query : .connection, Self.trimmed(PQerrorMessage(handle)), sql: sql)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(result)
        case PGRES_COPY_IN:
            // A COPY … FROM STDIN run through execute: end it, the data was not ours to send.
            _ = PQputCopyEnd(handle, "COPY FROM STDIN needs data; use insert(into:columns:rows:)")
            while let extra = PQgetResult(handle) { PQclear(extra) }
            throw WarehouseError(.unsupported, "COPY FROM STDIN cannot run through execute", sql: sql)
        default:
            throw Self.error(from: result, connection: handle, sql: sql, redactValues: false)
        }
    }

    /// PostgreSQL's primary message, its detail and hint (and the position in the SQL), as
    /// dbt-postgres prints them. With `redactValues` (COPY data), the detail and the data values
    /// quoted in the message are left out: only the line and column of the failing row are kept.
    /// `positionOffset`: characters sent in front of `sql` (a pending `begin`), not counted in
    /// the position reported.
    static func error(from result: OpaquePointer, connection: OpaquePointer, sql: String, redactValues: Bool,
                      positionOffset: Int = 0) -> WarehouseError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: value)
        }
        guard var message = field("M") else {
            let text = trimmed(PQresultErrorMessage(result))
            return WarehouseError(PQstatus(connection) == CONNECTION_OK ? .query : .connection,
                                  text.isEmpty ? trimmed(PQerrorMessage(connection)) : text, sql: sql)
        }
        if redactValues {
            // `invalid input syntax for type integer: "abc"` → drop the value.
            if let colon = message.range(of: ": \"", options: .backwards) { message = String(message[..<colon.lowerBound]) }
            if let context = field("W"), let line = context.range(of: "line ") {
                // `COPY t, line 3, column amount: "abc"` → `line 3, column amount`.
                var location = String(context[line.lowerBound...])
                if let colon = location.range(of: ": ") { location = String(location[..<colon.lowerBound]) }
                message += " (COPY \(location))"
            }
        } else {
            if let detail = field("D") { message += "\nDETAIL:  \(detail)" }
            if let hint = field("H") { message += "\nHINT:  \(hint)" }
            if let position = field("P").flatMap(Int.init) {
                message += "\n\(lineAndColumn(of: position - positionOffset, in: sql))"
            }
        }
        let state = field("C") ?? ""
        let kind: WarehouseError.Kind = state.hasPrefix("08") || PQstatus(connection) != CONNECTION_OK ? .connection
            : state == "57014" ? .timeout : .query
        return WarehouseError(kind, message, sql: sql)
    }

    /// `LINE 3, column 7` of a 1-based character position in `sql`.
    static func lineAndColumn(of position: Int, in sql: String) -> String {
        var line = 1
        var column = 1
        for (index, character) in sql.enumerated() {
            if index + 1 >= position { break }
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return "LINE \(line), column \(column)"
    }

    static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A query's result copied out of a `PGresult` (text format).
struct PostgresResult: Sendable {
    /// The column names and their type OIDs.
    var columns: [(name: String, type: UInt32)]
    /// Cells as text, nil for NULL.
    var rows: [[String?]]
    /// The command tag, e.g. `SELECT 3`, `INSERT 0 2`, `CREATE TABLE`.
    var commandStatus: String
    /// Rows affected, when the command tag carries a count.
    var rowsAffected: Int?

    /// The result of an empty query string.
    init(empty: Void) {
        columns = []
        rows = []
        commandStatus = ""
        rowsAffected = nil
    }

    init(_ result: OpaquePointer) {
        let fieldCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        columns = (0..<fieldCount).map { index in
            (String(cString: PQfname(result, Int32(index))), UInt32(PQftype(result, Int32(index))))
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(fieldCount)
            for column in 0..<fieldCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            rows.append(values)
        }
        self.rows = rows
        commandStatus = String(cString: PQcmdStatus(result))
        rowsAffected = Int(String(cString: PQcmdTuples(result)))
    }

    /// dbt-postgres's `AdapterResponse`: the status message, its command (`SELECT`, `CREATE TABLE`)
    /// and the row count.
    var response: AdapterResponse {
        let code = commandStatus.split(separator: " ").filter { Int($0) == nil }.joined(separator: " ")
        return AdapterResponse(message: commandStatus.isEmpty ? "OK" : commandStatus,
                               code: code.isEmpty ? nil : code, rowsAffected: rowsAffected ?? 0)
    }
}
