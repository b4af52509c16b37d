import Foundation

/// `dropblock stats`' progress on a terminal: `stats: row 5 of 20` on stderr, rewritten in
/// place after each row once a second has passed, and cleared before the table. A run on
/// large maps measures for tens of seconds, and said nothing until it ended (verification
/// round: 26 s of silence on a 512x512 map). Nothing is written where stderr is not a
/// terminal, so scripts and pipes see the same output as before.
struct StatsProgress {
    /// The rows the run makes.
    let total: Int
    /// Whether stderr is a terminal.
    let isTerminal: Bool
    /// When the run started, and whether a line is on screen.
    private let start = Date()
    private var shown = false

    init(total: Int, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.isTerminal = isTerminal
    }

    /// The line after `done` rows.
    static func line(done: Int, total: Int) -> String { "stats: row \(done) of \(total)" }

    /// Notes that `done` rows are made.
    mutating func update(done: Int) {
        guard isTerminal, done < total, Date().timeIntervalSince(start) >= 1 else { return }
        FileHandle.standardError.write(Data(("\r" + Self.line(done: done, total: total) + "\u{1B}[K").utf8))
        shown = true
    }

    /// Clears the line, if one was shown.
    mutating func finish() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
