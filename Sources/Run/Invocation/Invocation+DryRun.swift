import Foundation
import Project
import Warehouse

/// `opsflow build --dry-run`: what the selected models and data tests would process, from the
/// warehouse's dry run (BigQuery's `dryRun` job configuration), before anything is spent.
extension Invocation {
    /// One line per selected model and data test with the bytes it would process and the
    /// on-demand cost at `options.pricePerTiB`, then the total.
    /// - Returns: 0 when every node was estimated or its upstream is simply not built yet
    ///   (the warehouse cannot estimate a query over a table that does not exist); 1 when a
    ///   node failed to compile or the warehouse rejected its query.
    /// - Throws: ``WarehouseError`` `.unsupported` when the target's warehouse has no dry run.
    func dryRun(_ session: Session, command: InvocationCommand) throws -> Int32 {
        let types: Set<String> = switch command {
        case .run: ["model"]
        case .test: ["test"]
        case .seed: []
        default: ["model", "test"]
        }
        let manifest = session.compiler.manifest
        let selected = try selectedIDs(session, types: types).filter { id in
            manifest.nodes[id]?.config.materialized != "ephemeral"
        }
        // Fail before compiling anything when the warehouse cannot dry-run at all.
        _ = try session.adapter.estimate("select 1")
        info("")
        info("Dry run on \(session.adapter.type) target '\(session.target.name)': bytes each node would process, "
             + "at \(Self.money(options.pricePerTiB)) per TiB on demand")
        info("")
        var total: Int64 = 0
        var failed = false
        var notBuilt = 0
        let width = selected.compactMap { manifest.nodes[$0]?.name.count }.max() ?? 10
        for id in selected {
            guard let node = manifest.nodes[id] else { continue }
            let label = node.name.padding(toLength: max(width, 10), withPad: " ", startingAt: 0)
            do {
                let compiled = try session.compiler.compile(id)
                let estimate = try session.adapter.withContext(StatementContext(invocationId: invocationId, nodeId: id)) {
                    try session.adapter.estimate(compiled.sql)
                }
                total += estimate.bytesProcessed
                info("  \(label)  \(Self.bytes(estimate.bytesProcessed).leftPadded(10))  \(Self.money(Self.cost(estimate.bytesProcessed, pricePerTiB: options.pricePerTiB)).leftPadded(10))")
            } catch let error as WarehouseError where error.kind == .notFound {
                notBuilt += 1
                info("  \(label)  \("—".leftPadded(10))  not estimated: \(error.message) (an upstream relation is not built yet)")
            } catch {
                failed = true
                events.emit(Event(.error, code: "Q035", name: "DryRunError", "  \(label)  ERROR \(Self.describe(error))", nodeId: id))
            }
        }
        info("")
        info("  \("Total".padding(toLength: max(width, 10), withPad: " ", startingAt: 0))  \(Self.bytes(total).leftPadded(10))  \(Self.money(Self.cost(total, pricePerTiB: options.pricePerTiB)).leftPadded(10))"
             + (notBuilt > 0 ? "  (\(notBuilt) not estimated)" : ""))
        return failed ? 1 : 0
    }

    /// Dollars for `bytes` at `pricePerTiB` (1 TiB = 2^40 bytes, as BigQuery bills).
    static func cost(_ bytes: Int64, pricePerTiB: Double) -> Double {
        Double(bytes) / 1_099_511_627_776 * pricePerTiB
    }

    /// Cents, or six decimals below a cent (a small model's cost is fractions of a cent).
    static func money(_ dollars: Double) -> String {
        dollars >= 0.01 || dollars == 0 ? String(format: "$%.2f", dollars) : String(format: "$%.6f", dollars)
    }

    /// Bytes in binary units with one decimal, as dbt-bigquery's `format_bytes` prints them
    /// (`Bytes`, `KiB`, `MiB`, `GiB`, `TiB`, `PiB`).
    static func bytes(_ count: Int64) -> String {
        var value = Double(count)
        for unit in ["Bytes", "KiB", "MiB", "GiB", "TiB"] {
            if abs(value) < 1024 { return String(format: "%.1f", value) + " " + unit }
            value /= 1024
        }
        return String(format: "%.1f", value) + " PiB"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
