import Foundation
import GRDB
import Project
import Warehouse

/// Reading the model page by page and diffing it against the acknowledged state.
extension SyncEngine {
    // MARK: - Rows

    /// Destination field → model column, in destination-name order.
    var mapping: [(field: String, column: String)] {
        config.fields.isEmpty ? [] : config.fields.keys.sorted().map { ($0, config.fields[$0] ?? $0) }
    }

    /// The destination names of the primary-key columns.
    var keyFieldNames: [String] {
        config.primaryKey.map { column in mapping.first(where: { $0.column.lowercased() == column.lowercased() })?.field ?? column }
    }

    /// Where the payload fields and the key come from in a page's columns.
    struct RowLayout {
        var fields: [(String, Int)]
        var keyPositions: [Int]
        var keyFields: [String]
    }

    func layout(_ columns: [Warehouse.Column]) throws -> RowLayout {
        let index = Dictionary(columns.enumerated().map { ($0.element.name.lowercased(), $0.offset) }, uniquingKeysWith: { a, _ in a })
        let fields: [(String, Int)]
        if mapping.isEmpty {
            fields = columns.enumerated().map { ($0.element.name, $0.offset) }.sorted { $0.0 < $1.0 }
        } else {
            fields = try mapping.map { field, column in
                guard let position = index[column.lowercased()] else {
                    throw OpsError(.config, "sync \(name): the model \(config.model) has no column \(column) (mapped to \(field))")
                }
                return (field, position)
            }
        }
        let keyPositions = try config.primaryKey.map { column -> Int in
            guard let position = index[column.lowercased()] else {
                throw OpsError(.config, "sync \(name): the model \(config.model) has no primary key column \(column)")
            }
            return position
        }
        return RowLayout(fields: fields, keyPositions: keyPositions, keyFields: keyFieldNames)
    }

    func syncRow(_ cells: [Cell], _ layout: RowLayout) -> SyncRow {
        let keyValues = layout.keyPositions.map { Self.json(cells[$0]) }
        let key = "[" + keyValues.joined(separator: ",") + "]"
        let payload = "{" + layout.fields.map { JSONValue.quote($0.0) + ":" + Self.json(cells[$0.1]) }.joined(separator: ",") + "}"
        var hasher = SHA256Stream()
        hasher.update(Array(payload.utf8))
        let keyObject = "{" + zip(layout.keyFields, keyValues).sorted { $0.0 < $1.0 }.map { JSONValue.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        return SyncRow(key: key, keyObject: keyObject, hash: hasher.finalizeHex(), payload: payload)
    }

    /// Streams the model page by page against the acknowledged state and hands changed rows (and,
    /// in mirror mode, keys gone from the model) to `emit` in batches of `batchSize`.
    /// - Parameter pendingHashes: hashes that override the state (a dry run's leftover batches).
    /// - Returns: the number of unchanged rows.
    func diff(pendingHashes: [String: String], emit: (SyncBatch.Operation, [SyncRow]) throws -> Void) throws -> Int {
        try state.write { db in
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS sync_seen (row_key TEXT PRIMARY KEY) WITHOUT ROWID")
            try db.execute(sql: "DELETE FROM temp.sync_seen")
        }
        defer { try? state.write { db in try db.execute(sql: "DROP TABLE IF EXISTS temp.sync_seen") } }
        let order = config.primaryKey.map { adapter.quote($0) }.joined(separator: ", ")
        let from = adapter.render(relation)
        let pageRows = max(self.pageRows, 2)   // a page of 1 would only re-read its last row
        var changed: [SyncRow] = []
        var unchanged = 0
        // Keyset pages: each page starts at the last key of the one before (`WHERE key >= last
        // ORDER BY key LIMIT n`; no OFFSET rescans), with no transaction held on the warehouse. A build that replaces
        // the model meanwhile cannot make a key appear twice or vanish from the read: a key in
        // both versions is read once (with either payload; a later run sends the newer one), a
        // key only in the old version is read or not (deleted now or next run), a key only in the
        // new one is read now or next run. So no wrongful delete and no repeat; and the
        // warehouse's write lock is never taken, so builds are not held up however long the read.
        var lastKey: [Cell]?
        var rowLayout: RowLayout?
        while true {
            let filter = try lastKey.map { " where " + (try keysetFilter(from: $0)) } ?? ""
            let page = try adapter.query("select * from \(from)\(filter) order by \(order) limit \(pageRows)", limit: nil)
            let currentLayout = try rowLayout ?? layout(page.columns)
            rowLayout = currentLayout
            // The previous page's last row comes back first; skip it once.
            var cells = page.rows[...]
            if let lastKey, let first = cells.first, currentLayout.keyPositions.map({ first[$0] }) == lastKey { cells = cells.dropFirst() }
            // A NULL key cannot be addressed at the destination, nor paged past.
            if cells.contains(where: { row in currentLayout.keyPositions.contains { row[$0] == .null } }) {
                throw OpsError(.config, "sync \(name): a row of \(config.model) has a NULL primary key (\(config.primaryKey.joined(separator: ", ")))")
            }
            let rows = cells.map { syncRow($0, currentLayout) }
            let hashes = try acknowledgedHashes(of: rows)
            for (row, hash) in zip(rows, hashes) {
                if (pendingHashes[row.key] ?? hash) == row.hash { unchanged += 1; continue }
                changed.append(row)
                if changed.count == config.batchSize { try emit(.upsert, changed); changed.removeAll(keepingCapacity: true) }
            }
            guard page.rows.count == pageRows, let last = page.rows.last else { break }
            lastKey = currentLayout.keyPositions.map { last[$0] }
        }
        if !changed.isEmpty { try emit(.upsert, changed) }
        guard config.mode == .mirror else { return unchanged }
        // Keys acknowledged earlier and absent from the model, a batch at a time in key order.
        let keyFields = keyFieldNames
        var after = ""
        while true {
            let keys = try state.write { db in
                try String.fetchAll(db, sql: """
                    SELECT row_key FROM sync_rows s WHERE target = ? AND sync = ? AND row_key > ?
                      AND NOT EXISTS (SELECT 1 FROM temp.sync_seen p WHERE p.row_key = s.row_key)
                    ORDER BY row_key LIMIT ?
                    """, arguments: [targetName, name, after, config.batchSize])
            }
            guard let last = keys.last else { return unchanged }
            after = last
            try emit(.delete, keys.map { SyncRow(key: $0, keyObject: Self.keyObject($0, fields: keyFields), hash: "", payload: "") })
        }
    }

    /// `(k1 > v1) or (k1 = v1 and k2 >= v2) …`: the rows from `key` on in primary-key order. The
    /// row with `key` itself is read again, so that a repeat of it right after a page boundary
    /// is seen (and refused) rather than skipped.
    func keysetFilter(from key: [Cell]) throws -> String {
        let columns = config.primaryKey.map { adapter.quote($0) }
        let values = try key.map(literal)
        return (0..<columns.count).map { i in
            let last = i == columns.count - 1 ? ">=" : ">"
            return "(" + ((0..<i).map { "\(columns[$0]) = \(values[$0])" } + ["\(columns[i]) \(last) \(values[i])"]).joined(separator: " and ") + ")"
        }.joined(separator: " or ")
    }

    /// A key value as a SQL literal of the warehouse's dialect. The values come from the model
    /// itself, and the Adapter protocol binds no parameters, so they are written with the
    /// dialect's escapes: BigQuery's backslash escapes
    /// (https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#string_and_bytes_literals),
    /// standard SQL's doubled quote elsewhere.
    /// - Throws: ``OpsError`` `.config` for a NULL key (it cannot be addressed at the destination)
    ///   or a binary one.
    func literal(_ cell: Cell) throws -> String {
        switch cell {
        case .integer(let value): return String(value)
        case .real(let value) where value.isFinite: return "\(value)"
        case .bool(let value): return value ? "true" : "false"
        case .text(let value):
            if adapter.dialect == "bigquery" {
                var out = "'"
                for character in value.unicodeScalars {
                    switch character {
                    case "\\": out += "\\\\"
                    case "'": out += "\\'"
                    case "\n": out += "\\n"
                    case "\r": out += "\\r"
                    case "\t": out += "\\t"
                    default: out.unicodeScalars.append(character)
                    }
                }
                return out + "'"
            }
            return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        case .null:
            throw OpsError(.config, "sync \(name): a row of \(config.model) has a NULL primary key (\(config.primaryKey.joined(separator: ", ")))")
        case .real, .blob:
            throw OpsError(.config, "sync \(name): the primary key of \(config.model) must be text, a number or a date, not \(cell)")
        }
    }

    /// Marks a page's keys as seen and returns the hash last acknowledged for each (nil: never
    /// sent). One state transaction per page.
    /// - Throws: ``OpsError`` `.config` when a key repeats (in this page or an earlier one).
    func acknowledgedHashes(of rows: [SyncRow]) throws -> [String?] {
        try state.write { db in
            let mark = try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.sync_seen (row_key) VALUES (?)")
            let lookup = try db.cachedStatement(sql: "SELECT row_hash FROM sync_rows WHERE target = ? AND sync = ? AND row_key = ?")
            return try rows.map { row in
                try mark.execute(arguments: [row.key])
                guard db.changesCount == 1 else {
                    throw OpsError(.config, "sync \(name): the primary key \(config.primaryKey.joined(separator: ", ")) is not unique in \(config.model) (\(row.key) repeats)")
                }
                return try String.fetchOne(lookup, arguments: [targetName, name, row.key])
            }
        }
    }
}
