import Foundation
import Project
import GRDB
import Warehouse

/// How `opsflow load` reads and writes.
public struct LoadOptions: Sendable {
    public enum Mode: String, Sendable { case append, replace }
    public enum Format: String, Sendable { case auto, csv, ndjson }

    /// `append` adds each file's rows; `replace` makes each file the table's whole content
    /// (still in the file's one transaction).
    public var mode: Mode = .append
    public var format: Format = .auto
    public var limits = RecordLimits()
    /// Rows per insert statement batch.
    public var batchRows = 5_000

    public init() {}

    /// The format of a file: `.ndjson`/`.jsonl`/`.json` are NDJSON, everything else CSV.
    func format(of path: String) -> Format {
        if format != .auto { return format }
        switch (path as NSString).pathExtension.lowercased() {
        case "ndjson", "jsonl", "json": return .ndjson
        default: return .csv
        }
    }
}

/// What loading one file did. `loadedRows + quarantinedRows == rowsInFile`, always.
public struct FileLoadResult: Sendable, Hashable {
    public enum Status: String, Sendable { case loaded, alreadyLoaded = "already_loaded" }
    public var file: String
    /// SHA-256 of the file's bytes (64 hex digits): the ledger key.
    public var contentHash: String
    public var status: Status
    /// Records in the file (blank lines and the CSV header are not records).
    public var rowsInFile: Int
    public var loadedRows: Int
    public var quarantinedRows: Int
    /// Wall time of the load (hashing included), in seconds.
    public var seconds: Double

    /// Records per second.
    public var rowsPerSecond: Double { seconds > 0 ? Double(rowsInFile) / seconds : 0 }
}

/// Loads CSV and NDJSON files into a source's table, checking each row against the source's
/// declared columns (``SourceContract``).
///
/// Guarantees (DESIGN.md, "Nothing lost, nothing doubled"):
/// - every record is either inserted into the table or into its quarantine table
///   (`<identifier>__quarantine`: file, line, reason, raw row), so loaded + quarantined = records;
/// - a file whose content (SHA-256) is in the ledger for that source is not loaded again;
/// - each file loads in one warehouse transaction together with its ledger entry (the table
///   `_opsflow_load_ledger` in the source's schema): a crash leaves either the whole file and its
///   entry, or neither. The state database gets a copy afterwards, for history only.
///
/// Files are streamed: memory stays bounded by one batch and one record.
///
/// ```swift
/// let loader = SourceLoader(adapter: adapter, state: state, targetName: "dev")
/// let results = try loader.load(contract, files: ["inbox/im_arrival_scan_20261130.csv"])
/// ```
public final class SourceLoader: Sendable {
    let adapter: any Adapter
    let state: StateStore?
    let targetName: String
    let clock: any OpsClock
    let events: (@Sendable (String) -> Void)?

    /// The ledger table's name, in each loaded source's schema.
    public static let ledgerIdentifier = "_opsflow_load_ledger"

    public init(adapter: any Adapter, state: StateStore?, targetName: String, clock: any OpsClock = SystemClock(),
                log: (@Sendable (String) -> Void)? = nil) {
        self.adapter = adapter
        self.state = state
        self.targetName = targetName
        self.clock = clock
        self.events = log
    }

    static let ledgerColumns = [
        Column(name: "source_table", dataType: "STRING"), Column(name: "content_hash", dataType: "STRING"),
        Column(name: "file_name", dataType: "STRING"), Column(name: "loaded_rows", dataType: "INT64"),
        Column(name: "quarantined_rows", dataType: "INT64"), Column(name: "loaded_at", dataType: "TIMESTAMP"),
        Column(name: "mode", dataType: "STRING"),
    ]

    static let quarantineColumns = [
        Column(name: "file_name", dataType: "STRING"), Column(name: "line", dataType: "INT64"),
        Column(name: "reason", dataType: "STRING"), Column(name: "raw_row", dataType: "STRING"),
        Column(name: "content_hash", dataType: "STRING"), Column(name: "quarantined_at", dataType: "TIMESTAMP"),
    ]

    /// The quarantine table of a source table.
    public static func quarantineRelation(_ contract: SourceContract) -> Relation {
        contract.relation.withIdentifier(contract.relation.identifier + "__quarantine")
    }

    /// The ledger table of a schema.
    public static func ledgerRelation(_ contract: SourceContract) -> Relation {
        contract.relation.withIdentifier(ledgerIdentifier)
    }

    /// Loads files in the order given, each in its own transaction.
    /// - Returns: one result per file.
    /// - Throws: ``OpsError`` (`.io` unreadable file) or `WarehouseError`; files before the failing
    ///   one stay loaded, the failing one is rolled back whole.
    public func load(_ contract: SourceContract, files: [String], options: LoadOptions = LoadOptions()) throws -> [FileLoadResult] {
        try adapter.createSchema(contract.relation.schema)
        let ledger = Self.ledgerRelation(contract)
        if try adapter.getRelation(database: ledger.database, schema: ledger.schema, identifier: ledger.identifier) == nil {
            try adapter.createTable(ledger, columns: Self.ledgerColumns)
        }
        return try files.map { try loadFile(contract, path: $0, options: options) }
    }

    private func ledgerHas(_ contract: SourceContract, hash: String) throws -> Bool {
        let ledger = Self.ledgerRelation(contract)
        let result = try adapter.query("select source_table, content_hash from \(adapter.render(ledger))", limit: nil)
        let source = "\(contract.sourceName).\(contract.tableName)"
        return result.rows.contains { row in
            row.count == 2 && row[0] == .text(source) && row[1] == .text(hash)
        }
    }

    private func loadFile(_ contract: SourceContract, path: String, options: LoadOptions) throws -> FileLoadResult {
        let started = clock.now
        let wallStart = Date()
        let fileName = (path as NSString).lastPathComponent
        guard FileManager.default.isReadableFile(atPath: path) else { throw OpsError(.io, "cannot read \(path)") }
        let hash = try SHA256Stream.hexDigest(ofFile: path)
        let source = "\(contract.sourceName).\(contract.tableName)"
        if try ledgerHas(contract, hash: hash) {
            events?("Skipped \(fileName): already loaded into \(source) (sha256 \(hash.prefix(12)))")
            return FileLoadResult(file: path, contentHash: hash, status: .alreadyLoaded, rowsInFile: 0, loadedRows: 0,
                                  quarantinedRows: 0, seconds: Date().timeIntervalSince(wallStart))
        }
        let reader: any RecordReader = options.format(of: path) == .ndjson
            ? try NDJSONRecordReader(path: path, limits: options.limits)
            : try CSVRecordReader(path: path, limits: options.limits)
        let table = contract.relation
        let quarantine = Self.quarantineRelation(contract)
        let stamp = CivilTime.utcText(started)
        let counts = try adapter.transaction { () throws -> (loaded: Int, quarantined: Int)? in
            // Checked again inside the transaction: another loader may have committed the same file.
            if try ledgerHas(contract, hash: hash) { return nil }
            if options.mode == .replace { try adapter.dropRelation(table) }
            if try adapter.getRelation(database: table.database, schema: table.schema, identifier: table.identifier) == nil {
                try adapter.createTable(table, columns: contract.columns)
            }
            if try adapter.getRelation(database: quarantine.database, schema: quarantine.schema, identifier: quarantine.identifier) == nil {
                try adapter.createTable(quarantine, columns: Self.quarantineColumns)
            }
            let converter = RowConverter(contract: contract, header: reader.header)
            var good: [[Cell]] = []
            var bad: [[Cell]] = []
            good.reserveCapacity(options.batchRows)
            var loaded = 0, quarantined = 0
            let names = contract.fields.map(\.name)
            let quarantineNames = Self.quarantineColumns.map(\.name)
            while let record = try reader.next() {
                switch converter.convert(record) {
                case .success(let cells): good.append(cells)
                case .failure(let violation):
                    bad.append([.text(fileName), .integer(Int64(record.line)), .text(violation.reason), .text(record.raw),
                                .text(hash), .text(stamp)])
                }
                if good.count >= options.batchRows {
                    loaded += try adapter.insert(into: table, columns: names, rows: good)
                    good.removeAll(keepingCapacity: true)
                }
                if bad.count >= 1_000 {
                    quarantined += try adapter.insert(into: quarantine, columns: quarantineNames, rows: bad)
                    bad.removeAll(keepingCapacity: true)
                }
            }
            if !good.isEmpty { loaded += try adapter.insert(into: table, columns: names, rows: good) }
            if !bad.isEmpty { quarantined += try adapter.insert(into: quarantine, columns: quarantineNames, rows: bad) }
            _ = try adapter.insert(into: Self.ledgerRelation(contract), columns: Self.ledgerColumns.map(\.name), rows: [[
                .text(source), .text(hash), .text(fileName), .integer(Int64(loaded)), .integer(Int64(quarantined)),
                .text(stamp), .text(options.mode.rawValue),
            ]])
            return (loaded, quarantined)
        }
        let seconds = Date().timeIntervalSince(wallStart)
        guard let counts else {
            events?("Skipped \(fileName): already loaded into \(source) (sha256 \(hash.prefix(12)))")
            return FileLoadResult(file: path, contentHash: hash, status: .alreadyLoaded, rowsInFile: 0, loadedRows: 0,
                                  quarantinedRows: 0, seconds: seconds)
        }
        let result = FileLoadResult(file: path, contentHash: hash, status: .loaded, rowsInFile: counts.loaded + counts.quarantined,
                                    loadedRows: counts.loaded, quarantinedRows: counts.quarantined, seconds: seconds)
        // The history copy; the warehouse ledger above is the one that decides.
        try state?.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO load_ledger (target, source, content_hash, file_name, loaded_rows, quarantined_rows, loaded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [targetName, source, hash, fileName, counts.loaded, counts.quarantined, StateStore.timestamp(started)])
        }
        events?("Loaded \(fileName) into \(adapter.render(table)): \(counts.loaded) rows loaded, \(counts.quarantined) quarantined"
                + (counts.quarantined > 0 ? " (see \(adapter.render(quarantine)))" : "")
                + String(format: " in %.2fs (%.0f rows/s)", seconds, result.rowsPerSecond))
        return result
    }
}

/// Turns a record into the contract's cells, or the reason it does not fit.
struct RowConverter {
    let fields: [SourceContract.Field]
    let keys: [String]
    /// Contract columns the CSV header lacks (NDJSON: checked per record).
    let missingFromHeader: Set<String>
    let headerless: Bool

    init(contract: SourceContract, header: [String]?) {
        fields = contract.fields
        keys = contract.fields.map { $0.name.lowercased() }
        headerless = header == nil
        let present = Set((header ?? []).map { $0.lowercased() })
        missingFromHeader = header == nil ? [] : Set(keys.filter { !present.contains($0) })
    }

    func convert(_ record: InputRecord) -> Result<[Cell], ContractViolation> {
        if let problem = record.problem { return .failure(ContractViolation(problem)) }
        var cells: [Cell] = []
        cells.reserveCapacity(fields.count)
        var reasons: [String] = []
        for (index, field) in fields.enumerated() {
            let key = keys[index]
            let value: String?
            if let entry = record.values[key] {
                value = entry
            } else {
                if field.required { reasons.append("missing required column \(field.name)") }
                cells.append(.null)
                continue
            }
            guard let text = value, !text.isEmpty else {
                if field.required { reasons.append("NULL in required column \(field.name)") }
                cells.append(.null)
                continue
            }
            switch field.type.cell(text) {
            case .success(let cell): cells.append(cell)
            case .failure(let violation):
                reasons.append("\(field.name): \(violation.reason)")
                cells.append(.null)
            }
        }
        if !reasons.isEmpty { return .failure(ContractViolation(reasons.joined(separator: "; "))) }
        return .success(cells)
    }
}

extension CivilTime {
    /// `YYYY-MM-DD HH:MM:SS` in UTC.
    static func utcText(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - day * 86_400
        let (y, m, d) = civil(day)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, Int(rest / 3600), Int(rest % 3600 / 60), Int(rest % 60))
    }
}
