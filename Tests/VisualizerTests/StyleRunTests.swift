import Testing
@testable import Visualizer

/// `Frame.styleRuns(row:)`: the one grouping the ncurses painter and the ANSI writer use.
@Suite("Style runs: one grouping for the ncurses painter and the ANSI writer")
struct StyleRunTests {
    static let red = RGB(200, 30, 30)

    /// A row of `text` in plain, then red, then bold red, then plain.
    static func frame() -> Frame {
        var frame = Frame(width: 10, height: 2)
        frame.put("ab", x: 0, y: 0)
        frame.put("cd", x: 2, y: 0, fg: red)
        frame.put("e", x: 4, y: 0, fg: red, attributes: .bold)
        frame.put("fg", x: 5, y: 0)
        return frame
    }

    @Test("a row splits where the style changes, and only there")
    func runs() {
        let runs = Self.frame().styleRuns(row: 0)
        #expect(runs == [
            StyleRun(x: 0, text: "ab", fg: nil, bg: nil, attributes: []),
            StyleRun(x: 2, text: "cd", fg: Self.red, bg: nil, attributes: []),
            StyleRun(x: 4, text: "e", fg: Self.red, bg: nil, attributes: .bold),
            StyleRun(x: 5, text: "fg   ", fg: nil, bg: nil, attributes: []),
        ])
        #expect(Self.frame().styleRuns(row: 1) == [StyleRun(x: 0, text: String(repeating: " ", count: 10), fg: nil, bg: nil, attributes: [])])
        #expect(Self.frame().styleRuns(row: 2).isEmpty && Frame(width: 0, height: 1).styleRuns(row: 0).isEmpty)
    }

    @Test("on every screen the runs tile each row and neighbours differ in style", arguments: [ColorTier.truecolor, .ansi16])
    func tiling(tier: ColorTier) throws {
        let frame = FrameRenderer(tier: tier).render(try Fixtures.model(), width: 80, height: 24)
        for y in 0..<frame.height {
            let runs = frame.styleRuns(row: y)
            #expect(runs.map(\.text).joined() == frame.row(y))
            #expect(runs.first?.x == 0)
            for (run, next) in zip(runs, runs.dropFirst()) {
                #expect(next.x == run.x + run.text.count)
                #expect(run.fg != next.fg || run.bg != next.bg || run.attributes != next.attributes)
            }
        }
    }

    @Test("the ANSI writer starts one escape per run and resets at each line's end")
    func ansiWriterUsesRuns() {
        let text = AnsiWriter.text(Self.frame(), tier: .truecolor)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].components(separatedBy: "\u{1B}[").count - 1 == 4 + 1)
        #expect(lines[0].hasPrefix("\u{1B}[0mab\u{1B}[0;38;2;200;30;30mcd\u{1B}[0;1;38;2;200;30;30me\u{1B}[0mfg   \u{1B}[0m"))
    }
}
