/// How a uniform draw `u` becomes a seed: a plain value evaluated per unit in the hot loop
/// (no existential or closure call there).
public enum SeedRule: Equatable, Sendable {
    /// PyTorch presets: `u < gamma`, compared in float32.
    case lessThan(Float)
    /// The TensorFlow form: a seed unless `keepBias + u >= 1` in float32, with
    /// `keepBias = float32(1 - gamma)` (tf and keras-cv, inside their seed regions).
    case tensorFlow(keepBias: Float)

    /// The rule `preset` uses at `gamma`.
    public init(preset: Preset, gamma: Double) {
        self = preset.rules.seedRule(gamma: gamma)
    }

    /// Whether a unit with draw `u` is a seed.
    @inline(__always)
    public func isSeed(_ u: Float) -> Bool {
        switch self {
        case .lessThan(let gamma): return u < gamma
        case .tensorFlow(let bias): return !(bias + u >= 1)
        }
    }
}
