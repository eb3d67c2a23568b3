import Foundation

extension DemoGenerator {
    /// The extract file names for the window: `im_global_collect_rate_<YYYYMMDD>.csv` and
    /// `im_arrival_scan_<YYYYMMDD>.csv`, dated with the end date. Each file covers the whole window.
    public var fileNames: (orders: String, scans: String) {
        let stamp = options.endDate.compact
        return ("im_global_collect_rate_\(stamp).csv", "im_arrival_scan_\(stamp).csv")
    }

    /// Writes both extracts as CSV into `directory` (created if missing), streaming (bounded memory).
    ///
    /// Format: a header row of the column names, `,` separators, `\n` line ends, UTF-8; a field is
    /// quoted (`"`, doubled inside) only when it contains `,`, `"` or a line break; NULL is an empty
    /// field — what BigQuery CSV loads and SQLite importers read as NULL.
    ///
    /// - Parameter directory: the folder to write into; existing files of the same names are replaced.
    /// - Returns: the URLs of the orders file and the scans file, in that order.
    /// - Throws: ``DemoError`` (`io`) when a file cannot be created or written.
    @discardableResult
    public func writeCSV(to directory: URL) throws -> [URL] {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DemoError(kind: .io, message: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        let names = fileNames
        let ordersURL = directory.appendingPathComponent(names.orders)
        let scansURL = directory.appendingPathComponent(names.scans)
        let ordersFile = try CSVFileWriter(url: ordersURL)
        let scansFile = try CSVFileWriter(url: scansURL)
        ordersFile.writeRow(OrderRow.orderColumns.map(\.name))
        scansFile.writeRow(ScanRow.scanColumns.map(\.name))
        try generate(orders: { row in
            ordersFile.writeRow(row.fields)
            try ordersFile.flushIfFull()
        }, scans: { row in
            scansFile.writeRow(row.fields)
            try scansFile.flushIfFull()
        })
        try ordersFile.close()
        try scansFile.close()
        return [ordersURL, scansURL]
    }
}

/// A buffered CSV writer over one file (used by one thread at a time).
final class CSVFileWriter {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 20

    init(url: URL) throws {
        path = url.path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw DemoError(kind: .io, message: "cannot create \(path)")
        }
        self.handle = handle
        buffer.reserveCapacity(Self.capacity + 4_096)
    }

    func writeRow(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            guard let field else { continue }
            let utf8 = field.utf8
            let needsQuotes = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                buffer.append(0x22)
                for byte in utf8 {
                    if byte == 0x22 { buffer.append(0x22) }
                    buffer.append(byte)
                }
                buffer.append(0x22)
            } else {
                buffer.append(contentsOf: utf8)
            }
        }
        buffer.append(0x0A)
    }

    func flushIfFull() throws {
        if buffer.count >= Self.capacity { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw DemoError(kind: .io, message: "cannot write \(path): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        do { try handle.close() } catch {
            throw DemoError(kind: .io, message: "cannot close \(path): \(error.localizedDescription)")
        }
    }
}
