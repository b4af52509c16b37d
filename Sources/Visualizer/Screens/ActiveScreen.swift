/// The screen on show: exactly one at a time, each with its own state.
public enum ActiveScreen: Sendable {
    /// The four panels (with the dropout row, sweep and zoom the model's `main` holds).
    case main
    /// Every channel as a small panel (`g`).
    case grid(GridScreen)
    /// The presets side by side (`p`).
    case presets(PresetsScreen)
    /// Block size across a network's stages (`b`).
    case stages(StagesScreen)
    /// The guided walk-through (`t`).
    case walk(WalkScreen)

    /// Which screen this is, without its state.
    public var kind: ScreenKind {
        switch self {
        case .main: return .main
        case .grid: return .grid
        case .presets: return .presets
        case .stages: return .stages
        case .walk: return .walk
        }
    }
}
