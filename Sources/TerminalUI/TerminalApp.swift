import Visualizer

/// The interactive visualizer in a real terminal: `EventLoop` over `CursesBackend`.
public enum TerminalApp {
    /// Throws the error `run` would throw before its screen opens (no TTY, unknown `TERM`, no
    /// cursor addressing), so that a caller can say so before it loads anything.
    public static func check(environment: [String: String]) throws(TerminalError) {
        try CursesBackend.checkUsable(environment: environment)
    }

    /// Runs `session` until `q` or Esc. `colorOverride` replaces detection (`--color`).
    ///
    /// The session is `inout`, so that the loop's copy is the only one: a draw it lets go of is
    /// freed (a copy held by the caller kept the first draw alive, so a large map's next draw
    /// could not fit beside it under a memory limit).
    /// - Throws: `TerminalError` before the screen opens (no TTY, unknown TERM, no cursor addressing).
    public static func run(session: inout VizSession, colorOverride: ColorTier?, environment: [String: String]) throws(TerminalError) {
        guard var backend = try CursesBackend.open(colorOverride: colorOverride, environment: environment) else { return }
        // A forced tier the terminal cannot draw: the first frame says what is drawn instead.
        if let note = backend.tierNote { session.note(note) }
        // A crash drill for the tests: a real Swift trap after the first frame, to check that
        // the terminal comes back from a crash as it does from `q`.
        let loop = EventLoop(renderer: FrameRenderer(tier: backend.tier), crashDrill: environment["DROPBLOCK_CRASH_DRILL"] == "1")
        // The loop restores the terminal when it ends.
        loop.run(&session, on: &backend)
    }
}
