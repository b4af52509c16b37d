import CMaskKernels

/// Per-channel masks as bits: one bit per unit (1 = dropped), in the map's flat order, each
/// map starting on a fresh 64-bit word.
///
/// Per-channel passes keep their masks this way when maps have `minimumMapSize` units or more
/// (`DropBlockWorkspace` turns them into bytes only when asked). A mask is a quarter of a float32 input as bytes, a thirty-second as
/// bits, so it stays in cache beside the input; a block's row is one or two word writes, a
/// map's count a popcount per word, and the multiply takes eight multipliers per eight bits
/// from a 256-entry table, as cheap per unit as a multiply by a scalar.
/// (Measured against the byte mask, in place, one thread, torchvision, same run: r50-g2
/// 0.53-0.57x the floor to 0.71-0.74x, the small case 8% faster, r50-g3 and r50-g4 within
/// the noise; the mask of r50-g2 is 3.2 MB instead of 25.7 MB.)
enum MaskBits {
    /// The smallest map kept as bits. Each map starts on a fresh word, so a map of `m` units
    /// takes `8 * ceil(m / 64)` bytes as bits against `m` as bytes: from 16 units on, bits take
    /// at most half as much (a thirty-second of a float32 input for large maps, a sixteenth
    /// at 64 units); a 1x1 map would take eight times as much.
    static let minimumMapSize = 16

    /// Words per map of `mapSize` units.
    @inline(__always)
    static func wordsPerMap(_ mapSize: Int) -> Int {
        (mapSize + 63) >> 6
    }

    /// Sets bits `start ..< start + count` of `words`.
    @inline(__always)
    static func setRange(_ words: UnsafeMutablePointer<UInt64>, start: Int, count: Int) {
        var start = start, remaining = count
        while remaining > 0 {
            let offset = start & 63, run = min(remaining, 64 - offset)
            // `run` bits from `offset`: a full word when run is 64 (a shift by 64 would trap).
            let bits = run == 64 ? ~UInt64(0) : ((UInt64(1) << UInt64(run)) &- 1) << UInt64(offset)
            words[start >> 6] |= bits
            start &+= run
            remaining &-= run
        }
    }

    /// The number of set bits in `count` words. With `wide` (the default where the CPU has
    /// POPCNT: `hasPopcnt`), by that instruction (`CMaskKernels`): Swift compiles for baseline
    /// x86-64, where `nonzeroBitCount` is a dozen SSE2 steps a word (measured on the small
    /// case, in place: 0.147 to 0.140 ms, its masks' counts being a tenth of their build).
    @inline(__always)
    static func population(_ words: UnsafePointer<UInt64>, count: Int, wide: Bool = hasPopcnt) -> Int {
        if wide { return Int(dropblock_population_popcnt(words, Int64(count))) }
        var total = 0
        for i in 0..<count { total &+= words[i].nonzeroBitCount }
        return total
    }

    /// Packs `count` mask bytes (0 or 1) into `words`, overwriting every word they touch.
    static func pack(_ bytes: UnsafePointer<UInt8>, count: Int, into words: UnsafeMutablePointer<UInt64>) {
        for word in 0..<wordsPerMap(count) {
            let base = word << 6, end = min(64, count - base)
            var bits: UInt64 = 0
            for j in 0..<end { bits |= UInt64(bytes[base &+ j] & 1) << UInt64(j) }
            words[word] = bits
        }
    }

    /// Writes `count` mask bytes (0 or 1) from the bits in `words`.
    static func unpack(_ words: UnsafePointer<UInt64>, count: Int, into bytes: UnsafeMutablePointer<UInt8>) {
        for i in 0..<count { bytes[i] = UInt8(truncatingIfNeeded: (words[i >> 6] >> UInt64(i & 63)) & 1) }
    }

    /// The multipliers of eight units by their eight mask bits: entry `n`'s lane `j` is 0 when
    /// bit `j` of `n` is set (dropped), else `scale`; eight floats an entry, in storage the
    /// caller owns (a worker's slot of the workspace, or the mask's own), so a pass allocates
    /// nothing (8 KB on the stack went to the heap, as `withUnsafeTemporaryAllocation` does
    /// above 1 KB).
    /// (Eight bits a lookup, 8 KB that stay in L1, against four bits from a 256-byte table:
    /// half the loop's steps for the same loads of `x`. In place, one thread, five interleaved
    /// bench runs: r50-g2 0.69-0.70x the floor to 0.81-0.83x, small 0.22x to 0.26x.)
    struct FactorTable {
        /// The floats the table takes: eight for each of 256 entries.
        static let floats = 2048
        /// The first entry; entries are 32 bytes apart.
        let base: UnsafeRawPointer
        let scale: Float

        /// Fills `storage` (room for `floats`) for `scale`.
        init(storage: UnsafeMutablePointer<Float>, scale: Float) {
            for n in 0..<256 {
                for j in 0..<8 { storage[8 &* n &+ j] = n >> j & 1 == 1 ? 0 : scale }
            }
            base = UnsafeRawPointer(storage)
            self.scale = scale
        }

        /// The table already in `storage`, filled for `scale`.
        init(filled storage: UnsafePointer<Float>, scale: Float) {
            base = UnsafeRawPointer(storage)
            self.scale = scale
        }
    }

    /// `out = x * (dropped ? 0 : scale)` over units `units` of one map whose bits are `words`;
    /// `x` and `out` (which may be the same) point at the range's first unit. The same
    /// products as the byte mask's multiply, eight units per step from the first unit that is
    /// a multiple of eight (a stream's chunk may start and end anywhere in a map).
    ///
    /// With `wide` (the default where the CPU has AVX2: `hasAVX2`), the whole groups of eight
    /// go through the AVX2 kernel (`CMaskKernels`), eight units a multiply instead of four,
    /// with half the instructions (measured in place: r50-g2 from 0.77x the floor to
    /// 0.82-0.83x; the small case, in L2, unchanged within the noise).
    @inline(__always)
    static func multiply(x: UnsafePointer<Float>, words: UnsafePointer<UInt64>, units: Range<Int>, table: FactorTable,
                         out: UnsafeMutablePointer<Float>, wide: Bool = hasAVX2) {
        let entries = table.base, scale = table.scale, base = units.lowerBound, end = units.upperBound
        @inline(__always) func single(_ unit: Int) {
            let dropped = (words[unit >> 6] >> UInt64(unit & 63)) & 1
            out[unit &- base] = x[unit &- base] * (dropped == 0 ? scale : 0)
        }
        var unit = base
        while unit < end && unit & 7 != 0 {
            single(unit)
            unit &+= 1
        }
        let groupsEnd = max(unit, end & ~7)
        if wide && unit < groupsEnd {
            dropblock_multiply_bits_avx2(x + (unit &- base), words, Int64(unit), Int64(groupsEnd &- unit),
                                         entries.assumingMemoryBound(to: Float.self), out + (unit &- base))
            unit = groupsEnd
        }
        while unit < groupsEnd {
            // Eight groups of eight per word; the first and last word of a range may hold fewer.
            var bits = words[unit >> 6] >> UInt64(unit & 63)
            let wordEnd = min(groupsEnd, (unit | 63) &+ 1)
            while unit < wordEnd {
                let entry = entries + Int(truncatingIfNeeded: bits & 255) &<< 5
                let source = UnsafeRawPointer(x + (unit &- base)), target = UnsafeMutableRawPointer(out + (unit &- base))
                let low = source.loadUnaligned(as: SIMD4<Float>.self) * entry.loadUnaligned(as: SIMD4<Float>.self)
                let high = source.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
                    * entry.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
                target.storeBytes(of: low, as: SIMD4<Float>.self)
                target.storeBytes(of: high, toByteOffset: 16, as: SIMD4<Float>.self)
                bits >>= 8
                unit &+= 8
            }
        }
        while unit < end {
            single(unit)
            unit &+= 1
        }
    }

    /// Whether this CPU runs the AVX2 kernel (checked once).
    static let hasAVX2 = dropblock_have_avx2() != 0
    /// Whether this CPU counts bits with POPCNT (`population`), asked once.
    static let hasPopcnt = dropblock_have_popcnt() != 0

    /// Whether unit `unit` of the map whose bits are `words` is dropped.
    @inline(__always)
    static func isDropped(_ words: UnsafePointer<UInt64>, unit: Int) -> Bool {
        (words[unit >> 6] >> UInt64(unit & 63)) & 1 == 1
    }
}
