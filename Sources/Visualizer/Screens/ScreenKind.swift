/// The screens, by name.
public enum ScreenKind: String, Sendable, CaseIterable {
    /// The four panels.
    case main
    /// Every channel (`g`).
    case grid
    /// The presets side by side (`p`).
    case presets
    /// Block size across stages (`b`).
    case stages
    /// The guided walk-through (`t`).
    case walk
}
