/// Why the interactive terminal could not be used.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// stdin or stdout is not a terminal.
    case notATerminal
    /// ncurses does not know `TERM`.
    case unknownTerminal(String)
    /// `TERM` names a terminal that cannot move the cursor (e.g. `dumb`).
    case noCursorAddressing(String)

    /// The message for the user, with what to do instead.
    public var description: String {
        switch self {
        case .notATerminal:
            return "the visualizer needs a terminal (stdin and stdout must be a TTY); use 'dropblock render' for text output"
        case .unknownTerminal(let term) where term.isEmpty:
            return "TERM is not set (set it to your terminal's type, e.g. xterm-256color)"
        case .unknownTerminal(let term):
            return "unknown terminal type '\(term)' (set TERM to one your system knows, e.g. xterm-256color)"
        case .noCursorAddressing(let term):
            return "terminal type '\(term)' cannot move the cursor (set TERM to e.g. xterm-256color, or use 'dropblock render')"
        }
    }
}
