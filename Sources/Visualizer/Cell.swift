/// One terminal cell: a glyph with optional colours (nil = the terminal's default).
public struct Cell: Hashable, Sendable {
    /// The character shown.
    public var glyph: Character
    /// The foreground colour (nil = the terminal's default).
    public var fg: RGB?
    /// The background colour (nil = the terminal's default).
    public var bg: RGB?
    /// Bold, reverse, dim.
    public var attributes: CellAttributes

    /// A cell showing `glyph` in the given style (by default a blank in the terminal's colours).
    public init(_ glyph: Character = " ", fg: RGB? = nil, bg: RGB? = nil, attributes: CellAttributes = []) {
        self.glyph = glyph
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    /// A space in the terminal's default colours.
    public static let blank = Cell()
}
