import DropBlock
import Testing
@testable import Visualizer

/// Dropped is never confused with zero, the seed region shows, and the scale is anchored at 0,
/// in every tier (issue 11, items 3 and 11).
@Suite("Every colour tier tells dropped from zero")
struct TierTests {
    /// The colour a terminal of `tier` shows for `c` (its palette index, or the RGB itself).
    static func shown(_ c: RGB?, _ tier: ColorTier) -> Int {
        guard let c else { return -1 }
        return ColorQuantizer.index(c, tier: tier) ?? (Int(c.r) << 16 | Int(c.g) << 8 | Int(c.b))
    }

    /// A map that is half zeros, with a high dropping rate.
    static func model() throws -> VizModel {
        var storage: [Float] = []
        for y in 0..<16 { for x in 0..<16 { storage.append(x < 8 ? 0 : Float(x + y) / 32) } }
        let input = try VizInput(name: "half zero", tensor: Tensor(shape: [1, 1, 16, 16], storage: storage))
        return try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.4, blockSize: 3), seed: 4)
    }

    @Test("output: dropped units look different from kept zeros", arguments: ColorTier.allCases)
    func droppedIsNotZero(tier: ColorTier) throws {
        let model = try Self.model()
        let probe = PanelProbe(model, width: 160, height: 50, tier: tier)
        let scale = try #require(probe.layout.scale)
        #expect(scale.downscale == 1)
        let mask = try #require(model.view.result?.keepMask)
        let input = model.input.tensor.storage
        var droppedLooks: Set<String> = [], zeroLooks: Set<String> = []
        for (r, row) in probe.mapCells(.output).enumerated() {
            for (c, cell) in row.enumerated() {
                // The units of this cell's two pixels (whole-cell upscaling).
                let x = c / scale.upscale
                let units = [2 * r, 2 * r + 1].map { $0 / scale.upscale }.filter { $0 < 16 }.map { $0 * 16 + x }
                let allDropped = units.allSatisfy { mask.storage[$0] == 0 }
                let allZero = units.allSatisfy { mask.storage[$0] == 1 && input[$0] == 0 }
                let look = tier.usesColor ? "\(Self.shown(cell.fg, tier))/\(Self.shown(cell.bg, tier))" : String(cell.glyph)
                if allDropped { droppedLooks.insert(look) }
                if allZero { zeroLooks.insert(look) }
            }
        }
        #expect(!droppedLooks.isEmpty && !zeroLooks.isEmpty)
        #expect(droppedLooks.isDisjoint(with: zeroLooks), "\(tier): dropped \(droppedLooks) zero \(zeroLooks)")
    }

    @Test("the allowed seed region is visible", arguments: ColorTier.allCases)
    func seedRegionVisible(tier: ColorTier) throws {
        // torchvision: seeds only where a whole block fits, so part of the map is outside.
        let input = try Fixtures.smallInput()
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.6, blockSize: 5, preset: .torchvision), seed: 1)
        #expect(model.view.stats.seeds > 0)
        let probe = PanelProbe(model, width: 160, height: 50, tier: tier)
        let looks = Set(probe.mapCells(.seeds).flatMap { $0 }.map { cell in
            tier.usesColor ? "\(Self.shown(cell.fg, tier))/\(Self.shown(cell.bg, tier))" : String(cell.glyph)
        })
        // Region-only cells, outside-only cells and seeds: at least three looks.
        #expect(looks.count >= 3, "\(tier): \(looks)")
        let palette = Palette(tier: tier)
        if tier.usesColor {
            let roles = [palette.region, palette.outside, palette.seed].map { Self.shown($0, tier) }
            #expect(Set(roles).count == 3, "\(tier)")
            let output = [palette.dropped, palette.zero, palette.high].map { Self.shown($0, tier) }
            #expect(Set(output).count == 3, "\(tier)")
            #expect(!palette.ramp.map { Self.shown($0, tier) }.contains(Self.shown(palette.dropped, tier)), "\(tier): the ramp contains the dropped colour")
            #expect(Self.shown(palette.kept, tier) != Self.shown(palette.dropped, tier))
            // The top of a drop-chance map is the likeliest drop: it must not look like a kept unit.
            #expect(!palette.ramp.map { Self.shown($0, tier) }.contains(Self.shown(palette.kept, tier)), "\(tier): the ramp contains the kept colour")
            #expect(!palette.ramp.map { Self.shown($0, tier) }.contains(Self.shown(palette.nonFinite, tier)), "\(tier): the ramp contains the NaN colour")
            // The legend names both: one swatch for `seed` and `high` read as one meaning. Eight
            // colours cannot keep them apart (every colour has a role; they share yellow, in
            // panels of their own).
            if tier != .ansi8 {
                #expect(Self.shown(palette.seed, tier) != Self.shown(palette.high, tier), "\(tier): seed and high share a colour")
            }
        }
    }

    @Test("every heat level is a colour of its own as the tier shows it, so no level looks like zero or like another",
          arguments: [ColorTier.truecolor, .ansi256, .ansi16, .ansi8])
    func rampLevelsDistinct(tier: ColorTier) {
        let palette = Palette(tier: tier)
        let shown = palette.ramp.map { Self.shown($0, tier) }
        #expect(Set(shown).count == palette.ramp.count, "\(tier): \(shown)")
        // Eight colours leave five for heat: red, white and magenta mean dropped, kept and NaN.
        #expect(palette.ramp.count >= (tier == .ansi8 ? 5 : 6), "\(tier)")
        if tier == .ansi256 {
            // Exact cube entries: what the palette says is what the terminal shows.
            #expect(palette.ramp.allSatisfy { ColorQuantizer.xterm256Color(ColorQuantizer.xterm256($0)) == $0 }, "\(palette.ramp)")
            // No grey among the heat levels.
            #expect(palette.ramp.allSatisfy { !($0.r == $0.g && $0.g == $0.b) }, "\(palette.ramp)")
        }
    }

    /// The first non-zero colour took the zero band too, so it covered twice the range of the
    /// others (new-user round 17: 40% of an 8-colour map's range was blue).
    @Test("zero alone takes the bottom colour or blank; the other levels take equal bands of the range", arguments: ColorTier.allCases)
    func equalBands(tier: ColorTier) throws {
        let renderer = FrameRenderer(tier: tier)
        if tier.usesColor {
            let ramp = renderer.palette.ramp, bands = ramp.count - 1
            for k in 1...bands {
                // Each band's middle, and just inside its two ends.
                for offset in [0.5, 0.02, 0.98] {
                    let value = Float((Double(k - 1) + offset) / Double(bands))
                    #expect(renderer.palette.heat(value) == ramp[k], "\(tier): \(value) in band \(k) of \(bands)")
                }
            }
        } else {
            let glyphs = FrameRenderer.asciiRamp, bands = glyphs.count - 1
            for k in 1...bands {
                for offset in [0.5, 0.02, 0.98] {
                    let value = Float((Double(k - 1) + offset) / Double(bands))
                    #expect(renderer.cell(.continuous, upper: value, lower: nil).glyph == glyphs[k], "ascii: \(value) in band \(k)")
                }
            }
        }
    }

    @Test("only zero is drawn as zero: a value a ten-thousandth of the highest is not, in any tier", arguments: ColorTier.allCases)
    func tinyValuesAreNotZero(tier: ColorTier) throws {
        // Columns: zero, a ten-thousandth, a twentieth, the highest.
        let values: [Float] = [0, 1e-4, 0.05, 1]
        let input = try VizInput(name: "tiny", tensor: Tensor(shape: [1, 1, 2, 4], storage: values + values))
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0, blockSize: 1))
        let probe = PanelProbe(model, width: 120, height: 40, tier: tier)
        let cells = try #require(probe.mapCells(.input).first)
        let scale = try #require(probe.layout.scale)
        func look(_ column: Int) -> String {
            let cell = cells[column * scale.upscale]
            return tier.usesColor ? "\(Self.shown(cell.fg, tier))" : String(cell.glyph)
        }
        let zero = look(0)
        #expect(zero == (tier.usesColor ? "\(Self.shown(Palette(tier: tier).zero, tier))" : " "), "\(tier)")
        for column in 1..<4 { #expect(look(column) != zero, "\(tier): \(values[column]) looks like zero") }
    }

    /// Round 23: the swatch stood on the terminal's background, where no mask draws its shades.
    @Test("the dropped-share swatch is drawn as the mask draws a mixed cell: shades in the dropped colour over the kept one",
          arguments: [ColorTier.ansi256, .ansi16, .ansi8])
    func shareSwatch(tier: ColorTier) {
        let palette = Palette(tier: tier)
        let segments = Legend(tier: tier, palette: palette, is3D: false).segments(width: 300)
        let shades = segments.first { $0.text == "░▒▓" }
        #expect(shades?.fg == palette.dropped && shades?.bg == palette.kept, "\(tier): \(String(describing: shades))")
    }

    @Test("the legend names seed, seed region, kept, dropped, zero and high", arguments: ColorTier.allCases)
    func legendNamesEverything(tier: ColorTier) throws {
        let legend = Legend(tier: tier, palette: Palette(tier: tier), is3D: false)
        for width in [80, 200] {
            let text = legend.text(width: width)
            #expect(text.count <= width, "\(text)")
            // (ASCII's short wording gives the heat ramp's glyphs alone, blank to `@`, for high.)
            for name in ["seed", "region", "kept", "dropped"] + (tier == .ascii && width < 200 ? [] : ["high"]) {
                #expect(text.contains(name), "\(tier) \(width): \(name) in \(text)")
            }
            #expect(text.contains("zero") || text.contains(" 0"), "\(text)")
            // ASCII names its heat glyphs as a ramp: `.` and `:` read as kept and region otherwise (round 18).
            if tier == .ascii { #expect(text.contains(String(FrameRenderer.asciiRamp.dropFirst())), "\(width): \(text)") }
        }
        #expect(Legend(tier: tier, palette: Palette(tier: tier), is3D: true).text(width: 200).contains("other slice"))
    }

    @Test("a constant non-zero map is not drawn as zero", arguments: [(1, 1, Float(1)), (6, 6, Float(3)), (4, 4, Float(-2))])
    func constantMap(height: Int, width: Int, value: Float) throws {
        let input = try VizInput(name: "constant", tensor: Tensor(shape: [1, 1, height, width], repeating: value))
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0, blockSize: 1))
        let renderer = FrameRenderer(tier: .truecolor)
        let map = PanelMaps(channel: model.channel, slice: model.slice).channelMap(input.sample(0))
        let zero = renderer.palette.zero
        #expect(map.values.allSatisfy { renderer.palette.heat($0) != zero } == (value > 0), "\(value): \(map.values)")
        if value > 0 { #expect(map.values.allSatisfy { renderer.palette.heat($0) == renderer.palette.high }) }
        let ascii = PanelProbe(model, width: 80, height: 24)
        let glyphs = ascii.mapCells(.input).flatMap { $0 }.map(\.glyph)
        if value > 0 { #expect(glyphs.allSatisfy { $0 == "@" }, "\(glyphs)") }
    }
}
