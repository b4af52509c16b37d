#if canImport(Glibc)
import Glibc
#endif
import CNCurses
import Visualizer

/// The real terminal as a `TerminalBackend`: ncurses' screen, keys and mouse, and nothing of
/// the visualizer's own logic (that is `EventLoop`'s).
struct CursesBackend: TerminalBackend {
    /// The ncurses screen (`newterm`'s), freed by `restore()`.
    let screen: OpaquePointer
    /// Its standard window, painted and read.
    let window: UnsafeMutablePointer<WINDOW>
    /// The colour tier frames are painted in (detected, or `--color`).
    let tier: ColorTier
    /// Why a forced `--color` tier could not be drawn as asked (nil when it was, or when detected).
    let tierNote: String?
    private var painter: CursesPainter

    /// Whether the terminal can be used, before any screen opens: standard input and output are
    /// a TTY, and `TERM` is known and has cursor addressing (`TERM=dumb` would get a garbled line).
    static func checkUsable(environment: [String: String]) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        let term = environment["TERM"] ?? ""
        switch cnc_term_can_address() {
        case ..<0: throw .unknownTerminal(term)
        case 0: throw .noCursorAddressing(term)
        default: break
        }
    }

    /// Opens the terminal: checks it can be used, installs `CrashGuard`, enters curses mode.
    /// Returns nil (with everything undone) if curses gives no standard screen.
    /// - Throws: `TerminalError` before the screen opens (no TTY, unknown TERM, no cursor addressing).
    static func open(colorOverride: ColorTier?, environment: [String: String]) throws(TerminalError) -> CursesBackend? {
        try checkUsable(environment: environment)
        // A parent may hand us these blocked (the mask is inherited); resize and quit need them.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signal in [SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGTSTP, SIGCONT] { sigaddset(&wanted, signal) }
        sigprocmask(SIG_UNBLOCK, &wanted, nil)
        setlocale(LC_ALL, "")
        let utf8 = cnc_locale_is_utf8() != 0
        // Before newterm: ncurses then leaves SIGTERM to us (it would exit 1 from its own handler).
        CrashGuard.install()
        guard let screen = newterm(nil, cnc_stdout(), cnc_stdin()) else {
            CrashGuard.uninstall()
            throw .unknownTerminal(environment["TERM"] ?? "")
        }
        set_term(screen)
        guard let window = cnc_stdscr() else {
            close(screen)
            return nil
        }
        if has_colors() {
            start_color()
            use_default_colors()
        }
        cbreak()
        noecho()
        keypad(window, true)
        _ = curs_set(0)
        set_escdelay(25)

        let colors = has_colors() ? Int(cnc_colors()) : 0
        var tier = ColorTier.detect(environment: environment, utf8: utf8, terminalColors: colors), note: String?
        if let colorOverride {
            (tier, note) = ColorTier.forced(colorOverride, terminalColors: colors, utf8: utf8, term: environment["TERM"] ?? "")
        }
        return CursesBackend(screen: screen, window: window, tier: tier, tierNote: note, painter: CursesPainter(window: window, tier: tier))
    }

    /// The window's size in cells.
    var size: ScreenSize { ScreenSize(width: Int(getmaxx(window)), height: Int(getmaxy(window))) }

    /// Paints `frame` through `CursesPainter`.
    mutating func paint(_ frame: Frame) { painter.paint(frame) }

    /// Reads keys until one means something: ERR (the timeout) is a tick, KEY_RESIZE a resize
    /// (with a full repaint next), a mouse click a click, arrows and bytes keys. Never nil.
    func nextEvent(timeoutMilliseconds: Int32?) -> TerminalEvent? {
        while true {
            wtimeout(window, timeoutMilliseconds ?? -1)
            let key = wgetch(window)
            if key == cnc_err() { return .tick }
            if key == cnc_key_resize() {
                // The terminal may have dropped what was on screen; repaint everything, not a diff.
                clearok(window, true)
                return .resize
            }
            if key == cnc_key_mouse() {
                var x: Int32 = 0, y: Int32 = 0
                if cnc_mouse_click(&x, &y) != 0 { return .click(x: Int(x), y: Int(y)) }
                continue
            }
            if let arrow = Self.arrows[key] { return .key(arrow) }
            // Other special keys (function keys, ...) mean nothing here.
            guard key >= 0, key < 256, let scalar = UnicodeScalar(UInt32(key)) else { continue }
            return .key(Character(scalar))
        }
    }

    /// Asks the terminal to report clicks, or to stop.
    func setMouseReporting(_ on: Bool) { cnc_mouse(on ? 1 : 0) }

    /// Leaves curses mode (cooked terminal again) and puts back the signal handlers.
    func restore() { Self.close(screen) }

    /// Leaves curses mode, frees the screen and puts back the signal handlers.
    private static func close(_ screen: OpaquePointer) {
        endwin()
        delscreen(screen)
        CrashGuard.uninstall()
    }

    /// ncurses' arrow key codes, as `KeyBindings` names them.
    private static let arrows: [Int32: Character] = [cnc_key_up(): ArrowKey.up, cnc_key_down(): ArrowKey.down,
                                                     cnc_key_left(): ArrowKey.left, cnc_key_right(): ArrowKey.right]
}
