/// Reusable scratch memory for repeated forward passes.
///
/// Pass the same workspace to every call (training loops, benchmarks): once it has seen
/// the largest shape, a forward pass allocates nothing. It also holds the last pass's
/// mask, shape `(N, 1 or C, *spatial)`: one byte per unit for shared masks, one bit per unit
/// for per-channel ones of maps of 16 units or more (`droppedMask` gives bytes either way).
public struct DropBlockWorkspace: Sendable {
    /// 1 where the last pass dropped a unit, one byte per unit.
    ///
    /// Per-channel masks of maps of 16 units or more are kept as bits (`MaskBits`): reading
    /// this builds the bytes (and allocates); others are returned as they are.
    public var droppedMask: [UInt8] {
        guard bitsHoldMask else { return maskBytes }
        // The mask's own shape says how big a map is: `(N, C, *spatial)`.
        let count = maskShape.reduce(1, *), mapSize = maskShape.dropFirst(2).reduce(1, *)
        guard count > 0, mapSize > 0 else { return [] }
        let wordsPerMap = MaskBits.wordsPerMap(mapSize)
        return [UInt8](unsafeUninitializedCapacity: count) { bytes, initialized in
            maskBits.withUnsafeBufferPointer { words in
                guard let target = bytes.baseAddress, let source = words.baseAddress else { return }
                for map in 0..<(count / mapSize) {
                    MaskBits.unpack(source + map * wordsPerMap, count: mapSize, into: target + map * mapSize)
                }
                initialized = count
            }
        }
    }
    /// The dropped units of map `map` (of `mapSize` units) in the last pass's mask, counted
    /// where the mask is kept, bits or bytes, without building `droppedMask`.
    func droppedCount(map: Int, mapSize: Int) -> Int {
        if bitsHoldMask {
            let words = MaskBits.wordsPerMap(mapSize)
            return maskBits.withUnsafeBufferPointer { bits in
                bits.baseAddress.map { MaskBits.population($0 + map * words, count: words) } ?? 0
            }
        }
        return maskBytes.withUnsafeBufferPointer { bytes in
            var dropped = 0
            for i in (map * mapSize)..<((map + 1) * mapSize) { dropped &+= Int(bytes[i]) }
            return dropped
        }
    }

    /// The last pass's mask as bytes, when it is kept as bytes (`bitsHoldMask` false).
    var maskBytes: [UInt8] = []
    /// The last pass's mask as bits (`MaskBits`), per map, when `bitsHoldMask`.
    var maskBits: [UInt64] = []
    /// Whether the mask is kept as bits (`keepsBits`).
    var bitsHoldMask = false
    /// The mask's shape `(N, 1 or C, *spatial)`.
    public internal(set) var maskShape: [Int] = []
    /// The least work (tensor elements) worth a thread of its own: passes run
    /// `min(threads, maps, elements / minimumUnitsPerWorker)` workers, at least one.
    /// The default, 262144, suits real tensors; tests lower it to run several workers on
    /// small ones. Results do not depend on it.
    public var minimumUnitsPerWorker: Int = ForwardOptions.defaultMinimumUnitsPerWorker
    /// Per map, a `MapDrops` state of its part of `droppedMask` (`none`: all zero, `all`: all
    /// one, `some`: anything), so that maps with no seed in two passes running cost nothing
    /// to clear and whole-map drops are neither repainted nor multiplied through the mask.
    var mapHasDrop: [UInt8] = []
    /// Per worker, a `MaskBuilder`'s scratch (zero where it must be) and its window counts.
    var builderBytes: [UInt8] = []
    var builderCounts: [Int32] = []
    /// Per worker, room for one map's seed list (`seedListStride` seeds each).
    var seedLists: [SeedPosition] = []
    var seedListStride = 0
    var builderGeometry: SeedGeometry?
    var builderWorkers = 0
    /// Per worker, dropped units then seeds (two per worker).
    var tallies: [Int] = []
    /// Per worker, a tile of multipliers (0 or scale): copies of one shared map.
    var factors: [Float] = []

    /// The sparse sampler's seed-count table (`SeedCounts`), and the seed region size, gamma
    /// and first count it was filled for: filled once per plan, not per pass.
    var seedCountTable: [Double] = []
    var seedCountsFor: (total: Int, gamma: Double, first: Int, last: Int)?

    /// The last plan made here, reused while the parameters and shape stay the same.
    var cachedPlan: DropPlan?

    /// An empty workspace; the first pass sizes it.
    public init() {}

    /// The plan for `shape`: the cached one when nothing changed (no allocation, and no
    /// repeated gamma calibration), else a new one, cached.
    mutating func plan(parameters: DropBlockParameters, shape: [Int], spatialRank: Int) throws(DropBlockError) -> DropPlan {
        if let cachedPlan, cachedPlan.parameters == parameters, cachedPlan.shape == shape, cachedPlan.spatial.count == spatialRank {
            return cachedPlan
        }
        let plan = try DropPlan(parameters: parameters, shape: shape, spatialRank: spatialRank)
        cachedPlan = plan
        return plan
    }

    /// Makes room for `plan` with `workers` threads, keeping what is already big enough;
    /// `replaysNoise` for a pass that reads its seeds from a recorded draw.
    mutating func prepare(plan: DropPlan, geometry: SeedGeometry, workers: Int, replaysNoise: Bool) {
        let maps = plan.batch * plan.maskChannels
        let count = maps * geometry.mapSize
        let bits = Self.keepsBits(plan)
        if bits {
            let words = maps * MaskBits.wordsPerMap(geometry.mapSize)
            // Flags describe the old bits only for the same maps of the same size.
            if maskBits.count != words || !bitsHoldMask || mapHasDrop.count != maps || builderGeometry?.mapSize != geometry.mapSize {
                maskBits = [UInt64](repeating: 0, count: words)
                mapHasDrop = [UInt8](repeating: MapDrops.none, count: maps)
            }
            maskBytes = []
        } else if maskBytes.count != count || bitsHoldMask {
            maskBytes = [UInt8](repeating: 0, count: count)
            mapHasDrop = [UInt8](repeating: MapDrops.none, count: maps)
            maskBits = []
        } else if mapHasDrop.count != maps {
            // Same size, other maps: nothing is known about any of them.
            mapHasDrop = [UInt8](repeating: MapDrops.some, count: maps)
        }
        bitsHoldMask = bits
        maskShape = plan.maskShape
        prepareSeedCounts(total: geometry.seedRegionSize, gamma: plan.gamma)
        // The table just made (or kept) gives the seed list's size without another walk.
        let seeds = Self.seedCapacity(total: geometry.seedRegionSize, largestCount: replaysNoise ? nil : seedCountsFor?.last)
        let scratch = Self.scratch(for: geometry, seeds: seeds)
        let builderChanged = builderGeometry != geometry || builderWorkers < workers
        if builderChanged {
            builderBytes = [UInt8](repeating: 0, count: workers * scratch.bytes)
            builderCounts = [Int32](repeating: 0, count: workers * scratch.counts)
            builderGeometry = geometry
            builderWorkers = workers
        }
        if builderChanged || seedLists.count < workers * scratch.seeds {
            seedLists = [SeedPosition](repeating: SeedPosition(d: 0, h: 0, w: 0), count: workers * scratch.seeds)
        }
        seedListStride = scratch.seeds
        if factors.count < workers * scratch.factors {
            factors = [Float](repeating: 0, count: workers * scratch.factors)
        }
        if tallies.count < 2 * workers {
            tallies = [Int](repeating: 0, count: 2 * workers)
        }
    }

    /// The bytes of the seed-count table for `total` positions at `gamma` (0 when the pass
    /// draws no counts).
    static func seedCountBytes(total: Int, gamma: Double) -> Int {
        guard SeedSampler.drawsCounts(gamma: gamma), total > 0 else { return 0 }
        return SeedCounts.span(total: total, gamma: gamma).entries * MemoryLayout<Double>.stride
    }

    /// Fills the seed-count table for `total` positions at `gamma` unless it already holds it
    /// (or clears it when the pass draws no counts).
    mutating func prepareSeedCounts(total: Int, gamma: Double) {
        guard SeedSampler.drawsCounts(gamma: gamma), total > 0 else {
            seedCountsFor = nil
            return
        }
        if let done = seedCountsFor, done.total == total, done.gamma == gamma { return }
        let entries = SeedCounts.span(total: total, gamma: gamma).entries
        if seedCountTable.count < entries { seedCountTable = [Double](repeating: 0, count: entries) }
        let first = seedCountTable.withUnsafeMutableBufferPointer { table in
            table.baseAddress.map { SeedCounts(filling: $0, total: total, gamma: gamma).first } ?? 0
        }
        seedCountsFor = (total, gamma, first, first + entries - 1)
    }

    /// Each worker's scratch for maps of `geometry`, in elements: the builder's bytes and
    /// counts (`Int32`), a seed list of `seeds` (`seedCapacity`), and the multiply's factors
    /// (`Float`: the shared masks' tile, or the per-channel table). `prepare` allocates it;
    /// `DropBlockMask.buildBytes` counts it.
    static func scratch(for geometry: SeedGeometry, seeds: Int) -> (bytes: Int, counts: Int, seeds: Int, factors: Int) {
        let builder = MaskBuilder.scratchSize(for: geometry)
        return (builder.bytes, builder.counts, seeds, DropBlockEngine.factorSlot(mapSize: geometry.mapSize))
    }

    /// The most seeds one map can get in a pass: every allowed position, except where the
    /// sparse sampler draws each map's count from its table (a drawn mask, not a replayed
    /// one), whose largest count bounds it. (A 4000x4000 map at gamma 0.002 needs room for
    /// about 33,000 seeds, where every position took 192 MB.)
    static func seedCapacity(geometry: SeedGeometry, gamma: Double, replaysNoise: Bool) -> Int {
        let total = geometry.seedRegionSize
        guard !replaysNoise, SeedSampler.drawsCounts(gamma: gamma), total > 0 else { return seedCapacity(total: total, largestCount: nil) }
        let span = SeedCounts.span(total: total, gamma: gamma)
        return seedCapacity(total: total, largestCount: span.first + span.entries - 1)
    }

    /// `seedCapacity` for `total` positions, given the count table's largest count when the
    /// pass draws its counts (nil: every position).
    static func seedCapacity(total: Int, largestCount: Int?) -> Int {
        max(1, min(total, largestCount ?? total))
    }

    /// Whether `plan`'s masks are kept as bits: per-channel ones of maps of at least
    /// `MaskBits.minimumMapSize` units, except when timm's noise fill reads the mask as bytes.
    static func keepsBits(_ plan: DropPlan) -> Bool {
        plan.maskChannels > 1 && !plan.fillsDroppedWithNoise && plan.spatial.reduce(1, *) >= MaskBits.minimumMapSize
    }

    /// Runs `body` with raw pointers to the pass's buffers (all sized by `prepare`).
    mutating func withPassBuffers<R>(_ body: (PassBuffers) -> R) -> R {
        let bits = bitsHoldMask
        return maskBytes.withUnsafeMutableBufferPointer { mask in
            maskBits.withUnsafeMutableBufferPointer { words in
                mapHasDrop.withUnsafeMutableBufferPointer { flags in
                    builderBytes.withUnsafeMutableBufferPointer { bytes in
                        builderCounts.withUnsafeMutableBufferPointer { counts in
                            seedLists.withUnsafeMutableBufferPointer { lists in
                                tallies.withUnsafeMutableBufferPointer { tallies in
                                    factors.withUnsafeMutableBufferPointer { factors in
                                        seedCountTable.withUnsafeBufferPointer { table in
                                            let seedCounts = seedCountsFor.flatMap { done in
                                                table.baseAddress.map { SeedCounts(filled: $0, first: done.first) }
                                            }
                                            return body(PassBuffers(mask: mask, bits: bits ? words : nil, mapHasDrop: flags,
                                                                    builderBytes: bytes, builderCounts: counts, seedLists: lists,
                                                                    seedListStride: seedListStride, tallies: tallies,
                                                                    factors: factors, seedCounts: seedCounts))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The last pass's keep mask as 0/1 floats (allocates; for results and files).
    public func keepMask() -> Tensor {
        let dropped = droppedMask
        let keep = [Float](unsafeUninitializedCapacity: dropped.count) { buffer, initialized in
            dropped.withUnsafeBufferPointer { dropped in
                for i in dropped.indices { buffer[i] = dropped[i] == 0 ? 1 : 0 }
            }
            initialized = dropped.count
        }
        return Tensor(validShape: maskShape, storage: keep)
    }
}
