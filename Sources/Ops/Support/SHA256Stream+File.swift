import Foundation
import Project

extension SHA256Stream {
    /// The SHA-256 of a file, read in 1 MiB chunks.
    /// - Throws: ``OpsError`` `.io` when the file cannot be read.
    static func hexDigest(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw OpsError(.io, "cannot open \(path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256Stream()
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw OpsError(.io, "cannot read \(path): \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalizeHex()
    }
}
