import DropBlock
import Testing
@testable import Visualizer

/// Screens as values: panels drawn by one routine, a legend built from the panels on show.
@Suite("Screens and panels")
struct ScreenTests {
    @Test("the legend names only the roles of the panels on show")
    func legendRoles() {
        let palette = Palette(tier: .ascii)
        #expect(Legend(tier: .ascii, palette: palette, is3D: false, roles: [.seed, .region]).text(width: 200) == "o seed  : seed region")
        let colour = Legend(tier: .truecolor, palette: Palette(tier: .truecolor), is3D: false, roles: [.zero, .high]).text(width: 200)
        #expect(colour == "█ zero  █ high", "no mask note without a mask")
    }

    /// Round 22: the sweep's bars were the mask's `#`, the ramp's `@` and the region's `:`,
    /// and the legend named only the main panels' meanings of them.
    @Test("the sweep's bars use glyphs of their own, and the legend names them", arguments: [ColorTier.ascii, .ansi256])
    func sweepLegend(tier: ColorTier) throws {
        var model = try Fixtures.model(preset: .timm, blockSize: 5)
        model.apply(.toggleSweep)
        let frame = FrameRenderer(tier: tier).render(model, width: 120, height: 40)
        let text = frame.plainText
        #expect(text.contains("drop per block") && text.contains("this block"), "\(text)")
        guard tier == .ascii else { return }
        #expect(text.contains("I drop per block  H this block"), "\(text)")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let top = lines.firstIndex(where: { $0.hasPrefix("+ expected drop") || $0.hasPrefix("+ drop") }) else {
            Issue.record("no sweep panel: \(text)")
            return
        }
        let chart = lines[(top + 1)...].prefix { !$0.hasPrefix("+") }
        let glyphs = Set(chart.joined().filter { !" |".contains($0) && !$0.isNumber })
        #expect(glyphs.isSubset(of: ["I", "H", "_", "-", "=", "+"]) && glyphs.contains("I") && glyphs.contains("H"), "\(glyphs)")
        // The legend gives `I` and `H` no other meaning.
        let legend = Legend(tier: .ascii, palette: Palette(tier: .ascii), is3D: false, roles: Set(LegendRole.allCases).subtracting([.sweepBar, .sweepCurrent]))
        #expect(!legend.text(width: 300).contains("I ") && !legend.text(width: 300).contains("H "))
    }

    @Test("a text panel is drawn inside its box, clipped to it")
    func textPanel() {
        let layout = VizLayout.compute(LayoutRequest(mapWidth: 4, mapHeight: 4, arrangement: .flow([PanelID("a")], columns: [1])),
                                       width: 40, height: 16, statusLineCount: 1)
        guard let rect = layout.panels[PanelID("a")], let scale = layout.scale else {
            Issue.record("no panel or no scale")
            return
        }
        var frame = Frame(width: 40, height: 16)
        let painter = PanelPainter(renderer: FrameRenderer(tier: .ascii), layout: layout, scale: scale, mapWidth: 4, mapHeight: 4)
        painter.draw(Panel(id: PanelID("a"), title: PanelTitle(["hello"]), content: .text(["line one", String(repeating: "x", count: 80)])),
                     in: rect, frame: &frame)
        let inner = layout.inner(rect)
        #expect(frame.row(inner.y).dropFirst(inner.x).hasPrefix("line one"))
        #expect(frame.row(inner.y + 1).filter { $0 == "x" }.count == inner.width)
        #expect(frame.row(rect.y).contains("hello"))
    }

    @Test("the model holds one active screen and one modal state")
    func oneScreen() throws {
        var model = try Fixtures.model()
        #expect(model.activeScreen.kind == .main && model.modal == .none)
        model.apply(.toggleHelp)
        #expect(model.modal == .help(page: 0))
        model.apply(.toggleDropoutRow)
        #expect(model.main.extras == [.dropoutRow] && model.activeScreen.kind == .main)
    }

    @Test("x, v, z, d and i from another view open the main screen with their panel or seed mode (the walk-through keeps d and i, the stages view v), as g, p, b and t open their views; arrows say what they need")
    func mainKeysFromViews() throws {
        let opens: [(VizAction, ScreenKind)] = [(.toggleGrid, .grid), (.togglePresets, .presets), (.toggleStages, .stages), (.walkNext, .walk)]
        for (open, kind) in opens {
            var model = try Fixtures.model()
            model.apply(open)
            #expect(model.activeScreen.kind == kind)
            if kind == .stages {
                // The stages view has its own sweep: the table of expected drop by block and stage.
                model.apply(.toggleSweep)
                guard case .stages(let stages) = model.activeScreen else { Issue.record("v left the stages view"); continue }
                #expect(stages.showsTable && model.main.extras.isEmpty)
                model.apply(.back)
            }
            model.apply(.toggleSweep)
            #expect(model.activeScreen.kind == .main && model.main.extras == [.sweep] && model.message == nil, "\(kind)")
            model.apply(open)
            model.apply(.toggleDropoutRow)
            #expect(model.activeScreen.kind == .main && model.main.extras == [.sweep, .dropoutRow], "\(kind)")
            model.apply(open)
            model.apply(.toggleZoom)
            #expect(model.activeScreen.kind == .main && model.main.zoom != nil, "\(kind)")
            model.apply(open)
            // Down, as left and right select a stage in the stages view.
            model.apply(.pan(dx: 0, dy: 1))
            #expect(model.activeScreen.kind == kind && model.message?.contains("Esc, then z") == true, "\(kind)")
            model.apply(.toggleChanceMap)
            model.apply(.toggleSeedMode)
            if kind == .walk {
                // The walk-through keeps d and i: its panels are the main screen's, under its caption.
                guard case .walk(let walk) = model.activeScreen else { Issue.record("left the walk-through"); continue }
                #expect(walk.showsChances && !model.main.extras.contains(.chance))
                #expect(WalkScreen.highlighted(step: 2).contains(.chance))
            } else {
                #expect(model.activeScreen.kind == .main && model.main.extras.contains(.chance), "\(kind)")
            }
            guard case .seeds = model.modal else {
                Issue.record("\(kind): i did not start seed mode")
                continue
            }
        }
    }
}
