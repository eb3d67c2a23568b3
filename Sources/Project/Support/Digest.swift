/// Message digests dbt uses for identities: SHA-256 for file checksums (`checksum.checksum`) and
/// MD5 for generic test names and ids (`dbt.utils.md5`).
///
/// The package has no crypto dependency (swift-crypto costs minutes of build), and these two
/// digests are short, fixed algorithms (FIPS 180-4, RFC 1321), so they live here; SHA-256 is
/// ``SHA256Stream``, which Ops also uses for file content hashes.
package enum Digest {
    /// Lowercase hex SHA-256 of the bytes.
    package static func sha256Hex<B: Collection>(_ bytes: B) -> String where B.Element == UInt8 {
        var hasher = SHA256Stream()
        hasher.update(Array(bytes))
        return hasher.finalizeHex()
    }

    /// Lowercase hex MD5 of the string's UTF-8 bytes.
    package static func md5Hex(_ s: String) -> String { hex(md5(Array(s.utf8))) }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }

    // MARK: - MD5 (RFC 1321)

    private static let md5Shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    private static let md5K: [UInt32] = (0..<64).map { i in
        UInt32(truncatingIfNeeded: Int64((abs(sin(Double(i + 1))) * 4294967296.0).rounded(.down)))
    }

    package static func md5(_ message: [UInt8]) -> [UInt8] {
        var a0: UInt32 = 0x67452301, b0: UInt32 = 0xefcdab89, c0: UInt32 = 0x98badcfe, d0: UInt32 = 0x10325476
        var data = message
        let bitLength = UInt64(message.count) &* 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for i in 0..<8 { data.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        var m = [UInt32](repeating: 0, count: 16)
        var chunk = 0
        while chunk < data.count {
            for i in 0..<16 {
                let j = chunk + i * 4
                m[i] = UInt32(data[j]) | UInt32(data[j + 1]) << 8 | UInt32(data[j + 2]) << 16 | UInt32(data[j + 3]) << 24
            }
            var a = a0, b = b0, c = c0, d = d0
            for i in 0..<64 {
                var f: UInt32
                var g: Int
                switch i {
                case 0..<16: f = (b & c) | (~b & d); g = i
                case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * i) % 16
                }
                f = f &+ a &+ md5K[i] &+ m[g]
                a = d; d = c; c = b
                b = b &+ rotl(f, md5Shifts[i])
            }
            a0 = a0 &+ a; b0 = b0 &+ b; c0 = c0 &+ c; d0 = d0 &+ d
            chunk += 64
        }
        var out = [UInt8]()
        for v in [a0, b0, c0, d0] { for s in [0, 8, 16, 24] { out.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
        return out
    }
}

import Foundation  // sin() for the MD5 constant table
