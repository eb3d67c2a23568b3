import CSV
import Foundation

/// One record of an input file before it meets the contract.
struct InputRecord {
    /// The line the record starts on (1-based; the CSV header is line 1).
    var line: Int
    /// Field values by column name (lowercased); nil values are NULL (NDJSON `null`, absent keys).
    var values: [String: String?]
    /// The record as it was written (for the quarantine table), at most ``RecordLimits/rawExcerptBytes``.
    var raw: String
    /// Why the record cannot even be read (ragged, bad encoding, not JSON, too long); nil if it reads.
    var problem: String?
}

/// Limits that keep memory bounded whatever the file holds.
public struct RecordLimits: Sendable {
    /// A record longer than this is quarantined (reason `record longer than … bytes`).
    public var maxRecordBytes: Int
    /// The raw text kept in the quarantine table per row.
    public var rawExcerptBytes: Int

    public init(maxRecordBytes: Int = 1 << 20, rawExcerptBytes: Int = 4_096) {
        self.maxRecordBytes = maxRecordBytes
        self.rawExcerptBytes = rawExcerptBytes
    }

    func excerpt(_ text: String) -> String {
        guard text.utf8.count > rawExcerptBytes else { return text }
        return String(decoding: text.utf8.prefix(rawExcerptBytes), as: UTF8.self) + "…"
    }
}

/// Reads records one at a time from a file.
protocol RecordReader: AnyObject {
    /// The column names the file declares (CSV header), or nil when records carry their own (NDJSON).
    var header: [String]? { get }
    func next() throws -> InputRecord?
}

/// RFC 4180 CSV through CSV.swift over a ``SanitizingStream``, the first record being the header.
/// Blank lines are not records. Line numbers count the line breaks inside quoted fields.
final class CSVRecordReader: RecordReader {
    private let stream: SanitizingStream
    private let reader: CSVReader
    private let limits: RecordLimits
    private(set) var header: [String]?
    private var line = 1
    private let path: String

    init(path: String, delimiter: UnicodeScalar = ",", limits: RecordLimits) throws {
        self.path = path
        self.limits = limits
        stream = try SanitizingStream(path: path)
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: false, trimFields: false, delimiter: delimiter)
        } catch {
            throw OpsError(.io, "cannot read \(path) as CSV: \(error)")
        }
        if let first = reader.next() {
            header = first.map { $0.trimmingCharacters(in: .whitespaces) }
            line += 1 + Self.breaks(first)
        }
    }

    static func breaks(_ fields: [String]) -> Int {
        var count = 0
        for field in fields { for byte in field.utf8 where byte == 10 { count += 1 } }
        return count
    }

    func next() throws -> InputRecord? {
        guard let header else { return nil }
        while let fields = reader.next() {
            let start = line
            let breaks = Self.breaks(fields)
            line += 1 + breaks
            if fields == [""], header.count > 1 { continue }
            let raw = Self.encode(fields)
            var problem: String?
            if (start...(start + breaks)).contains(where: { stream.badLines.contains($0) }) {
                problem = "invalid UTF-8 (the bad bytes are shown as U+FFFD)"
            } else if raw.utf8.count > limits.maxRecordBytes {
                problem = "record longer than \(limits.maxRecordBytes) bytes (\(raw.utf8.count))"
            } else if fields.count != header.count {
                problem = "ragged row: \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(header.count)"
            }
            var values: [String: String?] = [:]
            if problem == nil {
                for (name, value) in zip(header, fields) { values[name.lowercased()] = value }
            }
            return InputRecord(line: start, values: values, raw: limits.excerpt(raw), problem: problem)
        }
        if let error = reader.error {
            throw OpsError(.io, "cannot read \(path) past line \(line): \(error)")
        }
        return nil
    }

    /// Fields written back as one CSV line (quoted where needed).
    static func encode(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }
}

/// Newline-delimited JSON: one object per line; blank lines are not records. Reads 1 MiB chunks and
/// never holds more than one record (a record past the limit is skipped to its line end).
final class NDJSONRecordReader: RecordReader {
    private let handle: FileHandle
    private let limits: RecordLimits
    private let path: String
    private var buffer: [UInt8] = []
    private var index = 0
    private var eof = false
    private var line = 0
    var header: [String]? { nil }

    init(path: String, limits: RecordLimits) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw OpsError(.io, "cannot open \(path)") }
        self.handle = handle
        self.limits = limits
        self.path = path
    }

    deinit { try? handle.close() }

    private func refill() throws {
        if index > 0 { buffer.removeFirst(index); index = 0 }
        let chunk: Data
        do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
            throw OpsError(.io, "cannot read \(path): \(error.localizedDescription)")
        }
        if chunk.isEmpty { eof = true } else { buffer.append(contentsOf: chunk) }
    }

    /// The next line's bytes (without its `\n`/`\r\n`), or nil at the end; `tooLong` when it was cut.
    private func nextLine() throws -> (bytes: [UInt8], tooLong: Bool, length: Int)? {
        var collected: [UInt8] = []
        var length = 0
        var tooLong = false
        while true {
            if index >= buffer.count {
                if eof { return length == 0 && !tooLong && collected.isEmpty ? nil : (collected, tooLong, length) }
                try refill()
                continue
            }
            if let newline = buffer[index...].firstIndex(of: 10) {
                let piece = buffer[index..<newline]
                length += piece.count
                if !tooLong { collected.append(contentsOf: piece) }
                index = newline + 1
                if collected.last == 13 { collected.removeLast() }
                if length > limits.maxRecordBytes { tooLong = true; collected = Array(collected.prefix(limits.rawExcerptBytes)) }
                return (collected, tooLong, length)
            }
            let piece = buffer[index...]
            length += piece.count
            if !tooLong { collected.append(contentsOf: piece) }
            index = buffer.count
            if length > limits.maxRecordBytes, !tooLong {
                tooLong = true
                collected = Array(collected.prefix(limits.rawExcerptBytes))
            }
        }
    }

    func next() throws -> InputRecord? {
        while let (bytes, tooLong, length) = try nextLine() {
            line += 1
            if tooLong {
                return InputRecord(line: line, values: [:], raw: limits.excerpt(String(decoding: bytes, as: UTF8.self)),
                                   problem: "record longer than \(limits.maxRecordBytes) bytes (\(length))")
            }
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return InputRecord(line: line, values: [:], raw: limits.excerpt(String(decoding: bytes, as: UTF8.self)),
                                   problem: "invalid UTF-8 (the bad bytes are shown as U+FFFD)")
            }
            let raw = limits.excerpt(text)
            guard let object = try? decoder.decode([String: JSONValue].self, from: Data(bytes)) else {
                return InputRecord(line: line, values: [:], raw: raw, problem: "not a JSON object")
            }
            var values: [String: String?] = [:]
            for (key, value) in object { values[key.lowercased()] = value.text }
            return InputRecord(line: line, values: values, raw: raw, problem: nil)
        }
        return nil
    }

    private let decoder = JSONDecoder()
}

/// A JSON value, decoded without losing how a number was written (1 vs 1.0).
enum JSONValue: Decodable, Sendable, Hashable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer() {
            if container.decodeNil() { self = .null; return }
            if let value = try? container.decode(Bool.self) { self = .bool(value); return }
            if let value = try? container.decode(Int64.self) { self = .int(value); return }
            if let value = try? container.decode(Double.self) { self = .double(value); return }
            if let value = try? container.decode(String.self) { self = .string(value); return }
            if let value = try? container.decode([JSONValue].self) { self = .array(value); return }
            if let value = try? container.decode([String: JSONValue].self) { self = .object(value); return }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not JSON"))
    }

    /// The text the contract parses: strings as they are, numbers and booleans as written,
    /// null as NULL, arrays and objects as JSON text.
    var text: String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return value
        case .array, .object: return json
        }
    }

    /// Compact JSON with sorted keys.
    var json: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return JSONValue.quote(value)
        case .array(let values): return "[" + values.map(\.json).joined(separator: ",") + "]"
        case .object(let dict): return "{" + dict.keys.sorted().map { JSONValue.quote($0) + ":" + (dict[$0]?.json ?? "null") }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
