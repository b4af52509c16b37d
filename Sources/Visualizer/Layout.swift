/// Where everything goes on a terminal of a given size.
public struct VizLayout: Equatable, Sendable {
    /// The smallest terminal that shows the panels; below it, a one-line message.
    public static let minimumWidth = 40
    /// The fewest rows that show the panels.
    public static let minimumHeight = 16

    /// The terminal's columns and rows.
    public let width: Int, height: Int
    /// Where each panel goes; empty when the terminal is too small.
    public let panels: [PanelID: Rect]
    /// Panel columns: 4 side by side (1x4), 2 (2x2) or 1 (4x1, stacked).
    public let columns: Int
    /// Boxes (shared borders) or compact panels.
    public let style: PanelStyle
    /// How every panel's map is drawn; nil when the terminal is too small.
    public let scale: MapScale?
    /// The rows of the status lines, above the key hint.
    public let statusRows: Range<Int>
    /// The row above the status lines, for one-line messages.
    public let messageRow: Int
    /// The bottom row: the key hint.
    public let hintRow: Int

    /// Whether the terminal is below the minimum and shows only a message.
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

    /// The room for a title in `rect`'s frame. Without boxes a title leaves its panel's last
    /// column blank, so that with the gap between panels two spaces part neighbouring titles
    /// (one ran `seeds n=35414 gamma=0.05 mask 5.1% dropped` together).
    public func titleWidth(_ rect: Rect) -> Int {
        style == .boxed ? rect.width - 4 : rect.width - 1
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
        guard let chosen = choice(request, width: width, height: height, statusLineCount: statusLineCount) else {
            return VizLayout(width: width, height: height, panels: [:], columns: 0, style: .boxed, scale: nil,
                             statusRows: statusRows, messageRow: messageRow, hintRow: hintRow)
        }
        // Panels hug the map (at least wide enough for a short title); only the chosen arrangement is placed.
        let top = 1 + request.headerLines
        let panelInner = min(chosen.innerColumns, max(chosen.scale.columns, request.minimumPanelWidth))
        let rowsPerPanel = chosen.scale.rows + request.captionLines
        var rects: [PanelID: Rect] = [:]
        for (id, slot) in request.arrangement.slots(columns: chosen.columns) {
            switch chosen.style {
            case .boxed:
                rects[id] = Rect(x: slot.column * (panelInner + 1), y: top + slot.row * (rowsPerPanel + 1),
                                 width: slot.span * (panelInner + 1) + 1, height: rowsPerPanel + 2)
            case .compact:
                rects[id] = Rect(x: slot.column * (panelInner + 1), y: top + slot.row * (rowsPerPanel + 1),
                                 width: slot.span * (panelInner + 1) - 1, height: rowsPerPanel + 1)
            }
        }
        return VizLayout(width: width, height: height, panels: rects, columns: chosen.columns, style: chosen.style,
                         scale: chosen.scale, statusRows: statusRows, messageRow: messageRow, hintRow: hintRow)
    }

    /// The scale `compute` would choose, without placing the panels (nil when the terminal is too small).
    static func scale(_ request: LayoutRequest, width: Int, height: Int, statusLineCount: Int) -> MapScale? {
        choice(request, width: width, height: height, statusLineCount: statusLineCount)?.scale
    }

    /// The column count, style and scale with the largest map (ties: boxes, then more columns),
    /// and the room inside a panel; nil when nothing fits.
    private static func choice(_ request: LayoutRequest, width: Int, height: Int, statusLineCount: Int)
        -> (columns: Int, style: PanelStyle, scale: MapScale, innerColumns: Int)? {
        let hintRow = height - 1
        let messageRow = max(0, hintRow - statusLineCount) - 1
        let available = messageRow - (1 + request.headerLines)
        guard width >= minimumWidth, height >= minimumHeight, available >= 4 else { return nil }
        var best: (key: Double, columns: Int, style: PanelStyle, scale: MapScale, innerColumns: Int)?
        // Rows per column count, computed once for both styles.
        let rowCounts = request.arrangement.columnChoices.map { ($0, request.arrangement.rowCount(columns: $0)) }
        for style in [PanelStyle.boxed, .compact] {
            for (columns, rowCount) in rowCounts {
                // Boxes share border lines with their neighbours; compact panels need a gap column.
                let innerColumns = style == .boxed ? (width - 1) / columns - 1 : (width + 1) / columns - 1
                // Caption lines under each map take rows from the map. Both styles leave a row
                // under the last panels: the shared bottom border, or a blank row that keeps
                // compact maps from touching the legend.
                let innerRows = (available - 1) / rowCount - 1 - request.captionLines
                guard innerColumns >= 4, innerRows >= 2 else { continue }
                let fitted = request.zoom
                    ? MapScale.window(mapWidth: request.mapWidth, mapHeight: request.mapHeight, columns: innerColumns, rows: innerRows)
                    : MapScale.fit(mapWidth: request.mapWidth, mapHeight: request.mapHeight, columns: innerColumns, rows: innerRows)
                guard let scale = fitted else { continue }
                let key = request.zoom ? Double(scale.width * scale.height) : scale.magnification
                if let current = best, current.key >= key { continue }
                best = (key, columns, style, scale, innerColumns)
            }
        }
        return best.map { ($0.columns, $0.style, $0.scale, $0.innerColumns) }
    }

    /// Where a panel sits in the arrangement: its row, column and how many columns it spans.
    public struct Slot: Sendable, Equatable {
        /// Row, column, and columns spanned.
        public let row: Int, column: Int, span: Int
    }
}

extension VizLayout {
    static func mainSlots(columns: Int, showDropout: Bool, showSweep: Bool, showChance: Bool = false) -> [PanelID: Slot] {
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
            // The drop chances under the seeds, or on a row of their own beside the sweep's.
            if showChance { result[.chance] = showSweep ? Slot(row: row + 1, column: 1, span: 1) : Slot(row: row, column: 1, span: 1) }
        case 2:
            if showDropout {
                result[.dropoutMask] = Slot(row: row, column: 0, span: 1)
                result[.dropoutOutput] = Slot(row: row, column: 1, span: 1)
                row += 1
            }
            if showSweep {
                result[.sweep] = Slot(row: row, column: 0, span: 2)
                row += 1
            }
            if showChance { result[.chance] = Slot(row: row, column: 0, span: 1) }
        default:
            if showDropout {
                result[.dropoutMask] = Slot(row: row, column: 0, span: 1)
                result[.dropoutOutput] = Slot(row: row + 1, column: 0, span: 1)
                row += 2
            }
            if showSweep {
                result[.sweep] = Slot(row: row, column: 0, span: 1)
                row += 1
            }
            if showChance { result[.chance] = Slot(row: row, column: 0, span: 1) }
        }
        return result
    }
}
