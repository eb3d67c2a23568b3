import Foundation
import Project
import Warehouse

/// A source table's columns and types as declared in its property file: the contract every
/// loaded row must meet.
///
/// Types are BigQuery's logical types (the `data_type:` the project declares), each with the text
/// forms it accepts (see ``ContractType``). A column is *required* when it has a `not_null` data
/// test or constraint: a NULL there sends the row to quarantine. A column declared without a
/// `data_type` is `STRING`.
public struct SourceContract: Sendable {
    public struct Field: Sendable {
        public var name: String
        public var type: ContractType
        /// The type as the project wrote it (the warehouse column's logical type).
        public var declaredType: String
        public var required: Bool
    }

    public var sourceName: String
    public var tableName: String
    public var relation: Relation
    public var fields: [Field]

    /// The warehouse columns, in contract order.
    public var columns: [Column] { fields.map { Column(name: $0.name, dataType: $0.declaredType) } }

    /// The contract of a source from the manifest.
    /// - Throws: ``OpsError`` `.config` when the source declares no columns (nothing to check rows against).
    public init(source: SourceDefinition) throws {
        sourceName = source.sourceName
        tableName = source.name
        relation = Relation(database: source.database, schema: source.schema, identifier: source.identifier, kind: .table)
        fields = source.columns.map { column in
            let declared = (column.dataType ?? "STRING").uppercased()
            let notNullTest = column.dataTests.contains { test in
                if case .string(let name) = test { return name == "not_null" }
                if case .dict(let dict) = test { return dict.keys.contains("not_null") }
                return false
            }
            let notNullConstraint = column.constraints.contains { constraint in
                if case .dict(let dict) = constraint, case .string(let type)? = dict["type"] { return type == "not_null" }
                return false
            }
            return Field(name: column.name, type: ContractType(declared), declaredType: declared, required: notNullTest || notNullConstraint)
        }
        guard !fields.isEmpty else {
            throw OpsError(.config, "the source \(sourceName).\(tableName) declares no columns",
                           file: source.originalFilePath, hint: "list its columns with their data_type: they are the load contract")
        }
    }

    /// A contract from explicit fields (tests, other tools).
    public init(sourceName: String, tableName: String, relation: Relation, fields: [Field]) {
        self.sourceName = sourceName
        self.tableName = tableName
        self.relation = relation
        self.fields = fields
    }
}

extension SourceContract.Field {
    public init(name: String, declaredType: String, required: Bool = false) {
        self.init(name: name, type: ContractType(declaredType), declaredType: declaredType.uppercased(), required: required)
    }
}

/// A column type of the load contract and the text it accepts.
///
/// | type | accepts | stored as |
/// | --- | --- | --- |
/// | `STRING` | anything | text |
/// | `INT64` | optional `-`, digits, within 64 bits | integer |
/// | `FLOAT64`, `NUMERIC` | a finite decimal or exponent number | real |
/// | `BOOL` | `true`/`false`/`1`/`0` (any case) | bool |
/// | `DATE` | `YYYY-MM-DD`, a real calendar day | text |
/// | `TIMESTAMP` | `YYYY-MM-DD`, or `YYYY-MM-DD[ T]HH:MM[:SS[.f…]]` then optional `Z`/`UTC`/`±HH[:MM]` | text `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC |
///
/// These follow BigQuery's CSV/JSON load rules for the same types
/// (https://cloud.google.com/bigquery/docs/loading-data-cloud-storage-csv#data_types).
public enum ContractType: Sendable, Hashable {
    case string, int64, float64, bool, date, timestamp

    public init(_ declared: String) {
        switch declared.uppercased().split(separator: "(").first.map(String.init) ?? "" {
        case "INT64", "INTEGER", "INT", "BIGINT", "SMALLINT", "TINYINT": self = .int64
        case "FLOAT64", "FLOAT", "DOUBLE", "REAL", "NUMERIC", "DECIMAL", "BIGNUMERIC", "DOUBLE PRECISION": self = .float64
        case "BOOL", "BOOLEAN": self = .bool
        case "DATE": self = .date
        case "TIMESTAMP", "DATETIME": self = .timestamp
        default: self = .string
        }
    }

    /// The cell for a field's text, or the reason it does not fit.
    /// Empty text is NULL (the CSV convention BigQuery follows).
    public func cell(_ text: String) -> Result<Cell, ContractViolation> {
        if text.isEmpty { return .success(.null) }
        switch self {
        case .string: return .success(.text(text))
        case .int64:
            if let value = Int64(text) { return .success(.integer(value)) }
            return .failure(ContractViolation("not an INT64: \(Self.excerpt(text))"))
        case .float64:
            if let value = Double(text), value.isFinite, text.first != "+" || text.count > 1 { return .success(.real(value)) }
            return .failure(ContractViolation("not a FLOAT64: \(Self.excerpt(text))"))
        case .bool:
            switch text.lowercased() {
            case "true", "1": return .success(.bool(true))
            case "false", "0": return .success(.bool(false))
            default: return .failure(ContractViolation("not a BOOL: \(Self.excerpt(text))"))
            }
        case .date:
            if let date = CivilTime.parseDate(Array(text.utf8)[...]) { return .success(.text(date.text)) }
            return .failure(ContractViolation("not a DATE (YYYY-MM-DD): \(Self.excerpt(text))"))
        case .timestamp:
            if let stamp = CivilTime.parseTimestamp(text) { return .success(.text(stamp)) }
            return .failure(ContractViolation("unparsable TIMESTAMP: \(Self.excerpt(text))"))
        }
    }

    /// A value short enough for a reason column.
    static func excerpt(_ text: String) -> String {
        let cut = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "'\(cut)'"
    }
}

/// Why a row does not meet the contract.
public struct ContractViolation: Error, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// Proleptic Gregorian dates and UTC timestamps parsed from text without Foundation's formatters
/// (they cost microseconds per value, which a million-row load cannot afford).
enum CivilTime {
    struct Day { var year: Int; var month: Int; var day: Int
        var text: String { String(format: "%04d-%02d-%02d", year, month, day) }
    }

    static func parseDate(_ bytes: ArraySlice<UInt8>) -> Day? {
        guard bytes.count == 10 else { return nil }
        let b = Array(bytes)
        guard b[4] == 45, b[7] == 45, let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year, month) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    /// `text` as `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC, or nil.
    static func parseTimestamp(_ text: String) -> String? {
        let b = Array(text.utf8)
        // The canonical form (what the demo extracts and BigQuery exports write) passes as it is.
        if b.count == 19, b[10] == 32, b[13] == 58, b[16] == 58, parseDate(b[0..<10]) != nil,
           let h = digits(b, 11, 2), let m = digits(b, 14, 2), let s = digits(b, 17, 2), h < 24, m < 60, s < 60 {
            return text
        }
        // A date alone is its midnight (BigQuery's canonical format makes the time optional).
        if b.count == 10, let day = parseDate(b[0..<10]) { return day.text + " 00:00:00" }
        guard b.count >= 16, let day = parseDate(b[0..<10]), b[10] == 32 || b[10] == 84,
              let hour = digits(b, 11, 2), b[13] == 58, let minute = digits(b, 14, 2), hour < 24, minute < 60 else { return nil }
        var i = 16
        var second = 0
        var fraction: [UInt8] = []
        if i < b.count, b[i] == 58 {
            guard let s = digits(b, i + 1, 2), s < 60 else { return nil }
            second = s
            i += 3
            if i < b.count, b[i] == 46 {
                i += 1
                while i < b.count, (48...57).contains(b[i]) { fraction.append(b[i]); i += 1 }
                guard !fraction.isEmpty, fraction.count <= 9 else { return nil }
            }
        }
        // The zone: none or Z/UTC means UTC; ±HH[:MM] is converted to UTC.
        var offsetMinutes = 0
        var rest = Array(b[i...])
        if rest.first == 32 { rest.removeFirst() }
        if rest.isEmpty || rest == [90] || rest == Array("UTC".utf8) || rest == Array("+00:00".utf8) {
            offsetMinutes = 0
        } else if rest.first == 43 || rest.first == 45 {
            let sign = rest[0] == 45 ? -1 : 1
            let body = Array(rest.dropFirst()).filter { $0 != 58 }
            guard body.count == 2 || body.count == 4, let h = digits(body, 0, 2), h <= 14 else { return nil }
            let m = body.count == 4 ? (digits(body, 2, 2) ?? 99) : 0
            guard m < 60 else { return nil }
            offsetMinutes = sign * (h * 60 + m)
        } else {
            return nil
        }
        var totalMinutes = days(day.year, day.month, day.day) * 1440 + Int64(hour * 60 + minute - offsetMinutes)
        let dayNumber = Int64((Double(totalMinutes) / 1440).rounded(.down))
        totalMinutes -= dayNumber * 1440
        let (y, mo, d) = civil(dayNumber)
        var out = String(format: "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, Int(totalMinutes / 60), Int(totalMinutes % 60), second)
        // Microseconds, as BigQuery keeps them; trailing zeros dropped, as BigQuery prints them.
        var micro = Array(fraction.prefix(6))
        while micro.last == 48 { micro.removeLast() }
        if !micro.isEmpty { out += "." + String(decoding: micro, as: UTF8.self) }
        return out
    }

    static func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var value = 0
        for i in start..<(start + count) {
            let c = b[i]
            guard c >= 48, c <= 57 else { return nil }
            value = value * 10 + Int(c - 48)
        }
        return value
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number (`civil_from_days`).
    static func civil(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }
}
