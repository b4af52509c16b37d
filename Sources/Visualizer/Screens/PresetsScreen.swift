import DropBlock

/// The presets side by side (`p`): one column per preset on the same channel, block size and
/// p, each with its seed region and seeds, its keep mask, and its own gamma, expected and
/// realized drop. Every column replays one shared uniform draw (see `PresetComparison`).
public struct PresetsScreen: VizScreen, Equatable {
    /// The presets view.
    public init() {}

    static func seedsID(_ preset: Preset) -> PanelID { PanelID("\(preset.rawValue).seeds") }
    static func maskID(_ preset: Preset) -> PanelID { PanelID("\(preset.rawValue).mask") }

    /// One column per preset (seeds over mask), with two caption lines each.
    public func request(_ model: VizModel, size: ScreenSize) -> LayoutRequest {
        let groups = PresetComparison.presets.map { [PresetsScreen.seedsID($0), PresetsScreen.maskID($0)] }
        return LayoutRequest(mapWidth: model.input.width, mapHeight: model.input.height, arrangement: .columns(groups),
                             headerLines: 1, minimumPanelWidth: 15, captionLines: 2)
    }

    /// The title line: the shared draw and parameters.
    public func headerLines(_ model: VizModel, layout: VizLayout) -> [String] {
        let p = model.parameters
        let channel = "c\(model.channel)" + (model.input.is3D ? " slice \(model.slice)" : "")
        let gamma = p.calibrated ? "calibrated gamma" : "each preset's own gamma"
        let what = "\(channel)  block=\(p.blockSize)  p=\(StatusLine.format(p.dropProb))"
        // The columns replay their own shared draw; the status line under them describes the main
        // view's draw, so every wording says the numbers differ on purpose.
        let title = PanelTitle([
            "presets side by side: \(what)  columns: one shared uniform draw, not the status line's  \(gamma)  (p back)",
            "presets: \(what)  columns: one shared draw, not the status line's  \(gamma)",
            "presets: \(what)  columns: one shared draw, not the status line's",
            "presets: \(what)  one shared draw, not the status line's",
            "presets: \(channel)  one shared draw, not the status line's",
            "presets: not the status line's draw",
        ])
        return [title.fitted(to: layout.width) ?? "presets"]
    }

    /// Each preset's seeds and keep mask for the same draw, captioned with its numbers.
    public func panels(_ model: VizModel, layout: VizLayout) -> [Panel] {
        let comparison = model.presetComparison ?? PresetComparison.compute(model: model)
        let maps = PanelMaps(channel: model.channel, slice: model.slice)
        var panels: [Panel] = []
        for column in comparison.columns {
            let name = column.preset.rawValue + (column.preset == model.parameters.preset ? " (current)" : "")
            guard let result = column.result, let plan = column.plan else {
                let reason = column.error ?? "cannot run"
                let id = PresetsScreen.seedsID(column.preset)
                let width = layout.panels[id].map { layout.inner($0).width } ?? 16
                panels.append(Panel(id: id, title: PanelTitle([name, column.preset.rawValue]),
                                    content: .text(["cannot run:"] + PresetsScreen.wrap(reason, width: max(8, width)))))
                panels.append(Panel(id: PresetsScreen.maskID(column.preset), title: PanelTitle(["(no mask)"]), content: .empty))
                continue
            }
            let stats = SelectionStats.compute(keepMask: result.keepMask, seedMask: result.seedMask, channel: model.channel,
                                               slice: model.slice, depthReach: nil)
            let percent = FrameRenderer.percent(stats.sliceDropped)
            panels.append(Panel(
                id: PresetsScreen.seedsID(column.preset), title: PresetsScreen.seedsTitle(name: name, preset: column.preset, seeds: stats.seeds),
                content: maps.seedMap(seeds: result.seedMask, geometry: plan.geometry).map { .map($0, window: nil) } ?? .empty,
                legend: [.seed, .nearbySeed, .region, .outside],
                caption: ["gamma=\(StatusLine.format(result.gamma))", "scale=\(StatusLine.format(Double(result.scale)))"]))
            panels.append(Panel(
                id: PresetsScreen.maskID(column.preset), title: PanelTitle(["mask \(percent) dropped", "mask \(percent)", percent]),
                content: .map(maps.maskMap(result.keepMask), window: nil), legend: [.kept, .dropped, .tenths],
                caption: ["expected=\(StatusLine.format(plan.expectedDropFraction))", "realized=\(StatusLine.format(result.droppedFraction))"]))
        }
        return panels
    }

    /// A column's seeds title, from long to short: words and then letters of the name go before
    /// the count does (`torchvision n=2`, `torchvi. n=2`, ..., `n=2`).
    static func seedsTitle(name: String, preset: Preset, seeds: Int) -> PanelTitle {
        let count = "n=\(seeds)", short = preset.rawValue
        let abbreviations = stride(from: short.count - 1, through: 2, by: -1).map { "\(short.prefix($0)). \(count)" }
        return PanelTitle(["\(name) seeds \(count)", "\(short) \(count)"] + abbreviations + [count])
    }

    /// Words of `text` in lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty { current = String(word) } else if current.count + 1 + word.count <= width { current += " " + word } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// `p` or Esc leave; other keys pass to the model.
    public mutating func route(_ action: VizAction, model: VizModel) -> KeyRoute {
        switch action {
        case .togglePresets, .back: return .leave
        default: return .pass
        }
    }
}
