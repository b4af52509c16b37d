import DropBlock
import Testing
@testable import Visualizer

/// Titles drop words, never cut a number (issue 11, item 4).
@Suite("Panel titles")
struct TitleTests {
    @Test("a narrow panel drops words: keep mask 28x28 9.6% dropped, then mask 9.6%, then 9.6%")
    func wordingsShorten() {
        let title = PanelTitle(["keep mask 28x28 9.6% dropped", "mask 9.6% dropped", "mask 9.6%", "9.6%"])
        #expect(title.fitted(to: 40) == "keep mask 28x28 9.6% dropped")
        #expect(title.fitted(to: 16) == "mask 9.6%")
        #expect(title.fitted(to: 5) == "9.6%")
        #expect(title.fitted(to: 3) == nil)
    }

    @Test("every drawn title is one whole wording (or none) at every width", arguments: [40, 52, 64, 80, 97, 100, 120, 133, 160, 200])
    func drawnTitlesAreWhole(width: Int) throws {
        var model = try Fixtures.model(preset: .timm, blockSize: 5, dropProb: 0.03306)
        model.apply(.toggleDropoutRow)
        model.apply(.toggleSweep)
        for height in [16, 24, 40] {
            let probe = PanelProbe(model, width: width, height: height)
            let panels = model.main.panels(model, layout: probe.layout)
            for kind in probe.layout.panels.keys {
                let drawn = try #require(probe.title(kind))
                let wordings = try #require(panels.first { $0.id == kind }).title.wordings
                #expect(drawn.isEmpty || wordings.contains(drawn), "\(width)x\(height) \(kind): '\(drawn)' is not a whole wording")
            }
        }
    }

    @Test("in the zoom, the mask's title says its share is the view's and the input's where the view is, at every width")
    func zoomTitlesSayView() throws {
        for width in stride(from: 40, through: 200, by: 8) {
            var model = try Fixtures.model(blockSize: 3, dropProb: 0.2, input: Fixtures.smallInput(height: 40, width: 40))
            model.apply(.toggleZoom, screen: ScreenSize(width: width, height: 16))
            let probe = PanelProbe(model, width: width, height: 16)
            let mask = try #require(probe.title(.keepMask)), input = try #require(probe.title(.input))
            // Only where the mask's title is its number alone, the input's title is the view's rows.
            #expect(mask.contains("view") || mask.contains("rows") || (!mask.contains(" ") && input.hasPrefix("y")), "\(width): '\(mask)' '\(input)'")
            #expect(input.contains("y") || input.contains("rows"), "\(width): '\(input)'")
        }
    }

    /// Round 25: at 60 columns the zoom's input title kept `rows 11-32` and dropped the columns,
    /// and in 3D no zoom title named the slice.
    @Test("a zoom title keeps both ranges over its words, and in 3D the slice, wherever a short form fits")
    func zoomTitleKeepsBothRanges() throws {
        for (input, slices) in [(try Fixtures.smallInput(height: 200, width: 300), 0),
                                (try VizInput(name: "v", tensor: try Tensor(shape: [1, 1, 6, 64, 64], repeating: 1)), 6)] {
            var model = try Fixtures.model(blockSize: 3, dropProb: 0.2, input: input)
            if slices > 0 { for _ in 0..<4 { model.apply(.nextSlice) } }
            for width in stride(from: 40, through: 200, by: 4) {
                model.apply(.toggleZoom, screen: ScreenSize(width: width, height: 20))
                let probe = PanelProbe(model, width: width, height: 20)
                let title = try #require(probe.title(.input), "\(width)")
                let room = probe.layout.panels[.input].map { probe.layout.titleWidth($0) } ?? 0
                let compact = try #require(FrameRenderer.zoomWindow(model, width: width, height: 20)).columns
                if room >= "y0-99 x\(compact.lowerBound)-\(compact.upperBound - 1)".count + 2 {
                    #expect(title.contains(" x") || title.contains("cols"), "\(width): '\(title)' in \(room)")
                }
                if slices > 0 && room >= 20 { #expect(title.contains("slice 4") || title.hasPrefix("s4 "), "\(width): '\(title)' in \(room)") }
                model.apply(.toggleZoom, screen: ScreenSize(width: width, height: 20))
            }
        }
    }

    @Test("the sweep's title gives the value its bars are drawn up to, and p")
    func sweepTitleScale() throws {
        var model = try Fixtures.model(preset: .torchvision, blockSize: 3, dropProb: 0.1)
        model.apply(.toggleSweep)
        let chart = SweepChart(points: model.view.sweep, dropProb: 0.1, blockSize: 3)
        let title = try #require(PanelProbe(model, width: 200, height: 50).title(.sweep))
        #expect(title.contains("0 to \(StatusLine.format(chart.top))") && title.contains("p=0.1"), "\(title)")
        // The top is a tenth above the highest bar (or p).
        let highest = chart.points.compactMap(\.expected).max() ?? 0
        #expect(abs(chart.top - max(highest, 0.1) * 1.1) < 1e-12)
    }

    /// At 120x40 the title fell to its scale alone, and nothing on screen named the red rule (round 17).
    @Test("a sweep title that gives the scale names the p rule too, at every width", arguments: Array(stride(from: 80, through: 200, by: 4)))
    func sweepTitleKeepsTheRule(width: Int) throws {
        var model = try Fixtures.model(preset: .torchvision, blockSize: 3, dropProb: 0.1)
        model.apply(.toggleSweep)
        model.apply(.toggleChanceMap)
        model.apply(.toggleDropoutRow)
        guard let title = PanelProbe(model, width: width, height: 40).title(.sweep) else { return }
        if title.contains("0 to") { #expect(title.contains("(- p"), "\(width): '\(title)'") }
    }

    @Test("the sweep's p rule stays whole where the bars pass p (timm), with the calibrated marks on it", arguments: [ColorTier.ascii, .truecolor])
    func sweepRuleOnTop(tier: ColorTier) throws {
        var model = try Fixtures.model(preset: .timm, blockSize: 3, dropProb: 0.1)
        model.apply(.toggleSweep)
        let probe = PanelProbe(model, width: 200, height: 50, tier: tier)
        let chart = SweepChart(points: model.view.sweep, dropProb: 0.1, blockSize: 3)
        // timm drops more than p at most block sizes: most bars pass the rule.
        #expect(chart.points.filter { ($0.expected ?? 0) > 0.1 }.count > chart.points.count / 2)
        let rect = try #require(probe.layout.panels[.sweep])
        let inner = probe.layout.inner(rect)
        let palette = Palette(tier: tier)
        // The rule's row: every cell a rule glyph or a calibrated tick on it, in the rule's colour.
        let rows = (inner.y..<(inner.y + inner.height)).filter { y in
            (inner.x..<(inner.x + inner.width)).allSatisfy { x in
                let cell = probe.frame[x, y]
                return (tier == .ascii ? "-+=" : "─┼").contains(cell.glyph) && (tier == .ascii || cell.fg == palette.dropped)
            }
        }
        #expect(rows.count == 1, "\(tier): the p rule is not one whole row")
        // Calibration reaches p exactly, so every bar's calibrated mark is a tick on the rule.
        if let y = rows.first {
            let ticks = (inner.x..<(inner.x + inner.width)).filter { probe.frame[$0, y].glyph == (tier == .ascii ? "+" : "┼") }.count
            #expect(ticks >= chart.points.filter { $0.calibrated != nil }.count, "\(tier): \(ticks) ticks")
        }
    }

    /// The rule was drawn over a row of the bars, which hid every bar top in that row: timm's
    /// bars from 0.105 to 0.153 looked lower than p = 0.1 (new-user round 18).
    @Test("a sweep bar reaches past the p rule exactly when its expected drop passes p",
          arguments: [(Preset.timm, ColorTier.truecolor), (.timm, .ascii), (.dropblock, .truecolor), (.dropblock, .ascii), (.torchvision, .ansi16)])
    func sweepBarsAgainstTheRule(preset: Preset, tier: ColorTier) throws {
        for (width, height) in [(200, 50), (140, 45), (120, 40), (100, 30)] {
            var model = try Fixtures.model(preset: preset, blockSize: preset == .torchvision ? 3 : 7, dropProb: 0.1,
                                           input: try Fixtures.smallInput(height: 28, width: 28))
            model.apply(.toggleSweep)
            let probe = PanelProbe(model, width: width, height: height, tier: tier)
            guard let rect = probe.layout.panels[.sweep] else { continue }
            let inner = probe.layout.inner(rect)
            let chart = SweepChart(points: model.view.sweep, dropProb: 0.1, blockSize: model.parameters.blockSize)
            let palette = Palette(tier: tier)
            // The rule's row: every cell a rule glyph (or a bar crossing it, or a tick on it).
            let ruleY = try #require((inner.y..<(inner.y + inner.height)).first { y in
                (inner.x..<(inner.x + inner.width)).allSatisfy { (tier == .ascii ? "-+=" : "─┼").contains(probe.frame[$0, y].glyph) }
            }, "\(preset) \(tier) \(width)x\(height): no rule row")
            let barWidth = max(1, inner.width / chart.points.count), above = Double(ruleY - inner.y)
            var checked = 0
            for (i, point) in chart.points.prefix(inner.width / barWidth).enumerated() {
                let x = inner.x + i * barWidth, cell = probe.frame[x, ruleY], value = point.expected ?? 0
                let passes = value > 0.1
                let what = "\(preset) \(tier) \(width)x\(height): block \(point.blockSize) expected \(value)"
                if tier.usesColor {
                    // A bar that passes p crosses the rule in its own colour, ticks included.
                    #expect((cell.bg != nil && cell.bg != palette.dropped) == passes, "\(what)")
                } else if cell.glyph != "+" {
                    #expect((cell.glyph == "=") == passes, "\(what)")
                }
                // A bar half a row or more past p shows above the rule; one at or under p never does.
                let excess = (min(value, chart.top) - 0.1) / (chart.top - 0.1) * above
                if excess >= 0.5 { #expect(probe.frame[x, ruleY - 1].glyph != " ", "\(what): not above the rule") }
                if !passes {
                    for y in inner.y..<ruleY { #expect(probe.frame[x, y].glyph == " ", "\(what): above the rule") }
                }
                checked += 1
            }
            #expect(checked >= 5, "\(preset) \(tier) \(width)x\(height)")
        }
    }

    @Test("the header drops words, never a dimension of the shape", arguments: [40, 45, 50, 60, 80])
    func headerWhole(width: Int) throws {
        let input = try VizInput(name: "a-rather-long-activation-file-name.npy", tensor: Tensor(shape: [1, 3, 12, 12], repeating: 1))
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.1, blockSize: 3))
        let header = FrameRenderer(tier: .ascii).render(model, width: width, height: 24).row(0)
        #expect(header.contains("(1, 3, 12, 12)"), "\(width): \(header)")
    }

    @Test("gamma, scale and percentages are shown whole")
    func numbersWhole() throws {
        let model = try Fixtures.model(dropProb: 0.1, input: try Fixtures.smallInput(height: 28, width: 28))
        let gamma = StatusLine.format(try #require(model.view.result?.gamma))
        let scale = StatusLine.format(Double(try #require(model.view.result?.scale)))
        for width in 40...130 {
            let probe = PanelProbe(model, width: width, height: 30)
            if let seeds = probe.title(.seeds), seeds.contains("gamma=") { #expect(seeds.hasSuffix("gamma=\(gamma)"), "\(seeds)") }
            if let output = probe.title(.output), output.contains("x") { #expect(output.hasSuffix("x\(scale)"), "\(output)") }
            if let mask = probe.title(.keepMask), !mask.isEmpty { #expect(mask.contains("%"), "\(mask)") }
        }
    }
}
