import DropBlock
import Testing
@testable import Visualizer

/// Downsampled pixels share a map's units evenly (`PoolingAxis`), and the cursor and clicks
/// map between units and pixels through the same rule.
@Suite("Pooling")
struct PoolingTests {
    @Test("every pixel covers the same length, every unit is shown whole, and the two lookups agree",
          arguments: [(56, 19), (200, 29), (203, 29), (61, 31), (7, 3), (1000, 143), (28, 14), (5, 5)])
    func axisWeights(sides: (units: Int, pixels: Int)) {
        let (units, pixels) = sides
        let factor = (units + pixels - 1) / pixels
        let scale = MapScale(upscale: 1, downscale: max(2, factor), width: pixels, height: pixels)
        let axis = PoolingAxis(units: units, pixels: pixels, scale: scale, origin: 0)
        var perUnit = [Int](repeating: 0, count: units)
        for p in 0..<pixels {
            var length = 0
            for u in axis.units(under: p) {
                let w = axis.weight(u, under: p)
                #expect(w > 0 && w <= axis.unitLength, "\(sides): unit \(u) under pixel \(p) weighs \(w)")
                length += w
                perUnit[u] += w
            }
            #expect(length == axis.pixelLength, "\(sides): pixel \(p) covers \(length), not \(axis.pixelLength)")
        }
        #expect(perUnit.allSatisfy { $0 == axis.unitLength }, "\(sides): a unit is not shown exactly once over its pixels")
        // The cursor marks one pixel that shows its unit, and a click there picks that unit again.
        for u in 0..<units {
            let marked = axis.pixels(of: u)
            #expect(marked.count == 1 && axis.units(under: marked.lowerBound).contains(u), "\(sides): unit \(u) marked at \(marked)")
        }
        for p in 0..<pixels {
            let u = axis.unit(at: p)
            #expect(axis.units(under: p).contains(u) && axis.pixels(of: u) == p...p, "\(sides): pixel \(p) picks unit \(u)")
        }
        if units % pixels == 0 { #expect(axis.unitLength == 1 && axis.pixelLength == units / pixels) }
    }

    @Test("a downsampled seeds map shows each seed in the one pixel holding its centre: never more seed pixels than seeds, none lost but to a shared pixel",
          arguments: [(28, 19), (56, 19), (28, 14), (30, 8), (7, 3)])
    func seedPixels(sides: (units: Int, pixels: Int)) {
        let (units, pixels) = sides
        let scale = MapScale(upscale: 1, downscale: max(2, (units + pixels - 1) / pixels), width: pixels, height: pixels)
        var random = SeededGenerator(seed: UInt64(units * 1000 + pixels))
        for _ in 0..<50 {
            // A region of 0.5 with a few seeds (1), some on pixel boundaries.
            var values = [Float](repeating: 0.5, count: units * units)
            let seeds = Set((0..<Int.random(in: 1...6, using: &random)).map { _ in Int.random(in: 0..<(units * units), using: &random) })
            for seed in seeds { values[seed] = 1 }
            let map = PixelMap(width: units, height: units, values: values, kind: .seeds)
            let axes = map.axes(scale)
            var drawn = 0
            for py in 0..<pixels { for px in 0..<pixels where map.pixel(px, py, scale: scale) == 1 { drawn += 1 } }
            let owners = Set(seeds.map { [axes.x.pixels(of: $0 % units).lowerBound, axes.y.pixels(of: $0 / units).lowerBound] })
            #expect(drawn == owners.count && drawn <= seeds.count, "\(sides): \(seeds.count) seeds drawn as \(drawn) pixels")
            for owner in owners { #expect(map.pixel(owner[0], owner[1], scale: scale) == 1, "\(sides): the pixel of a seed's centre") }
        }
    }

    @Test("a 56x56 map at 19x19 pixels: a lone dropped unit on a pixel boundary counts in both pixels by its parts")
    func boundaryUnit() {
        // 56 / 19 units a pixel: unit 2 lies across the boundary of pixels 0 and 1.
        var values = [Float](repeating: 1, count: 56 * 56)
        values[0 * 56 + 2] = 0
        let map = PixelMap(width: 56, height: 56, values: values, kind: .keepMask)
        let scale = MapScale(upscale: 1, downscale: 3, width: 19, height: 19)
        let left = map.keptCount(0, 0, scale: scale), right = map.keptCount(1, 0, scale: scale)
        #expect(left.total == right.total && left.total == 56 * 56)
        // Unit 2 spans [38, 57) in lengths of 1/19 unit; pixel 0 ends at 56.
        #expect(left.total - left.kept == 18 * 19 && right.total - right.kept == 1 * 19)
    }

    @Test("in the 1:1 zoom the seed cursor sits where its unit is drawn, also with the view moved")
    func zoomCursor() throws {
        var model = try SpaceTests.bigModel()
        let screen = ScreenSize(width: 200, height: 60)
        model.apply(.toggleZoom, screen: screen)
        // Move the view until it holds the cursor's starting place, the map's centre.
        for _ in 0..<40 {
            let window = try #require(FrameRenderer.zoomWindow(model, width: 200, height: 60))
            if window.columns.contains(500) && window.rows.contains(500) { break }
            model.apply(.pan(dx: window.columns.contains(500) ? 0 : 1, dy: window.rows.contains(500) ? 0 : 1), screen: screen)
        }
        model.apply(.toggleSeedMode, screen: screen)
        let window = try #require(FrameRenderer.zoomWindow(model, width: 200, height: 60))
        #expect(window.columns.lowerBound > 0 && window.rows.lowerBound > 0)
        guard case .seeds(let placement) = model.modal else {
            Issue.record("not in seed mode")
            return
        }
        #expect(window.columns.contains(placement.x) && window.rows.contains(placement.y), "\(window) \(placement)")
        let cells = PanelProbe(model, width: 200, height: 60).mapCells(.seeds)
        let marked = cells.enumerated().flatMap { r, row in row.enumerated().filter { $0.element.glyph == "X" }.map { (c: $0.offset, r: r) } }
        let expected = (c: placement.x - window.columns.lowerBound, r: (placement.y - window.rows.lowerBound) / 2)
        #expect(marked.count == 1 && marked.first?.c == expected.c && marked.first?.r == expected.r, "\(marked) \(expected)")
    }

    @Test("in the 1:1 zoom seed mode starts its cursor in the view, and the view follows the cursor")
    func zoomFollowsCursor() throws {
        var model = try SpaceTests.bigModel()
        let screen = ScreenSize(width: 120, height: 40)
        model.apply(.toggleZoom, screen: screen)
        model.apply(.toggleSeedMode, screen: screen)
        // The map's centre (500, 500) is far outside the first view: the cursor starts in the view.
        var far: MapWindow?
        for step in 0..<41 {
            let window = try #require(FrameRenderer.zoomWindow(model, width: 120, height: 40))
            guard case .seeds(let placement) = model.modal else {
                Issue.record("not in seed mode")
                return
            }
            #expect(window.columns.contains(placement.x) && window.rows.contains(placement.y), "step \(step): \(window) \(placement)")
            let marks = PanelProbe(model, width: 120, height: 40).mapCells(.seeds).flatMap { $0 }.filter { $0.glyph == "X" }.count
            #expect(marks == 1, "step \(step): \(marks) cursor marks")
            // Right and down past the view's edges, then back left and up past the edges the view then has.
            model.apply(step < 20 ? .pan(dx: 2, dy: 4) : .pan(dx: -2, dy: -4), screen: screen)
            if step == 19 { far = FrameRenderer.zoomWindow(model, width: 120, height: 40) }
        }
        let (start, end) = (try #require(far), try #require(FrameRenderer.zoomWindow(model, width: 120, height: 40)))
        #expect(start.columns.lowerBound > 0 && start.rows.lowerBound > 0, "the view followed right and down: \(start)")
        #expect(end.columns.lowerBound < start.columns.lowerBound && end.rows.lowerBound < start.rows.lowerBound, "and back: \(end)")
    }

    @Test("the seed cursor is drawn in the terminal's colours, reversed, not in the seed colour", arguments: [ColorTier.truecolor, .ansi8])
    func cursorNotASeed(tier: ColorTier) throws {
        var model = try Fixtures.model(preset: .timm)
        model.apply(.toggleSeedMode)
        let cursor = PanelProbe(model, width: 100, height: 30, tier: tier).mapCells(.seeds).flatMap { $0 }.filter { $0.glyph == "X" }
        #expect(cursor.count >= 1 && cursor.allSatisfy { $0.fg == nil && $0.bg == nil && $0.attributes.contains(.reverse) }, "\(tier): \(cursor)")
    }

    @Test("a click on a downsampled seeds panel picks the unit at the centre of the clicked cell's upper pixel", arguments: [120, 97])
    func clickMapsToUnit(width: Int) throws {
        var model = try SpaceTests.bigModel()
        model.apply(.tick, screen: ScreenSize(width: width, height: 40))
        let layout = FrameRenderer(tier: .ascii).layout(model, width: width, height: 40)
        let rect = try #require(layout.panels[.seeds]), scale = try #require(layout.scale)
        #expect(scale.downscale > 1)
        let origin = layout.mapOrigin(rect)
        for (column, row) in [(0, 0), (scale.columns - 1, scale.rows - 1), (scale.columns / 2, scale.rows / 3)] {
            let unit = try #require(SeedPlacement.unit(atCell: origin.x + column, origin.y + row, model: model))
            let (ax, ay) = PixelMap(width: 1000, height: 1000, values: [Float](repeating: 0, count: 1_000_000), kind: .seeds).axes(scale)
            #expect(unit.x == ax.unit(at: column) && unit.y == ay.unit(at: 2 * row), "\(column),\(row) -> \(unit)")
            #expect(ax.pixels(of: unit.x) == column...column && ay.pixels(of: unit.y) == (2 * row)...(2 * row), "\(column),\(row) -> \(unit)")
        }
    }
}
