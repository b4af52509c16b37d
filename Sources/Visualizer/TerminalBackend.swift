/// A screen the event loop paints and reads: ncurses in a real terminal, a scripted screen in
/// the tests (as ratatui's `TestBackend`), so that the loop runs the same over either.
public protocol TerminalBackend {
    /// The screen's size now, in cells.
    var size: ScreenSize { get }
    /// Shows `frame` (as large as `size`).
    mutating func paint(_ frame: Frame)
    /// Waits for the next event: a `.tick` once `timeoutMilliseconds` pass without one, or
    /// for ever when it is nil. Returns nil when no event can come any more (the input ended).
    mutating func nextEvent(timeoutMilliseconds: Int32?) -> TerminalEvent?
    /// Turns the reporting of mouse clicks on or off (on only in seed mode, so that the
    /// terminal's own selection works elsewhere).
    mutating func setMouseReporting(_ on: Bool)
    /// Gives the terminal back as it was (out of raw mode); called once, when the loop ends.
    mutating func restore()
}
