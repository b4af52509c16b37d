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
        // Columns that may be too narrow for even a code and a count are named here, in order:
        // the count is at most the map's units, so a title that cannot fit `tv n=` and that
        // many digits may show the count alone (`seedsForms`).
        let longestCode = "tv n=\(model.input.spatial.reduce(1, *))".count
        let narrow = PresetComparison.presets.contains { preset in
            layout.panels[PresetsScreen.seedsID(preset)].map { layout.titleWidth($0) < longestCode } ?? false
        }
        if narrow {
            let order = PresetComparison.presets.map(PresetsScreen.code).joined(separator: " ")
            return [PanelTitle(["presets (\(order)): \(channel)  one shared draw, not the status line's", "presets (\(order)): not the status line's draw",
                                "\(order): not the status line's draw", "\(order): not the status draw", order]).fitted(to: layout.width) ?? ""]
        }
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
        // In 3D with the seeds of other slices whose blocks reach the shown one, as the main
        // screen counts them (round 25: `n=6` over a panel that also drew 12 of those).
        let stats = comparison.columns.map { column in
            column.result.map { result in
                let reach = column.plan?.geometry.flatMap { VizView.depthReach(geometry: $0, slice: model.slice) }
                return SelectionStats.compute(keepMask: result.keepMask, seedMask: result.seedMask, channel: model.channel, slice: model.slice,
                                              depthReach: reach)
            }
        }
        let titles = PresetsScreen.seedsTitles(comparison.columns.indices.map { index in
            let preset = comparison.columns[index].preset
            let width = layout.panels[PresetsScreen.seedsID(preset)].map { layout.titleWidth($0) } ?? 0
            return (preset, preset == model.parameters.preset, stats[index]?.seeds, width, stats[index]?.nearbySeeds ?? 0)
        })
        for (index, column) in comparison.columns.enumerated() {
            let name = column.preset.rawValue + (column.preset == model.parameters.preset ? " (current)" : "")
            guard let result = column.result, let plan = column.plan, let stats = stats[index] else {
                let reason = column.error ?? "cannot run"
                let id = PresetsScreen.seedsID(column.preset)
                let width = layout.panels[id].map { layout.inner($0).width } ?? 16
                panels.append(Panel(id: id, title: PanelTitle([name, column.preset.rawValue]),
                                    content: .text(["cannot run:"] + PresetsScreen.wrap(reason, width: max(8, width)))))
                panels.append(Panel(id: PresetsScreen.maskID(column.preset), title: PanelTitle(["(no mask)"]), content: .empty))
                continue
            }
            let percent = FrameRenderer.percent(stats.sliceDropped)
            panels.append(Panel(
                id: PresetsScreen.seedsID(column.preset), title: titles[index],
                content: maps.seedMap(seeds: result.seedMask, geometry: plan.geometry).map { .map($0, window: nil) } ?? .empty,
                legend: PanelMaps.seedRoles(geometry: plan.geometry),
                caption: [PanelTitle.number("gamma", short: "g", result.gamma), PanelTitle.number("scale", short: "x", Double(result.scale))]))
            panels.append(Panel(
                id: PresetsScreen.maskID(column.preset), title: PanelTitle(["mask \(percent) dropped", "mask \(percent)", percent, FrameRenderer.roughPercent(stats.sliceDropped)]),
                content: .map(maps.maskMap(result.keepMask), window: nil), legend: [.kept, .dropped, .tenths],
                caption: [PanelTitle.number("expected", short: "exp", plan.expectedDropFraction),
                          PanelTitle.number("realized", short: "real", result.droppedFraction)]))
        }
        return panels
    }

    /// The columns' seeds titles, shortened alike: every column that has seeds takes the first
    /// form that fits them all (the current preset marked; then `seeds` and the count; then the
    /// name and the count, each name cut only as far as its own panel needs; then the count),
    /// so that neighbours never read in two forms (`tf seeds n=1` beside `timm n=3`). A column
    /// is (preset, whether it is the current one, its seed count or nil when it cannot run,
    /// its title width).
    static func seedsTitles(_ columns: [(preset: Preset, current: Bool, seeds: Int?, width: Int, nearby: Int)]) -> [PanelTitle] {
        let forms = columns.map { seedsForms(preset: $0.preset, current: $0.current, seeds: $0.seeds ?? 0, nearby: $0.nearby) }
        let shown = columns.indices.filter { columns[$0].seeds != nil }
        let form = (0..<3).first { form in
            shown.allSatisfy { column in forms[column][form].contains { $0.count <= columns[column].width } }
        } ?? 3
        return forms.map { PanelTitle(Array($0[form...].joined())) }
    }

    /// One column's seeds title in its four forms, long to short, each a list of wordings long
    /// to short: `torchvision (current) seeds n=2`; `torchvision seeds n=2`; `torchvision n=2`,
    /// `torchvisio. n=2`, ..., `to. n=2`, `tv n=2`; `n=2`.
    static func seedsForms(preset: Preset, current: Bool, seeds: Int, nearby: Int = 0) -> [[String]] {
        // 3D: `+k` seeds of other slices whose blocks reach the shown one, as the main screen writes them.
        let count = "n=\(seeds)" + (nearby > 0 ? " +\(nearby)" : ""), name = preset.rawValue
        let cuts = stride(from: name.count - 1, through: 2, by: -1).map { "\(name.prefix($0)). \(count)" }
        return [["\(name)\(current ? " (current)" : "") seeds \(count)"], ["\(name) seeds \(count)"],
                ["\(name) \(count)"] + cuts + ["\(code(preset)) \(count)"], [count]]
    }

    /// A preset's two-letter code, the last name a narrow column keeps (`db tv ti tf kc`):
    /// without it, columns at 46-55 terminal columns named no preset at all.
    static func code(_ preset: Preset) -> String {
        switch preset {
        case .dropblock: return "db"
        case .torchvision: return "tv"
        case .timm: return "ti"
        case .tf: return "tf"
        case .kerascv: return "kc"
        }
    }

    /// Words of `text` in lines of at most `width` characters. A no-break space (U+00A0) joins
    /// two words into one, and is shown as a space.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty { current = String(word) } else if current.count + 1 + word.count <= width { current += " " + word } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { String($0.map { $0 == "\u{00A0}" ? " " : $0 }) }
    }

    /// `p` or Esc leave; other keys pass to the model.
    public mutating func route(_ action: VizAction, model: VizModel) -> KeyRoute {
        switch action {
        case .togglePresets, .back: return .leave
        default: return .pass
        }
    }
}
