/// Everything that configures a DropBlock layer, independent of its rank.
public struct DropBlockParameters: Equatable, Sendable {
    /// The target fraction of units to drop, in `[0, 1]`.
    public var dropProb: Double
    /// The block edge length before any preset clipping (>= 1).
    public var blockSize: Int
    /// Whose semantics to reproduce.
    public var preset: Preset
    /// When false the layer is the identity.
    public var isTraining: Bool
    /// timm's options (used by `.timm` only).
    public var timm: TimmOptions
    /// Overrides the preset's mask sharing across channels.
    public var sharing: MaskSharing
    /// Replace the preset's gamma by one that makes the expected dropped fraction equal `dropProb`.
    public var calibrated: Bool

    /// Creates parameters; defaults follow the PyPI `dropblock` package (block 7, p 0.1).
    public init(
        dropProb: Double = 0.1,
        blockSize: Int = 7,
        preset: Preset = .dropblock,
        isTraining: Bool = true,
        timm: TimmOptions = TimmOptions(),
        sharing: MaskSharing = .presetDefault,
        calibrated: Bool = false
    ) {
        self.dropProb = dropProb
        self.blockSize = blockSize
        self.preset = preset
        self.isTraining = isTraining
        self.timm = timm
        self.sharing = sharing
        self.calibrated = calibrated
    }

    /// Whether masks are shared across channels once overrides are applied.
    public var sharesMask: Bool {
        switch sharing {
        case .shared: return true
        case .perChannel: return false
        case .presetDefault: return preset == .timm ? timm.coupleChannels : preset.sharesMaskByDefault
        }
    }

    /// Checks the rank-independent parameters.
    public func validate() throws(DropBlockError) {
        guard dropProb.isFinite, dropProb >= 0, dropProb <= 1 else { throw .invalidDropProbability(dropProb) }
        guard blockSize >= 1 else { throw .invalidBlockSize(blockSize) }
        if preset == .timm {
            guard timm.gammaScale.isFinite, timm.gammaScale >= 0 else { throw .invalidGammaScale(timm.gammaScale) }
        }
    }

    /// The seed probability the preset's own formula gives for `spatial` (no calibration).
    ///
    /// The arithmetic follows each reference's expression order so the value matches bit for bit.
    public func presetGamma(spatial: [Int]) -> Double {
        let p = dropProb
        switch preset {
        case .dropblock:
            var denominator = 1.0
            for _ in spatial { denominator *= Double(blockSize) }
            return p / denominator
        // Products of extents are formed in Double: exact (so bit for bit the same as integer
        // products) below 2^53, and no trap on extents whose product overflows `Int`.
        case .torchvision:
            let cb = min(blockSize, spatial.min() ?? blockSize)
            var area = 1.0
            var blockVolume = 1.0
            var validVolume = 1.0
            for extent in spatial {
                area *= Double(extent)
                blockVolume *= Double(cb)
                validVolume *= Double(extent - cb + 1)
            }
            return p * area / (blockVolume * validVolume)
        case .timm:
            let h = spatial[spatial.count - 2], w = spatial[spatial.count - 1]
            let kh = min(blockSize, h), kw = min(blockSize, w)
            return timm.gammaScale * p * Double(h) * Double(w) / (Double(kh) * Double(kw))
                / (Double(h - kh + 1) * Double(w - kw + 1))
        case .tf:
            let w = spatial[spatial.count - 1]
            let cb = min(blockSize, w)
            // The reference computes (1 - keep_prob) * width**2 / size**2 / (width - size + 1)**2.
            let rate = 1.0 - (1.0 - p)
            return rate * (Double(w) * Double(w)) / (Double(cb) * Double(cb)) / (Double(w - cb + 1) * Double(w - cb + 1))
        }
    }
}
