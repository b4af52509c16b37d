import DropBlock
import Testing
@testable import Visualizer

/// The frame uses the space it has, and the 1:1 zoom (issue 11, "use the space").
@Suite("Use the space")
struct SpaceTests {
    static func photo(mapSize: Int = 28) throws -> VizInput {
        // The layout depends only on the shape: a (2, 16, S, S) stand-in for the embedded sample.
        try VizInput(name: "photo-shaped", tensor: Tensor(shape: [2, 16, mapSize, mapSize], repeating: 0.5))
    }

    @Test("240x70 shows the default 28x28 sample at 2x or more")
    func maximisedTerminal() throws {
        let model = try VizModel(input: try Self.photo(), parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7))
        let layout = FrameRenderer(tier: .ascii).layout(model, width: 240, height: 70)
        #expect((layout.scale?.upscale ?? 0) >= 2, "\(String(describing: layout.scale))")
    }

    @Test("the 3D demo at 120x40 shows its 32x32 slices at 1x or more")
    func volumeAt120x40() throws {
        let model = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7))
        let layout = FrameRenderer(tier: .ascii).layout(model, width: 120, height: 40)
        let scale = try #require(layout.scale)
        #expect(scale.downscale == 1 && scale.upscale >= 1, "\(scale)")
    }

    @Test("the arrangement chosen gives the largest scale of 1x4, 2x2 and 4x1", arguments: [(120, 40), (80, 60), (60, 100), (200, 50), (240, 70), (100, 30)])
    func largestScale(size: (Int, Int)) throws {
        let layout = VizLayout.compute(width: size.0, height: size.1, mapWidth: 28, mapHeight: 28, statusLineCount: 2, showDropout: false, showSweep: false)
        let chosen = try #require(layout.scale)
        // Every arrangement and style, recomputed by brute force: none beats the chosen scale.
        let available = size.1 - 1 - 2 - 1 - 1
        for columns in [4, 2, 1] {
            let rows = (4 + columns - 1) / columns
            for compact in [false, true] {
                let innerColumns = compact ? (size.0 + 1) / columns - 1 : (size.0 - 1) / columns - 1
                let innerRows = compact ? available / rows - 1 : (available - 1) / rows - 1
                guard let scale = MapScale.fit(mapWidth: 28, mapHeight: 28, columns: innerColumns, rows: innerRows) else { continue }
                #expect(scale.magnification <= chosen.magnification, "\(size): \(columns) columns compact=\(compact) gives \(scale)")
            }
        }
    }

    static func bigModel() throws -> VizModel {
        let side = 1000
        var storage = [Float](repeating: 0, count: side * side)
        for y in 0..<side { for x in 0..<side { storage[y * side + x] = Float((x / 50 + y / 50) % 2) } }
        let input = try VizInput(name: "big", tensor: Tensor(shape: [1, 1, side, side], storage: storage))
        return try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7), seed: 1)
    }

    @Test("z shows the map 1:1 in a view the arrow keys move; the title says where the view is")
    func zoomAndPan() throws {
        var model = try Self.bigModel()
        let screen = ScreenSize(width: 200, height: 60)
        let before = FrameRenderer(tier: .ascii).layout(model, width: 200, height: 60)
        #expect((before.scale?.downscale ?? 0) > 1)
        model.apply(.toggleZoom, screen: screen)
        var probe = PanelProbe(model, width: 200, height: 60)
        let scale = try #require(probe.layout.scale)
        #expect(scale.upscale == 1 && scale.downscale == 1)
        let rows = scale.height
        #expect(probe.title(.input)?.contains("rows 0-\(rows - 1) of 1000") == true, "\(probe.title(.input) ?? "")")
        model.apply(.pan(dx: 0, dy: 1), screen: screen)
        model.apply(.pan(dx: 0, dy: 1), screen: screen)
        model.apply(.pan(dx: 1, dy: 0), screen: screen)
        probe = PanelProbe(model, width: 200, height: 60)
        let top = 2 * (rows / 2)
        #expect(probe.title(.input)?.contains("rows \(top)-\(top + rows - 1) of 1000") == true, "\(probe.title(.input) ?? "")")
        // The map shown is the map's units at that place: the checkerboard of 50-unit squares.
        let cells = probe.mapCells(.input)
        let window = try #require(FrameRenderer.zoomWindow(model, width: 200, height: 60))
        let x0 = window.columns.lowerBound, y0 = window.rows.lowerBound
        for (r, row) in cells.enumerated() {
            for (c, cell) in row.enumerated() {
                let upper = ((x0 + c) / 50 + (y0 + 2 * r) / 50) % 2, lower = ((x0 + c) / 50 + (y0 + 2 * r + 1) / 50) % 2
                if upper == lower { #expect(cell.glyph == (upper == 1 ? "@" : " "), "(\(c), \(r))") }
            }
        }
        // The view never leaves the map.
        for _ in 0..<100 { model.apply(.pan(dx: 1, dy: 1), screen: screen) }
        let end = try #require(FrameRenderer.zoomWindow(model, width: 200, height: 60))
        #expect(end.rows.upperBound == 1000 && end.columns.upperBound == 1000)
        model.apply(.pan(dx: -1, dy: 0), screen: screen)
        #expect(try #require(FrameRenderer.zoomWindow(model, width: 200, height: 60)).columns.upperBound < 1000)
        model.apply(.toggleZoom, screen: screen)
        #expect((FrameRenderer(tier: .ascii).layout(model, width: 200, height: 60).scale?.downscale ?? 0) > 1)
    }

    @Test("the zoom's title keeps the column range too, down to narrow terminals (rows alone hid a move right)")
    func zoomTitleKeepsColumns() throws {
        for width in [60, 80, 100, 120, 160, 240] {
            var model = try Self.bigModel()
            let screen = ScreenSize(width: width, height: 40)
            model.apply(.toggleZoom, screen: screen)
            model.apply(.pan(dx: 1, dy: 0), screen: screen)
            let window = try #require(FrameRenderer.zoomWindow(model, width: width, height: 40))
            let title = try #require(PanelProbe(model, width: width, height: 40).title(.input))
            let columns = "\(window.columns.lowerBound)-\(window.columns.upperBound - 1)"
            #expect(title.contains("cols \(columns)") || title.contains("x \(columns)"), "\(width): \(title)")
        }
    }

    @Test("in the zoom the mask titles give the view's own fraction")
    func zoomedMaskTitle() throws {
        var model = try Self.bigModel()
        model.apply(.toggleDropoutRow)
        model.apply(.toggleZoom, screen: ScreenSize(width: 160, height: 50))
        let probe = PanelProbe(model, width: 160, height: 50)
        let window = try #require(FrameRenderer.zoomWindow(model, width: 160, height: 50))
        for (kind, result) in [(PanelID.keepMask, model.view.result), (.dropoutMask, model.view.dropout)] {
            let mask = try #require(result?.keepMask)
            var dropped = 0
            for y in window.rows { for x in window.columns where mask.storage[y * 1000 + x] == 0 { dropped += 1 } }
            let own = Double(dropped) / Double(window.rows.count * window.columns.count)
            let shown = try #require(probe.title(kind).flatMap(PanelProbe.percent(in:)), "\(kind)")
            #expect(abs(shown - own) <= 0.0005 + 1e-12, "\(kind): \(shown) vs \(own)")
        }
    }

    @Test("--keys names the arrows")
    func arrowNames() {
        #expect(KeyBindings.parse("z<down><right>s") == ["z", ArrowKey.down, ArrowKey.right, "s"])
        #expect(KeyBindings.parse("<nope>") == nil)
        #expect(KeyBindings.action(for: ArrowKey.up) == .pan(dx: 0, dy: -1))
    }
}
