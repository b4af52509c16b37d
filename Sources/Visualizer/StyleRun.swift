/// A run of neighbouring cells of one row with the same style: what a terminal writes with
/// one style change (an SGR escape, an ncurses attribute and colour pair).
public struct StyleRun: Equatable, Sendable {
    /// The column of the run's first cell.
    public var x: Int
    /// The glyphs of the run, in order.
    public var text: String
    /// The foreground colour (nil = the terminal's default).
    public var fg: RGB?
    /// The background colour (nil = the terminal's default).
    public var bg: RGB?
    /// Bold, dim, reverse.
    public var attributes: CellAttributes

    /// A run starting at column `x` with `text` in one style.
    public init(x: Int, text: String, fg: RGB?, bg: RGB?, attributes: CellAttributes) {
        self.x = x
        self.text = text
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    /// Whether `cell` has this run's style.
    func hasStyle(of cell: Cell) -> Bool {
        cell.fg == fg && cell.bg == bg && cell.attributes == attributes
    }
}

extension Frame {
    /// Row `y` as runs of same-styled cells, left to right, covering the whole row (empty
    /// for a row outside the frame).
    public func styleRuns(row y: Int) -> [StyleRun] {
        guard y >= 0, y < height else { return [] }
        var runs: [StyleRun] = []
        for x in 0..<width {
            let cell = self[x, y]
            if let last = runs.indices.last, runs[last].hasStyle(of: cell) {
                runs[last].text.append(cell.glyph)
            } else {
                runs.append(StyleRun(x: x, text: String(cell.glyph), fg: cell.fg, bg: cell.bg, attributes: cell.attributes))
            }
        }
        return runs
    }
}
