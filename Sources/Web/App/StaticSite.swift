import Foundation

extension WebApp {
    /// Writes the docs as static files (`opsflow docs generate`): `index.html` (lineage), a page per
    /// node, the runs, each dashboard as a snapshot without filters, and `assets/`. Links are
    /// relative, so the folder can be published anywhere or opened from disk.
    /// - Returns: the number of files written.
    /// - Throws: ``WebError`` when the manifest is missing or a file cannot be written.
    @discardableResult
    public func writeStaticSite(to folder: String) throws -> Int {
        let links = Links(isStatic: true)
        let fm = FileManager.default
        let root = URL(fileURLWithPath: folder)
        var written = 0
        func write(_ name: String, _ text: String) throws {
            do {
                let url = root.appendingPathComponent(name)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .atomic)
                written += 1
            } catch { throw WebError.io("cannot write \(name) in \(folder): \(error.localizedDescription)") }
        }
        let catalog = try catalog()
        try write("index.html", try lineagePage(links, focus: nil, q: nil))
        for id in catalog.nodes.keys.sorted() {
            if let page = try nodePage(links, id: id) { try write(links.node(id), page) }
        }
        try write(links.runs, try runsPage(links))
        for run in try runs() {
            if let page = try runPage(links, id: run.id) { try write(links.run(run.id), page) }
        }
        let specs = try dashboardSpecs()
        if !specs.isEmpty {
            try write(links.dashboards, try dashboardsPage(links))
            for spec in specs { try write(links.dashboard(spec.name), try renderDashboard(links, spec: spec, query: [:]).page) }
        }
        for (name, asset) in Assets.files { try write("assets/\(name)", asset.body) }
        return written
    }
}
