import CSV
import Foundation
import Warehouse

/// Reads a seed CSV file and types its columns as dbt does.
///
/// Parsing: RFC 4180 CSV through CSV.swift — quoted fields with `""` escapes and embedded line
/// breaks, `\n`, `\r\n` or `\r` line ends, a UTF-8 byte-order mark skipped. The first line is
/// the header.
///
/// Typing: dbt's seed type inference (agate, configured in `dbt_common/clients/agate_helper.py`,
/// see ``SeedValueParsers``) — a column gets the first of Number, Date, DateTime, ISODateTime,
/// Boolean, Text that every non-null value of it fits; empty and `null` fields are NULL. The
/// logical types are those dbt-bigquery gives (`BigQueryAdapter.convert_type`): Number → `INT64`
/// when no value has digits after the point (`2.0` counts as none) else `FLOAT64` — not NUMERIC,
/// because dbt-bigquery emits `float64` and the embedded warehouse follows BigQuery; Date →
/// `DATE`; Boolean → `BOOL`; Text → `STRING`; DateTime and ISODateTime → `TIMESTAMP` (dbt-bigquery
/// says `DATETIME`; OpsFlow's raw data and models use TIMESTAMP, stored as UTC text).
///
/// Deliberate differences from dbt, each tested:
/// - a number written with a leading zero (`00123`, `-01`, `007.5`) is not a number: its column
///   is `STRING` and keeps the zeros (dbt would load `123`);
/// - a row with fewer fields than the header is an error (dbt pads it with NULLs); blank lines at
///   the end of the file are ignored (dbt loads each as a row of NULLs);
/// - an integer column with a value beyond INT64 is an error (BigQuery rejects the load too).
///
/// ```swift
/// let seed = try SeedReader.read(path: "seeds/clients.csv", columnTypes: ["zip": "STRING"])
/// try adapter.createTable(relation, columns: seed.columns)
/// try adapter.insert(into: relation, columns: seed.columns.map(\.name), rows: seed.rows)
/// ```
public enum SeedReader {
    /// Reads and types one seed file.
    ///
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - delimiter: the field separator (dbt's `delimiter` seed config), one Unicode scalar.
    ///   - columnTypes: dbt's `column_types` seed config: column name (exact) → type. Such a
    ///     column is not inferred: its type is the one given, its cells the fields' text (NULL
    ///     for empty and `null`), which the warehouse converts on insert.
    /// - Returns: the typed table.
    /// - Throws: ``SeedError``: the file cannot be read, is empty, not UTF-8, has an empty or
    ///   repeated header name, a row with the wrong number of fields, or an integer out of range.
    public static func read(path: String, delimiter: Character = ",", columnTypes: [String: String] = [:]) throws -> SeedTable {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SeedError(.unreadable, path: path, "cannot read the seed file: \(error.localizedDescription)")
        }
        return try read(data: data, path: path, delimiter: delimiter, columnTypes: columnTypes)
    }

    /// ``read(path:delimiter:columnTypes:)`` on bytes already read; `path` names them in errors.
    public static func read(data: Data, path: String, delimiter: Character = ",", columnTypes: [String: String] = [:]) throws -> SeedTable {
        guard delimiter.unicodeScalars.count == 1, let scalar = delimiter.unicodeScalars.first,
              scalar != "\"", scalar != "\n", scalar != "\r" else {
            throw SeedError(.badDelimiter, path: path, "the delimiter must be one character other than a quote or a line break, not \(String(reflecting: String(delimiter)))")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // dbt opens seeds in Python's text mode, whose universal newlines turn every `\r\n` and
        // `\r` into `\n` — inside quoted fields too.
        var text = try decodeUTF8(bytes, path: path)
        if bytes.contains(13) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        guard !text.isEmpty else {
            throw SeedError(.empty, path: path, "the seed file is empty: it needs a header line")
        }
        let records = try parse(text, delimiter: scalar, path: path)
        guard let header = records.first, header.fields != [""] else {
            throw SeedError(.empty, path: path, line: 1, "the seed file has no header line")
        }
        try checkHeader(header.fields, path: path)
        var body = Array(records.dropFirst())
        // Blank lines at the end are an editor's, not data (see the type's documentation).
        while let last = body.last, last.fields == [""], header.fields.count > 1 || last.isBlankLine {
            body.removeLast()
        }
        for record in body where record.fields.count != header.fields.count {
            throw SeedError(.raggedRow, path: path, line: record.line,
                            "expected \(header.fields.count) field\(header.fields.count == 1 ? "" : "s") as in the header, found \(record.fields.count)")
        }
        return try SeedTypeInference.type(header: header.fields, records: body, columnTypes: columnTypes, path: path)
    }

    /// One CSV record: its fields and the line it starts on.
    struct Record {
        var fields: [String]
        var line: Int
        /// The record came from an empty line (not from `""`).
        var isBlankLine: Bool
    }

    private static func parse(_ text: String, delimiter: Unicode.Scalar, path: String) throws -> [Record] {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: delimiter)
        } catch {
            throw SeedError(.unreadable, path: path, "cannot parse the CSV: \(error)")
        }
        // Line numbers: CSV.swift does not count lines, so count the line breaks each record
        // consumed — its own end plus those inside quoted fields (line ends are all `\n` here).
        // A blank line is told apart from a quoted empty field by the text where it starts.
        var lineStarts: [Int]?
        let utf8 = Array(text.utf8)
        var records: [Record] = []
        var line = 1
        while let fields = reader.next() {
            var breaks = 0
            for field in fields {
                for byte in field.utf8 where byte == 10 { breaks += 1 }
            }
            var blank = false
            if fields == [""] {
                if lineStarts == nil {
                    var starts = [0]
                    for (offset, byte) in utf8.enumerated() where byte == 10 { starts.append(offset + 1) }
                    lineStarts = starts
                }
                if let starts = lineStarts, line - 1 < starts.count {
                    let start = starts[line - 1]
                    blank = start >= utf8.count || utf8[start] == 10
                }
            }
            records.append(Record(fields: fields, line: line, isBlankLine: blank))
            line += 1 + breaks
        }
        if let error = reader.error {
            throw SeedError(.unreadable, path: path, line: line, "cannot parse the CSV: \(error)")
        }
        return records
    }

    private static func checkHeader(_ names: [String], path: String) throws {
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard !name.isEmpty else {
                throw SeedError(.badHeader, path: path, line: 1, "column \(index + 1) of the header has no name")
            }
            // SQLite and BigQuery compare column names without regard to (ASCII) case.
            let key = name.lowercased()
            if let first = seen[key] {
                throw SeedError(.badHeader, path: path, line: 1, "column \(index + 1) repeats the name \"\(names[first])\" of column \(first + 1)")
            }
            seen[key] = index
        }
    }

    /// The bytes as UTF-8 text, or an error naming the line of the first invalid byte.
    private static func decodeUTF8(_ bytes: [UInt8], path: String) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var line = 1
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == 0x0A { line += 1 }
                offset += encoded.count
            case .error(let length):
                throw SeedError(.encoding, path: path, line: line,
                                "the file is not valid UTF-8 (byte \(offset + 1) of the file, \(length) bad byte\(length == 1 ? "" : "s")); save it as UTF-8")
            case .emptyInput:
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }
}
