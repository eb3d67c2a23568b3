import Foundation

/// A file as an `InputStream` of valid UTF-8: every invalid byte sequence becomes U+FFFD and the
/// line it was on is remembered, so that one bad line is quarantined instead of ending the file.
/// (CSV.swift stops at the first byte it cannot decode.) Reads 1 MiB at a time: constant memory.
///
/// Used by one reader on one thread.
final class SanitizingStream: InputStream {
    private let handle: FileHandle
    private var status: Stream.Status = .notOpen
    private var out: [UInt8] = []
    private var outIndex = 0
    private var carry: [UInt8] = []
    private var eof = false
    private var line = 1
    private var failure: Error?
    /// Lines (1-based) that held invalid UTF-8.
    private(set) var badLines = Set<Int>()
    /// Bytes skipped at the start (a UTF-8 byte-order mark).
    private var atStart = true

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw OpsError(.io, "cannot open \(path)")
        }
        self.handle = handle
        super.init(data: Data())
    }

    override var streamStatus: Stream.Status { status }
    override var streamError: Error? { failure }
    override func open() { status = .open }
    override func close() { status = .closed; try? handle.close() }
    /// Exact: CSV.swift treats "available" bytes that then read as none as a failed read.
    override var hasBytesAvailable: Bool {
        while outIndex >= out.count, !eof, failure == nil { fill() }
        return outIndex < out.count
    }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        while outIndex >= out.count {
            if eof { status = .atEnd; return 0 }
            fill()
            if failure != nil { status = .error; return -1 }
        }
        let count = min(len, out.count - outIndex)
        out.withUnsafeBufferPointer { source in
            buffer.update(from: source.baseAddress! + outIndex, count: count)
        }
        outIndex += count
        return count
    }

    private func fill() {
        let chunk: Data
        do {
            chunk = try handle.read(upToCount: 1 << 20) ?? Data()
        } catch {
            failure = error
            return
        }
        var input = carry
        carry.removeAll(keepingCapacity: true)
        input.append(contentsOf: chunk)
        if chunk.isEmpty { eof = true }
        if atStart, input.count >= 3 || eof {
            if input.starts(with: [0xEF, 0xBB, 0xBF]) { input.removeFirst(3) }
            atStart = false
        }
        out.removeAll(keepingCapacity: true)
        outIndex = 0
        out.reserveCapacity(input.count + 16)
        var i = 0
        let n = input.count
        while i < n {
            let byte = input[i]
            if byte < 0x80 {
                if byte == 10 { line += 1 }
                out.append(byte)
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: length = 0
            }
            if length == 0 { replace(&i, by: 1); continue }
            if i + length > n, !eof {
                // Possibly a sequence cut by the chunk boundary: decide with the next chunk.
                carry.append(contentsOf: input[i...])
                break
            }
            var valid = i + length <= n
            if valid {
                for k in 1..<length {
                    let c = input[i + k]
                    let lo: UInt8 = k == 1 ? lower : 0x80, hi: UInt8 = k == 1 ? upper : 0xBF
                    if c < lo || c > hi { valid = false; break }
                }
            }
            if valid {
                out.append(contentsOf: input[i..<(i + length)])
                i += length
            } else {
                replace(&i, by: 1)
            }
        }
    }

    private func replace(_ i: inout Int, by count: Int) {
        badLines.insert(line)
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        i += count
    }
}
