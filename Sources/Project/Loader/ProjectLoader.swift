import Foundation

/// A file of the project, read once.
public struct ProjectFile: Sendable, Hashable {
    /// Relative to its resource folder (`staging/stg_orders.sql` under `models/`).
    public var path: String
    /// Relative to the project root (`models/staging/stg_orders.sql`).
    public var originalFilePath: String
    /// The resource folder it was found under (`models`).
    public var searchedPath: String
    /// The file's text as read (UTF-8).
    public var contents: String

    /// The file name without extension (`stg_orders`).
    public var stem: String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = last.lastIndex(of: ".") { return String(last[..<dot]) }
        return last
    }

    /// Folders between the resource folder and the file (`["staging"]`).
    public var subdirectories: [String] { path.split(separator: "/").dropLast().map(String.init) }

    /// dbt's `raw_code`: the contents with leading and trailing whitespace stripped.
    public var rawCode: String { contents.pythonStripped }

    /// dbt's checksum for SQL/Markdown files: SHA-256 of the stripped contents with every run of
    /// whitespace turned into one space (`normalize_file_contents` in dbt-core's `read_files.py`).
    public var normalizedChecksum: FileChecksum {
        FileChecksum(name: "sha256", checksum: Digest.sha256Hex(Self.normalizedWhitespace(contents)))
    }

    /// `" ".join(text.split())`: the words of `text`, one space between them, as UTF-8.
    /// Python's `str.split()` splits on Unicode whitespace and on U+001C…U+001F. ASCII text (almost
    /// every SQL file) is done on bytes: splitting into Characters was a tenth of a 10,000-model parse.
    static func normalizedWhitespace(_ text: String) -> [UInt8] {
        if let ascii = text.utf8.withContiguousStorageIfAvailable({ bytes -> [UInt8]? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte == 0x20 || (0x09...0x0D).contains(byte) || (0x1C...0x1F).contains(byte) {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20); pendingSpace = false }
                    out.append(byte)
                }
            }
            return out
        }), let ascii { return ascii }
        let words = text.split(whereSeparator: { character in
            character.isWhitespace || character.unicodeScalars.allSatisfy { (0x1C...0x1F).contains($0.value) }
        })
        return Array(words.joined(separator: " ").utf8)
    }

    /// dbt's checksum for seeds: SHA-256 of the stripped contents, newlines as read in text mode
    /// (`FileHash.from_path`).
    public var seedChecksum: FileChecksum {
        let text = contents.replacingOccurrences(of: "\r\n", with: "\n").pythonStripped
        return FileChecksum(name: "sha256", checksum: Digest.sha256Hex(Array(text.utf8)))
    }
}

/// Everything read from a project folder: `dbt_project.yml`, every resource file, every property file.
public struct LoadedProject: Sendable {
    /// The project folder (absolute).
    public var root: String
    public var project: DbtProject
    public var models: [ProjectFile] = []
    /// `.sql` files under macro paths, and `generic/` under test paths (generic tests are macros).
    public var macroFiles: [ProjectFile] = []
    public var seeds: [ProjectFile] = []
    /// `.sql` files under test paths, outside `generic/`.
    public var singularTests: [ProjectFile] = []
    public var snapshots: [ProjectFile] = []
    public var analyses: [ProjectFile] = []
    /// `.md` files under docs paths.
    public var docFiles: [ProjectFile] = []
    /// Every YAML file under the resource paths, parsed.
    public var propertyFiles: [PropertyFile] = []
    /// `selectors:` of selectors.yml, if the project has one.
    public var selectors: ConfigObject = ConfigObject()
    public var warnings: [ProjectWarning] = []
    /// dbt_project.yml as read (hook operations take their checksum from it).
    public var projectFile: ProjectFile?
}

/// Reads a dbt project folder the way dbt's file reader does (`read_files.py`).
public enum ProjectLoader {
    /// Loads `dbt_project.yml` and every project file.
    ///
    /// ```swift
    /// let loaded = try ProjectLoader.load(projectDir: "examples/opsflow_analytics")
    /// var manifest = try ManifestBuilder.build(loaded)
    /// ```
    /// - Parameters:
    ///   - projectDir: the folder with `dbt_project.yml`.
    ///   - render: Compile's Jinja renderer for `{{ … }}` in dbt_project.yml (nil: not rendered).
    /// - Throws: `ProjectError` — `.io` (no dbt_project.yml, unreadable file), `.yamlSyntax`,
    ///   `.invalidProject`, `.invalidProperty`.
    public static func load(projectDir: String, render: YAMLValueRenderer? = nil) throws -> LoadedProject {
        let root = URL(fileURLWithPath: projectDir).standardizedFileURL.path
        let project = try DbtProject.load(projectDir: root, render: render)
        var out = LoadedProject(root: root, project: project)
        out.warnings = project.warnings
        if let data = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent("dbt_project.yml")) {
            out.projectFile = ProjectFile(path: "dbt_project.yml", originalFilePath: "dbt_project.yml", searchedPath: ".",
                                          contents: String(decoding: data, as: UTF8.self))
        }

        out.models = try files(root: root, dirs: project.modelPaths, ext: ["sql"])
        out.seeds = try files(root: root, dirs: project.seedPaths, ext: ["csv"])
        out.snapshots = try files(root: root, dirs: project.snapshotPaths, ext: ["sql"])
        out.analyses = try files(root: root, dirs: project.analysisPaths, ext: ["sql"])
        out.macroFiles = try files(root: root, dirs: project.macroPaths, ext: ["sql"])
        let tests = try files(root: root, dirs: project.testPaths, ext: ["sql"])
        for f in tests {
            if f.path.hasPrefix("generic/") { out.macroFiles.append(f) } else { out.singularTests.append(f) }
        }
        out.docFiles = try files(root: root, dirs: project.docsPaths, ext: ["md"])

        // Property files live under any resource path; a folder listed twice is read once.
        let yamlDirs = project.modelPaths + project.seedPaths + project.snapshotPaths + project.analysisPaths
            + project.macroPaths + project.testPaths
        for f in try files(root: root, dirs: yamlDirs, ext: ["yml", "yaml"]) {
            let pf = try PropertyFile(yaml: f.contents, originalFilePath: f.originalFilePath)
            out.warnings += pf.warnings
            out.propertyFiles.append(pf)
        }
        let selectorsPath = (root as NSString).appendingPathComponent("selectors.yml")
        if FileManager.default.fileExists(atPath: selectorsPath) {
            let v = try YAMLReader.load(path: selectorsPath, displayPath: "selectors.yml")
            if let d = v.asDict {
                var sel = ConfigObject()
                for s in d["selectors"]?.asArray ?? [] {
                    if let o = s.asDict, let name = o["name"]?.asString { sel[name] = s }
                }
                out.selectors = sel
            }
        }
        return out
    }

    /// Every file with one of `ext` under `dirs` (relative to `root`), sorted by path, each read once.
    static func files(root: String, dirs: [String], ext: Set<String>) throws -> [ProjectFile] {
        var seenDirs = Set<String>()
        var found: [(path: String, original: String, searched: String, absolute: String)] = []
        let fm = FileManager.default
        for dir in dirs {
            let clean = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
            guard seenDirs.insert(clean).inserted else { continue }
            let absDir = (root as NSString).appendingPathComponent(clean)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: absDir, isDirectory: &isDir), isDir.boolValue else { continue }
            guard let e = fm.enumerator(atPath: absDir) else { continue }
            while let rel = e.nextObject() as? String {
                let name = (rel as NSString).lastPathComponent
                if name.hasPrefix(".") { continue }
                let fileExt = (name as NSString).pathExtension.lowercased()
                guard ext.contains(fileExt) else { continue }
                let abs = (absDir as NSString).appendingPathComponent(rel)
                var fileIsDir: ObjCBool = false
                guard fm.fileExists(atPath: abs, isDirectory: &fileIsDir), !fileIsDir.boolValue else { continue }
                let original = clean == "." ? rel : clean + "/" + rel
                found.append((rel, original, clean, abs))
            }
        }
        found.sort { $0.original < $1.original }
        // Reading is the slow part for large projects: read in parallel, keep the sorted order.
        let results = UnsafeResultBuffer<String>(count: found.count)
        let absolutes = found.map(\.absolute)
        DispatchQueue.concurrentPerform(iterations: absolutes.count) { i in
            results[i] = FileManager.default.contents(atPath: absolutes[i]).map { String(decoding: $0, as: UTF8.self) }
        }
        var out: [ProjectFile] = []
        out.reserveCapacity(found.count)
        for (i, f) in found.enumerated() {
            guard let text = results[i] else {
                throw ProjectError(.io, "could not read \(f.original)", location: SourceLocation(file: f.original))
            }
            out.append(ProjectFile(path: f.path, originalFilePath: f.original, searchedPath: f.searched, contents: text))
        }
        return out
    }
}

/// A fixed-size buffer written by `concurrentPerform` iterations, each at its own index.
/// `@unchecked Sendable`: no two iterations touch the same slot, and it is read only after
/// `concurrentPerform` returns.
final class UnsafeResultBuffer<T>: @unchecked Sendable {
    // One fixed allocation: concurrent writers touch disjoint slots and never the buffer itself
    // (a Swift array property would be accessed — and possibly moved — by every writer at once).
    private let storage: UnsafeMutableBufferPointer<T?>
    init(count: Int) {
        storage = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        storage.initialize(repeating: nil)
    }
    deinit {
        storage.deinitialize()
        storage.deallocate()
    }
    subscript(i: Int) -> T? {
        get { storage[i] }
        set { storage[i] = newValue }
    }
}

extension String {
    /// Python's `str.strip()`: removes leading and trailing whitespace.
    var pythonStripped: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}
