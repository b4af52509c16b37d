#if canImport(Glibc)
import Glibc
#endif
import CNCurses

/// Restores the terminal when the process is killed or traps.
///
/// SIGTERM: leave curses mode, then die of the signal as before. Fault signals (a Swift
/// trap arrives as SIGILL/SIGTRAP): leave curses mode, put back the previous handler
/// (Swift's backtracer) and return, so the fault repeats into it and the backtrace prints
/// on a sane terminal. Ctrl-C is left to ncurses' own handler, which does the same.
enum CrashGuard {
    static let faultSignals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

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

    static func uninstall() {
        for signal in faultSignals + [SIGTERM, SIGHUP] {
            if var previous = SavedHandlers.load(signal) { sigaction(signal, &previous, nil) }
        }
    }
}

/// Previous handlers, kept in fixed storage a signal handler can read without allocating.
enum SavedHandlers {
    nonisolated(unsafe) static var actions: [sigaction] = Array(repeating: sigaction(), count: 65)
    nonisolated(unsafe) static var present = [Bool](repeating: false, count: 65)

    static func store(_ signal: Int32, _ action: sigaction) {
        guard signal >= 0, signal < 65 else { return }
        actions[Int(signal)] = action
        present[Int(signal)] = true
    }

    static func load(_ signal: Int32) -> sigaction? {
        guard signal >= 0, signal < 65, present[Int(signal)] else { return nil }
        return actions[Int(signal)]
    }
}

private func restoreTerminalAndResume(_ signal: Int32) {
    endwin()
    if var previous = SavedHandlers.load(signal) {
        sigaction(signal, &previous, nil)
    } else {
        Glibc.signal(signal, SIG_DFL)
    }
    if signal == SIGTERM || signal == SIGHUP {
        // Die of the same signal, as if no handler had been there.
        raise(signal)
    }
    // Fault signals: returning re-executes the faulting instruction into the previous handler.
}
