/// A frame drawn as RGB pixels for a PNG figure: each cell is a block of
/// `FigureGeometry` pixels, half-block pixels as squares, box lines as lines, and text in the
/// project's 5x7 font, in the colours the frame's tier shows.
public struct FigureRaster: Sendable, Equatable {
    /// Pixels across and down.
    public let width: Int, height: Int
    /// Row-major RGB bytes, 3 per pixel.
    public private(set) var pixels: [UInt8]

    /// Draws `frame` as `tier` shows it.
    public init(_ frame: Frame, tier: ColorTier, palette: FigurePalette = .dark, geometry: FigureGeometry = FigureGeometry()) {
        let (cw, ch) = (geometry.cellWidth, geometry.cellHeight)
        width = frame.width * cw
        height = frame.height * ch
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                draw(FigureCell(frame[x, y], tier: tier, palette: palette), left: x * cw, top: y * ch, geometry: geometry)
            }
        }
    }

    /// The colour of pixel `(x, y)`.
    public func pixel(_ x: Int, _ y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    private mutating func fill(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ c: RGB) {
        guard w > 0, h > 0 else { return }
        for row in y..<(y + h) {
            var i = (row * width + x) * 3
            for _ in 0..<w {
                pixels[i] = c.r
                pixels[i + 1] = c.g
                pixels[i + 2] = c.b
                i += 3
            }
        }
    }

    private mutating func draw(_ cell: FigureCell, left: Int, top: Int, geometry: FigureGeometry) {
        let (cw, ch, p) = (geometry.cellWidth, geometry.cellHeight, geometry.fontPixel)
        let (upper, lower) = cell.backgrounds
        fill(left, top, cw, ch / 2, upper)
        fill(left, top + ch / 2, cw, ch - ch / 2, lower)
        switch cell {
        case .halves:
            break
        case .bar(let eighths, let fg, _):
            let h = ch * eighths / 8
            fill(left, top + ch - h, cw, h, fg)
        case .lines(let up, let down, let l, let r, let fg, _):
            let (cx, cy) = (left + cw / 2 - p / 2, top + ch / 2 - p / 2)
            if up { fill(cx, top, p, ch / 2, fg) }
            if down { fill(cx, cy, p, top + ch - cy, fg) }
            if l { fill(left, cy, cw / 2, p, fg) }
            if r { fill(cx, cy, left + cw - cx, p, fg) }
        case .glyph(let character, let fg, _):
            guard character != " " else { return }
            // The glyph sits at the cell's left, three font pixels down; a missing glyph is a box.
            // Letters with descenders sit two font pixels lower: their bodies (drawn in the
            // glyph's top five rows) on the others' x-height, their tails below the baseline.
            // (Drawn in the bottom rows and dropped, `p` read as a subscript.) `j` keeps its dot
            // above the x-height, undropped.
            let drop = "gpqy".contains(character) ? 2 : 0
            for gy in 0..<FigureFont.height {
                for gx in 0..<FigureFont.width {
                    let ink = FigureFont.ink(character, x: gx, y: gy) ?? (gx == 0 || gx == 4 || gy == 0 || gy == 6)
                    if ink { fill(left + p * gx, top + p * (gy + 3 + drop), p, p, fg) }
                }
            }
        }
    }
}
