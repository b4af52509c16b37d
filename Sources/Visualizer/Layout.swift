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
    public let panels: [PanelID: Rect]
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

    /// The main screen's layout: the four panels, then the dropout row and the sweep.
    public static func compute(width: Int, height: Int, mapWidth: Int, mapHeight: Int,
                               statusLineCount: Int, showDropout: Bool, showSweep: Bool, zoom: Bool = false) -> VizLayout {
        let request = LayoutRequest(mapWidth: mapWidth, mapHeight: mapHeight,
                                    arrangement: .main(dropoutRow: showDropout, sweep: showSweep), zoom: zoom)
        return compute(request, width: width, height: height, statusLineCount: statusLineCount)
    }

    /// Lays out the panels of `request`, choosing the arrangement (its column counts) and
    /// style with the largest whole-cell map scale; ties go to boxes, then to more columns.
    /// With `zoom` the maps are shown 1:1 and the choice maximises the units in view.
    public static func compute(_ request: LayoutRequest, width: Int, height: Int, statusLineCount: Int) -> VizLayout {
        let hintRow = height - 1
        let statusRows = max(0, hintRow - statusLineCount)..<max(0, hintRow)
        let messageRow = statusRows.lowerBound - 1
        let top = 1 + request.headerLines
        let available = messageRow - top
        let tooSmall = VizLayout(width: width, height: height, panels: [:], columns: 0, style: .boxed, scale: nil,
                                 statusRows: statusRows, messageRow: messageRow, hintRow: hintRow)
        guard width >= minimumWidth, height >= minimumHeight, available >= 4 else { return tooSmall }
        var best: (key: Double, columns: Int, style: PanelStyle, scale: MapScale, slots: [PanelID: Rect])?
        for style in [PanelStyle.boxed, .compact] {
            for columns in request.arrangement.columnChoices {
                let arrangement = request.arrangement.slots(columns: columns)
                let rowCount = (arrangement.values.map { $0.row }.max() ?? 0) + 1
                // Boxes share border lines with their neighbours; compact panels need a gap column.
                let innerColumns = style == .boxed ? (width - 1) / columns - 1 : (width + 1) / columns - 1
                // Caption lines under each map take rows from the map.
                let innerRows = (style == .boxed ? (available - 1) / rowCount - 1 : available / rowCount - 1) - request.captionLines
                guard innerColumns >= 4, innerRows >= 2 else { continue }
                let fitted = request.zoom
                    ? MapScale.window(mapWidth: request.mapWidth, mapHeight: request.mapHeight, columns: innerColumns, rows: innerRows)
                    : MapScale.fit(mapWidth: request.mapWidth, mapHeight: request.mapHeight, columns: innerColumns, rows: innerRows)
                guard let scale = fitted else { continue }
                let key = request.zoom ? Double(scale.width * scale.height) : scale.magnification
                if let current = best, current.key >= key { continue }
                // Panels hug the map (at least wide enough for a short title).
                let panelInner = min(innerColumns, max(scale.columns, request.minimumPanelWidth))
                let rowsPerPanel = scale.rows + request.captionLines
                var rects: [PanelID: Rect] = [:]
                for (id, slot) in arrangement {
                    switch style {
                    case .boxed:
                        rects[id] = Rect(x: slot.column * (panelInner + 1), y: top + slot.row * (rowsPerPanel + 1),
                                         width: slot.span * (panelInner + 1) + 1, height: rowsPerPanel + 2)
                    case .compact:
                        rects[id] = Rect(x: slot.column * (panelInner + 1), y: top + slot.row * (rowsPerPanel + 1),
                                         width: slot.span * (panelInner + 1) - 1, height: rowsPerPanel + 1)
                    }
                }
                best = (key, columns, style, scale, rects)
            }
        }
        guard let chosen = best else { return tooSmall }
        return VizLayout(width: width, height: height, panels: chosen.slots, columns: chosen.columns, style: chosen.style,
                         scale: chosen.scale, statusRows: statusRows, messageRow: messageRow, hintRow: hintRow)
    }

    /// Where a panel sits in the arrangement: its row, column and how many columns it spans.
    public struct Slot: Sendable, Equatable {
        /// Row, column, and columns spanned.
        public let row: Int, column: Int, span: Int
    }
}

/// What a screen asks of the layout: its panels' arrangement, the size of their maps, and
/// rows of its own under the header.
public struct LayoutRequest: Sendable {
    /// The map size every panel holds (columns by rows of units).
    public var mapWidth: Int, mapHeight: Int
    /// How the panels are arranged for a number of columns.
    public var arrangement: Arrangement
    /// Maps 1:1 (the zoom) instead of fitted.
    public var zoom = false
    /// Rows between the header and the panels (a screen's own title line).
    public var headerLines = 0
    /// The narrowest panel interior (so a short title fits).
    public var minimumPanelWidth = 16
    /// Lines of text under every map (a panel's `caption`).
    public var captionLines = 0

    /// A request for maps of `mapWidth x mapHeight` in `arrangement`.
    public init(mapWidth: Int, mapHeight: Int, arrangement: Arrangement, zoom: Bool = false, headerLines: Int = 0,
                minimumPanelWidth: Int = 16, captionLines: Int = 0) {
        self.captionLines = captionLines
        self.mapWidth = mapWidth
        self.mapHeight = mapHeight
        self.arrangement = arrangement
        self.zoom = zoom
        self.headerLines = headerLines
        self.minimumPanelWidth = minimumPanelWidth
    }

    /// Panel arrangements the layout engine knows.
    public enum Arrangement: Sendable {
        /// The main screen: input, seeds, keep mask, output in 1x4, 2x2 or 4x1, then the
        /// dropout row and the sweep.
        case main(dropoutRow: Bool, sweep: Bool)
        /// Panels in reading order, `columns` per row, for each column count offered.
        case flow([PanelID], columns: [Int])
        /// Groups side by side (one column each), every group a stack of panels; when they
        /// do not fit side by side, `2` groups per row, then one.
        case columns([[PanelID]])

        /// The column counts to try.
        var columnChoices: [Int] {
            switch self {
            case .main: return [4, 2, 1]
            case .flow(_, let columns): return columns
            case .columns(let groups):
                let n = groups.count
                return n <= 2 ? [n, 1] : [n, (n + 1) / 2, 1].reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
            }
        }

        /// Every panel's slot with `columns` columns.
        func slots(columns: Int) -> [PanelID: VizLayout.Slot] {
            switch self {
            case .main(let dropoutRow, let sweep):
                return VizLayout.mainSlots(columns: columns, showDropout: dropoutRow, showSweep: sweep)
            case .flow(let ids, _):
                var result: [PanelID: VizLayout.Slot] = [:]
                for (i, id) in ids.enumerated() { result[id] = VizLayout.Slot(row: i / columns, column: i % columns, span: 1) }
                return result
            case .columns(let groups):
                // Group g sits in column g % columns of band g / columns; each band is as tall as its tallest group.
                let height = groups.map(\.count).max() ?? 0
                var result: [PanelID: VizLayout.Slot] = [:]
                for (g, group) in groups.enumerated() {
                    for (i, id) in group.enumerated() {
                        result[id] = VizLayout.Slot(row: (g / columns) * height + i, column: g % columns, span: 1)
                    }
                }
                return result
            }
        }
    }
}

extension VizLayout {
    static func mainSlots(columns: Int, showDropout: Bool, showSweep: Bool) -> [PanelID: Slot] {
        let main: [PanelID] = [.input, .seeds, .keepMask, .output]
        var result: [PanelID: Slot] = [:]
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
