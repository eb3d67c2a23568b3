import Foundation
import Project
import Run
import Warehouse

/// A `warn_after`/`error_after` threshold: `{count: 26, period: hour}` (dbt's `Time`).
public struct FreshnessThreshold: Sendable, Hashable {
    public var count: Int
    /// `minute`, `hour` or `day`.
    public var period: String

    public var seconds: Double {
        switch period {
        case "minute": return Double(count) * 60
        case "day": return Double(count) * 86_400
        default: return Double(count) * 3_600
        }
    }

    init?(_ value: ConfigValue?) {
        guard let value, let count = value["count"]?.asInt, let period = value["period"]?.asString,
              ["minute", "hour", "day"].contains(period) else { return nil }
        self.count = count
        self.period = period
    }
}

/// The freshness of one source table, as `dbt source freshness` reports it
/// (https://docs.getdbt.com/reference/resource-properties/freshness).
public struct FreshnessResult: Sendable, Hashable {
    public var uniqueId: String
    /// `pass`, `warn`, `error` (stale) or `runtime error` (the query failed or found no rows).
    public var status: String
    public var maxLoadedAt: String?
    public var snapshottedAt: Date
    /// Seconds between `max(loaded_at_field)` and the snapshot.
    public var ageSeconds: Double?
    public var message: String?
}

/// Checks source freshness: `max(<loaded_at_field>)` against `warn_after`/`error_after`, `error`
/// winning over `warn` as in dbt. Timestamps are read as UTC text (`YYYY-MM-DD HH:MM:SS[.f]`).
public enum SourceFreshness {
    /// Checks every source that declares both a `loaded_at_field` and a threshold.
    public static func check(manifest: Manifest, adapter: any Adapter, now: Date) -> [FreshnessResult] {
        manifest.sourceIDs.compactMap { manifest.sources[$0] }.compactMap { source in
            guard let field = source.loadedAtField else { return nil }
            let warn = FreshnessThreshold(source.freshness["warn_after"])
            let error = FreshnessThreshold(source.freshness["error_after"])
            guard warn != nil || error != nil else { return nil }
            let relation = Relation(database: source.database, schema: source.schema, identifier: source.identifier, kind: .table)
            do {
                let result = try adapter.query("select max(\(adapter.quote(field))) from \(adapter.render(relation))", limit: 1)
                guard let cell = result.rows.first?.first, case .text(let text) = cell,
                      let stamp = CivilTime.parseTimestamp(text), let loaded = Self.date(stamp) else {
                    return FreshnessResult(uniqueId: source.uniqueID, status: "runtime error", maxLoadedAt: nil, snapshottedAt: now,
                                           ageSeconds: nil, message: "no \(field) value in \(adapter.render(relation))")
                }
                let age = now.timeIntervalSince(loaded)
                var status = "pass"
                if let warn, age > warn.seconds { status = "warn" }
                if let error, age > error.seconds { status = "error" }
                return FreshnessResult(uniqueId: source.uniqueID, status: status, maxLoadedAt: stamp, snapshottedAt: now, ageSeconds: age)
            } catch {
                return FreshnessResult(uniqueId: source.uniqueID, status: "runtime error", maxLoadedAt: nil, snapshottedAt: now,
                                       ageSeconds: nil, message: String(describing: error))
            }
        }
    }

    static func date(_ utcText: String) -> Date? {
        let b = Array(utcText.utf8)
        guard b.count >= 19, let y = CivilTime.digits(b, 0, 4), let m = CivilTime.digits(b, 5, 2), let d = CivilTime.digits(b, 8, 2),
              let h = CivilTime.digits(b, 11, 2), let mi = CivilTime.digits(b, 14, 2), let s = CivilTime.digits(b, 17, 2) else { return nil }
        var seconds = Double(CivilTime.days(y, m, d) * 86_400 + Int64(h * 3600 + mi * 60 + s))
        if b.count > 20, let fraction = Double("0" + String(decoding: b[19...], as: UTF8.self)) { seconds += fraction }
        return Date(timeIntervalSince1970: seconds)
    }

    /// `target/sources.json` in dbt's v3 shape (the fields downstream tools read).
    public static func writeArtifact(_ results: [FreshnessResult], to directory: URL, invocationId: String) throws {
        let stamp = StateStore.timestamp
        let object: [String: Any] = [
            "metadata": ["dbt_schema_version": "https://schemas.getdbt.com/dbt/sources/v3.json", "invocation_id": invocationId],
            "elapsed_time": 0,
            "results": results.map { result -> [String: Any] in
                var out: [String: Any] = ["unique_id": result.uniqueId, "status": result.status,
                                          "snapshotted_at": stamp(result.snapshottedAt)]
                if let loaded = result.maxLoadedAt { out["max_loaded_at"] = loaded }
                if let age = result.ageSeconds { out["max_loaded_at_time_ago_in_s"] = age }
                if let message = result.message { out["error"] = message }
                return out
            },
        ]
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: directory.appendingPathComponent("sources.json"))
    }
}

extension OpsCommands {
    /// `opsflow source freshness`: exit 1 when a source is stale past `error_after` or fails.
    public static func sourceFreshness(options: InvocationOptions, adapters: [AdapterFactory]) -> Int32 {
        do {
            let workspace = try OpsWorkspace(options: options, adapters: adapters)
            defer { workspace.close() }
            let results = SourceFreshness.check(manifest: workspace.manifest, adapter: workspace.adapter, now: Date())
            for (index, result) in results.enumerated() {
                let name = result.uniqueId.split(separator: ".").suffix(2).joined(separator: ".")
                let label = result.status == "pass" ? "PASS" : result.status == "warn" ? "WARN" : "ERROR STALE"
                let age = result.ageSeconds.map { String(format: " (%.0fs old)", $0) } ?? (result.message.map { ": \($0)" } ?? "")
                say("\(index + 1) of \(results.count) \(label) freshness of \(name)\(age)")
            }
            try SourceFreshness.writeArtifact(results, to: workspace.targetDir, invocationId: UUID().uuidString.lowercased())
            return results.contains { $0.status == "error" || $0.status == "runtime error" } ? 1 : 0
        } catch {
            return fail(error)
        }
    }
}
