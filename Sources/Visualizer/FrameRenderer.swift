import DropBlock

/// Renders the model into a frame for a terminal of `width x height` in a colour tier.
/// Pure and deterministic: the same model and size give the same frame.
public struct FrameRenderer: Sendable {
    public let tier: ColorTier
    let colormap = Colormap(steps: 16)

    static let keptColor = RGB(228, 228, 228)
    static let droppedColor = RGB(215, 38, 56)
    static let outsideColor = RGB(0, 0, 0)
    static let regionColor = RGB(62, 62, 84)
    static let seedColor = RGB(255, 200, 0)
    static let borderColor = RGB(120, 120, 140)
    static let asciiRamp: [Character] = Array(" .:-=+*#%@")

    public init(tier: ColorTier) {
        self.tier = tier
    }

    /// The whole screen.
    public func render(_ model: VizModel, width: Int, height: Int) -> Frame {
        var frame = Frame(width: width, height: height)
        guard width > 0, height > 0 else { return frame }
        let input = model.input
        let statusLines = StatusLine.wrap(StatusLine.fields(model: model), width: width)
        let layout = VizLayout.compute(
            width: width, height: height, mapWidth: input.width, mapHeight: input.height,
            statusLineCount: statusLines.count, showDropout: model.showDropout, showSweep: model.showSweep)
        guard let scale = layout.scale else {
            // The longest wording that fits on one line.
            let size = "\(VizLayout.minimumWidth)x\(VizLayout.minimumHeight)"
            let wordings = ["terminal too small: enlarge to at least \(size)", "enlarge to at least \(size)", "enlarge to \(size)", size]
            frame.put(wordings.first { $0.count <= width } ?? size, x: 0, y: 0, attributes: .bold)
            return frame
        }
        let shape = "(" + input.tensor.shape.map(String.init).joined(separator: ", ") + ")"
        frame.put("dropblock  \(input.name)  \(shape)  \(input.is3D ? "3D" : "2D")", x: 0, y: 0, attributes: .bold)

        for (kind, rect) in layout.panels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            drawPanel(kind, in: rect, model: model, scale: scale, frame: &frame)
        }
        if let note = model.view.error.map({ "error: " + $0 }) ?? model.message {
            frame.put(note, x: 0, y: layout.messageRow, fg: tier.usesColor ? FrameRenderer.droppedColor : nil, attributes: .bold)
        }
        for (i, line) in statusLines.enumerated() { frame.put(line, x: 0, y: layout.statusRows.lowerBound + i) }
        frame.put(KeyBindings.hint, x: 0, y: layout.hintRow, attributes: .dim)
        if model.showHelp { drawHelp(frame: &frame) }
        return frame
    }

    // MARK: - Panels

    func drawPanel(_ kind: PanelKind, in rect: Rect, model: VizModel, scale: MapScale, frame: inout Frame) {
        let input = model.input
        let size = "\(input.width)x\(input.height)"
        let view = model.view
        let map: PixelMap?
        let title: String
        switch kind {
        case .input:
            title = "input c\(model.channel + 1) \(size)"
            map = channelMap(input.sample(model.sample), model: model, normalizeBy: nil)
        case .seeds:
            title = "seeds \(size) n=\(view.result?.seedCount ?? 0) gamma=\(StatusLine.format(view.result?.gamma ?? 0))"
            map = seedMap(model: model)
        case .keepMask:
            title = "keep mask \(size) \(percent(view.result?.droppedFraction)) dropped"
            map = view.result.map { maskMap($0.keepMask, model: model) }
        case .output:
            title = "output \(size) x\(StatusLine.format(Double(view.result?.scale ?? 1)))"
            map = view.result.map { outputMap($0, model: model) }
        case .dropoutMask:
            title = "dropout bs=1 \(size) \(percent(view.dropout?.droppedFraction))"
            map = view.dropout.map { densityMap(maskMap($0.keepMask, model: model)) }
        case .dropoutOutput:
            title = "dropout output \(size) x\(StatusLine.format(Double(view.dropout?.scale ?? 1)))"
            map = view.dropout.map { outputMap($0, model: model) }
        case .sweep:
            drawBorder(rect, title: "expected drop vs block size (- p, + calibrated)", frame: &frame)
            drawSweep(model: model, in: Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2), frame: &frame)
            return
        }
        drawBorder(rect, title: title, frame: &frame)
        if let map { drawMap(map, x: rect.x + 1, y: rect.y + 1, scale: scale, frame: &frame) }
    }

    func percent(_ fraction: Double?) -> String {
        let value = (fraction ?? 0) * 100
        return StatusLine.format((value * 10).rounded() / 10) + "%"
    }

    /// Offset of the selected channel's (and slice's) map inside a `(1, C or 1, [D,] H, W)` tensor.
    func mapOffset(channels: Int, model: VizModel) -> Int {
        let input = model.input
        let c = channels == 1 ? 0 : model.channel
        return ((c * input.depth) + model.slice) * input.height * input.width
    }

    func channelMap(_ tensor: Tensor, model: VizModel, normalizeBy reference: Tensor?) -> PixelMap {
        let input = model.input
        let count = input.height * input.width
        let offset = mapOffset(channels: tensor.shape[1], model: model)
        let values = Array(tensor.storage[offset..<(offset + count)])
        let scaleSource: ArraySlice<Float>
        if let reference {
            let refOffset = mapOffset(channels: reference.shape[1], model: model)
            scaleSource = reference.storage[refOffset..<(refOffset + count)]
        } else {
            scaleSource = values[...]
        }
        var low = scaleSource.min() ?? 0, high = scaleSource.max() ?? 1
        if !(high > low) { high = low + 1 }
        let span = high - low
        return PixelMap(width: input.width, height: input.height, values: values.map { ($0 - low) / span }, kind: .continuous)
    }

    /// The output on the input's colour scale, dropped units marked so they read as dropped, not as zero activations.
    func outputMap(_ result: DropBlockResult, model: VizModel) -> PixelMap {
        let scaled = channelMap(result.output, model: model, normalizeBy: model.input.sample(model.sample))
        let keep = maskMap(result.keepMask, model: model)
        let values = zip(scaled.values, keep.values).map { $1 < 0.5 ? -1 : $0 }
        return PixelMap(width: scaled.width, height: scaled.height, values: values, kind: .masked)
    }

    func densityMap(_ mask: PixelMap) -> PixelMap {
        PixelMap(width: mask.width, height: mask.height, values: mask.values, kind: .keepDensity)
    }

    func maskMap(_ mask: Tensor, model: VizModel) -> PixelMap {
        let input = model.input
        let count = input.height * input.width
        let offset = mapOffset(channels: mask.shape[1], model: model)
        return PixelMap(width: input.width, height: input.height, values: Array(mask.storage[offset..<(offset + count)]), kind: .keepMask)
    }

    func seedMap(model: VizModel) -> PixelMap? {
        let input = model.input
        guard let result = model.view.result, let seeds = result.seedMask else { return nil }
        let count = input.height * input.width
        var values = [Float](repeating: 0, count: count)
        // The allowed seed region, drawn faintly (rows and columns of the last two axes; the depth slice too in 3D).
        if let geometry = model.view.plan?.geometry {
            let rank = geometry.seedRegion.count
            let rows = geometry.seedRegion[rank - 2], cols = geometry.seedRegion[rank - 1]
            let sliceAllowed = rank == 2 || geometry.seedRegion[0].contains(model.slice)
            if sliceAllowed {
                for y in rows { for x in cols { values[y * input.width + x] = 0.5 } }
            }
        }
        let offset = mapOffset(channels: seeds.shape[1], model: model)
        for i in 0..<count where seeds.storage[offset + i] > 0 { values[i] = 1 }
        return PixelMap(width: input.width, height: input.height, values: values, kind: .seeds)
    }

    // MARK: - Drawing

    func drawBorder(_ rect: Rect, title: String, frame: inout Frame) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let ascii = !tier.usesColor
        let (h, v, tl, tr, bl, br): (Character, Character, Character, Character, Character, Character) =
            ascii ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
        let color = tier.usesColor ? FrameRenderer.borderColor : nil
        let right = rect.x + rect.width - 1, bottom = rect.y + rect.height - 1
        for x in rect.x...right {
            frame[x, rect.y] = Cell(h, fg: color)
            frame[x, bottom] = Cell(h, fg: color)
        }
        for y in rect.y...bottom {
            frame[rect.x, y] = Cell(v, fg: color)
            frame[right, y] = Cell(v, fg: color)
        }
        frame[rect.x, rect.y] = Cell(tl, fg: color)
        frame[right, rect.y] = Cell(tr, fg: color)
        frame[rect.x, bottom] = Cell(bl, fg: color)
        frame[right, bottom] = Cell(br, fg: color)
        frame.put(" \(title) ", x: rect.x + 1, y: rect.y, attributes: .bold, maxWidth: rect.width - 2)
    }

    func drawMap(_ map: PixelMap, x: Int, y: Int, scale: MapScale, frame: inout Frame) {
        for row in 0..<scale.rows {
            let top = 2 * row, bottom = 2 * row + 1
            for column in 0..<scale.columns {
                let upper = map.pixel(column, top, scale: scale)
                let lower: Float? = bottom < scale.height ? map.pixel(column, bottom, scale: scale) : nil
                frame[x + column, y + row] = cell(map.kind, upper: upper, lower: lower)
            }
        }
    }

    /// Two vertically stacked pixels in one cell: `▀` with fg = upper and bg = lower,
    /// or one ASCII glyph for both.
    @inline(__always)
    func cell(_ kind: PixelMap.Kind, upper: Float, lower: Float?) -> Cell {
        if !tier.usesColor {
            switch kind {
            case .continuous, .masked:
                let v = lower.map { (max(upper, 0) + max($0, 0)) / 2 } ?? max(upper, 0)
                return Cell(FrameRenderer.asciiRamp[min(9, max(0, Int(v * 10)))])
            case .keepMask:
                return Cell(min(upper, lower ?? 1) < 0.5 ? "#" : ".")
            case .keepDensity:
                let dropped = 1 - (lower.map { (upper + $0) / 2 } ?? upper)
                return Cell(dropped <= 0 ? "." : FrameRenderer.asciiRamp[min(9, max(1, Int((dropped * 10).rounded(.up))))])
            case .seeds:
                let v = max(upper, lower ?? 0)
                return Cell(v >= 1 ? "o" : v > 0 ? "." : " ")
            }
        }
        return Cell("▀", fg: color(kind, upper), bg: lower.map { color(kind, $0) })
    }

    @inline(__always)
    func color(_ kind: PixelMap.Kind, _ value: Float) -> RGB {
        switch kind {
        case .continuous: return colormap.color(value)
        case .masked: return value < 0 ? FrameRenderer.outsideColor : colormap.color(value)
        case .keepMask: return value < 0.5 ? FrameRenderer.droppedColor : FrameRenderer.keptColor
        case .keepDensity: return RGB.mix(FrameRenderer.droppedColor, FrameRenderer.keptColor, Double(min(max(value, 0), 1)))
        case .seeds: return value >= 1 ? FrameRenderer.seedColor : value > 0 ? FrameRenderer.regionColor : FrameRenderer.outsideColor
        }
    }

    /// A bar per block size: expected drop with the preset's gamma; `·` the calibrated
    /// expectation; a rule at p; the current block size highlighted.
    func drawSweep(model: VizModel, in rect: Rect, frame: inout Frame) {
        let points = model.view.sweep
        guard !points.isEmpty, rect.width >= 4, rect.height >= 2 else { return }
        let p = model.parameters.dropProb
        let limit = max(min(1, max(points.compactMap(\.expected).max() ?? 0, p) * 1.1), 1e-9)
        let barWidth = max(1, rect.width / points.count)
        let shown = points.prefix(rect.width / barWidth)
        let barRows = rect.height - 1
        let ascii = !tier.usesColor
        let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        func row(of value: Double) -> Int { barRows - 1 - min(barRows - 1, Int(value / limit * Double(barRows))) }
        let pRow = row(of: p)
        let ruleColor = tier.usesColor ? FrameRenderer.droppedColor : nil
        for x in rect.x..<(rect.x + rect.width) { frame[x, rect.y + pRow] = Cell(ascii ? "-" : "─", fg: ruleColor) }
        for (i, point) in shown.enumerated() {
            let current = point.blockSize == model.parameters.blockSize
            let barColor = current ? FrameRenderer.seedColor : RGB(90, 150, 200)
            let height = (point.expected ?? 0) / limit * Double(barRows)
            let calibratedRow = point.calibrated.map(row(of:))
            for column in 0..<barWidth {
                let x = rect.x + i * barWidth + column
                for r in 0..<barRows {
                    let fill = min(1, max(0, height - Double(barRows - 1 - r)))
                    let glyph: Character
                    if fill > 0.06 {
                        glyph = ascii ? (fill >= 0.5 ? (current ? "@" : "#") : (current ? "o" : ":")) : eighths[max(1, Int((fill * 8).rounded()))]
                    } else if r == calibratedRow {
                        glyph = ascii ? "+" : "·"
                    } else {
                        continue
                    }
                    frame[x, rect.y + r] = Cell(glyph, fg: tier.usesColor ? barColor : nil)
                }
            }
            let label = String(point.blockSize)
            if current || label.count < barWidth || (point.blockSize % 5 == 0 && label.count <= barWidth) || point.blockSize == 1 {
                frame.put(label, x: rect.x + i * barWidth, y: rect.y + barRows, fg: current && tier.usesColor ? FrameRenderer.seedColor : nil,
                          attributes: current ? .bold : [], maxWidth: max(barWidth, label.count))
            }
        }
    }

    func drawHelp(frame: inout Frame) {
        let lines = ["keys"] + KeyBindings.all.map { $0.label.padding(to: 9) + $0.help }
        let boxWidth = min(frame.width, (lines.map(\.count).max() ?? 0) + 4)
        let boxHeight = min(frame.height, lines.count + 2)
        let x = max(0, (frame.width - boxWidth) / 2), y = max(0, (frame.height - boxHeight) / 2)
        for row in y..<(y + boxHeight) {
            for column in x..<(x + boxWidth) { frame[column, row] = Cell(" ", attributes: .reverse) }
        }
        for (i, line) in lines.prefix(boxHeight - 2).enumerated() {
            frame.put(line, x: x + 2, y: y + 1 + i, attributes: i == 0 ? [.reverse, .bold] : .reverse, maxWidth: boxWidth - 4)
        }
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
