import Foundation
import Warehouse

/// The relations of the schemas a run builds into, listed once per schema and then kept up to
/// date by the builds themselves — dbt's relation cache (`dbt/adapters/cache.py`: dbt lists each
/// schema once at the start of a run with `postgres__list_relations_without_caching`, then
/// records every create, rename and drop it makes).
///
/// Only ``PostgresAdapter/materialize(_:)`` reads it; the public introspection methods
/// (`getRelation`, `listRelations`) always ask the server. Like dbt's, it does not see relations
/// that SQL of the project's own (hooks, `run_query`) creates or drops behind its back; a failed
/// or rolled-back build empties it, so the next build asks the server again.
///
/// `@unchecked Sendable`: `lock` guards `schemas`.
final class RelationCache: @unchecked Sendable {
    private let lock = NSLock()
    private var schemas: [String: [String: Relation.Kind]] = [:]

    /// The kinds of the relations of `schema`, by name, listed through `load` when not cached.
    func relations(in schema: String, load: () throws -> [String: Relation.Kind]) rethrows -> [String: Relation.Kind] {
        lock.lock()
        if let known = schemas[schema] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let loaded = try load()
        lock.lock()
        defer { lock.unlock() }
        // Another thread may have loaded and then updated it meanwhile: its copy is newer.
        if let known = schemas[schema] { return known }
        schemas[schema] = loaded
        return loaded
    }

    /// Records what a build did: each name now has the given kind, or none (nil: dropped).
    /// Ignored for a schema that is not cached.
    func record(schema: String, _ changes: [(String, Relation.Kind?)]) {
        lock.lock()
        defer { lock.unlock() }
        guard schemas[schema] != nil else { return }
        // In place: a copy of a schema's thousand names per build would add up.
        for (name, kind) in changes { schemas[schema]?[name] = kind }
    }

    /// Forgets one schema (DDL through the adapter's other methods changed it).
    func invalidate(schema: String) {
        lock.lock()
        schemas[schema] = nil
        lock.unlock()
    }

    /// Forgets everything (a rollback may have undone recorded changes).
    func invalidateAll() {
        lock.lock()
        schemas.removeAll()
        lock.unlock()
    }
}
