/// A forward pass's keep mask, built before the input is seen, that applies itself to the
/// input one chunk at a time.
///
/// Every preset's mask depends only on the draw and the shape, never on `x`, so a pass can
/// build the mask first (`(N, 1 or C, *spatial)` units, small next to `x`: see
/// `storageBytes(for:)`) and then stream `x`
/// through it, from a file into a file, in chunks of any size: a chunk may split samples,
/// channels and rows. The result equals `forward`'s output bit for bit, chunk by chunk,
/// including non-finite inputs, which keep the references' `x * keep * scale` arithmetic
/// (NaN stays NaN, dropped or not; `Inf * 0` is NaN).
///
/// ```swift
/// let plan = try DropBlockND(dropProb: 0.1, blockSize: 7).plan(for: [32, 256, 56, 56])
/// let mask = try DropBlockMask(plan: plan, draw: SeedDraw(seed: 1))
/// // for each chunk of x starting at flat element `offset`:
/// mask.apply(chunk, at: offset, into: outputChunk)
/// ```
///
/// timm's `with_noise` fills dropped units from a Gaussian draw; it is not applied in chunks
/// (`appliesInChunks` is false): use `forward` for it.
public struct DropBlockMask: Sendable {
    /// The pass the mask belongs to.
    public let plan: DropPlan
    /// Gamma, scale, dropped fraction, seed count and flags, as `forward` reports them.
    public let summary: DropBlockSummary
    /// 1 where a unit is dropped, `plan.maskShape`, for shared masks; empty otherwise.
    let dropped: [UInt8]
    /// Per-channel masks as bits (`MaskBits`), `wordsPerMap` words per map; empty otherwise.
    let bits: [UInt64]
    let wordsPerMap: Int
    /// The bits' `MaskBits.FactorTable` for `summary.scale`, made once; empty without bits.
    let factors: [Float]

    /// The memory the mask of `plan` takes: a byte per unit of a shared mask (one map per
    /// sample) or of a per-channel one of maps under 16 units, a bit per unit of other
    /// per-channel ones (each map on whole 64-bit words: a thirty-second of a float32 input for
    /// large maps, a sixteenth at 64 units); never more than a quarter of a float32 input.
    /// `Int.max` when that overflows.
    public static func storageBytes(for plan: DropPlan) -> Int {
        guard let geometry = plan.geometry else { return 0 }
        let maps = plan.batch.multipliedReportingOverflow(by: plan.maskChannels)
        guard !maps.overflow else { return Int.max }
        let perMap = DropBlockWorkspace.keepsBits(plan) ? MaskBits.wordsPerMap(geometry.mapSize) * 8 : geometry.mapSize
        let total = maps.partialValue.multipliedReportingOverflow(by: perMap)
        return total.overflow ? Int.max : total.partialValue
    }

    /// The bytes building a mask for `plan` holds at its peak: the mask (`storageBytes`), each
    /// worker's scratch (the expansion's bytes and counts, and a seed list) and the pass's
    /// seed-count table, `Int.max` when that overflows. A caller that must not trap on a
    /// failed allocation checks this much first (a single 4000x4000 map needs about 8 bytes a
    /// unit). `replaysNoise` for a mask replaying a recorded draw (`init(plan:noise:)`), whose
    /// seed list has room for every allowed position (12 more bytes a unit); the default
    /// counts it, whatever the draw.
    public static func buildBytes(for plan: DropPlan, threads: Int = ForwardOptions.allCores, replaysNoise: Bool = true) -> Int {
        guard let geometry = plan.geometry else { return 0 }
        let maps = plan.batch.multipliedReportingOverflow(by: plan.maskChannels)
        guard !maps.overflow else { return Int.max }
        let workers = DropBlockEngine.workers(requested: max(1, threads), maps: maps.partialValue, units: plan.shape.reduce(1, &*),
                                              unitsPerWorker: DropBlockEngine.defaultUnitsPerWorker)
        let scratch = DropBlockWorkspace.scratch(
            for: geometry, seeds: DropBlockWorkspace.seedCapacity(geometry: geometry, gamma: plan.gamma, replaysNoise: replaysNoise))
        let perWorker = [scratch.bytes, MaskBuilder.saturatingProduct(scratch.counts, MemoryLayout<Int32>.stride),
                         MaskBuilder.saturatingProduct(scratch.seeds, MemoryLayout<SeedPosition>.stride),
                         MaskBuilder.saturatingProduct(scratch.factors, MemoryLayout<Float>.stride)]
        var total = MaskBuilder.saturatingProduct(perWorker.reduce(0) { $0 > Int.max - $1 ? Int.max : $0 + $1 }, workers)
        for part in [storageBytes(for: plan), maps.partialValue, DropBlockWorkspace.seedCountBytes(total: geometry.seedRegionSize, gamma: plan.gamma)] {
            total = total > Int.max - part ? Int.max : total + part
        }
        return total
    }

    /// Builds the mask of the numbered draw `draw` (as `forward(_:draw:)` does).
    /// - Throws: `DropBlockError.drawOutOfRange` when the batch's samples pass the last stream.
    public init(plan: DropPlan, draw: SeedDraw, threads: Int = ForwardOptions.allCores) throws(DropBlockError) {
        try draw.validate(samples: plan.batch)
        self.init(plan: plan, source: .draw(draw), threads: threads)
    }

    /// Builds the mask that replays the recorded uniform draw `noise` (shape `plan.noiseShape`),
    /// as `forward(_:noise:)` does.
    /// - Throws: `DropBlockError.noiseShapeMismatch` for any other shape (not checked for the identity).
    public init(plan: DropPlan, noise: Tensor, threads: Int = ForwardOptions.allCores) throws(DropBlockError) {
        try DropBlockND.checkNoise(noise, plan: plan)
        self.init(plan: plan, source: .noise(noise), threads: threads)
    }

    init(plan: DropPlan, source: SeedSource, threads: Int) {
        self.plan = plan
        guard let geometry = plan.geometry else {
            (dropped, bits, wordsPerMap, factors) = ([], [], 0, [])
            summary = .identity
            return
        }
        let maps = plan.batch * plan.maskChannels
        let maskCount = maps * geometry.mapSize
        var workspace = DropBlockWorkspace()
        let workers = DropBlockEngine.workers(requested: max(1, threads), maps: maps, units: plan.shape.reduce(1, *),
                                              unitsPerWorker: workspace.minimumUnitsPerWorker)
        workspace.prepare(plan: plan, geometry: geometry, workers: workers, replaysNoise: source.replaysNoise)
        let (droppedCount, seeds) = DropBlockEngine.buildMasks(plan: plan, geometry: geometry, source: source, workers: workers,
                                                               workspace: &workspace, seedRecord: nil)
        let kept = maskCount - droppedCount
        let (scale, nanInReference) = DropBlockEngine.rescale(params: plan.parameters, kept: kept, count: maskCount)
        // The workspace's own storage, without a copy: bits stay bits.
        (dropped, bits) = workspace.bitsHoldMask ? ([], workspace.maskBits) : (workspace.maskBytes, [])
        wordsPerMap = MaskBits.wordsPerMap(geometry.mapSize)
        summary = DropBlockSummary(
            gamma: plan.gamma, scale: scale, droppedFraction: maskCount > 0 ? Double(droppedCount) / Double(maskCount) : 0,
            seedCount: seeds, everythingDropped: kept == 0, referenceReturnsNaN: nanInReference, isIdentity: false,
            calibration: plan.calibration, workers: workers)
        var table = [Float]()
        if !bits.isEmpty {
            table = [Float](unsafeUninitializedCapacity: MaskBits.FactorTable.floats) { storage, initialized in
                if let base = storage.baseAddress { _ = MaskBits.FactorTable(storage: base, scale: scale) }
                initialized = MaskBits.FactorTable.floats
            }
        }
        factors = table
    }

    /// Whether `apply` computes the pass: false only for timm's `with_noise`, whose fill is a
    /// second draw that `forward` makes.
    public var appliesInChunks: Bool {
        plan.isIdentity || !plan.fillsDroppedWithNoise
    }

    /// The number of input elements (`plan.shape`'s product).
    public var elementCount: Int { plan.shape.reduce(1, *) }

    /// The number of mask units (`plan.maskShape`'s product).
    public var maskCount: Int { plan.maskShape.reduce(1, *) }

    /// Writes the output of input elements `offset ..< offset + input.count` (flat, C order,
    /// `plan.shape`) into `output`, which has the same count and may be the same memory.
    public func apply(_ input: UnsafeBufferPointer<Float>, at offset: Int, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(appliesInChunks, "timm's with_noise is applied by forward, not in chunks")
        precondition(input.count == output.count && offset >= 0 && offset + input.count <= elementCount,
                     "the chunk lies outside the plan's shape")
        guard let x = input.baseAddress, let out = output.baseAddress else { return }
        let count = input.count
        if summary.isIdentity {
            if UnsafePointer(out) != x { out.update(from: x, count: count) }
            return
        }
        let mapSize = plan.spatial.reduce(1, *)
        // The kernel multiplies by 0 or the scale (it never selects), so a non-finite input
        // keeps the references' `x * keep * scale` arithmetic with no pass of its own.
        if !bits.isEmpty {
            bits.withUnsafeBufferPointer { words in
                factors.withUnsafeBufferPointer { storage in
                    guard let wordBase = words.baseAddress, let storage = storage.baseAddress else { return }
                    // Filled in `init`; this only reads it.
                    let table = MaskBits.FactorTable(filled: storage, scale: summary.scale)
                    var done = 0
                    while done < count {
                        let position = offset + done
                        let plane = position / mapSize, unit = position % mapSize
                        let run = min(mapSize - unit, count - done)
                        MaskBits.multiply(x: x + done, words: wordBase + plane * wordsPerMap, units: unit..<(unit + run), table: table,
                                          out: out + done)
                        done += run
                    }
                }
            }
            return
        }
        dropped.withUnsafeBufferPointer { mask in
            guard let maskBase = mask.baseAddress else { return }
            var done = 0
            while done < count {
                let position = offset + done
                let plane = position / mapSize, unit = position % mapSize
                let run = min(mapSize - unit, count - done)
                DropBlockEngine.multiply(x: x + done, dropped: maskBase + maskMap(plane: plane) * mapSize + unit,
                                         scale: summary.scale, out: out + done, count: run)
                done += run
            }
        }
    }

    /// Applies the mask in place to input elements `offset ..< offset + chunk.count`.
    public func apply(inPlace chunk: UnsafeMutableBufferPointer<Float>, at offset: Int) {
        apply(UnsafeBufferPointer(chunk), at: offset, into: chunk)
    }

    /// Applies the mask in place to elements `offset ..< offset + chunk.count` of the input laid
    /// out channels last, `(N, *spatial, C)` in C order: `plan.shape`'s tensor with its channel
    /// axis moved last, as TensorFlow and Keras keep activations. Each element is multiplied by
    /// 0 or the scale, as `apply` does in canonical order, so the two agree bit for bit.
    public func apply(channelsLastInPlace chunk: UnsafeMutableBufferPointer<Float>, at offset: Int) {
        precondition(appliesInChunks, "timm's with_noise is applied by forward, not in chunks")
        precondition(offset >= 0 && offset + chunk.count <= elementCount, "the chunk lies outside the plan's shape")
        guard !summary.isIdentity else { return }
        let scale = summary.scale
        forEachChannelsLast(offset: offset, count: chunk.count, channels: plan.channels) { i, isDropped in
            chunk[i] *= isDropped ? 0 : scale
        }
    }

    /// Writes keep-mask units `offset ..< offset + output.count` of the mask laid out channels
    /// last, `(N, *spatial, maskChannels)` in C order, as 0/1 floats.
    public func keepMask(channelsLastAt offset: Int, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(offset >= 0 && offset + output.count <= maskCount, "the chunk lies outside the mask's shape")
        forEachChannelsLast(offset: offset, count: output.count, channels: plan.maskChannels) { i, isDropped in
            output[i] = isDropped ? 0 : 1
        }
    }

    /// Calls `body(i, isDropped)` for elements `offset ..< offset + count` of a channels-last
    /// tensor with `channels` channels (the input's, or the mask's own), in order, `i` counted
    /// from `offset`: a cursor over (sample, unit, channel), no division per element.
    @inline(__always)
    private func forEachChannelsLast(offset: Int, count: Int, channels: Int, _ body: (Int, Bool) -> Void) {
        guard count > 0 else { return }
        let mapSize = plan.spatial.reduce(1, *)
        let perSample = plan.maskChannels == 1
        var channel = offset % channels, unit = (offset / channels) % mapSize, sample = offset / channels / mapSize
        if !bits.isEmpty {
            bits.withUnsafeBufferPointer { words in
                guard let wordBase = words.baseAddress else { return }
                for i in 0..<count {
                    let map = perSample ? sample : sample * plan.channels + channel
                    body(i, MaskBits.isDropped(wordBase + map * wordsPerMap, unit: unit))
                    channel += 1
                    if channel == channels { (channel, unit) = (0, unit + 1) }
                    if unit == mapSize { (unit, sample) = (0, sample + 1) }
                }
            }
            return
        }
        guard !dropped.isEmpty else {
            for i in 0..<count { body(i, false) }
            return
        }
        dropped.withUnsafeBufferPointer { mask in
            for i in 0..<count {
                let map = perSample ? sample : sample * plan.channels + channel
                body(i, mask[map * mapSize + unit] != 0)
                channel += 1
                if channel == channels { (channel, unit) = (0, unit + 1) }
                if unit == mapSize { (unit, sample) = (0, sample + 1) }
            }
        }
    }

    /// Writes keep-mask units `offset ..< offset + output.count` (flat, `plan.maskShape`) as 0/1 floats.
    public func keepMask(at offset: Int, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(offset >= 0 && offset + output.count <= maskCount, "the chunk lies outside the mask's shape")
        if !bits.isEmpty {
            let mapSize = plan.spatial.reduce(1, *)
            bits.withUnsafeBufferPointer { words in
                guard let wordBase = words.baseAddress else { return }
                var map = offset / mapSize, unit = offset % mapSize
                for i in output.indices {
                    output[i] = MaskBits.isDropped(wordBase + map * wordsPerMap, unit: unit) ? 0 : 1
                    unit += 1
                    if unit == mapSize { (map, unit) = (map + 1, 0) }
                }
            }
            return
        }
        guard !dropped.isEmpty else {
            output.update(repeating: 1)
            return
        }
        dropped.withUnsafeBufferPointer { mask in
            for i in output.indices { output[i] = mask[offset + i] == 0 ? 1 : 0 }
        }
    }

    /// The whole keep mask as 0/1 floats (allocates `maskCount` floats).
    public var keepMask: Tensor {
        var values = [Float](repeating: 1, count: maskCount)
        values.withUnsafeMutableBufferPointer { keepMask(at: 0, into: $0) }
        return Tensor(validShape: plan.maskShape, storage: values)
    }

    /// The mask map of input plane `plane` (`n * C + c`).
    @inline(__always)
    func maskMap(plane: Int) -> Int {
        plan.maskChannels == 1 ? plane / plan.channels : plane
    }
}
