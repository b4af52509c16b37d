/// Expands one map's seeds into its block mask, in scratch memory lent by the workspace.
///
/// Maps are handled as `(D, H, W)` (2D maps have `D == 1`). Blocks are boxes, so the
/// expansion is separable: one sliding-window pass per axis, each O(map size) whatever
/// the block size. Few seeds are painted block by block instead, which costs about
/// p x map size (gamma shrinks as blocks grow), so that does not grow with the block
/// size either. One painter and one sliding window serve every axis.
struct MaskBuilder {
    /// A length per axis, `(D, H, W)`.
    typealias Extent = (d: Int, h: Int, w: Int)

    let size: Extent
    let window: Extent
    let lowOffset: Extent
    let mapSize: Int
    /// Whether a block, clipped to a 2D map, spans at most 128 bits in the map's flat order
    /// (its rows `size.w` apart) and its rows at most 64, so that `expandBits` builds it in a
    /// register.
    let blockFitsRegister: Bool
    /// That pattern for the largest block the map holds (the most rows, the longest run),
    /// when `blockFitsRegister`: most blocks are whole.
    let wholeBlockPattern: UInt128
    /// `wholeBlockPattern` as its low and high words, and its area.
    private let wholeHalves: (low: UInt64, high: UInt64), wholeArea: Int
    /// For `blockFitsRegister`: the largest `h - low` and `w - low` of a seed whose block lies
    /// wholly inside the map (most seeds), whose pattern is `wholeBlockPattern` without any
    /// clipping; nil when no block fits whole.
    private let interior: (h: UInt, w: UInt)?
    /// Rows of the largest block the map holds (slices times rows).
    let blockRows: Int
    /// 1 where a seed fell; all zero between maps (each expansion clears what it set).
    private let grid: UnsafeMutablePointer<UInt8>
    /// The W pass's output, then (3D) the H pass's.
    private let first: UnsafeMutablePointer<UInt8>, second: UnsafeMutablePointer<UInt8>
    /// 1 for rows `(d, h)` holding a seed (all zero between maps), then for slices (3D).
    private let rowHasSeed: UnsafeMutablePointer<UInt8>, sliceHasSeed: UnsafeMutablePointer<UInt8>
    /// A whole map of bytes for `expandBits`'s dense case, packed into bits afterwards.
    private let bytesOut: UnsafeMutablePointer<UInt8>
    /// The sliding window's running counts, one per unit of a slab.
    private let counts: UnsafeMutablePointer<Int32>

    /// Scratch one builder needs for maps of `geometry`: bytes (zeroed when allocated) and counts.
    static func scratchSize(for geometry: SeedGeometry) -> (bytes: Int, counts: Int) {
        let s = geometry.spatial, n = geometry.mapSize
        let (d, h, w) = s.count == 2 ? (1, s[0], s[1]) : (s[0], s[1], s[2])
        return (4 * n + d * h + d, h * w)
    }

    /// A builder over `bytes` and `counts`, sized by `scratchSize(for: geometry)`; the bytes
    /// must be zero the first time and are left zero where that matters after every map.
    init(geometry: SeedGeometry, bytes: UnsafeMutablePointer<UInt8>, counts: UnsafeMutablePointer<Int32>) {
        let s = geometry.spatial, k = geometry.window, lo = geometry.lowOffset
        if s.count == 2 {
            size = (1, s[0], s[1])
            window = (1, k[0], k[1])
            lowOffset = (0, lo[0], lo[1])
        } else {
            size = (s[0], s[1], s[2])
            window = (k[0], k[1], k[2])
            lowOffset = (lo[0], lo[1], lo[2])
        }
        mapSize = size.d * size.h * size.w
        let (rows, run) = (min(window.h, size.h), min(window.w, size.w))
        blockFitsRegister = size.d == 1 && run <= 64 && (rows - 1) * size.w + run <= 128
        wholeBlockPattern = blockFitsRegister ? Self.pattern(rows: rows, run: run, stride: size.w) : 0
        interior = window.h <= size.h && window.w <= size.w ? (UInt(size.h - window.h), UInt(size.w - window.w)) : nil
        wholeHalves = Self.halves(wholeBlockPattern)
        wholeArea = rows * run
        blockRows = min(window.d, size.d) * rows
        grid = bytes
        first = bytes + mapSize
        second = bytes + 2 * mapSize
        rowHasSeed = bytes + 3 * mapSize
        sliceHasSeed = rowHasSeed + size.d * size.h
        bytesOut = sliceHasSeed + size.d
        self.counts = counts
    }

    /// A zero byte per unit between maps, which the sampler may use for its seed marks
    /// before a map is expanded (`SeedSampler.draw`): the expansion's seed grid, which every
    /// expansion leaves zero, and which has room for any seed region.
    var seedMarks: UnsafeMutablePointer<UInt8> { grid }

    /// The flat index of `seed` in its map.
    @inline(__always)
    func index(of seed: SeedPosition) -> Int {
        (Int(seed.d) &* size.h &+ Int(seed.h)) &* size.w &+ Int(seed.w)
    }

    /// Whether the block of a seed at `seed` covers the whole map (the box clipped to the map
    /// is the map).
    func boxCoversMap(_ seed: SeedPosition) -> Bool {
        Int(seed.d) - lowOffset.d <= 0 && Int(seed.d) - lowOffset.d + window.d >= size.d
            && Int(seed.h) - lowOffset.h <= 0 && Int(seed.h) - lowOffset.h + window.h >= size.h
            && Int(seed.w) - lowOffset.w <= 0 && Int(seed.w) - lowOffset.w + window.w >= size.w
    }

    /// Writes the union of the blocks of `seeds` (1 = dropped) over the map at `dropped`;
    /// returns how many units that is. `clean` says the map there is already all zero.
    func expand(seeds: UnsafePointer<SeedPosition>, count: Int, into dropped: UnsafeMutablePointer<UInt8>, clean: Bool) -> Int {
        if count == 0 {
            // No seed, no block: the common case for small maps and small gamma.
            if !clean { dropped.update(repeating: 0, count: mapSize) }
            return 0
        }
        // Few seeds: paint each block. Blocks are counted clipped to the map, and the product
        // saturates: a block size of 100000 with thousands of seeds would overflow `Int` otherwise.
        let blockRows = min(window.d, size.d) * min(window.h, size.h)
        let paintCost = Self.saturatingProduct(Self.saturatingProduct(count, blockRows), max(min(window.w, size.w), 4))
        if paintCost <= mapSize || window == (1, 1, 1) {
            if !clean { dropped.update(repeating: 0, count: mapSize) }
            return Self.paint(seeds: seeds, count: count, into: dropped, size: size, window: window, low: lowOffset)
        }
        let (h, w) = (size.h, size.w)
        for s in 0..<count {
            let seed = seeds[s]
            grid[index(of: seed)] = 1
            rowHasSeed[Int(seed.d) &* h &+ Int(seed.h)] = 1
        }
        defer {
            for s in 0..<count {
                let seed = seeds[s]
                grid[index(of: seed)] = 0
                rowHasSeed[Int(seed.d) &* h &+ Int(seed.h)] = 0
            }
        }
        // W: along each row that has a seed. Rows without seeds are never read (the H pass
        // skips empty rows), so they are not even cleared. Few seeds: paint each seed's run
        // (cost seeds x block, which falls as blocks grow at fixed p); many: slide (cost W).
        let paintRows = Self.saturatingProduct(count, max(min(window.w, w), 16)) < mapSize
        for row in 0..<(size.d * h) where rowHasSeed[row] != 0 {
            if paintRows {
                (first + row * w).update(repeating: 0, count: w)
            } else {
                Self.slide(src: grid + row * w, dst: first + row * w, slabs: w, slabLength: 1,
                           window: window.w, low: lowOffset.w, counts: counts, nonEmpty: nil)
            }
        }
        if paintRows {
            Self.paint(seeds: seeds, count: count, into: first, size: size, window: (1, 1, window.w), low: (0, 0, lowOffset.w))
        }
        // H: rows are the slabs within each depth slice.
        let threeD = size.d > 1 || window.d > 1
        let hTarget = threeD ? second : dropped
        var droppedCount = 0
        for slice in 0..<size.d {
            droppedCount += Self.slide(src: first + slice * h * w, dst: hTarget + slice * h * w, slabs: h, slabLength: w,
                                       window: window.h, low: lowOffset.h, counts: counts, nonEmpty: rowHasSeed + slice * h)
        }
        // D: slices are the slabs (3D only).
        if threeD {
            for slice in 0..<size.d {
                var any: UInt8 = 0
                for row in 0..<h { any |= rowHasSeed[slice * h + row] }
                sliceHasSeed[slice] = any
            }
            droppedCount = Self.slide(src: second, dst: dropped, slabs: size.d, slabLength: h * w, window: window.d,
                                      low: lowOffset.d, counts: counts, nonEmpty: sliceHasSeed)
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

    /// The painter: sets every unit of each seed's box (`[i - low, i - low + window)` per
    /// axis, clipped to `size`) in the map at `dst`, which must be zero in those boxes'
    /// rows beforehand; returns how many units it set.
    @discardableResult @inline(__always)
    static func paint(seeds: UnsafePointer<SeedPosition>, count: Int, into dst: UnsafeMutablePointer<UInt8>,
                      size: Extent, window: Extent, low: Extent) -> Int {
        var set = 0
        for s in 0..<count {
            let (d0, d1, h0, h1, w0, w1) = box(of: seeds[s], size: size, window: window, low: low)
            guard d0 < d1, h0 < h1, w0 < w1 else { continue }
            if set == 0 {
                // Nothing painted yet: fill without counting, whole slices at once when the
                // box spans the rows (small maps, large blocks).
                let fullRows = w0 == 0 && w1 == size.w
                for dd in d0..<d1 {
                    let slice = dst + dd * size.h * size.w
                    if fullRows {
                        (slice + h0 * size.w).update(repeating: 1, count: (h1 - h0) * size.w)
                    } else {
                        for hh in h0..<h1 { (slice + hh * size.w + w0).update(repeating: 1, count: w1 - w0) }
                    }
                }
                set = (d1 - d0) * (h1 - h0) * (w1 - w0)
                continue
            }
            for dd in d0..<d1 {
                for hh in h0..<h1 {
                    let line = dst + (dd * size.h + hh) * size.w
                    for ww in w0..<w1 {
                        // Count only units not already covered by an earlier block.
                        set &+= 1 &- Int(line[ww])
                        line[ww] = 1
                    }
                }
            }
        }
        return set
    }

    /// The box a seed at `seed` drops, `[i - low, i - low + window)` per axis clipped to
    /// `size`, as `(d0, d1, h0, h1, w0, w1)`; empty on some axis when it misses the map.
    @inline(__always)
    static func box(of seed: SeedPosition, size: Extent, window: Extent, low: Extent)
        -> (d0: Int, d1: Int, h0: Int, h1: Int, w0: Int, w1: Int) {
        (max(0, Int(seed.d) - low.d), min(size.d, Int(seed.d) - low.d + window.d),
         max(0, Int(seed.h) - low.h), min(size.h, Int(seed.h) - low.h + window.h),
         max(0, Int(seed.w) - low.w), min(size.w, Int(seed.w) - low.w + window.w))
    }

    /// Writes the union of the blocks of `seeds` as bits (`MaskBits`) over the map at
    /// `words`; returns how many units that is. `clean` says those words are already zero.
    ///
    /// Few seeds: each block row is set as a run of bits. Many (more block rows than a
    /// quarter of the map's units): the byte kernel (`expand`) builds the map in scratch,
    /// then it is packed, so the cost stays O(map size) whatever the block size.
    func expandBits(seeds: UnsafePointer<SeedPosition>, count: Int, into words: UnsafeMutablePointer<UInt64>, clean: Bool) -> Int {
        let wordCount = MaskBits.wordsPerMap(mapSize)
        if Self.saturatingProduct(count, blockRows) > mapSize / 4 {
            let dropped = expand(seeds: seeds, count: count, into: bytesOut, clean: false)
            MaskBits.pack(bytesOut, count: mapSize, into: words)
            return dropped
        }
        if !clean { words.update(repeating: 0, count: wordCount) }
        if count == 0 { return 0 }
        let last = wordCount - 1
        var area = 0
        if blockFitsRegister {
            for s in 0..<count { area = paintBlock(seeds[s], words: words, last: last) }
            return count == 1 ? area : MaskBits.population(words, count: wordCount)
        }
        for s in 0..<count {
            let (d0, d1, h0, h1, w0, w1) = Self.box(of: seeds[s], size: size, window: window, low: lowOffset)
            guard d0 < d1, h0 < h1, w0 < w1 else { continue }
            area = (d1 - d0) * (h1 - h0) * (w1 - w0)
            let run = w1 &- w0
            guard run <= 64 else {
                for dd in d0..<d1 {
                    for hh in h0..<h1 { MaskBits.setRange(words, start: (dd &* size.h &+ hh) &* size.w &+ w0, count: run) }
                }
                continue
            }
            // One row's run as a word, written into the one or two words it straddles,
            // without a branch: a run that fits one word ORs 0 into the next (or, at the
            // map's end, into its own last word, so no other map's word is touched).
            let pattern = run == 64 ? ~UInt64(0) : (UInt64(1) &<< UInt64(run)) &- 1
            for dd in d0..<d1 {
                var start = (dd &* size.h &+ h0) &* size.w &+ w0
                for _ in h0..<h1 {
                    let word = start &>> 6, shift = UInt64(truncatingIfNeeded: start & 63)
                    words[word] |= pattern &<< shift
                    words[min(word &+ 1, last)] |= (pattern &>> 1) &>> (63 &- shift)
                    start &+= size.w
                }
            }
        }
        // One block: its clipped area, without counting.
        return count == 1 ? area : MaskBits.population(words, count: wordCount)
    }

    /// ORs the block of `seed` into the map's `words` (whose last is `last`), built in a
    /// register (`blockFitsRegister`); returns its area, clipped to the map.
    @inline(__always)
    func paintBlock(_ seed: SeedPosition, words: UnsafeMutablePointer<UInt64>, last: Int) -> Int {
        let top = Int(seed.h) &- lowOffset.h, left = Int(seed.w) &- lowOffset.w
        // A whole block (one test per axis, negatives wrapping high): no clipping.
        if let inside = interior, UInt(bitPattern: top) <= inside.h, UInt(bitPattern: left) <= inside.w {
            Self.or(wholeHalves, start: top &* size.w &+ left, words: words, last: last)
            return wholeArea
        }
        let (_, _, h0, h1, w0, w1) = Self.box(of: seed, size: size, window: window, low: lowOffset)
        guard h0 < h1, w0 < w1 else { return 0 }
        paintInRegister(rows: h1 &- h0, run: w1 &- w0, start: h0 &* size.w &+ w0, words: words, last: last)
        return (h1 - h0) * (w1 - w0)
    }

    /// ORs one block of a 2D map into `words`: `rows` rows of `run` units from unit `start`,
    /// built as one pattern of at most 128 bits (`blockFitsRegister`), then written as the
    /// three words it can straddle: three independent writes, where a row at a time would
    /// chain a read-modify-write of the same word per row. Writes past the map's `last` word
    /// are zero, and land in that last word.
    @inline(__always)
    func paintInRegister(rows: Int, run: Int, start: Int, words: UnsafeMutablePointer<UInt64>, last: Int) {
        let whole = rows == min(window.h, size.h) && run == min(window.w, size.w)
        Self.or(Self.halves(whole ? wholeBlockPattern : Self.pattern(rows: rows, run: run, stride: size.w)), start: start,
                words: words, last: last)
    }

    /// A pattern as its low and high 64 bits.
    @inline(__always)
    static func halves(_ pattern: UInt128) -> (low: UInt64, high: UInt64) {
        (UInt64(truncatingIfNeeded: pattern), UInt64(truncatingIfNeeded: pattern &>> 64))
    }

    /// ORs a pattern of at most 128 bits (`halves`) into `words` from bit `start`: the three
    /// words it can straddle, past the map's `last` word writing zeros into that word.
    @inline(__always)
    static func or(_ pattern: (low: UInt64, high: UInt64), start: Int, words: UnsafeMutablePointer<UInt64>, last: Int) {
        let (low, high) = pattern
        let word = start &>> 6, shift = UInt64(truncatingIfNeeded: start & 63)
        // `x >> 1 >> (63 - shift)` is `x >> (64 - shift)`, and 0 when shift is 0, without a branch.
        words[word] |= low &<< shift
        words[min(word &+ 1, last)] |= ((low &>> 1) &>> (63 &- shift)) | (high &<< shift)
        words[min(word &+ 2, last)] |= (high &>> 1) &>> (63 &- shift)
    }

    /// `rows` runs of `run` set bits, `stride` bits apart, from bit 0 (they must fit 128 bits).
    @inline(__always)
    static func pattern(rows: Int, run: Int, stride: Int) -> UInt128 {
        let row = UInt128(run == 64 ? ~UInt64(0) : (UInt64(1) &<< UInt64(run)) &- 1)
        var pattern: UInt128 = 0, offset = 0
        for _ in 0..<rows {
            pattern |= row &<< UInt128(offset)
            offset &+= stride
        }
        return pattern
    }

    /// The sliding window along one axis: slab `t` of `dst` is the union of slabs
    /// `[t + low - window + 1, t + low]` of `src` (slabs are units of a row, rows of a slice,
    /// or slices of a volume), vectorised across each slab. Slabs that `nonEmpty` marks 0 are
    /// all zero and never read (nil: none is empty); windows holding none are written as
    /// zeros. Returns how many units it set.
    @discardableResult @inline(__always)
    static func slide(src: UnsafePointer<UInt8>, dst: UnsafeMutablePointer<UInt8>, slabs: Int, slabLength: Int, window: Int,
                      low: Int, counts: UnsafeMutablePointer<Int32>, nonEmpty: UnsafePointer<UInt8>?) -> Int {
        var total = 0, active = 0
        counts.update(repeating: 0, count: slabLength)
        @inline(__always) func add(_ slab: Int, _ sign: Int32) {
            if let nonEmpty, nonEmpty[slab] == 0 { return }
            active &+= Int(sign)
            let row = src + slab &* slabLength
            for i in 0..<slabLength { counts[i] &+= sign &* Int32(row[i]) }
        }
        for j in 0...min(low, slabs - 1) { add(j, 1) }
        for t in 0..<slabs {
            let out = dst + t &* slabLength
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
                total &+= set
            }
            let added = t &+ 1 &+ low
            if added < slabs { add(added, 1) }
            let removed = t &+ low &- window &+ 1
            if removed >= 0 && removed < slabs { add(removed, -1) }
        }
        return total
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
