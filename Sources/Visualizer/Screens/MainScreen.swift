import DropBlock
import ShapeFormat

/// The main screen: input, seeds, keep mask and output of the selected channel, with the
/// dropout row (`x`), the sweep (`v`), the drop chances (`d`) and the 1:1 zoom (`z`) as its own options.
public struct MainScreen: VizScreen, Equatable {
    /// Panel rows added under the four maps.
    public struct Extras: OptionSet, Sendable, Hashable {
        /// The option bits.
        public let rawValue: UInt8
        /// Options from their bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Plain dropout at the realized rate (`x`).
        public static let dropoutRow = Extras(rawValue: 1)
        /// Expected drop against block size (`v`).
        public static let sweep = Extras(rawValue: 2)
        /// Each unit's drop chance (`d`).
        public static let chance = Extras(rawValue: 4)
    }

    /// The extra rows on show.
    public var extras: Extras = []
    /// The 1:1 zoom's requested top-left unit (column, row); nil when the maps are fitted.
    public var zoom: (x: Int, y: Int)?

    /// The main screen without extra rows, not zoomed.
    public init() {}

    /// Equal options and zoom corner.
    public static func == (a: MainScreen, b: MainScreen) -> Bool {
        a.extras == b.extras && a.zoom?.x == b.zoom?.x && a.zoom?.y == b.zoom?.y
    }

    /// The four panels, with the dropout row and sweep when on, fitted or 1:1 when zoomed.
    public func request(_ model: VizModel, size: ScreenSize) -> LayoutRequest {
        LayoutRequest(mapWidth: model.input.width, mapHeight: model.input.height,
                      arrangement: .main(dropoutRow: extras.contains(.dropoutRow), sweep: extras.contains(.sweep),
                                         chance: extras.contains(.chance)), zoom: zoom != nil)
    }

    /// Toggles the dropout row, the sweep, the drop chances and the zoom, pans the zoomed view, and leaves it on
    /// Esc; other keys pass.
    public mutating func route(_ action: VizAction, model: VizModel) -> KeyRoute {
        switch action {
        case .toggleDropoutRow:
            extras.formSymmetricDifference(.dropoutRow)
            return .handled(message: nil)
        case .toggleSweep:
            extras.formSymmetricDifference(.sweep)
            return .handled(message: nil)
        case .toggleChanceMap:
            extras.formSymmetricDifference(.chance)
            return .handled(message: nil)
        case .toggleZoom:
            zoom = zoom == nil ? (0, 0) : nil
            return .handled(message: nil)
        case .back where zoom != nil:
            // The zoom is a view: Esc leaves it, as it leaves the others (it quit the visualizer).
            zoom = nil
            return .handled(message: nil)
        case .pan(let dx, let dy):
            guard zoom != nil, let view = FrameRenderer.zoomWindow(model, width: model.screen.width, height: model.screen.height) else {
                return .handled(message: "the arrow keys move the 1:1 view: press z first")
            }
            // Half a view per step, inside the map.
            let stepX = max(1, view.columns.count / 2), stepY = max(1, view.rows.count / 2)
            zoom = (min(max(0, view.columns.lowerBound + dx * stepX), model.input.width - view.columns.count),
                    min(max(0, view.rows.lowerBound + dy * stepY), model.input.height - view.rows.count))
            return .handled(message: nil)
        default:
            return .pass
        }
    }

    /// Input, seeds, keep mask and output, then the extras that are on.
    public func panels(_ model: VizModel, layout: VizLayout) -> [Panel] {
        let view = model.view
        let input = model.input
        let window = zoom == nil ? nil : FrameRenderer.zoomWindow(model, layout: layout)
        var stats = view.stats, dropoutStats = view.dropoutStats
        if let window {
            if let dropout = view.dropout {
                dropoutStats = SelectionStats.compute(result: dropout, channel: model.channel, slice: model.slice, depthReach: nil, window: window)
            }
            if let result = view.result {
                let reach = view.plan?.geometry.flatMap { VizView.depthReach(geometry: $0, slice: model.slice) }
                stats = SelectionStats.compute(result: result, channel: model.channel, slice: model.slice, depthReach: reach, window: window)
            }
        }
        let maps = PanelMaps(channel: model.channel, slice: model.slice)
        let sample = input.sample(model.sample)
        func map(_ pixels: PixelMap?) -> Panel.Content { pixels.map { .map($0, window: window) } ?? .empty }
        func title(_ id: PanelID) -> PanelTitle {
            MainScreen.title(id, model: model, stats: stats, dropoutStats: dropoutStats, window: window)
        }
        var panels = [
            Panel(id: .input, title: title(.input), content: map(maps.channelMap(sample)), legend: [.zero, .high]),
            Panel(id: .seeds, title: title(.seeds), content: map(view.result.flatMap { maps.seedMap($0, geometry: view.plan?.geometry) }),
                  legend: PanelMaps.seedRoles(geometry: view.plan?.geometry), cursor: MainScreen.cursor(model)),
            Panel(id: .keepMask, title: title(.keepMask), content: map(view.result.map { maps.maskMap($0.keepMask) }),
                  legend: [.kept, .dropped, .tenths]),
            Panel(id: .output, title: title(.output), content: map(view.result.map { maps.outputMap($0, input: sample) }),
                  legend: [.droppedOutput, .dropped, .zero, .high]),
        ]
        if extras.contains(.dropoutRow) {
            panels.append(Panel(id: .dropoutMask, title: title(.dropoutMask), content: map(view.dropout.map { maps.maskMap($0.keepMask) }),
                                legend: [.kept, .dropped, .tenths]))
            panels.append(Panel(id: .dropoutOutput, title: title(.dropoutOutput),
                                content: map(view.dropout.map { maps.outputMap($0, input: sample) }), legend: [.droppedOutput, .dropped]))
        }
        if extras.contains(.sweep) {
            let chart = SweepChart(points: view.sweep, dropProb: model.parameters.dropProb, blockSize: model.parameters.blockSize)
            panels.append(Panel(id: .sweep, title: chart.title, content: .sweep(chart), legend: [.sweepBar, .sweepCurrent]))
        }
        if extras.contains(.chance) {
            let chances = DropChanceMap(plan: view.plan, input: input, slice: model.slice)
            panels.append(Panel(id: .chance, title: MainScreen.chanceTitle(chances, model: model, window: window),
                                content: map(chances.pixels), legend: [.zero, .high]))
        }
        return panels
    }

    /// Seed mode's cursor (nil outside seed mode).
    static func cursor(_ model: VizModel) -> (x: Int, y: Int)? {
        guard case .seeds(let placement) = model.modal else { return nil }
        return (placement.x, placement.y)
    }

    /// What a panel's map shows, as titles say it: HxW, as the header, NumPy and `stats --size`
    /// print shapes; in the zoom, the rows and columns in view.
    static func size(_ input: VizInput, window: MapWindow?) -> String {
        guard let window else { return ShapeText.size([input.height, input.width]) }
        return "rows \(window.rows.lowerBound)-\(window.rows.upperBound - 1) of \(input.height)"
            + " cols \(window.columns.lowerBound)-\(window.columns.upperBound - 1) of \(input.width)"
    }

    /// The drop-chance panel's title: its colour scale's top and the mean chance of the units in
    /// view (in 2D, of the whole map: `expected=`).
    public static func chanceTitle(_ chances: DropChanceMap, model: VizModel, window: MapWindow?) -> PanelTitle {
        let f = StatusLine.format
        let (mean, largest) = chances.summary(window: window)
        let place = (model.input.is3D ? "slice \(model.slice) " : "") + MainScreen.size(model.input, window: window)
        guard largest > 0 else {
            return PanelTitle(["drop chance p(j) \(place): 0 everywhere", "p(j) 0 everywhere", "p(j)=0"])
        }
        // The scale's top stays as long as any number does; in the zoom the mean is the view's, and says so.
        let top = f(chances.top), meanWord = window == nil ? "mean" : "view mean"
        return PanelTitle(["drop chance p(j) \(place) 0 to \(top) mean \(f(mean))", "p(j) 0 to \(top) \(meanWord) \(f(mean))",
                           "p(j) 0-\(top) \(meanWord) \(f(mean))", "p(j) 0-\(top)", "p<=\(top)", "p(j)"])
    }

    /// The title of a main-screen panel: what exactly that panel shows, in wordings from long to short.
    public static func title(_ kind: PanelID, model: VizModel, stats: SelectionStats? = nil, dropoutStats: SelectionStats? = nil,
                             window: MapWindow? = nil) -> PanelTitle {
        let input = model.input
        let view = model.view
        let stats = stats ?? view.stats
        let size = MainScreen.size(input, window: window)
        switch kind {
        case .input:
            // 0-based, as --channel and NumPy count.
            let channel = "c\(model.channel)" + (input.is3D ? " slice \(model.slice)" : "")
            if let window {
                // The place keeps both ranges as long as it can: after a move right, the rows alone
                // did not say where the view was.
                let (r0, r1) = (window.rows.lowerBound, window.rows.upperBound - 1)
                let (c0, c1) = (window.columns.lowerBound, window.columns.upperBound - 1)
                let rows = "rows \(r0)-\(r1)", both = "rows \(r0)-\(r1) cols \(c0)-\(c1)"
                // Narrowest, the rows alone: the other panels' numbers are the view's, and a bare
                // channel name let "mask 0%" read as the channel's.
                // In 3D the slice stays as long as the ranges do (round 25: zoom titles named none),
                // and both ranges outlast the words (a 60-column title kept `rows 11-32` alone).
                let slice = input.is3D ? ["slice \(model.slice) \(both)", "s\(model.slice) y\(r0)-\(r1) x\(c0)-\(c1)"] : []
                return PanelTitle(["input \(channel) \(size)", "input \(channel) \(both)"] + slice + [both, "y \(r0)-\(r1) x \(c0)-\(c1)",
                                   "y\(r0)-\(r1) x\(c0)-\(c1)", "\(rows) of \(input.height)", rows, "y\(r0)-\(r1)", channel])
            }
            return PanelTitle(["input \(channel) \(size)", "input \(channel)", channel])
        case .seeds:
            let gamma = "gamma=\(StatusLine.format(view.result?.gamma ?? 0))"
            var count = "n=\(stats.seeds)"
            if input.is3D && stats.nearbySeeds > 0 { count += " +\(stats.nearbySeeds)" }
            let nearby = input.is3D && stats.nearbySeeds > 0 ? " (+\(stats.nearbySeeds) from other slices)" : ""
            return PanelTitle(["seeds \(size) n=\(stats.seeds)\(nearby) \(gamma)", "seeds \(size) \(count) \(gamma)",
                               "seeds \(count) \(gamma)", "seeds \(count)", count])
        case .keepMask:
            let fraction = FrameRenderer.percent(stats.sliceDropped), rough = FrameRenderer.roughPercent(stats.sliceDropped)
            if window != nil {
                // The view's share, which may differ from the status line's channel_dropped: said even when narrow.
                return PanelTitle(["keep mask \(size) \(fraction) dropped", "mask in view \(fraction) dropped", "view \(fraction) dropped",
                                   "in view \(fraction)", "view \(fraction)", "view \(rough)", fraction, rough])
            }
            return PanelTitle(["keep mask \(size) \(fraction) dropped", "mask \(fraction) dropped", "mask \(fraction)", fraction, rough])
        case .output:
            let factor = "x\(StatusLine.format(Double(view.result?.scale ?? 1)))"
            return PanelTitle(["output \(size) \(factor)", "output \(factor)", factor])
        case .dropoutMask:
            let share = (dropoutStats ?? view.dropoutStats).sliceDropped
            let fraction = FrameRenderer.percent(share)
            return PanelTitle(["dropout bs=1 \(size) \(fraction) dropped", "dropout \(fraction) dropped", "dropout \(fraction)", fraction,
                               FrameRenderer.roughPercent(share)])
        case .dropoutOutput:
            let factor = "x\(StatusLine.format(Double(view.dropout?.scale ?? 1)))"
            return PanelTitle(["dropout output \(size) \(factor)", "dropout \(factor)", factor])
        default:
            // The sweep: its chart titles it, with its scale (`SweepChart.title`).
            return PanelTitle(["sweep"])
        }
    }
}
