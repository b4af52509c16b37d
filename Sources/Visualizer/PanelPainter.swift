/// Draws any panel into its region: the title in the frame, then the map, text or chart.
struct PanelPainter {
    let renderer: FrameRenderer
    let layout: VizLayout
    /// The scale every map of the screen is drawn at.
    let scale: MapScale
    /// The map size the layout was made for (maps of other sizes are fitted on their own).
    let mapWidth: Int, mapHeight: Int

    /// Marks the cells that show map unit `cursor` of `map` with a bold reversed `X`, or `O`
    /// where that unit of a seeds map holds a seed (the `X` hid a seed just placed).
    func drawCursor(_ cursor: (x: Int, y: Int), map: PixelMap, scale: MapScale, origin: (x: Int, y: Int), frame: inout Frame) {
        let (ax, ay) = map.axes(scale)
        let pixelRows = ay.pixels(of: cursor.y)
        let index = cursor.y * map.width + cursor.x
        let onSeed = map.kind == .seeds && map.values.indices.contains(index) && map.values[index] >= 1
        for column in ax.pixels(of: cursor.x) where column >= 0 && column < scale.columns {
            for row in (pixelRows.lowerBound / 2)...(pixelRows.upperBound / 2) where row >= 0 && row < scale.rows {
                // In the terminal's own colours, reversed: in the seed colour it looked like a seed.
                frame[origin.x + column, origin.y + row] = Cell(onSeed ? "O" : "X", attributes: [.bold, .reverse])
            }
        }
    }

    /// A colour of a dimmed panel: half way to black.
    static func dimmed(_ color: RGB) -> RGB {
        RGB.mix(RGB(0, 0, 0), color, 0.5)
    }

    func draw(_ panel: Panel, in rect: Rect, frame: inout Frame) {
        if let text = panel.title.fitted(to: layout.titleWidth(rect)) {
            // Boxed: " title " in the top border, inside the corners; compact: the row above the map.
            let attributes: CellAttributes = panel.emphasis == .highlighted ? [.bold, .reverse] : .bold
            if layout.style == .boxed {
                frame.put(" \(text) ", x: rect.x + 1, y: rect.y, attributes: attributes)
            } else {
                frame.put(text, x: rect.x, y: rect.y, attributes: attributes)
            }
        }
        switch panel.content {
        case .map(let map, let window):
            var shown = scale
            if let window {
                shown.originX = window.columns.lowerBound
                shown.originY = window.rows.lowerBound
            } else if map.width != mapWidth || map.height != mapHeight,
                      let own = MapScale.fit(mapWidth: map.width, mapHeight: map.height, columns: scale.columns, rows: scale.rows) {
                // A map of another size (a network's stages side by side) gets the largest scale of its own.
                shown = own
            }
            let origin = layout.mapOrigin(rect)
            renderer.drawMap(map, x: origin.x, y: origin.y, scale: shown, frame: &frame)
            if let cursor = panel.cursor { drawCursor(cursor, map: map, scale: shown, origin: origin, frame: &frame) }
        case .text(let lines):
            let inner = layout.inner(rect)
            for (i, line) in lines.prefix(max(0, min(inner.height, scale.rows))).enumerated() {
                frame.put(line, x: inner.x, y: inner.y + i, maxWidth: inner.width)
            }
        case .sweep(let chart):
            renderer.drawSweep(chart, in: layout.inner(rect), frame: &frame)
        case .empty:
            break
        }
        let inner = layout.inner(rect)
        for (i, line) in panel.caption.enumerated() where scale.rows + i < inner.height {
            if let text = line.fitted(to: inner.width) { frame.put(text, x: inner.x, y: inner.y + scale.rows + i) }
        }
        if panel.emphasis == .dimmed {
            // Terminals dim a cell's foreground only: a pixel pair (`▀`, the lower pixel its
            // background) came out striped. Where any colour can be drawn, both halves are
            // darkened instead; with 16 or 8 colours, whose palette has no darker shades to
            // spare, and for text, the dim attribute stays.
            let byColour = renderer.tier == .truecolor || renderer.tier == .ansi256
            for y in inner.y..<(inner.y + inner.height) {
                for x in inner.x..<(inner.x + inner.width) where x < frame.width && y < frame.height {
                    if byColour, let bg = frame[x, y].bg {
                        frame[x, y].bg = Self.dimmed(bg)
                        frame[x, y].fg = frame[x, y].fg.map(Self.dimmed)
                    } else {
                        frame[x, y].attributes.insert(.dim)
                    }
                }
            }
        }
    }
}
