import DropBlock

/// Every channel of the current sample as a grid of small panels (`g`), each titled with its
/// channel number and its own dropped fraction; paged (`n`/`N`) when they do not all fit.
public struct GridScreen: VizScreen, Equatable {
    /// What the small panels show.
    public enum Source: String, Sendable, Equatable {
        /// The output, dropped units marked.
        case output
        /// The input.
        case input
    }

    /// The page on show (0-based; kept within the pages the terminal allows).
    public var page = 0
    /// Output or input (`o` switches).
    public var source = Source.output

    /// The grid on its first page, showing the output.
    public init() {}

    /// The smallest width a small map is drawn at (the map's own width when narrower), so
    /// that a page never shrinks its maps past reading.
    static let readableColumns = 14

    /// How many panels a page holds on a terminal of `size`, and the column counts that fit them.
    public static func pageSize(_ model: VizModel, size: ScreenSize) -> (perPage: Int, columns: Int) {
        let input = model.input
        let statusCount = StatusLine.wrap(StatusLine.fields(model: model), width: size.width).count
        var best = (perPage: 1, columns: 1, magnification: 0.0)
        let maxColumns = max(1, min(input.channels, size.width / 6))
        // Only the scale matters here: the layout's panels are not placed.
        let allIDs = (0..<min(input.channels, maxColumns * max(1, size.height / 3))).map { PanelID("c\($0)") }
        func scale(columns: Int, count: Int) -> MapScale? {
            let request = LayoutRequest(mapWidth: input.width, mapHeight: input.height, arrangement: .flow(Array(allIDs.prefix(count)), columns: [columns]),
                                        headerLines: 1, minimumPanelWidth: 8)
            return VizLayout.scale(request, width: size.width, height: size.height, statusLineCount: statusCount)
        }
        // A terminal too short for a readable map still shows as many as fit at the width one
        // map alone gets there (one panel a page left most of a 60x16 screen empty).
        let wanted = min(input.width, readableColumns, scale(columns: 1, count: 1)?.columns ?? 1)
        for columns in 1...maxColumns {
            let maxRows = max(1, min((input.channels + columns - 1) / columns, size.height / 3))
            for rows in stride(from: maxRows, through: 1, by: -1) {
                let count = min(input.channels, columns * rows)
                guard let scale = scale(columns: columns, count: count), scale.columns >= wanted || count == 1 else { continue }
                if count > best.perPage || (count == best.perPage && scale.magnification > best.magnification) {
                    best = (count, columns, scale.magnification)
                }
                break
            }
        }
        return (best.perPage, best.columns)
    }

    /// Pages needed for every channel on a terminal of `size`.
    public static func pageCount(_ model: VizModel, size: ScreenSize) -> Int {
        let perPage = pageSize(model, size: size).perPage
        return (model.input.channels + perPage - 1) / perPage
    }

    /// The channels on the shown page.
    public func channels(_ model: VizModel, size: ScreenSize) -> Range<Int> {
        shown(model, size: size).channels
    }

    /// The shown page's channels, the page count and the column count, from one `pageSize`.
    func shown(_ model: VizModel, size: ScreenSize) -> (channels: Range<Int>, pages: Int, columns: Int) {
        let (perPage, columns) = GridScreen.pageSize(model, size: size)
        let pages = (model.input.channels + perPage - 1) / perPage
        let first = min(page, pages - 1) * perPage
        return (first..<min(model.input.channels, first + perPage), pages, columns)
    }

    /// One small panel per channel of the current page, as many columns as fit.
    public func request(_ model: VizModel, size: ScreenSize) -> LayoutRequest {
        let page = shown(model, size: size)
        let ids = page.channels.map { PanelID("c\($0)") }
        return LayoutRequest(mapWidth: model.input.width, mapHeight: model.input.height, arrangement: .flow(ids, columns: [page.columns]),
                             headerLines: 1, minimumPanelWidth: 8)
    }

    /// The title line: what the grid shows and which page.
    public func headerLines(_ model: VizModel, layout: VizLayout) -> [String] {
        let size = ScreenSize(width: layout.width, height: layout.height)
        let (shown, pages, _) = self.shown(model, size: size)
        let mask = model.parameters.sharesMask ? "mask: shared across channels" : "mask: per channel"
        let pageMark = "page \(min(page, pages - 1) + 1)/\(pages)"
        let range = "channels \(shown.lowerBound)-\(shown.upperBound - 1) of \(model.input.channels)"
        let slice = model.input.is3D ? " slice \(model.slice)" : ""
        let what = "\(source.rawValue)\(slice)"
        let keys = (pages > 1 ? "n/N page  " : "") + "o output/input  g back"
        let title = PanelTitle([
            "\(mask)  \(range)  \(pageMark)  showing \(what)  (\(keys))",
            "\(mask)  \(range)  \(pageMark)  showing \(what)",
            "\(mask)  \(pageMark)  \(what)",
            "\(mask)  \(pageMark)",
        ])
        return [title.fitted(to: layout.width) ?? pageMark]
    }

    /// The page's channels, each titled with its dropped share.
    public func panels(_ model: VizModel, layout: VizLayout) -> [Panel] {
        let size = ScreenSize(width: layout.width, height: layout.height)
        let sample = model.input.sample(model.sample)
        return channels(model, size: size).map { channel in
            let id = PanelID("c\(channel)")
            guard let result = model.view.result else { return Panel(id: id, title: PanelTitle(["c\(channel)"]), content: .empty) }
            let fraction = GridScreen.droppedFraction(result, channel: channel, slice: model.slice)
            let percent = FrameRenderer.percent(fraction)
            let maps = PanelMaps(channel: channel, slice: model.slice)
            let content: Panel.Content = source == .output
                ? .map(maps.outputMap(result, input: sample), window: nil) : .map(maps.channelMap(sample), window: nil)
            let legend: Set<LegendRole> = source == .output ? [.droppedOutput, .zero, .high] : [.zero, .high]
            // In 3D the share is the shown slice's, and the longest wordings say so (round 25:
            // `c0 12.1%` read as the channel's, whose status line said channel_dropped=0.08758).
            let slice = model.input.is3D ? ["c\(channel) slice \(model.slice) \(percent) dropped", "c\(channel) s\(model.slice) \(percent)"] : []
            return Panel(id: id, title: PanelTitle(slice + ["c\(channel) \(percent) dropped", "c\(channel) \(percent)",
                                                             "c\(channel) \(FrameRenderer.roughPercent(fraction))", percent, FrameRenderer.roughPercent(fraction)]),
                         content: content, legend: legend)
        }
    }

    /// The dropped fraction of `channel`'s map (its `slice` in 3D): what its panel draws.
    public static func droppedFraction(_ result: DropBlockResult, channel: Int, slice: Int) -> Double {
        SelectionStats.compute(result: result, channel: channel, slice: slice, depthReach: nil).sliceDropped
    }

    /// `n`/`N` turn pages, `o` switches input and output, `g` or Esc leave; other keys pass.
    public mutating func route(_ action: VizAction, model: VizModel) -> KeyRoute {
        let pages = GridScreen.pageCount(model, size: model.screen)
        switch action {
        case .toggleGrid, .back:
            return .leave
        case .nextChannel, .previousChannel:
            // n/N move by a page here.
            let current = min(page, pages - 1)
            page = (current + (action == .nextChannel ? 1 : pages - 1)) % pages
            return .handled(message: pages == 1 ? "every channel is on this page" : nil)
        case .toggleGridSource:
            source = source == .output ? .input : .output
            return .handled(message: nil)
        default:
            return .pass
        }
    }
}
