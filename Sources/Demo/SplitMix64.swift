/// SplitMix64 (Steele, Lea & Flood, "Fast Splittable Pseudorandom Number Generators", 2014):
/// a tiny, fast generator whose output depends only on its seed, on every platform — unlike
/// `SystemRandomNumberGenerator`, which is never reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// An integer in `0..<bound` (`bound` > 0); the modulo bias is below 2⁻⁴⁰ for our bounds.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// An index drawn with the given cumulative weights (last element = total).
    mutating func pick(cumulative: [Double]) -> Int {
        let target = unit() * (cumulative.last ?? 1)
        var index = 0
        while index < cumulative.count - 1 && cumulative[index] <= target { index += 1 }
        return index
    }
}

extension Array where Element == Double {
    /// Running sums, for ``SplitMix64/pick(cumulative:)``.
    var cumulative: [Double] {
        var total = 0.0
        return map { total += $0; return total }
    }
}
