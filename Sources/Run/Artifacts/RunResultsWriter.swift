import Foundation
import Warehouse

/// Writes `target/run_results.json` in dbt's schema v6
/// (`https://schemas.getdbt.com/dbt/run-results/v6.json`, documented at
/// docs.getdbt.com/reference/artifacts/run-results-json).
public enum RunResultsWriter {
    public static let schemaVersion = "https://schemas.getdbt.com/dbt/run-results/v6.json"

    /// Builds the JSON object.
    /// - Parameters:
    ///   - elapsedTime: seconds from the invocation's start to its end.
    ///   - args: the invocation's arguments (dbt's `invocation_args_dict`), e.g. `["which": "build"]`.
    public static func jsonObject(
        results: [NodeResult], invocationId: String, startedAt: Date, elapsedTime: Double,
        dbtVersion: String, args: [String: Any]
    ) -> [String: Any] {
        [
            "metadata": [
                "dbt_schema_version": schemaVersion,
                "dbt_version": dbtVersion,
                "generated_at": timestamp(Date()),
                "invocation_id": invocationId,
                "invocation_started_at": timestamp(startedAt),
                "env": [String: String](),
            ] as [String: Any],
            "results": results.map(resultObject),
            "elapsed_time": elapsedTime,
            "args": args,
        ]
    }

    /// Writes the file (creating its folder).
    /// - Throws: Foundation's file errors.
    public static func write(
        to url: URL, results: [NodeResult], invocationId: String, startedAt: Date, elapsedTime: Double,
        dbtVersion: String, args: [String: Any]
    ) throws {
        let object = jsonObject(
            results: results, invocationId: invocationId, startedAt: startedAt, elapsedTime: elapsedTime,
            dbtVersion: dbtVersion, args: args)
        // Foundation's JSONSerialization took a quarter of a second for 3,000 results, at the end
        // of the run where nothing overlaps it; the same JSON is written directly.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(results.reduce(4096) { $0 + 600 + ($1.compiledCode?.utf8.count ?? 0) })
        JSONText.append(object, to: &bytes)
        let data = Data(bytes)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }

    static func resultObject(_ result: NodeResult) -> [String: Any] {
        var object: [String: Any] = [
            "status": result.status.rawValue,
            "timing": result.timing.map {
                ["name": $0.name, "started_at": timestamp($0.startedAt), "completed_at": timestamp($0.completedAt)]
            },
            "thread_id": result.threadId,
            "execution_time": result.executionTime,
            "adapter_response": adapterResponseObject(result.adapterResponse),
            "unique_id": result.uniqueId,
            "compiled": result.compiledCode != nil,
        ]
        object["message"] = result.message ?? NSNull()
        object["failures"] = result.failures ?? NSNull()
        object["compiled_code"] = result.compiledCode ?? NSNull()
        object["relation_name"] = result.relationName ?? NSNull()
        return object
    }

    /// dbt's `AdapterResponse` as it serialises: `_message`, `code`, `rows_affected`, `query_id`.
    static func adapterResponseObject(_ response: AdapterResponse?) -> [String: Any] {
        guard let response else { return [:] }
        var object: [String: Any] = ["_message": response.message]
        if let code = response.code { object["code"] = code }
        if let rows = response.rowsAffected { object["rows_affected"] = rows }
        if let queryId = response.queryId { object["query_id"] = queryId }
        for (key, cell) in response.details {
            switch cell {
            case .null: object[key] = NSNull()
            case .integer(let value): object[key] = value
            case .real(let value): object[key] = value
            case .text(let value): object[key] = value
            case .bool(let value): object[key] = value
            case .blob(let bytes): object[key] = bytes.map { String(format: "%02x", $0) }.joined()
            }
        }
        return object
    }

    /// dbt's artifact timestamps: ISO 8601 in UTC with microseconds and a `Z`
    /// (`2026-11-30T04:49:15.123456Z`), formatted without a formatter object per call.
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = floor(seconds)
        let micros = min(999_999, max(0, Int(((seconds - whole) * 1_000_000).rounded())))
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }
}

/// Compact JSON text for the values ``RunResultsWriter/jsonObject(results:invocationId:startedAt:elapsedTime:dbtVersion:args:)``
/// builds (strings, integers, doubles, booleans, `NSNull`, arrays, string-keyed dictionaries), as
/// UTF-8 bytes: what `JSONSerialization.data(withJSONObject:)` writes, up to key order (which it
/// does not fix either) and number spelling (`1e-05`, valid JSON). Non-finite doubles and other
/// types are `null`.
enum JSONText {
    static func append(_ value: Any, to bytes: inout [UInt8]) {
        switch value {
        case let string as String: appendString(string, to: &bytes)
        case let bool as Bool: bytes += Array((bool ? "true" : "false").utf8)
        case let int as Int: bytes += Array(String(int).utf8)
        case let int as Int64: bytes += Array(String(int).utf8)
        case let int as Int32: bytes += Array(String(int).utf8)
        case let double as Double: bytes += Array((double.isFinite ? "\(double)" : "null").utf8)
        case let dictionary as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, item) in dictionary {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                appendString(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                append(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case let array as [Any]:
            bytes.append(UInt8(ascii: "["))
            for (index, item) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        default:
            bytes += Array("null".utf8)
        }
    }

    /// A JSON string literal: `"` and `\\` escaped, control characters as `\n`, `\r`, `\t` or
    /// `\u00XX`; every other byte of the UTF-8 text as it is.
    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                          hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
