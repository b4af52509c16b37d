import Testing
import Visualizer

/// An in-memory `TerminalBackend` (as ratatui's `TestBackend`): it replays a script of
/// inputs and records what the loop did with them.
struct TestBackend: TerminalBackend {
    /// One scripted input.
    enum Input: Equatable {
        /// A key, as `KeyBindings` names it.
        case key(Character)
        /// A click at a cell.
        case click(x: Int, y: Int)
        /// The screen becomes `width` by `height` cells.
        case resize(width: Int, height: Int)
        /// The wait for a key times out.
        case tick
    }

    private(set) var size: ScreenSize
    /// What is left of the script.
    private(set) var script: [Input]
    /// Every frame painted, in order.
    private(set) var frames: [Frame] = []
    /// The timeout of every wait, in order (nil: wait for ever).
    private(set) var waits: [Int32?] = []
    /// Mouse reporting now, and how often it was switched.
    private(set) var mouseReporting = false
    private(set) var mouseSwitches = 0
    /// How often the terminal was restored.
    private(set) var restoreCount = 0

    /// A `width` by `height` screen replaying `script`.
    init(width: Int, height: Int, script: [Input]) {
        size = ScreenSize(width: width, height: height)
        self.script = script
    }

    /// A script of keys, one per character.
    static func keys(_ keys: String) -> [Input] { keys.map { .key($0) } }

    mutating func paint(_ frame: Frame) {
        // A real terminal cannot show a frame of another size than its own.
        if frame.width != size.width || frame.height != size.height {
            Issue.record("a \(frame.width)x\(frame.height) frame painted on a \(size.width)x\(size.height) screen")
        }
        frames.append(frame)
    }

    mutating func nextEvent(timeoutMilliseconds: Int32?) -> TerminalEvent? {
        waits.append(timeoutMilliseconds)
        guard !script.isEmpty else { return nil }
        switch script.removeFirst() {
        case .key(let character): return .key(character)
        case .click(let x, let y): return .click(x: x, y: y)
        case .tick: return .tick
        case .resize(let width, let height):
            size = ScreenSize(width: width, height: height)
            return .resize
        }
    }

    mutating func setMouseReporting(_ on: Bool) {
        mouseReporting = on
        mouseSwitches += 1
    }

    mutating func restore() { restoreCount += 1 }
}
