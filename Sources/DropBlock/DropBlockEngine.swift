/// The forward pass: seeds, block expansion, rescaling. Works in place when `input`
/// and `output` are the same buffer.
enum DropBlockEngine {
    /// Below this many units per worker, more threads cost more than they save. Passes read
    /// it from `ForwardOptions` or `DropBlockWorkspace` (tests lower it to run several workers
    /// on small tensors). (Measured with two cores, `bench --threads 2`: since `WorkerPool`
    /// spins instead of sleeping between a forward pass's two jobs, the small case, 512K units,
    /// runs every preset at 1.9-2.0x its one-thread speed with two workers; at 512K per worker
    /// it had one. A pass after an idle millisecond, when the helper sleeps and must be woken,
    /// gains nothing there and costs shared presets up to a tenth.)
    static let defaultUnitsPerWorker = 1 << 18

    /// Workers for a pass: at most one per map and one per `unitsPerWorker` units.
    static func workers(requested: Int, maps: Int, units: Int, unitsPerWorker: Int) -> Int {
        max(1, min(requested, maps, units / max(1, unitsPerWorker)))
    }

    /// Runs `job` for every worker `i` in `0..<workers` on `WorkerPool.shared`, this
    /// thread being worker 0; returns when all have finished. Allocates nothing: the job is
    /// a value handed over by address, not a closure.
    static func parallel<Job: PassJob>(_ workers: Int, _ job: Job) {
        guard workers > 1 else {
            job.run(worker: 0)
            return
        }
        withUnsafePointer(to: job) { WorkerPool.shared.run(workers: workers, context: UnsafeRawPointer($0), body: Job.body) }
    }

    /// Runs the pass from `input` into `output` (which may alias it), both of `plan.shape`.
    ///
    /// The callers pass `Tensor` buffers whose shape made the plan, so the counts agree by
    /// `Tensor`'s invariant; a plan never has an empty dimension, so neither buffer is empty.
    static func run(
        input inputBuffer: UnsafeBufferPointer<Float>, output outputBuffer: UnsafeMutableBufferPointer<Float>, plan: DropPlan,
        source: SeedSource, fill: GaussianFill, threads: Int, workspace: inout DropBlockWorkspace,
        seedRecord: UnsafeMutablePointer<Float>? = nil
    ) -> DropBlockSummary {
        let count = plan.shape.reduce(1, *)
        precondition(inputBuffer.count == count && outputBuffer.count == count, "buffers disagree with the plan's shape")
        guard let input = inputBuffer.baseAddress, let output = outputBuffer.baseAddress else {
            // Unreachable through the public API (empty dimensions are rejected); nothing to do.
            return DropBlockSummary.identity
        }
        guard let geometry = plan.geometry else {
            if UnsafePointer(output) != input { output.update(from: input, count: count) }
            workspace.maskShape = plan.maskShape
            // Nothing dropped; reuse the buffer when it already has the size.
            let maskCount = plan.maskShape.reduce(1, *)
            workspace.bitsHoldMask = false
            if workspace.maskBytes.count == maskCount {
                workspace.maskBytes.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            } else {
                workspace.maskBytes = [UInt8](repeating: 0, count: maskCount)
            }
            return DropBlockSummary.identity
        }
        let params = plan.parameters
        let mapSize = geometry.mapSize
        let maps = plan.batch * plan.maskChannels
        let maskCount = maps * mapSize
        let workerCount = workers(requested: threads, maps: maps, units: count, unitsPerWorker: workspace.minimumUnitsPerWorker)
        workspace.prepare(plan: plan, geometry: geometry, workers: workerCount, replaysNoise: source.replaysNoise)
        let (dropped, seeds) = buildMasks(plan: plan, geometry: geometry, source: source, workers: workerCount,
                                          workspace: &workspace, seedRecord: seedRecord)
        let kept = maskCount - dropped
        let (scale, nanInReference) = rescale(params: params, kept: kept, count: maskCount)
        if plan.fillsDroppedWithNoise {
            fillWithNoise(input: input, output: output, dropped: workspace.maskBytes, plan: plan, fill: fill)
        } else {
            workspace.withPassBuffers { buffers in
                apply(input: input, output: output, buffers: buffers, scale: scale, plan: plan, workers: workerCount)
            }
        }
        return DropBlockSummary(
            gamma: plan.gamma, scale: scale, droppedFraction: maskCount > 0 ? Double(dropped) / Double(maskCount) : 0,
            seedCount: seeds, everythingDropped: kept == 0, referenceReturnsNaN: nanInReference, isIdentity: false,
            calibration: plan.calibration, workers: workerCount)
    }

    /// Seeds and expands every mask (a `MaskPass` over `workers`); returns (dropped units, seeds).
    static func buildMasks(
        plan: DropPlan, geometry: SeedGeometry, source: SeedSource, workers: Int,
        workspace: inout DropBlockWorkspace, seedRecord: UnsafeMutablePointer<Float>?
    ) -> (Int, Int) {
        let noiseStorage: [Float]
        if case .noise(let noise) = source { noiseStorage = noise.storage } else { noiseStorage = [] }
        let rule = plan.seedRule
        workspace.withPassBuffers { buffers in
            noiseStorage.withUnsafeBufferPointer { noise in
                let pass = MaskPass(
                    geometry: geometry, sampler: SeedSampler(geometry: geometry, gamma: plan.gamma, counts: buffers.seedCounts), source: source, rule: rule,
                    buffers: buffers, noise: noise.baseAddress, noisePerMap: plan.noiseShape.suffix(plan.spatial.count).reduce(1, *),
                    coversRegion: plan.noiseCoversSeedRegionOnly, record: seedRecord, maps: plan.batch * plan.maskChannels,
                    maskChannels: plan.maskChannels, workers: workers)
                parallel(workers, pass)
            }
        }
        var dropped = 0, seeds = 0
        for worker in 0..<workers {
            dropped += workspace.tallies[2 * worker]
            seeds += workspace.tallies[2 * worker + 1]
        }
        return (dropped, seeds)
    }

    /// The preset's rescaling factor, in float32 as the reference computes it (see
    /// `PresetRules.rescale`). Returns 0 and flags it where the reference divides by zero.
    static func rescale(params: DropBlockParameters, kept: Int, count: Int) -> (Float, Bool) {
        let outcome = params.preset.rules.rescale(kept: kept, count: count, parameters: params)
        return (outcome.scale, outcome.referenceReturnsNaN)
    }

    /// `output = input * keep * scale`, the mask broadcast over channels when shared.
    ///
    /// Per-channel masks (bits) go through `applyPerChannel`, shared ones (bytes) through
    /// `applyShared`, a sample at a time; each worker takes a contiguous share of the planes.
    static func apply(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, buffers: PassBuffers,
                      scale: Float, plan: DropPlan, workers: Int) {
        let pass = MultiplyPass(
            input: UnsafeMutablePointer(mutating: input), output: output, buffers: buffers, scale: scale,
            mapSize: plan.spatial.reduce(1, *), channels: plan.channels, maskChannels: plan.maskChannels,
            planes: plan.batch * plan.channels, workers: workers)
        parallel(workers, pass)
    }

    /// Applies per-channel masks (one map per plane) to `planes`: in runs of maps in the same
    /// `MapDrops` state, a run without drops one multiply by the scale, a run of wholly
    /// dropped maps one by zero, other maps from their bits eight units at a time (or, for
    /// maps too small for bits, a run selecting from its mask bytes). `table` is the worker's
    /// room for the bits' `MaskBits.FactorTable`, filled at the first map that needs it.
    /// (Measured, and dropped: one long multiply by the scale with the maps that have drops
    /// zeroed beforehand, 10% slower on r50-g4: those maps' scattered reads cost more than
    /// the runs' ends; every map through its bits, zero words included, 10% slower there too.)
    static func applyPerChannel(x: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, buffers: PassBuffers,
                                planes: Range<Int>, mapSize: Int, scale: Float, table storage: UnsafeMutablePointer<Float>) {
        let flags = buffers.mapHasDrop, bits = buffers.bits, mask = buffers.mask
        let wordsPerMap = MaskBits.wordsPerMap(mapSize)
        var table: MaskBits.FactorTable?
        var plane = planes.lowerBound
        while plane < planes.upperBound {
            let hasDrop = flags[plane]
            var end = plane + 1
            while end < planes.upperBound && flags[end] == hasDrop { end += 1 }
            let offset = plane * mapSize, count = (end - plane) * mapSize
            switch hasDrop {
            case MapDrops.none: multiply(x: x + offset, scale: scale, out: out + offset, count: count)
            // `x * 0` as the mask's multiplier gives it (signed zeros, NaN for infinities), without the mask.
            case MapDrops.all: multiply(x: x + offset, scale: 0, out: out + offset, count: count)
            default:
                guard let bits else {
                    multiply(x: x + offset, dropped: mask + offset, scale: scale, out: out + offset, count: count)
                    break
                }
                let factors = table ?? MaskBits.FactorTable(storage: storage, scale: scale)
                table = factors
                if mapSize & 63 == 0 {
                    // Maps of whole words: the run's bits are one contiguous range, so one call
                    // covers it (measured on the small case, 4 KB maps: a few percent, near the noise).
                    MaskBits.multiply(x: x + offset, words: bits + plane * wordsPerMap, units: 0..<count, table: factors, out: out + offset)
                    break
                }
                for map in plane..<end {
                    MaskBits.multiply(x: x + map * mapSize, words: bits + map * wordsPerMap, units: 0..<mapSize, table: factors,
                                      out: out + map * mapSize)
                }
            }
            plane = end
        }
    }

    /// Applies one shared map to `planes` consecutive channels.
    ///
    /// A map with nothing dropped (its `MapDrops` state `drops`) is one multiply by the scale
    /// (or nothing at all in place with a scale of 1), a wholly dropped one a multiply by
    /// zero; any other small map is a multiply by the map's multipliers (0 or
    /// scale), tiled so that several channels run per loop; a large one selects from its
    /// mask bytes.
    /// (Measured, and dropped: zeroing the dropped units from an index list after a scalar
    /// multiply; a zero fill with the kept units put back; walking a large map in chunks
    /// across channels. Each won somewhere only while the multiplier tile was too big for
    /// L1; with a 4 KB tile the plain multiply runs at 0.8-1.0x the floor on every 2D case.)
    @inline(__always)
    static func applyShared(x: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, planes: Int, mapSize: Int,
                            dropped: UnsafePointer<UInt8>, drops: UInt8, scale: Float, scratch: UnsafeMutablePointer<Float>,
                            scratchSize: Int) {
        if drops == MapDrops.none || drops == MapDrops.all {
            // `x * 0` for a wholly dropped map, as its multipliers would give it.
            multiply(x: x, scale: drops == MapDrops.all ? 0 : scale, out: out, count: planes * mapSize)
            return
        }
        if mapSize > factorTileUnits {
            // A map too big for the multiplier tile: select from its mask bytes instead, a
            // quarter of the size, so they stay in L1 (vol3d: 0.55-0.7x the floor against
            // 0.35-0.55x with 128 KB of multipliers).
            for p in 0..<planes {
                multiply(x: x + p * mapSize, dropped: dropped, scale: scale, out: out + p * mapSize, count: mapSize)
            }
            return
        }
        let tile = max(1, scratchSize / mapSize)
        for i in 0..<mapSize { scratch[i] = dropped[i] == 0 ? scale : 0 }
        for copy in 1..<tile { (scratch + copy * mapSize).update(from: scratch, count: mapSize) }
        var first = 0
        while first < planes {
            let run = min(tile, planes - first)
            multiply(x: x + first * mapSize, factors: scratch, out: out + first * mapSize, count: run * mapSize)
            first += run
        }
    }

    /// One mask byte and one multiply per unit; written without a branch so it vectorises.
    @inline(__always)
    static func multiply(x: UnsafePointer<Float>, dropped: UnsafePointer<UInt8>, scale: Float, out: UnsafeMutablePointer<Float>, count: Int) {
        if UnsafePointer(out) == x {
            for i in 0..<count { out[i] *= dropped[i] == 0 ? scale : 0 }
        } else {
            for i in 0..<count { out[i] = x[i] * (dropped[i] == 0 ? scale : 0) }
        }
    }

    /// The memory floor's own loop: one multiply by a scalar per unit.
    ///
    /// In place gets its own loop: with `x == out` the vectoriser's runtime overlap check
    /// fails and the loop would run scalar.
    @inline(__always)
    static func multiply(x: UnsafePointer<Float>, scale: Float, out: UnsafeMutablePointer<Float>, count: Int) {
        if scale == 1 {
            // Nothing to do in place; a copy otherwise.
            if UnsafePointer(out) != x { out.update(from: x, count: count) }
        } else if UnsafePointer(out) == x {
            for i in 0..<count { out[i] *= scale }
        } else {
            for i in 0..<count { out[i] = x[i] * scale }
        }
    }

    /// The multiplier tile's size in units: 4 KB, small enough to stay in L1 while the
    /// tensor streams past. (Measured on r50-g3: 16 KB of multipliers, half a 32 KB L1, ran
    /// at 0.55x the floor; 4 KB at 0.95x.)
    static let factorTileUnits = 1024

    /// Multiplier units each worker needs: whole copies of the map up to the tile's size;
    /// one unit for maps too big for it, which select from mask bytes instead.
    static func factorUnits(mapSize: Int) -> Int {
        mapSize > factorTileUnits || mapSize == 0 ? 1 : (factorTileUnits / mapSize) * mapSize
    }

    /// Each worker's slot of the workspace's factors: the multiplier tile of shared masks, or
    /// the per-channel multiply's `MaskBits.FactorTable`, whichever is larger.
    static func factorSlot(mapSize: Int) -> Int {
        max(factorUnits(mapSize: mapSize), MaskBits.FactorTable.floats)
    }

    /// The hot loop: one multiply per unit, vectorised by the compiler.
    @inline(__always)
    static func multiply(x: UnsafePointer<Float>, factors: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count: Int) {
        if UnsafePointer(out) == x {
            for i in 0..<count { out[i] *= factors[i] }
        } else {
            for i in 0..<count { out[i] = x[i] * factors[i] }
        }
    }

    /// timm's `with_noise`: dropped units take standard Gaussian noise, kept ones stay as
    /// they are (`x * keep + g * (1 - keep)` for finite `x`); no rescaling.
    ///
    /// The Gaussian map has the keep mask's shape, so a shared mask's map serves every channel
    /// of its sample, as in timm. It is drawn per mask from `fill`'s key, or read from a
    /// recorded draw of exactly that shape.
    static func fillWithNoise(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, dropped: [UInt8], plan: DropPlan,
                              fill: GaussianFill) {
        let mapSize = plan.spatial.reduce(1, *)
        var drawn = [Float](repeating: 0, count: mapSize)
        let recorded: [Float]
        if case .recorded(let normal) = fill { recorded = normal.storage } else { recorded = [] }
        dropped.withUnsafeBufferPointer { mask in
            drawn.withUnsafeMutableBufferPointer { drawnBuffer in
                recorded.withUnsafeBufferPointer { recordedBuffer in
                    guard let maskBase = mask.baseAddress, let drawnBase = drawnBuffer.baseAddress else { return }
                    for n in 0..<plan.batch {
                        for c in 0..<plan.channels {
                            let map = n * plan.maskChannels + (plan.maskChannels == 1 ? 0 : c)
                            let gaussian: UnsafePointer<Float>
                            switch fill {
                            case .generator(let key):
                                // One Gaussian map per mask, drawn once and reused by the channels sharing it.
                                if plan.maskChannels > 1 || c == 0 {
                                    var stream = SeededGenerator(key: key, stream: UInt64(map))
                                    for i in 0..<mapSize { drawnBase[i] = stream.nextGaussian() }
                                }
                                gaussian = UnsafePointer(drawnBase)
                            case .recorded:
                                // Validated to the keep mask's shape by the caller.
                                guard let base = recordedBuffer.baseAddress else { return }
                                gaussian = base + map * mapSize
                            }
                            let plane = (n * plan.channels + c) * mapSize
                            let keep = maskBase + map * mapSize
                            for i in 0..<mapSize {
                                output[plane + i] = keep[i] == 0 ? input[plane + i] : gaussian[i]
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The contiguous share of `total` items that worker `index` of `workers` handles.
func chunk(_ index: Int, of workers: Int, total: Int) -> Range<Int> {
    let base = total / workers, extra = total % workers
    let start = index * base + min(index, extra)
    return start..<(start + base + (index < extra ? 1 : 0))
}
