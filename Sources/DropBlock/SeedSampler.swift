#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws one map's seeds into a list of positions, in increasing `(d, h, w)` order.
///
/// Made once per pass (everything that depends only on gamma and the seed region is
/// computed here), then used for every group of maps (`MapStreams`), so the fixed cost of a
/// stream's setup is paid once per group.
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
    /// Seed positions per map, per slice of the region and per row of it, as divisors.
    let perMap: Divisor, perSlice: Divisor, perRow: Divisor

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
        perMap = Divisor(max(1, total))
        perSlice = Divisor(max(1, region.h.count * region.w.count))
        perRow = Divisor(max(1, region.w.count))
    }

    /// Seeds drawn independently with probability `gamma` at every allowed position of `maps`
    /// consecutive maps, from the stream `SeededGenerator(key: key, stream: stream)`, as if
    /// their seed regions were one region laid end to end (`MapStreams` groups the maps).
    /// Calls `body(j, count)` for every map `j` of the group in order, with its `count` seeds
    /// in `list` (which holds `total`); with `seededOnly`, for the maps with seeds only (the
    /// caller has cleared the others: a call per map would cost a mispredicted branch on half
    /// the maps of r50-g3).
    ///
    /// Small gammas skip between seeds with geometric gaps, so the cost follows the number
    /// of seeds rather than the maps' size; larger ones draw 32 bits per position. Either way
    /// each position is a seed with probability gamma. The stream's first draw comes cheaply
    /// (`SeededGenerator.firstOutput`): a group with no seed at all needs no more.
    @inline(__always)
    func draw(key: UInt64, stream: UInt64, maps: Int, into list: UnsafeMutablePointer<SeedPosition>, seededOnly: Bool = false,
              _ body: (_ map: Int, _ count: Int) -> Void) {
        guard gamma > 0, total > 0 else {
            if !seededOnly { for j in 0..<maps { body(j, 0) } }
            return
        }
        if dense {
            var random = SeededGenerator(key: key, stream: stream)
            var spare: UInt64 = 0, haveSpare = false
            for j in 0..<maps { body(j, drawDense(generator: &random, spare: &spare, haveSpare: &haveSpare, into: list)) }
            return
        }
        let u = SeededGenerator.openUnitDouble(SeededGenerator.firstOutput(key: key, stream: stream))
        // Most small maps drawn alone (shared masks) have no seed at all: decided without a
        // logarithm. (A group of several maps rarely has none.)
        if maps == 1 && u < noSeedBelow {
            if !seededOnly { for j in 0..<maps { body(j, 0) } }
            return
        }
        var generator = SeededGenerator(key: key, stream: stream)
        _ = generator.next()
        drawSparse(generator: &generator, first: u, maps: maps, into: list, seededOnly: seededOnly, body)
    }

    /// One map of the dense form: one 32-bit uniform per position (two per generator call,
    /// the spare half carried across rows and maps), exact to 2^-32. Branch-free per unit:
    /// seeds fall at random, so a branch on them would mispredict. gamma >= 1 seeds
    /// everywhere and draws nothing. Returns the map's seed count.
    @inline(__always)
    func drawDense(generator: inout SeededGenerator, spare: inout UInt64, haveSpare: inout Bool,
                   into list: UnsafeMutablePointer<SeedPosition>) -> Int {
        // The generator lives in registers for the loop.
        var random = generator, half = spare, carried = haveSpare
        defer { (generator, spare, haveSpare) = (random, half, carried) }
        let (d0, h0, w0) = (region.d.lowerBound, region.h.lowerBound, region.w.lowerBound)
        let (rd, rh, rw) = (region.d.count, region.h.count, region.w.count)
        let certain = gamma >= 1
        var count = 0
        for d in 0..<rd {
            for h in 0..<rh {
                let position = SeedPosition(d: d0 &+ d, h: h0 &+ h, w: w0)
                for w in 0..<rw {
                    let u: UInt64
                    if carried || certain {
                        u = half
                    } else {
                        let bits = random.next()
                        u = bits & 0xFFFF_FFFF
                        half = bits >> 32
                    }
                    carried.toggle()
                    // Written always, kept only when the seed advances the count.
                    list[count] = SeedPosition(d: position.d, h: position.h, w: position.w &+ Int32(truncatingIfNeeded: w))
                    count &+= u < threshold ? 1 : 0
                }
            }
        }
        return count
    }

    /// The sparse form: geometric gaps between seeds, which arrive in increasing order over
    /// the group's regions laid end to end. A seed's map, slice, row and column come from its
    /// place by divisions as multiplies (`Divisor`). `first` is the stream's first uniform,
    /// already drawn; `generator` continues after it. `seededOnly` as in `draw`.
    @inline(__always)
    func drawSparse(generator: inout SeededGenerator, first: Double, maps: Int, into list: UnsafeMutablePointer<SeedPosition>,
                    seededOnly: Bool, _ body: (_ map: Int, _ count: Int) -> Void) {
        var random = generator
        defer { generator = random }
        let (d0, h0, w0) = (region.d.lowerBound, region.h.lowerBound, region.w.lowerBound)
        let end = Double(maps &* total)
        var count = 0, position = 0
        // The map whose seeds `list` holds.
        var listed = 0
        // Gaps are worked out a few at a time ahead of the walk, so that the logarithms overlap
        // instead of each waiting for the last: as many as the rest of the group is expected
        // to hold, up to eight. Draws taken past the group's end are never used, and the stream
        // is the group's own, so the seeds are the same as one gap at a time.
        // On the stack, through a pointer: a SIMD8 local was copied whole on every seed.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 8) { buffer in
            guard let gaps = buffer.baseAddress else { return }
            var ready = 1, next = 0
            gaps[0] = log(first) / logKeep
            while true {
                if next == ready {
                    ready = min(8, Int((end - Double(position)) * gamma) &+ 1)
                    for i in 0..<ready { gaps[i] = log(random.nextOpenUnitDouble()) / logKeep }
                    next = 0
                }
                // The gap is floor(q) for q >= 0 (or NaN); floor(q) < n exactly when q < n for
                // an integer n, and then truncation is the floor: no call to libm's `floor`.
                let q = gaps[next]
                next &+= 1
                guard q < end - Double(position) else { break }
                let place = position &+ Int(q)
                position = place &+ 1
                let map = perMap.quotient(place), inMap = place &- map &* total
                let d = perSlice.quotient(inMap), inSlice = inMap &- d &* perSlice.divisor
                let h = perRow.quotient(inSlice), w = inSlice &- h &* perRow.divisor
                if seededOnly {
                    if map != listed {
                        if count > 0 { body(listed, count) }
                        (listed, count) = (map, 0)
                    }
                } else {
                    while listed < map {
                        body(listed, count)
                        (listed, count) = (listed &+ 1, 0)
                    }
                }
                list[count] = SeedPosition(d: d0 &+ d, h: h0 &+ h, w: w0 &+ w)
                count &+= 1
            }
        }
        if seededOnly {
            if count > 0 { body(listed, count) }
            return
        }
        while listed < maps {
            body(listed, count)
            (listed, count) = (listed &+ 1, 0)
        }
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
