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
        case .presetDefault: return preset.rules.sharesMaskByDefault(self)
        }
    }

    /// Whether dropped units take Gaussian noise instead of zeros (timm's `with_noise`).
    public var fillsDroppedWithNoise: Bool { preset.rules.fillsDroppedWithNoise(self) }

    /// Checks the rank-independent parameters.
    public func validate() throws(DropBlockError) {
        guard dropProb.isFinite, dropProb >= 0, dropProb <= 1 else { throw .invalidDropProbability(dropProb) }
        guard blockSize >= 1 else { throw .invalidBlockSize(blockSize) }
        try preset.rules.validateOptions(self)
    }

    /// The seed probability the preset's own formula gives for `spatial` (no calibration).
    ///
    /// The arithmetic follows each reference's expression order so the value matches bit for bit.
    public func presetGamma(spatial: [Int]) -> Double {
        preset.rules.gamma(self, spatial: spatial)
    }

    /// Whether the layer returns its input unchanged: in eval mode, or at p = 0, where every
    /// reference returns before it computes gamma (its plan's gamma is then 0).
    public var isIdentityLayer: Bool {
        !isTraining || !(dropProb > 0)
    }
}
