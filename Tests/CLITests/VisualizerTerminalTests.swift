import Foundation
import NumpyIO
import Testing
@testable import dropblock

/// The interactive visualizer in a real terminal (tmux), plus the cases without one.
@Suite("Visualizer in a real terminal", .serialized)
struct VisualizerTerminalTests {
    static func status(_ screen: String, _ key: String) -> String? {
        for token in screen.split(whereSeparator: { $0 == " " || $0 == "\n" }) where token.hasPrefix(key + "=") {
            return String(token.dropFirst(key.count + 1))
        }
        return nil
    }

    @Test("keys change the state, resize to 1x1 and back survives, q restores the terminal")
    func interactiveSession() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([])
        var screen = try tmux.waitFor { $0.contains("preset=dropblock") }
        #expect(screen.contains("preset=dropblock"), "no first frame:\n\(screen)")
        #expect(Self.status(screen, "block") == "7")
        #expect(screen.contains("┌ input c0 28x28"))

        try tmux.send("+")
        screen = try tmux.waitFor { Self.status($0, "block") == "8" }
        #expect(Self.status(screen, "block") == "8")

        try tmux.send("]")
        screen = try tmux.waitFor { Self.status($0, "drop_prob") == "0.11" }
        #expect(Self.status(screen, "drop_prob") == "0.11")

        try tmux.send("s")
        screen = try tmux.waitFor { Self.status($0, "step") == "1/10" }
        #expect(Self.status(screen, "step") == "1/10")
        #expect(Self.status(screen, "drop_prob") == "0")

        try tmux.send("m")
        screen = try tmux.waitFor { Self.status($0, "preset") == "torchvision" }
        #expect(Self.status(screen, "preset") == "torchvision")
        #expect(Self.status(screen, "block") == "7", "torchvision needs an odd block")

        try tmux.send("?")
        // The whole overlay: a capture can land between its first and last rows under load.
        screen = try tmux.waitFor { $0.contains("this help") && $0.contains("compare with plain dropout") }
        #expect(screen.contains("compare with plain dropout"))
        try tmux.send("?")

        try tmux.tmux(["resize-window", "-x", "1", "-y", "1"])
        // Still alive and drawing at a tiny size: 5x2 has room for the size alone (narrower
        // shows nothing, rather than a cut number).
        try tmux.tmux(["resize-window", "-x", "5", "-y", "2"])
        screen = try tmux.waitFor { $0.hasPrefix("40x16") }
        #expect(screen.hasPrefix("40x16"))
        try tmux.tmux(["resize-window", "-x", "120", "-y", "40"])
        screen = try tmux.waitFor { $0.contains("preset=torchvision") && !$0.contains("this help") }
        #expect(screen.contains("preset=torchvision"), "did not redraw after resize:\n\(screen)")
        try tmux.tmux(["resize-window", "-x", "30", "-y", "10"])
        screen = try tmux.waitFor { $0.contains("enlarge to at least") }
        #expect(screen.contains("enlarge to at least 40x16"))
        try tmux.tmux(["resize-window", "-x", "120", "-y", "40"])
        try tmux.waitFor { $0.contains("preset=") }

        try tmux.send("q")
        let ending = try tmux.waitForExit()
        #expect(ending.status == "0", "\(ending.screen)")
        // Cooked mode again: canonical input and echo on.
        #expect(ending.modes == "icanon echo", "terminal left raw:\n\(ending.screen)")
    }

    /// The CLI's first session stayed alive beside the loop's copy, and with it the first draw:
    /// under a limit that a 4000x4000 map's draw fits in once but not twice, every key after the
    /// first frame showed `error: not enough memory for this draw`, for good. View keys also
    /// drew the same draw again (0.5 s each on this map); now they keep it.
    @Test("a large map under a memory limit keeps a draw on screen through view keys, a refused dropout row and new draws")
    func largeMapUnderLimit() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        let input = tmux.scratch.path("map.npy")
        try StreamedApplyTests.sparseNPY(input, shape: [1, 1, 4000, 4000])
        try tmux.start([input], width: 120, height: 40, limitKilobytes: 900_000)
        try tmux.waitFor(timeout: 60) { Self.status($0, "draw") == "0" && $0.contains("realized=") }
        for key in ["z", "z", "g", "Escape", "b", "b", "]"] { try tmux.send(key) }
        var screen = try tmux.waitFor(timeout: 60) { Self.status($0, "drop_prob") == "0.11" && $0.contains("input c0") }
        #expect(!screen.contains("not enough memory"), "\(screen)")
        // A second pass beside the draw does not fit: the row stays closed and says so.
        try tmux.send("x")
        screen = try tmux.waitFor(timeout: 60) { $0.contains("not enough memory for the dropout row") }
        try tmux.send("Space")
        screen = try tmux.waitFor(timeout: 60) { Self.status($0, "draw") == "1" && $0.contains("input c0") }
        #expect(!screen.contains("not enough memory"), "\(screen)")
        #expect(Self.status(screen, "realized") != "-" && Self.status(screen, "gamma") != "-", "\(screen)")
        try tmux.send("q")
        let ending = try tmux.waitForExit(timeout: 30)
        #expect(ending.status == "0", "\(ending.screen)")
    }

    /// Verification round: stats measured for 26 s on a 512x512 map and said nothing.
    @Test("stats on a terminal shows its progress on stderr, and clears it before the table")
    func statsProgress() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start(["stats", "--size", "256x256", "--preset", "dropblock", "--block-size", "1,3,5,7,9,11", "--samples", "800"],
                       width: 150, height: 30)
        let during = try tmux.waitFor(timeout: 60) { $0.contains("stats: row ") }
        #expect(during.contains(" of 6"), "\(during)")
        let ending = try tmux.waitForExit(timeout: 120)
        #expect(ending.status == "0" && !ending.screen.contains("stats: row") && ending.screen.contains("256x256    11"), "\(ending.screen)")
        #expect(StatsProgress.line(done: 5, total: 20) == "stats: row 5 of 20")
    }

    @Test("the channel grid at 80x24: open, page, change the block inside it, Esc back, quit")
    func channelGrid() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([], width: 80, height: 24)
        try tmux.waitFor { $0.contains("preset=dropblock") }
        try tmux.send("g")
        // Each wait asks for the whole screen it expects: a capture can fall between two
        // halves of a redraw on a loaded machine.
        var screen = try tmux.waitFor { $0.contains("mask: shared across channels") && $0.contains("page 1/2") && $0.contains(" c0 ") }
        #expect(!screen.contains(" c15 "), "page 1 shows the first channels:\n\(screen)")
        try tmux.send("n")
        screen = try tmux.waitFor { $0.contains("page 2/2") && $0.contains(" c15 ") }
        #expect(!screen.contains(" c0 "), "page 2 shows the last channels:\n\(screen)")
        try tmux.send("+")
        screen = try tmux.waitFor { Self.status($0, "block") == "8" }
        #expect(screen.contains("page 2/2"), "+ stays in the grid:\n\(screen)")
        try tmux.send("Escape")
        screen = try tmux.waitFor { !$0.contains("mask: shared") && $0.contains("input c0") }
        #expect(Self.status(screen, "block") == "8")
        try tmux.send("q")
        let ending = try tmux.waitForExit()
        #expect(ending.status == "0", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "terminal left raw:\n\(ending.screen)")
    }

    @Test("presets (p) and stages (b) at 100x30: open, change the block inside, leave with the same key or Esc, quit")
    func presetsAndStages() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([], width: 100, height: 30)
        try tmux.waitFor { $0.contains("preset=dropblock") }
        try tmux.send("p")
        var screen = try tmux.waitFor { $0.contains("presets") && $0.contains("torchvis") && $0.contains("expected=") }
        #expect(screen.contains("gamma="), "\(screen)")
        try tmux.send("+")
        screen = try tmux.waitFor { Self.status($0, "block") == "8" }
        #expect(screen.contains("cannot run:"), "torchvision needs an odd block: its column says why\n\(screen)")
        try tmux.send("p")
        try tmux.waitFor { $0.contains("input c0") }
        try tmux.send("b")
        // The title line's long form ("block size across stages: ...") or, at 100 columns, its shorter "stages: ...".
        screen = try tmux.waitFor { $0.contains(" 7x7 ") && $0.contains("stages: ") }
        try tmux.send("-")
        screen = try tmux.waitFor { Self.status($0, "block") == "7" && $0.contains("edge") }
        try tmux.send("Escape")
        screen = try tmux.waitFor { !$0.contains("stages: ") && $0.contains("input c0") }
        try tmux.send("q")
        let ending = try tmux.waitForExit()
        #expect(ending.status == "0", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "terminal left raw:\n\(ending.screen)")
    }

    @Test("seed mode at 100x30: i, a seed by the arrows and space, the block changed, a seed by a mouse click, i leaves, quit")
    func seedMode() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([], width: 100, height: 30)
        try tmux.waitFor { $0.contains("preset=dropblock") }
        try tmux.send("i")
        var screen = try tmux.waitFor { $0.contains("seeds=by_hand(0)") && $0.contains("seed mode: arrows move the cursor X") }
        #expect(screen.contains("seed mode: arrows move the cursor X"), "\(screen)")
        try tmux.send("Left")
        try tmux.send("Space")
        screen = try tmux.waitFor { $0.contains("seeds=by_hand(1)") }
        #expect(Self.status(screen, "realized") != "0", "one seed drops a block:\n\(screen)")
        try tmux.send("+")
        screen = try tmux.waitFor { Self.status($0, "block") == "8" }
        #expect(screen.contains("seeds=by_hand(1)"), "the seed stays when the block changes:\n\(screen)")
        // A click (an X10 mouse report, as tmux forwards one) on a map cell of the seeds panel.
        let row = try #require(screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(" seeds n=") })
        let line = screen.split(separator: "\n", omittingEmptySubsequences: false)[row]
        let column = try #require(line.range(of: "┬ seeds")).lowerBound.utf16Offset(in: line)
        let (x, y) = (column + 3, row + 2)
        let press = "\u{1B}[M" + String(UnicodeScalar(UInt8(32))) + String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + y)))
        try tmux.tmux(["send-keys", "-l", press])
        screen = try tmux.waitFor { $0.contains("seeds=by_hand(2)") && $0.contains("seeds n=2") }
        #expect(screen.contains("seeds n=2"), "\(screen)")
        try tmux.send("i")
        screen = try tmux.waitFor { !$0.contains("by_hand") }
        try tmux.send("q")
        let ending = try tmux.waitForExit()
        #expect(ending.status == "0", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "terminal left raw:\n\(ending.screen)")
    }

    @Test("the walk-through at 100x30: t opens and advances, + inside, T back, Esc leaves, quit")
    func walkThrough() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([], width: 100, height: 30)
        try tmux.waitFor { $0.contains("preset=dropblock") }
        try tmux.send("t")
        try tmux.waitFor { $0.contains("1/5 (t next, T back)") }
        try tmux.send("t")
        try tmux.send("t")
        var screen = try tmux.waitFor { $0.contains("3/5 (t next, T back)") && $0.contains("gamma = p / bs^2 = 0.1 / 7^2 = 0.002041") }
        #expect(screen.contains("gamma = p / bs^2 = 0.1 / 7^2 = 0.002041"), "\(screen)")
        try tmux.send("+")
        screen = try tmux.waitFor { Self.status($0, "block") == "8" && $0.contains("0.1 / 8^2 = 0.001563") }
        #expect(screen.contains("0.1 / 8^2 = 0.001563"), "the caption follows the block size:\n\(screen)")
        try tmux.send("T")
        try tmux.waitFor { $0.contains("2/5 (t next, T back)") }
        try tmux.send("Escape")
        try tmux.waitFor { !$0.contains("(t next, T back)") && $0.contains("input c0") }
        try tmux.send("q")
        let ending = try tmux.waitForExit()
        #expect(ending.status == "0", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "terminal left raw:\n\(ending.screen)")
    }

    @Test("Esc quits; Ctrl-C and SIGTERM restore the terminal")
    func escapeAndTerminate() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([])
        try tmux.waitFor { $0.contains("preset=") }
        try tmux.send("Escape")
        var ending = try tmux.waitForExit()
        #expect(ending.status == "0", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "terminal left raw after Esc:\n\(ending.screen)")

        let interrupted = try Tmux()
        defer { interrupted.stop() }
        try interrupted.start([])
        try interrupted.waitFor { $0.contains("preset=") }
        try interrupted.send("C-c")
        ending = try interrupted.waitForExit()
        // ncurses' own SIGINT handler restores the terminal and exits with status 1.
        #expect(ending.status == "1", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "terminal left raw after Ctrl-C:\n\(ending.screen)")

        let second = try Tmux()
        defer { second.stop() }
        try second.start(["--3d-demo"])
        let screen = try second.waitFor { $0.contains("slice=0/16") }
        #expect(screen.contains("slice=0/16"))
        try second.send(".")
        try second.waitFor { $0.contains("slice=1/16") }
        let pid = try #require(second.pid)
        kill(pid, SIGTERM)
        ending = try second.waitForExit()
        #expect(ending.status == "143", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "terminal left raw:\n\(ending.screen)")
    }

    @Test("a Swift trap after the first frame restores the terminal and ends the process")
    func trapRestoresTerminal() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([], environment: "TERM=tmux-256color LANG=C.UTF-8 DROPBLOCK_CRASH_DRILL=1")
        let ending = try tmux.waitForExit(timeout: 30)
        // Died of the trap (SIGILL: 128 + 4), after Swift's backtrace printed on a sane terminal.
        #expect(ending.status == "132", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "terminal left raw:\n\(ending.screen)")
    }

    @Test("an unknown TERM is a one-line error inside a real terminal")
    func unknownTerm() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([], environment: "TERM=no-such-terminal-xyz")
        let ending = try tmux.waitForExit()
        #expect(ending.screen.contains("error: unknown terminal type 'no-such-terminal-xyz'"), "\(ending.screen)")
        #expect(ending.status == "1", "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "\(ending.screen)")
        // An empty TERM is named as unset, not as a type called ''.
        let unset = try Tmux()
        defer { unset.stop() }
        try unset.start([], environment: "TERM=")
        let unsetEnding = try unset.waitForExit()
        #expect(unsetEnding.screen.contains("error: TERM is not set (set it to your terminal's type"), "\(unsetEnding.screen)")
        #expect(unsetEnding.status == "1" && unsetEnding.modes == "icanon echo", "\(unsetEnding.screen)")
    }

    @Test("z and the arrow keys on a 1000x1000 map: a 1:1 view that moves, titled with its rows and columns")
    func zoomAndArrows() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let side = 1000
        var values = [Float](repeating: 0, count: side * side)
        for y in 0..<side { for x in 0..<side { values[y * side + x] = Float((x / 50 + y / 50) % 2) } }
        try NPYArray(shape: [1, 1, side, side], values: values).write(to: scratch.path("big.npy"))
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([scratch.path("big.npy")], width: 120, height: 40)
        var screen = try tmux.waitFor(timeout: 30) { $0.contains("preset=") }
        #expect(screen.contains("1000x1000"), "\(screen)")
        try tmux.send("z")
        screen = try tmux.waitFor(timeout: 30) { $0.contains("rows 0-") }
        let first = screen.components(separatedBy: "rows 0-").dropFirst().first?.prefix { $0.isNumber }
        let last = try #require(first.flatMap { Int($0) }, "no zoom title:\n\(screen)")
        let viewRows = last + 1
        #expect(screen.contains("rows 0-\(last) cols 0-"), "\(screen)")
        try tmux.send("Down")
        try tmux.send("Down")
        let top = 2 * (viewRows / 2)
        screen = try tmux.waitFor(timeout: 30) { $0.contains("rows \(top)-\(top + viewRows - 1) cols") }
        #expect(screen.contains("rows \(top)-\(top + viewRows - 1) cols 0-"), "\(screen)")
        try tmux.send("Up")
        screen = try tmux.waitFor(timeout: 30) { $0.contains("rows \(viewRows / 2)-") }
        #expect(screen.contains("rows \(viewRows / 2)-\(viewRows / 2 + viewRows - 1) cols"), "\(screen)")
        try tmux.send("z")
        screen = try tmux.waitFor(timeout: 30) { !$0.contains(" cols ") }
        #expect(screen.contains("1000x1000"))
        try tmux.send("q")
        screen = try tmux.waitFor(timeout: 30) { $0.contains("EXIT=") }
        #expect(screen.contains("EXIT=0"), "\(screen)")
    }

    @Test("help at 80x24 shows every key at once in a real terminal")
    func helpAt80x24() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([], width: 80, height: 24)
        var screen = try tmux.waitFor { $0.contains("preset=") }
        #expect(screen.split(separator: "\n").last(where: { !$0.isEmpty })?.hasSuffix("? all keys") == true, "\(screen)")
        try tmux.send("?")
        screen = try tmux.waitFor { $0.contains("this help") && $0.contains("expected drop vs block size") }
        for help in ["quit", "compare with plain dropout", "expected drop vs block size", "previous depth slice (3D)"] {
            #expect(screen.contains(help), "\(help) missing:\n\(screen)")
        }
        #expect(!screen.contains("more"))
        try tmux.send("?")
        screen = try tmux.waitFor { !$0.contains("this help") }
        #expect(!screen.contains("this help"))
        try tmux.send("q")
        screen = try tmux.waitFor { $0.contains("EXIT=") }
        #expect(screen.contains("EXIT=0"))
    }

    @Test("--color past the terminal's colours: drawn in the colours it has (not without colour), and the message line says so")
    func forcedTierPastTerminal() throws {
        for (flag, term, note, escape) in [("truecolor", "tmux-256color", "--color truecolor: TERM=tmux-256color has 256 colours, drawn in 256 colours", "38;5;"),
                                           ("16", "xterm", "--color 16: TERM=xterm has 8 colours, drawn in 8 colours", "[34m")] {
            let tmux = try Tmux()
            defer { tmux.stop() }
            try tmux.start(["--color", flag], environment: "TERM=\(term) LANG=C.UTF-8")
            var screen = try tmux.waitFor { $0.contains("preset=") }
            #expect(screen.contains(note), "\(screen)")
            // Colours reach the terminal: the seeds panel's blue region, at least.
            let coloured = try tmux.captureEscapes()
            #expect(coloured.contains(escape), "\(flag) on \(term): no \(escape) in\n\(coloured.prefix(600))")
            try tmux.send("q")
            screen = try tmux.waitFor { $0.contains("EXIT=") }
            #expect(screen.contains("EXIT=0"), "\(screen)")
        }
    }

    @Test("TERM=dumb (no cursor addressing) is a one-line error and exit 1 before any screen opens")
    func dumbTerminal() throws {
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([], environment: "TERM=dumb LANG=C.UTF-8")
        let screen = try tmux.waitFor { $0.contains("EXIT=") && $0.contains("icanon") }
        let lines = screen.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.first?.hasPrefix("error: terminal type 'dumb' cannot move the cursor") == true, "\(screen)")
        #expect(lines.count == 3, "one error line, then EXIT= and the modes:\n\(screen)")
        #expect(screen.contains("EXIT=1"), "\(screen)")
        #expect(!screen.contains("-icanon") && !screen.contains("-echo"), "\(screen)")
    }

    @Test("no TTY: one-line error and exit 1 within a second")
    func noTerminal() throws {
        let start = Date()
        let outcome = try Executable.run([], timeout: 10)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("error: the visualizer needs a terminal"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(Date().timeIntervalSince(start) < 5, "took too long")
    }

    @Test("a bad file is a one-line error before the screen opens")
    func badFile() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try Data("not an array".utf8).write(to: URL(fileURLWithPath: scratch.path("bad.npy")))
        // Without a terminal the visualizer says that first (it reads nothing then); render reads the same way.
        for (arguments, mention) in [(["render", scratch.path("missing.npy")], "cannot read"), (["render", scratch.path("bad.npy")], ".npy"),
                                     ([scratch.path("bad.npy")], "needs a terminal")] {
            let outcome = try Executable.run(arguments, timeout: 10)
            #expect(outcome.status == 1, "\(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains(mention), "\(outcome.stderr)")
        }
        // Inside a terminal too: the screen never opens, the terminal stays cooked.
        let tmux = try Tmux()
        defer { tmux.stop() }
        try tmux.start([scratch.path("bad.npy")])
        let ending = try tmux.waitForExit()
        #expect(ending.status == "1" && ending.screen.contains("error: "), "\(ending.screen)")
        #expect(ending.modes == "icanon echo", "\(ending.screen)")
    }
}
