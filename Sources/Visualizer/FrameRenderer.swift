import DropBlock
import ShapeFormat

/// Renders the model into a frame for a terminal of `width x height` in a colour tier.
/// Pure and deterministic: the same model and size give the same frame.
public struct FrameRenderer: Sendable {
    /// How many colours the terminal shows (or ASCII).
    public let tier: ColorTier
    /// The colours of this tier, per role.
    public let palette: Palette
    /// Values from zero to high; no `#`, which masks use for dropped (an output panel beside a
    /// mask drew `#` for bright kept units).
    static let asciiRamp: [Character] = Array(" .:-=+*&%@")

    /// A renderer for `tier`, with its palette.
    public init(tier: ColorTier) {
        self.tier = tier
        palette = Palette(tier: tier)
    }

    /// The layout of the whole screen for `model` at `width x height`.
    public func layout(_ model: VizModel, width: Int, height: Int) -> VizLayout {
        let statusLines = StatusLine.wrap(StatusLine.fields(model: model), width: width)
        let request = model.currentScreen.request(model, size: ScreenSize(width: width, height: height))
        return VizLayout.compute(request, width: width, height: height, statusLineCount: statusLines.count)
    }

    /// The part of the map the 1:1 zoom shows at `width x height` (nil when not zoomed or too small).
    public static func zoomWindow(_ model: VizModel, width: Int, height: Int) -> MapWindow? {
        guard model.main.zoom != nil, model.activeScreen.kind == .main else { return nil }
        return zoomWindow(model, layout: FrameRenderer(tier: .ascii).layout(model, width: width, height: height))
    }

    /// The part of the map the 1:1 zoom shows in `layout` (nil when not zoomed).
    static func zoomWindow(_ model: VizModel, layout: VizLayout) -> MapWindow? {
        guard let zoom = model.main.zoom, let scale = layout.scale else { return nil }
        let x0 = min(max(0, zoom.x), model.input.width - scale.width)
        let y0 = min(max(0, zoom.y), model.input.height - scale.height)
        return MapWindow(rows: y0..<(y0 + scale.height), columns: x0..<(x0 + scale.width))
    }

    /// Whether the current screen of `model` can be laid out at `width x height`.
    static func fits(_ model: VizModel, width: Int, height: Int) -> Bool {
        let statusLines = StatusLine.wrap(StatusLine.fields(model: model), width: width)
        let request = model.currentScreen.request(model, size: ScreenSize(width: width, height: height))
        return VizLayout.compute(request, width: width, height: height, statusLineCount: statusLines.count).scale != nil
    }

    /// The size the "too small" message asks for: at the terminal's width (or the minimum),
    /// the fewest rows that show the current screen, else at its height the fewest columns.
    /// (The global minimum was named even where a view needs more: `p` at 98x16 asked for
    /// 40x16.)
    static func neededSize(_ model: VizModel, width: Int, height: Int) -> (width: Int, height: Int) {
        let (minimumWidth, minimumHeight) = (VizLayout.minimumWidth, VizLayout.minimumHeight)
        let w = max(width, minimumWidth), h = max(height, minimumHeight)
        if let rows = fewest(from: minimumHeight, to: max(h, 400), where: { fits(model, width: w, height: $0) }) { return (w, rows) }
        if let columns = fewest(from: w, to: max(w, 1000), where: { fits(model, width: $0, height: h) }) { return (columns, h) }
        return (minimumWidth, minimumHeight)
    }

    /// The smallest `n` in `low...high` where `holds(n)`, by bisection (a layout that fits
    /// keeps fitting with more room), or nil when even `high` does not. Should `holds` not be
    /// monotone somewhere, the answer still holds: a size that does not fit is never named.
    static func fewest(from low: Int, to high: Int, where holds: (Int) -> Bool) -> Int? {
        guard holds(high) else { return nil }
        var (low, high) = (low, high)
        while low < high {
            let middle = (low + high) / 2
            if holds(middle) { high = middle } else { low = middle + 1 }
        }
        while !holds(low) { low += 1 }
        return low
    }

    /// The whole screen: header, the active screen's panels, legend or message, status, hints,
    /// and the modal overlay on top.
    public func render(_ model: VizModel, width: Int, height: Int) -> Frame {
        var frame = Frame(width: width, height: height)
        guard width > 0, height > 0 else { return frame }
        let input = model.input
        let statusLines = StatusLine.wrap(StatusLine.fields(model: model), width: width)
        let screen = model.currentScreen
        let request = screen.request(model, size: ScreenSize(width: width, height: height))
        let layout = VizLayout.compute(request, width: width, height: height, statusLineCount: statusLines.count)
        guard let scale = layout.scale else {
            // The longest wording that fits on one line, with a size that shows this screen.
            let needed = FrameRenderer.neededSize(model, width: width, height: height)
            let size = "\(needed.width)x\(needed.height)"
            let wordings = ["terminal too small: enlarge to at least \(size)", "enlarge to at least \(size)", "enlarge to \(size)", size]
            // Narrower than the size itself: nothing, rather than a cut number (`4` for 40x16).
            frame.put(wordings.first { $0.count <= width } ?? "", x: 0, y: 0, attributes: .bold)
            return frame
        }
        let shape = ShapeText.tuple(input.shape)
        let dimension = input.is3D ? "3D" : "2D"
        // A channels-last or lower-rank array: its own shape first, then the one the panels use.
        let read = input.origin.map { "\($0) as \(shape)" }
        let header = PanelTitle((read.map { ["dropblock  \(input.name)  \($0)  \(dimension)", "\(input.name)  \($0)  \(dimension)"] } ?? [])
                                + ["dropblock  \(input.name)  \(shape)  \(dimension)", "\(input.name)  \(shape)  \(dimension)", "\(shape)  \(dimension)", shape])
        frame.put(header.fitted(to: width) ?? "", x: 0, y: 0, attributes: .bold)
        for (i, line) in screen.headerLines(model, layout: layout).enumerated() { frame.put(line, x: 0, y: 1 + i, attributes: .bold) }

        let panels = screen.panels(model, layout: layout)
        let painter = PanelPainter(renderer: self, layout: layout, scale: scale, mapWidth: request.mapWidth, mapHeight: request.mapHeight)
        if layout.style == .boxed { drawBorders(panels.compactMap { layout.panels[$0.id] }, frame: &frame) }
        for panel in panels {
            guard let rect = layout.panels[panel.id] else { continue }
            painter.draw(panel, in: rect, frame: &frame)
        }
        if case .seeds = model.modal, model.view.error == nil, model.message == nil {
            let hint = PanelTitle(["seed mode: arrows move the cursor X, space toggles a seed there, 0 clears, i or Esc leaves",
                                   "seeds: arrows move X, space toggles, 0 clears, i leaves", "arrows, space, 0, i"])
            frame.put(hint.fitted(to: width) ?? "", x: 0, y: layout.messageRow, attributes: .bold)
        } else if let wordings = model.view.error.map({ ["error: " + $0] }) ?? (model.messageWordings.isEmpty ? nil : model.messageWordings),
                  let last = wordings.last {
            frame.put(PanelTitle(wordings).fitted(to: width) ?? FrameRenderer.cut(last, width: width), x: 0, y: layout.messageRow, fg: tier.usesColor ? palette.dropped : nil,
                      attributes: .bold)
        } else {
            drawLegend(roles: panels.reduce(into: Set<LegendRole>()) { $0.formUnion($1.legend) }, is3D: input.is3D,
                       hasNonFinite: input.nonFiniteCount > 0 || model.view.overflowed > 0, hasNegative: input.hasNegative, row: layout.messageRow, frame: &frame)
        }
        for (i, line) in statusLines.enumerated() { frame.put(line, x: 0, y: layout.statusRows.lowerBound + i) }
        frame.put(KeyBindings.hint(width: width), x: 0, y: layout.hintRow, attributes: .dim)
        if case .help(let page) = model.modal { HelpOverlay(width: width, height: height).draw(page: page, on: &frame, outlined: !tier.usesColor) }
        return frame
    }

    func drawLegend(roles: Set<LegendRole>, is3D: Bool, hasNonFinite: Bool, hasNegative: Bool, row: Int, frame: inout Frame) {
        var x = 0
        let legend = Legend(tier: tier, palette: palette, is3D: is3D, roles: roles, hasNonFinite: hasNonFinite, hasNegative: hasNegative)
        for segment in legend.segments(width: frame.width) {
            frame.put(segment.text, x: x, y: row, fg: segment.fg, bg: segment.bg)
            x += segment.text.count
        }
    }

    /// A percentage with one decimal, as the titles show it.
    public static func percent(_ fraction: Double) -> String {
        StatusLine.format((fraction * 1000).rounded() / 10) + "%"
    }

    /// `fraction` as a whole percentage, for a title too narrow for `percent`'s tenth (round 24:
    /// at 40 columns `11.6%` was dropped from the presets view's titles, `12%` fits). Never
    /// `0%` or `100%` for a share that is not: `<1%` and `>99%`.
    public static func roughPercent(_ fraction: Double) -> String {
        let value = fraction * 100
        if value > 0 && value < 0.5 { return "<1%" }
        if value < 100 && value >= 99.5 { return ">99%" }
        return "\(Int(value.rounded()))%"
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
        let axes = map.axes(scale)
        for row in 0..<scale.rows {
            let top = 2 * row, bottom = 2 * row + 1
            for column in 0..<scale.columns {
                let hasLower = bottom < scale.height
                if map.kind == .keepMask {
                    frame[x + column, y + row] = maskCell(map, column: column, top: top, bottom: hasLower ? bottom : nil, axes: axes)
                    continue
                }
                if map.kind == .masked {
                    frame[x + column, y + row] = outputCell(map, column: column, top: top, bottom: hasLower ? bottom : nil, axes: axes)
                    continue
                }
                let upper = map.pixel(column, top, axes: axes)
                let lower: Float? = hasLower ? map.pixel(column, bottom, axes: axes) : nil
                frame[x + column, y + row] = cell(map.kind, upper: upper, lower: lower)
            }
        }
    }

    /// A keep-mask cell shows the exact dropped share of the units under it: in ASCII `.`
    /// all kept, `#` all dropped, else the share in tenths `1`-`9` (any dropped unit gives at
    /// least 1, any kept unit at most 9); in colour a blend from kept to dropped per pixel, or
    /// with 256, 16 and 8 colours a shade `░▒▓` when a pixel mixes both.
    func maskCell(_ map: PixelMap, column: Int, top: Int, bottom: Int?, scale: MapScale) -> Cell {
        maskCell(map, column: column, top: top, bottom: bottom, axes: map.axes(scale))
    }

    /// `maskCell(_:column:top:bottom:scale:)` with the map's axes already made.
    func maskCell(_ map: PixelMap, column: Int, top: Int, bottom: Int?, axes: PixelMap.Axes) -> Cell {
        let upper = map.keptCount(column, top, axes: axes)
        let lower = bottom.map { map.keptCount(column, $0, axes: axes) }
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

    /// An output cell (a `masked` map) shows the exact dropped share of the units under it too,
    /// so that its picture holds as much dropped area as its title's number says: in ASCII the
    /// kept values' glyph when nothing is dropped, `x` when all is, else the share in tenths
    /// `1`-`9`; in colour each pixel blends from its kept units' heat to the dropped colour by
    /// its share, or with 256, 16 and 8 colours a shade `░▒▓` over the kept heat when a pixel mixes
    /// both. (Drawing a pooled pixel dropped when half its units were showed a 7x7 block at
    /// half size as 8x8.)
    func outputCell(_ map: PixelMap, column: Int, top: Int, bottom: Int?, scale: MapScale) -> Cell {
        outputCell(map, column: column, top: top, bottom: bottom, axes: map.axes(scale))
    }

    /// `outputCell(_:column:top:bottom:scale:)` with the map's axes already made.
    func outputCell(_ map: PixelMap, column: Int, top: Int, bottom: Int?, axes: PixelMap.Axes) -> Cell {
        let upper = map.maskedShare(column, top, axes: axes)
        let lower = bottom.map { map.maskedShare(column, $0, axes: axes) }
        let dropped = upper.dropped + (lower?.dropped ?? 0), total = upper.total + (lower?.total ?? 0)
        let kept = total - dropped
        // The kept units' mean over both pixels, weighted by their kept units.
        let keptA = Float(upper.total - upper.dropped), keptB = Float(lower.map { $0.total - $0.dropped } ?? 0)
        let keptMean = kept == 0 ? 0 : (upper.keptMean * keptA + (lower?.keptMean ?? 0) * keptB) / (keptA + keptB)
        // A kept NaN or Inf under a cell marks it as such, whatever else is dropped there.
        let nonFinite = upper.keptMean.isNaN || (lower?.keptMean.isNaN ?? false)
        if !tier.usesColor {
            if nonFinite { return Cell("!") }
            if dropped == 0 { return cell(.continuous, upper: upper.keptMean, lower: lower?.keptMean) }
            return Cell(dropped == total ? "x" : FrameRenderer.shareGlyph(dropped: dropped, total: total))
        }
        func heat(_ value: Float) -> RGB { value.isNaN ? palette.nonFinite : palette.heat(value) }
        func colour(_ p: (keptMean: Float, dropped: Int, total: Int)) -> RGB {
            if p.dropped == 0 || p.keptMean.isNaN { return heat(p.keptMean) }
            if p.dropped == p.total { return palette.dropped }
            return RGB.mix(palette.dropped, heat(p.keptMean), Double(p.total - p.dropped) / Double(p.total))
        }
        let pure = { (p: (keptMean: Float, dropped: Int, total: Int)) in p.dropped == 0 || p.dropped == p.total || p.keptMean.isNaN }
        if palette.blends || (pure(upper) && lower.map(pure) ?? true) {
            return Cell("▀", fg: colour(upper), bg: lower.map(colour))
        }
        let share = Double(dropped) / Double(total)
        let glyph: Character = share < 0.375 ? "░" : share < 0.625 ? "▒" : "▓"
        return Cell(glyph, fg: palette.dropped, bg: heat(keptMean))
    }

    /// `text` whole when it fits `width` columns, else cut at a space and ended with ` ...`, so
    /// that a one-line message never ends in half a word.
    static func cut(_ text: String, width: Int) -> String {
        guard text.count > width else { return text }
        let head = text.prefix(max(0, width - 4))
        return String(head.lastIndex(of: " ").map { head[..<$0] } ?? head) + " ..."
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
            // (`masked` maps are drawn by `outputCell`, from their exact shares.)
            case .continuous, .keepMask, .masked:
                if upper.isNaN || (lower?.isNaN ?? false) { return Cell("!") }
                let v = lower.map { (max(upper, 0) + max($0, 0)) / 2 } ?? max(upper, 0)
                // Blank is zero alone; the nine other glyphs take equal ninths of (0, 1] (as `Palette.heat`).
                return Cell(FrameRenderer.asciiRamp[v > 0 ? 1 + min(8, Int(v * 9)) : 0])
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
        case .continuous, .masked: return value.isNaN ? palette.nonFinite : palette.heat(value)
        case .keepMask: return RGB.mix(palette.dropped, palette.kept, Double(min(max(value, 0), 1)))
        case .seeds: return value >= 1 ? palette.seed : value >= 0.75 ? palette.nearbySeed : value > 0 ? palette.region : palette.outside
        }
    }

    /// A bar per block size: expected drop with the preset's gamma; `·` the calibrated
    /// expectation; a rule at p; the current block size highlighted.
    ///
    /// The rule has a row of its own, between the rows for [0, p] below it and (p, top] above
    /// it, so that a bar reaches past the rule exactly when its value passes p: drawn over a
    /// row of the bars, it hid every bar top in that row (timm's bars from 0.105 to 0.153 looked
    /// lower than p = 0.1). A bar that passes p crosses the rule in its own colour (`=` in ASCII).
    func drawSweep(_ chart: SweepChart, in rect: Rect, frame: inout Frame) {
        let points = chart.points
        guard !points.isEmpty, rect.width >= 4, rect.height >= 3 else { return }
        let p = chart.dropProb
        let limit = chart.top
        let barWidth = max(1, rect.width / points.count)
        let shown = points.prefix(rect.width / barWidth)
        // Rows, top down: `above` rows for (p, top], the rule, `below` rows for [0, p], the labels.
        let valueRows = rect.height - 2
        let below = p <= 0 ? 0 : p >= limit ? valueRows : min(valueRows - 1, max(1, Int((p / limit * Double(valueRows)).rounded())))
        let above = valueRows - below
        let ruleY = rect.y + above, labelY = rect.y + valueRows + 1
        let ascii = !tier.usesColor
        let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let ruleColor = tier.usesColor ? palette.dropped : nil
        // The current block size's bar highlighted, the others in their blue (the legend names both).
        func barColor(current: Bool) -> RGB { current ? palette.sweepCurrent : palette.sweepBar }
        /// Fills `rows` rows upwards from row `bottom` to a height of `height` rows.
        func column(x: Int, bottom: Int, rows: Int, height: Double, current: Bool) {
            for k in 0..<rows {
                let fill = min(1, max(0, height - Double(k)))
                guard fill > 0.06 else { continue }
                // ASCII: whole cells `I`, the current bar's `H`, a part-filled top `_` (at the
                // cell's bottom, as the fill is): glyphs no other panel uses (they were the
                // mask's `#`, the ramp's `@` and the seed region's `:`).
                let glyph: Character = ascii ? (fill >= 0.5 ? (current ? "H" : "I") : "_") : eighths[max(1, Int((fill * 8).rounded()))]
                frame[x, bottom - k] = Cell(glyph, fg: tier.usesColor ? barColor(current: current) : nil)
            }
        }
        for x in rect.x..<(rect.x + rect.width) { frame[x, ruleY] = Cell(ascii ? "-" : "─", fg: ruleColor) }
        for (i, point) in shown.enumerated() {
            let current = point.blockSize == chart.blockSize
            let value = max(0, point.expected ?? 0)
            let belowHeight = p > 0 ? min(value, p) / p * Double(below) : 0
            let aboveHeight = value > p && limit > p ? (min(value, limit) - p) / (limit - p) * Double(above) : 0
            for offset in 0..<barWidth {
                let x = rect.x + i * barWidth + offset
                column(x: x, bottom: ruleY + below, rows: below, height: belowHeight, current: current)
                column(x: x, bottom: ruleY - 1, rows: above, height: aboveHeight, current: current)
                if value > p {
                    frame[x, ruleY] = ascii ? Cell("=") : Cell("─", fg: palette.dropped, bg: barColor(current: current))
                }
            }
            let label = String(point.blockSize)
            if current || label.count < barWidth || (point.blockSize % 5 == 0 && label.count <= barWidth) || point.blockSize == 1 {
                frame.put(label, x: rect.x + i * barWidth, y: labelY, fg: current && tier.usesColor ? palette.sweepCurrent : nil,
                          attributes: current ? .bold : [], maxWidth: max(barWidth, label.count))
            }
        }
        // The calibrated marks go over the bars: on the rule (calibrated exactly to p) a tick in
        // the rule's colour, so that the rule stays whole.
        for (i, point) in shown.enumerated() {
            guard let calibrated = point.calibrated else { continue }
            let current = point.blockSize == chart.blockSize
            let onRule = abs(calibrated - p) <= 1e-9 * max(p, 1e-12)
            let y: Int
            if !onRule && calibrated < p && below > 0 {
                y = ruleY + below - min(below - 1, Int(calibrated / p * Double(below)))
            } else if !onRule && calibrated > p && above > 0 {
                y = ruleY - 1 - min(above - 1, Int((min(calibrated, limit) - p) / (limit - p) * Double(above)))
            } else {
                y = ruleY
            }
            // A tick on the rule keeps the colour of a bar crossing it there.
            let crossing = (point.expected ?? 0) > p && !ascii
            let mark = y == ruleY ? Cell(ascii ? "+" : "┼", fg: ruleColor, bg: crossing ? barColor(current: current) : nil)
                : Cell(ascii ? "+" : "·", fg: tier.usesColor ? barColor(current: current) : nil)
            for offset in 0..<barWidth { frame[rect.x + i * barWidth + offset, y] = mark }
        }
    }

}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
