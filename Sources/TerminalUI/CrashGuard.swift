#if canImport(Glibc)
import Glibc
#endif
import CNCurses

/// Restores the terminal when the process is killed or traps.
///
/// Every guarded signal: leave curses mode, put back the previous handler (for a Swift trap,
/// which arrives as SIGILL/SIGTRAP, that is Swift's backtracer) and raise the signal again,
/// so it is handled exactly as if we had not been there — the backtrace prints on a sane
/// terminal, SIGTERM ends the process with its usual status. Ctrl-C is left to ncurses' own
/// handler, which restores the terminal too.
enum CrashGuard {
    /// The signals a crash arrives as (a Swift trap is SIGILL or SIGTRAP).
    static let faultSignals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    /// Guards the fault signals, SIGTERM and SIGHUP, remembering the handlers they had.
    static func install() {
        for signal in faultSignals + [SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = restoreTerminalAndResume
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var previous = sigaction()
            sigaction(signal, &action, &previous)
            SavedHandlers.store(signal, previous)
        }
    }

    /// Puts back the handlers `install()` replaced.
    static func uninstall() {
        for signal in faultSignals + [SIGTERM, SIGHUP] {
            if var previous = SavedHandlers.load(signal) { sigaction(signal, &previous, nil) }
        }
    }
}

/// Previous handlers, kept in fixed storage a signal handler can read without allocating
/// (a small helper of `CrashGuard`, beside it).
fileprivate enum SavedHandlers {
    nonisolated(unsafe) static var actions: [sigaction] = Array(repeating: sigaction(), count: 65)
    nonisolated(unsafe) static var present = [Bool](repeating: false, count: 65)

    /// Remembers `action` as the handler `signal` had.
    static func store(_ signal: Int32, _ action: sigaction) {
        guard signal >= 0, signal < 65 else { return }
        actions[Int(signal)] = action
        present[Int(signal)] = true
    }

    /// The handler `signal` had, if it was stored.
    static func load(_ signal: Int32) -> sigaction? {
        guard signal >= 0, signal < 65, present[Int(signal)] else { return nil }
        return actions[Int(signal)]
    }
}

/// The handler: leave curses mode, put back the previous handler and raise the signal again.
private func restoreTerminalAndResume(_ signal: Int32) {
    endwin()
    if var previous = SavedHandlers.load(signal) {
        sigaction(signal, &previous, nil)
    } else {
        Glibc.signal(signal, SIG_DFL)
    }
    // Pending until this handler returns (the signal is blocked while it runs), then
    // delivered to the previous handler. A real fault would also repeat on return.
    raise(signal)
}
