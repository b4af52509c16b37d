/// The arrow keys as characters (Unicode private use, as AppKit's function keys), so that
/// they bind like any other key.
public enum ArrowKey {
    /// The up arrow.
    public static let up = Character("\u{F700}")
    /// The down arrow.
    public static let down = Character("\u{F701}")
    /// The left arrow.
    public static let left = Character("\u{F702}")
    /// The right arrow.
    public static let right = Character("\u{F703}")
    /// `--keys` names.
    public static let named: [String: Character] = ["up": up, "down": down, "left": left, "right": right]
}
