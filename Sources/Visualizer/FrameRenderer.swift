import DropBlock

/// Renders the model into a frame for a terminal of `width x height` in a colour tier.
/// Pure and deterministic: the same model and size give the same frame.
public struct FrameRenderer: Sendable {
    public let tier: ColorTier
    /// The colours of this tier, per role.
    public let palette: Palette
    static let asciiRamp: [Character] = Array(" .:-=+*#%@")

    public init(tier: ColorTier) {
        self.tier = tier
        palette = Palette(tier: tier)
    }

    /// The layout of the whole screen for `model` at `width x height`.
    public func layout(_ model: VizModel, width: Int, height: Int) -> VizLayout {
        let statusLines = StatusLine.wrap(StatusLine.fields(model: model), width: width)
        return VizLayout.compute(
            width: width, height: height, mapWidth: model.input.width, mapHeight: model.input.height,
            statusLineCount: statusLines.count, showDropout: model.showDropout, showSweep: model.showSweep, zoom: model.zoom)
    }

    /// The part of the map the 1:1 zoom shows at `width x height` (nil when not zoomed or too small).
    public static func zoomWindow(_ model: VizModel, width: Int, height: Int) -> MapWindow? {
        guard model.zoom, let scale = FrameRenderer(tier: .ascii).layout(model, width: width, height: height).scale else { return nil }
        let x0 = min(max(0, model.zoomX), model.input.width - scale.width)
        let y0 = min(max(0, model.zoomY), model.input.height - scale.height)
        return MapWindow(rows: y0..<(y0 + scale.height), columns: x0..<(x0 + scale.width))
    }

    /// The whole screen.
    public func render(_ model: VizModel, width: Int, height: Int) -> Frame {
        var frame = Frame(width: width, height: height)
        guard width > 0, height > 0 else { return frame }
        let input = model.input
        let statusLines = StatusLine.wrap(StatusLine.fields(model: model), width: width)
        let layout = self.layout(model, width: width, height: height)
        guard var scale = layout.scale else {
            // The longest wording that fits on one line.
            let size = "\(VizLayout.minimumWidth)x\(VizLayout.minimumHeight)"
            let wordings = ["terminal too small: enlarge to at least \(size)", "enlarge to at least \(size)", "enlarge to \(size)", size]
            frame.put(wordings.first { $0.count <= width } ?? size, x: 0, y: 0, attributes: .bold)
            return frame
        }
        let shape = "(" + input.tensor.shape.map(String.init).joined(separator: ", ") + ")"
        let dimension = input.is3D ? "3D" : "2D"
        let header = PanelTitle(["dropblock  \(input.name)  \(shape)  \(dimension)", "\(input.name)  \(shape)  \(dimension)", "\(shape)  \(dimension)", shape])
        frame.put(header.fitted(to: width) ?? "", x: 0, y: 0, attributes: .bold)

        let window = FrameRenderer.zoomWindow(model, width: width, height: height)
        var stats = model.view.stats, dropoutStats = model.view.dropoutStats
        if let window {
            if let dropout = model.view.dropout {
                dropoutStats = SelectionStats.compute(result: dropout, channel: model.channel, slice: model.slice, depthReach: nil, window: window)
            }
            scale.originX = window.columns.lowerBound
            scale.originY = window.rows.lowerBound
            if let result = model.view.result {
                let reach = model.view.plan?.geometry.flatMap { VizView.depthReach(geometry: $0, slice: model.slice) }
                stats = SelectionStats.compute(result: result, channel: model.channel, slice: model.slice, depthReach: reach, window: window)
            }
        }
        if layout.style == .boxed { drawBorders(Array(layout.panels.values), frame: &frame) }
        for (kind, rect) in layout.panels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let title = self.title(kind, model: model, stats: stats, dropoutStats: dropoutStats, window: window)
            if let text = title.fitted(to: layout.titleWidth(rect)) {
                // Boxed: " title " in the top border, inside the corners; compact: the row above the map.
                if layout.style == .boxed {
                    frame.put(" \(text) ", x: rect.x + 1, y: rect.y, attributes: .bold)
                } else {
                    frame.put(text, x: rect.x, y: rect.y, attributes: .bold)
                }
            }
            drawPanel(kind, in: rect, layout: layout, model: model, scale: scale, frame: &frame)
        }
        if let note = model.view.error.map({ "error: " + $0 }) ?? model.message {
            frame.put(note, x: 0, y: layout.messageRow, fg: tier.usesColor ? palette.dropped : nil, attributes: .bold)
        } else {
            drawLegend(model: model, row: layout.messageRow, frame: &frame)
        }
        for (i, line) in statusLines.enumerated() { frame.put(line, x: 0, y: layout.statusRows.lowerBound + i) }
        frame.put(KeyBindings.hint(width: width), x: 0, y: layout.hintRow, attributes: .dim)
        if model.showHelp { HelpOverlay(width: width, height: height).draw(page: model.helpPage, on: &frame) }
        return frame
    }

    func drawLegend(model: VizModel, row: Int, frame: inout Frame) {
        var x = 0
        for segment in Legend(tier: tier, palette: palette, is3D: model.input.is3D, hasNonFinite: model.input.nonFiniteCount > 0).segments(width: frame.width) {
            frame.put(segment.text, x: x, y: row, fg: segment.fg)
            x += segment.text.count
        }
    }

    // MARK: - Panels

    /// The title of a panel: what exactly that panel shows, in wordings from long to short.
    public func title(_ kind: PanelKind, model: VizModel, stats: SelectionStats? = nil, dropoutStats: SelectionStats? = nil,
                      window: MapWindow? = nil) -> PanelTitle {
        let input = model.input
        let view = model.view
        let stats = stats ?? view.stats
        // HxW, as the header, NumPy and `stats --size` print shapes; in the zoom, the rows and columns in view.
        var size = "\(input.height)x\(input.width)"
        if let window {
            size = "rows \(window.rows.lowerBound)-\(window.rows.upperBound - 1) of \(input.height)"
                + " cols \(window.columns.lowerBound)-\(window.columns.upperBound - 1) of \(input.width)"
        }
        switch kind {
        case .input:
            // 0-based, as --channel and NumPy count.
            let channel = "c\(model.channel)" + (input.is3D ? " slice \(model.slice)" : "")
            if let window {
                let rows = "rows \(window.rows.lowerBound)-\(window.rows.upperBound - 1)"
                return PanelTitle(["input \(channel) \(size)", "input \(channel) \(rows) of \(input.height)", "\(rows) of \(input.height)", rows, channel])
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
            let fraction = percent(stats.sliceDropped)
            return PanelTitle(["keep mask \(size) \(fraction) dropped", "mask \(fraction) dropped", "mask \(fraction)", fraction])
        case .output:
            let factor = "x\(StatusLine.format(Double(view.result?.scale ?? 1)))"
            return PanelTitle(["output \(size) \(factor)", "output \(factor)", factor])
        case .dropoutMask:
            let fraction = percent((dropoutStats ?? view.dropoutStats).sliceDropped)
            return PanelTitle(["dropout bs=1 \(size) \(fraction) dropped", "dropout \(fraction) dropped", "dropout \(fraction)", fraction])
        case .dropoutOutput:
            let factor = "x\(StatusLine.format(Double(view.dropout?.scale ?? 1)))"
            return PanelTitle(["dropout output \(size) \(factor)", "dropout \(factor)", factor])
        case .sweep:
            return PanelTitle(["expected drop vs block size (- p, + calibrated)", "expected drop vs block size", "drop vs block", "sweep"])
        }
    }

    func drawPanel(_ kind: PanelKind, in rect: Rect, layout: VizLayout, model: VizModel, scale: MapScale, frame: inout Frame) {
        let view = model.view
        let map: PixelMap?
        switch kind {
        case .input:
            map = channelMap(model.input.sample(model.sample), model: model, normalizeBy: nil)
        case .seeds:
            map = seedMap(model: model)
        case .keepMask:
            map = view.result.map { maskMap($0.keepMask, model: model) }
        case .output:
            map = view.result.map { outputMap($0, model: model) }
        case .dropoutMask:
            map = view.dropout.map { maskMap($0.keepMask, model: model) }
        case .dropoutOutput:
            map = view.dropout.map { outputMap($0, model: model) }
        case .sweep:
            drawSweep(model: model, in: layout.inner(rect), frame: &frame)
            return
        }
        let origin = layout.mapOrigin(rect)
        if let map { drawMap(map, x: origin.x, y: origin.y, scale: scale, frame: &frame) }
    }

    /// A percentage with one decimal, as the titles show it.
    public static func percent(_ fraction: Double) -> String {
        StatusLine.format((fraction * 1000).rounded() / 10) + "%"
    }

    func percent(_ fraction: Double) -> String { FrameRenderer.percent(fraction) }

    /// The selected channel's (and slice's) map, on a colour scale anchored at 0: from
    /// min(0, low) to max(0, high), so a constant non-zero map is not drawn as zero.
    func channelMap(_ tensor: Tensor, model: VizModel, normalizeBy reference: Tensor?) -> PixelMap {
        let input = model.input
        let selection = MapSelection(shape: tensor.shape, channel: model.channel, slice: model.slice)
        let values = Array(tensor.storage[selection.plane])
        let scaleSource: ArraySlice<Float>
        if let reference {
            let refSelection = MapSelection(shape: reference.shape, channel: model.channel, slice: model.slice)
            scaleSource = reference.storage[refSelection.plane]
        } else {
            scaleSource = values[...]
        }
        // Finite values only set the scale, in Double: the span of extreme floats overflows Float.
        var low = 0.0, high = 0.0
        for value in scaleSource where value.isFinite {
            low = min(low, Double(value))
            high = max(high, Double(value))
        }
        if !(high > low) { high = low + 1 }
        let span = high - low
        // NaN marks a non-finite unit; it keeps its own colour through downsampling.
        let normalized = values.map { $0.isFinite ? Float((Double($0) - low) / span) : Float.nan }
        return PixelMap(width: input.width, height: input.height, values: normalized, kind: .continuous)
    }

    /// The output on the input's colour scale, dropped units marked so they read as dropped, not as zero activations.
    func outputMap(_ result: DropBlockResult, model: VizModel) -> PixelMap {
        let scaled = channelMap(result.output, model: model, normalizeBy: model.input.sample(model.sample))
        let keep = maskMap(result.keepMask, model: model)
        let values = zip(scaled.values, keep.values).map { $1 < 0.5 ? -1 : ($0.isNaN ? Float.nan : max(0, $0)) }
        return PixelMap(width: scaled.width, height: scaled.height, values: values, kind: .masked)
    }

    func maskMap(_ mask: Tensor, model: VizModel) -> PixelMap {
        let input = model.input
        let selection = MapSelection(shape: mask.shape, channel: model.channel, slice: model.slice)
        return PixelMap(width: input.width, height: input.height, values: Array(mask.storage[selection.plane]), kind: .keepMask)
    }

    /// Seeds of the shown slice over the allowed seed region; in 3D also the seeds of other
    /// slices whose blocks reach this one, so every block on screen has its seed shown.
    func seedMap(model: VizModel) -> PixelMap? {
        let input = model.input
        guard let result = model.view.result, let seeds = result.seedMask else { return nil }
        let count = input.height * input.width
        var values = [Float](repeating: 0, count: count)
        let selection = MapSelection(shape: seeds.shape, channel: model.channel, slice: model.slice)
        if let geometry = model.view.plan?.geometry {
            let rank = geometry.seedRegion.count
            let rows = geometry.seedRegion[rank - 2], cols = geometry.seedRegion[rank - 1]
            if rank == 2 || geometry.seedRegion[0].contains(model.slice) {
                for y in rows { for x in cols { values[y * input.width + x] = 0.5 } }
            }
            if let reach = VizView.depthReach(geometry: geometry, slice: model.slice) {
                for z in reach where z != model.slice && z >= 0 && z < input.depth {
                    let plane = selection.planeRange(slice: z)
                    for i in 0..<count where seeds.storage[plane.lowerBound + i] > 0 { values[i] = max(values[i], 0.75) }
                }
            }
        }
        let plane = selection.plane
        for i in 0..<count where seeds.storage[plane.lowerBound + i] > 0 { values[i] = 1 }
        return PixelMap(width: input.width, height: input.height, values: values, kind: .seeds)
    }

    // MARK: - Drawing

    /// Boxes round every panel; where neighbours share a line, the junctions join (`┬ ┼ ├`).
    func drawBorders(_ rects: [Rect], frame: inout Frame) {
        // Per cell: which of left, right, up, down a line leaves it by.
        let (left, right, up, down): (UInt8, UInt8, UInt8, UInt8) = (1, 2, 4, 8)
        var links: [Int: UInt8] = [:]
        func link(_ x: Int, _ y: Int, _ bits: UInt8) {
            guard x >= 0, y >= 0, x < frame.width, y < frame.height else { return }
            links[y * frame.width + x, default: 0] |= bits
        }
        for rect in rects where rect.width >= 2 && rect.height >= 2 {
            let r = rect.x + rect.width - 1, b = rect.y + rect.height - 1
            for x in rect.x...r {
                let bits = (x > rect.x ? left : 0) | (x < r ? right : 0)
                link(x, rect.y, bits)
                link(x, b, bits)
            }
            for y in rect.y...b {
                let bits = (y > rect.y ? up : 0) | (y < b ? down : 0)
                link(rect.x, y, bits)
                link(r, y, bits)
            }
        }
        let color = tier.usesColor ? palette.border : nil
        for (index, bits) in links {
            let glyph: Character
            if !tier.usesColor {
                glyph = bits & (up | down) == 0 ? "-" : bits & (left | right) == 0 ? "|" : "+"
            } else {
                switch bits {
                case left | right, left, right: glyph = "─"
                case up | down, up, down: glyph = "│"
                case right | down: glyph = "┌"
                case left | down: glyph = "┐"
                case right | up: glyph = "└"
                case left | up: glyph = "┘"
                case left | right | down: glyph = "┬"
                case left | right | up: glyph = "┴"
                case up | down | right: glyph = "├"
                case up | down | left: glyph = "┤"
                default: glyph = "┼"
                }
            }
            frame[index % frame.width, index / frame.width] = Cell(glyph, fg: color)
        }
    }

    func drawMap(_ map: PixelMap, x: Int, y: Int, scale: MapScale, frame: inout Frame) {
        for row in 0..<scale.rows {
            let top = 2 * row, bottom = 2 * row + 1
            for column in 0..<scale.columns {
                let hasLower = bottom < scale.height
                if map.kind == .keepMask {
                    frame[x + column, y + row] = maskCell(map, column: column, top: top, bottom: hasLower ? bottom : nil, scale: scale)
                    continue
                }
                let upper = map.pixel(column, top, scale: scale)
                let lower: Float? = hasLower ? map.pixel(column, bottom, scale: scale) : nil
                frame[x + column, y + row] = cell(map.kind, upper: upper, lower: lower)
            }
        }
    }

    /// A keep-mask cell shows the exact dropped share of the units under it: in ASCII `.`
    /// all kept, `#` all dropped, else the share in tenths `1`-`9` (any dropped unit gives at
    /// least 1, any kept unit at most 9); in colour a blend from kept to dropped per pixel, or
    /// with 16 and 8 colours a shade `░▒▓` when a pixel mixes both.
    func maskCell(_ map: PixelMap, column: Int, top: Int, bottom: Int?, scale: MapScale) -> Cell {
        let upper = map.keptCount(column, top, scale: scale)
        let lower = bottom.map { map.keptCount(column, $0, scale: scale) }
        if !tier.usesColor {
            let kept = upper.kept + (lower?.kept ?? 0), total = upper.total + (lower?.total ?? 0)
            return Cell(FrameRenderer.shareGlyph(dropped: total - kept, total: total))
        }
        func share(_ c: (kept: Int, total: Int)) -> Double { Double(c.kept) / Double(max(1, c.total)) }
        let pure = { (c: (kept: Int, total: Int)) in c.kept == 0 || c.kept == c.total }
        if palette.blends || (pure(upper) && lower.map(pure) ?? true) {
            let fg = RGB.mix(palette.dropped, palette.kept, share(upper))
            return Cell("▀", fg: fg, bg: lower.map { RGB.mix(palette.dropped, palette.kept, share($0)) })
        }
        let kept = upper.kept + (lower?.kept ?? 0), total = upper.total + (lower?.total ?? 0)
        let dropped = Double(total - kept) / Double(total)
        let glyph: Character = dropped < 0.375 ? "░" : dropped < 0.625 ? "▒" : "▓"
        return Cell(glyph, fg: palette.dropped, bg: palette.kept)
    }

    /// `.` none dropped, `#` all dropped, else the dropped share in tenths, kept within 1...9.
    public static func shareGlyph(dropped: Int, total: Int) -> Character {
        if dropped <= 0 { return "." }
        if dropped >= total { return "#" }
        let tenths = min(9, max(1, (20 * dropped + total) / (2 * total)))
        return Character(String(tenths))
    }

    /// Two vertically stacked pixels in one cell: `▀` with fg = upper and bg = lower,
    /// or one ASCII glyph for both.
    @inline(__always)
    func cell(_ kind: PixelMap.Kind, upper: Float, lower: Float?) -> Cell {
        if !tier.usesColor {
            switch kind {
            case .continuous, .keepMask:
                if upper.isNaN || (lower?.isNaN ?? false) { return Cell("!") }
                let v = lower.map { (max(upper, 0) + max($0, 0)) / 2 } ?? max(upper, 0)
                return Cell(FrameRenderer.asciiRamp[min(9, max(0, Int(v * 10)))])
            case .masked:
                if upper < 0 || (lower ?? 0) < 0 { return Cell("x") }
                if upper.isNaN || (lower?.isNaN ?? false) { return Cell("!") }
                let v = lower.map { (upper + $0) / 2 } ?? upper
                return Cell(FrameRenderer.asciiRamp[min(9, max(0, Int(v * 10)))])
            case .seeds:
                let v = max(upper, lower ?? 0)
                return Cell(v >= 1 ? "o" : v >= 0.75 ? "+" : v > 0 ? ":" : " ")
            }
        }
        return Cell("▀", fg: color(kind, upper), bg: lower.map { color(kind, $0) })
    }

    @inline(__always)
    func color(_ kind: PixelMap.Kind, _ value: Float) -> RGB {
        switch kind {
        case .continuous: return value.isNaN ? palette.nonFinite : palette.heat(value)
        case .masked: return value < 0 ? palette.dropped : value.isNaN ? palette.nonFinite : palette.heat(value)
        case .keepMask: return RGB.mix(palette.dropped, palette.kept, Double(min(max(value, 0), 1)))
        case .seeds: return value >= 1 ? palette.seed : value >= 0.75 ? palette.nearbySeed : value > 0 ? palette.region : palette.outside
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
        let ruleColor = tier.usesColor ? palette.dropped : nil
        for x in rect.x..<(rect.x + rect.width) { frame[x, rect.y + pRow] = Cell(ascii ? "-" : "─", fg: ruleColor) }
        for (i, point) in shown.enumerated() {
            let current = point.blockSize == model.parameters.blockSize
            let barColor = current ? palette.seed : RGB(90, 150, 200)
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
                frame.put(label, x: rect.x + i * barWidth, y: rect.y + barRows, fg: current && tier.usesColor ? palette.seed : nil,
                          attributes: current ? .bold : [], maxWidth: max(barWidth, label.count))
            }
        }
    }

}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
