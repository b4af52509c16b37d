import DropBlock
import Testing
@testable import Visualizer

/// Random shapes, block sizes, presets and terminal sizes (fixed seeds): the mask panel's
/// shares average to its title's fraction, no title is cut, the frame fits the terminal.
@Suite("Properties over random configurations")
struct PropertyTests {
    struct Case: CustomStringConvertible {
        let model: VizModel
        let width: Int, height: Int
        var description: String {
            "\(model.input.tensor.shape) \(model.parameters.preset) block=\(model.parameters.blockSize) p=\(model.parameters.dropProb) channel=\(model.channel) slice=\(model.slice) \(width)x\(height)"
        }
    }

    /// About `count` valid random cases (invalid preset/shape pairs are skipped).
    static func cases(count: Int, seed: UInt64) -> [Case] {
        var generator = SeededGenerator(seed: seed)
        func next(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(generator.next() % UInt64(range.count)) }
        var result: [Case] = []
        while result.count < count {
            let is3D = next(0...4) == 0
            let channels = next(1...4)
            let height = next(0...3) == 0 ? next(60...200) : next(1...48)
            let width = next(0...3) == 0 ? next(60...200) : (next(0...2) == 0 ? height : next(1...48))
            let depth = is3D ? next(1...10) : 1
            let shape = is3D ? [1, channels, depth, height, width] : [next(1...2), channels, height, width]
            let total = shape.reduce(1, *)
            var storage = [Float](repeating: 0, count: total)
            for i in 0..<total where next(0...2) > 0 { storage[i] = Float(next(0...1000)) / 1000 }
            guard let tensor = try? Tensor(shape: shape, storage: storage), let input = try? VizInput(name: "random", tensor: tensor) else { continue }
            var parameters = DropBlockParameters(dropProb: Double(next(0...100)) / 100, blockSize: next(1...max(height, width) + 3),
                                                 preset: Preset.allCases[next(0...3)])
            parameters.calibrated = next(0...3) == 0
            guard var model = try? VizModel(input: input, parameters: parameters, seed: UInt64(next(0...1000)), channel: next(0...channels - 1)) else { continue }
            for _ in 0..<next(0...depth - 1) { model.apply(.nextSlice) }
            if next(0...3) == 0 { model.apply(.toggleDropoutRow) }
            result.append(Case(model: model, width: next(0...5) == 0 ? next(1...60) : next(40...250), height: next(0...5) == 0 ? next(1...20) : next(16...80)))
        }
        return result
    }

    static let all = cases(count: 120, seed: 11)

    /// The dropped shares a mask glyph stands for (exact where the cell's units allow only that).
    static func interval(_ glyph: Character, exact: Bool) -> (Double, Double) {
        switch glyph {
        case ".": return (0, 0)
        case "#": return (1, 1)
        case "5" where exact: return (0.5, 0.5)
        case "1": return (0, 0.15)
        case "9": return (0.85, 1)
        default:
            let d = Double(String(glyph)) ?? -10
            return (d / 10 - 0.05, d / 10 + 0.05)
        }
    }

    @Test("the mask panel's shown shares average to its title's fraction")
    func sharesAverageToTitle() throws {
        var checked = 0
        for testCase in Self.all {
            let probe = PanelProbe(testCase.model, width: testCase.width, height: testCase.height)
            guard let scale = probe.layout.scale, let title = probe.title(.keepMask), let fraction = PanelProbe.percent(in: title) else { continue }
            var low = 0.0, high = 0.0, units = 0.0
            for (r, row) in probe.mapCells(.keepMask).enumerated() {
                for cell in row {
                    // Every pixel stands for the same area (downsampled too: `PoolingAxis`).
                    let weight: Double = 2 * r + 1 < scale.height ? 2 : 1
                    let (a, b) = Self.interval(cell.glyph, exact: scale.downscale == 1)
                    #expect(a >= 0, "\(testCase): glyph '\(cell.glyph)'")
                    low += a * weight
                    high += b * weight
                    units += weight
                }
            }
            guard units > 0 else { continue }
            #expect(low / units <= fraction + 0.0005 + 1e-9 && fraction - 0.0005 - 1e-9 <= high / units,
                    "\(testCase): title \(title), shown in [\(low / units), \(high / units)]")
            checked += 1
        }
        #expect(checked > 60, "only \(checked) cases had a mask panel")
    }

    @Test("in truecolor the mask pixels' blends average to the title's fraction")
    func blendsAverageToTitle() throws {
        var checked = 0
        let palette = Palette(tier: .truecolor)
        // The share a blend stands for, read back from the green channel (kept 228, dropped 38).
        func dropped(_ c: RGB) -> Double { Double(Int(palette.kept.g) - Int(c.g)) / Double(Int(palette.kept.g) - Int(palette.dropped.g)) }
        for testCase in Self.all {
            let probe = PanelProbe(testCase.model, width: testCase.width, height: testCase.height, tier: .truecolor)
            guard let scale = probe.layout.scale, let title = probe.title(.keepMask), let fraction = PanelProbe.percent(in: title) else { continue }
            var sum = 0.0, units = 0.0
            for (r, row) in probe.mapCells(.keepMask).enumerated() {
                for cell in row {
                    for (py, color) in [(2 * r, cell.fg), (2 * r + 1, cell.bg)] where py < scale.height {
                        let color = try #require(color)
                        sum += dropped(color)
                        units += 1
                    }
                }
            }
            guard units > 0 else { continue }
            // RGB rounding: half a level of 190 per pixel at most.
            #expect(abs(sum / units - fraction) <= 0.0005 + 0.5 / 190 + 1e-9, "\(testCase): title \(title), blends average \(sum / units)")
            checked += 1
        }
        #expect(checked > 60)
    }

    @Test("no title ends in a cut number: every title is a whole wording or none")
    func titlesWhole() throws {
        for testCase in Self.all {
            let probe = PanelProbe(testCase.model, width: testCase.width, height: testCase.height)
            for kind in probe.layout.panels.keys {
                let drawn = probe.title(kind) ?? ""
                let wordings = MainScreen.title(kind, model: testCase.model).wordings
                #expect(drawn.isEmpty || wordings.contains(drawn), "\(testCase) \(kind): '\(drawn)'")
            }
        }
    }

    @Test("without boxes, neighbouring titles are parted by at least two blank columns")
    func compactTitlesApart() throws {
        var checked = 0
        let models = [try SpaceTests.bigModel(), try Fixtures.model(preset: .timm)]
        let sizes = stride(from: 40, through: 200, by: 16).flatMap { w in stride(from: 16, through: 61, by: 9).map { (w, $0) } }
        for model in models {
            for (width, height) in sizes where FrameRenderer(tier: .ascii).layout(model, width: width, height: height).style == .compact {
            let testCase = (model: model, width: width, height: height)
            let probe = PanelProbe(testCase.model, width: testCase.width, height: testCase.height)
            let rects = Array(probe.layout.panels.values)
            for left in rects {
                for right in rects where right.y == left.y && right.x > left.x && right.x <= left.x + left.width + 1 {
                    // The two columns before the right-hand title: the left panel's last and the gap.
                    let before = [probe.frame[right.x - 2, right.y].glyph, probe.frame[right.x - 1, right.y].glyph]
                    #expect(before == [" ", " "], "\(testCase): '\(before)' before the title at \(right.x)")
                    checked += 1
                }
            }
            }
        }
        #expect(checked > 10, "only \(checked) neighbouring compact titles")
    }

    @Test("the frame never exceeds the terminal, in every tier and with the help open")
    func frameFits() throws {
        for (i, testCase) in Self.all.enumerated() {
            var model = testCase.model
            if i % 3 == 0 { model.apply(.toggleHelp, screen: ScreenSize(width: testCase.width, height: testCase.height)) }
            let tier = ColorTier.allCases[i % ColorTier.allCases.count]
            let renderer = FrameRenderer(tier: tier)
            let frame = renderer.render(model, width: testCase.width, height: testCase.height)
            #expect(frame.width == testCase.width && frame.height == testCase.height)
            let layout = renderer.layout(model, width: testCase.width, height: testCase.height)
            for rect in layout.panels.values {
                #expect(rect.x >= 0 && rect.y >= 1 && rect.x + rect.width <= testCase.width && rect.y + rect.height <= max(1, layout.messageRow),
                        "\(testCase): \(rect)")
            }
            let lines = AnsiWriter.text(frame, tier: .ascii).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == testCase.height)
            #expect(lines.allSatisfy { $0.count <= testCase.width }, "\(testCase)")
        }
    }
}
