/// Why the interactive terminal could not be used.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// stdin or stdout is not a terminal.
    case notATerminal
    /// ncurses does not know `TERM`.
    case unknownTerminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the visualizer needs a terminal (stdin and stdout must be a TTY); use 'dropblock render' for text output"
        case .unknownTerminal(let term):
            return "unknown terminal type '\(term)' (set TERM to one your system knows, e.g. xterm-256color)"
        }
    }
}
