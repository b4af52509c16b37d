import Dispatch

/// Where seeds come from in one forward pass.
enum SeedSource: Sendable {
    /// Drawn from per-mask streams of this key.
    case generator(key: UInt64)
    /// A recorded uniform draw in the preset's noise shape.
    case noise(Tensor)
}

/// Lets worker threads write disjoint parts of one buffer.
struct SharedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}

/// The forward pass: seeds, block expansion, rescaling.
enum DropBlockEngine {
    static func run(input: Tensor, plan: DropPlan, source: SeedSource, fillKey: UInt64, options: ForwardOptions) -> DropBlockResult {
        guard let geometry = plan.geometry else { return identity(input: input, plan: plan, options: options) }
        let params = plan.parameters
        let mapSize = geometry.mapSize
        let maps = plan.batch * plan.maskChannels
        let maskCount = maps * mapSize
        let rule = SeedRule(preset: params.preset, gamma: plan.gamma)
        let noisePerMap: Int = {
            if case .noise = source { return plan.noiseShape.dropFirst(plan.noiseShape.count - plan.spatial.count).reduce(1, *) }
            return 0
        }()
        let threads = min(options.threads, maps)

        var keep = [Float](repeating: 0, count: maskCount)
        var seedRecord: [Float]? = options.recordSeeds ? [Float](repeating: 0, count: maskCount) : nil
        var dropped = [Int](repeating: 0, count: threads)
        var seedCounts = [Int](repeating: 0, count: threads)
        let noiseStorage: [Float]
        if case .noise(let noise) = source { noiseStorage = noise.storage } else { noiseStorage = [] }

        keep.withUnsafeMutableBufferPointer { keepBuffer in
            let keepOut = SharedBuffer(base: keepBuffer.baseAddress!)
            let seedOut = seedRecord?.withUnsafeMutableBufferPointer { SharedBuffer(base: $0.baseAddress!) }
            dropped.withUnsafeMutableBufferPointer { droppedBuffer in
                seedCounts.withUnsafeMutableBufferPointer { seedBuffer in
                    let droppedOut = SharedBuffer(base: droppedBuffer.baseAddress!)
                    let seedsOut = SharedBuffer(base: seedBuffer.baseAddress!)
                    noiseStorage.withUnsafeBufferPointer { noiseBuffer in
                        let noiseBase = noiseBuffer.baseAddress.map { SharedBuffer(base: UnsafeMutablePointer(mutating: $0)) }
                        let work: @Sendable (Int) -> Void = { worker in
                            var builder = MaskBuilder(geometry: geometry)
                            var droppedHere = 0, seedsHere = 0
                            for map in chunk(worker, of: threads, total: maps) {
                                switch source {
                                case .generator(let key):
                                    var stream = SeededGenerator(key: key, stream: UInt64(map))
                                    seedsHere += builder.seed(generator: &stream, gamma: plan.gamma)
                                case .noise:
                                    if let noiseBase {
                                        seedsHere += builder.seed(
                                            noise: noiseBase.base + map * noisePerMap,
                                            coversRegion: plan.noiseCoversSeedRegionOnly, rule: rule)
                                    }
                                }
                                droppedHere += builder.expand(into: keepOut.base + map * mapSize)
                                if let seedOut {
                                    let target = seedOut.base + map * mapSize
                                    builder.seeds.withUnsafeBufferPointer { s in
                                        for i in 0..<mapSize { target[i] = Float(s[i]) }
                                    }
                                }
                            }
                            droppedOut.base[worker] = droppedHere
                            seedsOut.base[worker] = seedsHere
                        }
                        if threads > 1 {
                            DispatchQueue.concurrentPerform(iterations: threads, execute: work)
                        } else {
                            work(0)
                        }
                    }
                }
            }
        }

        let droppedTotal = dropped.reduce(0, +)
        let kept = maskCount - droppedTotal
        let (scale, nanInReference) = rescale(params: params, kept: kept, count: maskCount)
        var output = [Float](repeating: 0, count: input.count)
        if params.preset == .timm && params.timm.withNoise {
            fillWithNoise(input: input, keep: keep, plan: plan, fillKey: fillKey, output: &output)
        } else {
            apply(input: input, keep: keep, scale: scale, plan: plan, threads: threads, output: &output)
        }
        return DropBlockResult(
            output: Tensor(validShape: input.shape, storage: output),
            keepMask: Tensor(validShape: plan.maskShape, storage: keep),
            seedMask: seedRecord.map { Tensor(validShape: plan.maskShape, storage: $0) },
            gamma: plan.gamma,
            scale: scale,
            droppedFraction: maskCount > 0 ? Double(droppedTotal) / Double(maskCount) : 0,
            seedCount: seedCounts.reduce(0, +),
            everythingDropped: kept == 0,
            referenceReturnsNaN: nanInReference,
            isIdentity: false,
            calibration: plan.calibration)
    }

    /// The rescaling factor of each preset, in float32 as the references compute it.
    /// Returns 0 and flags it where the reference divides by zero.
    static func rescale(params: DropBlockParameters, kept: Int, count: Int) -> (Float, Bool) {
        let numel = Float(count), sum = Float(kept)
        switch params.preset {
        case .dropblock:
            return kept == 0 ? (0, true) : (numel / sum, false)
        case .torchvision:
            return (numel / (Float(1e-6) + sum), false)
        case .timm:
            if params.timm.withNoise || !params.timm.scaleByKeep { return (1, false) }
            return (numel / (sum + Float(1e-7)), false)
        case .tf:
            return kept == 0 ? (0, true) : (1 / (sum / numel), false)
        }
    }

    /// `output = input * keep * scale`, with the mask broadcast over channels when shared.
    static func apply(input: Tensor, keep: [Float], scale: Float, plan: DropPlan, threads: Int, output: inout [Float]) {
        let mapSize = plan.spatial.reduce(1, *)
        let channels = plan.channels, maskChannels = plan.maskChannels
        let planes = plan.batch * channels
        input.storage.withUnsafeBufferPointer { x in
            keep.withUnsafeBufferPointer { k in
                output.withUnsafeMutableBufferPointer { out in
                    let xBase = SharedBuffer(base: UnsafeMutablePointer(mutating: x.baseAddress!))
                    let kBase = SharedBuffer(base: UnsafeMutablePointer(mutating: k.baseAddress!))
                    let oBase = SharedBuffer(base: out.baseAddress!)
                    let work: @Sendable (Int) -> Void = { worker in
                        for plane in chunk(worker, of: threads, total: planes) {
                            let n = plane / channels, c = plane % channels
                            let map = n * maskChannels + (maskChannels == 1 ? 0 : c)
                            multiply(
                                x: xBase.base + plane * mapSize, keep: kBase.base + map * mapSize,
                                scale: scale, out: oBase.base + plane * mapSize, count: mapSize)
                        }
                    }
                    if threads > 1 {
                        DispatchQueue.concurrentPerform(iterations: threads, execute: work)
                    } else {
                        work(0)
                    }
                }
            }
        }
    }

    @inline(__always)
    static func multiply(x: UnsafePointer<Float>, keep: UnsafePointer<Float>, scale: Float, out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = x[i] * keep[i] * scale }
    }

    /// timm's `with_noise`: dropped units take standard Gaussian noise, kept ones stay as they are.
    static func fillWithNoise(input: Tensor, keep: [Float], plan: DropPlan, fillKey: UInt64, output: inout [Float]) {
        let mapSize = plan.spatial.reduce(1, *)
        var gaussian = [Float](repeating: 0, count: keep.count)
        for map in 0..<(plan.batch * plan.maskChannels) {
            var stream = SeededGenerator(key: fillKey, stream: UInt64(map))
            for i in 0..<mapSize { gaussian[map * mapSize + i] = stream.nextGaussian() }
        }
        for plane in 0..<(plan.batch * plan.channels) {
            let n = plane / plan.channels, c = plane % plan.channels
            let map = n * plan.maskChannels + (plan.maskChannels == 1 ? 0 : c)
            for i in 0..<mapSize {
                let m = keep[map * mapSize + i]
                output[plane * mapSize + i] = input.storage[plane * mapSize + i] * m + gaussian[map * mapSize + i] * (1 - m)
            }
        }
    }

    static func identity(input: Tensor, plan: DropPlan, options: ForwardOptions) -> DropBlockResult {
        let maskCount = plan.maskShape.reduce(1, *)
        return DropBlockResult(
            output: input,
            keepMask: Tensor(validShape: plan.maskShape, storage: [Float](repeating: 1, count: maskCount)),
            seedMask: options.recordSeeds ? Tensor(validShape: plan.maskShape, storage: [Float](repeating: 0, count: maskCount)) : nil,
            gamma: 0, scale: 1, droppedFraction: 0, seedCount: 0,
            everythingDropped: false, referenceReturnsNaN: false, isIdentity: true, calibration: nil)
    }
}

/// The contiguous share of `total` items that worker `index` of `workers` handles.
func chunk(_ index: Int, of workers: Int, total: Int) -> Range<Int> {
    let base = total / workers, extra = total % workers
    let start = index * base + min(index, extra)
    return start..<(start + base + (index < extra ? 1 : 0))
}
