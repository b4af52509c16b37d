import DropBlock
import Testing
@testable import Visualizer

/// NaN and Inf are data: drawn in their own colour (or `!`), counted, named in the legend; and
/// extreme finite values never break the colour scale.
@Suite("Non-finite and extreme values in the visualizer")
struct NonFiniteTests {
    static func input(_ values: [Float], side: Int) throws -> VizInput {
        try VizInput(name: "values", tensor: Tensor(shape: [1, 1, side, side], storage: values))
    }

    @Test("a downsampled output cell with a kept NaN shows as non-finite, even beside dropped units", arguments: ColorTier.allCases)
    func keptNaNBesideDropped(tier: ColorTier) {
        // Upper pixel: one dropped unit, one NaN kept, two kept values; lower pixel: all kept.
        let values: [Float] = [-1, .nan, 0.5, 0.5] + [0.5, 0.5, 0.5, 0.5] + [0.2, 0.2, 0.2, 0.2] + [0.2, 0.2, 0.2, 0.2]
        let map = PixelMap(width: 4, height: 4, values: values, kind: .masked)
        let scale = MapScale(upscale: 1, downscale: 2, width: 2, height: 2)
        let renderer = FrameRenderer(tier: tier)
        let cell = renderer.outputCell(map, column: 0, top: 0, bottom: 1, scale: scale)
        if tier.usesColor {
            #expect(cell.fg == renderer.palette.nonFinite, "\(tier)")
        } else {
            #expect(cell.glyph == "!")
        }
    }

    @Test("NaN and Inf units show as non-finite in every tier, and are counted", arguments: ColorTier.allCases)
    func nonFiniteUnits(tier: ColorTier) throws {
        var values = (0..<64).map { Float($0) / 64 }
        values[9] = .nan
        values[10] = .infinity
        values[54] = -.infinity
        let model = try VizModel(input: Self.input(values, side: 8), parameters: DropBlockParameters(dropProb: 0, blockSize: 3))
        #expect(model.input.nonFiniteCount == 3)
        #expect(StatusLine.fields(model: model).contains("nonfinite=3"))
        let frame = FrameRenderer(tier: tier).render(model, width: 100, height: 30)
        let palette = Palette(tier: tier)
        let marks = frame.cells.filter { cell in
            tier.usesColor ? (cell.glyph == "▀" && (cell.fg == palette.nonFinite || cell.bg == palette.nonFinite)) : cell.glyph == "!"
        }
        // The input and the output panel (p = 0 keeps everything) each show the three units.
        #expect(marks.count >= 4, "\(tier): \(marks.count) non-finite marks\n\(frame.plainText)")
        let legend = Legend(tier: tier, palette: palette, is3D: false, hasNonFinite: true).text(width: 200)
        #expect(legend.contains("NaN"))
        #expect(!Legend(tier: tier, palette: palette, is3D: false).text(width: 200).contains("NaN"))
    }

    @Test("finite inputs whose product with the scale passes float32's range are counted (overflow=) and the legend names the marks", arguments: ColorTier.allCases)
    func overflow(tier: ColorTier) throws {
        // 3e38 x scale (about 1.56) is Inf, in the references' float32 product too.
        let model = try VizModel(input: Self.input([Float](repeating: 3e38, count: 256), side: 16),
                                 parameters: DropBlockParameters(dropProb: 0.5, blockSize: 3), seed: 1)
        let output = try #require(model.view.result?.output.storage)
        let kept = output.filter { !$0.isFinite }.count
        #expect(kept > 0 && kept == output.filter { $0 != 0 }.count, "every kept unit overflows")
        #expect(model.input.nonFiniteCount == 0 && model.view.overflowed == kept)
        #expect(StatusLine.fields(model: model).contains("overflow=\(kept)"), "\(StatusLine.fields(model: model))")
        let frame = FrameRenderer(tier: tier).render(model, width: 100, height: 30)
        #expect(frame.plainText.contains("NaN/Inf"), "\(tier): the legend names the marks\n\(frame.plainText)")
        // A scale that stays in range: no field.
        let calm = try VizModel(input: Self.input([Float](repeating: 1e30, count: 256), side: 16),
                                parameters: DropBlockParameters(dropProb: 0.5, blockSize: 3), seed: 1)
        #expect(calm.view.overflowed == 0 && !StatusLine.fields(model: calm).contains { $0.hasPrefix("overflow=") })
    }

    /// A dropped Inf's output is NaN (`x * 0`), as `apply` writes it; the output panel drew it
    /// as an ordinary dropped unit, so the NaN it holds was invisible.
    @Test("the output panel draws a dropped NaN or Inf as non-finite: the output there is NaN")
    func droppedNonFinite() throws {
        var values = (0..<64).map { Float($0) / 64 }
        values[27] = .infinity
        values[36] = .nan
        // One seed at (3, 3): its 3x3 block drops rows and columns 2-4, units 27 and 36 among them.
        let input = try Self.input(values, side: 8)
        var noise = [Float](repeating: 1, count: 64)
        noise[27] = 0
        let result = try DropBlockND(parameters: DropBlockParameters(dropProb: 0.5, blockSize: 3))
            .forward(input.sample(0), noise: Tensor(shape: [1, 8, 8], storage: noise))
        #expect(result.keepMask.storage.filter { $0 == 0 }.count == 9 && result.keepMask.storage[27] == 0 && result.keepMask.storage[36] == 0)
        #expect(result.output.storage[27].isNaN && result.output.storage[36].isNaN)
        let map = PanelMaps(channel: 0, slice: 0).outputMap(result, input: input.sample(0))
        #expect(map.values[27].isNaN && map.values[36].isNaN)
        #expect(map.values.filter { $0 == -1 }.count == 7, "the other dropped units")
    }

    @Test("finite values from -1.8e38 to 3.4e38 draw without overflow in every tier", arguments: ColorTier.allCases)
    func extremeValues(tier: ColorTier) throws {
        var values = [Float](repeating: 0, count: 64)
        values[0] = -1.8e38
        values[63] = .greatestFiniteMagnitude
        var model = try VizModel(input: Self.input(values, side: 8), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 1))
        for width in [1, 40, 100, 200] {
            let frame = FrameRenderer(tier: tier).render(model, width: width, height: 30)
            #expect(frame.width == width)
        }
        model.apply(.nextPreset)
        _ = FrameRenderer(tier: tier).render(model, width: 100, height: 30)
        #expect(model.input.nonFiniteCount == 0)
    }

    @Test("the colour scale ignores non-finite values: finite units keep their shades")
    func scaleFromFiniteValues() throws {
        var values = (0..<64).map { Float($0) }
        values[1] = .infinity
        let model = try VizModel(input: Self.input(values, side: 8), parameters: DropBlockParameters(dropProb: 0, blockSize: 3))
        let map = PanelMaps(channel: model.channel, slice: model.slice).channelMap(model.input.tensor)
        #expect(map.values[1].isNaN)
        #expect(map.values[63] == 1 && map.values[0] == 0 && abs(map.values[32] - 32 / 63) < 1e-6)
    }
}
