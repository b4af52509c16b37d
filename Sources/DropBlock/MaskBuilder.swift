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
        first = [UInt8](repeating: 0, count: n)
        second = [UInt8](repeating: 0, count: n)
        counts = [Int32](repeating: 0, count: height * width)
    }

    private mutating func clearSeeds() {
        seeds.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        rowHasSeed.withUnsafeMutableBufferPointer { $0.update(repeating: false) }
    }

    @inline(__always)
    private mutating func markSeed(d: Int, h: Int, w: Int) {
        seeds[(d * height + h) * width + w] = 1
        rowHasSeed[d * height + h] = true
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
    /// number of seeds rather than the map size; the distribution is the same.
    mutating func seed(generator: inout SeededGenerator, gamma: Double) -> Int {
        clearSeeds()
        let rd = region.d.count, rh = region.h.count, rw = region.w.count
        let total = rd * rh * rw
        guard gamma > 0, total > 0 else { return 0 }
        var count = 0
        func place(_ position: Int) {
            let w = position % rw, rest = position / rw
            let h = rest % rh, d = rest / rh
            markSeed(d: region.d.lowerBound + d, h: region.h.lowerBound + h, w: region.w.lowerBound + w)
        }
        if gamma >= 1 {
            for position in 0..<total { place(position) }
            return total
        }
        if gamma > 0.1 {
            for position in 0..<total where Double(generator.next() >> 11) * 0x1p-53 < gamma {
                place(position)
                count += 1
            }
            return count
        }
        let logKeep = log1p(-gamma)
        var position = 0
        while true {
            let gap = (log(generator.nextOpenUnitDouble()) / logKeep).rounded(.down)
            guard gap < Double(total - position) else { break }
            position += Int(gap)
            place(position)
            count += 1
            position += 1
        }
        return count
    }

    /// Expands the current seeds into blocks and writes the 0/1 keep mask; returns the dropped count.
    mutating func expand(into keep: UnsafeMutablePointer<Float>) -> Int {
        let (d, h, w) = (depth, height, width)
        let n = mapSize
        var dropped = 0
        let rowHasSeed = self.rowHasSeed
        seeds.withUnsafeBufferPointer { seedBuffer in
            first.withUnsafeMutableBufferPointer { a in
                second.withUnsafeMutableBufferPointer { b in
                    counts.withUnsafeMutableBufferPointer { c in
                        guard let seedBase = seedBuffer.baseAddress, let aBase = a.baseAddress,
                              let bBase = b.baseAddress, let cBase = c.baseAddress else { return }
                        // W: along each row that has a seed; other rows stay empty.
                        for row in 0..<(d * h) {
                            let dst = aBase + row * w
                            if rowHasSeed[row] {
                                MaskBuilder.slideRow(src: seedBase + row * w, dst: dst, length: w, window: window.w, low: lowOffset.w)
                            } else {
                                dst.update(repeating: 0, count: w)
                            }
                        }
                        // H: rows are the sliding unit within each depth slice.
                        for slice in 0..<d {
                            MaskBuilder.slideSlabs(
                                src: aBase + slice * h * w, dst: bBase + slice * h * w, slabs: h, slabLength: w,
                                window: window.h, low: lowOffset.h, counts: cBase,
                                nonEmpty: { rowHasSeed[slice * h + $0] })
                        }
                        var result = UnsafePointer(bBase)
                        // D: slices are the sliding unit (3D only).
                        if d > 1 || window.d > 1 {
                            let hw = h * w
                            var sliceHasSeed = [Bool](repeating: false, count: d)
                            for slice in 0..<d { sliceHasSeed[slice] = rowHasSeed[(slice * h)..<((slice + 1) * h)].contains(true) }
                            MaskBuilder.slideSlabs(
                                src: bBase, dst: aBase, slabs: d, slabLength: hw, window: window.d, low: lowOffset.d,
                                counts: cBase, nonEmpty: { sliceHasSeed[$0] })
                            result = UnsafePointer(aBase)
                        }
                        var droppedCount = 0
                        for i in 0..<n {
                            let bit = result[i]
                            droppedCount &+= Int(bit)
                            keep[i] = Float(1 &- bit)
                        }
                        dropped = droppedCount
                    }
                }
            }
        }
        return dropped
    }

    /// `dst[t] = 1` if any `src[j]` with `j` in `[t + low - window + 1, t + low]` is set.
    @inline(__always)
    static func slideRow(src: UnsafePointer<UInt8>, dst: UnsafeMutablePointer<UInt8>, length: Int, window: Int, low: Int) {
        var count = 0
        for j in 0...min(low, length - 1) { count += Int(src[j]) }
        for t in 0..<length {
            dst[t] = count > 0 ? 1 : 0
            let added = t + 1 + low
            if added < length { count += Int(src[added]) }
            let removed = t + low - window + 1
            if removed >= 0 && removed < length { count -= Int(src[removed]) }
        }
    }

    /// The same sliding window over whole slabs (rows of a slice, or slices of a volume),
    /// vectorised across each slab; windows holding no non-empty slab are written as zeros.
    static func slideSlabs(
        src: UnsafePointer<UInt8>, dst: UnsafeMutablePointer<UInt8>, slabs: Int, slabLength: Int,
        window: Int, low: Int, counts: UnsafeMutablePointer<Int32>, nonEmpty: (Int) -> Bool
    ) {
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
                for i in 0..<slabLength { out[i] = counts[i] > 0 ? 1 : 0 }
            }
            let added = t + 1 + low
            if added < slabs { add(added) }
            let removed = t + low - window + 1
            if removed >= 0 && removed < slabs { remove(removed) }
        }
    }
}

/// How a uniform draw `u` becomes a seed.
enum SeedRule: Sendable {
    /// PyTorch presets: `u < gamma`, compared in float32.
    case lessThan(Float)
    /// The TensorFlow reference keeps where `float32(1 - gamma) + u >= 1`.
    case tensorFlow(keepBias: Float)

    init(preset: Preset, gamma: Double) {
        switch preset {
        case .tf: self = .tensorFlow(keepBias: Float(1 - gamma))
        default: self = .lessThan(Float(gamma))
        }
    }

    @inline(__always)
    func isSeed(_ u: Float) -> Bool {
        switch self {
        case .lessThan(let gamma): return u < gamma
        case .tensorFlow(let bias): return !(bias + u >= 1)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
