/// A frame as an SVG figure for slides and papers: one rectangle per run of equal half-block
/// pixels, box lines as lines, and the titles, status and legend as real text, in the colours
/// the frame's tier shows. No terminal artefacts: no cursor, no escape codes.
public enum SVGFigure {
    /// The SVG document of `frame`, drawn as `tier` shows it.
    public static func document(_ frame: Frame, tier: ColorTier, palette: FigurePalette = .dark,
                                geometry: FigureGeometry = FigureGeometry()) -> String {
        let (cw, ch) = (geometry.cellWidth, geometry.cellHeight)
        let cells = (0..<frame.height).map { y in (0..<frame.width).map { FigureCell(frame[$0, y], tier: tier, palette: palette) } }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(frame.width * cw)" height="\(frame.height * ch)" \
            viewBox="0 0 \(frame.width * cw) \(frame.height * ch)" shape-rendering="crispEdges">
            <rect width="100%" height="100%" fill="\(hex(palette.background))"/>

            """
        // Pixel rows: the top and bottom halves of every cell row, merged into runs of one colour.
        for (y, row) in cells.enumerated() {
            for half in 0..<2 {
                var x = 0
                while x < row.count {
                    let colour = half == 0 ? row[x].backgrounds.top : row[x].backgrounds.bottom
                    var end = x + 1
                    while end < row.count, (half == 0 ? row[end].backgrounds.top : row[end].backgrounds.bottom) == colour { end += 1 }
                    if colour != palette.background {
                        out += "<rect x=\"\(x * cw)\" y=\(q(y * ch + half * ch / 2)) width=\(q((end - x) * cw)) height=\(q(ch / 2)) fill=\"\(hex(colour))\"/>\n"
                    }
                    x = end
                }
            }
        }
        // Bars and lines, cell by cell.
        for (y, row) in cells.enumerated() {
            for (x, cell) in row.enumerated() {
                switch cell {
                case .bar(let eighths, let fg, _):
                    let height = ch * eighths / 8
                    out += "<rect x=\"\(x * cw)\" y=\(q(y * ch + ch - height)) width=\(q(cw)) height=\(q(height)) fill=\"\(hex(fg))\"/>\n"
                case .lines(let up, let down, let left, let right, let fg, _):
                    let (cx, cy) = (x * cw + cw / 2, y * ch + ch / 2)
                    let ends = [(up, cx, y * ch), (down, cx, y * ch + ch), (left, x * cw, cy), (right, x * cw + cw, cy)]
                    for (present, ex, ey) in ends where present {
                        out += "<line x1=\"\(cx)\" y1=\"\(cy)\" x2=\"\(ex)\" y2=\"\(ey)\" stroke=\"\(hex(fg))\" stroke-width=\"\(geometry.fontPixel)\"/>\n"
                    }
                default:
                    break
                }
            }
        }
        // Text: runs of glyphs of one colour, stretched to their cells so columns stay aligned.
        for (y, row) in cells.enumerated() {
            var x = 0
            while x < row.count {
                guard case .glyph(let first, let fg, _) = row[x], first != " " else { x += 1; continue }
                var text = "", end = x
                while end < row.count, case .glyph(let glyph, let colour, _) = row[end], colour == fg {
                    text.append(glyph)
                    end += 1
                }
                while text.last == " " { text.removeLast(); end -= 1 }
                out += "<text x=\"\(x * cw)\" y=\"\(y * ch + ch * 3 / 4)\" font-family=\"DejaVu Sans Mono, Menlo, monospace\" "
                    + "font-size=\"\(ch * 5 / 6)\" textLength=\"\((end - x) * cw)\" lengthAdjust=\"spacingAndGlyphs\" "
                    + "xml:space=\"preserve\" fill=\"\(hex(fg))\">\(escaped(text))</text>\n"
                x = end
            }
        }
        return out + "</svg>\n"
    }

    /// `#rrggbb`.
    static func hex(_ c: RGB) -> String {
        let digits = Array("0123456789abcdef")
        return "#" + String([c.r, c.g, c.b].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    static func q(_ value: Int) -> String { "\"\(value)\"" }

    /// Text safe inside an XML element.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
