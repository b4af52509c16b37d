/// timm's `drop_block_2d` (1.0.31), with its options in `TimmOptions`.
///
/// Blocks clipped per axis (`kh = min(bs, H)`, `kw = min(bs, W)`) and centred on seeds that
/// fall anywhere; one mask per sample by default (`couple_channels`); scale
/// `numel / (sum + 1e-7)` with `scale_by_keep`, none with `with_noise` (Gaussian fill).
public struct TimmPresetRules: PresetRules {
    /// Creates the rules.
    public init() {}

    /// `.timm`.
    public var preset: Preset { .timm }
    /// The library and version reproduced.
    public var library: String { "timm 1.0.31" }
    /// The spatial ranks timm runs on.
    public var supportedSpatialRanks: [Int] { [2] }
    /// Timm reads `TimmOptions`.
    public var readsTimmOptions: Bool { true }

    /// Rejects a negative or non-finite `gammaScale`.
    public func validateOptions(_ parameters: DropBlockParameters) throws(DropBlockError) {
        let scale = parameters.timm.gammaScale
        guard scale.isFinite, scale >= 0 else { throw .invalidGammaScale(scale) }
    }

    /// Whether timm shares one mask across a sample's channels by default.
    public func sharesMaskByDefault(_ parameters: DropBlockParameters) -> Bool { parameters.timm.coupleChannels }

    /// With `withNoise`, dropped units take Gaussian noise (and nothing is rescaled).
    public func fillsDroppedWithNoise(_ parameters: DropBlockParameters) -> Bool { parameters.timm.withNoise }

    /// Timm's gamma, in its reference's expression order and precision.
    public func gamma(_ parameters: DropBlockParameters, spatial: [Int]) -> Double {
        let h = spatial[spatial.count - 2], w = spatial[spatial.count - 1]
        let kh = min(parameters.blockSize, h), kw = min(parameters.blockSize, w)
        return parameters.timm.gammaScale * parameters.dropProb * Double(h) * Double(w) / (Double(kh) * Double(kw))
            / (Double(h - kh + 1) * Double(w - kw + 1))
    }

    /// Timm's gamma formula with the numbers filled in.
    public func gammaFormula(_ parameters: DropBlockParameters, spatial: [Int], format: (Double) -> String) -> String {
        let h = spatial[spatial.count - 2], w = spatial[spatial.count - 1]
        let kh = min(parameters.blockSize, h), kw = min(parameters.blockSize, w)
        // kh and kw defined after the value where the block is clipped, as tf's b is (verification round).
        let clipped = kh == parameters.blockSize && kw == parameters.blockSize ? "" : ", where kh = min(bs, H) = \(kh), kw = min(bs, W) = \(kw)"
        return "gamma = gamma_scale*p*H*W / (kh*kw) / ((H-kh+1)(W-kw+1)) = \(format(parameters.timm.gammaScale))*\(format(parameters.dropProb))"
            + "*\(h)*\(w) / (\(kh)*\(kw)) / (\(h - kh + 1)*\(w - kw + 1)) = \(format(gamma(parameters, spatial: spatial)))\(clipped)"
    }

    /// Timm's gamma counts the positions whose clipped block fits, `(H-kh+1)(W-kw+1)`; its seeds
    /// fall at every position.
    public func countedSeedPositions(_ parameters: DropBlockParameters, spatial: [Int]) -> (formula: String, count: Int)? {
        let h = spatial[spatial.count - 2], w = spatial[spatial.count - 1]
        let kh = min(parameters.blockSize, h), kw = min(parameters.blockSize, w)
        return ("(H-kh+1)(W-kw+1) = \((h - kh + 1) * (w - kw + 1))", (h - kh + 1) * (w - kw + 1))
    }

    /// Timm's seed region and block window per axis.
    public func seedGeometry(spatial: [Int], blockSize: Int) throws(DropBlockError) -> SeedGeometry {
        let window = spatial.map { min(blockSize, $0) }
        return SeedGeometry(spatial: spatial, window: window, lowOffset: window.map { $0 / 2 }, seedRegion: spatial.map { 0..<$0 })
    }

    /// Timm's seed rule at `gamma`.
    public func seedRule(gamma: Double) -> SeedRule { .lessThan(Float(gamma)) }

    /// Why timm's seeds fall where they may.
    public var seedRegionNote: String { "timm lets seeds fall anywhere and clips each block per axis to the map." }
    /// Why a position outside timm's seed region cannot hold a seed.
    public var seedRegionReason: String { "a block centred on its seed must fit" }
    /// Whether timm clips the block to the map before placing it.
    public var clipsBlockToMap: Bool { false }

    /// The layout of timm's uniform draw.
    public var noiseLayout: NoiseLayout { NoiseLayout() }

    /// Timm's rescaling factor, and its NaN case.
    public func rescale(kept: Int, count: Int, parameters: DropBlockParameters) -> RescaleOutcome {
        if parameters.timm.withNoise || !parameters.timm.scaleByKeep { return RescaleOutcome(scale: 1) }
        return RescaleOutcome(scale: Float(count) / (Float(kept) + Float(1e-7)))
    }

    /// Timm's rescaling formula with the numbers filled in.
    public func rescaleFormula(kept: Int, count: Int, parameters: DropBlockParameters) -> String {
        parameters.timm.scaleByKeep && !parameters.timm.withNoise
            ? "scale = numel / (kept + 1e-7) = \(count) / (\(kept) + 1e-7)" : "timm without scale_by_keep: scale"
    }
}
