/// A DropBlock layer: `DropBlockND` takes its rank from each input; `DropBlock2D` and
/// `DropBlock3D` mirror the Python API and accept only their own rank.
///
/// Every forward pass, plan and noise shape comes from this protocol's extension, so the
/// three spellings share one implementation.
public protocol DropBlockLayer: Sendable {
    /// The layer's configuration.
    var parameters: DropBlockParameters { get set }
    /// The spatial rank a pass on an input of `shape` runs at (2 for `(N, C, H, W)`, 3 for
    /// `(N, C, D, H, W)`); a shape of another rank then fails with a clear error.
    func spatialRank(for shape: [Int]) -> Int
    /// Creates a layer from full parameters.
    init(parameters: DropBlockParameters)
}

extension DropBlockLayer {
    /// Creates a layer; the defaults follow the PyPI `dropblock` package (block 7, p 0.1).
    public init(dropProb: Double = 0.1, blockSize: Int = 7, preset: Preset = .dropblock) {
        self.init(parameters: DropBlockParameters(dropProb: dropProb, blockSize: blockSize, preset: preset))
    }

    /// The target drop probability (what a `LinearScheduler` ramps).
    public var dropProb: Double {
        get { parameters.dropProb }
        set { parameters.dropProb = newValue }
    }

    /// The block size before any clipping.
    public var blockSize: Int {
        get { parameters.blockSize }
        set { parameters.blockSize = newValue }
    }

    /// The semantics preset.
    public var preset: Preset {
        get { parameters.preset }
        set { parameters.preset = newValue }
    }

    /// Identity when false.
    public var isTraining: Bool {
        get { parameters.isTraining }
        set { parameters.isTraining = newValue }
    }

    /// Everything a forward pass on `shape` will do, validated.
    public func plan(for shape: [Int]) throws(DropBlockError) -> DropPlan {
        try DropPlan(parameters: parameters, shape: shape, spatialRank: spatialRank(for: shape))
    }

    /// The shape of the uniform draw a forward pass on `shape` consumes (for `forward(_:noise:)`).
    public func noiseShape(for shape: [Int]) throws(DropBlockError) -> [Int] {
        try plan(for: shape).noiseShape
    }

    /// Applies DropBlock with seeds drawn from `generator` (the same seed gives the same masks).
    public func forward(
        _ input: Tensor, generator: inout SeededGenerator, options: ForwardOptions = ForwardOptions()
    ) throws(DropBlockError) -> DropBlockResult {
        let plan = try plan(for: input.shape)
        let key = generator.next()
        let fillKey = generator.next()
        return DropBlockResult.compute(input: input, plan: plan, source: .generator(key: key), fill: .generator(key: fillKey), options: options)
    }

    /// Applies DropBlock with the numbered draw `draw`: each sample from its own stream, so a
    /// sample's mask is the same alone or in a batch (see `SeedDraw`). timm's Gaussian fill, if
    /// on, draws from the first sample's fill key.
    public func forward(_ input: Tensor, draw: SeedDraw, options: ForwardOptions = ForwardOptions()) throws(DropBlockError) -> DropBlockResult {
        let plan = try plan(for: input.shape)
        try draw.validate(samples: plan.batch)
        return DropBlockResult.compute(input: input, plan: plan, source: .draw(draw), fill: .generator(key: draw.keys(sample: 0).fill), options: options)
    }

    /// Applies DropBlock with a seed (a convenience for `forward(_:generator:)`).
    public func forward(_ input: Tensor, seed: UInt64, options: ForwardOptions = ForwardOptions()) throws(DropBlockError) -> DropBlockResult {
        var generator = SeededGenerator(seed: seed)
        return try forward(input, generator: &generator, options: options)
    }

    /// Replays a recorded uniform draw `noise` (shape `noiseShape(for:)`), exactly as the
    /// reference library would have used it. timm's Gaussian fill, if on, draws from `fillSeed`.
    public func forward(
        _ input: Tensor, noise: Tensor, fillSeed: UInt64 = 0, options: ForwardOptions = ForwardOptions()
    ) throws(DropBlockError) -> DropBlockResult {
        let plan = try plan(for: input.shape)
        try Self.checkNoise(noise, plan: plan)
        return DropBlockResult.compute(input: input, plan: plan, source: .noise(noise), fill: .generator(key: fillSeed), options: options)
    }

    /// Replays both draws of timm's `with_noise`: the uniform `noise` (shape
    /// `noiseShape(for:)`) and `normalNoise`, the standard normal draw that fills dropped
    /// units (timm's `normal_()`), of the keep mask's shape `(N, 1 or C, H, W)`
    /// (`plan(for:).maskShape`). The output is `x * keep + normalNoise * (1 - keep)`, not rescaled.
    /// - Throws: `normalNoiseWithoutWithNoise` unless the preset is timm with `withNoise` on,
    ///   `normalNoiseShapeMismatch` (naming the expected shape) for any other shape, and the
    ///   errors of `forward(_:noise:)`. In eval or with p = 0 the layer is the identity and
    ///   neither draw is checked, as timm does not read them.
    public func forward(
        _ input: Tensor, noise: Tensor, normalNoise: Tensor, options: ForwardOptions = ForwardOptions()
    ) throws(DropBlockError) -> DropBlockResult {
        let plan = try plan(for: input.shape)
        try Self.checkNoise(noise, plan: plan)
        if !plan.isIdentity {
            guard plan.fillsDroppedWithNoise else {
                throw .normalNoiseWithoutWithNoise(preset: parameters.preset)
            }
            guard normalNoise.shape == plan.maskShape else {
                throw .normalNoiseShapeMismatch(expected: plan.maskShape, got: normalNoise.shape)
            }
        }
        return DropBlockResult.compute(input: input, plan: plan, source: .noise(noise), fill: .recorded(normalNoise), options: options)
    }

    /// Applies DropBlock in place: `x` becomes the output. With a reused `workspace`, a pass
    /// allocates nothing; the mask stays in the workspace (`workspace.droppedMask`).
    public func forward(
        inPlace x: inout Tensor, generator: inout SeededGenerator, workspace: inout DropBlockWorkspace, threads: Int = ForwardOptions.allCores
    ) throws(DropBlockError) -> DropBlockSummary {
        let plan = try workspace.plan(parameters: parameters, shape: x.shape, spatialRank: spatialRank(for: x.shape))
        let key = generator.next()
        let fillKey = generator.next()
        return x.withUnsafeMutableBufferPointer { buffer in
            DropBlockEngine.run(input: UnsafeBufferPointer(buffer), output: buffer, plan: plan, source: .generator(key: key),
                                fill: .generator(key: fillKey), threads: threads, workspace: &workspace)
        }
    }

    /// Applies DropBlock from `input` into a caller-provided `output` of the same shape.
    /// - Throws: `DropBlockError.storageMismatch` when `output`'s shape differs.
    public func forward(
        _ input: Tensor, into output: inout Tensor, generator: inout SeededGenerator, workspace: inout DropBlockWorkspace,
        threads: Int = ForwardOptions.allCores
    ) throws(DropBlockError) -> DropBlockSummary {
        let plan = try workspace.plan(parameters: parameters, shape: input.shape, spatialRank: spatialRank(for: input.shape))
        guard output.shape == input.shape else { throw .storageMismatch(shape: input.shape, count: output.count) }
        let key = generator.next()
        let fillKey = generator.next()
        return input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                DropBlockEngine.run(input: source, output: target, plan: plan, source: .generator(key: key),
                                    fill: .generator(key: fillKey), threads: threads, workspace: &workspace)
            }
        }
    }

    /// Rejects a recorded draw whose shape is not the plan's noise shape.
    static func checkNoise(_ noise: Tensor, plan: DropPlan) throws(DropBlockError) {
        if !plan.isIdentity, noise.shape != plan.noiseShape {
            throw .noiseShapeMismatch(expected: plan.noiseShape, got: noise.shape)
        }
    }
}
