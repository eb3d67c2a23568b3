import Foundation
import Jinja
import Project

/// The two phases a node is rendered in (dbt-core `crates/dbt-jinja-ctx`: parse, compile).
package enum RenderPhase: Sendable {
    /// `execute` is false; `ref`/`source`/`config` record what the node needs; nothing touches
    /// the warehouse; undefined names are lenient.
    case parse
    /// `execute` is true; `ref`/`source` resolve to relations; `run_query` runs.
    case compile
}

/// What one render of one node records and reads: the per-render half of the context.
///
/// Reached from the context's native functions through the hidden name ``NodeRecorder/contextKey``,
/// so the functions themselves are shared by every render.
///
/// `@unchecked Sendable`: a recorder belongs to one render on one thread.
package final class NodeRecorder: JinjaObject, @unchecked Sendable {
    package static let contextKey = "__opsflow_node__"

    package let phase: RenderPhase
    package let node: Node?
    package var refs: [RefArgs] = []
    package var refLocations: [(line: Int, column: Int)] = []
    package var sources: [[String]] = []
    /// Where each `source()` call is (parallel to `sources`), for error locations.
    package var sourceLocations: [(line: Int, column: Int)] = []
    package var configCalls: [ConfigObject] = []
    /// Ephemeral models this render referenced, in first-use order (unique ids).
    package var ephemeralRefs: [String] = []
    /// `statement` results by name (`load_result`).
    package var results: [String: Value] = [:]

    package init(phase: RenderPhase, node: Node?) {
        self.phase = phase
        self.node = node
    }

    package func attribute(_ name: String) -> Value? { nil }

    /// The config value as the node sees it now: `config()` calls made so far in this render win
    /// over the node's merged config.
    package func configValue(_ key: String) -> ConfigValue? {
        for call in configCalls.reversed() {
            if let value = call[key] { return value }
        }
        if let value = node?.config.get(key) { return value }
        return nil
    }
}

extension State {
    /// The recorder of the render running now, or nil outside a node render.
    package var recorder: NodeRecorder? {
        if case .object(let object) = lookup(NodeRecorder.contextKey) { return object as? NodeRecorder }
        return nil
    }
}
