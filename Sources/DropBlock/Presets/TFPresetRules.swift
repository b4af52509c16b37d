/// The TensorFlow TPU reference by the paper's authors (`tensorflow/tpu`,
/// `models/official/resnet/resnet_model.py`, `dropblock`).
///
/// Square maps only; the block clipped to the map (`cb = min(bs, W)`), centred on seeds
/// allowed only where the whole block fits; the seed rule in float32,
/// `float32(1 - gamma) + u < 1`; one mask per channel; scale `1 / (sum / numel)`, NaN (here
/// zeros) when everything is dropped.
public struct TFPresetRules: PresetRules {
    /// Creates the rules.
    public init() {}

    /// `.tf`.
    public var preset: Preset { .tf }
    /// The library and version reproduced.
    public var library: String { "tensorflow/tpu resnet_model.py" }
    /// The spatial ranks tf runs on.
    public var supportedSpatialRanks: [Int] { [2] }
    /// tensorflow/tpu's `dropblock` is the paper's authors' code: Eq. 1, seeds where a block fits.
    public var isPaperAuthorsCode: Bool { true }

    /// Whether tf shares one mask across a sample's channels by default.
    public func sharesMaskByDefault(_ parameters: DropBlockParameters) -> Bool { false }

    /// Tf's gamma, in its reference's expression order and precision.
    public func gamma(_ parameters: DropBlockParameters, spatial: [Int]) -> Double {
        let w = spatial[spatial.count - 1]
        let cb = min(parameters.blockSize, w)
        // The reference computes (1 - keep_prob) * width**2 / size**2 / (width - size + 1)**2.
        let rate = 1.0 - (1.0 - parameters.dropProb)
        return rate * (Double(w) * Double(w)) / (Double(cb) * Double(cb)) / (Double(w - cb + 1) * Double(w - cb + 1))
    }

    /// Tf's gamma formula with the numbers filled in; a block larger than the map is named `b`,
    /// clipped to W.
    public func gammaFormula(_ parameters: DropBlockParameters, spatial: [Int], format: (Double) -> String) -> String {
        let w = spatial[spatial.count - 1], cb = min(parameters.blockSize, w)
        // The clipped block's definition follows the chain: inside it, `b = ... = 7 = 0.1*...` read as b = 0.1 (round 24).
        let (b, clipped) = cb == parameters.blockSize ? ("bs", "") : ("b", ", where b = min(bs, W) = \(cb)")
        return "gamma = p*W^2 / \(b)^2 / (W-\(b)+1)^2 = \(format(parameters.dropProb))*\(w)^2 / \(cb)^2 / \(w - cb + 1)^2"
            + " = \(format(gamma(parameters, spatial: spatial)))\(clipped)"
    }

    /// Tf counts the seed positions of a square map of side W, `(W-b+1)^2`.
    public func countedSeedPositions(_ parameters: DropBlockParameters, spatial: [Int]) -> (formula: String, count: Int)? {
        let w = spatial[spatial.count - 1], cb = min(parameters.blockSize, w)
        return ("(W-bs+1)^2 = \((w - cb + 1) * (w - cb + 1))", (w - cb + 1) * (w - cb + 1))
    }

    /// Tf's seed region and block window per axis.
    public func seedGeometry(spatial: [Int], blockSize: Int) throws(DropBlockError) -> SeedGeometry {
        let h = spatial[0], w = spatial[1]
        guard h == w else { throw .nonSquareMap(height: h, width: w) }
        let cb = min(blockSize, w)
        return SeedGeometry(spatial: spatial, window: [cb, cb], lowOffset: [cb / 2, cb / 2],
                            seedRegion: spatial.map { (cb / 2)..<($0 - (cb - 1) / 2) })
    }

    /// Tf's seed rule at `gamma`.
    public func seedRule(gamma: Double) -> SeedRule { .tensorFlow(keepBias: Float(1 - gamma)) }

    /// Why tf's seeds fall where they may.
    public var seedRegionNote: String { "tf allows only centres whose whole block fits inside the map." }
    /// Why a position outside tf's seed region cannot hold a seed.
    public var seedRegionReason: String { "a block centred on its seed must fit" }
    /// Whether tf clips the block to the map before placing it.
    public var clipsBlockToMap: Bool { true }

    /// The layout of tf's uniform draw.
    public var noiseLayout: NoiseLayout { NoiseLayout() }

    /// Tf's rescaling factor, and its NaN case.
    public func rescale(kept: Int, count: Int, parameters: DropBlockParameters) -> RescaleOutcome {
        RescaleOutcome.dividing(kept: kept) { 1 / (Float(kept) / Float(count)) }
    }

    /// Tf's rescaling formula with the numbers filled in.
    public func rescaleFormula(kept: Int, count: Int, parameters: DropBlockParameters) -> String {
        "scale = 1 / (kept / numel) = 1 / (\(kept) / \(count))"
    }
}
