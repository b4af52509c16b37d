/// What a terminal backend reports to the event loop.
public enum TerminalEvent: Equatable, Sendable {
    /// A key, as `KeyBindings` names it (arrows as `ArrowKey`'s characters).
    case key(Character)
    /// A mouse click at a cell (reported in seed mode only).
    case click(x: Int, y: Int)
    /// The screen changed size: the next frame is laid out for `TerminalBackend.size`.
    case resize
    /// The wait for a key timed out (an autoplay tick).
    case tick
}
