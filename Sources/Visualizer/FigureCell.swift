extension ColorTier {
    /// The colour this tier actually shows for `c`: the palette entry it is quantised to
    /// (truecolor and ASCII show colours as they are).
    func shown(_ c: RGB) -> RGB {
        switch self {
        case .ansi256: return ColorQuantizer.xterm256Color(ColorQuantizer.xterm256(c))
        case .ansi16, .ansi8: return ColorQuantizer.ansiPalette[ColorQuantizer.ansi(c, count: self == .ansi16 ? 16 : 8)]
        case .truecolor, .ascii: return c
        }
    }
}

/// What one frame cell draws in a figure (SVG or PNG): two stacked pixels, a bar of eighths,
/// box-drawing lines, or a text glyph, each with the colours its tier shows. One
/// classification, so that both formats draw exactly the same picture.
enum FigureCell: Equatable {
    /// `▀`/`▄`/`█`: an upper and a lower pixel.
    case halves(top: RGB, bottom: RGB)
    /// `▁`...`▇`: the lower `eighths`/8 of the cell in `fg`, the rest in `bg`.
    case bar(eighths: Int, fg: RGB, bg: RGB)
    /// Box drawing: lines from the centre towards the named sides.
    case lines(up: Bool, down: Bool, left: Bool, right: Bool, fg: RGB, bg: RGB)
    /// Any other character on its background (a space draws only the background).
    case glyph(Character, fg: RGB, bg: RGB)

    /// Classifies `cell` as `tier` shows it on a terminal with `palette`'s defaults.
    init(_ cell: Cell, tier: ColorTier, palette: FigurePalette) {
        var fg = cell.fg.map(tier.shown) ?? palette.foreground
        var bg = cell.bg.map(tier.shown) ?? palette.background
        if cell.attributes.contains(.reverse) { swap(&fg, &bg) }
        if cell.attributes.contains(.dim) { fg = RGB.mix(fg, bg, 0.5) }
        switch cell.glyph {
        case "▀": self = .halves(top: fg, bottom: bg)
        case "▄": self = .halves(top: bg, bottom: fg)
        case "█": self = .halves(top: fg, bottom: fg)
        case "░", "▒", "▓":
            // Shades: the foreground over the background at a quarter, half, three quarters.
            let share = cell.glyph == "░" ? 0.25 : cell.glyph == "▒" ? 0.5 : 0.75
            let shade = RGB.mix(bg, fg, share)
            self = .halves(top: shade, bottom: shade)
        case "▁", "▂", "▃", "▅", "▆", "▇":
            // (`▄`, four eighths, is a lower pixel above.)
            let eighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"]
            self = .bar(eighths: (eighths.firstIndex(of: cell.glyph) ?? 0) + 1, fg: fg, bg: bg)
        default:
            if let sides = FigureCell.boxSides[cell.glyph] {
                self = .lines(up: sides.contains("u"), down: sides.contains("d"), left: sides.contains("l"),
                              right: sides.contains("r"), fg: fg, bg: bg)
            } else {
                self = .glyph(cell.glyph, fg: fg, bg: bg)
            }
        }
    }

    /// Box-drawing characters (light, heavy, double and rounded alike) and the sides they join.
    static let boxSides: [Character: String] = [
        "─": "lr", "━": "lr", "═": "lr", "│": "ud", "┃": "ud", "║": "ud",
        "┌": "dr", "┏": "dr", "╔": "dr", "╭": "dr", "┐": "dl", "┓": "dl", "╗": "dl", "╮": "dl",
        "└": "ur", "┗": "ur", "╚": "ur", "╰": "ur", "┘": "ul", "┛": "ul", "╝": "ul", "╯": "ul",
        "├": "udr", "┤": "udl", "┬": "dlr", "┴": "ulr", "┼": "udlr",
    ]

    /// The colour behind the cell's top and bottom halves (what a run of backgrounds merges on).
    var backgrounds: (top: RGB, bottom: RGB) {
        switch self {
        case .halves(let top, let bottom): return (top, bottom)
        case .bar(_, _, let bg), .lines(_, _, _, _, _, let bg), .glyph(_, _, let bg): return (bg, bg)
        }
    }
}
