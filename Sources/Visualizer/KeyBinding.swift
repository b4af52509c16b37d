/// One key binding: the keys, the action, and the words the help overlay shows.
public struct KeyBinding: Sendable {
    /// Every key that triggers it (arrows as `ArrowKey` characters).
    public let keys: [Character]
    /// How the help overlay and the hint line name the keys.
    public let label: String
    /// What the keys do.
    public let action: VizAction
    /// The help overlay's words for it.
    public let help: String
}
