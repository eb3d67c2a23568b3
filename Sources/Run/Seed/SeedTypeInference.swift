import Foundation
import Warehouse

/// dbt's column type inference for seeds (see ``SeedReader``) and the conversion of fields to
/// cells of the inferred types.
enum SeedTypeInference {
    /// agate's types in dbt's order of preference (Text, the last, always fits).
    enum Candidate: Int, CaseIterable {
        case number, date, dateTime, isoDateTime, boolean
    }

    /// `""` and `null`, any case, white space around ignored: NULL for every type.
    static func isNull(_ field: String) -> Bool {
        let text = SeedValueParsers.pythonStrip(field)
        return text.isEmpty || text.lowercased() == "null"
    }

    /// A number written with a leading zero before another digit (`00123`, `-01`, `007.5`):
    /// a code, kept as text (a deliberate difference from dbt, see ``SeedReader``).
    static func hasLeadingZero(_ field: String) -> Bool {
        var scalars = Substring(SeedValueParsers.pythonStrip(field)).unicodeScalars[...]
        if let first = scalars.first, first == "+" || first == "-" { scalars = scalars.dropFirst() }
        guard scalars.count >= 2, scalars.first == "0", let second = scalars.dropFirst().first else { return false }
        return ("0"..."9").contains(second)
    }

    static func fits(_ field: String, _ candidate: Candidate) -> Bool {
        // Dates and times start with a digit (after white space): skip the patterns otherwise.
        if candidate == .date || candidate == .dateTime || candidate == .isoDateTime {
            guard let first = field.unicodeScalars.first(where: { !$0.properties.isWhitespace }),
                  ("0"..."9").contains(first) else { return false }
        }
        switch candidate {
        case .number: return !hasLeadingZero(field) && SeedValueParsers.number(field) != nil
        case .date: return SeedValueParsers.date(field) != nil
        case .dateTime: return SeedValueParsers.dateTime(field) != nil
        case .isoDateTime: return SeedValueParsers.isoDateTime(field) != nil
        case .boolean: return SeedValueParsers.boolean(field) != nil
        }
    }

    static func type(header: [String], records: [SeedReader.Record], columnTypes: [String: String], path: String) throws -> SeedTable {
        var columns: [Column] = []
        var rows: [[Cell]] = Array(repeating: [], count: records.count)
        for index in rows.indices { rows[index].reserveCapacity(header.count) }
        for (position, name) in header.enumerated() {
            if let override = columnTypes[name] {
                columns.append(Column(name: name, dataType: override))
                for (row, record) in records.enumerated() {
                    let field = record.fields[position]
                    rows[row].append(isNull(field) ? .null : .text(field))
                }
                continue
            }
            // Narrow the candidates value by value, as agate's TypeTester does.
            var remaining = Candidate.allCases
            for record in records where !remaining.isEmpty {
                let field = record.fields[position]
                if isNull(field) { continue }
                remaining.removeAll { !fits(field, $0) }
            }
            let chosen = remaining.first
            let column = try convert(column: position, name: name, chosen: chosen, records: records, path: path, into: &rows)
            columns.append(column)
        }
        return SeedTable(columns: columns, rows: rows)
    }

    private static func convert(column position: Int, name: String, chosen: Candidate?, records: [SeedReader.Record],
                                path: String, into rows: inout [[Cell]]) throws -> Column {
        switch chosen {
        case .number:
            var values: [SeedValueParsers.DecimalValue?] = []
            values.reserveCapacity(records.count)
            var places = 0
            var allFinite = true
            for record in records {
                let field = record.fields[position]
                let value = isNull(field) ? nil : SeedValueParsers.number(field)
                if let value {
                    places = max(places, value.decimalPlaces)
                    if value.isNaN || value.isInfinite { allFinite = false }
                }
                values.append(value)
            }
            if places > 0 || !allFinite {
                for (row, value) in values.enumerated() { rows[row].append(value.map { .real($0.double) } ?? .null) }
                return Column(name: name, dataType: "FLOAT64")
            }
            for (row, value) in values.enumerated() {
                guard let value else {
                    rows[row].append(.null)
                    continue
                }
                guard let int = value.int64 else {
                    throw SeedError(.badValue, path: path, line: records[row].line,
                                    "\"\(records[row].fields[position])\" in column \"\(name)\" does not fit INT64; give the column a type in column_types")
                }
                rows[row].append(.integer(int))
            }
            return Column(name: name, dataType: "INT64")
        case .date:
            appendText(position, records, &rows, SeedValueParsers.date)
            return Column(name: name, dataType: "DATE")
        case .dateTime:
            appendText(position, records, &rows, SeedValueParsers.dateTime)
            return Column(name: name, dataType: "TIMESTAMP")
        case .isoDateTime:
            appendText(position, records, &rows, SeedValueParsers.isoDateTime)
            return Column(name: name, dataType: "TIMESTAMP")
        case .boolean:
            for (row, record) in records.enumerated() {
                let field = record.fields[position]
                rows[row].append(isNull(field) ? .null : SeedValueParsers.boolean(field).map(Cell.bool) ?? .null)
            }
            return Column(name: name, dataType: "BOOL")
        case nil:
            for (row, record) in records.enumerated() {
                let field = record.fields[position]
                rows[row].append(isNull(field) ? .null : .text(field))
            }
            return Column(name: name, dataType: "STRING")
        }
    }

    private static func appendText(_ position: Int, _ records: [SeedReader.Record], _ rows: inout [[Cell]], _ parse: (String) -> String?) {
        for (row, record) in records.enumerated() {
            let field = record.fields[position]
            rows[row].append(isNull(field) ? .null : parse(field).map(Cell.text) ?? .null)
        }
    }
}
