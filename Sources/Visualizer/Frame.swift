/// A grid of cells: what one screen shows. Pure data that tests can inspect.
public struct Frame: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// The cells, row by row (`y * width + x`).
    public private(set) var cells: [Cell]

    /// A blank frame of `width` by `height` cells (negative sizes count as 0).
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = [Cell](repeating: .blank, count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`; writes outside the frame are dropped.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from `(x, y)`, clipped to the frame (and to `maxWidth` if given).
    public mutating func put(_ text: String, x: Int, y: Int, fg: RGB? = nil, bg: RGB? = nil,
                             attributes: CellAttributes = [], maxWidth: Int? = nil) {
        guard y >= 0, y < height else { return }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for character in text {
            if column >= limit { break }
            if column >= 0 { self[column, y] = Cell(character, fg: fg, bg: bg, attributes: attributes) }
            column += 1
        }
    }

    /// The glyphs only, one line per row, trailing spaces trimmed.
    public var plainText: String {
        var lines: [String] = []
        for y in 0..<height {
            var line = String(cells[(y * width)..<((y + 1) * width)].map(\.glyph))
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The frame as a figure shows it: without the last row (the key hint, a terminal artefact),
    /// with each run of blank rows (the terminal's unused space) cut to one, and without the
    /// blank columns at the right.
    public func figureCrop() -> Frame {
        let isBlank = { (cell: Cell) in cell.glyph == " " && cell.bg == nil }
        let blankRow = { (y: Int) in (0..<self.width).allSatisfy { isBlank(self[$0, y]) } }
        var rows: [Int] = []
        for y in 0..<max(0, height - 1) where !(blankRow(y) && (rows.last.map(blankRow) ?? true)) { rows.append(y) }
        while let last = rows.last, blankRow(last) { rows.removeLast() }
        var columns = width
        while columns > 0, rows.allSatisfy({ isBlank(self[columns - 1, $0]) }) { columns -= 1 }
        var cropped = Frame(width: columns, height: rows.count)
        for (to, from) in rows.enumerated() {
            for x in 0..<columns { cropped[x, to] = self[x, from] }
        }
        return cropped
    }

    /// The text of row `y`.
    public func row(_ y: Int) -> String {
        String(cells[(y * width)..<((y + 1) * width)].map(\.glyph))
    }
}
