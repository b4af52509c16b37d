#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NumpyIO

/// Removes the files being written (`PartialFiles`) when the process is interrupted or told
/// to stop, then lets the signal end it as usual: an `apply` of a large file stopped with
/// Ctrl-C left a `name.partial-PID` file of gigabytes behind.
///
/// Installed by the commands that write large files (`apply`, `render --output`), not by the
/// visualizer: ncurses installs its own SIGINT handler, which restores the terminal, only
/// where the program has none.
enum Interrupts {
    /// The signals that end a command from outside.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handler for `signals`, except those the parent ignores (`nohup`), and
    /// unblocks them: a mask inherited from a parent's thread would hold them back until the
    /// command had finished.
    static func install() {
        PartialFiles.prepare()
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in signals {
            var current = sigaction()
            sigaction(signal, nil, &current)
            #if canImport(Glibc)
            let ignored = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #else
            let ignored = unsafeBitCast(current.__sigaction_u.__sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #endif
            if ignored { continue }
            sigaddset(&unblock, signal)
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = removePartialFilesAndResume
            #else
            action.__sigaction_u.__sa_handler = removePartialFilesAndResume
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
    }
}

/// The handler: remove the files being written, restore the default action and raise the
/// signal again (delivered when this returns), so the process ends as the signal says.
private func removePartialFilesAndResume(_ number: Int32) {
    PartialFiles.removeAll()
    signal(number, SIG_DFL)
    raise(number)
}
