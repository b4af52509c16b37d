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
        let title = PanelTitle([
            "presets side by side: \(channel)  block=\(p.blockSize)  p=\(StatusLine.format(p.dropProb))  one shared uniform draw  \(gamma)  (p back)",
            "presets: \(channel)  block=\(p.blockSize)  p=\(StatusLine.format(p.dropProb))  shared draw  \(gamma)",
            "presets: \(channel)  block=\(p.blockSize)  p=\(StatusLine.format(p.dropProb))",
        ])
        return [title.fitted(to: layout.width) ?? "presets"]
    }

    /// Each preset's seeds and keep mask for the same draw, captioned with its numbers.
    public func panels(_ model: VizModel, layout: VizLayout) -> [Panel] {
        let comparison = PresetComparison.compute(model: model)
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
            let stats = SelectionStats.compute(result: result, channel: model.channel, slice: model.slice, depthReach: nil)
            let percent = FrameRenderer.percent(stats.sliceDropped)
            panels.append(Panel(
                id: PresetsScreen.seedsID(column.preset), title: PanelTitle(["\(name) seeds n=\(stats.seeds)", "\(column.preset.rawValue) n=\(stats.seeds)", column.preset.rawValue]),
                content: maps.seedMap(result, geometry: plan.geometry).map { .map($0, window: nil) } ?? .empty,
                legend: [.seed, .nearbySeed, .region],
                caption: ["gamma=\(StatusLine.format(result.gamma))", "scale=\(StatusLine.format(Double(result.scale)))"]))
            panels.append(Panel(
                id: PresetsScreen.maskID(column.preset), title: PanelTitle(["mask \(percent) dropped", "mask \(percent)", percent]),
                content: .map(maps.maskMap(result.keepMask), window: nil), legend: [.kept, .dropped, .tenths],
                caption: ["expected=\(StatusLine.format(plan.expectedDropFraction))", "realized=\(StatusLine.format(result.droppedFraction))"]))
        }
        return panels
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

/// Every preset run on the same sample with the same uniform draw.
///
/// One uniform field `u` over `(C, *spatial)` is drawn from the seed and draw number; each
/// preset's noise tensor takes, at each of its noise positions, `u` of the map position that
/// noise value decides: the seed position itself (dropblock, timm, tf, kerascv) or the block's first
/// unit (torchvision, whose noise covers its valid seed grid only). A preset whose mask is
/// shared across channels takes the selected channel's `u`. Every preset seeds where its
/// threshold rule on `u` holds (`u < gamma`; tf and kerascv `1 - gamma + u < 1`), so in the selected
/// channel the same `u` sits at the same position in every column, and the columns differ
/// only by their rules: gamma, the allowed region, the block's anchoring and the sharing.
public struct PresetComparison: Sendable {
    /// The presets compared, in column order: every `Preset`, so a new one gets its column
    /// here without other changes.
    public static var presets: [Preset] { Preset.allCases }

    /// One column.
    public struct Column: Sendable {
        /// The preset of this column.
        public let preset: Preset
        /// The plan (nil when the preset cannot run on this input).
        public let plan: DropPlan?
        /// The pass on the shared draw.
        public let result: DropBlockResult?
        /// Why the preset cannot run here.
        public let error: String?
    }

    /// The columns, in `presets` order.
    public let columns: [Column]

    /// Runs every preset on the model's sample with the model's block size, p, mode and calibration.
    public static func compute(model: VizModel) -> PresetComparison {
        let input = model.input
        let sample = input.sample(model.sample)
        let field = uniformField(model: model)
        let columns = presets.map { preset -> Column in
            var parameters = model.parameters
            parameters.preset = preset
            do throws(DropBlockError) {
                try VizModel.validate(parameters, input: input)
                let plan = try VizModel.plan(input: input, parameters: parameters)
                let noise = try noiseTensor(plan: plan, field: field, channel: model.channel, spatial: input.spatial)
                let options = ForwardOptions(recordSeeds: true)
                let result = try DropBlockND(parameters: parameters).forward(sample, noise: noise, options: options)
                return Column(preset: preset, plan: plan, result: result, error: nil)
            } catch {
                return Column(preset: preset, plan: nil, result: nil, error: error.description)
            }
        }
        return PresetComparison(columns: columns)
    }

    /// The shared uniform draw `u` over `(C, *spatial)` for the model's seed, draw and sample.
    public static func uniformField(model: VizModel) -> [Float] {
        // One stream of its own per (draw, sample), apart from the main screen's.
        var generator = SeededGenerator(key: model.seed, stream: (1 << 62) | (model.draw << 20) | UInt64(model.sample))
        var field = [Float](repeating: 0, count: model.input.channels * model.input.spatial.reduce(1, *))
        for i in field.indices { field[i] = generator.nextUniformFloat() }
        return field
    }

    /// The preset's noise tensor (its `noiseShape`) filled from the shared field.
    static func noiseTensor(plan: DropPlan, field: [Float], channel: Int, spatial: [Int]) throws(DropBlockError) -> Tensor {
        let shape = plan.noiseShape
        let noiseSpatial = Array(shape.suffix(spatial.count))
        let maps = shape.dropLast(spatial.count).reduce(1, *)
        let perMap = noiseSpatial.reduce(1, *)
        let mapSize = spatial.reduce(1, *)
        var values = [Float](repeating: 1, count: maps * perMap)
        // torchvision's noise index v is the block's first unit: the same map position as v.
        for m in 0..<maps {
            let source = (maps == 1 ? channel : m) * mapSize
            for index in 0..<perMap {
                var rest = index, position = 0, stride = 1
                for axis in (0..<spatial.count).reversed() {
                    let coordinate = rest % noiseSpatial[axis]
                    rest /= noiseSpatial[axis]
                    position += coordinate * stride
                    stride *= spatial[axis]
                }
                values[m * perMap + index] = field[source + position]
            }
        }
        return try Tensor(shape: shape, storage: values)
    }
}
