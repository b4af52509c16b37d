import DropBlock
import Testing
@testable import Visualizer

@Suite("Layout at several terminal sizes")
struct LayoutTests {
    @Test("panels fit the screen and do not overlap", arguments: [(120, 40), (200, 60), (80, 24), (40, 16), (300, 100), (60, 50)])
    func panelsFit(size: (Int, Int)) {
        for (dropout, sweep, chance) in [(false, false, false), (true, false, false), (true, true, false), (false, false, true),
                                         (true, false, true), (false, true, true), (true, true, true)] {
            let request = LayoutRequest(mapWidth: 28, mapHeight: 28, arrangement: .main(dropoutRow: dropout, sweep: sweep, chance: chance))
            let layout = VizLayout.compute(request, width: size.0, height: size.1, statusLineCount: 2)
            #expect(!layout.isTooSmall, "\(size)")
            #expect(layout.panels.count == 4 + (dropout ? 2 : 0) + (sweep ? 1 : 0) + (chance ? 1 : 0))
            for rect in layout.panels.values {
                #expect(rect.x >= 0 && rect.y >= 1 && rect.x + rect.width <= size.0 && rect.y + rect.height <= layout.messageRow, "\(size) \(rect)")
            }
            // Boxes may share border lines; what is inside them never overlaps.
            let rects = layout.panels.values.map { layout.inner($0) }
            for (i, a) in rects.enumerated() {
                #expect(a.x >= 0 && a.y >= 1 && a.x + a.width <= size.0 && a.y + a.height <= layout.messageRow, "\(size) \(a)")
                for b in rects[(i + 1)...] {
                    let disjoint = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
                    #expect(disjoint, "\(size): \(a) overlaps \(b)")
                }
            }
        }
    }

    @Test("compact panels leave a blank row above the legend, as boxes leave their border: no map row touches it")
    func compactGapAboveLegend() throws {
        var grid = try VizModel(input: SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7), seed: 0)
        grid.apply(.toggleGrid)
        var compact = 0
        for model in [grid, try Fixtures.model()] {
            for width in 40...200 {
                for height in stride(from: 12, through: 60, by: 3) {
                    let layout = FrameRenderer(tier: .ascii).layout(model, width: width, height: height)
                    guard !layout.isTooSmall, layout.style == .compact else { continue }
                    compact += 1
                    for rect in layout.panels.values {
                        #expect(rect.y + rect.height <= layout.messageRow - 1, "\(width)x\(height): \(rect) touches row \(layout.messageRow)")
                    }
                }
            }
        }
        #expect(compact > 0)
    }

    @Test("side by side when wide, 2x2 or stacked when narrow")
    func arrangement() {
        let wide = VizLayout.compute(width: 120, height: 40, mapWidth: 28, mapHeight: 28, statusLineCount: 2, showDropout: false, showSweep: false)
        #expect(wide.columns == 4 && wide.scale?.upscale == 1)
        let narrow = VizLayout.compute(width: 64, height: 60, mapWidth: 28, mapHeight: 28, statusLineCount: 3, showDropout: false, showSweep: false)
        #expect(narrow.columns == 2)
        let tall = VizLayout.compute(width: 40, height: 100, mapWidth: 28, mapHeight: 28, statusLineCount: 4, showDropout: false, showSweep: false)
        #expect(tall.columns == 1)
    }

    @Test("large maps are downsampled, small ones upscaled by whole cells")
    func scaling() {
        #expect(MapScale.fit(mapWidth: 56, mapHeight: 56, columns: 28, rows: 14) == MapScale(upscale: 1, downscale: 2, width: 28, height: 28))
        #expect(MapScale.fit(mapWidth: 7, mapHeight: 7, columns: 28, rows: 14) == MapScale(upscale: 4, downscale: 1, width: 28, height: 28))
        #expect(MapScale.fit(mapWidth: 10, mapHeight: 3, columns: 28, rows: 14)?.upscale == 2)
        #expect(MapScale.fit(mapWidth: 5, mapHeight: 5, columns: 0, rows: 3) == nil)
    }

    /// Each size with the first row it must show: the longest wording of the message that
    /// fits, else nothing (a cut size, `4` for 40x16, would be a wrong number).
    @Test("too small terminals, down to 1x1, get the enlarge message, or nothing where not even the size fits", arguments: [
        (39, 30, "enlarge to at least 40x16"), (120, 15, "terminal too small: enlarge to at least 120x16"),
        (5, 1, "40x16"), (4, 1, ""), (1, 1, ""), (2, 1, ""), (1, 3, ""), (0, 0, ""),
    ])
    func tooSmall(width: Int, height: Int, message: String) throws {
        let layout = VizLayout.compute(width: width, height: height, mapWidth: 28, mapHeight: 28, statusLineCount: 3, showDropout: false, showSweep: false)
        #expect(layout.isTooSmall)
        let frame = FrameRenderer(tier: .ascii).render(try Fixtures.model(), width: width, height: height)
        #expect(frame.width == width && frame.height == height)
        let rows = frame.plainText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows.first == message, "\(width)x\(height): \(rows)")
        #expect(rows.dropFirst().allSatisfy { $0.isEmpty }, "\(width)x\(height): only the message: \(rows)")
    }

    /// A view that needs more than the global minimum names the size it needs: at the
    /// terminal's width, the fewest rows that show it (one fewer does not).
    @Test("the enlarge message names a size that shows the current view", arguments: [
        VizAction.togglePresets, .toggleStages, .walkNext, .toggleGrid,
    ])
    func neededSize(action: VizAction) throws {
        var model = try Fixtures.model(input: try Fixtures.smallInput(height: 28, width: 28, channels: 6))
        model.apply(action)
        var checked = 0
        for (width, height) in [(90, 16), (60, 16), (50, 16), (44, 17), (40, 20), (120, 10)] {
            let frame = FrameRenderer(tier: .ascii).render(model, width: width, height: height)
            let first = frame.plainText.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard first.contains("enlarge to") else { continue }
            let size = try #require(first.split(separator: " ").last).split(separator: "x").compactMap { Int($0) }
            try #require(size.count == 2, "\(first)")
            #expect(size[0] >= width && size[1] >= min(height, VizLayout.minimumHeight), "\(action) \(width)x\(height): \(first)")
            let shown = FrameRenderer(tier: .ascii).render(model, width: size[0], height: size[1]).plainText
            #expect(!shown.contains("enlarge to"), "\(action): \(first), yet \(size[0])x\(size[1]) is too small")
            if size[1] > VizLayout.minimumHeight {
                let smaller: String = FrameRenderer(tier: .ascii).render(model, width: size[0], height: size[1] - 1).plainText
                #expect(smaller.contains("enlarge to"), "\(action): \(size[0])x\(size[1] - 1) already shows it")
            }
            checked += 1
        }
        #expect(checked > 0, "\(action): no size was too small")
    }
}
