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
        /// dropout row, the sweep and the drop-chance map.
        case main(dropoutRow: Bool, sweep: Bool, chance: Bool = false)
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

        /// Rows of panels with `columns` columns (a flow's without placing its panels).
        func rowCount(columns: Int) -> Int {
            if case .flow(let ids, _) = self { return max(1, (ids.count + columns - 1) / columns) }
            return (slots(columns: columns).values.map { $0.row }.max() ?? 0) + 1
        }

        /// Every panel's slot with `columns` columns.
        func slots(columns: Int) -> [PanelID: VizLayout.Slot] {
            switch self {
            case .main(let dropoutRow, let sweep, let chance):
                return VizLayout.mainSlots(columns: columns, showDropout: dropoutRow, showSweep: sweep, showChance: chance)
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
