import Foundation

/// A small, fast, seedable random number generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed gives the same sequence on every run and platform, so the same seed
/// gives the same DropBlock masks everywhere.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        s0 = SeededGenerator.splitMix(&mixer)
        s1 = SeededGenerator.splitMix(&mixer)
        s2 = SeededGenerator.splitMix(&mixer)
        s3 = SeededGenerator.splitMix(&mixer)
    }

    /// An independent generator for sub-stream `index` of `key`.
    ///
    /// Forward passes give each mask (or group of per-channel masks) its own stream so that
    /// the result does not depend on the order (or the thread) in which masks are built.
    public init(key: UInt64, stream index: UInt64) {
        var mixer = key ^ (index &* 0xD1B5_4A32_D192_ED03)
        self.init(seed: SeededGenerator.splitMix(&mixer))
    }

    /// The first output of `SeededGenerator(key: key, stream: index)`, without the rest of
    /// its state: that output depends on one of the four state words only, so this costs two
    /// mixing steps instead of five. Most maps of a pass need no more than this one draw.
    @inline(__always)
    static func firstOutput(key: UInt64, stream index: UInt64) -> UInt64 {
        var mixer = key ^ (index &* 0xD1B5_4A32_D192_ED03)
        var state = splitMix(&mixer)
        _ = splitMix(&state)
        let s1 = splitMix(&state)
        // `next()`'s output function of s1.
        let r = s1 &* 5
        return ((r << 7) | (r >> 57)) &* 9
    }

    /// Moves past `count` outputs (as `count` calls of `next()` would).
    public mutating func skip(_ count: Int) {
        for _ in 0..<max(0, count) { _ = next() }
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// A uniform float in `[0, 1)` with 24 random bits, like PyTorch's `torch.rand` for float32.
    @inline(__always)
    public mutating func nextUniformFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform double in `(0, 1]` with 53 random bits (never zero, so its log is finite).
    @inline(__always)
    public mutating func nextOpenUnitDouble() -> Double {
        SeededGenerator.openUnitDouble(next())
    }

    /// The `(0, 1]` double that `nextOpenUnitDouble` makes of the 64 bits `bits`.
    @inline(__always)
    static func openUnitDouble(_ bits: UInt64) -> Double {
        (Double(bits >> 11) + 1) * 0x1p-53
    }

    /// A standard Gaussian sample (Box-Muller).
    public mutating func nextGaussian() -> Float {
        let u1 = nextOpenUnitDouble()
        let u2 = nextOpenUnitDouble()
        return Float((-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    @inline(__always)
    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
