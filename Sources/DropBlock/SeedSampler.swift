#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws one map's seeds into a list of positions, in increasing `(d, h, w)` order.
///
/// Made once per pass (everything that depends only on gamma and the seed region is
/// computed here), then used for every map, so the fixed cost per map is the generator's
/// setup and one or two draws.
struct SeedSampler: Sendable {
    /// Allowed seed positions per axis, `(D, H, W)` (2D maps have `D == 0..<1`).
    let region: (d: Range<Int>, h: Range<Int>, w: Range<Int>)
    /// The map's extent, for reading a recorded draw that covers the whole map.
    let height: Int, width: Int
    /// Allowed seed positions per map.
    let total: Int
    let gamma: Double
    /// Above gamma 0.05 every position takes one 32-bit uniform; below, geometric gaps.
    let dense: Bool
    /// `u < threshold` is a seed in the dense form (`1 << 32` when gamma >= 1: always).
    let threshold: UInt64
    let logKeep: Double
    /// A map's first uniform below this means it has no seed: the first geometric gap
    /// then passes the region's end. Kept a hair below `(1 - gamma) ** total`, so that
    /// this shortcut never decides differently from the gap itself; in between, the gap
    /// decides.
    let noSeedBelow: Double

    /// The sampler for maps of `geometry` with seed probability `gamma`.
    init(geometry: SeedGeometry, gamma: Double) {
        let r = geometry.seedRegion, s = geometry.spatial
        region = r.count == 2 ? (0..<1, r[0], r[1]) : (r[0], r[1], r[2])
        (height, width) = (s[s.count - 2], s[s.count - 1])
        total = geometry.seedRegionSize
        self.gamma = gamma
        dense = gamma > 0.05
        // Any gamma at all (a preset's formula can give inf, a negative value or NaN): `draw`
        // seeds nothing unless gamma > 0, so only the threshold must not trap.
        threshold = gamma >= 1 ? 1 << 32 : gamma > 0 ? UInt64((gamma * 0x1p32).rounded()) : 0
        logKeep = gamma < 1 ? log1p(-gamma) : -Double.infinity
        noSeedBelow = gamma > 0 && gamma < 1 ? exp(Double(total) * logKeep) * (1 - 1e-6) : 0
    }

    /// Seeds drawn independently with probability `gamma` at every allowed position, from
    /// the stream `SeededGenerator(key: key, stream: stream)`.
    ///
    /// Small gammas skip between seeds with geometric gaps, so the cost follows the
    /// number of seeds rather than the map size; larger ones draw 32 bits per position.
    /// Either way each position is a seed with probability gamma. `list` holds `total`.
    /// The stream's first draw comes cheaply (`SeededGenerator.firstOutput`); the whole
    /// generator is set up only for maps that need more, with the same draws.
    @inline(__always)
    func draw(key: UInt64, stream: UInt64, into list: UnsafeMutablePointer<SeedPosition>) -> Int {
        guard gamma > 0, total > 0 else { return 0 }
        let first = SeededGenerator.firstOutput(key: key, stream: stream)
        if dense && total == 1 {
            // One position: its uniform is the low half of the first draw.
            list[0] = SeedPosition(d: region.d.lowerBound, h: region.h.lowerBound, w: region.w.lowerBound)
            return first & 0xFFFF_FFFF < threshold ? 1 : 0
        }
        let u = SeededGenerator.openUnitDouble(first)
        // Most small maps have no seed at all: decided without a logarithm.
        if !dense && u < noSeedBelow { return 0 }
        var generator = SeededGenerator(key: key, stream: stream)
        if dense { return drawDense(generator: &generator, into: list) }
        _ = generator.next()
        return drawSparse(generator: &generator, first: u, into: list)
    }

    /// The dense form: one 32-bit uniform per position (two per generator call, the spare
    /// half carried across rows), exact to 2^-32. Branch-free per unit: seeds fall at random,
    /// so a branch on them would mispredict. gamma >= 1 seeds everywhere and draws nothing.
    @inline(__always)
    func drawDense(generator: inout SeededGenerator, into list: UnsafeMutablePointer<SeedPosition>) -> Int {
        // The generator lives in registers for the loop.
        var random = generator
        defer { generator = random }
        let (d0, h0, w0) = (region.d.lowerBound, region.h.lowerBound, region.w.lowerBound)
        let (rd, rh, rw) = (region.d.count, region.h.count, region.w.count)
        let certain = gamma >= 1
        var count = 0, spare: UInt64 = 0, haveSpare = false
        for d in 0..<rd {
            for h in 0..<rh {
                let position = SeedPosition(d: d0 &+ d, h: h0 &+ h, w: w0)
                for w in 0..<rw {
                    let u: UInt64
                    if haveSpare || certain {
                        u = spare
                    } else {
                        let bits = random.next()
                        u = bits & 0xFFFF_FFFF
                        spare = bits >> 32
                    }
                    haveSpare.toggle()
                    // Written always, kept only when the seed advances the count.
                    list[count] = SeedPosition(d: position.d, h: position.h, w: position.w &+ Int32(truncatingIfNeeded: w))
                    count &+= u < threshold ? 1 : 0
                }
            }
        }
        return count
    }

    /// The sparse form: geometric gaps between seeds, which arrive in increasing order, so
    /// `(d, h, w)` walks forward instead of dividing. `first` is the stream's first uniform,
    /// already drawn; `generator` continues after it.
    @inline(__always)
    func drawSparse(generator: inout SeededGenerator, first: Double, into list: UnsafeMutablePointer<SeedPosition>) -> Int {
        var random = generator
        defer { generator = random }
        let (d0, h0, w0) = (region.d.lowerBound, region.h.lowerBound, region.w.lowerBound)
        let (rh, rw) = (region.h.count, region.w.count)
        var u = first, count = 0
        var d = 0, h = 0, w = 0
        @inline(__always) func advance(by step: Int) {
            w &+= step
            if w >= rw {
                h &+= w / rw
                w %= rw
                if h >= rh {
                    d &+= h / rh
                    h %= rh
                }
            }
        }
        var position = 0
        while true {
            // The gap is floor(q) for q >= 0 (or NaN); floor(q) < n exactly when q < n for an
            // integer n, and then truncation is the floor: no call to libm's `floor`.
            let q = log(u) / logKeep
            guard q < Double(total &- position) else { break }
            let step = Int(q)
            position &+= step &+ 1
            advance(by: step)
            list[count] = SeedPosition(d: d0 &+ d, h: h0 &+ h, w: w0 &+ w)
            count &+= 1
            advance(by: 1)
            u = random.nextOpenUnitDouble()
        }
        return count
    }

    /// Seeds from a recorded uniform draw; `noise` points at this map's draw, which covers
    /// the seed region only when `coversRegion`, else the whole map.
    func read(noise: UnsafePointer<Float>, coversRegion: Bool, rule: SeedRule, into list: UnsafeMutablePointer<SeedPosition>) -> Int {
        var count = 0
        let rh = region.h.count, rw = region.w.count
        for d in region.d {
            for h in region.h {
                let rowStart: Int
                if coversRegion {
                    rowStart = ((d - region.d.lowerBound) * rh + (h - region.h.lowerBound)) * rw - region.w.lowerBound
                } else {
                    rowStart = (d * height + h) * width
                }
                for w in region.w where rule.isSeed(noise[rowStart + w]) {
                    list[count] = SeedPosition(d: d, h: h, w: w)
                    count += 1
                }
            }
        }
        return count
    }
}
