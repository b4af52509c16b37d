/// Draws one map's seeds into a list of positions.
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
    /// Above gamma 0.05 every position takes one 32-bit uniform; below, a seed count per map
    /// and that many distinct positions (`counts`).
    let dense: Bool
    /// `u < threshold` is a seed in the dense form (`1 << 32` when gamma >= 1: always).
    let threshold: UInt64
    /// The sparse form's seed counts (nil in the dense form, or when no seed can fall).
    let counts: SeedCounts?
    /// A 64-bit draw whose low product with `total` is below this is drawn again, so that positions
    /// are exactly uniform (Lemire's method; it almost never happens).
    let redrawBelow: UInt64
    /// Seed positions per slice of the region and per row of it, as divisors.
    let perSlice: Divisor, perRow: Divisor

    /// Whether a pass at seed probability `gamma` draws its seed counts from a `SeedCounts`
    /// table: the sparse form, `0 < gamma <= 0.05`.
    static func drawsCounts(gamma: Double) -> Bool {
        gamma > 0 && gamma <= 0.05
    }

    /// The sampler for maps of `geometry` with seed probability `gamma`, with the pass's
    /// seed-count table when `drawsCounts(gamma:)` (filled for `geometry.seedRegionSize`).
    init(geometry: SeedGeometry, gamma: Double, counts: SeedCounts?) {
        let r = geometry.seedRegion, s = geometry.spatial
        region = r.count == 2 ? (0..<1, r[0], r[1]) : (r[0], r[1], r[2])
        (height, width) = (s[s.count - 2], s[s.count - 1])
        total = geometry.seedRegionSize
        self.gamma = gamma
        dense = gamma > 0.05
        // Any gamma at all (a preset's formula can give inf, a negative value or NaN): `draw`
        // seeds nothing unless gamma > 0, so only the threshold must not trap.
        threshold = gamma >= 1 ? 1 << 32 : gamma > 0 ? UInt64((gamma * 0x1p32).rounded()) : 0
        self.counts = Self.drawsCounts(gamma: gamma) ? counts : nil
        let positions = UInt64(max(1, total))
        redrawBelow = (0 &- positions) % positions
        perSlice = Divisor(max(1, region.h.count * region.w.count))
        perRow = Divisor(max(1, region.w.count))
    }

    /// Seeds drawn independently with probability `gamma` at every allowed position of `maps`
    /// consecutive maps, from the stream `SeededGenerator(key: key, stream: stream)`
    /// (`MapStreams` groups the maps). Calls `body(j, count)` for every map `j` of the group in
    /// order, with its `count` seeds in `list` (with room for
    /// `DropBlockWorkspace.seedCapacity`); with `seededOnly`, for the maps with seeds only (the
    /// caller has cleared the others: a call per map would cost a mispredicted branch on half
    /// the maps of r50-g3). `marks` holds a zero byte per position, and is left so.
    ///
    /// Small gammas draw each map's seed count, then that many distinct positions, so the
    /// cost follows the number of seeds rather than the maps' size; larger ones draw 32 bits
    /// per position. Either way each position is a seed with probability gamma. The stream's
    /// first draw comes cheaply (`SeededGenerator.firstOutput`): a lone map with no seed needs
    /// no more.
    @inline(__always)
    func draw(key: UInt64, stream: UInt64, maps: Int, into list: UnsafeMutablePointer<SeedPosition>,
              marks: UnsafeMutablePointer<UInt8>, seededOnly: Bool = false, _ body: (_ map: Int, _ count: Int) -> Void) {
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
        guard let counts else { preconditionFailure("the sparse form draws from the pass's seed-count table") }
        let firstCount = counts.count(Self.unitDouble(SeededGenerator.firstOutput(key: key, stream: stream)))
        // Most small maps drawn alone (shared masks) have no seed at all: decided without the
        // rest of the stream's setup. (A group of several maps rarely has none.)
        if maps == 1 && firstCount == 0 {
            if !seededOnly { body(0, 0) }
            return
        }
        var generator = SeededGenerator(key: key, stream: stream)
        _ = generator.next()
        drawCounted(generator: &generator, counts: counts, firstCount: firstCount, maps: maps, into: list, marks: marks,
                    seededOnly: seededOnly, body)
    }

    /// A uniform double in `[0, 1)` from the top 53 of 64 random bits.
    @inline(__always)
    static func unitDouble(_ bits: UInt64) -> Double {
        Double(bits >> 11) * 0x1p-53
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

    /// The sparse form: for each map, its seed count from `counts` (the first map's already
    /// drawn, `firstCount`), then that many distinct positions, each uniform over the seed
    /// region (one 64-bit draw each, by Lemire's multiply; a position already taken is drawn
    /// again, which is rare at these gammas). A position's slice, row and column come from
    /// its place by divisions as multiplies (`Divisor`). `generator` continues after the
    /// first count's draw. Seeds are listed in the order they were drawn. `seededOnly` and
    /// `marks` as in `draw`.
    @inline(__always)
    func drawCounted(generator: inout SeededGenerator, counts: SeedCounts, firstCount: Int, maps: Int,
                     into list: UnsafeMutablePointer<SeedPosition>, marks: UnsafeMutablePointer<UInt8>, seededOnly: Bool,
                     _ body: (_ map: Int, _ count: Int) -> Void) {
        var random = generator
        defer { generator = random }
        let (d0, h0, w0) = (region.d.lowerBound, region.h.lowerBound, region.w.lowerBound)
        let positions = UInt64(truncatingIfNeeded: total), rowLength = perRow.divisor, sliceLength = perSlice.divisor
        let flat = region.d.count == 1
        var count = firstCount
        for j in 0..<maps {
            if j > 0 { count = counts.count(Self.unitDouble(random.next())) }
            if count == 0 {
                if !seededOnly { body(j, 0) }
                continue
            }
            var listed = 0
            while listed < count {
                let (high, low) = random.next().multipliedFullWidth(by: positions)
                let place = Int(truncatingIfNeeded: high)
                guard low >= redrawBelow, marks[place] == 0 else { continue }
                marks[place] = 1
                // 2D regions have one slice: no division.
                let d = flat ? 0 : perSlice.quotient(place), inSlice = place &- d &* sliceLength
                let h = perRow.quotient(inSlice), w = inSlice &- h &* rowLength
                list[listed] = SeedPosition(d: d0 &+ d, h: h0 &+ h, w: w0 &+ w)
                listed &+= 1
            }
            for s in 0..<count {
                let seed = list[s]
                marks[((Int(seed.d) &- d0) &* region.h.count &+ Int(seed.h) &- h0) &* rowLength &+ Int(seed.w) &- w0] = 0
            }
            body(j, count)
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
