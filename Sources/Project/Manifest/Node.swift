/// The kind of a manifest resource, spelled as dbt spells `resource_type`.
public enum ResourceType: String, Sendable, Hashable, Codable, CaseIterable {
    case model, seed, test, snapshot, analysis, operation, source, macro, doc, exposure, metric, group
    case unitTest = "unit_test"
    case semanticModel = "semantic_model"
    case savedQuery = "saved_query"
    case sqlOperation = "sql_operation"

    /// Types that `ref()` can point at.
    public var isRefable: Bool { self == .model || self == .seed || self == .snapshot }
}

/// One `ref()` call as dbt stores it (`RefArgs`): `ref('name')`, `ref('package', 'name')`,
/// `ref('name', version=2)`.
public struct RefArgs: Sendable, Hashable, Codable {
    public var name: String
    public var package: String?
    public var version: String?

    public init(name: String, package: String? = nil, version: String? = nil) {
        self.name = name
        self.package = package
        self.version = version
    }

    /// From positional `ref()` arguments: one is the name, two are package then name.
    public init?(positional args: [String], version: String? = nil) {
        switch args.count {
        case 1: self.init(name: args[0], version: version)
        case 2: self.init(name: args[1], package: args[0], version: version)
        default: return nil
        }
    }
}

/// dbt's `checksum`: `{name: "sha256", checksum: hex}` or `{name: "none", checksum: ""}`.
public struct FileChecksum: Sendable, Hashable, Codable {
    public var name: String
    public var checksum: String
    public init(name: String, checksum: String) { self.name = name; self.checksum = checksum }
    public static let none = FileChecksum(name: "none", checksum: "")
}

/// `depends_on`: the unique ids of the nodes and macros a node uses.
public struct DependsOn: Sendable, Hashable, Codable {
    public var nodes: [String] = []
    public var macros: [String] = []
    public init(nodes: [String] = [], macros: [String] = []) { self.nodes = nodes; self.macros = macros }
}

/// A generic data test's call: the test macro's name, its namespace (`dbt_utils` in
/// `dbt_utils.expression_is_true`) and its keyword arguments.
///
/// `kwargs` is what dbt stores: the user's arguments (configs removed), `column_name` for a column
/// test, and `model` = `{{ get_where_subquery(ref('x')) }}`, in that order. Compile renders each
/// string value and calls macro `test_<name>(**kwargs)`.
public struct TestMetadata: Sendable, Hashable {
    public var name: String
    public var namespace: String?
    public var kwargs: ConfigObject
    public init(name: String, namespace: String? = nil, kwargs: ConfigObject) {
        self.name = name
        self.namespace = namespace
        self.kwargs = kwargs
    }

    /// The macro that implements the test (`test_not_null`, `dbt_utils.test_expression_is_true`).
    public var macroName: String { (namespace.map { $0 + "." } ?? "") + "test_" + name }
}

/// A column from a property file.
public struct ColumnInfo: Sendable, Hashable {
    public var name: String
    public var description: String = ""
    public var dataType: String?
    public var meta: ConfigObject = ConfigObject()
    public var tags: [String] = []
    public var quote: Bool?
    public var constraints: [ConfigValue] = []
    /// The `data_tests:`/`tests:` entries as written.
    public var dataTests: [ConfigValue] = []
    /// The column's `config:` block.
    public var config: ConfigObject = ConfigObject()

    public init(name: String) { self.name = name }
}

/// A node of the manifest: a model, seed, snapshot, analysis, data test or hook operation.
///
/// Field names follow `manifest.json` v12. Parse fills identity, file and config fields; Compile
/// fills `refs`/`sources` (from its parse render), then `database`/`schema`/`alias`/
/// `relationName`/`compiledCode`.
public struct Node: Sendable, Hashable {
    /// `model.<package>.<name>`, `test.<package>.<name>.<hash>`…
    public var uniqueID: String
    public var resourceType: ResourceType
    public var name: String
    public var packageName: String
    /// Relative to the resource path (`staging/stg_orders.sql`).
    public var path: String
    /// Relative to the project root (`models/staging/stg_orders.sql`).
    public var originalFilePath: String
    public var fqn: [String]
    /// The file's text, stripped of leading and trailing whitespace as dbt stores it.
    public var rawCode: String
    public var language: String = "sql"
    public var checksum: FileChecksum
    /// The merged config (project tree → property file → `config()` calls).
    public var config: NodeConfig
    public var description: String = ""
    /// Columns in property-file order.
    public var columns: [ColumnInfo] = []
    public var meta: ConfigObject = ConfigObject()
    public var tags: [String] = []
    public var refs: [RefArgs] = []
    /// `[source_name, table_name]` pairs.
    public var sources: [[String]] = []
    public var dependsOn = DependsOn()
    public var database: String?
    public var schema: String?
    public var alias: String?
    public var relationName: String?
    public var compiledCode: String?
    /// Generic tests only.
    public var testMetadata: TestMetadata?
    /// Column tests only: the column (quoted if the column asks for it).
    public var columnName: String?
    /// Generic tests: the model/seed/snapshot the test is attached to.
    public var attachedNode: String?
    /// Generic tests: `models.<name>` / `sources.<name>`, the YAML entry that declared it.
    public var fileKeyName: String?
    /// `<package>://<property file>` when a property file describes this node.
    public var patchPath: String?
    /// The configs as written (before defaults), as dbt's `unrendered_config`.
    public var unrenderedConfig: ConfigObject = ConfigObject()
    /// `doc("…")` blocks the description uses, as `doc.<package>.<name>` ids.
    public var docBlocks: [String] = []
    /// Seeds: the project root, as dbt writes `root_path`.
    public var rootPath: String?
    /// Model property `constraints:` and derived `primary_key` (columns with unique + not_null tests).
    public var primaryKey: [String] = []
    public var constraints: [ConfigValue] = []

    /// The layers the config is merged from, kept so `config()` calls can be applied later.
    package var layers = ConfigLayers()

    public init(uniqueID: String, resourceType: ResourceType, name: String, packageName: String, path: String,
                originalFilePath: String, fqn: [String], rawCode: String, checksum: FileChecksum,
                config: NodeConfig = NodeConfig()) {
        self.uniqueID = uniqueID
        self.resourceType = resourceType
        self.name = name
        self.packageName = packageName
        self.path = path
        self.originalFilePath = originalFilePath
        self.fqn = fqn
        self.rawCode = rawCode
        self.checksum = checksum
        self.config = config
    }

    /// True when the node is a generic (property-file) data test; singular tests have no metadata.
    public var isGenericTest: Bool { resourceType == .test && testMetadata != nil }
}

/// A source table (`sources:` in a property file), unique id `source.<package>.<source>.<table>`.
public struct SourceDefinition: Sendable, Hashable {
    public var uniqueID: String
    public var packageName: String
    public var sourceName: String
    /// The table's name (`source('raw', '<name>')`).
    public var name: String
    public var sourceDescription: String = ""
    public var description: String = ""
    /// `database:` of the source, nil when the target's database applies.
    public var database: String?
    /// `schema:` of the source; dbt defaults it to the source name.
    public var schema: String
    /// `identifier:` of the table; dbt defaults it to the table name.
    public var identifier: String
    public var loader: String = ""
    public var loadedAtField: String?
    public var loadedAtQuery: String?
    /// Effective freshness (table overrides source; `null` clears).
    public var freshness: ConfigValue = .null
    public var quoting: ConfigObject = ConfigObject()
    public var columns: [ColumnInfo] = []
    public var meta: ConfigObject = ConfigObject()
    public var sourceMeta: ConfigObject = ConfigObject()
    public var tags: [String] = []
    public var config: ConfigObject = ConfigObject()
    public var enabled: Bool = true
    public var path: String
    public var originalFilePath: String
    public var fqn: [String]
    /// Table-level `data_tests:` as written.
    public var dataTests: [ConfigValue] = []
    public var external: ConfigValue = .null
    public var relationName: String?
    public var unrenderedDatabase: String?
    public var unrenderedSchema: String?

    public init(uniqueID: String, packageName: String, sourceName: String, name: String, schema: String,
                identifier: String, path: String, originalFilePath: String, fqn: [String]) {
        self.uniqueID = uniqueID
        self.packageName = packageName
        self.sourceName = sourceName
        self.name = name
        self.schema = schema
        self.identifier = identifier
        self.path = path
        self.originalFilePath = originalFilePath
        self.fqn = fqn
    }
}

/// A macro (`{% macro %}` or `{% test %}` block), unique id `macro.<package>.<name>`.
/// Generic test blocks are named `test_<name>`, as dbt names them.
public struct MacroEntry: Sendable, Hashable {
    public var uniqueID: String
    public var name: String
    public var packageName: String
    public var path: String
    public var originalFilePath: String
    /// The block's full text, `{% macro … %}` to `{% endmacro %}`.
    public var macroSQL: String
    public var arguments: [String] = []
    public var dependsOnMacros: [String] = []
    public var description: String = ""
    public var meta: ConfigObject = ConfigObject()
    public var patchPath: String?

    public init(uniqueID: String, name: String, packageName: String, path: String, originalFilePath: String, macroSQL: String) {
        self.uniqueID = uniqueID
        self.name = name
        self.packageName = packageName
        self.path = path
        self.originalFilePath = originalFilePath
        self.macroSQL = macroSQL
    }
}

/// A `{% docs name %}…{% enddocs %}` block, unique id `doc.<package>.<name>`.
public struct DocBlock: Sendable, Hashable {
    public var uniqueID: String
    public var name: String
    public var packageName: String
    public var path: String
    public var originalFilePath: String
    /// The block's text, stripped.
    public var blockContents: String
}
