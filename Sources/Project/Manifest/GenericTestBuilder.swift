/// Turns one `data_tests:` entry of a property file into a test node, as dbt-core's `TestBuilder`
/// (`core/dbt/parser/generic_test_builders.py`) and `SchemaGenericTestParser`
/// (`schema_generic_tests.py`) do:
///
/// - entry forms: `unique`, `{unique: {...}}`, `{test_name: unique, ...}`; arguments at the top
///   level (legacy) or under `arguments:` (dbt 1.10+);
/// - configs (`severity`, `where`, `limit`, `warn_if`, `error_if`, `store_failures`, `tags`,
///   `meta`, `enabled`, `database`, `schema`, `alias`, `fail_calc`, `store_failures_as`) are
///   taken out of the arguments, top level first, then `config:`;
/// - the name is `<test>_<target>_<flattened args>` (`source_<test>_<source>_<table>_…` for a
///   source), cleaned to `[0-9A-Za-z_]`; from 64 characters the compiled name (file and alias) is
///   the first 30 characters plus the MD5 of the full name;
/// - the unique id is `test.<package>.<full name>.<last 10 hex of md5(name + repr(metadata))>`.
enum GenericTestBuilder {
    enum Target: Sendable {
        case model(name: String, yamlKey: String)
        case source(source: String, table: String)
    }

    static let configArgs = ["severity", "tags", "enabled", "where", "limit", "warn_if", "error_if", "fail_calc",
                             "store_failures", "store_failures_as", "meta", "database", "schema", "alias"]

    struct Built {
        var node: Node
        var config: ConfigObject
    }

    static func build(definition: ConfigValue, target: Target, columnName: String?, columnTags: [String],
                      package: String, originalFilePath: String, macroPackages: [String: String]) throws -> Built {
        let loc = SourceLocation(file: originalFilePath)
        // 1. Name and arguments.
        var entry: ConfigObject
        switch definition {
        case .string(let s): entry = ConfigObject([(key: s, value: .dict(ConfigObject()))])
        case .dict(let d): entry = d
        default:
            throw ProjectError(.invalidTest, "a data test must be a name or a mapping, got \(definition.pythonRepr)",
                               location: loc, hint: "write `- unique` or `- accepted_values: {arguments: {values: [...]}}`")
        }
        let testName: String
        var args: ConfigObject
        if let tn = entry["test_name"] {
            guard let s = tn.asString else { throw ProjectError(.invalidTest, "test_name must be a string", location: loc) }
            testName = s
            entry["test_name"] = nil
            args = entry
        } else {
            guard entry.count == 1, let (k, v) = entry.entries.first else {
                throw ProjectError(.invalidTest,
                                   "a data test entry must have exactly one key (the test name), got: \(entry.keys.joined(separator: ", "))",
                                   location: loc, hint: "indent the test's arguments under its name")
            }
            testName = k
            switch v {
            case .dict(let d): args = d
            case .null: args = ConfigObject()
            default:
                throw ProjectError(.invalidTest, "the arguments of test '\(k)' must be a mapping, got \(v.pythonRepr)", location: loc)
            }
        }
        if let columnName { args["column_name"] = .string(columnName) }
        if let nested = args["arguments"] {
            args["arguments"] = nil
            if case .dict(let a) = nested { for (k, v) in a { args[k] = v } }
        }
        if args["model"] != nil {
            throw ProjectError(.invalidTest, "test arguments may not include `model` (dbt sets it)", location: loc)
        }
        let modelString: String
        switch target {
        case .model(let name, _): modelString = "{{ get_where_subquery(ref('\(name)')) }}"
        case .source(let s, let t): modelString = "{{ get_where_subquery(source('\(s)', '\(t)')) }}"
        }
        args["model"] = .string(modelString)

        // 2. namespace.name
        let parts = testName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let valid: (String) -> Bool = { s in
            guard let f = s.unicodeScalars.first, f == "_" || (f.isASCII && f.properties.isAlphabetic) else { return false }
            return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        }
        guard (parts.count == 1 || parts.count == 2), parts.allSatisfy(valid) else {
            throw ProjectError(.invalidTest, "'\(testName)' is not a valid test name", location: loc,
                               hint: "use `test_name` or `package.test_name`")
        }
        let name = parts.last ?? testName
        let namespace = parts.count == 2 ? parts[0] : nil

        // 3. Configs out of the arguments.
        var config = ConfigObject()
        var nestedConfig = args["config"]?.asDict
        for key in configArgs {
            var value = args[key]
            args[key] = nil
            // As dbt: a missing or falsy top-level value is replaced by `config:`'s (even by nothing).
            if !truthy(value ?? .null), nestedConfig != nil {
                value = nestedConfig?[key]
                nestedConfig?[key] = nil
            }
            if let value, !value.isNull { config[key] = value }
        }
        if args["config"] != nil {
            args["config"] = nil
            for (k, v) in nestedConfig ?? ConfigObject() where !v.isNull { config[k] = v }
        }
        var description = ""
        if let d = args["description"] { description = d.pythonStr; args["description"] = nil }

        // 4. Names.
        let compiledName: String, fqnName: String
        if let custom = args["name"] {
            compiledName = custom.pythonStr
            fqnName = custom.pythonStr
            args["name"] = nil
        } else {
            let testType: String, targetName: String
            switch target {
            case .model(let n, _): testType = name; targetName = n
            case .source(let s, let t): testType = "source_" + name; targetName = s + "_" + t
            }
            let (short, full) = synthesizeNames(testType: namespace.map { "\($0)_\(testType)" } ?? testType,
                                                targetName: targetName, args: args)
            compiledName = short
            fqnName = full
            if short != full && config["alias"] == nil { config["alias"] = .string(short) }
        }

        // 5. Identity.
        let metadata = TestMetadata(name: name, namespace: namespace, kwargs: args)
        let hashable: ConfigValue = [
            "kwargs": hashableForm(.dict(args)), "name": .string(name), "namespace": .string(namespace ?? "None"),
        ]
        let hash = String(Digest.md5Hex(fqnName + hashable.pythonRepr).suffix(10))
        let uniqueID = "test.\(package).\(fqnName).\(hash)"
        let relative = originalFilePath.split(separator: "/").dropFirst().map(String.init)
        let fqn = [package] + relative.dropLast() + [fqnName]

        var node = Node(uniqueID: uniqueID, resourceType: .test, name: fqnName, packageName: package,
                        path: compiledName + ".sql", originalFilePath: originalFilePath, fqn: fqn,
                        rawCode: rawCode(macro: metadata.macroName, config: config), checksum: .none)
        node.testMetadata = metadata
        node.columnName = columnName
        node.description = description
        var tagSet = Set(columnTags)
        for t in config["tags"]?.asStringList ?? [] { tagSet.insert(t) }
        node.tags = tagSet.sorted()
        switch target {
        case .model(let n, let key):
            node.fileKeyName = "\(key).\(n)"
        case .source(let s, _):
            node.fileKeyName = "sources.\(s)"
        }
        // refs/sources as dbt's parse render collects them: every ref()/source() in the kwargs
        // (rendered in kwargs order), the `model` kwarg last.
        var refs: [RefArgs] = []
        var sources: [[String]] = []
        for (k, v) in args where k != "column_name" {
            CallScanner.collect(v, refs: &refs, sources: &sources)
        }
        node.refs = refs
        node.sources = sources
        let builtin = (name == "not_null" || name == "unique") && namespace == nil
        let macroOwner = namespace ?? macroPackages["test_" + name] ?? "dbt"
        var macros = ["macro.\(macroOwner).test_\(name)"]
        if !(builtin && macroOwner == "dbt") { macros.append("macro.dbt.get_where_subquery") }
        node.dependsOn.macros = macros
        return Built(node: node, config: config)
    }

    static func truthy(_ v: ConfigValue) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .dict(let d): return !d.isEmpty
        }
    }

    /// dbt's `synthesize_generic_test_names`.
    static func synthesizeNames(testType: String, targetName: String, args: ConfigObject) -> (short: String, full: String) {
        var flat: [String] = []
        for key in args.keys.sorted() where key != "model" {
            guard let v = args[key] else { continue }
            switch v {
            case .dict(let d): flat += d.entries.map { $0.value.pythonStr }
            case .array(let a): flat += a.map(\.pythonStr)
            default: flat.append(v.pythonStr)
            }
        }
        let unique = flat.map(cleanArg).joined(separator: "__")
        let identifier = "\(testType)_\(targetName)"
        let full = "\(identifier)_\(unique)"
        if full.count >= 64 {
            return (String(identifier.prefix(30)) + "_" + Digest.md5Hex(full), full)
        }
        return (full, full)
    }

    /// `re.sub("[^0-9a-zA-Z_]+", "_", arg)`.
    static func cleanArg(_ s: String) -> String {
        var out = ""
        var inRun = false
        for u in s.unicodeScalars {
            let ok = u == "_" || (u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u)))
            if ok { out.unicodeScalars.append(u); inRun = false } else if !inRun { out += "_"; inRun = true }
        }
        return out
    }

    /// dbt's `get_hashable_md`: dicts with sorted keys, lists kept, everything else `str()`.
    static func hashableForm(_ v: ConfigValue) -> ConfigValue {
        switch v {
        case .dict(let d):
            return .dict(ConfigObject(d.keys.sorted().map { (key: $0, value: hashableForm(d[$0] ?? .null)) }))
        case .array(let a): return .array(a.map(hashableForm))
        default: return .string(v.pythonStr)
        }
    }

    /// `{{ test_x(**_dbt_generic_test_kwargs) }}{{ config(k="v",…) }}` as dbt writes `raw_code`.
    static func rawCode(macro: String, config: ConfigObject) -> String {
        var s = "{{ \(macro)(**_dbt_generic_test_kwargs) }}"
        if !config.isEmpty {
            let parts = config.entries.map { (k, v) -> String in
                if case .string(let str) = v {
                    let escaped = str.utf8.contains(0x22) ? str.replacingOccurrences(of: "\"", with: "\\\"") : str
                    return "\(k)=\"" + escaped + "\""
                }
                return "\(k)=\(v.pythonStr)"
            }
            s += "{{ config(\(parts.joined(separator: ","))) }}"
        }
        return s
    }
}

/// Finds `ref('…')`/`ref('pkg', '…')`/`source('…', '…')` calls with literal arguments in
/// strings, the calls a generic test's kwargs make (`to: ref('customers')`).
package enum CallScanner {
    package static func collect(_ v: ConfigValue, refs: inout [RefArgs], sources: inout [[String]]) {
        switch v {
        case .string(let s): scan(s, refs: &refs, sources: &sources)
        case .array(let a): for e in a { collect(e, refs: &refs, sources: &sources) }
        case .dict(let d): for (_, e) in d { collect(e, refs: &refs, sources: &sources) }
        default: break
        }
    }

    package static func scan(_ s: String, refs: inout [RefArgs], sources: inout [[String]]) {
        let b = Array(s.utf8)
        let ref = Array("ref".utf8), source = Array("source".utf8), version = Array("version".utf8)
        func hasWord(_ w: [UInt8], at i: Int) -> Bool {
            guard i + w.count <= b.count else { return false }
            for k in 0..<w.count where b[i + k] != w[k] { return false }
            return true
        }
        func isIdent(_ c: UInt8) -> Bool {
            c == 0x5f || c == 0x2e || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7a)
        }
        var i = 0
        while i < b.count {
            let c = b[i]
            guard c == UInt8(ascii: "r") || c == UInt8(ascii: "s"), i == 0 || !isIdent(b[i - 1]) else { i += 1; continue }
            let isRef = hasWord(ref, at: i)
            guard isRef || hasWord(source, at: i) else { i += 1; continue }
            var j = i + (isRef ? ref.count : source.count)
            while j < b.count, b[j] == 0x20 { j += 1 }
            guard j < b.count, b[j] == UInt8(ascii: "(") else { i += 1; continue }
            var k = j + 1
            var args: [String] = []
            var versionValue: String?
            while k < b.count {
                while k < b.count, b[k] == 0x20 || b[k] == 0x2c || b[k] == 0x0a { k += 1 }
                guard k < b.count, b[k] != UInt8(ascii: ")") else { break }
                if b[k] == 0x27 || b[k] == 0x22 {
                    let q = b[k]
                    var e = k + 1
                    while e < b.count, b[e] != q { e += 1 }
                    args.append(String(decoding: b[(k + 1)..<min(e, b.count)], as: UTF8.self))
                    k = e + 1
                } else if isRef, hasWord(version, at: k) {
                    var e = k
                    while e < b.count, b[e] != UInt8(ascii: ")"), b[e] != 0x2c { e += 1 }
                    let kv = String(decoding: b[k..<e], as: UTF8.self)
                    versionValue = kv.split(separator: "=").last.map {
                        String($0).trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
                    }
                    k = e
                } else {
                    break
                }
            }
            if isRef, let r = RefArgs(positional: args, version: versionValue) { refs.append(r) }
            if !isRef, args.count == 2 { sources.append(args) }
            i = max(k, i + 1)
        }
    }
}

import Foundation
