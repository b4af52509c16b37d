/// A rectangle of cells.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// How a map of `mapWidth x mapHeight` pixels is drawn: whole-cell upscaling or
/// integer downsampling (two pixels per cell vertically).
public struct MapScale: Equatable, Sendable {
    /// Each pixel becomes `upscale x upscale` pixels (1 when downsampling).
    public let upscale: Int
    /// Each displayed pixel pools `downscale x downscale` map pixels (1 when upscaling).
    public let downscale: Int
    /// Displayed pixels.
    public let width: Int, height: Int
    /// The map unit at the top-left displayed pixel (non-zero only in the 1:1 zoom).
    public var originX = 0, originY = 0

    /// Cells the map occupies: one column per pixel, two pixel rows per cell row.
    public var columns: Int { width }
    public var rows: Int { (height + 1) / 2 }

    /// Magnification (> 1 upscaled, < 1 downsampled); layouts compare it.
    public var magnification: Double { Double(upscale) / Double(downscale) }

    /// The 1:1 zoom: one unit per pixel, as much of the map as `columns x rows` cells show.
    public static func window(mapWidth: Int, mapHeight: Int, columns: Int, rows: Int) -> MapScale? {
        guard columns >= 1, rows >= 1, mapWidth >= 1, mapHeight >= 1 else { return nil }
        return MapScale(upscale: 1, downscale: 1, width: min(mapWidth, columns), height: min(mapHeight, 2 * rows))
    }

    /// Whether the map is larger than the shown window (only in the 1:1 zoom).
    public func isWindow(mapWidth: Int, mapHeight: Int) -> Bool {
        upscale == 1 && downscale == 1 && (width < mapWidth || height < mapHeight)
    }

    /// The largest scale that fits `mapWidth x mapHeight` into `columns x rows` cells.
    public static func fit(mapWidth: Int, mapHeight: Int, columns: Int, rows: Int) -> MapScale? {
        guard columns >= 1, rows >= 1, mapWidth >= 1, mapHeight >= 1 else { return nil }
        let pixelRows = 2 * rows
        if mapWidth <= columns && mapHeight <= pixelRows {
            let s = max(1, min(columns / mapWidth, pixelRows / mapHeight))
            return MapScale(upscale: s, downscale: 1, width: mapWidth * s, height: mapHeight * s)
        }
        let f = max((mapWidth + columns - 1) / columns, (mapHeight + pixelRows - 1) / pixelRows)
        return MapScale(upscale: 1, downscale: f, width: (mapWidth + f - 1) / f, height: (mapHeight + f - 1) / f)
    }
}

/// The panels the screen can show.
public enum PanelKind: String, CaseIterable, Sendable {
    case input, seeds, keepMask, output, dropoutMask, dropoutOutput, sweep
}

/// How panels are framed.
public enum PanelStyle: Sendable, Equatable {
    /// A box round each panel, the title in its top border; neighbours share border lines.
    case boxed
    /// No box: a title row above each map and one blank column between panels (for
    /// terminals where the borders would cost a whole scale step).
    case compact
}

/// Where everything goes on a terminal of a given size.
public struct VizLayout: Equatable, Sendable {
    /// The smallest terminal that shows the panels; below it, a one-line message.
    public static let minimumWidth = 40
    public static let minimumHeight = 16

    public let width: Int, height: Int
    /// Nil when the terminal is too small.
    public let panels: [PanelKind: Rect]
    /// Panel columns: 4 side by side (1x4), 2 (2x2) or 1 (4x1, stacked).
    public let columns: Int
    /// Boxes (shared borders) or compact panels.
    public let style: PanelStyle
    public let scale: MapScale?
    public let statusRows: Range<Int>
    public let messageRow: Int
    public let hintRow: Int

    public var isTooSmall: Bool { scale == nil }

    /// The top-left cell of the map inside `rect`.
    public func mapOrigin(_ rect: Rect) -> (x: Int, y: Int) {
        style == .boxed ? (rect.x + 1, rect.y + 1) : (rect.x, rect.y + 1)
    }

    /// The cells inside `rect` that are not frame or title.
    public func inner(_ rect: Rect) -> Rect {
        style == .boxed ? Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
            : Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
    }

    /// The room for a title in `rect`'s frame.
    public func titleWidth(_ rect: Rect) -> Int {
        style == .boxed ? rect.width - 4 : rect.width
    }

    /// Lays out `extras` (dropout row, sweep) after the four main panels, choosing the
    /// arrangement (1x4, 2x2, 4x1) and style with the largest whole-cell map scale; ties go
    /// to boxes, then to more columns. With `zoom` the maps are shown 1:1 and the choice
    /// maximises the units in view.
    public static func compute(width: Int, height: Int, mapWidth: Int, mapHeight: Int,
                               statusLineCount: Int, showDropout: Bool, showSweep: Bool, zoom: Bool = false) -> VizLayout {
        let hintRow = height - 1
        let statusRows = max(0, hintRow - statusLineCount)..<max(0, hintRow)
        let messageRow = statusRows.lowerBound - 1
        let top = 1
        let available = messageRow - top
        let tooSmall = VizLayout(width: width, height: height, panels: [:], columns: 0, style: .boxed, scale: nil,
                                 statusRows: statusRows, messageRow: messageRow, hintRow: hintRow)
        guard width >= minimumWidth, height >= minimumHeight, available >= 4 else { return tooSmall }
        var best: (key: Double, columns: Int, style: PanelStyle, scale: MapScale, slots: [PanelKind: Rect])?
        for style in [PanelStyle.boxed, .compact] {
            for columns in [4, 2, 1] {
                let arrangement = slots(columns: columns, showDropout: showDropout, showSweep: showSweep)
                let rowCount = (arrangement.values.map { $0.row }.max() ?? 0) + 1
                // Boxes share border lines with their neighbours; compact panels need a gap column.
                let innerColumns = style == .boxed ? (width - 1) / columns - 1 : (width + 1) / columns - 1
                let innerRows = style == .boxed ? (available - 1) / rowCount - 1 : available / rowCount - 1
                guard innerColumns >= 4, innerRows >= 2 else { continue }
                let fitted = zoom
                    ? MapScale.window(mapWidth: mapWidth, mapHeight: mapHeight, columns: innerColumns, rows: innerRows)
                    : MapScale.fit(mapWidth: mapWidth, mapHeight: mapHeight, columns: innerColumns, rows: innerRows)
                guard let scale = fitted else { continue }
                let key = zoom ? Double(scale.width * scale.height) : scale.magnification
                if let current = best, current.key >= key { continue }
                // Panels hug the map (at least wide enough for a short title).
                let panelInner = min(innerColumns, max(scale.columns, 16))
                var rects: [PanelKind: Rect] = [:]
                for (kind, slot) in arrangement {
                    switch style {
                    case .boxed:
                        rects[kind] = Rect(x: slot.column * (panelInner + 1), y: top + slot.row * (scale.rows + 1),
                                           width: slot.span * (panelInner + 1) + 1, height: scale.rows + 2)
                    case .compact:
                        rects[kind] = Rect(x: slot.column * (panelInner + 1), y: top + slot.row * (scale.rows + 1),
                                           width: slot.span * (panelInner + 1) - 1, height: scale.rows + 1)
                    }
                }
                best = (key, columns, style, scale, rects)
            }
        }
        guard let chosen = best else { return tooSmall }
        return VizLayout(width: width, height: height, panels: chosen.slots, columns: chosen.columns, style: chosen.style,
                         scale: chosen.scale, statusRows: statusRows, messageRow: messageRow, hintRow: hintRow)
    }

    struct Slot { let row: Int, column: Int, span: Int }

    static func slots(columns: Int, showDropout: Bool, showSweep: Bool) -> [PanelKind: Slot] {
        let main: [PanelKind] = [.input, .seeds, .keepMask, .output]
        var result: [PanelKind: Slot] = [:]
        for (i, kind) in main.enumerated() { result[kind] = Slot(row: i / columns, column: i % columns, span: 1) }
        var row = (main.count + columns - 1) / columns
        switch columns {
        case 4:
            // Dropout under keep mask and output; the sweep on the left of the same row.
            if showDropout {
                result[.dropoutMask] = Slot(row: row, column: 2, span: 1)
                result[.dropoutOutput] = Slot(row: row, column: 3, span: 1)
            }
            if showSweep { result[.sweep] = Slot(row: row, column: 0, span: 2) }
        case 2:
            if showDropout {
                result[.dropoutMask] = Slot(row: row, column: 0, span: 1)
                result[.dropoutOutput] = Slot(row: row, column: 1, span: 1)
                row += 1
            }
            if showSweep { result[.sweep] = Slot(row: row, column: 0, span: 2) }
        default:
            if showDropout {
                result[.dropoutMask] = Slot(row: row, column: 0, span: 1)
                result[.dropoutOutput] = Slot(row: row + 1, column: 0, span: 1)
                row += 2
            }
            if showSweep { result[.sweep] = Slot(row: row, column: 0, span: 1) }
        }
        return result
    }
}

/// A terminal's size in cells: columns by rows.
public struct ScreenSize: Equatable, Sendable {
    /// Columns and rows.
    public var width: Int, height: Int
    /// A terminal of `width` columns and `height` rows.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
