#if canImport(Glibc)
import Glibc
#endif
import CNCurses
import Visualizer

/// The interactive visualizer in a real terminal: a thin loop that paints frames and reads keys.
public enum TerminalApp {
    /// Milliseconds between autoplay ticks (about 4 per second).
    static let tickMilliseconds: Int32 = 250

    /// Runs until `q` or Esc. `colorOverride` replaces detection (`--color`).
    /// - Throws: `TerminalError` before the screen opens (no TTY, unknown TERM, no cursor addressing).
    public static func run(session initial: VizSession, colorOverride: ColorTier?, environment: [String: String]) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        // A parent may hand us these blocked (the mask is inherited); resize and quit need them.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signal in [SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGTSTP, SIGCONT] { sigaddset(&wanted, signal) }
        sigprocmask(SIG_UNBLOCK, &wanted, nil)
        // Before any screen opens: a terminal without cursor addressing (TERM=dumb) would get a garbled line.
        let term = environment["TERM"] ?? ""
        switch cnc_term_can_address() {
        case ..<0: throw .unknownTerminal(term)
        case 0: throw .noCursorAddressing(term)
        default: break
        }
        setlocale(LC_ALL, "")
        let utf8 = cnc_locale_is_utf8() != 0
        // Before newterm: ncurses then leaves SIGTERM to us (it would exit 1 from its own handler).
        CrashGuard.install()
        guard let screen = newterm(nil, cnc_stdout(), cnc_stdin()) else {
            CrashGuard.uninstall()
            throw .unknownTerminal(environment["TERM"] ?? "")
        }
        set_term(screen)
        defer {
            endwin()
            delscreen(screen)
            CrashGuard.uninstall()
        }
        guard let window = cnc_stdscr() else { return }
        if has_colors() {
            start_color()
            use_default_colors()
        }
        cbreak()
        noecho()
        keypad(window, true)
        _ = curs_set(0)
        set_escdelay(25)

        var tier = colorOverride ?? ColorTier.detect(environment: environment, utf8: utf8, terminalColors: has_colors() ? Int(cnc_colors()) : 0)
        // Box drawing and half blocks need UTF-8; without it every tier falls back to ASCII.
        if !utf8 { tier = .ascii }
        let renderer = FrameRenderer(tier: tier)
        var painter = CursesPainter(window: window, tier: tier)
        var session = initial
        // A crash drill for the tests: a real Swift trap after the first frame, to check that
        // the terminal comes back from a crash as it does from `q`.
        let crashDrill = environment["DROPBLOCK_CRASH_DRILL"] == "1"
        var mouseOn = false
        while true {
            let height = Int(getmaxy(window)), width = Int(getmaxx(window))
            // Mouse clicks only in seed mode, so the terminal's own selection works elsewhere.
            let seedMode: Bool
            if case .seeds = session.model.modal { seedMode = true } else { seedMode = false }
            if seedMode != mouseOn {
                cnc_mouse(seedMode ? 1 : 0)
                mouseOn = seedMode
            }
            painter.paint(renderer.render(session.model, width: width, height: height))
            if crashDrill { preconditionFailure("crash drill (DROPBLOCK_CRASH_DRILL=1)") }
            wtimeout(window, session.model.autoplay ? tickMilliseconds : -1)
            let key = wgetch(window)
            if key == cnc_err() {
                session.apply(.tick, screen: ScreenSize(width: width, height: height))
                continue
            }
            if key == cnc_key_resize() {
                // The terminal may have dropped what was on screen; repaint everything, not a diff.
                clearok(window, true)
                continue
            }
            if key == cnc_key_mouse() {
                var x: Int32 = 0, y: Int32 = 0
                if cnc_mouse_click(&x, &y) != 0 {
                    session.apply(.click(x: Int(x), y: Int(y)), screen: ScreenSize(width: width, height: height))
                }
                continue
            }
            let arrows: [Int32: Character] = [cnc_key_up(): ArrowKey.up, cnc_key_down(): ArrowKey.down,
                                              cnc_key_left(): ArrowKey.left, cnc_key_right(): ArrowKey.right]
            let character: Character
            if let arrow = arrows[key] {
                character = arrow
            } else {
                guard key >= 0, key < 256, let scalar = UnicodeScalar(UInt32(key)) else { continue }
                character = Character(scalar)
            }
            guard let action = KeyBindings.action(for: character) else { continue }
            if !session.apply(action, screen: ScreenSize(width: width, height: height)) { break }
        }
    }
}
