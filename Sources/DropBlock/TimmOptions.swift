/// The options of timm's `drop_block_2d`, used only by the `.timm` preset.
public struct TimmOptions: Equatable, Sendable {
    /// Multiplies gamma (timm's `gamma_scale`, default 1).
    public var gammaScale: Double
    /// One mask per sample shared by all channels (timm's `couple_channels`, default true).
    public var coupleChannels: Bool
    /// Rescale kept units by `numel / (sum + 1e-7)` (timm's `scale_by_keep`, default true).
    public var scaleByKeep: Bool
    /// Fill dropped units with standard Gaussian noise and do not rescale (timm's `with_noise`).
    public var withNoise: Bool

    /// Creates timm options; the defaults are timm's.
    public init(gammaScale: Double = 1, coupleChannels: Bool = true, scaleByKeep: Bool = true, withNoise: Bool = false) {
        self.gammaScale = gammaScale
        self.coupleChannels = coupleChannels
        self.scaleByKeep = scaleByKeep
        self.withNoise = withNoise
    }
}
