/// The visualizer's event loop over any `TerminalBackend`: paint the session's frame, wait
/// for an event, turn it into an action (`KeyBindings`), apply it, and again, until `q`/Esc
/// or the end of input. The terminal is restored however the loop ends.
public struct EventLoop {
    /// Milliseconds between autoplay ticks (about 4 per second).
    public static let tickMilliseconds: Int32 = 250

    /// Draws the session's model into frames.
    public let renderer: FrameRenderer
    /// A crash drill for the tests: a real Swift trap after the first frame, to check that the
    /// terminal comes back from a crash as it does from `q`.
    public let crashDrill: Bool
    /// From this many units per sample, the frame on screen is marked busy while a key's or a
    /// click's action runs (`BusyMark`).
    public let busyUnits: Int

    /// A loop drawing with `renderer`; `crashDrill` traps after the first frame; samples of
    /// `busyUnits` units or more are marked busy while an action runs.
    public init(renderer: FrameRenderer, crashDrill: Bool = false, busyUnits: Int = BusyMark.defaultUnits) {
        self.renderer = renderer
        self.crashDrill = crashDrill
        self.busyUnits = busyUnits
    }

    /// Runs `session` on `backend` until it quits or the input ends, then restores the backend.
    public func run<Backend: TerminalBackend>(_ session: inout VizSession, on backend: inout Backend) {
        defer { backend.restore() }
        var mouseOn = false
        while true {
            let screen = backend.size
            // Mouse clicks only in seed mode, so the terminal's own selection works elsewhere.
            let seedMode: Bool
            if case .seeds = session.model.modal { seedMode = true } else { seedMode = false }
            if seedMode != mouseOn {
                backend.setMouseReporting(seedMode)
                mouseOn = seedMode
            }
            let frame = renderer.render(session.model, width: screen.width, height: screen.height)
            backend.paint(frame)
            if crashDrill { preconditionFailure("crash drill (DROPBLOCK_CRASH_DRILL=1)") }
            guard let event = backend.nextEvent(timeoutMilliseconds: session.model.autoplay ? Self.tickMilliseconds : nil) else { return }
            let input = session.model.input
            // Not on autoplay's ticks: the mark would blink four times a second.
            let busy = input.channels * input.spatial.reduce(1, *) >= busyUnits
            switch event {
            case .tick:
                session.apply(.tick, screen: screen)
            case .resize:
                // The next pass lays the frame out for the new size.
                continue
            case .click(let x, let y):
                if busy { backend.paint(BusyMark.marked(frame)) }
                session.apply(.click(x: x, y: y), screen: screen)
            case .key(let character):
                guard let action = KeyBindings.action(for: character) else { continue }
                if busy && action != .quit { backend.paint(BusyMark.marked(frame)) }
                if !session.apply(action, screen: screen) { return }
            }
        }
    }
}
