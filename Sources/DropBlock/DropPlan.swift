/// A validated forward pass: geometry, gamma, noise layout and rescaling rule for one input shape.
public struct DropPlan: Sendable {
    /// The parameters the plan was made from.
    public let parameters: DropBlockParameters
    /// The input shape.
    public let shape: [Int]
    /// Samples (N) and channels (C).
    public let batch: Int, channels: Int
    /// The spatial extent.
    public let spatial: [Int]
    /// 1 when the mask is shared across channels, else C.
    public let maskChannels: Int
    /// Nil when the layer is the identity (eval or p == 0): then nothing else is checked.
    public let geometry: SeedGeometry?
    /// The seed probability (calibrated or the preset's own; 0 for the identity).
    public let gamma: Double
    /// The calibration, when requested.
    public let calibration: GammaCalibration?
    /// The shape of the uniform draw the reference consumes.
    public let noiseShape: [Int]
    /// True when the draw covers only the seed region (torchvision), not the whole map.
    public let noiseCoversSeedRegionOnly: Bool
    /// How a uniform draw becomes a seed at `gamma` (the preset's rule).
    public let seedRule: SeedRule
    /// Whether dropped units take Gaussian noise instead of zeros (timm's `with_noise`).
    public let fillsDroppedWithNoise: Bool

    /// Whether the layer passes input through unchanged.
    public var isIdentity: Bool { geometry == nil }

    /// The keep-mask shape `(N, 1 or C, *spatial)`. Stored, so that handing it to a
    /// workspace on every pass shares one buffer instead of building a new array.
    public let maskShape: [Int]

    init(parameters: DropBlockParameters, shape: [Int], spatialRank: Int) throws(DropBlockError) {
        try parameters.validate()
        guard shape.count == spatialRank + 2 else { throw .wrongRank(expected: spatialRank + 2, shape: shape) }
        guard parameters.preset.supportedSpatialRanks.contains(spatialRank) else {
            throw .unsupportedRank(preset: parameters.preset, spatialRank: spatialRank)
        }
        _ = try Tensor.elementCount(of: shape)
        guard shape.allSatisfy({ $0 > 0 }) else { throw .emptyDimension(shape: shape) }
        self.parameters = parameters
        self.shape = shape
        batch = shape[0]
        channels = shape[1]
        spatial = Array(shape.dropFirst(2))
        maskChannels = parameters.sharesMask ? 1 : shape[1]
        maskShape = [batch, maskChannels] + spatial

        let rules = parameters.preset.rules
        let layout = rules.noiseLayout
        fillsDroppedWithNoise = rules.fillsDroppedWithNoise(parameters)
        guard !parameters.isIdentityLayer else {
            geometry = nil
            gamma = 0
            calibration = nil
            noiseShape = layout.leadingShape(batch: batch, maskChannels: maskChannels) + spatial
            noiseCoversSeedRegionOnly = false
            seedRule = rules.seedRule(gamma: 0)
            return
        }
        let regionGeometry = try SeedGeometry(preset: parameters.preset, spatial: spatial, blockSize: parameters.blockSize)
        if parameters.calibrated {
            let solved = GammaCalibration(target: parameters.dropProb, geometry: regionGeometry)
            calibration = solved
            gamma = solved.gamma
        } else {
            calibration = nil
            gamma = rules.gamma(parameters, spatial: spatial)
        }
        // The draw follows the reference's region; the seeds may reach further at this gamma.
        noiseShape = layout.shape(batch: batch, maskChannels: maskChannels, geometry: regionGeometry)
        noiseCoversSeedRegionOnly = layout.coversSeedRegionOnly
        geometry = rules.seedGeometry(regionGeometry, atGamma: gamma)
        seedRule = rules.seedRule(gamma: gamma)
    }

    /// The expected dropped fraction of this plan's gamma (exact, closed form).
    public var expectedDropFraction: Double {
        geometry?.expectedDropFraction(gamma: gamma) ?? 0
    }
}
