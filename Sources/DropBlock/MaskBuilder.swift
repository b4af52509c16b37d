/// Builds one keep mask at a time from seeds, reusing its scratch buffers.
///
/// Maps are handled as `(D, H, W)` (2D maps have `D == 1`). Blocks are boxes, so the
/// expansion is separable: one sliding-window pass per axis, each O(map size)
/// whatever the block size.
struct MaskBuilder {
    let depth: Int, height: Int, width: Int
    let window: (d: Int, h: Int, w: Int)
    let lowOffset: (d: Int, h: Int, w: Int)
    let region: (d: Range<Int>, h: Range<Int>, w: Range<Int>)
    var mapSize: Int { depth * height * width }

    /// 1 where a seed fell.
    private(set) var seeds: [UInt8]
    /// Rows `(d, h)` holding at least one seed; empty rows stay empty through the W pass.
    private var rowHasSeed: [Bool]
    /// Where the seeds of the current map fell, in order, for sparse painting. Coordinates
    /// rather than flat indices, so painting needs no division.
    private var seedList: [SeedPosition]
    private var seedCount = 0
    /// Slices holding at least one seed (3D), kept between maps so expanding allocates nothing.
    private var sliceHasSeed: [Bool]
    private var first: [UInt8]
    private var second: [UInt8]
    private var counts: [Int32]

    init(geometry: SeedGeometry) {
        let s = geometry.spatial, k = geometry.window, lo = geometry.lowOffset, r = geometry.seedRegion
        if s.count == 2 {
            (depth, height, width) = (1, s[0], s[1])
            window = (1, k[0], k[1])
            lowOffset = (0, lo[0], lo[1])
            region = (0..<1, r[0], r[1])
        } else {
            (depth, height, width) = (s[0], s[1], s[2])
            window = (k[0], k[1], k[2])
            lowOffset = (lo[0], lo[1], lo[2])
            region = (r[0], r[1], r[2])
        }
        let n = depth * height * width
        seeds = [UInt8](repeating: 0, count: n)
        rowHasSeed = [Bool](repeating: false, count: depth * height)
        sliceHasSeed = [Bool](repeating: false, count: depth)
        seedList = [SeedPosition](repeating: SeedPosition(d: 0, h: 0, w: 0), count: n)
        first = [UInt8](repeating: 0, count: n)
        second = [UInt8](repeating: 0, count: n)
        counts = [Int32](repeating: 0, count: height * width)
    }

    /// Zeroes only the rows the last map seeded: sparse seeds cost nothing per unit.
    private mutating func clearSeeds() {
        seedCount = 0
        let w = width
        seeds.withUnsafeMutableBufferPointer { grid in
            rowHasSeed.withUnsafeMutableBufferPointer { flags in
                guard let base = grid.baseAddress else { return }
                for row in 0..<flags.count where flags[row] {
                    base.advanced(by: row * w).update(repeating: 0, count: w)
                    flags[row] = false
                }
            }
        }
    }

    @inline(__always)
    private mutating func markSeed(d: Int, h: Int, w: Int) {
        let index = (d * height + h) * width + w
        seeds[index] = 1
        rowHasSeed[d * height + h] = true
        seedList[seedCount] = SeedPosition(d: d, h: h, w: w)
        seedCount += 1
    }

    /// Seeds from a recorded uniform draw; `noise` points at this map's draw.
    /// The draw covers the seed region only when `coversRegion`, else the whole map.
    mutating func seed(noise: UnsafePointer<Float>, coversRegion: Bool, rule: SeedRule) -> Int {
        clearSeeds()
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
                    markSeed(d: d, h: h, w: w)
                    count += 1
                }
            }
        }
        return count
    }

    /// Seeds drawn independently with probability `gamma` at every allowed position.
    ///
    /// Small gammas skip between seeds with geometric gaps, so the cost follows the
    /// number of seeds rather than the map size; larger ones draw 32 bits per position.
    /// Either way each position is a seed with probability gamma.
    mutating func seed(generator: inout SeededGenerator, gamma: Double) -> Int {
        clearSeeds()
        let rd = region.d.count, rh = region.h.count, rw = region.w.count
        let total = rd * rh * rw
        guard gamma > 0, total > 0 else { return 0 }
        // The generator and the buffers live in registers and raw pointers for the loop.
        var random = generator
        defer { generator = random }
        let (d0, h0, w0) = (region.d.lowerBound, region.h.lowerBound, region.w.lowerBound)
        let (height, width) = (self.height, self.width)
        var count = 0
        seeds.withUnsafeMutableBufferPointer { grid in
            rowHasSeed.withUnsafeMutableBufferPointer { flags in
                seedList.withUnsafeMutableBufferPointer { list in
                    guard let gridBase = grid.baseAddress, let listBase = list.baseAddress else { return }
                    if gamma > 0.05 {
                        // Dense: one 32-bit uniform per position (two per generator call, the
                        // spare half carried across rows), exact to 2^-32. Branch-free per unit:
                        // seeds fall at random, so a branch on them would mispredict.
                        // gamma >= 1 seeds everywhere and draws nothing (a threshold of 2^32
                        // with `next` never called).
                        let certain = gamma >= 1
                        let threshold: UInt64 = certain ? 1 << 32 : UInt64((gamma * 0x1p32).rounded())
                        var spare: UInt64 = 0, haveSpare = false
                        for d in 0..<rd {
                            for h in 0..<rh {
                                let row = (d0 &+ d) &* height &+ h0 &+ h
                                let line = gridBase + (row &* width &+ w0)
                                let position = SeedPosition(d: d0 &+ d, h: h0 &+ h, w: w0)
                                var seen: UInt8 = 0
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
                                    let bit: UInt8 = u < threshold ? 1 : 0
                                    line[w] = bit
                                    seen |= bit
                                    // Written always, kept only when `bit` advances the count.
                                    listBase[count] = SeedPosition(d: position.d, h: position.h, w: position.w &+ Int32(truncatingIfNeeded: w))
                                    count &+= Int(bit)
                                }
                                if seen != 0 { flags[row] = true }
                            }
                        }
                        return
                    }
                    // Sparse: geometric gaps between seeds, which arrive in increasing order:
                    // walk (d, h, w) forward instead of dividing.
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
                    let logKeep = log1p(-gamma)
                    var position = 0
                    while true {
                        let gap = (log(random.nextOpenUnitDouble()) / logKeep).rounded(.down)
                        guard gap < Double(total &- position) else { break }
                        let step = Int(gap)
                        position &+= step &+ 1
                        advance(by: step)
                        let row = (d0 &+ d) &* height &+ h0 &+ h
                        gridBase[row &* width &+ w0 &+ w] = 1
                        flags[row] = true
                        listBase[count] = SeedPosition(d: d0 &+ d, h: h0 &+ h, w: w0 &+ w)
                        count &+= 1
                        advance(by: 1)
                    }
                }
            }
        }
        seedCount = count
        return count
    }

    /// Expands the current seeds into blocks, writing 1 for every dropped unit of the map
    /// into `dropped`; returns how many units were dropped.
    mutating func expand(into dropped: UnsafeMutablePointer<UInt8>) -> Int {
        let (d, h, w) = (depth, height, width)
        let n = mapSize
        // No seed, no block: the common case for small maps and small gamma.
        if seedCount == 0 {
            dropped.update(repeating: 0, count: n)
            return 0
        }
        // Blocks of one unit: the mask is the seed grid.
        if window == (1, 1, 1) {
            seeds.withUnsafeBufferPointer { grid in
                if let base = grid.baseAddress { dropped.update(from: base, count: n) }
            }
            return seedCount
        }
        // Few seeds: paint each block directly. The painted area is about p x map size in
        // expectation (gamma shrinks as blocks grow), so this too does not grow with the
        // block size; it just skips the per-unit passes when little is dropped.
        // Blocks are counted clipped to the map, and the product saturates: a block size
        // of 100000 with thousands of seeds would overflow `Int` otherwise.
        let blockRows = min(window.d, d) * min(window.h, h)
        let paintCost = MaskBuilder.saturatingProduct(MaskBuilder.saturatingProduct(seedCount, blockRows), max(min(window.w, w), 4))
        if paintCost <= n {
            return paintBlocks(into: dropped)
        }
        let rowHasSeed = self.rowHasSeed
        let threeD = d > 1 || window.d > 1
        var droppedCount = 0
        seeds.withUnsafeBufferPointer { seedBuffer in
            first.withUnsafeMutableBufferPointer { a in
                second.withUnsafeMutableBufferPointer { b in
                    counts.withUnsafeMutableBufferPointer { c in
                        guard let seedBase = seedBuffer.baseAddress, let aBase = a.baseAddress,
                              let bBase = b.baseAddress, let cBase = c.baseAddress else { return }
                        // W: along each row that has a seed. Rows without seeds are never read
                        // (the next pass skips empty rows), so they are not even cleared.
                        // Few seeds: paint each seed's run (cost seeds x block, which falls as
                        // blocks grow at fixed p); many: one sliding pass per row (cost W).
                        let paint = MaskBuilder.saturatingProduct(seedCount, max(min(window.w, w), 16)) < n
                        for row in 0..<(d * h) where rowHasSeed[row] {
                            if paint {
                                (aBase + row * w).update(repeating: 0, count: w)
                            } else {
                                MaskBuilder.slideRow(src: seedBase + row * w, dst: aBase + row * w, length: w, window: window.w, low: lowOffset.w)
                            }
                        }
                        if paint {
                            seedList.withUnsafeBufferPointer { list in
                                for s in 0..<seedCount {
                                    let seed = list[s]
                                    let row = Int(seed.d) * h + Int(seed.h), column = Int(seed.w)
                                    let start = max(0, column - lowOffset.w), end = min(w, column - lowOffset.w + window.w)
                                    if end > start { (aBase + row * w + start).update(repeating: 1, count: end - start) }
                                }
                            }
                        }
                        // H: rows are the sliding unit within each depth slice.
                        let hTarget = threeD ? bBase : dropped
                        for slice in 0..<d {
                            droppedCount += MaskBuilder.slideSlabs(
                                src: aBase + slice * h * w, dst: hTarget + slice * h * w, slabs: h, slabLength: w,
                                window: window.h, low: lowOffset.h, counts: cBase,
                                nonEmpty: { rowHasSeed[slice * h + $0] })
                        }
                        // D: slices are the sliding unit (3D only).
                        if threeD {
                            for slice in 0..<d { sliceHasSeed[slice] = rowHasSeed[(slice * h)..<((slice + 1) * h)].contains(true) }
                            let sliceHasSeed = self.sliceHasSeed
                            droppedCount = MaskBuilder.slideSlabs(
                                src: bBase, dst: dropped, slabs: d, slabLength: h * w, window: window.d, low: lowOffset.d,
                                counts: cBase, nonEmpty: { sliceHasSeed[$0] })
                        }
                    }
                }
            }
        }
        return droppedCount
    }

    /// `a * b`, or `Int.max` when that overflows: for cost estimates that are only compared
    /// with a map's size.
    @inline(__always)
    static func saturatingProduct(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }

    /// Writes the union of the current seeds' blocks into `dropped`; returns its size.
    private func paintBlocks(into dropped: UnsafeMutablePointer<UInt8>) -> Int {
        dropped.update(repeating: 0, count: mapSize)
        var count = 0
        let (h, w) = (height, width)
        seedList.withUnsafeBufferPointer { list in
            for s in 0..<seedCount {
                let seed = list[s]
                let column = Int(seed.w), row = Int(seed.h), slice = Int(seed.d)
                let d0 = max(0, slice - lowOffset.d), d1 = min(depth, slice - lowOffset.d + window.d)
                let h0 = max(0, row - lowOffset.h), h1 = min(h, row - lowOffset.h + window.h)
                let w0 = max(0, column - lowOffset.w), w1 = min(w, column - lowOffset.w + window.w)
                guard d0 < d1, h0 < h1, w0 < w1 else { continue }
                for dd in d0..<d1 {
                    for hh in h0..<h1 {
                        let line = dropped + (dd * h + hh) * w
                        for ww in w0..<w1 {
                            // Count only units not already covered by an earlier block.
                            count &+= 1 &- Int(line[ww])
                            line[ww] = 1
                        }
                    }
                }
            }
        }
        return count
    }

    /// `dst[t] = 1` if any `src[j]` with `j` in `[t + low - window + 1, t + low]` is set.
    @inline(__always)
    static func slideRow(src: UnsafePointer<UInt8>, dst: UnsafeMutablePointer<UInt8>, length: Int, window: Int, low: Int) {
        if window == 1 {
            dst.update(from: src, count: length)
            return
        }
        var count = 0
        for j in 0...min(low, length - 1) { count &+= Int(src[j]) }
        // Three stretches, so the middle one (usually most of the row) has no range checks.
        let firstFull = max(0, min(length, window - low - 1))   // from here on, a unit leaves the window
        let lastAdd = max(0, length - 1 - low)                   // up to here, a unit enters the window
        var t = 0
        while t < min(firstFull, lastAdd) {
            dst[t] = count > 0 ? 1 : 0
            count &+= Int(src[t &+ 1 &+ low])
            t &+= 1
        }
        while t < lastAdd {
            dst[t] = count > 0 ? 1 : 0
            count &+= Int(src[t &+ 1 &+ low]) &- Int(src[t &+ low &- window &+ 1])
            t &+= 1
        }
        while t < length {
            dst[t] = count > 0 ? 1 : 0
            let added = t + 1 + low
            if added < length { count &+= Int(src[added]) }
            let removed = t + low - window + 1
            if removed >= 0 && removed < length { count &-= Int(src[removed]) }
            t &+= 1
        }
    }

    /// The same sliding window over whole slabs (rows of a slice, or slices of a volume),
    /// vectorised across each slab; windows holding no non-empty slab are written as zeros.
    /// Returns how many units it set.
    @discardableResult
    static func slideSlabs(
        src: UnsafePointer<UInt8>, dst: UnsafeMutablePointer<UInt8>, slabs: Int, slabLength: Int,
        window: Int, low: Int, counts: UnsafeMutablePointer<Int32>, nonEmpty: (Int) -> Bool
    ) -> Int {
        var total = 0
        counts.update(repeating: 0, count: slabLength)
        var active = 0
        func add(_ slab: Int) {
            guard nonEmpty(slab) else { return }
            active += 1
            let row = src + slab * slabLength
            for i in 0..<slabLength { counts[i] &+= Int32(row[i]) }
        }
        func remove(_ slab: Int) {
            guard nonEmpty(slab) else { return }
            active -= 1
            let row = src + slab * slabLength
            for i in 0..<slabLength { counts[i] &-= Int32(row[i]) }
        }
        for j in 0...min(low, slabs - 1) { add(j) }
        for t in 0..<slabs {
            let out = dst + t * slabLength
            if active == 0 {
                out.update(repeating: 0, count: slabLength)
            } else {
                // A 3D slab is a whole H x W slice: it can exceed 2^32 units, so count in `Int`.
                var set = 0
                for i in 0..<slabLength {
                    let bit: UInt8 = counts[i] > 0 ? 1 : 0
                    out[i] = bit
                    set &+= Int(bit)
                }
                total += set
            }
            let added = t + 1 + low
            if added < slabs { add(added) }
            let removed = t + low - window + 1
            if removed >= 0 && removed < slabs { remove(removed) }
        }
        return total
    }
}

/// Where a seed fell in its map: slice, row, column.
///
/// 32 bits per axis keep the per-unit seed list small; `SeedGeometry` rejects axes longer
/// than `SeedGeometry.maximumAxisLength`, so the truncating conversions below are exact.
struct SeedPosition: Sendable {
    var d: Int32, h: Int32, w: Int32

    init(d: Int, h: Int, w: Int) {
        self.d = Int32(truncatingIfNeeded: d)
        self.h = Int32(truncatingIfNeeded: h)
        self.w = Int32(truncatingIfNeeded: w)
    }

    init(d: Int32, h: Int32, w: Int32) {
        (self.d, self.h, self.w) = (d, h, w)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
